"""How a stored document is shown: txt, json or markdown, with its provenance."""

from __future__ import annotations

import json
from typing import Any

from archive.index import Document


def provenance(document: Document, archive=None) -> dict[str, Any]:
    """Where the cleaned copy and its original sit (the archivist's way back)."""
    data = {
        "captured_at": document.captured_at,
        "capture_id": document.capture_id,
        "conversion_record": {"file": document.conversion_file, "offset": document.conversion_offset,
                              "record_id": document.conversion_record_id},
        "extractor": document.extractor,
        "profile": document.profile,
        "rules_version": document.rules_version,
    }
    if archive is not None:
        capture = archive.index.capture(document.capture_id)
        if capture is not None:
            data["original_record"] = {"file": capture.warc_file, "offset": capture.warc_offset,
                                       "length": capture.warc_length, "record_id": capture.record_id,
                                       "payload_digest": capture.payload_digest,
                                       "path": archive.warc_location(capture.warc_file)}
    return data


def document_dict(document: Document, archive=None) -> dict[str, Any]:
    return {**document.metadata, "url": document.url, "title": document.title, "text": document.text,
            "page_type": document.page_type, "text_digest": document.text_digest,
            "provenance": provenance(document, archive)}


def render_document(document: Document, fmt: str, archive=None) -> str:
    data = document_dict(document, archive)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    original = data["provenance"].get("original_record", {})
    authors = ", ".join(data.get("authors") or [])
    if fmt == "markdown":
        lines = [f"# {data['title'] or '(untitled)'}", ""]
        lines += [f"- **URL:** <{data['url']}>", f"- **Captured:** {document.captured_at}"]
        if data.get("published"):
            lines.append(f"- **Published:** {data['published']}")
        if authors:
            lines.append(f"- **By:** {authors}")
        if original:
            lines.append(f"- **Original:** `{original['file']}` at offset {original['offset']}")
        lines += ["", data["text"], ""]
        for image in data.get("images") or []:
            caption = " ".join(x for x in (image.get("caption"), image.get("credit") and
                                           f"({image['credit']})") if x)
            lines.append(f"![{caption}]({image.get('src') or ''})")
        if data.get("rights"):
            lines += ["", f"_{data['rights']}_"]
        return "\n".join(lines).rstrip() + "\n"
    lines = [data["title"] or "(untitled)", f"URL: {data['url']}", f"Captured: {document.captured_at}"]
    if data.get("published"):
        lines.append(f"Published: {data['published']}")
    if authors:
        lines.append(f"By: {authors}")
    if original:
        lines.append(f"Original: {original['path']} @ {original['offset']}")
    return "\n".join(lines) + "\n\n" + data["text"].rstrip() + "\n"


# -- lists: search hits, capture history, diffs (shared by `archive` and `archive serve`) ----
def hit_dict(hit) -> dict[str, Any]:
    """A search hit (archive.retrieval.SearchHit) as JSON: matches marked with [ ]."""
    document = hit.document
    return {"url": document.url, "title": document.title, "host": document.host,
            "captured_at": document.captured_at, "published": document.published,
            "score": round(hit.score, 4), "snippet": hit.marked("[", "]")}


def render_hits(hits: list, fmt: str) -> str:
    if fmt == "json":
        return json.dumps([hit_dict(hit) for hit in hits], ensure_ascii=False, indent=2)
    lines = []
    for number, hit in enumerate(hits, 1):
        document = hit.document
        if fmt == "markdown":
            lines += [f"{number}. **[{document.title or document.url}](<{document.url}>)**"
                      f" — {document.host}, captured {document.captured_at}",
                      f"   > {hit.marked('**', '**')}", ""]
        else:
            lines += [f"{number}. {document.title or '(untitled)'}",
                      f"   {document.url}  (captured {document.captured_at})",
                      f"   {hit.marked('[', ']')}", ""]
    return "\n".join(lines)


def change_label(entry) -> str:
    """What a history entry says about the cleaned text, in one word."""
    if entry.text_digest is None:
        return "no text"
    if entry.text_changed is None:
        return "first"
    return "changed" if entry.text_changed else "same"


def render_history(entries: list, fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{**entry.to_dict(), "text": change_label(entry)} for entry in entries],
                          ensure_ascii=False, indent=2)
    header = ("captured", "status", "record", "text", "WARC file", "offset")
    rows = [(e.fetched_at, str(e.status), e.record_type, change_label(e), e.warc_file, str(e.warc_offset))
            for e in entries]
    if fmt == "markdown":
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return "\n".join(out + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in [header, *rows]) + "\n"


def render_diff(result, fmt: str) -> str:
    """A retrieval.Diff as unified diff text, or "no change" when the texts are identical."""
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
    if not result.changed:
        if result.old.id == result.new.id:
            return f"no change: only one cleaned copy to compare (captured {result.new.captured_at})\n"
        return (f"no change between {result.old.captured_at} and {result.new.captured_at}"
                f" ({result.new.url})\n")
    text = "".join(result.lines)
    return f"```diff\n{text}```\n" if fmt == "markdown" else text
