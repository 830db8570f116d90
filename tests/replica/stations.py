"""NPR member-station templates (Brightspot "ps-*" public-media theme, Grove player).

Structure follows site-families.md 3c: html.ArticlePage, the persistent live-radio player,
the donate button, ArticlePage-* layout with Enhancement wrappers inside the body, tags,
the bottom author bio box, the newsletter aside and the station footer.
"""

from __future__ import annotations

import json

from .model import Article, esc, long_date, parse_iso

PLAYER = ["Play Live Radio", "Next Up:", "0:00 0:00", "Available On Air Stations", "On Air", "Now Playing",
          "Full Schedule"]
NEWSLETTER = "Sign up for our newsletters!"
GIVE = "Give today. A monthly donation of $5 makes a real difference."
# Newer captures of the theme: stories whose author bio box sits inside the article body, and
# stories with in-body sponsor slots (a Brightspot GoogleDfpAd wrapper, and a slot known only by
# its class words) plus a station enhancement block between paragraphs.
CARD_IN_BODY = {"k05", "k08"}
SPONSOR_SLOTS = {"k03", "k09", "w01", "w05"}


def sponsor_call(name: str) -> str:
    return f"Become a {name} sponsor"


def station_promo(name: str) -> str:
    return f"Hear the Morning Report weekdays at 6 a.m. on {name}, with local headlines and the weather."


def _sponsor_slot(name: str, n: int) -> str:
    if n == 0:
        return (f'<div class="GoogleDfpAd-wrapper"><div class="GoogleDfpAd-label">Advertisement</div>'
                f'<div id="googleAd-body-{n}" class="GoogleDfpAd" data-slot-name="/news/article" data-slot-sizes="[[300, 250]]"></div>'
                f'<div class="GoogleDfpAd-cta"><a href="/underwriting" class="Link">{esc(sponsor_call(name))}</a></div></div>')
    return (f'<ps-sponsor-slot class="SponsorSlot"><span class="SponsorSlot-label">Advertisement</span>'
            f'<div class="SponsorSlot-unit"></div><a href="/underwriting" class="Link">{esc(sponsor_call(name))}</a></ps-sponsor-slot>')


def donation(name: str) -> str:
    return (f"{name} is nonprofit and independent. Listeners and readers like you pay for the local and national "
            "reporting on this site, and your support keeps it free for everyone in the valley.")


def copyright_line(name: str) -> str:
    return f"© 2026 {name}"


def _head(title: str, url: str, description: str, html_class: str, meta: str = "", canonical: str | None = None) -> str:
    return f"""<!DOCTYPE html>
<html class="{html_class}" lang="en">
<head>
<meta charset="UTF-8">
<style>:root {{ --primaryColor: #1f4e79; --secondaryColor: #f2b632; }}</style>
<meta property="og:title" content="{esc(title)}">
<meta property="og:url" content="{url}">
<meta property="og:description" content="{esc(description)}">
<meta name="description" content="{esc(description)}">
<link rel="canonical" href="{canonical or url}">
{meta}<title>{esc(title)}</title>
</head>
"""


def _player(name: str) -> str:
    return f"""<ps-brightspot-persistent-player class="BrightspotPersistentPlayer" player-id="brightspot-player" text-on-air="On Air" text-playing="Now Playing">
<div class="BrightspotPersistentPlayer-player" data-player></div>
<div class="BrightspotPersistentPlayer-streamInfo"><div class="BrightspotPersistentPlayer-name" data-stream-name></div>
<div class="BrightspotPersistentPlayer-programName" data-stream-program-name>Play Live Radio</div></div>
<div class="BrightspotPersistentPlayer-tabletDesktopExtraInfo">
<div class="BrightspotPersistentPlayer-schedule"><span class="BrightspotPersistentPlayer-schedule-next">Next Up:</span>
<span class="BrightspotPersistentPlayer-schedule-startTime" data-schedule-start-time></span></div>
<div class="BrightspotPersistentPlayer-trackSlider"><div class="BrightspotPersistentPlayer-trackSlider-currentTime">0:00</div> <div class="BrightspotPersistentPlayer-trackSlider-duration">0:00</div></div>
</div>
<div class="BrightspotPersistentPlayer-drawer"><div class="BrightspotPersistentPlayer-drawerHeading">Available On Air Stations</div>
<ul class="BrightspotPersistentPlayer-streamsList" data-streams-list><li class="BrightspotPersistentPlayer-streamsList-item" data-first-stream>
<ps-stream data-stream-name="{esc(name)}"><button class="Stream"><span class="Stream-text"><span class="Stream-status">
<span class="Stream-statusTextOnAir">On Air</span> <span class="Stream-statusTextNowPlaying">Now Playing</span></span>
<span class="Stream-name">{esc(name)}</span></span></button></ps-stream>
<div class="BrightspotPersistentPlayer-streamSchedule"><a class="BrightspotPersistentPlayer-streamSchedule-link" href="/schedule">Full Schedule</a></div>
</li></ul></div>
</ps-brightspot-persistent-player>
"""


