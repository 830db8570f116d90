"""Golden tests per site family and per layout era, on small hand-written pages in each
family's real markup (our own prose). Exact paragraphs, images with caption and credit,
authors, bios, rights, page type, and no boilerplate string in the text."""

from __future__ import annotations

import pytest

from archive.extract import clean, select_profile
from archive.extract.scoring import KNOWN_BOILERPLATE, leaks

P1 = "TIRASPOL, Moldova -- Ferry operators on the lower river said on Tuesday that the autumn timetable would start a week early."
P2 = "Dock workers said the new pontoon could carry four lorries at a time, twice as many as the old one."
P3 = "Officials promised to publish the full schedule before the first frost."

ACCESSIBILITY = """<section><div class="sr-only"><h2>Accessibility links</h2><ul>
<li><a href="#content">Skip to main content</a></li><li><a href="#navigation">Skip to main Navigation</a></li>
<li><a href="#txtHeaderSearch">Skip to Search</a></li></ul></div></section>"""
PANGEA_CHROME = """<aside><div class="c-lightbox overlay-modal"><div class="content-advisory__box"></div></div>
<div class="print-dialogue"><h3>Print Options:</h3></div><div class="ctc-message">Link has been copied to clipboard</div></aside>"""
BREAKING = """<div class="c-hlights c-hlights--breaking c-hlights--no-item"><span class="c-hlights__label">Breaking News</span></div>"""
NOTICE = """<div class="notice"><p>RFE/RL has been declared an "undesirable organization" by the Russian government.</p>
<p>Readers in Russia could face fines or imprisonment for sharing our content.</p><p><a href="/p/1.html">Read more.</a></p></div>"""
SIDEBAR = """<div class="col-md-4"><div class="media-block-wrap"><h2 class="section-head">Related</h2><ul><li><a href="/a/2.html">Another river story</a></li></ul></div>
<div class="region"><div class="most-popular"><h2>Most popular</h2><h3>Most Viewed</h3></div></div></div>
<footer><div id="foot"><span>Follow Us</span><p class="copyright">&copy; 2024 RFE/RL, Inc.</p></div></footer>"""


def pangea_page(header: str, body_class: str = "pg-article", dateline_outside: bool = False) -> str:
    first = (f'<span class="dateline">TIRASPOL, Moldova --</span><p>{P1.split(" -- ", 1)[1]}</p>' if dateline_outside
             else f'<p><span class="dateline">TIRASPOL, Moldova --</span> {P1.split(" -- ", 1)[1]}</p>')
    return f"""<!DOCTYPE html><html lang="en" class="no-js"><head><meta charset="utf-8"><title>Ferry | RFE/RL</title>
<link href="/Content/responsive/RFE/en-US/RFE-en-US.css" rel="stylesheet">
<meta property="og:site_name" content="RadioFreeEurope/RadioLiberty"></head>
<body class="{body_class}"><script>var utag_data={{"byline":"Ana Lungu","pub_year":"2024","pub_month":"3","pub_day":"5","section":"moldova"}};</script>
{ACCESSIBILITY}<div id="page">{PANGEA_CHROME}{header}{BREAKING}
<div id="content"><div class="container"><div class="hdr-container">
<div class="col-title"><h1 class="pg-title">Lower River Ferry Starts Autumn Timetable Early</h1></div>
<div class="col-publishing-details"><span class="date"><time pubdate="pubdate" datetime="2024-03-05T09:15:00+01:00">March 5, 2024</time></span>
<div class="links"><ul><li class="links__item">By <a class="links__item-link" href="/author/a">Ana Lungu</a></li></ul></div></div>
<div class="col-multimedia"><figure class="media-image"><div class="thumb thumb16_9"><img src="/img/ferry_w800.jpg" alt="The old pontoon at dawn."></div>
<figcaption><span class="caption">The old pontoon at dawn.</span></figcaption></figure></div>
<div class="article-share"><aside class="share"><a class="btn-print">Print</a></aside></div></div>
<div id="article-content" class="content-floated-wrap"><div class="wsw">{first}
<div class="wsw__embed"><figure class="media-image"><img src="/img/pontoon_w800.jpg" alt="The new pontoon."><figcaption><span class="caption">The new pontoon.</span></figcaption></figure></div>
<p>{P2}</p><div class="wsw__embed mediaReplacer externalMedia">renderExternalContent("https://example.org/embed")</div><p>{P3}</p></div></div>
<div class="c-author-cards"><ul><li class="author-card"><img src="/img/ph.jpg" alt="16x9 Image"><div class="author-card__body">
<a class="author-card__name" href="/author/a">Ana Lungu</a><p class="author-card__bio">Ana Lungu writes about transport and towns along the Dniester.</p></div></li></ul></div>
{NOTICE}</div>{SIDEBAR}</div></div></body></html>"""


