#!/usr/bin/env python3
"""make_happenings.py — writes the happening test set of `make eval` (tests/store/):
happenings.jsonl (stories: invented news reports in many wordings by different outlets) and
happenings.gold (story id <TAB> gold happening id). Each happening is reported 3-10 times,
published the day of it or up to two days later, a quarter of the reports without naming the
day (their events take the story's date);
near-misses (the same dyad on other days, the same place with other actors, the same actors
doing something else) are happenings of their own. Deterministic (fixed seed):
    python3 tests/store/make_happenings.py tests/store
"""
import datetime
import json
import random
import sys

R = random.Random(20240301)
WD = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OUTLETS = ["Reuters", "AP", "AFP", "BBC", "Al Jazeera", "DW", "Anadolu", "The Guardian",
           "NPR", "France 24", "Xinhua", "The Hindu", "Kyodo", "EFE", "ANSA", "Yonhap"]

# country: (name, adjective, capital, cities)
C = {
    "RUS": ("Russia", "Russian", "Moscow", ["Belgorod", "Kursk"]),
    "UKR": ("Ukraine", "Ukrainian", "Kyiv", ["Kharkiv", "Odesa", "Zaporizhzhia", "Kherson", "Sumy"]),
    "ISR": ("Israel", "Israeli", "Jerusalem", ["Haifa"]),
    "LBN": ("Lebanon", "Lebanese", "Beirut", ["Tyre", "Sidon"]),
    "SYR": ("Syria", "Syrian", "Damascus", ["Idlib", "Aleppo", "Homs"]),
    "TUR": ("Turkey", "Turkish", "Ankara", ["Istanbul"]),
    "IRQ": ("Iraq", "Iraqi", "Baghdad", ["Mosul", "Erbil"]),
    "IRN": ("Iran", "Iranian", "Tehran", ["Isfahan"]),
    "USA": ("the United States", "American", "Washington", []),
    "CHN": ("China", "Chinese", "Beijing", []),
    "JPN": ("Japan", "Japanese", "Tokyo", []),
    "PRK": ("North Korea", "North Korean", "Pyongyang", []),
    "KOR": ("South Korea", "South Korean", "Seoul", []),
    "IND": ("India", "Indian", "New Delhi", []),
    "PAK": ("Pakistan", "Pakistani", "Islamabad", []),
    "DEU": ("Germany", "German", "Berlin", []),
    "FRA": ("France", "French", "Paris", []),
    "GBR": ("Britain", "British", "London", []),
    "POL": ("Poland", "Polish", "Warsaw", []),
    "BLR": ("Belarus", "Belarusian", "Minsk", []),
    "ETH": ("Ethiopia", "Ethiopian", "Addis Ababa", []),
    "SDN": ("Sudan", "Sudanese", "Khartoum", []),
    "EGY": ("Egypt", "Egyptian", "Cairo", []),
    "VEN": ("Venezuela", "Venezuelan", "Caracas", []),
    "COL": ("Colombia", "Colombian", "Bogota", []),
    "BRA": ("Brazil", "Brazilian", "Brasilia", []),
    "ARG": ("Argentina", "Argentine", "Buenos Aires", []),
    "KEN": ("Kenya", "Kenyan", "Nairobi", ["Mombasa"]),
    "NGA": ("Nigeria", "Nigerian", "Abuja", ["Lagos"]),
    "GEO": ("Georgia", "Georgian", "Tbilisi", []),
    "SRB": ("Serbia", "Serbian", "Belgrade", []),
    "AZE": ("Azerbaijan", "Azerbaijani", "Baku", []),
    "ARM": ("Armenia", "Armenian", "Yerevan", []),
    "SAU": ("Saudi Arabia", "Saudi", "Riyadh", []),
    "CAN": ("Canada", "Canadian", "Ottawa", []),
    "AUS": ("Australia", "Australian", "Canberra", []),
}

def n(c): return C[c][0]
def N(c): s = C[c][0]; return s[0].upper() + s[1:]
def adj(c): return C[c][1]
def cap(c): return C[c][2]

