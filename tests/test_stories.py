"""The same story across outlets: copies, their origin, shared quotes, on the replica's ground
truth (tests/replica/syndication.py) and on small hand-made cases."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from warcio.archiveiterator import ArchiveIterator

from archive import related
from archive.index import SqliteIndex, open_index
from archive.reextract import reextract
from archive.retrieval import BadRequest, NotFound
from archive.store import INDEX_NAME, Archive, Exchange, index_url
from archive.stories.signature import NUM_PERM, SCHEME, minhash_values, shingle_hashes, similarity
from archive.stories.text import names, normalize, words
from tests.conftest import PROJECT_ROOT
from tests.replica.syndication import SHARED_STATEMENTS
from tests.story_support import found_copy_pairs, store_replica, true_copy_pairs


@pytest.fixture(scope="module")
def replica(tmp_path_factory, backend):
    root = tmp_path_factory.mktemp("stories") / "archive"
    articles = store_replica(root)
    return root, articles


@pytest.fixture
def embedded(monkeypatch):
    """For a test that builds archives of its own: in folders, whatever `backend` is."""
    for name in ("ARCHIVE_INDEX", "WARC_STORE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def index(replica):
    index = open_index(index_url(replica[0]), readonly=True)
    yield index
    index.close()


def by_key(articles, key):
    from tests.replica import content

    return next(a for a in articles if content._key_for(a) == key)


def precision_recall(found: set, truth: set) -> tuple[float, float]:
    hits = len(found & truth)
    return (hits / len(found) if found else 1.0), (hits / len(truth) if truth else 1.0)


def test_copies_are_found_with_precision_and_recall_of_at_least_098(replica, index):
    _, articles = replica
    truth = true_copy_pairs(articles)
    assert len(truth) >= 6  # the replica has copies to find
    precision, recall = precision_recall(found_copy_pairs(index, articles), truth)
    assert precision >= 0.98 and recall >= 0.98, (precision, recall)


def test_every_syndicated_copy_names_the_npr_story_as_origin(replica, index):
    _, articles = replica
    copies = [a for a in articles if a.copy_of]
    assert {related.related(index, a.url).origin.kind for a in copies} >= {"canonical", "jsonld", "syndication",
                                                                            "earliest"}
    for article in copies:
        story = related.related(index, article.url)
        assert story.origin.member is not None and story.origin.member.url == article.copy_of, article.url
        assert not story.is_origin
        assert article.copy_of in [c.member.url for c in story.copies]


def test_the_origin_sees_its_copies_newest_first_with_similarity(replica, index):
    _, articles = replica
    origin = next(a for a in articles if a.copy_of).copy_of
    story = related.related(index, origin)
    assert story.is_origin
    copies = [c.member.url for c in story.copies]
    assert set(copies) == {a.url for a in articles if a.copy_of == origin}
    stamps = [c.member.captured_at for c in story.copies]
    assert stamps == sorted(stamps, reverse=True)
    assert all(c.similarity.containment >= 0.8 for c in story.copies)


def test_a_shared_quote_makes_related_coverage_not_a_copy(replica, index):
    _, articles = replica
    for _, keys in SHARED_STATEMENTS:
        first, later = by_key(articles, keys[0]), by_key(articles, keys[1])
        story = related.related(index, later.url)
        assert first.url not in [c.member.url for c in story.copies]
        coverage = {r.member.url: r for r in story.related}
        assert first.url in coverage and coverage[first.url].shared_quotes >= 1


def test_quote_finds_the_first_appearance_then_every_later_one(replica, index):
    _, articles = replica
    for statement, keys in SHARED_STATEMENTS:
        # typed with straight quotes, a plain hyphen for any dash and untidy spacing
        typed = " ".join(statement.replace("\u201c", '"').replace("\u201d", '"').split()[:14]).upper() + "  "
        result = related.quote(index, typed)
        urls = [a.document.url for a in result.appearances]
        assert urls[0] == by_key(articles, keys[0]).url
        assert set(urls) == {by_key(articles, k).url for k in keys}
        assert [a.appeared for a in result.appearances] == sorted(a.appeared for a in result.appearances)


def test_quote_checks_the_words_exactly_not_only_the_index(replica, index):
    with pytest.raises(NotFound):  # every word is in the archive, not in this order
        related.quote(index, "river the along community every")
    with pytest.raises(BadRequest):
        related.quote(index, "“two words”")


def test_pages_sharing_only_boilerplate_are_not_copies(tmp_path, embedded):
    boiler = [f"Membership note {i}: " + " ".join(f"give{i}w{j}" for j in range(25)) for i in range(10)]
    bodies = [f"Story {n}: " + " ".join(f"word{n}x{i}" for i in range(40)) for n in range(8)]
    learned_host = "station.example"

    def store(root, learn: bool) -> set[int]:
        from archive.extract import LearnedBoilerplate

        learned = LearnedBoilerplate()
        with Archive(root) as archive:
            if learn:
                for n in range(8):
                    learned.observe(learned_host, f"http://{learned_host}/p{n}", [bodies[n], *boiler])
                archive.save_learned_boilerplate(learned)
            for n in range(2):
                url = f"http://{learned_host}/story/{n}"
                capture = archive.record_exchange(Exchange(url, "GET", [], 200, [("Content-Type", "text/html")],
                                                           f"page {n}".encode(), fetched_at=f"2026-10-0{n + 1}T00:00:00Z"))
                archive.record_document(capture, {"text": "\n\n".join([bodies[n], *boiler]), "page_type": "article"})
            return {archive.index.story(d.id)["cluster_id"] for d in archive.index.all_documents()}

    assert len(store(tmp_path / "unlearned", learn=False)) == 1  # without the learned blocks: one "story"
    assert len(store(tmp_path / "learned", learn=True)) == 2


def test_reextract_rebuilds_the_same_groups_and_origins(tmp_path, embedded):
    root = tmp_path / "archive"
    articles = store_replica(root)
    copies = [a for a in articles if a.copy_of]
    with Archive(root) as archive:
        before = found_copy_pairs(archive.index, articles)
        origins = {a.url: related.related(archive.index, a.url).origin.member.url for a in copies}
        archive.index.clear_stories()
        with pytest.raises(NotFound, match="reextract"):
            related.related(archive.index, copies[0].url)
        summary = reextract(archive, workers=1)
        assert summary.failed == 0
        assert found_copy_pairs(archive.index, articles) == before
        assert {a.url: related.related(archive.index, a.url).origin.member.url for a in copies} == origins


def test_storing_in_another_order_gives_the_same_groups(tmp_path, replica, index, embedded):
    articles = store_replica(tmp_path / "reversed", reverse=True)
    other = SqliteIndex(tmp_path / "reversed" / INDEX_NAME, readonly=True)
    try:
        assert found_copy_pairs(other, articles) == found_copy_pairs(index, replica[1])
        for article in (a for a in articles if a.copy_of):
            assert related.related(other, article.url).origin.member.url == article.copy_of
    finally:
        other.close()


def test_metadata_record_says_what_the_copy_claims(replica, index):
    root, articles = replica
    copy = next(a for a in articles if a.copy_of and a.rights)
    document = index.document(copy.url)
    with Archive(root, readonly=True) as archive, archive.store.open(document.conversion_file) as handle:
        data = next(json.loads(record.content_stream().read()) for record in ArchiveIterator(handle)
                    if record.rec_headers.get_header("WARC-Record-ID") == document.metadata_record_id)
    assert data["story"]["claimed_origin"]["kind"] == "syndication"
    assert data["story"]["claimed_origin"]["outlet"] == "NPR"
    assert data["story"]["origin"]["url"] == copy.copy_of  # the NPR story was stored first


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "archive", *args, "--archive-dir", str(root)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)


def test_cli_related_and_quote(replica):
    root, articles = replica
    copy = next(a for a in articles if a.copy_of)
    result = run(root, "related", copy.url, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["origin"]["url"] == copy.copy_of and data["cluster_id"]
    text = run(root, "related", copy.url)
    assert text.returncode == 0 and f"Origin: {copy.copy_of}" in text.stdout
    statement, keys = SHARED_STATEMENTS[1]
    quoted = run(root, "quote", statement[:120], "--format", "json")
    assert quoted.returncode == 0, quoted.stderr
    assert json.loads(quoted.stdout)["first"]["url"] == by_key(articles, keys[0]).url


def test_cli_bad_input_is_one_line_and_an_exit_code(replica):
    root, _ = replica
    for args, code in ((("related", "http://nowhere.example/a"), 3), (("quote", "hi"), 2),
                       (("quote", "no archived page holds these words at all"), 3),
                       (("related", "http://npr.replica.test/x", "--limit", "0"), 2)):
        result = run(root, *args)
        assert result.returncode == code, (args, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0


def test_jsonl_export_carries_the_cluster_id(replica):
    root, articles = replica
    result = run(root, "export", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    lines = {json.loads(line)["url"]: json.loads(line)["cluster_id"] for line in result.stdout.splitlines()}
    copy = next(a for a in articles if a.copy_of)
    assert lines[copy.url] == lines[copy.copy_of] is not None
    assert len(set(lines.values())) == len(lines) - len({a.url for a in articles if a.copy_of})


def test_normal_form_forgives_quote_marks_dashes_space_and_case():
    assert normalize("\u201cIt\u2019s  a\u00a0test \u2014 OK\u201d") == normalize('"its a test - ok"') == "its a test - ok"


def test_minhash_is_datasketchs_so_stored_signatures_stay_valid():
    """The numpy MinHash gives the values datasketch's own MinHash gives for the same pre-hashed
    shingles, so signatures stored before it (and `archive reextract`) agree with it."""
    from datasketch import MinHash

    text = " ".join(f"word{n} other{n % 11}" for n in range(300))
    for tokens in (words(text), words("Too short."), []):
        grams = shingle_hashes(tokens)
        theirs = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=int)
        theirs.update_batch(grams.tolist())
        assert minhash_values(grams).tolist() == theirs.hashvalues.tolist()
    a, b = (minhash_values(shingle_hashes(words(t))) for t in (text, text[:len(text) // 2] + " and then a different half" * 20))
    ours, theirs = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashvalues=a), \
        MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashvalues=b)
    assert similarity(a, 100, b, 100).jaccard == round(ours.jaccard(theirs), 3) < 1.0


def test_shingle_hashes_are_the_documented_crc32_combination_so_stored_signatures_stay_valid():
    """A plain-Python reference of the shingle hash (CRC-32 of each word's UTF-8 bytes, combined
    along runs of SHINGLE_WORDS words): any faster implementation must give the same values,
    in every script, or stored signatures would stop matching new ones."""
    import zlib

    from archive.stories.signature import SHINGLE_WORDS, _MIX

    tokens = words("Новогодняя ёлка на площади, café «déjà vu» — 東京 ист. Ünïcode and ASCII words, "
                   "and the ASCII words again: Новогодняя ёлка на площади.")
    mask, mix = (1 << 64) - 1, int(_MIX[1])
    expected = set()
    for start in range(len(tokens) - SHINGLE_WORDS + 1):
        first, *rest = (zlib.crc32(word.encode("utf-8")) for word in tokens[start:start + SHINGLE_WORDS])
        value = first
        for crc in rest:
            value = (value * mix + crc) & mask
        expected.add((value ^ (value >> 32)) & 0xFFFFFFFF)
    assert shingle_hashes(tokens).tolist() == sorted(expected)


def test_names_are_capitalised_runs_but_not_a_lone_word_opening_a_sentence():
    text = ("Officials met. Officials in New York met Kovar Dulem, then Brno. The Mayor spoke.\n"
            "\u201cPolice came,\u201d said (Anna) of the U.N. Security Council.")
    assert names(text) == ["new york", "kovar dulem", "brno", "mayor", "anna", "u.n", "security council"]
    assert names(text, limit=2) == ["new york", "kovar dulem"]


def wsgi_get(app, path: str, query: str = "") -> tuple[int, bytes]:
    answer = {}

    def start_response(status, headers):
        answer["status"] = int(status.split()[0])

    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query}, start_response))
    return answer["status"], body


def test_web_panel_and_json_api(replica):
    from urllib.parse import urlencode

    from archive.web.app import ViewerApp

    root, articles = replica
    app = ViewerApp(root)
    copy = next(a for a in articles if a.copy_of)
    status, body = wsgi_get(app, "/doc", urlencode({"url": copy.url}))
    page = body.decode()
    assert status == 200 and "Same story elsewhere" in page and 'id="story-origin"' in page
    assert copy.copy_of in page[page.index("Same story elsewhere"):]
    status, body = wsgi_get(app, "/api/related", urlencode({"url": copy.url}))
    assert status == 200 and json.loads(body)["origin"]["url"] == copy.copy_of
    statement, keys = SHARED_STATEMENTS[0]
    status, body = wsgi_get(app, "/api/quote", urlencode({"q": statement[:100]}))
    assert status == 200 and json.loads(body)["first"]["url"] == by_key(articles, keys[0]).url
    assert wsgi_get(app, "/api/quote", urlencode({"q": "a b"}))[0] == 400
    assert wsgi_get(app, "/api/related", urlencode({"url": "http://nowhere.example/x"}))[0] == 404