HDR_2024 = '<div class="hdr-20 hdr-20--big"><nav id="navigation"><a href="/z/1">News</a></nav></div>'
HDR_2019 = '<div class="hdr"><nav id="navigation"><a href="/z/1">News</a><a>Search</a></nav></div>'


def assert_clean_text(doc, extra=()) -> None:
    assert leaks(doc.text) == []
    for text in extra:
        assert text not in doc.text


@pytest.mark.parametrize("header,layout", [(HDR_2024, "pangea-2020"), (HDR_2019, "pangea-2019")])
def test_pangea_article_golden_per_layout_era(header, layout):
    doc = clean(pangea_page(header), "https://www.rferl.org/a/ferry/33000001.html")
    assert (doc.profile, doc.layout, doc.page_type) == ("pangea", layout, "article")
    assert doc.paragraphs == [P1, P2, P3]
    assert doc.title == "Lower River Ferry Starts Autumn Timetable Early"
    assert doc.authors == ["Ana Lungu"]
    assert doc.author_bios == ["Ana Lungu writes about transport and towns along the Dniester."]
    assert doc.published == "2024-03-05T08:15:00Z"
    assert doc.images == [
        {"src": "https://www.rferl.org/img/ferry_w800.jpg", "caption": "The old pontoon at dawn.", "credit": None},
        {"src": "https://www.rferl.org/img/pontoon_w800.jpg", "caption": "The new pontoon.", "credit": None}]
    assert doc.rights is None
    assert_clean_text(doc, ["The old pontoon", "Ana Lungu writes", "Follow Us", "Related", "fines"])
    assert doc.removed > 0


def test_pangea_dateline_outside_its_paragraph_joins_the_first_paragraph():
    doc = clean(pangea_page(HDR_2024, dateline_outside=True), "https://www.rferl.org/a/ferry/33000001.html")
    assert doc.paragraphs[0] == P1


def test_pangea_language_service_on_unknown_host_is_selected_by_markers():
    doc = clean(pangea_page(HDR_2024), "https://www.new-service.example/a/33000001.html")
    assert doc.profile == "pangea"
    assert doc.paragraphs == [P1, P2, P3]


def test_pangea_fact_check_body_is_the_article_not_the_statement_or_verdict():
    page = pangea_page(HDR_2024, body_class="pg-fc").replace(
        '<div id="article-content"',
        '<div class="fc__body"><div class="statement"><div class="statement-content"><div class="wsw">'
        '<p>"The ferry has been sold abroad."</p></div></div></div><div class="verdict"><div class="title">'
        '<span>False</span><div class="intro">Port records show it moored at home.</div></div></div></div>'
        '<div id="article-content"')
    doc = clean(page, "https://www.polygraph.info/a/ferry/33000002.html")
    assert doc.page_type == "article"
    assert doc.paragraphs == [P1, P2, P3]
    assert "sold abroad" not in doc.text and "False" not in doc.text


def test_pangea_programme_page_is_not_an_article():
    doc = clean(pangea_page(HDR_2024, body_class="pg-media pg-prog"), "https://www.rferl.org/z/20771")
    assert doc.page_type == "programme"
    assert doc.text == ""


# -- npr.org ----------------------------------------------------------------------------------
N1 = "A county planning board voted late Monday to let a solar farm lease 300 acres of former orchard land."
N2 = "Supporters said the lease payments would keep two family farms afloat through the next decade."
T1 = "HOST: Good morning. We start today in an orchard that is about to grow panels instead of apples."
T2 = "REPORTER: The vote was four to three, and the room was full."

NPR_IMAGE = """<div class="bucketwrap image large"><div class="imagewrap"><img src="https://media.npr.org/assets/img/orchard.jpg" class="img" alt="Rows of trees.">
<div class="enlarge-options"><a class="enlargelink">Enlarge this image</a></div></div>
<div class="credit-caption"><div class="caption-wrap"><div class="caption" aria-label="Image caption"><p>Rows of apple trees on the leased land.
<b class="credit">Jo Park for NPR</b> <b class="hide-caption"><b>hide caption</b></b></p></div><b class="toggle-caption"><b>toggle caption</b></b></div>
<span class="credit">Jo Park for NPR</span></div><div class="enlarge_measure"></div>
<div class="enlarge_html"><div class="image_data"><p class="caption">Rows of apple trees on the leased land.</p><span class="credit">Jo Park for NPR</span></div></div></div>"""


