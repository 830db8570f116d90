"""Real-page tier: saved pages of the target families (../shared/corpus) and the seed
documents (../shared/seeds). The publishers' prose is read from ../shared at run time and
never copied here; without ../shared this tier skips."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from archive.extract import clean
from archive.extract.scoring import item_f1, leaks
from archive.extract.signatures import apply_signatures

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"

pytestmark = [pytest.mark.realpages,
              pytest.mark.skipif(not (CORPUS / "MANIFEST.json").is_file(), reason="real pages: ../shared not present")]


def _manifest() -> dict[str, dict]:
    if not (CORPUS / "MANIFEST.json").is_file():
        return {}
    return {p["id"]: p for p in json.loads((CORPUS / "MANIFEST.json").read_text())["pages"]}


PAGES = _manifest()


def _clean(page_id: str):
    page = PAGES[page_id]
    return clean((CORPUS / page["html"]).read_bytes(), page["url"])


@pytest.mark.parametrize("page_id", sorted(PAGES))
def test_real_family_page_has_its_profile_and_no_boilerplate_in_text(page_id):
    doc = _clean(page_id)
    family = PAGES[page_id]["family"].lower()
    expected = "pangea" if "pangea" in family else "stations" if "station" in family else "npr"
    assert doc.profile == expected
    assert leaks(doc.text) == []
    for image in doc.images:  # captions and credits live in images, never in the text
        for part in (image["caption"], image["credit"]):
            if part and len(part) > 20:
                assert part not in doc.text
    for bio in doc.author_bios:
        assert bio not in doc.text
    assert doc.page_type == ("listing" if "LISTING" in PAGES[page_id]["page_type"] else "article")


def test_polygraph_fact_check_matches_the_aeb_ground_truth():
    page = PAGES["aeb-polygraph-2019"]
    truth = next(iter(json.loads((CORPUS / page["ground_truth"]).read_text()).values()))["articleBody"]
    doc = _clean("aeb-polygraph-2019")
    assert item_f1(truth, doc.text) >= 0.99
    assert doc.layout == "pangea-2019"
    assert doc.published.startswith("2019-11-18")


def test_wcxb_npr_article_matches_its_ground_truth_with_and_without_snippets():
    page = PAGES["wcxb-npr-4560"]
    truth = json.loads((CORPUS / page["ground_truth"]).read_text())["ground_truth"]
    doc = _clean("wcxb-npr-4560")
    assert item_f1(truth["main_content"], doc.text) >= 0.99
    for snippet in truth["with"]:
        assert snippet in doc.text
    for snippet in truth["without"]:
        assert snippet not in doc.text
    assert doc.title == truth["title"] and doc.authors == [truth["author"]]
    assert doc.published.startswith(truth["publish_date"])


def test_npr_science_section_is_a_listing_not_an_article():
    doc = _clean("wcxb-npr-3011")
    assert (doc.page_type, doc.text) == ("listing", "")


@pytest.mark.parametrize("page_id", ["postlight-npr-2016", "postlight-npr-2022"])
def test_npr_expected_fields_from_postlight(page_id):
    expected = json.loads((CORPUS / "postlight__parser" / "expected-fields.json").read_text())
    doc = _clean(page_id)
    assert doc.title == expected["title"]
    assert doc.authors == [expected["author"]]
    assert doc.published == expected["date_published"].replace(".000Z", "Z")
    # Postlight's content starts with the lead photo's caption; our contract moves captions to
    # `images`, so its first words are the lead image's caption and the text starts after it.
    assert doc.images[0]["caption"].startswith(expected["content_first_13_words"])
    assert not doc.text.startswith(expected["content_first_13_words"])
    stem = expected["lead_image_url"].rsplit("/", 1)[1].split("_wide")[0]
    assert stem in doc.images[0]["src"]


def test_npr_2023_date_matches_htmldate_ground_truth():
    truth = json.loads((CORPUS / "adbar__htmldate" / "date-ground-truth.json").read_text())["npr.org-bombing.html"]
    assert _clean("htmldate-npr-2023").published.startswith(truth["date"])


def test_kpbs_body_is_captured_despite_custom_elements_and_promos_do_not_duplicate_it():
    doc = _clean("mediacloud-kpbs-2022-09-28")
    assert doc.layout and len(doc.paragraphs) >= 8
    assert len(set(doc.paragraphs)) == len(doc.paragraphs)
    assert doc.authors == ["Max Rivlin-Nadler"]
    assert len(doc.author_bios) == 1 and doc.author_bios[0].startswith("Max Rivlin-Nadler is")
    assert all(i["credit"] and i["caption"] for i in doc.images) and len(doc.images) >= 2
    assert not any(p.startswith(("Video:", "Listen", "RELATED")) for p in doc.paragraphs)


# -- seeds: naive extractions (text, no HTML) -------------------------------------------------
SEED_FILES = sorted(SEEDS.glob("*.expected.json")) if SEEDS.is_dir() else []


@pytest.mark.parametrize("expected_path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_signatures_on_seed_lines_remove_signature_boilerplate_and_keep_every_paragraph(expected_path):
    """The text-signature filter alone, on the seed's lines. It must keep every article
    paragraph, and remove every must-not string except those that only markup can place:
    captions, author names and bios (the expected images/authors/author_bios hold them,
    and the family container rules move them there on real pages)."""
    expected = json.loads(expected_path.read_text())
    lines = [line.strip() for line in (SEEDS / expected["seed"]).read_text().splitlines() if line.strip()]
    result = apply_signatures(lines)
    kept = "\n".join(result.kept)
    for paragraph in expected["text_paragraphs"]:
        assert paragraph in result.kept, paragraph[:60]
    structured = ({i["caption"] for i in expected["images"]} | {i["credit"] for i in expected["images"] if i["credit"]}
                  | set(expected["authors"]) | set(expected["author_bios"]))
    left = [s for s in expected["must_not_appear_in_text"] if s in kept]
    assert [s for s in left if s not in structured] == []
    assert result.rights == expected["rights"]
    assert len(result.removed) >= len(expected["must_not_appear_in_text"]) - len(left)


# -- Brightspot "ps-*" theme pages wherever ../shared holds them (issue 14) --------------------
WCXB = SHARED / "benchmarks" / "wcxb-dev-articles"
_THEME_MARKS = (b"ArticlePage-articleBody", b"ps-brightspot-persistent-player")


def _brightspot_pages() -> list[tuple[str, bytes, str, dict | None]]:
    """(id, html, url, WCXB ground truth or None) of every saved page in the ps-* theme."""
    pages = []
    for page_id, page in PAGES.items():
        data = (CORPUS / page["html"]).read_bytes()
        if any(m in data for m in _THEME_MARKS) and "LISTING" not in page["page_type"]:
            pages.append((page_id, data, page["url"], None))
    for truth_path in sorted((WCXB / "ground-truth").glob("*.json")) if WCXB.is_dir() else []:
        data = gzip.decompress((WCXB / "html" / f"{truth_path.stem}.html.gz").read_bytes())
        if any(m in data for m in _THEME_MARKS):
            item = json.loads(truth_path.read_text())
            pages.append((f"wcxb-{truth_path.stem}", data, item.get("url") or "", item["ground_truth"]))
    return pages


BRIGHTSPOT = _brightspot_pages() if CORPUS.is_dir() else []
IN_BODY_FURNITURE = ("div.Enhancement", "div.GoogleDfpAd", "ps-promo", "div.AudioEnhancement")


def _body_paragraphs_and_furniture(data: bytes) -> tuple[list[str], list[str]]:
    from archive.extract import parse_html
    from archive.extract.encoding import decode_html
    from archive.extract.metadata import norm
    from archive.extract.selectors import select
    tree = parse_html(decode_html(data))
    body = select(tree, "div.ArticlePage-articleBody")[0]
    furniture = [el for css in IN_BODY_FURNITURE for el in select(body, css)]
    inside = {d for el in furniture for d in el.iter()}
    paragraphs = [norm(p.text_content()) for p in body.iter("p") if p not in inside]
    return ([p for p in paragraphs if len(p) > 40 and not p.startswith("RELATED")],
            [norm(el.text_content()) for el in furniture if len(norm(el.text_content())) > 40])


@pytest.mark.skipif(not BRIGHTSPOT, reason="no Brightspot ps-* page in ../shared (corpus, WCXB dev set)")
@pytest.mark.parametrize("page_id,data,url,truth", BRIGHTSPOT, ids=[p[0] for p in BRIGHTSPOT])
def test_brightspot_page_keeps_every_body_paragraph_and_no_in_body_furniture(page_id, data, url, truth):
    doc = clean(data, url)
    assert (doc.profile, doc.page_type) == ("stations", "article")
    paragraphs, furniture = _body_paragraphs_and_furniture(data)
    assert paragraphs, "the body container holds the article (parser re-nesting checked)"
    for paragraph in paragraphs:
        assert paragraph in doc.text, paragraph[:60]
    for block in furniture:  # promos, players, ad slots between paragraphs
        assert block not in doc.text, block[:60]
    assert leaks(doc.text) == [] and "Advertisement" not in doc.paragraphs
    if truth is not None:
        assert item_f1(truth["main_content"], doc.text) >= 0.97
        assert [s for s in truth["without"] if s in doc.text] == []
