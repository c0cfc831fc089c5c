#!/usr/bin/env bash
# Where, when, how many, who said it: the fields the geo, dates, numbers, quotes and ACLED
# stages put on records. Each case is a story we wrote and a jq test that must hold over the
# records `dyad code` writes for it (one JSON object per line; -s collects them into an array).
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
command -v jq >/dev/null || { echo "fields: jq is missing (scripts/install-deps.sh test installs it)"; echo "fields: 0 passed, 1 failed"; exit 1; }
pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# check NAME STORY JQ: the jq program, given the array of records, must print true
check() {
  local name=$1 story=$2 prog=$3
  printf '%b\n' "$story" > "$tmp/story.txt"
  if "$DYAD" code --quiet "$tmp/story.txt" 2>"$tmp/err" | jq -s -e "$prog" >/dev/null 2>&1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $name"
    echo "  jq: $prog"
    "$DYAD" code --quiet "$tmp/story.txt" 2>/dev/null | jq -c 'select(.kind=="event") | {code: .cameo.code, actor: [.actor[].code], recipient: [.recipient[].code], date, date_precision, size, loc: .event_loc.resolved_place, acled, time_refs}' | sed 's/^/  got: /'
  fi
}
ev='map(select(.kind=="event"))'
q='map(select(.kind=="quote"))'

# ---- time expressions, resolved against the story date ----------------------------------
check "on Monday: the most recent Monday" 'date 2021-11-07\nRussian forces shelled Kharkiv on Monday.' \
  "$ev | .[0].date == \"2021-11-01\" and .[0].date_precision == \"day\""
check "on Sunday in a Sunday story: that day" 'date 2021-11-07\nRussian forces shelled Kharkiv on Sunday.' \
  "$ev | .[0].date == \"2021-11-07\""
check "yesterday" 'date 2022-03-02\nRussian troops shelled Kharkiv yesterday.' \
  "$ev | .[0].date == \"2022-03-01\""
check "two days ago, at the head of the sentence" 'date 2022-03-10\nTwo days ago, Turkish troops shelled Kurdish rebels in northern Iraq.' \
  "$ev | .[0].date == \"2022-03-08\""
check "10 October: the same year" 'date 2021-11-07\nIraqi police arrested ten protesters in Baghdad on 10 October.' \
  "$ev | .[0].date == \"2021-10-10\""
check "October 10, 2021: a year given" 'date 2022-03-07\nIraqi police arrested ten protesters in Baghdad on October 10, 2021.' \
  "$ev | .[0].date == \"2021-10-10\""
check "a December date in a January story is last year's" 'date 2022-01-05\nIraqi police arrested ten protesters in Baghdad on 28 December.' \
  "$ev | .[0].date == \"2021-12-28\""
check "last month: month precision" 'date 2021-11-07\nIsraeli troops raided the Jenin refugee camp last month.' \
  "$ev | .[0].date == \"2021-10-01\" and .[0].date_precision == \"month\""
check "in 2019 more than a year back is history, not news" 'date 2021-11-07\nIn 2019, Iranian forces seized a British tanker.' \
  "$ev | length == 0"
check "overnight is the story date" 'date 2022-05-04\nRussian missiles struck Lviv overnight.' \
  "$ev | .[0].date == \"2022-05-04\""
check "a date that belongs to an election, not to the protest" 'date 2021-11-07\nHundreds of Iraqi protesters rallied in Baghdad against the results of the elections on 10 October.' \
  "$ev | .[0].date == \"2021-11-07\" and (.[0].time_refs | map(.date) | index(\"2021-10-10\") != null)"
check "no date: null with precision none" 'Russian forces shelled Kharkiv.' \
  "$ev | .[0].date == null and .[0].date_precision == \"none\""

# ---- number words and figures: dead, injured, arrested, crowd --------------------------------
check "seven guards were injured" 'date 2022-01-01\nGunmen attacked a police checkpoint in Kirkuk. Seven guards were injured.' \
  "$ev | .[0].size.injured.value == 7 and .[0].size.injured.qualifier == \"exact\""
check "at least 12 killed" 'date 2022-01-01\nGunmen attacked a village in Borno, killing at least 12 people.' \
  "$ev | .[0].size.dead.value == 12 and .[0].size.dead.qualifier == \"at_least\""
check "more than 20 militants were killed" 'date 2022-01-01\nNigerian troops attacked an Islamic State camp near Lake Chad. More than 20 militants were killed in the raid.' \
  "$ev | .[0].size.dead.value == 20 and .[0].size.dead.qualifier == \"more_than\""