def npr_page(era: str, transcript: bool = False, template: str = "tmplNewsStory") -> str:
    header = ('<div class="global-navigation-wrap"><nav>News Arts &amp; Life Music</nav></div>' if era == "2016" else
              '<header id="globalheader" class="npr-header"><nav class="navigation"><button>Open Navigation Menu</button>'
              '<a>Newsletters</a><a>NPR Shop</a><a>Donate</a></nav></header>'
              '<div id="npr-player"><b>On Air Now</b><button>Listen Live</button></div>')
    jsonld = ('' if era == "2016" else '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Orchard turns solar",'
              '"datePublished":"2023-06-02T09:00:00-04:00","author":{"@type":"Person","name":"Jo Park"}}</script>')
    tx = (f'<div class="transcript storytext"><p>{T1}</p><p>{T2}</p><p class="disclaimer">Copyright &copy; 2023 NPR. All rights reserved. '
          'Visit our website terms of use and permissions pages for further information.</p>'
          '<p class="disclaimer">Accuracy and availability of NPR transcripts may vary.</p></div>') if transcript else ""
    return f"""<html lang="en"><head><meta name="date" content="2016-05-04">{jsonld}<link rel="icon" href="https://media.npr.org/favicon.ico"></head>
<body id="news" class="news {template}"><div class="skip-links"><span>Accessibility links</span><a class="skiplink">Skip to main content</a>
<a class="skiplink">Keyboard shortcuts for audio player</a></div>{header}
<header class="contentheader"><b class="branding__mini-teaser">Energy &mdash; News From NPR</b></header>
<article class="story"><div class="storytitle"><h1>Orchard turns solar</h1></div>
<div id="story-meta"><time datetime="2016-05-04T10:00:00-04:00">May 4, 2016</time><div id="storybyline"><p class="byline__name"><a>Jo Park</a></p></div></div>
<div id="storytext" class="storytext">{NPR_IMAGE}<p>{N1}</p>
<div class="bucketwrap internallink insettwocolumn"><h3>Related</h3><a>A different story</a></div>
<aside class="ad-wrap"><div class="ad-header">Sponsor Message</div></aside><p>{N2}</p>
<div class="bucketwrap resaudio"><div class="audio-module"><b>Listen</b> 3:10</div></div></div>{tx}
<div class="tags"><a>Energy</a></div></article>
<div id="main-sidebar"><aside id="ad-standard-wrap"><p>NPR thanks our sponsors</p><a>Become an NPR sponsor</a></aside></div>
<footer id="npr-footer">Read &amp; Listen</footer></body></html>"""


@pytest.mark.parametrize("era,layout,published", [("2016", "npr-2016", "2016-05-04"),
                                                  ("2023", "npr-2022", "2023-06-02T13:00:00Z")])
def test_npr_story_golden_per_layout_era(era, layout, published):
    doc = clean(npr_page(era), "https://www.npr.org/2023/06/02/1180000000/orchard-solar")
    assert (doc.profile, doc.layout, doc.page_type) == ("npr", layout, "article")
    assert doc.paragraphs == [N1, N2]
    assert doc.images == [{"src": "https://media.npr.org/assets/img/orchard.jpg",
                           "caption": "Rows of apple trees on the leased land.", "credit": "Jo Park for NPR"}]
    assert doc.title == "Orchard turns solar"
    assert doc.authors == ["Jo Park"]
    assert doc.published == published
    assert_clean_text(doc, ["Rows of apple trees", "A different story", "Jo Park for NPR"])


def test_npr_transcript_is_body_and_its_disclaimers_are_not():
    doc = clean(npr_page("2023", transcript=True), "https://www.npr.org/2023/06/02/1180000000/orchard-solar")
    assert doc.paragraphs == [N1, N2, T1, T2]
    assert_clean_text(doc, ["All rights reserved"])


def test_npr_listing_template_is_a_listing():
    doc = clean(npr_page("2023", template="tmplAggNews"), "https://www.npr.org/sections/science/")
    assert (doc.page_type, doc.text) == ("listing", "")


