"""Pangea CMS (RFE/RL, VOA, polygraph) page templates: article, fact-check, listing, programme.

Class names and nesting follow the saved pages described in site-families.md 3a. The
boilerplate sentences (promo, notice) are the replica's own wording of the same shape.
"""

from __future__ import annotations

import json
from datetime import date

from archive.extract.dates import gregorian_to_jalali

from .model import RFERL, Article, esc, iso, long_date, parse_iso
from .prose_services import SERVICES

IMG = f"http://{RFERL}/img"

STRINGS = {
    "en": {"a11y": "Accessibility links", "skip": ["Skip to main content", "Skip to main Navigation", "Skip to Search"],
           "breaking": "Breaking News", "print": "Print Options:", "copied": "Link has been copied to clipboard",
           "related": "Related", "popular": "Most Popular", "viewed": "Most Viewed", "follow": "Follow Us",
           "by": "By", "share": "Share", "locale": "en-US", "entity": "RFE", "service": "English", "news": "News",
           "programme": "Episodes", "episodes": "Episodes", "listen": "Listen", "placeholder": "16x9 Image"},
    "ru": {"a11y": "Ссылки для упрощенного доступа",
           "skip": ["Вернуться к основному содержанию", "Вернутся к главной навигации", "Вернутся к поиску"],
           "breaking": "Срочные новости", "print": "Параметры печати:", "copied": "Ссылка скопирована",
           "related": "По теме", "popular": "Самое читаемое", "viewed": "Самое популярное", "follow": "Мы в соцсетях",
           "by": "Автор", "share": "Поделиться", "locale": "ru-RU", "entity": "RFE", "service": "Russian",
           "news": "Новости", "episodes": "Выпуски", "listen": "Слушать", "placeholder": "16x9 Image"},
}
# Month names the replica writes dates with (its pages fall in October and November 2026).
MONTHS = {"ru": {10: "октября", 11: "ноября"}, "ka": {10: "ოქტომბერი", 11: "ნოემბერი"},
          "hy": {10: "հոկտեմբերի", 11: "նոյեմբերի"}}
JALALI_MONTHS = {7: "مهر", 8: "آبان", 9: "آذر"}
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

PROMO = ("RFE/RL journalists report the news in 27 languages for audiences in 23 countries where independent "
         "media are restricted or still taking shape. We try to offer what local outlets often cannot: accurate "
         "news, open discussion and room for real debate.")
NOTICE = [
    'RFE/RL has been declared an "undesirable organization" by the Russian government.',
    "Readers in Russia, or in parts of Ukraine under Russian control, could be fined or jailed for reposting, "
    "liking or commenting on our reporting, for keeping copies of it, or for getting in touch with our journalists.",
    "Learn more about what this means for you.",
]
COPYRIGHT = "© 2026 RFE/RL Replica. All rights reserved."
# Stories whose author card sits inside the article body (div.wsw), as on some real pages:
# after the last paragraph ("end") or between paragraphs ("middle"); elsewhere it follows the body.
CARD_IN_BODY = {"p05": "end", "p13": "end", "p15": "middle"}


def service(host: str, language: str = "en") -> dict:
    """The strings and habits of the site serving a page: a language service, else rferl in `language`."""
    if host in SERVICES:
        return SERVICES[host]
    s = STRINGS[language]
    return {"name": "RFE/RL Replica", "language": language, "dir": "ltr", "locale": s["locale"], "service": s["service"],
            "strings": s, "copyright": COPYRIGHT, "inline": [], "authors": {}}


def written_date(value: str, svc: dict) -> str:
    """The date as the service prints it; Farda: Solar Hijri, Persian digits, the UTC time."""
    moment, language = parse_iso(value), svc["language"]
    if language == "fa":
        jy, jm, jd = gregorian_to_jalali(date(moment.year, moment.month, moment.day))
        return f"{jd} {JALALI_MONTHS[jm]} {jy}، ساعت {moment:%H:%M} به وقت گرینویچ".translate(PERSIAN_DIGITS)
    if language in MONTHS:
        return f"{moment.day} {MONTHS[language][moment.month]} {moment.year}"
    return long_date(value)


