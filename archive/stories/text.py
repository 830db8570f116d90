"""Text as the story logic compares it: one normal form, its words, shingles, quotes, names.

The normal form forgives what differs between outlets printing the same words: typographic
quote marks and apostrophes, dashes, non-breaking and repeated whitespace, letter case and
Unicode compatibility forms. `archive quote` and the copy signatures both read text this way,
so a passage typed with straight quotes finds a page printed with curly ones.
"""

from __future__ import annotations

import re
import unicodedata

# Every quotation mark a news page prints, with the ASCII ones; they all normalise away.
QUOTE_MARKS = "\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2032\u2033\u300c\u300d"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_QUOTES = re.compile("[" + re.escape(QUOTE_MARKS) + "]")
_DASHES = re.compile("[" + DASHES + "]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:[-']\w+)*")
# A quoted passage: opening mark, at least a few words, closing mark (any pairing of marks,
# since pages mix them).
_QUOTED = re.compile("[\"\u201c\u201e\u00ab\u2039\u300c]([^\"\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u300c\u300d]{20,1200})"
                     "[\"\u201d\u201c\u00bb\u203a\u300d]")
_SENTENCE_END = re.compile("[.!?\u2026][" + re.escape(QUOTE_MARKS) + ")]*$")
_RUN_END = re.compile("[.!?,;:\u2026][" + re.escape(QUOTE_MARKS) + ")]*$")
# Capitalised words that start sentences or join names without being names themselves.
_NOT_NAMES = frozenset("""a an and as at but by for from he her his i if in into it its my no not of on or our
she so that the their then there these they this those to up we what when where which who why with you your
mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december""".split())


def _folded(text: str) -> str:
    """The normal form but for whitespace (what splitting into words does not need)."""
    return _DASHES.sub("-", _QUOTES.sub("", unicodedata.normalize("NFKC", text or ""))).casefold()


def normalize(text: str) -> str:
    """Compatibility-folded, lower case, quote marks removed, dashes as '-', one space between words."""
    return " ".join(_folded(text).split())  # str.split's whitespace is the regex module's \s


def words(text: str) -> list[str]:
    """The words of `text` in its normal form (punctuation dropped)."""
    return _WORD.findall(_folded(text))


def quotations(text: str, min_words: int) -> list[str]:
    """Passages printed between quotation marks, at least `min_words` long, in normal form:
    statements two outlets quote word for word."""
    out = []
    for passage in _QUOTED.findall(unicodedata.normalize("NFKC", text or "")):
        tokens = words(passage)
        if len(tokens) >= min_words:
            out.append(" ".join(tokens))
    return list(dict.fromkeys(out))


def _ranges(chars: list[str]) -> str:
    """A regex character class body for `chars` (sorted), consecutive code points as ranges."""
    out, start, prev = [], None, None
    for c in chars + [None]:
        if c is not None and prev is not None and ord(c) == ord(prev) + 1:
            prev = c
            continue
        if start is not None:
            out.append(re.escape(start) + ("-" + re.escape(prev) if prev != start else ""))
        start = prev = c
    return "".join(out)


# str.isupper as a character class (no code point at or above U+20000 is upper case), so one
# regex pass finds the capitalised tokens and Python sees only those.
_UPPER = _ranges([chr(c) for c in range(0x20000) if chr(c).isupper()])
_NAME_STRIP = QUOTE_MARKS + "()[],.;:!?\u2026"
# A capitalised token with the whitespace before it, in a paragraph with a space put in front:
# the match starts where the previous token ends (0: there is none), so a run of capitalised
# tokens is a run of matches that touch.
_CAPITALISED = re.compile("\\s+([" + re.escape(_NAME_STRIP) + "]*[" + _UPPER + "]\\S*)")
_BEFORE = 200  # characters looked back at for the end of the token before a run


def names(text: str, limit: int | None = None) -> list[str]:
    """Runs of capitalised words (people, places, agencies), lower-cased: a cheap stand-in for
    named entities. A lone capitalised word opening a sentence is not taken (it is usually
    not a name); a run of two or more is. With `limit`, the first `limit` distinct names
    (an article names its event's people and places early)."""
    found: list[str] = []
    for paragraph in unicodedata.normalize("NFKC", text or "").split("\n"):
        if limit is not None and len(set(found)) >= limit:
            break
        run: list[str] = []
        run_opens_sentence = False
        end, previous = -1, ""  # where the last capitalised token ends, and it
        paragraph = " " + paragraph
        for match in _CAPITALISED.finditer(paragraph):
            token, start = match.group(1), match.start()
            if run and start != end:  # a lower-case token came between: it ends the run
                if len(run) >= 2 or not run_opens_sentence:
                    found.append(" ".join(run))
                run = []
            word = token.strip(_NAME_STRIP).casefold()
            if word not in _NOT_NAMES:
                if not run:
                    run_opens_sentence = (start == 0 or token[0] in QUOTE_MARKS or bool(
                        _SENTENCE_END.search(previous) if start == end else
                        _SENTENCE_END.search(paragraph, max(0, start - _BEFORE), start)))
                run.append(word)
            if run and (word in _NOT_NAMES or _RUN_END.search(token)):
                if len(run) >= 2 or not run_opens_sentence:
                    found.append(" ".join(run))
                run = []
            end, previous = match.end(), token
        if run and (len(run) >= 2 or not run_opens_sentence):
            found.append(" ".join(run))
    return list(dict.fromkeys(found))[:limit]