# -- member stations (Grove / Brightspot ps-*) --------------------------------------------------
S1 = "The county fair board approved a new grandstand on Thursday after two years of debate."
S2 = "Construction is expected to begin in March and finish before the summer rodeo."
PLAYER = """<ps-brightspot-persistent-player class="BrightspotPersistentPlayer"><div class="BrightspotPersistentPlayer-programName">Play Live Radio</div>
<span class="BrightspotPersistentPlayer-schedule-next">Next Up:</span><div>0:00</div><div>0:00</div>
<div class="BrightspotPersistentPlayer-drawerHeading">Available On Air Stations</div><ul class="-streamsList"><li>On Air Now Playing KXYZ Radio</li></ul>
</ps-brightspot-persistent-player>"""


def station_page(wire: bool = False, html_class: str = "ArticlePage") -> str:
    rights = "<p>Copyright 2024 NPR. To see more, visit https://www.npr.org.</p>" if wire else ""
    return f"""<!DOCTYPE html><html class="{html_class}" lang="en"><head><meta charset="UTF-8">
<meta property="og:site_name" content="KXYZ"><meta property="article:published_time" content="2024-09-12T16:00:00Z"></head>
<body class="Page-body"><ps-header class="Page-header"><div class="Page-header-donate-button"><a>Donate</a></div></ps-header>{PLAYER}
<div class="ArticlePage-content"><main class="ArticlePage-main"><article class="ArticlePage-mainContent">
<h1 class="ArticlePage-headline">Fair board approves grandstand</h1>
<div class="ArticlePage-byline"><div class="ArticlePage-authors"><span class="ArticlePage-authorBy">By <a class="Link">Sam  Ortiz</a> / County Reporter</span></div></div>
<div class="ArticlePage-lead"><figure class="Figure"><picture><source srcset="data:image/svg+xml;base64,AA"><img class="Image" alt="The old stands." src="https://cdn.example/img/stands.jpg"></picture>
<div class="Figure-content"><div class="Figure-credit">Lee Chan / KXYZ</div><figcaption class="Figure-caption">The old wooden stands at the fairgrounds.</figcaption></div></figure></div>
<div class="ArticlePage-articleBody"><div class="Enhancement"><ps-promo class="PromoAudioEpisode"><div class="PromoAudioEpisode-title">Fair board approves grandstand</div>
<div>{S1}</div><ps-stream><button>Listen 2:10</button></ps-stream></ps-promo></div>
<p>{S1}</p><p><b><a href="/news/x">RELATED: Rodeo tickets go on sale early</a></b></p>
<div class="Enhancement"><figure class="Figure"><img src="https://cdn.example/img/plan.jpg" alt="plan"><div class="Figure-credit">County of Example</div>
<figcaption class="Figure-caption">An architect's drawing of the planned grandstand.</figcaption></figure></div>
<p>{S2}</p>{rights}</div>
<div class="ArticlePage-donation"><p>KXYZ is nonprofit and independent. We rely on readers like you.</p>
<p>Give today. A monthly donation of $5 makes a real difference.</p></div></article>
<div class="ArticlePage-tags"><h2>Tags</h2><a>Local News</a></div>
<div class="ArticlePage-bottomByline"><div class="ArticlePage-authorInfo"><div class="ArticlePage-authorInfo-bio">
<div class="ArticlePage-authorInfo-bio-name"><a>Sam Ortiz</a></div>
<div class="ArticlePage-authorInfo-bio-content">Sam Ortiz covers county government and agriculture for KXYZ.</div></div></div></div>
</main><aside class="ArticlePage-aside"><div class="PromoNewsletter">Sign up for our newsletters!</div></aside></div>
<footer class="Page-footer"><p>&copy; 2024 KXYZ</p></footer></body></html>"""


def test_station_article_golden():
    doc = clean(station_page(), "https://www.kxyz-unknown-station.org/news/2024-09-12/grandstand")
    assert (doc.profile, doc.page_type) == ("stations", "article")
    assert doc.paragraphs == [S1, S2]
    assert doc.title == "Fair board approves grandstand"
    assert doc.authors == ["Sam Ortiz"]
    assert doc.author_bios == ["Sam Ortiz covers county government and agriculture for KXYZ."]
    assert doc.images == [
        {"src": "https://cdn.example/img/stands.jpg", "caption": "The old wooden stands at the fairgrounds.",
         "credit": "Lee Chan / KXYZ"},
        {"src": "https://cdn.example/img/plan.jpg", "caption": "An architect's drawing of the planned grandstand.",
         "credit": "County of Example"}]
    assert doc.published == "2024-09-12T16:00:00Z"
    assert doc.rights is None
    assert_clean_text(doc, ["Sam Ortiz covers", "Rodeo tickets", "architect", "Tags"])


