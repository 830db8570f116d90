"""`archive search` in Cyrillic, Persian (right to left, ZWNJ, Arabic letter variants, Persian
digits), Georgian and Armenian: words are found however a reader types them, and ranked."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings, strategies as st

from archive.index import SCHEMA_VERSION, Document, SqliteIndex
from archive.index.text import SQLITE_TOKENIZER, normalize_for_search
from archive.retrieval import search

ZWNJ = "\u200c"
# The project's own sentences (title, text) per language: a title hit and a body hit each.
DOCS = [
    ("ru", "Паводок в Барнауле", "Жители берега ждут, когда уйдёт вода и откроется паромная переправа."),
    ("ru", "Новости района", "Власти сообщили, что паводок отступает медленно."),
    ("fa", "کتاب‌های تازه در کتابخانه", "کتابداران می‌گویند ۱۲۰ جلد کتاب به قفسه‌ها اضافه شد."),
    ("fa", "خبرهای شهر", "شهرداری گفت که کتاب‌های اهدایی در کتابخانه‌ی محله نگهداری می‌شود."),
    ("fa", "باران در تهران", "هواشناسی پيش‌بيني كرد كه باران تا آخر هفته ادامه دارد."),  # Arabic ي and ك
    ("ka", "ᲗᲑᲘᲚᲘᲡᲘ: ახალი ავტობუსები", "ქალაქის ქუჩებზე ახალი ელექტრო ავტობუსები გამოჩნდა."),
    ("ka", "ქალაქის ამბები", "მერიამ თქვა, რომ ავტობუსები ზამთრამდე ყველა მარშრუტზე ივლის."),
    ("hy", "Դպրոցները և արևային ջեռուցումը", "Գյուղական դպրոցներում այս ձմեռ արևային կոլեկտորներ կաշխատեն։"),
    ("hy", "Մարզի լուրեր", "Ինչո՞ւ են ուսուցիչները գոհ դպրոցներից, հարցնում է լրագրողը։"),
]


def _index(path) -> SqliteIndex:
    index = SqliteIndex(path)
    for n, (lang, title, text) in enumerate(DOCS, 1):
        url = f"http://{lang}.example/a/{n}"
        index.db.execute("INSERT INTO captures (id, url, urlkey, host, fetched_at, status, record_type, record_id,"
                         " warc_file, warc_offset, warc_length) VALUES (?,?,?,?,?,200,'response',?,'f',0,1)",
                         (n, url, url, f"{lang}.example", f"2026-10-0{n}T00:00:00Z", f"<r{n}>"))
        index.add_document(Document(capture_id=n, url=url, urlkey=url, host=f"{lang}.example",
                                    captured_at=f"2026-10-0{n}T00:00:00Z", page_type="article", title=title,
                                    text=text, text_digest=str(n), metadata={"language": lang}))
    return index


def _urls(index, query: str) -> list[str]:
    return [hit.document.url.rsplit("/", 1)[-1] for hit in search(index, query)]


def test_each_script_is_found_and_a_title_hit_ranks_first(tmp_path):
    index = _index(tmp_path / "i.sqlite3")
    assert _urls(index, "паводок") == ["1", "2"]
    assert _urls(index, "کتاب‌های") == ["3", "4"]
    assert _urls(index, "ავტობუსები") == ["6", "7"]
    assert _urls(index, "դպրոցներ*") == ["8", "9"]


def test_persian_words_match_with_or_without_zwnj_and_in_either_letter_variant(tmp_path):
    index = _index(tmp_path / "i.sqlite3")
    assert _urls(index, "کتابهای") == _urls(index, "کتاب" + ZWNJ + "های") == ["3", "4"]
    assert _urls(index, "میگویند") == ["3"]
    # the page wrote Arabic yeh and kaf; the reader types Persian ones, and the other way round
    assert _urls(index, "پیش‌بینی کرد") == ["5"]
    assert _urls(index, "كتابخانه") == ["3"]  # Arabic kaf in the query
    assert _urls(index, "120") == _urls(index, "۱۲۰") == ["3"]
    assert _urls(index, "کِتابداران") == ["3"]  # a short-vowel mark typed in


def test_russian_yo_georgian_capitals_and_armenian_ligature_and_in_word_marks(tmp_path):
    index = _index(tmp_path / "i.sqlite3")
    assert _urls(index, "уйдет") == _urls(index, "уйдёт") == ["1"]
    assert _urls(index, "თბილისი") == ["6"]  # the title has it in Mtavruli capitals
    assert _urls(index, "արեւային") == _urls(index, "արևային") == ["8"]
    assert _urls(index, "ինչու") == ["9"]  # the text writes Ինչո՞ւ, the question mark inside the word
    assert _urls(index, "մեծ") == []


def test_snippets_mark_the_matched_persian_word_whole(tmp_path):
    index = _index(tmp_path / "i.sqlite3")
    hit = search(index, "میگویند")[0]
    assert hit.marked("[", "]") .count("[") == 1
    assert "[می" + ZWNJ + "گویند]" in hit.marked("[", "]")
    hit = search(index, "ինչու")[0]
    assert "[Ինչո՞ւ]" in hit.marked("[", "]")


def test_a_schema_3_index_is_rebuilt_with_the_normalized_tokens(tmp_path):
    path = tmp_path / "i.sqlite3"
    _index(path).close()
    db = sqlite3.connect(path)
    db.executescript("""
        DROP TRIGGER documents_ai; DROP TRIGGER documents_ad; DROP TABLE documents_fts;
        CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, host, content='documents', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2');
        INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
        UPDATE meta SET value = '3' WHERE key = 'schema_version';""")
    db.close()
    old = SqliteIndex(path, readonly=True)
    assert _urls(old, "کتابهای") == []  # the old tokens: ZWNJ split the word
    old.close()
    migrated = SqliteIndex(path)
    assert migrated.schema_version() == SCHEMA_VERSION
    assert _urls(migrated, "کتابهای") == ["3", "4"] and _urls(migrated, "уйдет") == ["1"]
    migrated.db.execute("DELETE FROM documents WHERE id = 3")  # the delete trigger finds the normalized tokens
    migrated.db.commit()
    assert _urls(migrated, "کتابهای") == ["4"]
    migrated.db.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")  # consistent index


WORDS = st.text(alphabet="کتابیيكك\u064e\u0640\u200cёеЁжაბგᲐᲑևինչո՞ւ ۱2.,", max_size=40)


def _tokens(db: sqlite3.Connection, text: str) -> list[str]:
    db.execute("DELETE FROM t")
    db.execute("INSERT INTO t VALUES (?)", (text,))
    return [row[0] for row in db.execute("SELECT term FROM v ORDER BY offset")]


@settings(max_examples=300, deadline=None)
@given(WORDS)
def test_normalization_never_moves_a_word_boundary_and_is_idempotent(text):
    db = _tokens.db if hasattr(_tokens, "db") else None
    if db is None:
        db = _tokens.db = sqlite3.connect(":memory:")
        db.execute(f'CREATE VIRTUAL TABLE t USING fts5(x, tokenize="{SQLITE_TOKENIZER}")')
        db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    normal = normalize_for_search(text)
    assert len(_tokens(db, normal)) == len(_tokens(db, text))
    assert normalize_for_search(normal) == normal
    assert normalize_for_search("title:flood AND \"river levels\" OR storm*") == "title:flood AND \"river levels\" OR storm*"
