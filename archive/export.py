"""Exports for other tools: CDXJ (pywb, ReplayWeb.page), WACZ 1.1.1, and JSON Lines of the
cleaned copies with their provenance.

CDXJ and WACZ cover the original WARCs only (request/response/revisit): the `-text` files
with conversion and metadata records stay out of replay collections (DESIGN.md). The CDXJ
is cdxj-indexer's own output, sorted as it sorts; the WACZ is built here per the WACZ 1.1.1
spec (stored WARCs under archive/, that CDXJ as indexes/index.cdx, pages/pages.jsonl, and
datapackage.json + datapackage-digest.json with sha256 of every file).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Iterable, Iterator

from archive import SOFTWARE
from archive.index import Index
from archive.warc.storage import WarcStore, local_copies

WACZ_VERSION = "1.1.1"
TEXT_SUFFIX = "-text.warc.gz"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}


def replay_warcs(store: WarcStore) -> list[str]:
    """The closed WARC files that hold originals (no `-text` companions, no `.open` files)."""
    return [name for name in store.names() if not name.endswith(TEXT_SUFFIX)]


def write_cdxj(paths: Iterable[Path], out: IO[str]) -> None:
    """Sorted CDXJ of `paths`, exactly as `cdxj-indexer --sort` writes it (filename field:
    the WARC's base name)."""
    from cdxj_indexer.main import CDXJIndexer  # heavy (~0.1 s): only when exporting

    CDXJIndexer(out, [str(path) for path in paths], sort=True).process_all()


def replay_lines(cdxj: str) -> str:
    """The CDXJ a player replays from: every line but `server-not-modified` revisits (a 304
    answer holds no payload; ReplayWeb.page shows an empty frame for one, so a URL whose latest
    capture was a 304 would replay as nothing). The WARC keeps those records; the plain
    `--format cdxj` export lists them, as cdxj-indexer does."""
    kept = []
    for line in cdxj.splitlines(keepends=True):
        fields = line.split(" ", 2)
        if len(fields) == 3 and '"warc/revisit"' in fields[2]:
            row = json.loads(fields[2])
            if row.get("mime") == "warc/revisit" and str(row.get("status")) == "304":
                continue
        kept.append(line)
    return "".join(kept)


def document_lines(index: Index) -> Iterator[dict]:
    """Every current cleaned copy with its metadata, its story (the group of copies of one
    story across outlets: `archive related`) and where it came from."""
    for document in index.all_documents():
        capture = index.capture(document.capture_id)
        story = index.story(document.id)
        yield {
            "cluster_id": story["cluster_id"] if story else None,
            "url": document.url,
            "captured_at": document.captured_at,
            "page_type": document.page_type,
            "title": document.title,
            "published": document.published,
            "text": document.text,
            "metadata": document.metadata,
            "extractor": document.extractor,
            "rules_version": document.rules_version,
            "text_digest": document.text_digest,
            "provenance": {
                "warc_file": capture.warc_file,
                "warc_offset": capture.warc_offset,
                "warc_length": capture.warc_length,
                "record_id": capture.record_id,
                "record_type": capture.record_type,
                "payload_digest": capture.payload_digest,
                "status": capture.status,
                "fetched_at": capture.fetched_at,
                "conversion_file": document.conversion_file,
                "conversion_offset": document.conversion_offset,
                "conversion_record_id": document.conversion_record_id,
                "metadata_record_id": document.metadata_record_id,
            },
        }


def write_jsonl(index: Index, out: IO[str]) -> int:
    count = 0
    for line in document_lines(index):
        out.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def pages(index: Index) -> Iterator[dict]:
    """pages.jsonl entries: one per current cleaned article, at its capture time."""
    for document in index.all_documents():
        if document.page_type != "article":
            continue
        yield {"id": f"doc-{document.id}", "url": document.url, "ts": document.captured_at,
               "title": document.title or document.url, "text": document.text}


def write_wacz(index: Index, store: WarcStore, output: Path, *, title: str = "newsarchive export") -> dict:
    """A WACZ file at `output`; returns its datapackage (the manifest)."""
    names = replay_warcs(store)
    if not names:
        raise ValueError(f"no closed WARC files in {store.url}")
    with local_copies(store, names) as paths:
        return _write_wacz(index, paths, output, title=title)


def _write_wacz(index: Index, paths: list[Path], output: Path, *, title: str) -> dict:
    cdxj = io.StringIO()
    write_cdxj(paths, cdxj)
    page_lines = [json.dumps(PAGES_HEADER)] + [json.dumps(page, ensure_ascii=False) for page in pages(index)]
    resources = []
    tmp = output.with_name(output.name + ".part")
    with zipfile.ZipFile(tmp, "w", allowZip64=True) as wacz:
        for path in paths:  # stored, not deflated: replay reads records by offset
            digest, size = _sha256_file(path)
            wacz.write(path, f"archive/{path.name}", compress_type=zipfile.ZIP_STORED)
            resources.append(_resource(f"archive/{path.name}", digest, size))
        for member, data in (("indexes/index.cdx", replay_lines(cdxj.getvalue()).encode("utf-8")),
                             ("pages/pages.jsonl", ("\n".join(page_lines) + "\n").encode("utf-8"))):
            wacz.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)
            resources.append(_resource(member, "sha256:" + hashlib.sha256(data).hexdigest(), len(data)))
        created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        package = {"profile": "data-package", "wacz_version": WACZ_VERSION, "title": title,
                   "created": created, "modified": created, "software": SOFTWARE, "resources": resources}
        package_bytes = json.dumps(package, indent=2).encode("utf-8")
        wacz.writestr("datapackage.json", package_bytes, compress_type=zipfile.ZIP_DEFLATED)
        digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
        wacz.writestr("datapackage-digest.json", json.dumps(digest, indent=2), compress_type=zipfile.ZIP_DEFLATED)
    tmp.replace(output)
    return package


def _resource(path: str, digest: str, size: int) -> dict:
    return {"name": Path(path).name.lower(), "path": path, "hash": digest, "bytes": size}


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return "sha256:" + digest.hexdigest(), size
