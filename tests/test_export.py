"""archive export: sorted CDXJ (cdxj-indexer), WACZ 1.1.1 that `wacz validate` accepts, and
JSON Lines of cleaned copies with their provenance."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import zipfile

from archive.cli import main
from archive.store import Archive, Exchange
from tests.warc_tools import tool

URL = "http://krpl.replica.test/news/2026-10-0{n}/story-{n}"


def _archive(root):
    with Archive(root) as archive:
        for n in (3, 1, 2):
            body = gzip.compress(f"<html><p>Station story {n}</p></html>".encode())
            capture = archive.record_exchange(Exchange(
                url=URL.format(n=n), method="GET", request_headers=[], status=200, body=body,
                response_headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")]))
            archive.record_document(capture, {"text": f"Story {n} text.", "title": f"Story {n}",
                                              "page_type": "article", "authors": ["R. Writer"]})
        archive.record_exchange(Exchange(url=URL.format(n=1), method="GET", request_headers=[], status=304,
                                         response_headers=[], body=b""))
    return root


def test_cdxj_is_sorted_and_matches_cdxj_indexer(tmp_path, capsys):
    _archive(tmp_path)
    out = tmp_path / "index.cdxj"
    assert main(["export", "--archive-dir", str(tmp_path), "--format", "cdxj", "--output", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines == sorted(lines) and len(lines) == 4  # 3 responses + 1 revisit, no -text records
    originals = [str(p) for p in (tmp_path / "warcs").glob("*.warc.gz") if "-text" not in p.name]
    reference = subprocess.run([tool("cdxj-indexer"), "--sort", *originals], capture_output=True, text=True,
                               check=True).stdout.splitlines()
    assert lines == reference
    names = {json.loads(line.split(" ", 2)[2])["filename"] for line in lines}
    assert names == {p.rsplit("/", 1)[-1] for p in originals}


def test_jsonl_has_text_metadata_and_provenance(tmp_path, capsys):
    _archive(tmp_path)
    assert main(["export", "--archive-dir", str(tmp_path), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["title"] for row in rows] == ["Story 3", "Story 1", "Story 2"]
    row = rows[0]
    assert row["text"] == "Story 3 text." and row["metadata"]["authors"] == ["R. Writer"]
    prov = row["provenance"]
    assert prov["warc_file"].endswith(".warc.gz") and prov["record_id"].startswith("<urn:uuid:")
    assert prov["fetched_at"] == row["captured_at"] and prov["conversion_file"].endswith("-text.warc.gz")
    with Archive(tmp_path, readonly=True) as archive:
        from archive import warc
        record, _ = warc.read_record(archive.warc_path(prov["warc_file"]), prov["warc_offset"])
        assert warc.record_id(record) == prov["record_id"]


def test_wacz_validates_and_lists_every_file_with_its_sha256(tmp_path):
    _archive(tmp_path)
    target = tmp_path / "out.wacz"
    assert main(["export", "--archive-dir", str(tmp_path), "--format", "wacz", "--output", str(target)]) == 0
    result = subprocess.run([tool("wacz"), "validate", "-f", str(target)], capture_output=True, text=True)
    assert result.returncode == 0 and "is valid" in result.stdout, result.stdout + result.stderr
    with zipfile.ZipFile(target) as wacz:
        package = json.loads(wacz.read("datapackage.json"))
        assert package["wacz_version"] == "1.1.1"
        names = set(wacz.namelist())
        assert {r["path"] for r in package["resources"]} == names - {"datapackage.json", "datapackage-digest.json"}
        for resource in package["resources"]:
            data = wacz.read(resource["path"])
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["bytes"] == len(data)
        warcs = [info for info in wacz.infolist() if info.filename.startswith("archive/")]
        assert len(warcs) == 1 and all(info.compress_type == zipfile.ZIP_STORED for info in warcs)
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").decode().splitlines()]
        assert pages[0]["format"] == "json-pages-1.0"
        assert sorted(page["url"] for page in pages[1:]) == sorted(URL.format(n=n) for n in (1, 2, 3))
        cdx = wacz.read("indexes/index.cdx").decode().splitlines()
        assert {json.loads(line.split(" ", 2)[2])["filename"] for line in cdx} == {
            info.filename.removeprefix("archive/") for info in warcs}
        digest = json.loads(wacz.read("datapackage-digest.json"))
        assert digest["hash"] == "sha256:" + hashlib.sha256(wacz.read("datapackage.json")).hexdigest()


def test_wacz_needs_an_output_path(tmp_path, capsys):
    _archive(tmp_path)
    assert main(["export", "--archive-dir", str(tmp_path), "--format", "wacz"]) == 2
    assert "--output" in capsys.readouterr().err


def test_the_wacz_replay_index_leaves_out_304_revisits_the_cdxj_export_keeps(tmp_path):
    _archive(tmp_path)
    cdxj, wacz = tmp_path / "index.cdxj", tmp_path / "a.wacz"
    assert main(["export", "--archive-dir", str(tmp_path), "--format", "cdxj", "--output", str(cdxj)]) == 0
    assert main(["export", "--archive-dir", str(tmp_path), "--format", "wacz", "--output", str(wacz)]) == 0
    full = cdxj.read_text().splitlines()
    with zipfile.ZipFile(wacz) as package:
        replay = package.read("indexes/index.cdx").decode().splitlines()
    not_modified = [line for line in full if '"status": "304"' in line]
    assert len(not_modified) == 1 and "warc/revisit" in not_modified[0]
    assert replay == [line for line in full if line not in not_modified]