def _head(a: Article, story: dict, body_class: str, image: str) -> str:
    svc = service(a.host, a.language)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title, "url": a.url,
          "datePublished": a.published, "dateModified": a.modified, "inLanguage": a.language,
          "author": [{"@type": "Person", "name": n} for n in a.authors] or {"@type": "Organization", "name": "RFE/RL"},
          "publisher": {"@type": "Organization", "name": "RFE/RL Replica"}, "image": image,
          "articleSection": a.section, "keywords": ", ".join(a.tags)}
    p = iso(story["date"])
    utag = {"entity": "RFE", "language": svc["service"], "page_title": a.title,
            "page_type": "factcheck" if "factcheck" in story else "article", "content_type": "article",
            "url": a.url, "domain": RFERL, "pub_year": p[:4], "pub_month": p[5:7], "pub_day": p[8:10],
            "pub_hour": p[11:13], "pub_minute": p[14:16], "dateline": story.get("dateline", ""),
            "byline": ", ".join(a.authors), "article_uid": str(story["id"]), "section": a.section.lower(),
            "categories": a.section.lower(), "tags": ";".join(t.lower() for t in a.tags)}
    dates = f"""<meta content="{a.published}" property="article:published_time">
<meta content="{a.modified}" property="article:modified_time">
"""
    if svc.get("text_dates"):  # the printed date is the page's only date
        dates = ""
        del ld["datePublished"], ld["dateModified"]
        utag = {k: v for k, v in utag.items() if not k.startswith("pub_")}
    lang = f'lang="{a.language}" '
    if svc.get("undeclared_language"):
        lang = ""
        del ld["inLanguage"]
    site = svc["name"]
    ld["publisher"]["name"] = site
    return f"""<!DOCTYPE html>
<html {lang}dir="{svc['dir']}" class="no-js"><head>
<script src="//tags.tiqcdn.com/utag/bbg/rferl-pangea/prod/utag.sync.js"></script>
<meta charset="utf-8">
<title>{esc(a.title)}</title>
<meta name="title" content="{esc(a.title)}">
<meta name="description" content="{esc(a.description)}">
<meta name="keywords" content="{esc(', '.join(a.tags))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="{a.url}" rel="canonical">
<meta content="{esc(a.title)}" property="og:title">
<meta content="{esc(a.description)}" property="og:description">
<meta content="article" property="og:type">
<meta content="{a.url}" property="og:url">
<meta content="{esc(site)}" property="og:site_name">
<meta content="{image}" property="og:image">
{dates}<meta content="{esc(', '.join(a.tags))}" name="news_keywords">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<link href="/Content/responsive/RFE/{svc['locale']}/RFE-{svc['locale']}.css" rel="stylesheet">
<link rel="alternate" type="application/rss+xml" title="RFE/RL Replica - Top Stories [RSS]" href="/feed.rss">
</head>
<body class="nav-no-loaded {body_class} print-lay-article">
<script type="text/javascript">
var utag_data={json.dumps(utag, ensure_ascii=False)};
</script>
"""


def _chrome(svc: dict) -> str:
    s = svc["strings"]
    skips = "".join(f'<li><a href="{h}" data-disable-smooth-scroll="1">{esc(t)}</a></li>\n'
                    for h, t in zip(("#content", "#navigation", "#txtHeaderSearch"), s["skip"]))
    return f"""<!--*** Accessibility links - For ScreenReaders only ***-->
<section>
<div class="sr-only">
<h2>{esc(s['a11y'])}</h2>
<ul>
{skips}</ul>
</div>
</section>
<div dir="{svc['dir']}">
<div id="page">
<aside>
<div class="c-lightbox overlay-modal"><div class="c-lightbox__intro"><h2 class="c-lightbox__intro-title"></h2></div>
<div class="content-advisory__box"></div></div>
<div class="print-dialogue"><div class="container"><h3 class="print-dialogue__title section-head">{esc(s['print'])}</h3>
<div class="print-dialogue__buttons"><button class="btn btn-cust-print" type="button" title="Print"><span class="btn__text ">Print</span></button></div></div></div>
<div class="ctc-message pos-fix"><div class="ctc-message__inner">{esc(s['copied'])}</div></div>
</aside>
<div class="hdr-20 hdr-20--big">
<div class="hdr-20__inner"><div class="hdr-20__max pos-rel">
<a href="/" class="header__logo"><img src="/Content/responsive/RFE/img/logo.svg" alt="RFE/RL Replica"></a>
<nav class="navigation" id="navigation"><ul class="items">
<li class="item"><a class="handler" href="/z/news">{esc(s['news'])}</a></li>
<li class="item"><a class="handler" href="/z/20771">Podcasts</a></li>
</ul></nav>
<form action="/s" id="form-topSearchHeader" method="get" role="search"><input type="text" id="txtHeaderSearch" name="k" placeholder="Search"></form>
</div></div>
</div>
<div class="c-hlights c-hlights--breaking c-hlights--no-item" data-hlight-display="mobile,desktop">
<div class="c-hlights__wrap container p-0">
<span class="c-hlights__label"><span class="">{esc(s['breaking'])}</span></span>
<ul class="c-hlights__items switcher-target"></ul>
</div>
</div>
"""


