"""HTML pages of the viewer: small string templates in which every value is escaped unless
it is already `Markup` (built here from escaped parts). No scripts, no inline styles: the
pages work under `default-src 'none'; style-src 'self'`."""

from __future__ import annotations

import html
from string import Template
from typing import Any, Iterable
from urllib.parse import urlencode

from archive.language import direction
from archive.render import change_label, document_dict


class Markup(str):
    """HTML that is already safe; `fill` inserts it as it is."""


def escape(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def fill(template: str, **values: Any) -> Markup:
    return Markup(Template(template).substitute(
        {key: value if isinstance(value, Markup) else escape(value) for key, value in values.items()}))


def join(parts: Iterable[Markup]) -> Markup:
    return Markup("".join(parts))


def language_attrs(language: Any) -> Markup:
    """` lang=".." dir=".."` for an element holding a document's own words (Persian, Arabic,
    Hebrew... right to left), so the browser lays them out and picks fonts right; '' if unknown."""
    if not isinstance(language, str) or not language.strip():
        return Markup("")
    return fill(' lang="$lang" dir="$dir"', lang=language.strip(), dir=direction(language))


def link(path: str, **params: Any) -> str:
    """A same-site link; callers pass it through `fill`, which escapes the `&`."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title · news archive</title><link rel="stylesheet" href="/static/style.css"></head>
<body><header><a href="/">News archive</a>
<form action="/" method="get" role="search"><input type="search" name="q" value="$query"
 aria-label="Search the archive" placeholder="Search cleaned articles" maxlength="500"><button>Search</button></form>
</header><main>$body</main></body></html>"""


def layout(title: str, body: Markup, query: str = "") -> Markup:
    return fill(LAYOUT, title=title, body=body, query=query)


def search_page(query: str, hits: list | None, filters: dict[str, str]) -> Markup:
    form = fill("""<form class="search-form" action="/" method="get">
<input type="search" name="q" value="$q" aria-label="Query" maxlength="500"><button>Search</button>
<div class="filters"><label>site <input type="text" name="site" value="$site" size="14"></label>
<label>since <input type="text" name="since" value="$since" size="12"></label>
<label>until <input type="text" name="until" value="$until" size="12"></label></div></form>""",
                q=query, site=filters.get("site", ""), since=filters.get("since", ""), until=filters.get("until", ""))
    if hits is None:
        body = join([form, Markup("<p class=\"muted\">Search titles and texts of the cleaned copies. "
                                  "Phrases in quotes, OR, NOT, prefix* work.</p>")])
    elif not hits:
        body = join([form, fill("<p id=\"no-results\">No document matches <strong>$q</strong>.</p>", q=query)])
    else:
        items = [fill("""<li class="hit"><a href="$href"$lang>$title</a>
<div class="meta">$host · captured $captured</div><p class="snippet"$lang>$snippet</p></li>""",
                      lang=language_attrs(hit.document.metadata.get("language")),
                      href=link("/doc", url=hit.document.url, at=hit.document.captured_at),
                      title=hit.document.title or hit.document.url, host=hit.document.host,
                      captured=hit.document.captured_at,
                      snippet=Markup(hit.marked("<mark>", "</mark>", escape))) for hit in hits]
        body = join([form, fill("<p class=\"muted\">$n results</p>", n=len(hits)),
                     Markup("<ol class=\"hits\">"), *items, Markup("</ol>")])
    return layout(f"Search: {query}" if query else "Search", body, query)


def document_page(document, provenance: dict[str, Any], entries: list, story: Markup = Markup("")) -> Markup:
    data = document_dict(document)
    original = provenance.get("original_record", {})
    conversion = provenance.get("conversion_record", {})
    original_href = link("/original", url=document.url, at=document.captured_at)
    rows = [("URL", fill("<a href=\"$u\" rel=\"noreferrer noopener\">$u</a>", u=document.url)),
            ("Captured", document.captured_at), ("Published", data.get("published")),
            ("Authors", ", ".join(data.get("authors") or [])), ("Language", data.get("language")),
            ("Site", document.host), ("Extractor", f"{document.extractor or ''} rules {document.rules_version or ''}"),
            ("Original record", fill("<code>$f</code> offset $o, $l bytes<br><code>$r</code>",
                                     f=original.get("file"), o=original.get("offset"),
                                     l=original.get("length"), r=original.get("record_id"))),
            ("Payload digest", fill("<code>$d</code>", d=original.get("payload_digest"))),
            ("Cleaned-text record", fill("<code>$f</code> offset $o<br><code>$r</code>", f=conversion.get("file"),
                                         o=conversion.get("offset"), r=conversion.get("record_id")))]
    meta = join(fill("<dt>$k</dt><dd>$v</dd>", k=k, v=v) for k, v in rows if v)
    paragraphs = join(fill("<p>$p</p>", p=p) for p in document.text.split("\n\n") if p.strip())
    body = fill("""<h1 id="doc-title"$lang>$title</h1><dl class="meta">$meta</dl>
<p><a href="$original">Original bytes (sandboxed)</a> · <a href="$json">JSON</a></p>
<article class="text"$lang>$paragraphs</article>
$story<h2>Capture history</h2>$history
<h2>Original as archived</h2>
<p class="muted">Shown sandboxed: its scripts do not run and it cannot load anything.</p>
<iframe class="original" sandbox src="$original" title="archived original"></iframe>""",
                title=document.title or "(untitled)", lang=language_attrs(data.get("language")), meta=meta,
                original=original_href,
                json=link("/api/get", url=document.url, at=document.captured_at), paragraphs=paragraphs,
                history=history_table(entries), story=story)
    return layout(document.title or document.url, body)


def history_table(entries: list) -> Markup:
    rows, previous = [], None
    for entry in entries:
        text = change_label(entry)
        if entry.text_changed and previous is not None:
            text = fill("<a href=\"$d\">changed</a>", d=link("/diff", url=entry.url, **{"from": previous,
                                                                                        "to": entry.fetched_at}))
        view = fill("<a href=\"$h\">view</a>", h=link("/doc", url=entry.url, at=entry.fetched_at)) \
            if entry.text_digest else ""
        rows.append(fill("<tr><td>$t</td><td>$s</td><td>$r</td><td>$x</td><td><code>$f</code> @ $o</td>"
                         "<td>$v</td></tr>", t=entry.fetched_at, s=entry.status, r=entry.record_type, x=text,
                         f=entry.warc_file, o=entry.warc_offset, v=view))
        if entry.text_digest:
            previous = entry.fetched_at
    return fill("<table><thead><tr><th>captured</th><th>status</th><th>record</th><th>text</th>"
                "<th>WARC file @ offset</th><th></th></tr></thead><tbody>$rows</tbody></table>", rows=join(rows))


def diff_page(result) -> Markup:
    if not result.changed:
        listing = Markup("<p id=\"no-change\">No change: the cleaned texts are identical.</p>")
    else:
        lines = join(fill("<span class=\"$c\">$l</span>", c=_diff_class(line), l=line.rstrip("\n"))
                     for line in result.lines)
        listing = fill("<pre class=\"diff\">$lines</pre>", lines=lines)
    body = fill("<h1>Changes to <a href=\"$doc\">$title</a></h1><p class=\"muted\">$old → $new</p>$listing",
                doc=link("/doc", url=result.new.url), title=result.new.title or result.new.url,
                old=result.old.captured_at, new=result.new.captured_at, listing=listing)
    return layout("Changes", body)


def _diff_class(line: str) -> str:
    if line.startswith(("+++", "---", "@@")):
        return "hunk"
    return {"+": "add", "-": "del"}.get(line[:1], "ctx")


def error_page(status: int, message: str) -> Markup:
    return layout(f"Error {status}", fill("<div class=\"error\"><h1>$s</h1><p>$m</p></div>",
                                          s=status, m=message))
