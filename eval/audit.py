#!/usr/bin/env python3
"""audit.py — the precision audit we keep (tests/audit/): events drawn at random from dyad's
output on real text, each judged by hand.

    eval/audit.py sample [--n 300] [--seed S] [--out DIR] [--not-in KEYS]   draw events to judge
    eval/audit.py keys > KEYS                                the keys of the events produced now
    eval/audit.py merge FILE...                              add judged files to the audit

A change that adds events judges a sample of what it added: `keys > before.keys` on the build
before it, then `sample --not-in before.keys` on the build after it draws only added events.

`sample` codes the audit's texts (Reuters-21578 and the dev texts: CASE 2021 snippets, CAMEO
class sentences, PLOVER records, IndiaPoliceEvents sentences), leaves out the events already
judged, and draws N (seeded: the same seed and the same output draw the same events; two
thirds from Reuters, a third from the dev texts), written as JSON Lines for judging: each
line is an event's key, its sentence(s), the story's title, the code with its meaning and
the source and target as coded, with "verdict" and "reason" left empty. A judge fills them:

    verdict  right        the sentence reports this event type (CAMEO root right) and both
                          actors are right to their country (or their sector when stateless)
             wrong_type   something happened between these actors, but of another root
             wrong_source the event is right but the source is wrong or missing
             wrong_target the event is right but the target is wrong (or missing though named)
             no_event     the sentence reports no such event (business, metaphor, a proposal,
                          a denial, history retold, a quote that is not the event...)
    reason   one line on why

`merge` appends judged lines to tests/audit/judged.tsv (key, verdict, reason, and the event as
coded, for the record). make eval (eval/score.py) re-codes the same texts and reports the
precision over the judged events dyad still produces, and counts those not yet judged.
"""
import argparse
import csv
import json
import os
import random
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(TOP, "..", "shared", "data")
DYAD = os.path.join(TOP, "build", "dyad")
JUDGED = os.path.join(TOP, "tests", "audit", "judged.tsv")
VERDICTS = ("right", "wrong_type", "wrong_source", "wrong_target", "no_event")