def _sidebar(svc: dict, related: list[tuple[str, str]]) -> str:
    s = svc["strings"]
    rel = "".join(f'<li><div class="media-block"><a href="{p}" class="img-wrap"><div class="thumb thumb16_9">'
                  f'<img src="{IMG}/thumb{i}.jpg" alt="{esc(t)}"></div></a><div class="media-block__content">'
                  f'<a href="{p}"><h4 class="media-block__title">{esc(t)}</h4></a></div></div></li>\n'
                  for i, (t, p) in enumerate(related[:3]))
    pop = "".join(f'<li><div class="media-block size-4"><span class="number">{i + 1}</span><a href="{p}" title="{esc(t)}">'
                  f'<h4 class="media-block__title">{esc(t)}</h4></a></div></li>\n' for i, (t, p) in enumerate(related[3:6]))
    return f"""<div class="col-xs-12 col-sm-12 col-md-4 col-lg-4 pull-left design-top-offset">
<div class="media-block-wrap"><h2 class="section-head">{esc(s['related'])}</h2><div class="row"><ul>
{rel}</ul></div></div>
<div class="region"><div class="media-block-wrap most-popular numbered"><h2 class="section-head">{esc(s['popular'])}</h2>
<ul><li><h3 class="handler" title="open widget tab {esc(s['viewed'])}">{esc(s['viewed'])}</h3><ul class="inner">
{pop}</ul></li></ul></div></div>
</div>
"""


def _footer(svc: dict) -> str:
    return f"""<footer role="contentinfo">
<div id="foot" class="foot"><div class="container">
<div class="foot-nav collapsed" id="foot-nav"><ul class="items"><li class="socials block-socials">
<span class="handler" id="socials-handler">{esc(svc['strings']['follow'])}</span>
<ul class="subitems follow"><li><a href="/feed.rss" title="RSS" class="btn btn--rounded btn-rss"><span class="ico ico-rss"></span></a></li></ul>
</li></ul></div>
<div class="foot__item foot__item--copyrights"><p class="copyright">{esc(svc['copyright'])}</p></div>
</div></div>
</footer>
</div>
</div>
</body></html>
"""


def _figure(src: str, caption: str, cls: str) -> str:
    return (f'<figure class="{cls}"><div class="img-wrap"><div class="thumb thumb16_9">'
            f'<img src="{src}" alt="{esc(caption)}"></div></div>'
            f'<figcaption><span class="caption">{esc(caption)}</span></figcaption></figure>')


def _cards(a: Article, svc: dict) -> str:
    if not a.authors:
        cards = [("", PROMO)]
    else:
        cards = list(zip(a.authors, a.author_bios))
    items = "".join(f'<li class="author-card"><div class="img-wrap"><div class="thumb thumb16_9">'
                    f'<img src="{IMG}/author-placeholder.jpg" alt="{esc(svc["strings"]["placeholder"])}"></div></div>'
                    f'<div class="author-card__body">'
                    + (f'<a class="author-card__name" href="/author/{n.lower().replace(" ", "-")}/x.html">{esc(n)}</a>' if n else "")
                    + f'<p class="author-card__bio">{esc(b)}</p></div></li>\n' for n, b in cards)
    return f'<div class="c-author-cards"><ul class="author-cards">\n{items}</ul></div>\n'