def _header(name: str) -> str:
    return f"""<body class="Page-body">
<ps-header class="Page-header">
<div class="Page-header-bar"><div class="Page-header-logo"><a aria-label="home page" href="/">{esc(name)}</a></div>
<nav class="Navigation"><ul class="Navigation-items">
<li class="Navigation-items-item"><div class="NavigationItem"><a class="NavigationItem-text-link" href="/news">News</a></div></li>
<li class="Navigation-items-item"><div class="NavigationItem"><a class="NavigationItem-text-link" href="/show/morning-report">Morning Report</a></div></li>
</ul></nav>
<div class="Page-header-donate-button gtm_donate" aria-label="header-donate-button"><a href="/donate" class="Link">Donate</a></div>
</div>
</ps-header>
{_player(name)}"""


def _footer(name: str) -> str:
    return f"""<footer class="Page-footer" data-default><div class="Page-footer-content">
<div class="Page-footer-logo"><a aria-label="home page" href="/">{esc(name)}</a></div>
<div class="Page-footer-disclaimer"><p>{esc(copyright_line(name))}</p></div>
</div></footer>
</body>
</html>
"""


def _figure(img: dict) -> str:
    return (f'<figure class="Figure"><picture><img class="Image" alt="{esc(img["caption"])}" width="880" height="542" '
            f'src="{img["src"]}" loading="lazy"></picture><div class="Figure-content"><div class="Figure-credit-container">'
            f'<div class="Figure-credit">{esc(img["credit"])}</div></div>'
            f'<figcaption class="Figure-caption">{esc(img["caption"])}</figcaption></div></figure>')


def _bios(a: Article) -> str:
    return "".join(f"""<div class="ArticlePage-authorInfo"><div class="ArticlePage-authorInfo-image"><img alt="" src="/img/staff/{n.lower().replace(' ', '-')}.jpg" width="150" height="200"></div>
<div class="ArticlePage-authorInfo-bio"><div class="ArticlePage-authorInfo-bio-name"><a href="/people/{n.lower().replace(' ', '-')}">{esc(n)}</a></div>
<div class="ArticlePage-authorInfo-bio-content">{esc(b)}</div>
<div class="ArticlePage-authorInfo-bio-cta"><a href="/people/{n.lower().replace(' ', '-')}">See stories by {esc(n)}</a></div></div></div>
""" for n, b in zip(a.authors, a.author_bios))