# Wordings per kind: functions of (a, b, city, wd) -> sentence. a acts on b (b's city).
KINDS = {
    "shell": [
        lambda a, b, x, d: f"{adj(a)} forces shelled {x} on {d}, local officials said.",
        lambda a, b, x, d: f"{adj(a)} artillery pounded {x} on {d}.",
        lambda a, b, x, d: f"{N(a)} bombarded the {adj(b)} city of {x} on {d}.",
        lambda a, b, x, d: f"{adj(a)} troops shelled the city of {x} on {d}, according to the regional governor.",
        lambda a, b, x, d: f"On {d}, {adj(a)} forces shelled {x} for several hours.",
        lambda a, b, x, d: f"{adj(a)} forces fired artillery at {x} on {d}, the {adj(b)} military said.",
        lambda a, b, x, d: f"{N(a)} shelled {x} on {d} in one of the heaviest barrages in weeks.",
        lambda a, b, x, d: f"The {adj(a)} army shelled {x} on {d}.",
    ],
    "airstrike": [
        lambda a, b, x, d: f"{adj(a)} warplanes struck targets in {x} on {d}.",
        lambda a, b, x, d: f"{adj(a)} aircraft bombed {x} on {d}, residents said.",
        lambda a, b, x, d: f"{N(a)} carried out air strikes on {x} on {d}.",
        lambda a, b, x, d: f"{adj(a)} jets bombed the {adj(b)} city of {x} on {d}.",
        lambda a, b, x, d: f"On {d}, {adj(a)} warplanes bombed {x}.",
        lambda a, b, x, d: f"The {adj(a)} air force struck {x} on {d}, the military said.",
    ],
    "condemn": [
        lambda a, b, x, d: f"{N(a)} condemned {n(b)} on {d} over its latest decision.",
        lambda a, b, x, d: f"{cap(a)} criticized {cap(b)} on {d} for the move.",
        lambda a, b, x, d: f"The {adj(a)} foreign ministry denounced {n(b)} on {d}.",
        lambda a, b, x, d: f"On {d}, {n(a)} condemned {n(b)}, calling its policy reckless.",
        lambda a, b, x, d: f"{adj(a)} officials criticized {n(b)} on {d}.",
        lambda a, b, x, d: f"{N(a)} sharply criticized {n(b)} on {d}, a spokesman said.",
    ],
    "sanction": [
        lambda a, b, x, d: f"{N(a)} imposed sanctions on {n(b)} on {d}.",
        lambda a, b, x, d: f"{cap(a)} slapped new sanctions on {cap(b)} on {d}.",
        lambda a, b, x, d: f"On {d}, {n(a)} imposed fresh sanctions on {n(b)}.",
        lambda a, b, x, d: f"The {adj(a)} government imposed sanctions on {n(b)} on {d}, officials said.",
        lambda a, b, x, d: f"{N(a)} announced new sanctions against {n(b)} on {d}.",
    ],
    "aid": [
        lambda a, b, x, d: f"{N(a)} sent humanitarian aid to {n(b)} on {d}.",
        lambda a, b, x, d: f"{cap(a)} delivered emergency relief supplies to {n(b)} on {d}.",
        lambda a, b, x, d: f"On {d}, {n(a)} sent humanitarian aid to {n(b)}.",
        lambda a, b, x, d: f"The {adj(a)} government sent aid to {n(b)} on {d}.",
        lambda a, b, x, d: f"{N(a)} provided humanitarian assistance to {n(b)} on {d}, the foreign ministry said.",
    ],
    "threaten": [
        lambda a, b, x, d: f"{N(a)} threatened {n(b)} with retaliation on {d}.",
        lambda a, b, x, d: f"{cap(a)} warned {cap(b)} of retaliation on {d}.",
        lambda a, b, x, d: f"On {d}, {n(a)} threatened {n(b)} with military action.",
        lambda a, b, x, d: f"{N(a)} threatened to retaliate against {n(b)} on {d}.",
        lambda a, b, x, d: f"{adj(a)} officials threatened {n(b)} with consequences on {d}.",
    ],
    "praise": [
        lambda a, b, x, d: f"{N(a)} praised {n(b)} on {d} for its cooperation.",
        lambda a, b, x, d: f"{cap(a)} praised {cap(b)} on {d}.",
        lambda a, b, x, d: f"On {d}, {n(a)} praised {n(b)} for its help.",
        lambda a, b, x, d: f"{adj(a)} officials praised {n(b)} on {d}.",
    ],
    "accuse": [
        lambda a, b, x, d: f"{N(a)} accused {n(b)} on {d} of arming rebels.",
        lambda a, b, x, d: f"{cap(a)} accused {cap(b)} of interference on {d}.",
        lambda a, b, x, d: f"On {d}, {n(a)} accused {n(b)} of violating the ceasefire.",
        lambda a, b, x, d: f"{adj(a)} officials accused {n(b)} on {d} of spreading lies.",
    ],
    "expel": [
        lambda a, b, x, d: f"{N(a)} expelled two {adj(b)} diplomats on {d}.",
        lambda a, b, x, d: f"{cap(a)} expelled {adj(b)} diplomats on {d}, the foreign ministry said.",
        lambda a, b, x, d: f"On {d}, {n(a)} expelled several {adj(b)} diplomats.",
        lambda a, b, x, d: f"{N(a)} expelled a {adj(b)} diplomat on {d} over spying allegations.",
    ],
    "arrest": [  # domestic: a's police and protesters in a's city x
        lambda a, b, x, d: f"{adj(a)} police arrested dozens of protesters in {x} on {d}.",
        lambda a, b, x, d: f"Police in {x} arrested dozens of opposition protesters on {d}.",
        lambda a, b, x, d: f"On {d}, {adj(a)} police detained scores of protesters in {x}.",
        lambda a, b, x, d: f"{adj(a)} police arrested at least 40 protesters in {x} on {d}, witnesses said.",
        lambda a, b, x, d: f"Riot police arrested dozens of demonstrators in {x} on {d}.",
    ],
}

