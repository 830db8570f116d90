"""npr.org page templates (the Seamus `tmpl*` family): story, transcript story, listing, programme.

Structure follows site-families.md 3b: skip links, global header, persistent player, branding
header, article.story with #storytext (image buckets with the caption printed twice, inset
links, audio modules, sponsor message) and the optional div.transcript.storytext.
"""

from __future__ import annotations

import json

from .model import NPR, Article, esc, long_date, parse_iso

SKIP = ["Accessibility links", "Skip to main content", "Keyboard shortcuts for audio player"]
NAV = ["Open Navigation Menu", "Newsletters", "NPR Shop", "Donate"]
PLAYER = ["On Air Now", "Listen Live"]
IMAGE_CHROME = ["Enlarge this image", "toggle caption", "hide caption"]
SPONSOR = "Sponsor Message"
SIDEBAR = ["NPR thanks our sponsors", "Become an NPR sponsor"]
FOOTER = "© 2026 npr replica"
# Stories with an author card (photo, name, bio) inside #storytext: after the last paragraph
# ("end") or before it ("middle"). npr.org's own card markup is unverified (site-families.md),
# so this one carries only the class words any CMS uses (author-info, bio).
CARD_IN_BODY = {"n04": "end", "n15": "middle"}
DISCLAIMERS = [
    "Copyright © 2026 NPR Replica. All rights reserved. See the terms of use and permissions pages on our "
    "website for further information.",
    "Accuracy and availability of transcripts may vary. This transcript was produced on a deadline and may be "
    "revised in the future. The authoritative record of our programming is the audio recording.",
]


def _head(title: str, url: str, description: str, body: str, extra_meta: str = "") -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(title)} : NPR Replica</title>
<meta name="description" content="{esc(description)}">
<link rel="canonical" href="{url}">
<meta property="og:title" content="{esc(title)}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="NPR Replica">
<meta property="og:description" content="{esc(description)}">
{extra_meta}<link rel="stylesheet" href="https://static-assets.npr.org/templates/css/fonts.css">
</head>
{body}<div class="skip-links">
<span>{SKIP[0]}</span>   <ul>
<li><a href="#mainContent" class="skiplink">{SKIP[1]}</a></li>
<li><a href="/help/keyboard-shortcuts" class="skiplink">{SKIP[2]}</a></li>
</ul>
</div>
<header class="npr-header" id="globalheader" aria-label="NPR header">
<nav class="navigation"><div class="navigation__top-level-wrap"><ul class="navigation__top-level">
<li class="navigation__toggle-wrap"><button id="navigation__toggle--open" class="navigation__toggle navigation__toggle--open">{NAV[0]}</button></li>
<li class="navigation__home"><a href="/"><img src="https://media.npr.org/chrome_svg/npr-logo.svg" alt="NPR logo"/></a></li>
<li class="navigation__newsletters"><a href="/newsletters/">{NAV[1]}</a></li>
<li class="navigation__shop"><a href="/shop">{NAV[2]}</a></li>
<li class="navigation__donate"><a href="/donate">{NAV[3]}</a></li>
</ul></div>
<ul class="menu__list"><li class="menu__item"><a href="/sections/news/">News</a></li>
<li class="menu__item"><a href="/programs/all-things-considered/">All Things Considered</a></li></ul>
</nav>
</header>
<div id="npr-player" class="npr-player"><div class="player-basic"><b class="player-basic__on-air">{PLAYER[0]}</b>
<button class="player-basic__live">{PLAYER[1]}</button></div></div>
"""


def _image_bucket(res: str, img: dict, size: str = "large") -> str:
    cap, credit = esc(img["caption"]), esc(img["credit"])
    return f"""<div id="res{res}" class="bucketwrap image {size}">
<div class="imagewrap has-source-dimensions"><picture>
<img src="{img['src']}" class="img" alt="{cap}" loading="lazy" /></picture>
<div class="enlarge-options"><a class="enlargelink" href="{img['src']}">Enlarge this image</a></div>
</div>
<div class="credit-caption"><div class="caption-wrap"><div class="caption" aria-label="Image caption">
<p>{cap} <b class="credit" aria-label="Image credit">{credit}</b> <b class="hide-caption"><b>hide caption</b></b></p>
</div><b class="toggle-caption"><b>toggle caption</b></b></div>
<span class="credit" aria-label="Image credit">{credit}</span></div>
<div class="enlarge_measure"><div class="img_wrap"><img data-original="{img['src']}" alt="" /></div></div>
<div class="enlarge_html"><div class="image_data"><p class="caption">{cap}</p>
<span class="credit" aria-label="Image credit">{credit}</span></div></div>
</div>
"""


def _resaudio(res: str, title: str) -> str:
    return f"""<article id="res{res}" class="bucketwrap resaudio" aria-label="audio-module"><div class="audio-module">