def article_html(a: Article, story: dict, body: list[str], name: str, related: list[tuple[str, str]]) -> str:
    when = parse_iso(a.published)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title, "url": a.url,
          "datePublished": a.published, "dateModified": a.modified,
          "author": [{"@type": "Person", "name": n} for n in a.authors],
          "publisher": {"@type": "Organization", "name": name}, "image": a.images[0]["src"]}
    if story.get("based_on"):  # a copy naming the story it reproduces (syndication.py)
        ld["isBasedOn"] = story["origin_url"]
    meta = (f'<meta property="og:type" content="article">\n<meta property="og:image" content="{a.images[0]["src"]}">\n'
            f'<meta property="article:published_time" content="{a.published}">\n'
            f'<meta property="article:modified_time" content="{a.modified}">\n'
            f'<meta property="article:section" content="{esc(a.section)}">\n'
            + "".join(f'<meta property="article:tag" content="{esc(t)}">\n' for t in a.tags)
            + f'<script type="application/ld+json">{json.dumps(ld)}</script>\n')
    authors = "".join(f'<div class="ArticlePage-authorName"><span class="ArticlePage-authorBy">By '
                      f'<a href="/people/{n.lower().replace(" ", "-")}" class="Link">{esc(n)}</a></span></div>'
                      for n in a.authors)
    rel_title, rel_path = related[0]
    parts = [f"""<div class="Enhancement" data-align-center><ps-promo class="PromoAudioEpisode">
<div class="PromoAudioEpisode-content"><div class="PromoAudioEpisode-title"><a href="{a.path}" class="Link">{esc(a.title)}</a></div>
<div class="PromoAudioEpisode-description">{esc(body[0])}</div>
<div class="PromoAudioEpisode-audio-label"><ps-stream on-demand small><button class="StreamPill"><span class="StreamPill-duration">Listen <span class="StreamPill-textDivider">&bull;</span> 3:41</span></button></ps-stream></div>
</div></ps-promo></div>"""]
    slots = story["key"] in SPONSOR_SLOTS
    for i, text in enumerate(body):
        parts.append(f"<p>{esc(text)}</p>")
        if slots and i in (0, 2) and i < len(body) - 1:
            parts.append(_sponsor_slot(name, i))
        if slots and i == 1:
            parts.append(f'<div class="Enhancement" data-align-center><div class="HtmlModule"><p>{esc(station_promo(name))}</p>'
                         f'</div></div>')
        if i == 1 and len(a.images) > 1:
            parts.append(f'<div class="Enhancement" data-align-center>{_figure(a.images[1])}</div>')
        if i == 1:
            parts.append(f'<p><b><a href="{rel_path}" class="Link">RELATED: {esc(rel_title)}</a></b></p>')
    if not story.get("wire"):
        parts.append(f"""<div class="Enhancement" data-align-center><div class="AudioEnhancement"><div class="AudioEnhancement-info">
<div class="AudioEnhancement-title">{esc(a.title)}</div>
<div class="AudioEnhancement-description">Listen to this story and more on {esc(name)}'s daily news podcast.</div></div>
<div class="AudioEnhancement-player"><ps-stream on-demand small><button class="StreamPill"><span class="StreamPill-duration">Listen</span></button></ps-stream></div></div></div>""")
    if a.rights:
        parts.append(f"<p>{esc(a.rights)}</p>")
    bios = _bios(a)
    if story["key"] in CARD_IN_BODY:
        parts.append(bios)
        bios = ""
    tags = "".join(f'<a href="/tags/{t.lower().replace(" ", "-")}" class="Link">{esc(t)}</a>' for t in a.tags)
    more = "".join(f'<li><a class="PromoLink" href="{p}">{esc(t)}</a></li>' for t, p in related[1:5])
    canonical = story["origin_url"] if story.get("canonical") else None
    return (_head(a.title, a.url, a.description, "ArticlePage aside", meta, canonical) + _header(name) + f"""<div class="ArticlePage-content">
<div class="ArticlePage-wrapper">
<main class="ArticlePage-main"><div class="ArticlePage-main-content">
<article class="ArticlePage-mainContent">
<div class="ArticlePage-breadcrumbs"><a href="/news" class="Link">{esc(a.section)}</a></div>
<h1 class="ArticlePage-headline">{esc(a.title)}</h1>
<div class="ArticlePage-contentInfo"><div class="ArticlePage-byline"><div class="ArticlePage-byline-content">
<div class="ArticlePage-authors">{authors}</div>
<div class="ArticlePage-timestamp"><div class="ArticlePage-datePublished">Published&nbsp;{long_date(a.published)} at {when:%-I:%M %p} UTC</div></div>
</div></div></div>
<div class="ArticlePage-lead">{_figure(a.images[0])}</div>
<div class="ArticlePage-articleContainer">
<div class="ArticlePage-articleBody">
{chr(10).join(parts)}
</div>
<div class="ArticlePage-donation"><div class="DonationPrompt"><p class="DonationPrompt-text">{esc(donation(name))}</p>
<p class="DonationPrompt-cta">{esc(GIVE)}</p><a class="DonationPrompt-button" href="/donate">Donate</a></div></div>
</div>
</article>
<div class="ArticlePage-tags"><h2 class="ArticlePage-tags-heading">Tags</h2><div class="ArticlePage-tags-list">{tags}</div></div>
<div class="ArticlePage-bottomByline">
{bios}</div>
</div></main>
<aside class="ArticlePage-aside"><aside class="ArticlePage-aside-content">
<div class="PromoNewsletter"><div class="PromoNewsletter-content"><div class="PromoNewsletter-title">{NEWSLETTER}</div>
<div class="PromoNewsletter-description">Local news from {esc(name)}, in your inbox every weekday morning.</div>
<ps-input-checkbox class="CheckboxInput"><label class="CheckboxInput-label"><input type="checkbox" checked> <span class="CheckboxInput-labelText">Morning Headlines</span></label></ps-input-checkbox>
</div></div>
<div class="List"><h3 class="List-title">Most Popular</h3><ul class="List-items">{more}</ul></div>
</aside></aside>
</div>
</div>
""" + _footer(name))