FILLER = ["The ministry did not give further details.", "Officials were assessing the damage.",
          "It was not immediately clear how many people were affected.",
          "The statement was published late in the day.", "More details were expected later.",
          "Diplomats said talks would continue next week."]

# the happenings: (kind, a, b, city or None); near-misses marked
SPECS = [
    ("shell", "RUS", "UKR", "Kharkiv"), ("shell", "RUS", "UKR", "Odesa"),
    ("shell", "RUS", "UKR", "Zaporizhzhia"), ("shell", "RUS", "UKR", "Kherson"),
    ("shell", "UKR", "RUS", "Belgorod"), ("shell", "SYR", "SYR", "Idlib"),
    ("shell", "AZE", "ARM", None), ("shell", "ISR", "LBN", "Tyre"),
    ("airstrike", "ISR", "SYR", "Damascus"), ("airstrike", "TUR", "IRQ", "Erbil"),
    ("airstrike", "RUS", "SYR", "Aleppo"), ("airstrike", "RUS", "UKR", "Sumy"),
    ("airstrike", "ISR", "LBN", "Sidon"), ("airstrike", "USA", "IRQ", "Mosul"),
    ("condemn", "CHN", "JPN", None), ("condemn", "RUS", "POL", None),
    ("condemn", "IRN", "ISR", None), ("condemn", "PAK", "IND", None),
    ("condemn", "FRA", "RUS", None), ("condemn", "USA", "PRK", None),
    ("condemn", "EGY", "ETH", None), ("condemn", "SRB", "GBR", None),
    ("sanction", "USA", "IRN", None), ("sanction", "GBR", "BLR", None),
    ("sanction", "CAN", "RUS", None), ("sanction", "AUS", "CHN", None),
    ("sanction", "JPN", "PRK", None), ("sanction", "FRA", "VEN", None),
    ("aid", "JPN", "TUR", None), ("aid", "DEU", "UKR", None), ("aid", "SAU", "SDN", None),
    ("aid", "CHN", "PAK", None), ("aid", "FRA", "LBN", None), ("aid", "USA", "KEN", None),
    ("threaten", "PRK", "KOR", None), ("threaten", "IRN", "USA", None),
    ("threaten", "RUS", "GBR", None), ("threaten", "CHN", "USA", None),
    ("threaten", "VEN", "COL", None),
    ("praise", "BRA", "ARG", None), ("praise", "IND", "JPN", None), ("praise", "EGY", "SAU", None),
    ("praise", "DEU", "FRA", None),
    ("accuse", "ETH", "SDN", None), ("accuse", "ARM", "AZE", None), ("accuse", "IRQ", "TUR", None),
    ("accuse", "COL", "VEN", None),
    ("expel", "POL", "BLR", None), ("expel", "GBR", "RUS", None), ("expel", "DEU", "IRN", None),
    ("arrest", "KEN", "KEN", "Nairobi"), ("arrest", "GEO", "GEO", "Tbilisi"),
    ("arrest", "SRB", "SRB", "Belgrade"), ("arrest", "NGA", "NGA", "Lagos"),
]
# near-misses: the same dyad and kind days later; the same place, other actors; the same
# actors, another kind the same day
NEAR_DAYS = [0, 2, 14, 22, 35, 50, 44, 9]          # SPECS indexes repeated 3-6 days later
NEAR_DAYS2 = [3, 11, 23, 48, 53]                    # ... and 2 days later (just outside)
NEAR_PLACE = [("airstrike", "RUS", "SYR", "Idlib", 5), ("shell", "UKR", "RUS", "Kursk", None),
              ("arrest", "LBN", "LBN", "Tyre", 7), ("arrest", "KEN", "KEN", "Mombasa", None)]