<h4 class="audio-module-title">{esc(title)}</h4>
<div class="audio-module-controls-wrap"><div class="audio-module-controls"><button class="audio-module-listen">
<b class="audio-module-listen-inner"><b class="audio-module-cta">Listen</b><b class="audio-module-listen-duration"><span>·</span> 3:52</b></b>
</button><time class="audio-module-duration" datetime="P3M,52S">3-Minute Listen</time>
<button class="audio-module-queue"><b class="audio-module-queue-text">Playlist</b></button></div></div>
</div></article>
"""


def _author_cards(a: Article, sid: int) -> str:
    return "".join(f'<div class="author-info"><div class="author-info__photo"><img src="https://media.npr.org/assets/img/people/'
                   f'{n.lower().replace(" ", "-")}.jpg" alt="{esc(n)}"></div><p class="author-info__name">'
                   f'<a href="/people/{sid % 997}/{n.lower().replace(" ", "-")}">{esc(n)}</a></p>'
                   f'<p class="author-info__bio">{esc(b)}</p></div>\n' for n, b in zip(a.authors, a.author_bios))


def article_html(a: Article, story: dict, body: list[str], related: list[tuple[str, str]], contributors: str) -> str:
    sid = story["id"]
    program = story.get("program")
    transcript = story.get("transcript")
    ld = {"@context": "http://schema.org", "@type": "NewsArticle", "headline": a.title, "url": a.url,
          "datePublished": a.published, "dateModified": a.modified, "author": {"@type": "Person", "name": a.authors},
          "publisher": {"@type": "Organization", "name": "NPR Replica"}, "image": {"@type": "ImageObject", "url": a.images[0]["src"]}}
    meta = (f'<meta property="og:type" content="article">\n<meta property="og:image" content="{a.images[0]["src"]}">\n'
            f'<meta property="article:published_time" content="{a.published}">\n'
            f'<meta property="article:modified_time" content="{a.modified}">\n'
            f'<meta property="article:section" content="{esc(a.section)}">\n'
            f'<script type="application/ld+json">{json.dumps(ld)}</script>\n')
    tmpl = "tmplNewsMultimedia" if transcript else "tmplBlogNewsStory"
    body_tag = f'<body id="news" class="news {tmpl} story-layout {"has-transcript" if transcript else "no-transcript"} id{sid}">\n'
    when = parse_iso(a.published)
    byline = "".join(f'<div class="byline byline--block"><p class="byline__name byline__name--block">'
                     f'<a href="/people/{sid % 997}/{n.lower().replace(" ", "-")}" rel="author">{esc(n)}</a></p></div>'
                     for n in a.authors)
    heard = f'<div class="story-meta__heard"><p>Heard on <a href="/programs/">{esc(program)}</a></p></div>' if program else ""
    rel_title, rel_path = related[0]
    inline = [f"<p>{esc(p)}</p>" for p in ([story["teaser"]] if transcript else body)]
    blocks = [_image_bucket(f"{sid}01", a.images[0], "x-large")]
    for i, p in enumerate(inline):
        if i == len(inline) - 1 and CARD_IN_BODY.get(story["key"]) == "middle":
            blocks.append(_author_cards(a, sid))
        blocks.append(p)
        if i == min(1, len(inline) - 1):
            blocks.append(f"""<div id="res{sid}02" class="bucketwrap internallink insettwocolumn inset2col ">
<div class="bucket img"><div class="bucketblock"><h3 class="slug"><a href="/sections/news/">Related</a></h3>
<h3><a href="{rel_path}">{esc(rel_title)}</a></h3></div></div></div>
""")
        if i == min(2, len(inline) - 1):
            blocks.append(f'<aside class="ad-wrap" aria-label="advertisement"><div class="ad-header">{SPONSOR}</div>'
                          f'<div id="ad-backstage" class="ad-config"></div></aside>\n')
    blocks.append(_resaudio(f"{sid}03", a.title))
    if CARD_IN_BODY.get(story["key"]) == "end":
        blocks.append(_author_cards(a, sid))
    if contributors:
        blocks.append(f'<p class="contributors-text"><em>{esc(contributors)}</em></p>')
    transcript_html = ""
    if transcript:
        lines = "".join(f"<p>{esc(t)}</p>\n" for t in transcript)
        lines += "".join(f'<p class="disclaimer">{esc(d)}</p>\n' for d in DISCLAIMERS)
        transcript_html = f'<div class="transcript storytext">\n{lines}</div>\n'
    tags = "".join(f'<li><a class="tag tag--story" href="/tags/{i}/{t.lower().replace(" ", "-")}">{esc(t)}</a></li>'
                   for i, t in enumerate(a.tags))
    return (_head(a.title, a.url, a.description, body_tag, meta) + f"""<div id="wrapper">
