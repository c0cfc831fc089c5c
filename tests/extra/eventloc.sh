#!/usr/bin/env bash
# Which place is an event's place (src/geo/eventloc.c, dy_places_event_loc): the one its words put it in
# ("in X", "the town of X") over a point of reference ("near X", "south of X"), a destination
# ("headed to X"), a place that says whose ("the U.S. Navy", "New York-based", "Beirut radio")
# or where the teller was ("a spokesman in Tokyo"); an institution's city ("Kabul University");
# a town inside the country the event's sentence names, from the sentences around it. Each case
# is a story we wrote and the place its first event must carry; the negative cases say what
# must not move.
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
pass=0 fail=0
if ! command -v jq >/dev/null; then
  echo "eventloc: jq is missing (scripts/install-deps.sh test installs it)"; echo "eventloc: 0 passed, 1 failed"; exit 1
fi

# place NAME STORY WANT: the first event's event_loc.extracted_place must be WANT ("null": none);
# the story goes to dyad on its standard input
place() {
  local got
  got=$(printf 'date 2022-01-01\n%b\n' "$2" | "$DYAD" code --quiet 2>/dev/null |
    jq -s -r 'map(select(.kind=="event")) | .[0].event_loc.extracted_place // "null"')
  if [ "$got" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: want $3, got $got"; fi
}

# ---- where it happened over a point of reference or a destination -------------------------
place "the town, not the city it lies north of" 'Islamic State fighters recaptured the town of Manbij, north of Aleppo.' Manbij
place "the town, not the city it is kilometres from" 'Gunmen killed three policemen in Ghazni, 150 kilometres from Kabul.' Ghazni
place "the town, not the city it is near" 'Suicide bombers struck a market in Kirkuk, near Baghdad.' Kirkuk
place "the town seized, not the one they will advance to" 'Rebel fighters will advance to Aleppo after seizing the town of Manbij.' Manbij
place "a destination alone is still the place named" 'Rebel fighters will advance to Aleppo after they seize the next villages.' Aleppo
place "a reference point alone is still the place named" 'Militants attacked a police checkpoint south of Mosul on Monday.' Mosul
place "travelling to a city is no departure: the meeting is there" 'The foreign minister travelled to Beijing and met Chinese officials.' Beijing

# ---- places that say whose, or where the teller was -----------------------------------------
place "the U.S. Navy is whose, not where" 'The U.S. Navy said Iranian boats harassed a tanker in Oman.' Oman
place "a country's airline is whose" 'Kenya Airways pilots went on strike in Uganda.' Uganda
place "a Paris-based group is whose" 'The Paris-based group said soldiers killed ten villagers in Mali.' Mali
place "Beirut radio is whose" 'Beirut radio stations said Israeli helicopter gunships raided south Lebanon.' Lebanon
place "a source in Beirut is where the teller was" 'Israeli helicopter gunships raided southern Lebanon, a security source in Beirut said.' Lebanon
place "a statement is made where its speaker is" "Saudi Arabia's foreign minister accused Iran of the attacks on the oil plant." "Saudi Arabia"
place "a place in a hyphenated name is weaker than the place it is in" 'Militants detonated a bomb on the Kabul-Jalalabad highway in Jalrez.' Jalrez
place "a hyphenated name alone still gives its place" 'Militants detonated a bomb on the Kandahar-Herat highway.' Kandahar
place "a newspaper's city is not the place" 'The Washington Post reported that gunmen attacked a market in Kandahar.' Kandahar

# ---- an institution in a city locates at the city -------------------------------------------
place "a university's city" 'Gunmen stormed Kabul University on Monday, killing students in their classrooms.' Kabul
place "students detained at a university" 'Police detained 40 students at Dhaka University on Thursday.' Dhaka
place "a professor's university is whom he works for" 'A professor at Kabul University said police arrested ten students in Afghanistan.' Afghanistan

# ---- a town inside the country, from the sentences around the event -------------------------
place "the country, then the town in the next sentence" 'Suicide bombers attacked a church in Indonesia on Sunday.\n\nTwo bombers blew themselves up outside the cathedral in Surabaya, police said.' Surabaya
place "the country, then its region in the next sentence" 'Gunmen killed four villagers in Mali on Sunday.\n\nThe attack took place in the village of Ogossagou in the Mopti region.' "Mopti region"
place "a demonym only, then the town" 'The Nigerian army said soldiers killed 20 militants.\n\nThe fighting took place in Maiduguri.' Maiduguri
place "a state, then a town in it" 'Rebels shelled villages in Borno state on Sunday.\n\nMost shells fell in Maiduguri.' Maiduguri
place "not a town of another state" 'Rebels shelled villages in Borno state on Sunday.\n\nPolice arrested three men in Kano.' "Borno state"
place "not where the president spoke to reporters" 'Gunmen killed four villagers in Mali on Sunday.\n\nThe president spoke to reporters in Bamako.' Mali
place "not where a spokesman is" 'Suicide bombers attacked a church in Indonesia on Sunday.\n\nA police spokesman in Jakarta gave no details.' Indonesia
place "not a town of another country" 'Protesters rallied in Iraq on Friday.\n\nOther rallies were held in Kuwait City.' Iraq
place "a statement is not placed by the sentences around it" 'The Nigerian government condemned the killings on Sunday.\n\nGunmen had killed 20 villagers in Maiduguri.' null
place "rallies across a country stay the country" 'Thousands of protesters rallied across Belarus on Sunday.\n\nThey demanded the release of activists detained in Minsk last month.' Belarus
place "not a town three sentences away" 'Gunmen attacked a checkpoint in Afghanistan on Monday.\n\nIt was the third attack this week.\n\nOfficials gave no figures.\n\nThe Interior Ministry said the checkpoint lies in Kunduz.' Afghanistan

echo "eventloc: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