def test_station_copy_of_npr_story_moves_syndication_line_to_rights():
    doc = clean(station_page(wire=True), "https://www.kosu.org/npr-news/2024-09-12/grandstand")
    assert doc.paragraphs == [S1, S2]
    assert doc.rights == "Copyright 2024 NPR. To see more, visit https://www.npr.org."


@pytest.mark.parametrize("html_class,kind", [("SectionPage", "listing"), ("ShowPage", "programme")])
def test_station_non_article_pages_get_their_own_type(html_class, kind):
    doc = clean(station_page(html_class=html_class), "https://www.kosu.org/news")
    assert (doc.page_type, doc.text) == (kind, "")


def test_select_profile_by_host_and_by_markers():
    assert select_profile("<html><body><p>x</p></body></html>", "https://www.voanews.com/a/1.html").name == "pangea"
    assert select_profile(station_page(), "https://radio.example.net/news/x").name == "stations"
    assert select_profile(npr_page("2023"), "https://mirror.example/x").name == "npr"
    assert select_profile("<html><body><p>plain</p></body></html>", "https://example.com/") is None


def test_known_boilerplate_list_is_checked_by_these_goldens():
    assert "Skip to main content" in KNOWN_BOILERPLATE


# -- author cards inside the body, every family (issue 14) -------------------------------------
BIO_ANA = "Ana Lungu writes about transport and towns along the Dniester."
PANGEA_CARD = ('<div class="c-author-cards"><ul><li class="author-card"><img src="/img/ph.jpg" alt="16x9 Image">'
               '<div class="author-card__body"><a class="author-card__name" href="/author/a">Ana Lungu</a>'
               f'<p class="author-card__bio">{BIO_ANA}</p></div></li></ul></div>')
# a card in markup no rule names: a list item with the placeholder image, an author link and a bio
PANGEA_CARD_UNNAMED = ('<ul><li><div class="img-wrap"><img src="/img/ph.jpg" alt="16x9 Image"></div>'
                       f'<a href="/author/ana-lungu/x.html">Ana Lungu</a><p>{BIO_ANA}</p></li></ul>')


def _pangea_with_card_inside(card: str, where: str) -> str:
    page = pangea_page(HDR_2024)
    start = page.index('<div class="c-author-cards">')
    page = page[:start] + page[page.index("</div></li></ul></div>", start) + len("</div></li></ul></div>"):]
    anchor = f"<p>{P3}</p></div></div>" if where == "end" else f"<p>{P3}</p>"
    return page.replace(anchor, (anchor[:-len("</div></div>")] + card + "</div></div>") if where == "end"
                        else card + anchor, 1)


@pytest.mark.parametrize("card", [PANGEA_CARD, PANGEA_CARD_UNNAMED], ids=["card-markup", "unnamed-markup"])
@pytest.mark.parametrize("where", ["end", "before-last-paragraph"])
def test_pangea_author_card_inside_the_body_goes_to_authors_and_bios(card, where):
    page = _pangea_with_card_inside(card, where)
    assert page.count("Ana Lungu writes") == 1 and page.index(card) < page.index('<div class="notice">')
    doc = clean(page, "https://www.rferl.org/a/ferry/33000001.html")
    assert doc.paragraphs == [P1, P2, P3]
    assert doc.authors == ["Ana Lungu"]
    assert doc.author_bios == [BIO_ANA]
    assert_clean_text(doc, ["Ana Lungu"])


BIO_JO = "Jo Park covers energy and land use for the National Desk from Sacramento."


@pytest.mark.parametrize("where", ["end", "middle"])
def test_npr_author_card_inside_storytext_goes_to_bios(where):
    card = (f'<div class="author-info"><img src="https://media.npr.org/people/jo.jpg" alt="Jo Park">'
            f'<p class="author-info__name"><a href="/people/1/jo-park">Jo Park</a></p><p class="author-info__bio">{BIO_JO}</p></div>')
    page = npr_page("2023")
    anchor = f"<p>{N2}</p>"
    page = page.replace(anchor, anchor + card if where == "end" else card + anchor)
    doc = clean(page, "https://www.npr.org/2023/06/02/1180000000/orchard-solar")
    assert doc.paragraphs == [N1, N2]
    assert doc.authors == ["Jo Park"] and doc.author_bios == [BIO_JO]
    assert_clean_text(doc, ["Jo Park"])