check "a dozen" 'date 2022-01-01\nGunmen attacked a market in Kano, killing a dozen traders.' \
  "$ev | .[0].size.dead.value == 12"
check "hundreds of protesters: a crowd, a lower bound" 'date 2022-01-01\nHundreds of protesters rallied in Khartoum against the military government.' \
  "$ev | .[0].size.crowd.value == 200 and .[0].size.crowd.qualifier == \"at_least\""
check "thousands of demonstrators" 'date 2022-01-01\nThousands of demonstrators marched in Tbilisi against the government.' \
  "$ev | .[0].size.crowd.value == 2000"
check "police arrested 35 demonstrators" 'date 2022-01-01\nPolice in Nairobi arrested 35 demonstrators on Tuesday.' \
  "$ev | .[0].size.arrested.value == 35"
check "between 5 and 10: a range" 'date 2022-01-01\nGunmen attacked a bus near Mosul, killing between 5 and 10 passengers.' \
  "$ev | .[0].size.dead.value == 5 and .[0].size.dead.max == 10 and .[0].size.dead.qualifier == \"range\""
check "twenty-five in words" 'date 2022-01-01\nGunmen attacked a church in Ondo, killing twenty-five worshippers.' \
  "$ev | .[0].size.dead.value == 25"
check "casualties stated in another sentence" 'date 2022-01-01\nRussian forces shelled Kharkiv on Monday.\n\nThe regional governor said four civilians were killed and nine wounded.' \
  "$ev | .[0].size.dead.value == 4 and .[0].size.injured.value == 9"
check "the same victims told twice are counted once" 'date 2022-01-01\nGunmen attacked a market in Kano, killing eight people. Eight people were killed in the attack, police said.' \
  "$ev | length == 1 and .[0].size.dead.value == 8"
check "years and money are not counts of people" 'date 2022-01-01\nIn 1987, Iraqi forces attacked Iranian positions. Saudi Arabia gave Pakistan 2 billion dollars.' \
  "$ev | all(.size.dead == null and .size.crowd == null)"
check "unharmed: dead 0, implied" 'date 2021-11-07\nThe Iraqi prime minister survived an assassination attempt and was unharmed.' \
  "$ev | .[0].size.dead.value == 0 and .[0].size.dead.qualifier == \"implied\""

# ---- quotations and their speakers -------------------------------------------------------
check "said spokesman X after the quotation" 'date 2023-01-01\n"We condemn this attack," said State Department spokesman Ned Price.' \
  "$q | .[0].speaker[0].code == \"USAGOV\" and .[0].speaker[0].name == \"Ned Price\""
check "he added: the last speaker" 'date 2023-01-01\n"We condemn this attack," said State Department spokesman Ned Price. "We have offered our help," he added.' \
  "$q | .[1].speaker[0].code == \"USAGOV\""
check "X told reporters: the speaker is X, not the reporters" 'date 2023-10-12\n"We are ready to talk," Kremlin spokesman Dmitry Peskov told reporters.' \
  "$q | .[0].speaker[0].code == \"RUSGOV\""
check "a speaker before the quotation" 'date 2023-01-01\nThe Turkish president said: "We will not allow this."' \
  "$q | .[0].speaker[0].code == \"TURGOV\""
check "she said, about a named minister" 'date 2023-05-01\nGerman Foreign Minister Annalena Baerbock met Chinese officials in Beijing. "We need dialogue," she said.' \
  "$q | .[0].speaker[0].code == \"DEUGOV\""
check "a quote links to its speaker's events" 'date 2023-01-01\n"This apparent act of terrorism, which we strongly condemn, was directed at the Iraqi state," said State Department spokesman Ned Price.' \
  "($q | .[0].events | length) == 1 and ($ev | .[0].cameo.code == \"111\")"

# ---- places ------------------------------------------------------------------------------
check "an attack placed in its city" 'date 2022-01-01\nRussian forces shelled Kharkiv on Monday.' \
  "$ev | .[0].event_loc.resolved_place == \"Kharkiv\" and .[0].event_loc.country_code == \"UKR\" and .[0].event_loc.precision == \"place\""
check "a story with no place: country level from its actors" 'date 2022-01-01\nIran accused the United States of lying.' \
  "$ev | .[0].event_loc.precision == \"country\" or .[0].event_loc.precision == \"none\""
check "no place at all: precision none, no guess" 'date 2022-01-01\nThe rebels accused the army of torture.' \
  "$ev | .[0].event_loc.precision == \"none\" and .[0].event_loc.lat == null"
