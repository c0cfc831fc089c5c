#!/usr/bin/env bash
# places.sh — `dyad places` beyond the gazetteer lookups of the spec cases: demonyms reported as
# places (kind "demonym") but never an event's place, one place per name in a story, a source's
# home region given (--home-region) or learnt from its other stories (--learn-home), and the
# errors of both options. The stories are written here. Ends with "places: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/asan/dyad}
[ -x "$DYAD" ] || DYAD=build/dyad
pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
check() { # description, condition...
  local what=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what"; fi
}
# field STORY TEXT KEY: the resolved KEY of the first mention of TEXT in places output $tmp/out
field() {
  python3 -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["story_id"] == sys.argv[2] and o["text"] == sys.argv[3]:
        r = o["resolved"] or {}
        print(o["kind"] if sys.argv[4] == "kind" else r.get(sys.argv[4]))
        break
' "$tmp/out" "$@"
}

# ---- demonyms -------------------------------------------------------------------------------
cat >"$tmp/dem.jsonl" <<'J'
{"id":"d1","date":"2023-05-02","text":"Sudanese army units shelled positions held by paramilitary fighters in Omdurman on Tuesday, witnesses said. Sri Lankan and European diplomats called for a ceasefire."}
J
"$DYAD" places --quiet "$tmp/dem.jsonl" >"$tmp/out"
check "a demonym is a place mention of kind demonym" test "$(field d1 Sudanese kind)" = demonym
check "Sudanese resolves to Sudan" test "$(field d1 Sudanese country_code)" = SDN
check "a two-word demonym: Sri Lankan" test "$(field d1 'Sri Lankan' country_code)" = LKA
check "a region's demonym: European is Europe" test "$(field d1 European precision)" = region
check "a town is still a name" test "$(field d1 Omdurman kind)" = name
"$DYAD" code --quiet "$tmp/dem.jsonl" >"$tmp/ev"
check "an event is placed at the town, not at a demonym" \
  python3 -c 'import json,sys; e=[json.loads(l) for l in open(sys.argv[1]) if "\"event\"" in l]; sys.exit(not e or any(x["event_loc"]["extracted_place"] in ("Sudanese","Sri Lankan","European") for x in e))' "$tmp/ev"

# ---- one place per name -----------------------------------------------------------------------
cat >"$tmp/one.jsonl" <<'J'
{"id":"g1","date":"2009-03-15","text":"Sales fell at stores in Gainesville, Texas, last month. Several Gainesville business owners said the winter was slow."}
J
"$DYAD" places --quiet "$tmp/one.jsonl" >"$tmp/out"
check "a name found as a place is that place in its other mentions" \
  test "$(grep -c '"text":"Gainesville"' "$tmp/out")" -eq 2

# ---- counties ---------------------------------------------------------------------------------
cat >"$tmp/county.jsonl" <<'J'
{"id":"c1","date":"2009-03-15","text":"Deputies of the Anderson County Sheriff's Office searched the river near Pendleton, South Carolina, on Sunday. In Louisiana, Avoyelles Parish schools stayed shut."}
J
"$DYAD" places --quiet "$tmp/county.jsonl" >"$tmp/out"
check "a county is found, before the office named after it" test "$(field c1 'Anderson County' feature_code)" = ADM2
check "the county is the one in the state the story names" test "$(field c1 'Anderson County' admin1)" = "South Carolina"
check "Louisiana's counties are parishes" test "$(field c1 'Avoyelles Parish' admin1)" = Louisiana

cat >"$tmp/abbr.jsonl" <<'J'
{"id":"a1","date":"2009-03-15","text":"ANDERSON, S.C. -- A storm damaged homes here on Sunday, and flooding closed roads near Topeka, Kan., officials said."}
J
"$DYAD" places --quiet "$tmp/abbr.jsonl" >"$tmp/out"
check "an AP state abbreviation is its state" test "$(field a1 'S.C.' admin1)" = "South Carolina"
check "a town before it lies in that state" test "$(field a1 ANDERSON admin1)" = "South Carolina"
check "Kan. is Kansas" test "$(field a1 Kan admin1)" = Kansas