def _notice(a: Article) -> str:
    if a.host in SERVICES:  # a language service prints its own notices inside the body
        return ""
    notice = "".join(f"<p>{esc(line)}</p>" for line in NOTICE[:2]) + f'<p><a href="/p/undesirable.html">{esc(NOTICE[2])}</a></p>'
    return f'<div class="c-undesirable-notice"><div class="wsw-notice">{notice}</div></div>\n'


def article_html(a: Article, story: dict, body: list[str], related: list[tuple[str, str]]) -> str:
    """`body` is the article text without the dateline; a.paragraphs[0] = dateline + body[0]."""
    svc = service(a.host, a.language)
    s = svc["strings"]
    lead = a.images[0]
    fc = story.get("factcheck")
    byline = "".join(f'<li class="links__item">{esc(s["by"])} <a class="links__item-link" '
                     f'href="/author/{n.lower().replace(" ", "-")}/x.html">{esc(n)}</a></li>' for n in a.authors)
    paras = []
    for i, text in enumerate(body):
        if i == 0 and story.get("dateline"):
            paras.append(f'<p><span class="dateline">{esc(story["dateline"])}</span> {esc(text)}</p>')
        else:
            paras.append(f"<p>{esc(text)}</p>")
        if i == 1 and len(a.images) > 1:
            paras.append(f'<div class="wsw__embed">{_figure(a.images[1]["src"], a.images[1]["caption"], "media-image")}</div>')
        if i == len(body) - 2 and CARD_IN_BODY.get(story["key"]) == "middle":
            paras.append(_cards(a, svc))
    paras += [f"<p>{esc(line)}</p>" for line in svc["inline"]]
    if CARD_IN_BODY.get(story["key"]) == "end":
        paras.append(_cards(a, svc))
    after_body = ("" if story["key"] in CARD_IN_BODY else _cards(a, svc)) + _notice(a)
    fc_html = ""
    if fc:
        fc_html = f"""<div class="col-xs-12"><div class="fc__body">
<div class="statement"><div class="statement-head red"><div class="statement-author"><div>
<h4 class="author">{esc(fc['author'])}</h4><p class="desc"></p></div></div></div>
<div class="statement-content"><div class="wsw"><p>{esc(fc['statement'])}</p></div></div>
<div class="statement-source"><a href="#" title="{esc(fc['source'])}">{esc(fc['source'])}</a></div>
</div>
<div class="verdict"><div class="verdict-head"><div class="title red"><span class="ico ico-close rounded"></span>
<span>{esc(fc['verdict'])}</span><div class="intro">{esc(fc['intro'])}</div></div></div></div>
</div></div>
"""
    body_class = "pg-fc" if fc else "pg-article"
    when = "" if svc.get("text_dates") else f' datetime="{a.published.replace("Z", "+00:00")}"'
    return (_head(a, story, body_class, lead["src"]) + _chrome(svc) + f"""<div id="content">
<div class="container">
<div class="hdr-container"><div class="row">
<div class="col-category col-xs-12 col-md-2 pull-left"><div class="category"><a href="/z/news">{esc(a.section)}</a></div></div>
<div class="col-title col-xs-12 col-md-10 pull-right"><h1 class="pg-title">{esc(a.title)}</h1></div>
<div class="col-publishing-details col-xs-12 col-sm-12 col-md-2 pull-left"><div class="publishing-details">
<div class="published"><span class="date"><time pubdate="pubdate"{when}>{written_date(a.published, svc)}</time></span></div>
<div class="links"><ul class="links__list">{byline}</ul></div>
</div></div>
<div class="col-multimedia col-xs-12 col-md-10 pull-right"><div class="cover-media">
{_figure(lead['src'], lead['caption'], 'media-image js-media-expand')}
</div></div>
<div class="col-xs-12 col-md-2 pull-left article-share"><aside class="share flex-column"><span class="label label--share">{esc(s['share'])}</span>
<ul class="share__list"><li class="share__item"><a href="https://facebook.com/sharer.php?u={esc(a.url)}" class="btn btn--rounded btn-facebook"></a></li></ul>
<a class="btn btn--rounded btn-print" href="#" title="Print">Print</a></aside></div>
</div></div>
<div class="body-container"><div class="row">
<div class="col-xs-12 col-sm-12 col-md-8 col-lg-8 pull-left bottom-offset content-offset"><div class="row">
{fc_html}<div class="col-xs-12">
<div id="article-content" class="content-floated-wrap fb-quotable">
<div class="wsw">
{chr(10).join(paras)}
</div>
</div>
{after_body}</div>
</div></div>
{_sidebar(svc, related)}</div></div>
</div>
</div>
""" + _footer(svc))