def listing_html(name: str, title: str, url: str, items: list[Article], extra: list[tuple[str, str]]) -> str:
    promos = "".join(f"""<li class="PageList-items-item"><ps-promo class="PromoB"><div class="PromoB-media"><a href="{a.path}"><img class="Image" alt="{esc(a.images[0]['caption'])}" src="{a.images[0]['src']}"></a></div>
<div class="PromoB-content"><div class="PromoB-category">{esc(a.section)}</div><div class="PromoB-title"><a class="Link" href="{a.path}">{esc(a.title)}</a></div>
<div class="PromoB-description">{esc(a.description)}</div><div class="PromoB-timestamp">{long_date(a.published)}</div></div></ps-promo></li>
""" for a in items)
    links = "".join(f'<li><a class="Link" href="{p}">{esc(t)}</a></li>' for t, p in extra)
    return (_head(title, url, title, "SectionPage") + _header(name) + f"""<main class="SectionPage-main">
<h1 class="SectionPage-title">{esc(title)}</h1>
<div class="PageList"><ul class="PageList-items">
{promos}</ul></div>
<div class="PageList-more"><ul>{links}</ul></div>
</main>
""" + _footer(name))


def programme_html(name: str, title: str, url: str, episodes: list[tuple[str, str]]) -> str:
    eps = "".join(f'<li class="PodcastEpisodes-item"><ps-promo class="PromoAudioEpisode"><div class="PromoAudioEpisode-title">{esc(t)}</div>'
                  f'<div class="PromoAudioEpisode-date">{esc(d)}</div><ps-stream on-demand small><button class="StreamPill">'
                  f'<span class="StreamPill-duration">Listen</span></button></ps-stream></ps-promo></li>\n' for t, d in episodes)
    return (_head(title, url, title, "ShowPage") + _header(name) + f"""<main class="ShowPage-main">
<h1 class="ShowPage-title">{esc(title)}</h1>
<div class="ShowPage-description">Weekday mornings on {esc(name)}: local headlines, weather and conversation.</div>
<ul class="PodcastEpisodes">
{eps}</ul>
</main>
""" + _footer(name))


def boilerplate(a: Article, name: str, story: dict | None = None) -> list[str]:
    out = ["Donate", *PLAYER, NEWSLETTER, donation(name), GIVE, copyright_line(name), "Most Popular"]
    if a.authors:
        out.append("See stories by")
    if story and story["key"] in SPONSOR_SLOTS:
        out += ["Advertisement", sponsor_call(name), station_promo(name)]
    for img in a.images:
        out += [img["caption"], img["credit"]]
    out += a.author_bios
    if a.rights:
        out.append(a.rights)
    return list(dict.fromkeys(out))
