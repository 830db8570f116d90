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
                                       "path": str(archive.warc_path(capture.warc_file))}
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
