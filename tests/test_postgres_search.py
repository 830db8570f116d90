"""PostgresIndex.search on a real server: however the window of recent matches is found (walking
the newest documents, the GIN index in id ranges newest first, or the whole GIN index), the hits
are the same: the best ranked of the `rank_window` most recent documents holding all the words,
phrases checked among them."""

from __future__ import annotations

import pytest

from archive.index import Capture, Document, open_index

# Each way of finding the window, forced through the cost model's constants.
PLANS = {
    "walk": {"WALK_ROW": 0.0},
    "whole index": {"WALK_ROW": 1e9, "RANGE_ID": 1e9},
    "id ranges": {"WALK_ROW": 1e9, "RANGE_ID": 0.0, "RANGE_MARGIN": 0.2},  # several ranges read
}


def _add(index, n: int, title: str, text: str, host: str = "rferl.org", day: int = 1) -> int:
    url = f"https://www.{host}/a/{n}.html"
    capture = Capture(url=url, urlkey=url, host=host, fetched_at=f"2024-05-{day:02d}T10:00:00Z", status=200,
                      record_type="response", record_id=f"<urn:uuid:{n}>", warc_file="f.warc.gz",
                      warc_offset=n * 100, warc_length=100)
    index.add_capture(capture)
    return index.add_document(Document(
        capture_id=capture.id, url=url, urlkey=url, host=host, captured_at=capture.fetched_at, page_type="article",
        title=title, text=text, text_digest=str(n), conversion_record_id=f"<conv:{n}>",
        metadata={"language": "en"}))


def _search(index, plan: str, query: str, **kwargs):
    for name, value in PLANS[plan].items():
        setattr(index, name, value)
    try:
        return [(d.id, d.title) for d, _, _ in index.search(query, **kwargs)]
    finally:
        for name in PLANS[plan]:
            delattr(index, name)


@pytest.fixture
def index(postgres_url):
    index = open_index(postgres_url)
    yield index
    index.close()


def test_a_phrase_of_common_words_finds_exactly_the_documents_holding_it_ranked(index):
    filler = "the river was high and the town said a flood might come"  # both words, not as the phrase
    ids = {}
    for n in range(1, 61):
        title, text = f"t{n}", filler
        if n in (7, 19, 33, 48):
            text = filler + f" after the river flood of {n} the walls held" + (" river flood" if n == 33 else "")
        if n == 25:
            title = "River flood"
        ids[n] = _add(index, n, title, text)
    index.conn.execute("ANALYZE documents")
    expected = [ids[25], ids[33]]  # the title weighs more, then the phrase twice
    for plan in PLANS:
        hits = _search(index, plan, '"river flood"')
        assert [i for i, _ in hits[:2]] == expected, plan
        assert sorted(i for i, _ in hits) == sorted(ids[n] for n in (7, 19, 25, 33, 48)), plan
        assert _search(index, plan, '"flood river"') == [], plan  # the words, but never in this order
        assert [t for _, t in _search(index, plan, '"river river"')] == [], plan


def test_every_way_to_the_window_ranks_the_same_most_recent_matches(index):
    ids = {}
    for n in range(1, 201):
        words = "storm " * (1 + n % 7) if n % 3 else "calm weather"  # two in three hold the word
        host = "npr.org" if n % 4 == 0 else "rferl.org"
        ids[n] = _add(index, n, f"t{n}", f"{words} over the coast", host=host, day=1 + n % 28)
    index.conn.execute("ANALYZE documents")  # the plans are chosen by the planner's estimates
    index.rank_window = 20
    for kwargs in ({}, {"host": "npr.org"}, {"since": "2024-05-15"}, {"until": "2024-05-10", "host": "rferl.org"}):
        hits = {plan: _search(index, plan, "storm", limit=50, **kwargs) for plan in PLANS}
        # the window: the 20 most recent matches passing the filters (until 05-10 is before 05-10T10), ranked
        in_window = [ids[n] for n in range(200, 0, -1) if n % 3 and (
            "host" not in kwargs or (kwargs["host"] == "npr.org") == (n % 4 == 0)) and (
            "since" not in kwargs or 1 + n % 28 >= 15) and ("until" not in kwargs or 1 + n % 28 < 10)][:20]
        assert sorted(i for i, _ in hits["walk"]) == sorted(in_window), kwargs
        assert hits["whole index"] == hits["walk"] and hits["id ranges"] == hits["walk"], kwargs


def test_a_phrase_is_relaxed_to_its_distinct_words_for_finding_the_window():
    from archive.index.postgresql import relax_phrases, to_tsquery_text

    assert relax_phrases(to_tsquery_text('"new york" new')) == "'new' & 'york'"  # ANDs only: each once
    assert relax_phrases(to_tsquery_text("(flood river) flood title:flood")) == "'flood' & 'river' & 'flood':A"
    assert relax_phrases(to_tsquery_text('"the the" OR "a b a" title:c*')) == "('the') | ('a' & 'b') & 'c':*A"
    assert relax_phrases(to_tsquery_text("covid-19 NOT flood*")) == "('covid' & '19') & ! 'flood':*"


def test_search_is_planned_for_its_values_and_the_crawls_keyed_statements_once(index, postgres_url):
    """A prepared statement may get a generic plan that does not see the tsquery (a common
    word's search became a full scan): search statements are never prepared, on any
    connection. A writing connection lets PostgreSQL plan its repeated keyed statements once;
    a reading one plans every statement for its values."""
    for n in range(3):
        _add(index, n, f"Title {n}", "the council met on tuesday about the river bridge")
    for _ in range(8):  # psycopg prepares a statement from its 5th run on
        assert index.search("river bridge") and index.document("https://www.rferl.org/a/1.html")
        assert index.phrase_candidates(["river", "bridge"], limit=5)
    prepared = [row["statement"] for row in index._rows("SELECT statement FROM pg_prepared_statements")]
    assert any("FROM documents WHERE urlkey" in statement for statement in prepared)
    assert not [s for s in prepared if "ts_rank" in s or "ts_headline" in s or "tsquery" in s], prepared
    assert index._value("SHOW plan_cache_mode") == "auto"
    reader = open_index(postgres_url, readonly=True)
    try:
        assert reader._value("SHOW plan_cache_mode") == "force_custom_plan"
    finally:
        reader.close()