<header class="contentheader contentheader--one"><div class="branding branding--seamus"><a href="/sections/news/">
<div class="branding__inner"><b class="branding__lead-in">{esc(a.section)}</b>
<b class="branding__mini-teaser">{esc(a.section)} — News From NPR Replica</b></div></a></div></header>
<section id="main-section"><article class="story"><a id="mainContent"></a>
<div class="storytitle"><h1>{esc(a.title)}</h1></div>
<div id="story-meta" class="story-meta has-byline">
<div class="story-meta__one"><div class="dateblock"><time datetime="{when:%Y-%m-%dT%H:%M:%S}-04:00">
<span class="date">{long_date(a.published)}</span><span class="time">{when:%-I:%M %p} ET</span></time></div>{heard}</div>
<div class="story-meta__two"><div id="storybyline" class="storybyline-wrap"><div class="bucketwrap byline">
<div class="byline-container--block"><p class="byline__name--block">By&nbsp;</p>{byline}</div></div></div></div>
</div>
<div id="headlineaudio" class="headlineaudio">{_resaudio(f"{sid}00", a.title) if program else ""}</div>
<div id="storytext" class="storytext storylocation linkLocation">
{"".join(blocks)}
</div>
{transcript_html}<div class="tags"><ul>{tags}</ul></div>
</article>
</section>
{_sidebar(related[1:])}</div>
{_footer()}</body></html>
""")


def _sidebar(related: list[tuple[str, str]]) -> str:
    more = "".join(f'<li><a href="{p}">{esc(t)}</a></li>' for t, p in related[:4])
    return f"""<div id="main-sidebar">
<aside id="ad-standard-wrap" aria-label="advertisement"><p class="left">{SIDEBAR[0]}</p>
<p class="right"><a href="/about/sponsor">{SIDEBAR[1]}</a></p></aside>
<div class="recommended"><h3>More Stories From NPR Replica</h3><ul>{more}</ul></div>
</div>
"""


def _footer() -> str:
    return f"""<footer id="npr-footer" class="npr-footer" role="contentinfo" aria-label="NPR footer">
<div class="npr-footer__content"><div class="npr-footer__module"><h6 class="npr-footer__header">Read &amp; Listen</h6>
<ul><li class="npr-footer__item"><a href="/">Home</a></li><li class="npr-footer__item"><a href="/sections/news/">News</a></li></ul></div>
<p class="npr-footer__copyright">{FOOTER}</p></div></footer>
"""


def listing_html(title: str, url: str, items: list[Article], extra: list[tuple[str, str]]) -> str:
    """`tmplAggNews` section front: `article.item` teasers, each with its own caption and audio module."""
    teasers = []
    for n, a in enumerate(items):
        img = a.images[0]
        teasers.append(f"""<article class="item has-image has-audio">
<div class="item-image"><div class="imagewrap"><a href="{a.path}"><picture><img src="{img['src']}" alt="{esc(img['caption'])}" loading="lazy"></picture></a></div>
<div class="credit-caption"><div class="caption-wrap"><div class="caption" aria-label="Image caption"><p>{esc(img['caption'])}
<b class="credit">{esc(img['credit'])}</b> <b class="hide-caption"><b>hide caption</b></b></p></div>
<b class="toggle-caption"><b>toggle caption</b></b></div></div></div>
<div class="item-info"><div class="slug-wrap"><h3 class="slug"><a href="/sections/news/">{esc(a.section)}</a></h3></div>
<h2 class="title"><a href="{a.path}">{esc(a.title)}</a></h2>
<p class="teaser"><a href="{a.path}"><time datetime="{a.published[:10]}"><span class="date">{long_date(a.published)}</span></time>{esc(a.description)}</a></p></div>
{_resaudio(f"9{n:03d}", a.title)}</article>
""")
    links = "".join(f'<li><a href="{p}">{esc(t)}</a></li>' for t, p in extra)
    body = '<body id="news" class="news tmplAggNews">\n'
    return (_head(title, url, title, body) + f"""<div id="wrapper">
<header class="contentheader contentheader--one"><h1>{esc(title)}</h1></header>
<section id="main-section">
{"".join(teasers)}<div class="more-links"><ul>{links}</ul></div>
</section>
{_sidebar([])}</div>
{_footer()}</body></html>
""")


def programme_html(title: str, url: str, episodes: list[tuple[str, str]]) -> str:
    eps = "".join(f'<article class="program-segment"><h2 class="program-segment__title">{esc(t)}</h2>'
                  f'<time>{esc(d)}</time>{_resaudio(f"8{i:03d}", t)}</article>\n' for i, (t, d) in enumerate(episodes))
    body = '<body id="news" class="news tmplProgramEpisode">\n'
    return (_head(title, url, title, body) + f"""<div id="wrapper">
<header class="contentheader contentheader--program"><h1 class="program-title">{esc(title)}</h1></header>
<section id="main-section"><div class="program-show">
{eps}</div></section>
</div>
{_footer()}</body></html>
""")


def boilerplate(a: Article, story: dict) -> list[str]:
    out = [*SKIP, *NAV[:3], *PLAYER, *IMAGE_CHROME, SPONSOR, *SIDEBAR, FOOTER, "3-Minute Listen", "Playlist"]
    for img in a.images:
        out += [img["caption"], img["credit"]]
    if story.get("transcript"):
        out += DISCLAIMERS
    if story.get("program"):
        out.append(f"Heard on {story['program']}")
    return list(dict.fromkeys(out))