cat >"$tmp/hy.jsonl" <<'J'
{"id":"y1","date":"2009-03-15","text":"Rep. Jane Doe, D-Gainesville, said the Dallas-based firm will hire. A Texarkana man was arrested, according to Texarkana Police."}
J
"$DYAD" places --quiet "$tmp/hy.jsonl" >"$tmp/out"
check "the place a politician stands for, after the party's initial" test "$(field y1 Gainesville kind)" = name
check "the place before -based" test "$(field y1 Dallas admin1)" = Texas
check "a town's man and its police: the town" test "$(grep -c '"text":"Texarkana"' "$tmp/out")" -eq 2
check "a part of a word has the characters of the part" \
  python3 -c 'import json,sys; o=[json.loads(l) for l in open(sys.argv[1])]; g=[x for x in o if x["text"]=="Gainesville"][0]; sys.exit(g["start"]!=17 or g["end"]!=28)' "$tmp/out"

cat >"$tmp/mod.jsonl" <<'J'
{"id":"m1","date":"2018-03-30","text":"Russia summoned US Ambassador Jon Huntsman on Friday, The Washington Post reported. Police in Moscow said nothing."}
J
"$DYAD" places --quiet "$tmp/mod.jsonl" >"$tmp/out"
check "a country opening a person's office is a modifier" test "$(field m1 US kind)" = modifier
check "a newspaper's place is a modifier" test "$(field m1 Washington kind)" = modifier
"$DYAD" code --quiet "$tmp/mod.jsonl" >"$tmp/ev"
check "no event is placed at a modifier" \
  python3 -c 'import json,sys; e=[json.loads(l) for l in open(sys.argv[1]) if "\"event\"" in l]; sys.exit(any(x["event_loc"]["extracted_place"] in ("US","Washington") for x in e))' "$tmp/ev"
"$DYAD" code --explain "$tmp/mod.jsonl" >/dev/null 2>&1
check "--explain is refused by code" test $? -eq 2

cat >"$tmp/small.jsonl" <<'J'
{"id":"s1","date":"2009-03-15","text":"The selectmen of Harwinton, Connecticut, voted on Monday. Indian and Pakistani officials met in Geneva."}
J
"$DYAD" places --quiet "$tmp/small.jsonl" >"$tmp/out"
check "a town of under 1,000 people from the postal codes" test "$(field s1 Harwinton admin1)" = Connecticut
check "a demonym that is also a hamlet's name is the demonym" test "$(field s1 Indian country_code)" = IND

cat >"$tmp/dl.jsonl" <<'J'
{"id":"l1","date":"2009-03-15","text":"Lamont visits supporters. HARWINTON - Former Senate nominee Ned Lamont spoke on Sunday. Eight Florida Highway Patrol troopers watched the ferry at New London."}
J
"$DYAD" places --quiet "$tmp/dl.jsonl" >"$tmp/out"
check "a dateline inside the text is a place" test "$(field l1 HARWINTON admin1)" = Connecticut
check "a state's service names the state, as a modifier" test "$(field l1 Florida kind)" = modifier
check "an actor inside a longer name does not decide it: New London" test "$(field l1 'New London' country_code)" = USA

cat >"$tmp/seat.jsonl" <<'J'
{"id":"w1","date":"2020-01-02","text":"The president met the Saudi crown prince at the White House on Monday."}
J
"$DYAD" places --quiet "$tmp/seat.jsonl" >"$tmp/out"
check "a seat of government is a place: the White House, in Washington" test "$(field w1 'White House' admin1)" = "District of Columbia"

