"""The one text normalization full-text search applies, identically to what is indexed and
to what is searched for, whatever the database: SQLite's FTS5 triggers call it through a
registered SQL function, the PostgreSQL backend calls it before `to_tsvector`/`to_tsquery`.

It makes equal what readers of each script type as equal and the tokenizers do not:
- Persian/Arabic: Arabic yeh/kaf/alef maksura -> Persian yeh/kaf, heh with hamza and teh
  marbuta -> heh, hamza-seated alefs -> alef; harakat (short-vowel marks), tatweel, and the
  zero-width (non-)joiners inside a word removed, so "می‌خواهم" (with ZWNJ) and "میخواهم"
  are one word; Persian and Arabic-Indic digits -> ASCII digits ("۱۴۰۵" finds "1405").
- Russian: ё -> е (most text and most readers write е); combining stress accents removed.
- Georgian: Mtavruli capitals -> Mkhedruli (FTS5's case folding does not know them).
- Armenian: the ligature և -> եւ; the emphasis, exclamation and question marks written
  *inside* a word (ինչո՞ւ) removed, so the word is not cut in two.
- everywhere: soft hyphens inside words removed.

It never changes where one word ends and the next begins as the tokenizer sees it (a
character is removed only inside a run of word characters that keeps at least one other),
so FTS5 snippets, which re-tokenize the stored text, still highlight the right words.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that stay inside a word for the tokenizer (SQLite: unicode61 `tokenchars`) and
# that normalization then removes: zero-width non-joiner/joiner, soft hyphen, Armenian
# in-word marks (emphasis U+055B, exclamation U+055C, question U+055E).
TOKEN_CHARS = "\u200c\u200d\u00ad\u055b\u055c\u055e"
# The SQLite FTS5 tokenizer that goes with it: combining marks (M*) are word characters, so
# harakat and stress marks no longer split a word.
SQLITE_TOKENIZER = f"unicode61 remove_diacritics 2 categories 'L* N* Co M*' tokenchars '{TOKEN_CHARS}'"

_MAP = {
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",  # ي ى -> ی, ك -> ک
    "\u06c0": "\u0647", "\u0629": "\u0647",  # ۀ ة -> ه
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",  # أ إ ٱ -> ا (آ stays: a letter of its own)
    "\u0451": "\u0435", "\u0401": "\u0415",  # ё Ё -> е Е
    "\u0587": "\u0565\u0582",  # և -> եւ
    **{chr(0x06F0 + d): str(d) for d in range(10)}, **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x1C90 + i): chr(0x10D0 + i) for i in range(0x2B)},  # Mtavruli -> Mkhedruli
    "\u1cbd": "\u10fd", "\u1cbe": "\u10fe", "\u1cbf": "\u10ff",
}
_TABLE = str.maketrans(_MAP)
_MARKS = "\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
_REMOVABLE = re.compile(f"[{TOKEN_CHARS}{_MARKS}\u0640]")
_SPECIAL = re.compile(f"[{TOKEN_CHARS}{_MARKS}\u0640{''.join(_MAP)}]")
# A run of word characters as the tokenizer sees it (letters, numbers, marks, TOKEN_CHARS).
_RUN = re.compile(f"(?:[^\\W_]|[{TOKEN_CHARS}{_MARKS}\u0640\u0900-\u0dff])+")


def normalize_for_search(text: str | None) -> str:
    """`text` as the full-text index stores it and as queries are matched against it.
    Pure and idempotent; ASCII text (and search syntax: quotes, *, AND/OR/NOT) is unchanged."""
    if not text:
        return text or ""
    if not _SPECIAL.search(text):
        return text
    if _REMOVABLE.search(text):
        text = unicodedata.normalize("NFC", text)  # decomposed й stays й, not и + breve
        text = _RUN.sub(_strip_run, text)
    return text.translate(_TABLE)


def _strip_run(match: re.Match) -> str:
    word = match.group(0)
    stripped = _REMOVABLE.sub("", word)
    return stripped or word