def test_about_the_author_box_without_telling_classes_goes_to_bios():
    box = f"<div><h3>About the author</h3><p>{BIO_JO}</p></div>"
    doc = clean(npr_page("2023").replace(f"<p>{N2}</p>", f"<p>{N2}</p>{box}"),
                "https://www.npr.org/2023/06/02/1180000000/orchard-solar")
    assert doc.paragraphs == [N1, N2]
    assert doc.author_bios == [BIO_JO]


def _station_bio_box() -> str:
    page = station_page()
    start = page.index('<div class="ArticlePage-bottomByline">')
    return page[start:page.index("</main>", start)]


@pytest.mark.parametrize("where", ["end", "middle"])
def test_station_bio_box_inside_the_article_body_goes_to_bios(where):
    box = _station_bio_box()
    page = station_page().replace(box, "")
    anchor = f"<p>{S2}</p>"
    page = page.replace(anchor, anchor + box if where == "end" else box + anchor)
    doc = clean(page, "https://www.kxyz-unknown-station.org/news/2024-09-12/grandstand")
    assert doc.paragraphs == [S1, S2]
    assert doc.authors == ["Sam Ortiz"]
    assert doc.author_bios == ["Sam Ortiz covers county government and agriculture for KXYZ."]
    assert_clean_text(doc, ["Sam Ortiz covers"])


# -- station in-body sponsor slots, promos, enhancements --------------------------------------
S3 = "Ticket prices for the first season will stay at last year's level, the board said."
SLOTS = [
    '<div class="GoogleDfpAd-wrapper"><div class="GoogleDfpAd-label">Advertisement</div><div class="GoogleDfpAd" '
    'data-slot-name="/kxyz/news"></div><a href="/underwriting">Become a KXYZ sponsor</a></div>',
    '<ps-sponsor-slot class="SponsorSlot"><span>Advertisement</span><a href="/underwriting">Become a KXYZ sponsor</a></ps-sponsor-slot>',
    '<div class="Enhancement"><div class="HtmlModule"><p>Hear the Morning Report weekdays at six on KXYZ.</p></div></div>',
    '<div class="InlineNewsletter"><p>Get local headlines in your inbox every weekday morning.</p></div>',
]


def test_station_in_body_sponsor_slots_and_promos_never_reach_text_and_paragraphs_stay():
    body = f"<p>{S1}</p>{SLOTS[0]}{SLOTS[2]}<p>{S2}</p>{SLOTS[1]}{SLOTS[3]}<p>{S3}</p>"
    page = station_page().replace(f"<p>{S1}</p>", "", 1).replace(f"<p>{S2}</p>", body, 1)
    page = page.replace('<p><b><a href="/news/x">RELATED: Rodeo tickets go on sale early</a></b></p>', "")
    doc = clean(page, "https://www.kxyz-unknown-station.org/news/2024-09-12/grandstand")
    assert doc.paragraphs == [S1, S2, S3]
    assert len(doc.images) == 2  # the figure inside an Enhancement block still reaches images
    assert_clean_text(doc, ["Advertisement", "sponsor", "Morning Report", "inbox"])


def test_sponsor_lines_are_dropped_by_signature_where_no_markup_says_so():
    doc = clean(station_page().replace(f"<p>{S2}</p>", f"<p>Advertisement</p><p>{S2}</p><p>Become a KXYZ sponsor</p>"),
                "https://www.kxyz-unknown-station.org/news/2024-09-12/grandstand")
    assert doc.paragraphs == [S1, S2]


def test_station_body_inside_a_dropped_element_is_still_read():
    """libxml2 can re-nest a Brightspot page so the article sits inside ps-header (a drop rule)."""
    page = station_page().replace("</ps-header>", "").replace("<footer", "</ps-header><footer")
    doc = clean(page, "https://www.kxyz-unknown-station.org/news/2024-09-12/grandstand")
    assert (doc.profile, doc.page_type) == ("stations", "article")
    assert doc.paragraphs == [S1, S2]


def test_family_page_whose_body_rule_finds_nothing_is_read_by_the_generic_path_on_a_fresh_tree():
    page = station_page().replace("ArticlePage-articleBody", "StoryBody")  # a layout no rule knows yet
    page = page.replace("</ps-header>", "").replace("<footer", "</ps-header><footer")  # ... re-nested
    doc = clean(page, "https://www.kxyz-unknown-station.org/news/2024-09-12/grandstand")
    assert doc.profile == "generic"
    assert S1 in doc.text and S2 in doc.text