check "the capital: the focus country's" 'date 2022-01-01\nIraqi police arrested ten protesters in the capital.' \
  "$ev | .[0].event_loc.resolved_place == \"Baghdad\""

# ---- PLOVER mode and ACLED types ---------------------------------------------------------
check "a drone strike: mode drone, ACLED air/drone strike" 'date 2022-01-01\nA Turkish drone struck a car carrying PKK commanders in northern Iraq.' \
  "$ev | .[0].mode == \"drone\" and .[0].acled.sub_event_type == \"Air/drone strike\""
check "shelling: heavy weapons" 'date 2022-01-01\nRussian forces shelled Kharkiv with artillery on Monday.' \
  "$ev | .[0].acled.sub_event_type == \"Shelling/artillery/missile attack\""
check "a protest is a peaceful protest" 'date 2022-01-01\nHundreds of protesters rallied in Khartoum against the military government.' \
  "$ev | .[0].acled.event_type == \"Protests\" and .[0].acled.sub_event_type == \"Peaceful protest\""
check "an arrest is a strategic development" 'date 2022-01-01\nPolice in Nairobi arrested a senior opposition official on Tuesday.' \
  "$ev | .[0].acled.event_type == \"Strategic developments\" and .[0].acled.sub_event_type == \"Arrests\""
check "demonstrators arrested: a protest with intervention (ACLED)" 'date 2022-01-01\nPolice in Nairobi arrested 35 demonstrators on Tuesday.' \
  "$ev | .[0].acled.sub_event_type == \"Protest with intervention\""
check "live fire on protesters: excessive force" 'date 2022-01-01\nSecurity forces opened fire on protesters in Basra, killing three.' \
  "$ev | map(.acled.sub_event_type) | index(\"Excessive force against protesters\") != null"
check "a protest with banks set ablaze: a violent demonstration" 'date 2022-01-01\nHundreds of protesters marched against fuel prices in Beirut, and banks were set ablaze.' \
  "$ev | map(select(.cameo.root == \"14\")) | .[0].acled.sub_event_type == \"Violent demonstration\""
check "tear gas on protesters: a protest with intervention" 'date 2022-01-01\nRiot police fired tear gas to disperse protesters in Santiago.' \
  "$ev | .[0].acled.sub_event_type == \"Protest with intervention\""
check "armed sides on both ends: a battle" 'date 2022-01-01\nSudanese soldiers clashed with Rapid Support Forces fighters in Omdurman.' \
  "$ev | .[0].acled.event_type == \"Battles\""
check "a statement has no ACLED type" 'date 2022-01-01\nIran accused the United States of lying.' \
  "$ev | .[0].acled == null"
check "territory taken by a state's forces: government regains territory" 'date 2021-06-07\nSyrian government forces recaptured the town of Palmyra from Islamic State militants on Sunday.' \
  "$ev | .[0].acled.event_type == \"Battles\" and .[0].acled.sub_event_type == \"Government regains territory\""
check "territory taken by an armed group: non-state actor overtakes territory" 'date 2021-06-07\nTaliban fighters captured the district of Kunduz from Afghan forces on Saturday.' \
  "$ev | .[0].acled.sub_event_type == \"Non-state actor overtakes territory\""
check "weapons seized by the police: disrupted weapons use" 'date 2021-06-07\nPolice seized 12 firearms and 300 rounds of ammunition in a raid in Kingston on Monday.' \
  "$ev | .[0].acled.event_type == \"Strategic developments\" and .[0].acled.sub_event_type == \"Disrupted weapons use\""
check "property seized, not weapons: looting/property destruction" 'date 2021-06-07\nSoldiers seized the farms of opposition supporters in Harare on Monday.' \
  "$ev | map(select(.cameo.root == \"17\")) | .[0].acled.sub_event_type == \"Looting/property destruction\""
check "a rocket-propelled grenade is a launcher's round: shelling, not a grenade" 'date 2022-01-01\nA rocket-propelled grenade hit an army vehicle in Kandahar.' \
  "$ev | .[0].acled.sub_event_type == \"Shelling/artillery/missile attack\""
check "a grenade thrown, no one named: grenade" 'date 2020-03-01\nAttacks were carried out with hand grenades in three districts of Narathiwat on Friday night.' \
  "$ev | .[0].acled.sub_event_type == \"Grenade\""
