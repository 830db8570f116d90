"""The article page's "Same story elsewhere" panel: the story's origin, its copies on other
outlets and related coverage (archive.related), each linking to its own cleaned copy."""

from __future__ import annotations

from archive.related import Story
from archive.web.pages import Markup, fill, join, link


def story_panel(story: Story | None) -> Markup:
    if story is None:
        return Markup("")
    if not story.copies and not story.related:
        return Markup("<section id=\"same-story\"><h2>Same story elsewhere</h2>"
                      "<p class=\"muted\">No copy or related coverage in the archive.</p></section>")
    origin = story.origin
    if origin is None:
        head = Markup("")
    elif story.is_origin:
        head = fill("<p id=\"story-origin\">This page is the origin ($k).</p>", k=origin.kind)
    elif origin.member is not None:
        head = fill("<p id=\"story-origin\">Origin: <a href=\"$h\">$u</a> ($k)</p>",
                    h=link("/doc", url=origin.member.url), u=origin.member.url, k=origin.kind)
    else:
        head = fill("<p id=\"story-origin\">Origin: $w, not in the archive ($k)</p>",
                    w=origin.url or origin.outlet, k=origin.kind)
    copies = [fill("<li class=\"copy\"><a href=\"$h\">$t</a> <span class=\"meta\">$host · captured $c · "
                   "similarity $s</span></li>", h=link("/doc", url=c.member.url), t=c.title or c.member.url,
                   host=c.member.host, c=c.member.captured_at, s=f"{c.similarity.score:.2f}") for c in story.copies]
    related = [fill("<li class=\"related\"><a href=\"$h\">$t</a> <span class=\"meta\">$host · $d · $why</span></li>",
                    h=link("/doc", url=r.member.url), t=r.title or r.member.url, host=r.member.host,
                    d=r.member.appeared, why="shared quote" if r.shared_quotes else f"{r.shared_names} shared names")
               for r in story.related]
    parts = [Markup("<section id=\"same-story\"><h2>Same story elsewhere</h2>"), head]
    if copies:
        parts += [Markup("<h3>Copies</h3><ul class=\"copies\">"), *copies, Markup("</ul>")]
    if related:
        parts += [Markup("<h3>Related coverage</h3><ul class=\"related\">"), *related, Markup("</ul>")]
    return join([*parts, Markup("</section>")])