# ---- spatial coherence: a namesake where the story is, not a famous place nothing else is near --
cat >"$tmp/coh.jsonl" <<'J'
{"id":"k1","date":"2009-03-15","text":"Millions of Americans will travel this week. The first feast was held in Plymouth, the governor of Massachusetts wrote."}
{"id":"k2","date":"2009-03-15","text":"Voters in Dublin approved a school levy on Tuesday. Turnout was the highest seen in Ohio this year, the county board said."}
{"id":"k3","date":"2009-03-15","text":"Flights between Dublin and Cork were cancelled on Tuesday. Travellers bound for Ohio were stranded."}
{"id":"k4","date":"2009-03-15","text":"Storms knocked out power in Atlanta and Macon on Sunday. Georgia officials said crews would work through the night."}
{"id":"k5","date":"2009-03-15","text":"Georgia's president met the prime minister in Tbilisi on Sunday. A delegation from Atlanta was also there."}
{"id":"k6","date":"1987-03-01","text":"Traders in Chicago said wheat fell. Prices in Paris and Tokyo were steady, and Japanese buyers waited."}
{"id":"k7","date":"1987-03-01","text":"Wheat farmers in Iowa watched Moscow closely, and the U.S. offer stood, officials in Des Moines said."}
{"id":"l1","date":"2009-03-15","text":"Cases were confirmed in New Mexico, New York and Ohio, the agency said on Friday."}
{"id":"l2","date":"2009-03-15","text":"The firm sold forest land in Washington and Oregon last year."}
{"id":"l3","date":"2009-03-15","text":"The envoy will visit Armenia, Georgia and Azerbaijan next month."}
{"id":"l4","date":"2009-03-15","text":"After stops in Washington, New York and Boston, the minister flew home."}
{"id":"r1","date":"2009-03-15","text":"Police in Decatur said the crash closed roads near North Druid Hills and Tucker on Sunday. DeKalb County crews cleared the scene."}
{"id":"r2","date":"2009-03-15","text":"Flights from Atlanta and Miami were delayed on Sunday after storms near Houston and Beaumont."}
{"id":"r3","date":"2009-03-15","text":"The council in Rogersville met on Monday. Residents of Fordland said Greene County and Webster County roads were icy."}
{"id":"q1","date":"2017-01-01","text":"America's allies met on Monday. Leaders of the Americas met on Tuesday."}
{"id":"w2","date":"2009-03-15","text":"Officials in Washington said on Monday that storms had hit Texas. Farmers in Kansas and Oklahoma lost their wheat."}
{"id":"w3","date":"2009-03-15","text":"The carrier will start overnight service in the Carolinas, Georgia, Tennessee and Virginia in April."}
{"id":"n1","date":"2009-03-15","source":"www.theherald.com.au","text":"Council in Newcastle approved the new budget on Monday."}
{"id":"n2","date":"2009-03-15","url":"https://www.theherald.com.au/story/1/","text":"Council in Newcastle approved the new budget on Monday."}
{"id":"n3","date":"2009-03-15","source":"citynews.tv","text":"Council in Newcastle approved the new budget on Monday."}
J
"$DYAD" places --quiet "$tmp/coh.jsonl" >"$tmp/out"
# story | mention | field | expected | what it shows
while IFS='|' read -r id name key want what; do
  check "$what" test "$(field "$id" "$name" "$key")" = "$want"
done <<'T'
k1|Plymouth|admin1|Massachusetts|a small town's namesake capital abroad does not win back on its own evidence
k2|Dublin|admin1|Ohio|Dublin beside Ohio, and nothing in Ireland: Dublin, Ohio
k3|Dublin|country_code|IRL|Dublin beside Cork stays Ireland's
k4|Georgia|country_code|USA|Georgia beside Atlanta and Macon: the state
k5|Georgia|country_code|GEO|Georgia beside Tbilisi: the country
k6|Paris|country_code|FRA|a world story naming Chicago and Tokyo: Paris, France
k7|Moscow|country_code|RUS|Moscow beside Iowa: a small namesake far below the capital does not win
l1|New York|precision|admin1|a name listed with states is the state: New York
l2|Washington|admin1|Washington State|Washington listed with Oregon: the state
l3|Georgia|country_code|GEO|Georgia listed with countries: the country
l4|New York|precision|place|two ambiguous names in a list do not make each other states
r1|DeKalb County|admin1|Georgia|a county where the story's other towns have namesakes: DeKalb County, Georgia
r3|Rogersville|admin1|Missouri|three ambiguous names with namesakes in one state: Missouri
r2|Atlanta|admin1|Georgia|a hamlet's namesake in Texas does not pull Atlanta there
r2|Miami|admin1|Florida|nor Miami
q1|America|country_code|USA|a possessive is the name, not a plural name: America's is not the Americas
q1|Americas|precision|region|the Americas are still the region
w2|Washington|admin1|District of Columbia|states named elsewhere in the story do not make Washington the state
w3|Georgia|country_code|USA|Georgia in a list of states is the state
n1|Newcastle|country_code|AUS|a source on a national domain (.com.au) writes from that country
n2|Newcastle|country_code|AUS|so does one known by its web address
T
check "a domain sold for other uses (.tv) says nothing of the country" test "$(field n3 Newcastle country_code)" != AUS