check "shelling, the gas told in the next sentence: chemical weapon" 'date 2022-01-01\nRebels fired shells into two districts of Aleppo on Tuesday. Doctors suspect the shells contained chlorine.' \
  "$ev | .[0].acled.sub_event_type == \"Chemical weapon\""
check "shelling with no gas named: shelling" 'date 2022-01-01\nRebels fired shells into two districts of Aleppo on Tuesday. Doctors treated twelve people.' \
  "$ev | .[0].acled.sub_event_type == \"Shelling/artillery/missile attack\""
check "jets bombing: an air strike by the code itself" 'date 2022-01-01\nIsraeli jets bombed targets in southern Lebanon.' \
  "$ev | .[0].acled.sub_event_type == \"Air/drone strike\""
check "a mob lynching: mob violence" 'date 2019-06-20\nA mob lynched two men accused of cattle theft in a village in Jharkhand.' \
  "$ev | .[0].acled.event_type == \"Riots\" and .[0].acled.sub_event_type == \"Mob violence\""
check "vigilantes killing suspects: mob violence" 'date 2019-06-20\nVigilantes killed three suspected kidnappers in Puebla, Mexico on Sunday.' \
  "$ev | .[0].acled.sub_event_type == \"Mob violence\""
check "protesters clashing with police: a violent demonstration" 'date 2022-01-01\nProtesters clashed with police in Santiago on Friday.' \
  "$ev | .[0].acled.sub_event_type == \"Violent demonstration\""
check "militants attacking an army checkpoint: an armed clash" 'date 2019-06-17\nTaliban fighters attacked an army checkpoint in Jawzjan, killing five soldiers.' \
  "$ev | .[0].acled.sub_event_type == \"Armed clash\""
check "gunmen killing villagers: an attack on civilians, not a battle" 'date 2022-01-01\nGunmen killed ten villagers in Zamfara state on Sunday.' \
  "$ev | .[0].acled.sub_event_type == \"Attack\""
check "shops looted, no looter named: looting" 'date 2021-07-13\nShops were looted and set alight in Durban on Monday night.' \
  "$ev | .[0].acled.sub_event_type == \"Looting/property destruction\""
check "soldiers defecting: change to group/activity" 'date 2012-07-06\nTwo hundred Syrian soldiers defected to the rebels in Homs on Friday.' \
  "$ev | .[0].acled.event_type == \"Strategic developments\" and .[0].acled.sub_event_type == \"Change to group/activity\""
check "forces withdrawing without resistance: non-violent transfer of territory" 'date 2019-06-17\nGovernment forces withdrew from the town of Marka without resistance on Monday.' \
  "$ev | .[0].acled.sub_event_type == \"Non-violent transfer of territory\""
check "a town taken after the army pulled out: non-violent transfer of territory" 'date 2019-06-17\nRebels took control of the town after government troops withdrew.' \
  "$ev | .[0].acled.sub_event_type == \"Non-violent transfer of territory\""
check "a town taken in fighting: not a non-violent transfer" 'date 2021-06-07\nRebels took control of the town after heavy clashes, and government troops withdrew.' \
  "$ev | map(select(.cameo.code == \"192\")) | .[0].acled.sub_event_type == \"Non-state actor overtakes territory\""
check "a prisoner swap: an agreement" 'date 2020-10-16\nThe army and the rebels exchanged 40 prisoners in Aden on Sunday.' \
  "$ev | .[0].acled.sub_event_type == \"Agreement\""
check "landmines destroyed by soldiers: disrupted weapons use" 'date 2020-10-16\nAfghan soldiers destroyed 300 landmines in Helmand province.' \
  "$ev | .[0].acled.sub_event_type == \"Disrupted weapons use\""
check "activists detained during a protest: a protest with intervention" 'date 2020-10-16\nKenyan police detained several activists in Nairobi during a protest against police killings.' \
  "$ev | .[0].acled.sub_event_type == \"Protest with intervention\""
check "opposition members arrested during March (the month): arrests, not a protest" 'date 2020-04-01\nKenyan police arrested 20 opposition members during March.' \
  "$ev | .[0].acled.sub_event_type == \"Arrests\""
check "rebels surrendering to the army: an agreement" 'date 2020-10-16\nMore than 70 South Sudanese rebels have surrendered to the army.' \
  "$ev | .[0].acled.sub_event_type == \"Agreement\""
check "a suspect giving himself up to the police: no agreement" 'date 2020-10-16\nThe robbery suspect surrendered to Nigerian police in Lagos on Monday.' \
  "$ev | map(.acled.sub_event_type) | index(\"Agreement\") == null"
