"""The same story across outlets, in the replica: member stations re-publishing NPR stories,
and a statement quoted word for word by an RFE/RL-style article and an NPR-style article.

Ground truth for `archive related` / `archive quote`: every copy's `Article.copy_of` is the
URL of the NPR story it reproduces; `SHARED_STATEMENTS` lists each quoted statement with
the stories that print it. All prose is written for the replica.

A station copy (`COPIES`) is built from its NPR story: the same title, byline, photo and
paragraphs, cut to `trim` paragraphs or followed by a `local` paragraph, inside the station
template (player, donation prompt, footer). How it signals its origin varies, as on real
station sites: the NPR syndication line (`wire`: under /npr-news/), a rel=canonical to the
NPR page (`canonical`), a JSON-LD isBasedOn (`based_on`), or nothing at all (then the
earliest copy is the origin).
"""

from __future__ import annotations

from . import prose_npr
from .prose_npr import SHARED_QUOTE

GLACIER_STATEMENT = ("\u201cThe glaciers of the range lost more ice in the past twelve months than in any year since "
                     "our measurements began, and the losses now outrun every projection we published a decade "
                     "ago,\u201d the Alatau Glacier Observatory said in a statement released on Thursday.")

PANGEA_STORIES = [
    {"key": "p19", "id": 33168590, "slug": "kyrgyzstan-glacier-observatory-record-melt", "date": "2026-10-23T06:15",
     "section": "Kyrgyzstan", "dateline": "BISHKEK --", "authors": ["Dana Kerimova"],
     "tags": ["Kyrgyzstan", "Climate", "Water"],
     "title": "Kyrgyz Glaciers Shrink At Record Pace, Observatory Says",
     "image": "A meltwater stream runs below a glacier tongue in the Ala-Too range in September.",
     "paragraphs": [
         "Glaciers feeding the rivers of northern Kyrgyzstan shrank faster this year than at any time since monitoring began in the 1950s, scientists reported on October 22.",
         GLACIER_STATEMENT,
         "Farmers in the Chui valley depend on summer meltwater to irrigate wheat and sugar beet, and local officials say canal schedules may have to be cut back within a few years.",
         "The observatory runs eleven stakes and two automatic weather stations on the ice, some of them reachable only on foot in late summer.",
         "Researchers plan to present the full data set at a regional water conference in Almaty next month.",
     ]},
]

NPR_STORIES = [
    {"key": "n18", "id": 1260253318, "slug": "central-asia-glaciers-melt-record", "date": "2026-10-25T07:30",
     "section": "Climate", "authors": ["Jonah Feldstein"], "tags": ["Climate", "Glaciers"],
     "title": "Central Asia's glaciers had their worst year on record, and farmers downstream are worried",
     "image": ("A researcher drills a measuring stake into glacier ice.", "Courtesy of Alatau Glacier Observatory"),
     "paragraphs": [
         "High in the mountains of Central Asia, a small team of scientists has spent decades measuring how much ice the glaciers lose each summer. This year, the answer was more than ever.",
         GLACIER_STATEMENT,
         "Millions of people in the region's lowland cities and farm towns drink and irrigate with water that starts as snow and ice in those mountains.",
         "\u201cWe are spending the glaciers' savings account,\u201d said hydrologist Aigerim Bekova, who was not involved in the measurements. \u201cFor a while that looks like extra water. Then it is gone.\u201d",
         "Scientists elsewhere say the findings match satellite surveys showing ice loss across the high mountains of Asia.",
     ]},
]

# Station copies of NPR stories (station key, NPR key, how it signals the origin, edits).
COPIES = [
    {"key": "k11", "host": "krpl", "copy_of": "n06", "wire": True, "date": "2026-10-13T08:00",
     "local": "Volunteers with the Tessaly County Master Gardeners say they tagged 212 monarchs at the Riverside Park prairie plot this fall, up from 90 last year."},
    {"key": "w09", "host": "wrpl", "copy_of": "n06", "wire": True, "canonical": True, "date": "2026-10-12T15:00",
     "trim": 3},
    {"key": "k12", "host": "krpl", "copy_of": "n10", "wire": True, "date": "2026-10-20T18:00", "trim": 4,
     "local": "In Tessaly County, where most rural homes rely on private wells, the health department says it has not seen wells go dry but is asking residents to report falling water pressure."},
    {"key": "w10", "host": "wrpl", "copy_of": "n14", "based_on": True,
     "date": "2026-10-28T20:00"},
    {"key": "w11", "host": "wrpl", "copy_of": "n13", "date": "2026-10-27T07:00"},
]

# Each statement, with the story keys that print it (first appearance first).
SHARED_STATEMENTS = [(SHARED_QUOTE, ["n01", "w04"]), (GLACIER_STATEMENT, ["p19", "n18"])]


def _npr(key: str) -> dict:
    return next(s for s in prose_npr.STORIES + NPR_STORIES if s["key"] == key)


def npr_url(key: str) -> str:
    from .model import NPR

    story = _npr(key)
    return f"http://{NPR}/{story['date'][:10].replace('-', '/')}/{story['id']}/{story['slug']}"


def station_copies() -> list[dict]:
    """The station stories of `COPIES`, in the shape of `prose_stations.STORIES`."""
    out = []
    for copy in COPIES:
        source = _npr(copy["copy_of"])
        paragraphs = list(source["paragraphs"])[:copy.get("trim")]
        if copy.get("local"):
            paragraphs.append(copy["local"])
        story = {k: v for k, v in copy.items() if k not in ("trim", "local")}
        story.update(slug=source["slug"], authors=list(source["authors"]), title=source["title"],
                     image=source["image"], tags=["NPR News", *source["tags"]], paragraphs=paragraphs,
                     origin_url=npr_url(copy["copy_of"]))
        out.append(story)
    return out
