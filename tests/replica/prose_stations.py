"""Original fictional news prose for the two member-station replica hosts (krpl, wrpl).

Written for the replica; towns, people and agencies are invented. `wire` stories are NPR
stories re-published by wrpl: they end with the NPR syndication line and live under
/npr-news/. One of them quotes `prose_npr.SHARED_QUOTE`, word for word.
"""

from .prose_npr import SHARED_QUOTE

AUTHORS = {
    "Nadia Ferreira": "Nadia Ferreira covers city hall and county government for KRPL Public Radio. She grew up "
                      "in Harlan Bend and previously reported for a weekly paper in the river valley.",
    "Owen Thackeray": "Owen Thackeray is KRPL's environment reporter, covering the Tessaly River, farming and "
                      "energy. He joined the newsroom in 2021.",
    "Maya Lindgren": "Maya Lindgren reports on education and families for WRPL. She is a former middle school "
                     "teacher and a lifelong resident of the lakeshore.",
    "Rosalind Achebe": "Rosalind Achebe is a correspondent on NPR's National Desk covering climate and disasters.",
    "Priya Natarajan": "Priya Natarajan covers energy and the economy for NPR.",
    "Jonah Feldstein": "Jonah Feldstein is an NPR science correspondent.",
}

STORIES = [
    # --- KRPL Public Radio (Harlan Bend) ---
    {"key": "k01", "host": "krpl", "slug": "harlan-bend-council-passes-budget", "date": "2026-10-02T18:40",
     "authors": ["Nadia Ferreira"], "tags": ["City Government", "Harlan Bend"],
     "title": "Harlan Bend council passes budget with raises for snowplow drivers",
     "image": ("Harlan Bend city council members listen to public comment on Tuesday night.", "Nadia Ferreira / KRPL"),
     "paragraphs": [
         "The Harlan Bend City Council approved a $212 million budget Tuesday night that includes the first raise for the city's snowplow drivers in four years.",
         "Public works director Gail Osterman told the council the city lost nine drivers last winter to private contractors who pay more per hour.",
         "\u201cWhen a storm hits at two in the morning, I need people who know these streets,\u201d Osterman said. \u201cRight now I am training strangers every November.\u201d",
         "The budget also funds two new firefighters and delays repaving on the east side by one year.",
         "Council member Luis Armendariz voted against the plan, saying it leans too heavily on a one-time transfer from the city's reserve fund.",
     ]},
    {"key": "k02", "host": "krpl", "slug": "tessaly-river-crest-forecast", "date": "2026-10-04T07:15",
     "authors": ["Owen Thackeray"], "tags": ["Tessaly River", "Weather"],
     "title": "Tessaly River expected to crest near flood stage this weekend",
     "image": ("The Tessaly River runs high under the Fourth Street bridge.", "Owen Thackeray / KRPL"),
     "paragraphs": [
         "Forecasters expect the Tessaly River to crest just below flood stage in Harlan Bend on Saturday after three days of steady rain upstream.",
         "Emergency managers have placed sandbags at the Riverside Park shelter and closed the lower trail along the east bank.",
         "\u201cWe are watching the gauge at Millers Ford every hour. That tells us what arrives here about a day later,\u201d county emergency manager Dale Prokop said.",
         "Residents of the low-lying Flats neighborhood can pick up sandbags at the county garage on Route 9 through Friday evening.",
     ]},
    {"key": "k03", "host": "krpl", "slug": "school-board-approves-new-start-times", "date": "2026-10-07T21:05",
     "authors": ["Nadia Ferreira"], "tags": ["Education", "Harlan Bend Schools"],
     "title": "School board approves later start times for high schools",
     "image": ("Parents and students fill the school board meeting room.", "Nadia Ferreira / KRPL"),
     "paragraphs": [
         "High school classes in Harlan Bend will start at 8:40 a.m. next fall, nearly an hour later than now, after the school board voted 5-2 on Monday.",
         "Supporters cited research on teenage sleep, and several students testified that they routinely fall asleep in first period.",
         "\u201cI have been awake since 5:30 every school day for three years,\u201d senior Tamsin Okoro told the board. \u201cI would like to know what it feels like not to be tired.\u201d",
         "The change means elementary schools will start earlier so the district can reuse the same buses.",
         "Some parents of younger children objected, saying their kids will wait at bus stops in the dark.",
     ]},
    {"key": "k04", "host": "krpl", "slug": "grid-substation-upgrade-north-side", "date": "2026-10-09T12:20",
     "authors": ["Owen Thackeray"], "tags": ["Energy", "Utilities"],
     "title": "Utility begins substation upgrade to end north side outages",
     "image": ("Crews install new switchgear at the Pine Hollow substation.", "Owen Thackeray / KRPL"),
     "paragraphs": [
         "The regional electric cooperative has started a $17 million upgrade of the Pine Hollow substation, which serves most of Harlan Bend's north side.",
         "Customers there lost power an average of six times last year, more than twice the rate in the rest of the city.",
         "\u201cThe equipment in there was sized for a neighborhood half this big,\u201d co-op engineer Petra Vance said during a tour of the site.",
         "Work will continue through February. The co-op says customers may see brief planned outages, announced at least two days in advance.",
     ],
     "edit": {"replace": 3, "text": "Work will continue through March, a month later than first planned. The co-op says customers may see brief planned outages, announced at least two days in advance."}},
    {"key": "k05", "host": "krpl", "slug": "county-museum-reopens-with-river-gallery", "date": "2026-10-11T10:00",
     "authors": ["Nadia Ferreira"], "tags": ["Arts", "History"],
     "title": "Tessaly County museum reopens with a new gallery on river history",
     "image": ("A restored ferry bell hangs in the museum's new river gallery.", "Courtesy of Tessaly County Historical Society"),
     "paragraphs": [
         "The Tessaly County Historical Museum reopened Saturday after an 18-month renovation that added a gallery devoted to the river and the towns built along it.",
         "The centerpiece is the bell from a ferry that crossed at Harlan Bend until the first bridge opened in 1911.",
         "\u201cFor a hundred years, this bell was how people knew the ferry was leaving,\u201d curator Abigail Nwosu said. \u201cWe wanted people to hear it again.\u201d",
         "Admission is free on the first Sunday of every month.",
     ]},
    {"key": "k06", "host": "krpl", "slug": "farm-co-op-grain-dryer-fire", "date": "2026-10-14T15:35",
     "authors": ["Owen Thackeray"], "tags": ["Agriculture"],
     "title": "Fire damages grain dryer at farm cooperative during harvest",
     "image": ("Smoke rises from the grain elevator complex east of town.", "Owen Thackeray / KRPL"),
     "paragraphs": [
         "A fire damaged a grain dryer at the Tessaly Farmers Cooperative on Tuesday afternoon, at the height of the corn harvest.",
         "No one was hurt. Fire crews from three departments kept the blaze from spreading to nearby storage bins.",
         "\u201cWe will be taking corn again tomorrow, but we will not be drying it here for a while,\u201d co-op manager Russ Delaney said.",
         "Farmers are being asked to deliver to the co-op's second site in Millers Ford until repairs are finished.",
     ]},
    {"key": "k07", "host": "krpl", "slug": "library-levy-harlan-bend-ballot", "date": "2026-10-18T08:50",
     "authors": ["Nadia Ferreira"], "tags": ["Elections", "Libraries"],
     "title": "What to know about the library levy on the Harlan Bend ballot",
     "image": ("The main branch of the Harlan Bend Public Library.", "Nadia Ferreira / KRPL"),
     "paragraphs": [
         "Voters in Harlan Bend will decide in November whether to renew a property tax levy that pays for about 40 percent of the public library's budget.",
         "The levy would cost the owner of a $200,000 home about $61 a year, the same as the current rate.",
         "Library director Consuelo Barrera said that without the renewal the library would close two of its four branches.",
         "No organized campaign has formed against the measure, though a taxpayer group has urged a shorter renewal period.",
     ]},
    {"key": "k08", "host": "krpl", "slug": "bridge-closure-fourth-street-repairs", "date": "2026-10-22T06:30",
     "authors": ["Nadia Ferreira", "Owen Thackeray"], "tags": ["Transportation"],
     "title": "Fourth Street bridge to close for three weeks of repairs",
     "image": ("Traffic crosses the Fourth Street bridge during the morning commute.", "Owen Thackeray / KRPL"),
     "paragraphs": [
         "The Fourth Street bridge over the Tessaly River will close to traffic for three weeks starting Monday while crews replace worn expansion joints.",
         "Drivers will be detoured to the Route 9 bridge, which city engineers say could add 15 minutes to rush-hour trips.",
         "\u201cIf you can leave ten minutes early, please do. If you can walk, even better,\u201d city engineer Howard Brisbane said.",
         "The pedestrian walkway will stay open except for two nights when crews pour concrete.",
     ]},
    {"key": "k09", "host": "krpl", "slug": "harvest-festival-volunteers-food-bank", "date": "2026-10-27T11:10",
     "authors": ["Owen Thackeray"], "tags": ["Community", "Food"],
     "title": "Harvest festival volunteers collect a record haul for the food bank",
     "image": ("Volunteers sort donated squash and potatoes at the food bank warehouse.", "Courtesy of Tessaly Valley Food Bank"),
     "paragraphs": [
         "Volunteers at last weekend's harvest festival collected more than 22,000 pounds of fresh produce for the Tessaly Valley Food Bank, the most in the event's history.",
         "Local farmers donated surplus squash, apples and potatoes, and festival-goers who brought canned goods got free admission.",
         "\u201cFresh food is the hardest thing for us to get, and families ask for it first,\u201d food bank director Miriam Estrada said.",
         "The food bank says demand has risen about 12 percent since last year.",
     ]},
    # --- WRPL Lakeshore Public Radio (Port Ellery) ---
    {"key": "w01", "host": "wrpl", "slug": "port-ellery-breakwater-repairs", "date": "2026-10-03T09:45",
     "authors": ["Maya Lindgren"], "tags": ["Port Ellery", "Lake"],
     "title": "Port Ellery will start breakwater repairs before winter storms",
     "image": ("Waves break over the damaged section of the Port Ellery breakwater.", "Maya Lindgren / WRPL"),
     "paragraphs": [
         "Contractors will begin repairing a damaged section of the Port Ellery breakwater next week, racing to finish before the lake's winter storm season.",
         "A storm in April knocked loose dozens of armor stones, leaving a gap that harbor staff say lets waves reach boats moored inside.",
         "\u201cWe have been lucky this summer. Luck is not a plan,\u201d harbor master Sven Aaltonen said.",
         "The $3.4 million project is paid for with state and federal harbor grants.",
     ]},
    {"key": "w02", "host": "wrpl", "slug": "lakeshore-district-teacher-contract", "date": "2026-10-08T19:20",
     "authors": ["Maya Lindgren"], "tags": ["Education"],
     "title": "Lakeshore teachers approve contract after months of talks",
     "image": ("Teachers rally outside the district office in September.", "Maya Lindgren / WRPL"),
     "paragraphs": [
         "Teachers in the Lakeshore Unified School District voted to approve a three-year contract on Wednesday, ending months of negotiations.",
         "The deal raises salaries by 11 percent over three years and caps class sizes at 26 students in kindergarten through third grade.",
         "\u201cThis contract is about keeping teachers here, in this town, for more than two years,\u201d union president Dolores Whitfield said.",
         "The school board is expected to ratify the agreement at its next meeting.",
     ]},
    {"key": "w03", "removed": 2, "host": "wrpl", "slug": "ferry-service-ends-season-early", "date": "2026-10-13T13:00",
     "authors": ["Maya Lindgren"], "tags": ["Transportation", "Lake"],
     "title": "Island ferry ends its season early after engine trouble",
     "image": ("The island ferry docked at the Port Ellery terminal.", "Maya Lindgren / WRPL"),
     "paragraphs": [
         "The ferry between Port Ellery and Hollis Island has ended its season two weeks early after one of its two engines failed an inspection.",
         "Island residents will rely on a smaller water taxi until the lake freezes, and then on the ice road when it is safe.",
         "\u201cWe stock up in October anyway. This year we are stocking up faster,\u201d island grocer Pauline Marchetti said.",
         "The ferry operator says the engine will be rebuilt over the winter.",
     ]},
    # Wire stories (NPR, re-published by WRPL).
    {"key": "w04", "host": "wrpl", "wire": True, "slug": "flood-maps-river-towns-commission", "date": "2026-10-03T14:10",
     "authors": ["Rosalind Achebe"], "tags": ["NPR News", "Floods"],
     "title": "River towns brace for higher insurance costs under new flood maps",
     "image": ("Floodwater surrounds a farmhouse after spring storms.", "Tomasz Reilly for NPR"),
     "paragraphs": [
         "Small towns along a Midwestern river are bracing for higher insurance bills after a regional commission expanded the areas it considers at high risk of flooding.",
         "Mayors in several towns say the new maps could make it harder to sell homes and to attract businesses to their downtowns.",
         SHARED_QUOTE,
         "Local officials plan to ask the commission for money to build levees and buy out the most flood-prone properties.",
     ]},
    {"key": "w05", "host": "wrpl", "wire": True, "slug": "heat-pumps-cold-climate-test", "date": "2026-10-15T06:00",
     "authors": ["Priya Natarajan"], "tags": ["NPR News", "Energy"],
     "title": "Heat pumps pass a cold-climate test in northern homes",
     "image": ("An outdoor heat pump unit sits in snow beside a house.", "Marcus Flint/NPR"),
     "paragraphs": [
         "A two-year study of homes in some of the coldest parts of the country found that modern heat pumps kept houses warm even when outdoor temperatures fell below zero.",
         "Researchers measured energy use in 120 homes and found that heating costs dropped for most families that switched from propane or oil.",
         "\u201cThe old idea that heat pumps quit in the cold does not hold up for newer models,\u201d lead researcher Tobias Lindahl said.",
         "The savings were smaller for homes that already heated with natural gas.",
     ]},
    {"key": "w06", "host": "wrpl", "wire": True, "slug": "bird-window-collisions-study", "date": "2026-10-21T10:30",
     "authors": ["Jonah Feldstein"], "tags": ["NPR News", "Wildlife"],
     "title": "Simple window markings cut bird collisions, researchers say",
     "image": ("A pattern of small dots on an office building's glass facade.", "Hanna Oberg for NPR"),
     "paragraphs": [
         "Small dots or lines spaced a few inches apart on glass can sharply reduce the number of birds that fly into windows, according to a new study.",
         "Researchers counted collisions at 40 buildings for two migration seasons and found a drop of about 80 percent after markings were added.",
         "\u201cBirds see the pattern as something solid. To us it looks like decoration,\u201d ornithologist Celeste Moreau said.",
         "Several cities now require bird-safe glass on new buildings.",
     ]},
    {"key": "w07", "host": "wrpl", "wire": True, "slug": "rural-broadband-grants-delays", "date": "2026-10-29T08:15",
     "authors": ["Priya Natarajan"], "tags": ["NPR News", "Technology"],
     "title": "Rural broadband projects wait on permits as grant deadlines near",
     "image": ("A crew lays fiber-optic cable along a gravel road.", "Samuel Okafor/NPR"),
     "paragraphs": [
         "Internet providers building fiber lines to rural homes say permit delays are putting federal grant deadlines at risk.",
         "Some projects need approval from several agencies to run cable along highways, rail lines and public land.",
         "\u201cWe have crews ready and cable on the truck. What we do not have is a signature,\u201d said cooperative manager Lyle Brennan.",
         "Federal officials say they are working with states to speed up reviews.",
     ]},
    # Epoch 2 additions.
    {"key": "k10", "host": "krpl", "since": 2, "slug": "snow-emergency-routes-updated", "date": "2026-11-05T16:00",
     "authors": ["Nadia Ferreira"], "tags": ["City Government", "Weather"],
     "title": "Harlan Bend updates its snow emergency routes ahead of winter",
     "image": ("A city plow truck parked at the public works garage.", "Nadia Ferreira / KRPL"),
     "paragraphs": [
         "Harlan Bend has added six streets to its list of snow emergency routes, where parking is banned once the city declares a snow emergency.",
         "The changes follow complaints last winter that plows could not reach parts of the hospital district.",
         "\u201cIf we cannot get a plow down the street, we cannot get an ambulance down it either,\u201d public works director Gail Osterman said.",
         "Residents can check the updated map on the city's website and sign up for text alerts.",
     ]},
    {"key": "w08", "host": "wrpl", "since": 2, "wire": True, "slug": "daylight-saving-sleep-study", "date": "2026-11-06T05:30",
     "authors": ["Jonah Feldstein"], "tags": ["NPR News", "Health"],
     "title": "The end of daylight saving time may be easier on sleep than the start",
     "image": ("An alarm clock on a nightstand in the early morning.", "Elena Marsh/NPR"),
     "paragraphs": [
         "Researchers who tracked sleep data from thousands of wearable devices say people adjust more quickly when clocks fall back in November than when they spring forward.",
         "Most participants returned to their usual sleep patterns within three days in the fall, compared with about a week in the spring.",
         "\u201cAn extra hour is a gift the body knows how to use,\u201d sleep researcher Anika Sorensen said.",
         "The researchers say morning light remains the best way to reset an internal clock.",
     ]},
]

# Second figures inside the article body (figure.Figure in a div.Enhancement), by story key.
INLINE_FIGURES = {
    "k02": ("Sandbags wait on pallets outside the Riverside Park shelter.", "Owen Thackeray / KRPL"),
    "k04": ("A transformer bank at the Pine Hollow substation before the upgrade.", "Courtesy of Tessaly Electric Cooperative"),
    "k08": ("Expansion joints on the bridge deck show years of wear.", "Nadia Ferreira / KRPL"),
    "w01": ("Loose armor stones at the end of the breakwater.", "Maya Lindgren / WRPL"),
    "w05": ("A technician checks refrigerant lines on a heat pump installation.", "Marcus Flint/NPR"),
}