check "a mass expulsion of nationals: other" 'date 2020-10-16\nAngola expelled thousands of Congolese nationals last month.' \
  "$ev | .[0].acled.event_type == \"Strategic developments\" and .[0].acled.sub_event_type == \"Other\""
check "diplomats expelled: no ACLED type" 'date 2020-10-16\nBritain expelled three Russian diplomats on Monday.' \
  "$ev | .[0].acled == null"
check "stones thrown at police: a violent demonstration" 'date 2021-04-01\nStones were thrown at British police in Bristol on Sunday.' \
  "$ev | .[0].acled.sub_event_type == \"Violent demonstration\""
check "mob violence: mob violence, not a violent demonstration" 'date 2013-03-22\nMob violence flared in Meiktila, Myanmar on Friday.' \
  "$ev | .[0].acled.sub_event_type == \"Mob violence\""
check "a mob attacking the police: a violent demonstration" 'date 2013-03-22\nAn angry mob attacked police officers in Meiktila, Myanmar on Friday.' \
  "$ev | .[0].acled.sub_event_type == \"Violent demonstration\""
check "rallies held, no one named: a peaceful protest" 'date 2016-03-04\nRallies and sit-ins were held across Pakistan on Friday against the execution.' \
  "$ev | .[0].acled.sub_event_type == \"Peaceful protest\""
check "a woman raped by unnamed men: sexual violence" 'date 2016-03-04\nFour men raped a woman in a moving car in outer Delhi on Friday.' \
  "$ev | .[0].acled.sub_event_type == \"Sexual violence\""

# ---- the showcase (../shared/examples): its README table, field by field -------------------
show=../shared/examples/kadhimi-drone-attack-2021-11-07.txt
if [ -f "$show" ]; then
  "$DYAD" code --quiet "$show" > "$tmp/show.jsonl" 2>/dev/null
  sc() { # name, jq over the showcase records
    if jq -s -e "$2" "$tmp/show.jsonl" >/dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: showcase: $1"; echo "  jq: $2"; fi
  }
  # in Baghdad: the city itself, or a place of it (the Green Zone) in the Baghdad governorate
  sc "the attack is placed in Baghdad" "$ev | map(select(.cameo.root==\"18\")) | .[0].event_loc | (.resolved_place == \"Baghdad\" or .admin1 == \"Baghdad Governorate\") and .country_code == \"IRQ\" and .precision == \"place\""
  sc "the protest is placed in Baghdad" "$ev | map(select(.cameo.root==\"14\")) | .[0].event_loc | (.resolved_place == \"Baghdad\" or .admin1 == \"Baghdad Governorate\") and .country_code == \"IRQ\" and .precision == \"place\""
  sc "the attack: injured 7, dead 0" "$ev | map(select(.cameo.root==\"18\")) | .[0].size.injured.value == 7 and .[0].size.dead.value == 0"
  sc "the protest: a crowd of hundreds" "$ev | map(select(.cameo.root==\"14\")) | .[0].size.crowd.value == 200 and (.[0].size.crowd.text | test(\"hundreds\"))"
  sc "the election date is 2021-10-10" "$ev | map(select(.cameo.root==\"14\")) | .[0].time_refs | map(.date) | index(\"2021-10-10\") != null"
  sc "last month's elections are October 2021" "$ev | map(select(.cameo.root==\"12\")) | .[0].time_refs | map(select(.date==\"2021-10-01\" and .precision==\"month\")) | length == 1"
  sc "Shamkhani's accusation is dated 2021-11-07 (on Sunday)" "$ev | map(select(.cameo.code==\"112\")) | .[0].date == \"2021-11-07\""
  sc "Shamkhani's quote is his" "$q | map(select(.text | test(\"new sedition\"))) | .[0].speaker[0].code == \"IRNGOV\" and (.[0].speaker[0].name | test(\"Shamkhani\"))"
  sc "Ned Price's quotes are his" "$q | map(select(.text | test(\"act of terrorism|close contact\"))) | length == 2 and all(.speaker[0].name == \"Ned Price\")"
  sc "the attack is an air/drone strike" "$ev | map(select(.cameo.root==\"18\")) | .[0].acled.event_type == \"Explosions/Remote violence\" and .[0].acled.sub_event_type == \"Air/drone strike\""
  sc "every event carries the story's date" "$ev | all(.date == \"2021-11-07\")"
else
  echo "fields: $show not found: showcase checks skipped"
fi

echo "fields: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