def audit_stories():
    """The audit's texts as (set, story) pairs; stories as dyad reads them."""
    reuters = os.path.join(TOP, "build", "bench", "reuters.jsonl")
    if not os.path.exists(reuters):
        subprocess.run(["make", "-s", "-C", TOP, "build/bench/reuters.jsonl"], check=True)
    with open(reuters, encoding="utf-8") as f:
        for line in f:
            yield "reuters", json.loads(line)
    p = os.path.join(DATA, "real", "case2021.dev.tsv")
    with open(p, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            yield "case2021", {"id": "case-" + r["id"], "text": r["EventSnippet"]}
    p = os.path.join(DATA, "real", "cameo-class.dev.tsv")
    with open(p, newline="", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)):
            yield "cameo-class", {"id": f"cc-{i}", "text": r["sentence"]}
    p = os.path.join(DATA, "plover", "PLOVER_GSR_CAMEO.dev.json")
    with open(p, encoding="utf-8") as f:
        for r in json.load(f):
            if r.get("text") and r.get("date"):
                yield "plover", {"id": r["id"], "text": r["text"], "date": r["date"][:10]}
    csv.field_size_limit(1 << 26)
    p = os.path.join(DATA, "real", "india-police-events.stories.dev.csv")
    with open(p, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            yield "india-police", {"id": "ipe-" + r["doc_id"], "text": r["full_text"], "date": r["date"]}


def event_key(e):
    """What identifies an event across runs: its story, sentences, code and actor codes."""
    src = ",".join(sorted(a.get("code") or "-" for a in e.get("actor") or [])) or "-"
    tgt = ",".join(sorted(a.get("code") or "-" for a in e.get("recipient") or [])) or "-"
    sents = ",".join(str(s) for s in e["text_info"]["sentences"])
    return f"{e['story_id']}|{sents}|{e['cameo']['code']}|{src}|{tgt}"


def coded_events():
    """Codes every audit text; returns [(set, title, event)] in input order."""
    stories, sets, titles = [], {}, {}
    for name, st in audit_stories():
        stories.append(st)
        sets[st["id"]] = name
        titles[st["id"]] = st.get("title") or ""
    lines = "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in stories)
    p = subprocess.run([DYAD, "code", "--quiet", "--format", "jsonl"], input=lines.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        sys.exit(f"audit.py: dyad code failed: {p.stderr.decode()[:300]}")
    out = []
    for line in p.stdout.decode().splitlines():
        e = json.loads(line)
        if e.get("kind") == "event":
            out.append((sets.get(e["story_id"], "?"), titles.get(e["story_id"], ""), e))
    return out


def read_judged():
    judged = {}
    if os.path.exists(JUDGED):
        with open(JUDGED, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                key, verdict, reason = line.rstrip("\n").split("\t")[:3]
                judged[key] = (verdict, reason)
    return judged


def cameo_names():
    names = {}
    with open(os.path.join(TOP, "dict", "cameo.txt"), encoding="utf-8") as f:
        for line in f:
            if line[:1].isdigit() and "|" in line:
                names[line.split()[0]] = line.split("|", 1)[1].strip()
    return names


def actors(lst):
    return [{"code": a.get("code"), "text": a.get("entity_text")} for a in lst or []]


def cmd_sample(args):
    judged = read_judged()
    names = cameo_names()
    skip = set()
    if args.not_in:
        with open(args.not_in, encoding="utf-8") as f:
            skip = {line.rstrip("\n") for line in f}
    events = [x for x in coded_events() if event_key(x[2]) not in judged and event_key(x[2]) not in skip]
    rng = random.Random(args.seed)
    reuters = [x for x in events if x[0] == "reuters"]
    dev = [x for x in events if x[0] != "reuters"]
    n_reuters = min(len(reuters), max(args.n * 2 // 3, args.n - len(dev)))
    pick = rng.sample(reuters, n_reuters) + rng.sample(dev, min(len(dev), args.n - n_reuters))
    os.makedirs(args.out, exist_ok=True)
    per = (len(pick) + args.files - 1) // args.files
    for k in range(args.files):
        part = pick[k * per:(k + 1) * per]
        path = os.path.join(args.out, f"todo-{k + 1}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for name, title, e in part:
                c = e["cameo"]
                f.write(json.dumps({
                    "key": event_key(e), "set": name, "title": title, "sentence": e["text"],
                    "code": c["code"], "code_means": names.get(c["code"], ""), "root": c["root"],
                    "source": actors(e.get("actor")), "target": actors(e.get("recipient")),
                    "verdict": "", "reason": ""}, ensure_ascii=False) + "\n")
        print(f"audit.py: {len(part)} events to judge in {path}")
    print(f"audit.py: {len(events)} produced events not yet judged ({len(reuters)} from Reuters)")


def cmd_merge(args):
    judged = read_judged()
    added = 0
    rows = []
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                r = json.loads(line)
                if r["verdict"] not in VERDICTS:
                    sys.exit(f"{path}:{n}: verdict '{r['verdict']}' is not one of {', '.join(VERDICTS)}")
                if not r["reason"].strip() or "\t" in r["reason"] or "\n" in r["reason"]:
                    sys.exit(f"{path}:{n}: a one-line reason is needed")
                if r["key"] in judged:
                    continue
                judged[r["key"]] = (r["verdict"], r["reason"])
                coded = f"{r['code']} {'+'.join(a['code'] or '-' for a in r['source']) or '-'} -> " \
                        f"{'+'.join(a['code'] or '-' for a in r['target']) or '-'}"
                sentence = " ".join(r["sentence"].split())[:300]
                rows.append(f"{r['key']}\t{r['verdict']}\t{r['reason'].strip()}\t{r['set']}\t{coded}\t{sentence}\n")
                added += 1
    os.makedirs(os.path.dirname(JUDGED), exist_ok=True)
    new = not os.path.exists(JUDGED)
    with open(JUDGED, "a", encoding="utf-8") as f:
        if new:
            f.write("# dyad's precision audit: events drawn at random (eval/audit.py sample) and judged by hand.\n"
                    "# KEY (story|sentences|code|sources|targets)\tVERDICT\tREASON\tSET\tAS CODED\tSENTENCE\n")
        f.writelines(rows)
    print(f"audit.py: {added} judged events added to {os.path.relpath(JUDGED, TOP)} ({len(judged)} in all)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample", help="draw events to judge")
    s.add_argument("--n", type=int, default=300)
    s.add_argument("--seed", type=int, default=20261207)
    s.add_argument("--files", type=int, default=1, help="split the draw into this many files")
    s.add_argument("--out", default=os.path.join(TOP, "build", "audit"))
    s.add_argument("--not-in", help="leave out the events whose keys this file lists (eval/audit.py keys)")
    sub.add_parser("keys", help="print the key of every event produced now")
    m = sub.add_parser("merge", help="add judged files to tests/audit/judged.tsv")
    m.add_argument("files", nargs="+")
    args = ap.parse_args()
    if not os.access(DYAD, os.X_OK):
        sys.exit(f"audit.py: {DYAD} missing (make)")
    if args.cmd == "keys":
        sys.stdout.writelines(event_key(e) + "\n" for _, _, e in coded_events())
    else:
        cmd_sample(args) if args.cmd == "sample" else cmd_merge(args)


if __name__ == "__main__":
    main()
