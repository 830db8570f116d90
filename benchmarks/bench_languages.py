"""Cleaning and search per language on the replica (English family pages and the Russian,
Persian, Georgian and Armenian services): exact-text articles, boilerplate leaks, dates and
languages right, and whether `archive search` puts each article first for a word of its body
(as printed, and as a reader would type it: no ZWNJ, Arabic letter forms, е for ё, ...).
Writes benchmarks/results/languages.md and languages.json.

    python benchmarks/bench_languages.py
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.extract import clean  # noqa: E402
from archive.index import Document, SqliteIndex  # noqa: E402
from archive.retrieval import search  # noqa: E402
from tests.replica import content  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
# How a reader may type a word differently from the page (the reverse of the page's forms).
TYPED = str.maketrans({"\u200c": None, "ی": "ي", "ک": "ك", "ё": "е", "և": "եւ"})
WORD = re.compile(r"[^\W\d_][^\W_\u200c]*(?:\u200c[^\W_]+)*")


def _word(article) -> str:
    """The longest word of the article's second paragraph (its first is the dateline's)."""
    text = article.paragraphs[min(1, len(article.paragraphs) - 1)]
    return max(WORD.findall(text), key=len)


def main() -> int:
    rows: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    seen = {}
    for epoch in (1, 2):
        for article in content.articles(epoch):
            seen[(article.url, tuple(article.paragraphs))] = (epoch, article)
    docs = []
    for epoch, article in seen.values():
        _, _, body = content.page(article.host, article.path, epoch)
        started = time.perf_counter()
        doc = clean(body, article.url)
        seconds = time.perf_counter() - started
        row = rows[article.language]
        row["articles"] += 1
        row["exact_text"] += [p for p in doc.paragraphs if p not in article.optional] == article.paragraphs
        row["leaks"] += sum(1 for b in article.boilerplate if b not in article.optional and b in doc.text)
        row["date_right"] += doc.published == article.published
        row["language_right"] += (doc.language or "")[:2] == article.language
        row["clean_ms"] += seconds * 1000
        docs.append((epoch, article, doc))
    with tempfile.TemporaryDirectory(prefix="bench-languages-") as tmp:
        index = SqliteIndex(Path(tmp) / "index.sqlite3")
        latest = {}
        for n, (epoch, article, doc) in enumerate(docs, 1):
            latest[article.url] = (n, article, doc)
        for n, article, doc in latest.values():
            index.db.execute("INSERT INTO captures (id, url, urlkey, host, fetched_at, status, record_type, record_id,"
                             " warc_file, warc_offset, warc_length) VALUES (?,?,?,?,?,200,'response',?,'f',0,1)",
                             (n, article.url, article.url, article.host, "2026-11-01T12:00:00Z", f"<r{n}>"))
            index.add_document(Document(capture_id=n, url=article.url, urlkey=article.url, host=article.host,
                                        captured_at="2026-11-01T12:00:00Z", page_type="article", title=doc.title,
                                        text=doc.text, text_digest=str(n), metadata={"language": doc.language}))
        for _, article, _ in latest.values():
            row, word = rows[article.language], _word(article)
            row["search_queries"] += 1
            for key, query in (("search_first", word), ("search_first_as_typed", word.translate(TYPED))):
                hits = search(index, f'"{query}"', limit=5)
                row[key] += bool(hits) and hits[0].document.url == article.url
        index.close()
    order = [lang for lang in NAMES if lang in rows] + sorted(set(rows) - set(NAMES))
    table = {lang: {**rows[lang], "clean_ms": round(rows[lang]["clean_ms"] / rows[lang]["articles"], 2)} for lang in order}
    data = {"generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
            "languages": table}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "languages.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "languages.md").write_text(render(data))
    print(render(data))
    return 0


NAMES = {"en": "English (rferl, npr, stations)", "ru": "Russian (rferl + Svoboda)", "fa": "Persian (Farda, RTL)",
         "ka": "Georgian (Tavisupleba)", "hy": "Armenian (Azatutyun)"}


def render(d: dict) -> str:
    lines = [f"| {NAMES.get(lang, lang)} | {r['articles']} | {r['exact_text']} | {r['leaks']} | {r['date_right']} | "
             f"{r['language_right']} | {r['search_first']}/{r['search_queries']} | "
             f"{r['search_first_as_typed']}/{r['search_queries']} | {r['clean_ms']} |"
             for lang, r in d["languages"].items()]
    return f"""# Cleaning and search per language (replica)

Generated {d['generated']} by `python benchmarks/bench_languages.py` (Python {d['machine']['python']},
{d['machine']['cpus']} CPUs). Every replica article of both epochs, cleaned by `archive.extract.clean`
from the bytes the replica serves; then the latest copy of each indexed in SQLite FTS5 as
`archive search` reads it.

- *exact text*: the cleaned paragraphs equal the ground truth; *leaks*: boilerplate strings of
  the page (chrome, notices, promos, follow/subscribe lines, author cards, captions) found in the text;
- *date*, *language*: `published` and the language (primary subtag) equal the ground truth. Radio
  Farda pages print only a Solar Hijri date in Persian digits; Azatutyun pages declare no language;
- *search first*: the article is the first hit for the longest word of its second paragraph, as
  printed and *as typed* (ZWNJ left out, Arabic ي/ك for Persian ی/ک, е for ё, եւ for և). English
  replica stories share their long words ("infrastructure", "administration") across many
  articles, so another story may rightly rank first there: that column measures ranking, not recall.

| language | articles | exact text | leaks | date right | language right | search first | search first, as typed | clean ms/article |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(lines)}
"""


if __name__ == "__main__":
    sys.exit(main())