def listing_html(title: str, url: str, items: list[Article], extra: list[tuple[str, str]], host: str = RFERL) -> str:
    """Section front (`/z/news`): a Pangea listing of teasers; `extra` links (programme, private)."""
    svc = service(host)
    teasers = "".join(f'<li class="col-xs-12 col-sm-6 col-md-4"><div class="media-block"><a href="{a.path}" class="img-wrap">'
                      f'<div class="thumb thumb16_9"><img src="{a.images[0]["src"]}" alt="{esc(a.images[0]["caption"])}"></div></a>'
                      f'<div class="media-block__content"><span class="date">{written_date(a.published, svc)}</span>'
                      f'<a href="{a.path}"><h4 class="media-block__title">{esc(a.title)}</h4></a></div></div></li>\n'
                      for a in items)
    links = "".join(f'<li><a href="{p}">{esc(t)}</a></li>' for t, p in extra)
    return (_listing_head(title, url, "pg-section pg-section--news", svc) + _chrome(svc) + f"""<div id="content"><div class="container">
<h1 class="section-head">{esc(title)}</h1>
<div class="media-block-wrap" id="wrowblock-news"><div class="row"><ul id="items">
{teasers}</ul></div></div>
<div class="media-block-wrap"><h2 class="section-head">More</h2><ul>{links}</ul></div>
</div></div>
""" + _footer(svc))


def programme_html(title: str, url: str, episodes: list[tuple[str, str]], host: str = RFERL) -> str:
    """Audio programme page (`body.pg-media.pg-prog`): a player and an episode list, no article."""
    svc = service(host)
    s = svc["strings"]
    eps = "".join(f'<li><div class="media-block"><span class="ico ico-audio"></span><span class="date">{esc(d)}</span>'
                  f'<h4 class="media-block__title">{esc(t)}</h4></div></li>\n' for t, d in episodes)
    return (_listing_head(title, url, "pg-media pg-prog", svc) + _chrome(svc) + f"""<div id="content"><div class="container">
<div class="media-container"><div class="c-mmp c-mmp--enabled" data-type="audio">
<audio src="http://{RFERL}/media/weekly-roundup.mp3" preload="none"></audio>
<span class="c-mmp__label">{esc(s['listen'])}</span></div></div>
<h1 class="pg-title">{esc(title)}</h1>
<div class="media-block-wrap"><h2 class="section-head">{esc(s['episodes'])}</h2><ul>
{eps}</ul></div>
</div></div>
""" + _footer(svc))


def _listing_head(title: str, url: str, body_class: str, svc: dict) -> str:
    lang = "" if svc.get("undeclared_language") else f'lang="{svc["language"]}" '
    return f"""<!DOCTYPE html>
<html {lang}dir="{svc['dir']}" class="no-js"><head>
<script src="//tags.tiqcdn.com/utag/bbg/rferl-pangea/prod/utag.sync.js"></script>
<meta charset="utf-8">
<title>{esc(title)}</title>
<link href="{url}" rel="canonical">
<meta content="{esc(title)}" property="og:title">
<meta content="website" property="og:type">
<meta content="{url}" property="og:url">
<link href="/Content/responsive/RFE/{svc['locale']}/RFE-{svc['locale']}.css" rel="stylesheet">
</head>
<body class="nav-no-loaded {body_class}">
"""


def boilerplate(a: Article, story: dict) -> list[str]:
    svc = service(a.host, a.language)
    s = svc["strings"]
    out = [s["a11y"], *s["skip"], s["breaking"], s["print"], s["copied"], s["related"], s["popular"], svc["copyright"],
           s["follow"], s["placeholder"], *(svc["inline"] if a.host in SERVICES else NOTICE)]
    out += [img["caption"] for img in a.images]
    out += a.authors + a.author_bios
    if "factcheck" in story:
        out.append(story["factcheck"]["source"])
    return list(dict.fromkeys(out))