# ---- home regions -----------------------------------------------------------------------------
cat >"$tmp/local.jsonl" <<'J'
{"id":"h1","source":"the-courier","date":"2009-03-16","text":"Mayors from Columbus and Dayton met in Cincinnati to discuss the state budget."}
{"id":"h2","source":"the-courier","date":"2009-03-17","text":"Schools in Toledo and Akron will close early on Friday, officials in Columbus said."}
{"id":"h3","source":"the-courier","date":"2009-03-18","text":"A new clinic opened in Cleveland, and another is planned for Dayton."}
{"id":"h4","source":"the-courier","date":"2009-03-19","text":"Residents of Dublin packed the council chambers on Monday to oppose the new road."}
{"id":"h5","source":"another-paper","date":"2009-03-19","text":"Residents of Dublin packed the council chambers on Monday to oppose the new road."}
J
"$DYAD" places --quiet --explain "$tmp/local.jsonl" >"$tmp/out" 2>/dev/null
check "places --explain lists the entries weighed, best first" \
  python3 -c 'import json,sys; o=[json.loads(l) for l in open(sys.argv[1])]; d=[x for x in o if x["text"]=="Dublin"][0]; c=d["candidates"]; sys.exit(not(len(c)>=2 and c[0]["score"]>=c[1]["score"] and c[0]["country_code"]==d["resolved"]["country_code"]))' "$tmp/out"
"$DYAD" places --quiet "$tmp/local.jsonl" >"$tmp/out"
check "without a home region, a bare Dublin is Ireland's" test "$(field h4 Dublin country_code)" = IRL
"$DYAD" places --quiet --home-region the-courier=US-OH "$tmp/local.jsonl" >"$tmp/out"
check "--home-region SOURCE=US-OH: the source's Dublin is in Ohio" test "$(field h4 Dublin admin1)" = Ohio
check "--home-region SOURCE=: other sources keep Ireland's" test "$(field h5 Dublin country_code)" = IRL
"$DYAD" places --quiet --home-region US-OH "$tmp/local.jsonl" >"$tmp/out"
check "--home-region REGION applies to every story" test "$(field h5 Dublin admin1)" = Ohio
"$DYAD" places --learn-home "$tmp/local.jsonl" >"$tmp/out" 2>"$tmp/err"
check "--learn-home reports the region it learnt" grep -qP '^the-courier\tUS-OH\t3/[34]$' "$tmp/err"
check "--learn-home: the source's Dublin is in Ohio" test "$(field h4 Dublin admin1)" = Ohio
check "--learn-home: a source with no stories to learn from keeps Ireland's" test "$(field h5 Dublin country_code)" = IRL
"$DYAD" code --quiet --learn-home "$tmp/local.jsonl" >/dev/null; check "code takes --learn-home" test $? -eq 0
"$DYAD" ingest --db "$tmp/h.db" --learn-home "$tmp/local.jsonl" >/dev/null 2>"$tmp/err"
check "ingest --learn-home learns the source's region" grep -qP '^the-courier\tUS-OH' "$tmp/err"
"$DYAD" ingest --db "$tmp/h2.db" --learn-home <"$tmp/local.jsonl" >/dev/null 2>&1
check "ingest --learn-home refuses stdin" test $? -eq 2
"$DYAD" places --quiet --learn-home -j 1 "$tmp/local.jsonl" >"$tmp/j1"
"$DYAD" places --quiet --learn-home -j 3 "$tmp/local.jsonl" >"$tmp/j3"
check "home regions reach every coding thread (-j 3 writes what -j 1 does)" cmp -s "$tmp/j1" "$tmp/j3"

"$DYAD" places --home-region US-XX "$tmp/local.jsonl" >/dev/null 2>"$tmp/err"; rc=$?
check "an unknown region is a usage error" test $rc -eq 2
check "the error names the region" grep -q "US-XX" "$tmp/err"
"$DYAD" places --home-region Ohio "$tmp/local.jsonl" >/dev/null 2>&1
check "a region must be a code" test $? -eq 2
"$DYAD" places --learn-home <"$tmp/local.jsonl" >/dev/null 2>"$tmp/err"; rc=$?
check "--learn-home refuses stdin (it reads the input twice)" test $rc -eq 2
check "--learn-home says why" grep -q "twice" "$tmp/err"
"$DYAD" places --help | grep -q -- '--learn-home'; check "--help documents --learn-home" test $? -eq 0

echo "places: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