NEAR_KIND = [("condemn", "RUS", "UKR", None, 0), ("threaten", "CHN", "JPN", None, 14),
             ("accuse", "USA", "IRN", None, 22), ("condemn", "POL", "BLR", None, 47)]


def reports(kind, a, b, city, date, count, hid, out, gold, used):
    """Writes count reports of one happening, each by another outlet in another wording."""
    words = KINDS[kind][:]
    R.shuffle(words)
    outlets = R.sample(OUTLETS, count)
    for i in range(count):
        lag = R.choice([0, 0, 1, 1, 2]) if kind not in ("shell", "airstrike", "arrest") else R.choice([0, 1])
        wd = WD[date.weekday()]
        sent = words[i % len(words)](a, b, city or cap(b), wd)
        if R.random() < 0.25:  # no day named: the event takes the story's date, a day late at most
            sent = sent.replace(f"On {wd}, ", "").replace(f" on {wd}", "")
            sent = sent[0].upper() + sent[1:]
            lag = R.choice([0, 1])
        sdate = date + datetime.timedelta(days=lag)
        extra = R.sample(FILLER, R.choice([0, 1, 2]))
        text = " ".join([sent] + extra)
        slug = outlets[i].lower().replace(" ", "")
        used[slug] = used.get(slug, 0) + 1
        sid = f"{slug}-{sdate:%Y%m%d}-{used[slug]}"
        out.append({"id": sid, "date": f"{sdate:%Y-%m-%d}", "source": outlets[i],
                    "url": f"https://example.org/{slug}/{used[slug]}", "title": sent[:60], "text": text})
        gold.append((sid, hid))


def main(outdir):
    out, gold, used = [], [], {}
    base = datetime.date(2024, 1, 8)
    dates = {}
    for i, (kind, a, b, city) in enumerate(SPECS):
        date = base + datetime.timedelta(days=R.randrange(0, 150))
        dates[i] = date
        reports(kind, a, b, city, date, R.randint(3, 10), f"h{i + 1:02d}", out, gold, used)
    for j, i in enumerate(NEAR_DAYS):
        kind, a, b, city = SPECS[i]
        date = dates[i] + datetime.timedelta(days=R.choice([3, 4, 5, 6]))
        reports(kind, a, b, city, date, R.randint(1, 3), f"nd{j + 1:02d}", out, gold, used)
    for j, i in enumerate(NEAR_DAYS2):
        kind, a, b, city = SPECS[i]
        reports(kind, a, b, city, dates[i] + datetime.timedelta(days=2), R.randint(1, 3),
                f"nt{j + 1:02d}", out, gold, used)
    for j, (kind, a, b, city, i) in enumerate(NEAR_PLACE + NEAR_KIND):
        date = dates[i] if i is not None else base + datetime.timedelta(days=R.randrange(0, 150))
        reports(kind, a, b, city, date, R.randint(1, 3), f"np{j + 1:02d}", out, gold, used)
    R.shuffle(out)  # outlets publish in no particular order
    order = {s["id"]: k for k, s in enumerate(out)}
    with open(f"{outdir}/happenings.jsonl", "w") as f:
        for s in out:
            f.write(json.dumps(s, ensure_ascii=False) + "\n")
    with open(f"{outdir}/happenings.gold", "w") as f:
        f.write("# story_id\thappening_id (tests/store/make_happenings.py)\n")
        for sid, hid in sorted(gold, key=lambda g: order[g[0]]):
            f.write(f"{sid}\t{hid}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/store")
