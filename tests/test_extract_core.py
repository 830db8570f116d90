"""archive.extract beyond the families: input handling, the document's renderings, text
signatures, learned per-host boilerplate, the generic fallback and the AEB scorer."""

from __future__ import annotations

import json

import pytest

from archive.extract import EXTRACTOR, EXTRACTOR_VERSION, CleanDocument, ExtractError, LearnedBoilerplate, clean
from archive.extract.encoding import decode_html
from archive.extract.profiles import load_profiles
from archive.extract.scoring import corpus_score, item_f1
from archive.extract.signatures import apply_signatures

ARTICLE = """<html lang="{lang}"><head><meta charset="{charset}"><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>{title}</h1>{paras}</article>
<footer>Contact us</footer></body></html>"""
PARAS = ["The harbour master said the new breakwater had already stopped two winter storms from flooding the quay.",
         "Fishermen who moor inside it said their insurance premiums had fallen for the first time in ten years.",
         "The council will decide next month whether to extend the wall by another eighty metres to the north."]


def generic_page(paras=PARAS, title="Breakwater works", lang="en", charset="utf-8", extra="") -> str:
    return ARTICLE.format(lang=lang, charset=charset, title=title,
                          paras="".join(f"<p>{p}</p>" for p in paras) + extra)


# -- input ------------------------------------------------------------------------------------
@pytest.mark.parametrize("data,kind", [(b"", "empty"), ("   \n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "unknown"),
                                       (b"PK\x03\x04 zip bytes", "unknown"), ("<html></html>", "unknown"),
                                       (bytes(range(256)) * 8, "unknown")])
def test_garbage_input_gives_an_empty_document_not_an_exception(data, kind):
    doc = clean(data, "https://example.com/x")
    assert (doc.text, doc.page_type) == ("", kind)


@pytest.mark.parametrize("value", [None, 42, ["<p>x</p>"], {"html": "x"}])
def test_impossible_input_types_raise_extract_error(value):
    with pytest.raises(ExtractError):
        clean(value, "https://example.com/x")


def test_bytes_in_a_legacy_charset_are_decoded_from_meta_then_guessed():
    russian = ["Жители трёх сёл на берегу реки остались без парома до самого ледостава, сообщили местные власти.",
               "Администрация района обещает организовать доставку продуктов и лекарств на лодках.",
               "Навигация на этом участке реки обычно заканчивается в середине ноября."]
    with_meta = generic_page(russian, title="Паром", lang="ru", charset="windows-1251").encode("cp1251")
    assert clean(with_meta, "https://example.ru/a").paragraphs == russian
    without_meta = with_meta.replace(b'<meta charset="windows-1251">', b"")
    assert "Жители" in decode_html(without_meta)


def test_bom_wins_over_a_wrong_meta_charset():
    data = "\ufeff".encode("utf-8") + generic_page(["Zürich café déjà vu " * 5], charset="iso-8859-1").encode("utf-8")
    assert "Zürich" in decode_html(data)


def test_xml_declaration_in_a_str_page_does_not_break_parsing():
    page = '<?xml version="1.0" encoding="utf-8"?>' + generic_page()
    assert clean(page, "https://example.com/a").paragraphs == PARAS


# -- the document -----------------------------------------------------------------------------
def test_article_after_a_template_closing_the_document_early_is_read():
    """A header template ending in `</body></html>`, the article after it: browsers show it."""
    page = generic_page().replace("<article>", "</body></html>\n<article>")
    assert clean(page, "https://example.com/a").paragraphs == PARAS


def test_document_renders_as_dict_text_and_markdown():
    doc = clean(generic_page(), "https://example.com/a")
    data = doc.to_dict()
    for key in ("url", "title", "text", "authors", "published", "modified", "language", "site", "page_type",
                "images", "author_bios", "rights", "profile", "rules_version", "extractor", "removed"):
        assert key in data
    json.dumps(data)
    assert data["profile"] == "generic" and data["extractor"] == EXTRACTOR
    assert EXTRACTOR.startswith(f"newsarchive-clean/{EXTRACTOR_VERSION} trafilatura/")
    assert doc.text == "\n\n".join(PARAS)
    assert doc.to_text().startswith("Breakwater works\n") and PARAS[-1] in doc.to_text()
    assert doc.to_markdown().startswith("# Breakwater works")


def test_markdown_carries_images_bios_and_rights():
    doc = CleanDocument(url="u", title="T", text="A.", images=[{"src": "i.jpg", "caption": "C", "credit": "K"}],
                        author_bios=["B."], rights="R.")
    md = doc.to_markdown()
    assert "![C (K)](i.jpg)" in md and "> B." in md and "_R._" in md


def test_generic_fallback_is_no_worse_than_the_page():
    doc = clean(generic_page(), "https://example.com/a")
    assert doc.page_type == "article" and doc.paragraphs == PARAS
    assert "Contact us" not in doc.text and doc.language == "en"


def _fast_mode_sees_only_a_teaser(monkeypatch) -> list[bool]:
    """trafilatura's fast mode picking a teaser box instead of the body (as on some WCXB pages)."""
    from archive.extract import generic
    real, calls = generic.trafilatura.bare_extraction, []

    def fake(tree, **options):
        calls.append(options["fast"])
        doc = real(tree, **options)
        if options["fast"] and doc is not None:
            doc.text = "\n".join(doc.text.split("\n")[:2])  # the headline and one paragraph
        return doc
    monkeypatch.setattr(generic.trafilatura, "bare_extraction", fake)
    return calls


def test_generic_path_reruns_in_full_mode_when_fast_mode_finds_a_fraction_of_the_prose(monkeypatch):
    calls = _fast_mode_sees_only_a_teaser(monkeypatch)
    doc = clean(generic_page(PARAS * 3), "https://example.com/a")
    assert calls == [True, False]
    assert doc.paragraphs == PARAS * 3


def test_generic_path_keeps_the_fast_result_when_it_holds_the_page_prose(monkeypatch):
    calls = _fast_mode_sees_only_a_teaser(monkeypatch)
    doc = clean(generic_page(PARAS[:1]), "https://example.com/a")
    assert calls == [True]
    assert doc.paragraphs == PARAS[:1]


DIV_PARAS = [f"Section {n} of the survey covers the {part} of the wall, the stone it uses and what it cost the town."
             for n, part in enumerate(("north end", "south end", "quay side", "sea side", "footings", "parapet", "slipway",
                                        "steps", "lamp posts", "mooring rings", "drains", "railings"))]


def _div_page() -> str:
    """A lead <p>, then the article in <div>s: the <p> share says nothing about what was missed."""
    body = "".join(f"<div>{p}</div>" for p in DIV_PARAS)
    return generic_page(PARAS[:1], extra=body)


def test_generic_path_reruns_in_full_mode_when_fast_mode_finds_a_fraction_of_the_page_text(monkeypatch):
    calls = _fast_mode_sees_only_a_teaser(monkeypatch)
    doc = clean(_div_page(), "https://example.com/a")
    assert calls == [True, False]
    assert doc.paragraphs == PARAS[:1] + DIV_PARAS


def test_generic_path_keeps_the_fast_result_when_full_mode_finds_another_box(monkeypatch):
    from archive.extract import generic
    real = generic.trafilatura.bare_extraction
    promo = [f"Offer {n}: free delivery on every order over forty pounds, this week only, in all our shops." for n in range(8)]

    def fake(tree, **options):
        doc = real(tree, **options)
        doc.text = "\n".join(doc.text.split("\n")[:2]) if options["fast"] else "\n".join(promo)
        return doc
    monkeypatch.setattr(generic.trafilatura, "bare_extraction", fake)
    doc = clean(_div_page(), "https://example.com/a")
    assert doc.paragraphs == PARAS[:1]


def test_generic_path_keeps_body_blocks_whose_class_says_teaser_or_that_sit_in_a_table():
    """favor_recall in fast mode: a standfirst styled as `teaser` and a list laid out in a table
    cell are article text (fast mode alone drops both)."""
    standfirst = "Work starts in spring, the council said, and will take two summers to finish."
    cell = "<table><tr><td><ul><li>Extend the wall north</li><li>Raise the quay</li></ul></td></tr></table>"
    doc = clean(generic_page(extra=f'<div class="teaser"><p>{standfirst}</p></div>{cell}'), "https://example.com/a")
    assert doc.paragraphs[:4] == PARAS + [standfirst]
    assert "Extend the wall north" in doc.text and "Raise the quay" in doc.text


def _trafilatura_drops(monkeypatch, *fragments: str) -> None:
    """trafilatura leaving out the lines that hold any of `fragments` (as it does with real
    paragraphs between boxes it judged on some WCXB pages)."""
    from archive.extract import generic
    real = generic.trafilatura.bare_extraction

    def fake(tree, **options):
        doc = real(tree, **options)
        if doc is not None:
            doc.text = "\n".join(line for line in doc.text.split("\n") if not any(f in line for f in fragments))
        return doc
    monkeypatch.setattr(generic.trafilatura, "bare_extraction", fake)


def test_generic_path_puts_back_a_prose_paragraph_trafilatura_dropped_from_its_container(monkeypatch):
    _trafilatura_drops(monkeypatch, "Fishermen")
    doc = clean(generic_page(), "https://example.com/a")
    assert doc.paragraphs == PARAS  # back in its place, between the two it sits between


@pytest.mark.parametrize("box", ['<div class="related-posts">{}</div>', "<aside>{}</aside>",
                                 '<div id="newsletter-box">{}</div>', "<ul><li>{}</li></ul>",
                                 '<a class="tile" href="/guide"><div>{}</div></a>'])  # a teaser card: all one link
def test_generic_path_does_not_put_back_paragraphs_from_chrome_boxes(monkeypatch, box):
    promo = "Readers who liked this story also read our long guide to the coastal path, with maps and tide tables."
    _trafilatura_drops(monkeypatch, "Readers who liked")
    doc = clean(generic_page(extra=box.format(f"<p>{promo}</p>")), "https://example.com/a")
    assert doc.paragraphs == PARAS


@pytest.mark.parametrize("para", [
    '<a href="/a">Read our long guide to the coastal path</a>, with <a href="/b">maps and tide tables for every bay</a>.',
    "Coastal path guide with maps and tide tables for every bay and harbour along the north shore",  # no sentence end
    "Short line, but a sentence."])
def test_generic_path_puts_back_only_sentence_like_paragraphs_with_few_links(monkeypatch, para):
    _trafilatura_drops(monkeypatch, "oastal path", "Short line")
    doc = clean(generic_page(PARAS + [para]), "https://example.com/a")
    assert doc.paragraphs == PARAS


def test_generic_path_does_not_put_back_what_trafilatura_kept_in_other_words(monkeypatch):
    from archive.extract import generic
    real = generic.trafilatura.bare_extraction

    def fake(tree, **options):  # trafilatura's line differs from the <p>'s text (spacing, a dropped word)
        doc = real(tree, **options)
        doc.text = doc.text.replace("already stopped", "stopped")
        return doc
    monkeypatch.setattr(generic.trafilatura, "bare_extraction", fake)
    doc = clean(generic_page(), "https://example.com/a")
    assert len(doc.paragraphs) == 3 and "already stopped" not in doc.text


def test_generic_path_drops_a_paragraph_that_is_mostly_a_link():
    link = '<p>Read more: <a href="/lifeboat">Lifeboat crew rescues two kayakers off the north shore</a></p>'
    page = generic_page().replace("<p>Fishermen", link + "<p>Fishermen")
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == PARAS


@pytest.mark.parametrize("box", ['<div class="entry-disclaimer">{}</div>', '<div class="cta-box">{}</div>',
                                 '<div class="wp-block-cta">{}</div>'])
def test_generic_path_drops_lines_of_a_box_named_as_chrome(box):
    line = "Our editors pick every product on their own, and we may earn a small fee when you buy through a link."
    doc = clean(generic_page(extra=box.format(f"<p>{line}</p>")), "https://example.com/a")
    assert doc.paragraphs == PARAS


def test_generic_path_drops_the_own_lines_of_a_chrome_box_that_repeats_the_article():
    """A republication modal holds a copy of the article and its own instructions: the copy does
    not make it the article's wrapper; its own lines go, the article's stay."""
    from archive.extract import generic, parse_html
    own = "Republish this story for free under our licence, crediting the Harbour Gazette and linking back."
    copy = "".join(f"<p>{p}</p>" for p in PARAS)
    modal = f'<div class="republish-modal"><p>{own}</p>{copy}</div>'
    tree = parse_html(generic_page().replace("<footer>", modal + "<footer>"))
    assert generic.drop_box_lines(tree, PARAS + [own]) == PARAS
    wrapper = parse_html(generic_page().replace("<article>", '<article class="post has-banner">'))
    assert generic.drop_box_lines(wrapper, PARAS) == PARAS  # no copy elsewhere: the box is the article


def test_generic_path_keeps_the_article_in_a_box_misnamed_as_chrome():
    """A box so named that holds most of the text is the article's wrapper (a theme's `has-banner`)."""
    page = generic_page().replace("<article>", '<article class="post has-banner">')
    assert clean(page, "https://example.com/a").paragraphs == PARAS


def _trafilatura_adds(monkeypatch, *lines: str) -> None:
    """trafilatura's result running on past the article (as on some WCXB pages)."""
    from archive.extract import generic
    real = generic.trafilatura.bare_extraction

    def fake(tree, **options):
        doc = real(tree, **options)
        doc.text = "\n".join([doc.text, *lines])
        return doc
    monkeypatch.setattr(generic.trafilatura, "bare_extraction", fake)


MORE = ["The ferry timetable changes on Monday, when the winter crossings start an hour later than now.",
        "Harbour Gazette is the independent voice of the north shore, read by thirty thousand homes a week."]


def test_generic_path_cuts_the_tail_that_starts_at_a_paragraph_from_outside_the_article(monkeypatch):
    _trafilatura_adds(monkeypatch, "Harbour works, part two", *MORE)  # MORE[1]: in no <p> of the page
    page = generic_page().replace("<footer>", f"<div class=\"more\"><p>{MORE[0]}</p></div><footer>")
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == PARAS + ["Harbour works, part two"]  # before the cut: nothing places that line


def test_generic_path_cuts_a_related_list_after_the_article(monkeypatch):
    items = ["Ferry timetable changes on Monday", "Lifeboat crew rescues two kayakers"]
    _trafilatura_adds(monkeypatch, "Most read", *(f"- {i}" for i in items))
    page = generic_page().replace("<footer>", "<div><h2>Most read</h2><ul>"
                                  + "".join(f'<li><a href="/{n}">{i}</a></li>' for n, i in enumerate(items))
                                  + "</ul></div><footer>")
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == PARAS


def test_generic_path_cuts_no_tail_when_the_container_holds_only_the_start_of_the_text(monkeypatch):
    """Past a paragraph from outside the container, more text than before it: the container
    held a part of the article (a lead box), and what follows is the article itself."""
    rest = [f"Part {n} of the harbour board's report lists the cost of every stretch of the wall, and who paid."
            for n in ("one", "two", "three", "four")]
    _trafilatura_adds(monkeypatch, MORE[0], *rest)  # the report's lines: in no <p> (a table, say)
    page = generic_page().replace("<footer>", f"<div><p>{MORE[0]}</p></div><footer>")
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == PARAS + [MORE[0]] + rest


def test_generic_path_keeps_a_list_after_the_article_whose_items_are_also_menu_entries():
    """A short list item after the last paragraph ("Brakes") that a menu outside the article reads
    too is the article's: the tail starts only at what the article does not hold itself."""
    menu = '<div class="menu"><ul><li><a href="/brakes">Brakes</a></li><li><a href="/tyres">Tyres</a></li></ul></div>'
    items = "<ul><li>Brakes</li><li>Tyres</li><li>Wiper blades</li></ul>"
    page = generic_page(extra=items).replace("<article>", menu + "<article>")
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == PARAS + ["- Brakes", "- Tyres", "- Wiper blades"]


def test_generic_path_puts_back_subheadings_trafilatura_dropped(monkeypatch):
    _trafilatura_drops(monkeypatch, "Who pays", "What changes")
    page = generic_page().replace(f"<p>{PARAS[2]}", f"<h2>Who pays</h2><p>{PARAS[2]}")
    page = page.replace("</article>", '<h3 id="changes">What changes <a href="#changes">#</a></h3>'
                        "<ul><li>Later winter crossings</li><li>A longer quay</li></ul></article>")
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == PARAS[:2] + ["Who pays", PARAS[2], "What changes #", "- Later winter crossings",
                                          "- A longer quay"]


def test_generic_path_puts_back_prose_laid_out_in_divs(monkeypatch):
    """Article text in <div>s with no <p> (a page builder's text blocks) that trafilatura
    dropped comes back in place, when it runs on from a kept line."""
    more = "Divers will inspect the foundations every spring, and the harbour board will publish what they find."
    _trafilatura_drops(monkeypatch, "Divers will inspect")
    page = generic_page().replace(f"<p>{PARAS[2]}", f"<div><span>{more}</span></div><p>{PARAS[2]}")
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == PARAS[:2] + [more, PARAS[2]]


@pytest.mark.parametrize("block", [
    '<div class="box"><div>{}</div></div>',  # in a box of its own: it follows no kept line
    '<div>{}<p>Tell us.</p></div>',  # it holds a block: its text is the blocks'
    '<div><a href="/terms">{}</a></div>',  # a link
])
def test_generic_path_does_not_put_back_other_text_divs(monkeypatch, block):
    legal = "By signing up you agree to receive our offers by email, and you may leave the list at any time."
    _trafilatura_drops(monkeypatch, "By signing up", "Tell us")
    page = generic_page().replace(f"<p>{PARAS[2]}", block.format(legal) + f"<p>{PARAS[2]}")
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == PARAS


@pytest.mark.parametrize("block,gone", [
    ("<h3>Ferry times</h3><p>Sign up.</p>", "Ferry times"),  # what it heads is not kept
    ('<div class="related-links"><h3>Ferry times</h3></div>', "Ferry times"),  # in a chrome box
    ('<h3><a href="/ferry">Ferry times this winter</a></h3>', "Ferry times"),  # a link
    ('<a href="/ferry"><div><h3>Ferry times</h3></div></a>', "Ferry times"),  # a teaser card's title
    ("<h3>Ferry times</h3><h3>Lifeboat news</h3>", "Ferry times"),  # a run of headings (the second one kept)
])
def test_generic_path_does_not_put_back_other_headings(monkeypatch, block, gone):
    _trafilatura_drops(monkeypatch, "Ferry times", "Sign up")
    page = generic_page().replace(f"<p>{PARAS[2]}", block + f"<p>{PARAS[2]}")
    doc = clean(page, "https://example.com/a")
    assert gone not in doc.text and all(p in doc.paragraphs for p in PARAS)


@pytest.mark.parametrize("box", ['<section class="post-faq">{}</section>', '<div id="accordion-1">{}</div>',
                                 '<div class="Accordion_item__x1"><div class="Accordion_body">{}</div></div>'])
def test_generic_path_keeps_a_question_and_answer_box_after_the_article(monkeypatch, box):
    """Questions and answers about the article's subject (an FAQ, an accordion of them) follow the
    article outside its container; they are article text, not the page's tail."""
    answers = ["The wall stops the swell before it reaches the moorings, so boats no longer break loose."]
    _trafilatura_adds(monkeypatch, *answers)
    page = generic_page().replace("<footer>", box.format("".join(f"<h3>Why?</h3><p>{a}</p>" for a in answers))
                                  + "<footer>")
    assert clean(page, "https://example.com/a").paragraphs == PARAS + answers


def test_generic_path_still_cuts_a_tail_from_a_box_not_named_as_questions(monkeypatch):
    """The same tail in a box whose name says nothing of questions is cut as before."""
    answers = ["The wall stops the swell before it reaches the moorings, so boats no longer break loose."]
    _trafilatura_adds(monkeypatch, *answers)
    page = generic_page().replace("<footer>", f'<div class="more-stories"><p>{answers[0]}</p></div><footer>')
    assert clean(page, "https://example.com/a").paragraphs == PARAS


def test_generic_path_sees_script_free_text_with_tails_kept():
    """Scripts, styles and named chrome go before trafilatura runs; the text around them stays,
    and C0 control characters become spaces (an lxml tree cannot hold them)."""
    page = generic_page().replace("Fishermen who moor", "Fishermen<script>var x = 1;</script> who\x01moor")
    page = page.replace("<article>", '<article><div class="skip-link">Skip to content</div>')
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == PARAS and "Skip to content" not in doc.text and "var x" not in doc.text


def test_parsed_tree_elements_are_lxml_html_elements():
    """The parser's element lookup is set inside libxml2 for speed: every element still has
    lxml.html's methods (trafilatura calls text_content())."""
    from lxml import html as lxml_html
    from archive.extract import parse_html
    tree = parse_html('<html><body><form><input value="1"><p>Tide <b>tables</b></p></form></body></html>')
    assert all(isinstance(el, lxml_html.HtmlElement) for el in tree.iter())
    assert tree.find(".//p").text_content() == "Tide tables"


def test_generic_path_keeps_a_leading_paragraph_from_outside_the_article(monkeypatch):
    standfirst = "A wall of granite blocks now shelters the quay, and the town is counting what it saved."
    from archive.extract import generic
    real = generic.trafilatura.bare_extraction

    def fake(tree, **options):
        doc = real(tree, **options)
        headline, *rest = doc.text.split("\n")
        doc.text = "\n".join([headline, standfirst, *rest])
        return doc
    monkeypatch.setattr(generic.trafilatura, "bare_extraction", fake)
    page = generic_page().replace("<article>", f"<div class=\"standfirst\"><p>{standfirst}</p></div><article>")
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == [standfirst] + PARAS


@pytest.mark.parametrize("first", ["Breakwater works", "Breakwater Works", "Breakwater works | Harbour Gazette"])
def test_generic_headline_line_is_metadata_even_when_worded_like_the_site_title(first):
    page = generic_page().replace("<title>Breakwater works</title>", "<title>Breakwater works | Harbour Gazette</title>")
    page = page.replace("<h1>Breakwater works</h1>", f"<h2>{first}</h2>")
    doc = clean(page, "https://example.com/a")
    assert doc.paragraphs == PARAS


@pytest.mark.parametrize("line", ["Dec 18, 2025 · 6 min read", "By Ann Lee | 2 May 2025", "Updated 2025-12-18"])
def test_generic_byline_and_date_lines_before_the_first_paragraph_are_metadata(line):
    page = generic_page().replace("</h1>", f"</h1><p>{line}</p>")
    assert clean(page, "https://example.com/a").paragraphs == PARAS


@pytest.mark.parametrize("where,line", [
    ("after", "Dec 18, 2025 · 6 min read"),  # past the first paragraph: text
    ("before", "By the spring of 2026 the wall will be finished"),  # a sentence, not a byline
    ("before", "Harbour works, part two")])  # no date, no byline
def test_generic_short_lines_that_are_not_a_leading_byline_or_date_stay(where, line):
    page = generic_page().replace("</h1>" if where == "before" else f"<p>{PARAS[1]}", f"</h1><p>{line}</p>"
                                  if where == "before" else f"<p>{line}</p><p>{PARAS[1]}")
    paras = clean(page, "https://example.com/a").paragraphs
    assert line in paras and all(p in paras for p in PARAS)


def test_generic_first_line_sharing_some_title_words_is_kept():
    line = "Breakwater works began in March after the council found the money for the first stretch of wall."
    doc = clean(generic_page([line] + PARAS), "https://example.com/a")
    assert doc.paragraphs == [line] + PARAS


# -- signatures -------------------------------------------------------------------------------
def test_donation_prompt_is_recognised_for_any_station_name():
    lines = ["WXYZ Community Radio is nonprofit and independent. We rely on listeners like you.",
             "KQRS is nonprofit and independent. Your support makes this news available to everyone.",
             "Give today. A monthly donation of $5 makes a real difference.", PARAS[0]]
    assert apply_signatures(lines).kept == [PARAS[0]]


def test_undesirable_notice_and_its_following_lines_go_in_other_languages_too():
    lines = [PARAS[0], "Радио Свобода признано «нежелательной организацией» российскими властями.",
             "Если вы находитесь в России, вам может грозить штраф.", "Подробнее.", ]
    assert apply_signatures(lines).kept == [PARAS[0]]


def test_a_news_paragraph_about_undesirable_organizations_is_kept():
    story = ("Prosecutors said on Monday that they had opened cases against three more groups under the law on "
             "undesirable organizations, which critics say is used to silence independent media and charities "
             "across the country, and that further designations were expected before the end of the year.")
    assert apply_signatures([story]).kept == [story]


def test_npr_syndication_line_becomes_rights():
    result = apply_signatures([PARAS[0], "Copyright 2021 NPR. To see more, visit https://www.npr.org."])
    assert result.kept == [PARAS[0]] and result.rights == "Copyright 2021 NPR. To see more, visit https://www.npr.org."


def test_caption_buttons_and_related_lines_are_dropped_or_stripped():
    result = apply_signatures(["toggle caption", "hide caption", "Enlarge this image", "16x9 Image",
                               "RELATED: Something else entirely", "Enlarge this image " + PARAS[1]])
    assert result.kept == [PARAS[1]]


# -- learned boilerplate ----------------------------------------------------------------------
PROMO = "Our reporters cover the valley every day. Tell us what is happening in your town."


def test_block_repeated_on_many_pages_of_one_host_is_learned_and_stripped():
    learned = LearnedBoilerplate(min_pages=5, min_share=0.3)
    for i in range(6):
        learned.observe("www.valley.example", f"https://www.valley.example/a/{i}", [f"Story {i} " * 10, PROMO])
    assert learned.blocks_for("valley.example") == {PROMO}
    page = generic_page(PARAS + [PROMO])
    plain = clean(page, "https://www.valley.example/a/99")
    stripped = clean(page, "https://www.valley.example/a/99", learned=learned)
    assert PROMO in plain.text and PROMO not in stripped.text
    assert stripped.paragraphs == PARAS and stripped.removed == plain.removed + 1


def test_block_shared_by_two_hosts_but_not_repeated_within_one_is_content():
    statement = ("The ministry said in a written statement that the pipeline would be inspected again in spring "
                 "and that no leak had been found.")
    learned = LearnedBoilerplate(min_pages=2, min_share=0.3)
    for host in ("one.example", "two.example"):
        learned.observe(host, f"https://{host}/story", [statement, f"Local angle for {host} " * 5])
        for i in range(4):
            learned.observe(host, f"https://{host}/other/{i}", [f"Other story {i} on {host} " * 5])
    assert learned.blocks_for("one.example") == set() and learned.blocks_for("two.example") == set()
    doc = clean(generic_page(PARAS + [statement]), "https://one.example/story", learned=learned)
    assert statement in doc.text


def test_learned_thresholds_need_both_page_count_and_share_and_ignore_short_blocks():
    learned = LearnedBoilerplate(min_pages=5, min_share=0.3)
    for i in range(20):
        blocks = [f"Unique story text number {i} " * 4, "Share"]
        if i < 5:
            blocks.append(PROMO)  # 5 of 20 pages: share 0.25 < 0.3
        learned.observe("h.example", f"https://h.example/{i}", blocks)
    assert learned.blocks_for("h.example") == set()


def test_learned_counts_a_page_once_and_survives_json():
    learned = LearnedBoilerplate(min_pages=2, min_share=0.5)
    learned.observe("h.example", "https://h.example/1", [PROMO])
    learned.observe("h.example", "https://h.example/1", [PROMO])
    assert learned.blocks_for("h.example") == set()
    learned.observe("h.example", "https://h.example/2", [PROMO + "  "])
    again = LearnedBoilerplate.from_json(learned.to_json())
    assert again.blocks_for("h.example") == {PROMO} and again.pages_seen("h.example") == 2


# -- profiles and scoring ---------------------------------------------------------------------
def test_profiles_load_from_settings_sites_with_dated_layout_versions():
    profiles = {p.name: p for p in load_profiles()}
    assert {"pangea", "npr", "stations"} <= profiles.keys()
    npr = profiles["npr"]
    assert [layout.name for layout in npr.layouts][:2] == ["npr-2022", "npr-2016"]
    assert npr.layouts[1].meta["published"][0] == "meta:date"  # the version's own metadata order
    assert npr.layouts[0].body == npr.layouts[1].body  # inherited from the family


def test_scorer_follows_the_aeb_method():
    truth = "one two three four five six"
    assert item_f1(truth, truth) == 1.0
    assert item_f1(truth, "") == 0.0
    half = corpus_score([(truth, truth), (truth, "nothing like it at all")])
    assert half.precision == pytest.approx(0.5) and half.recall == pytest.approx(0.5)
    assert item_f1("short text", "short text") == 1.0
