"""Text as the story logic compares it: one normal form, its words, shingles, quotes, names.

The normal form forgives what differs between outlets printing the same words: typographic
quote marks and apostrophes, dashes, non-breaking and repeated whitespace, letter case and
Unicode compatibility forms. `archive quote` and the copy signatures both read text this way,
so a passage typed with straight quotes finds a page printed with curly ones.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate
from typing import Iterable, Sequence

import numpy as np

# Every quotation mark a news page prints, with the ASCII ones; they all normalise away.
QUOTE_MARKS = "\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2032\u2033\u300c\u300d"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_QUOTES = re.compile("[" + re.escape(QUOTE_MARKS) + "]")
_DASHES = re.compile("[" + DASHES + "]")
# A quoted passage: opening mark, at least a few words, closing mark (any pairing of marks,
# since pages mix them).
_QUOTED = re.compile("[\"\u201c\u201e\u00ab\u2039\u300c]([^\"\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u300c\u300d]{20,1200})"
                     "[\"\u201d\u201c\u00bb\u203a\u300d]")
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


# What a character is to the words of the normal form: part of a word (regex \w), a hyphen
# (ASCII or a dash: it joins two words, "well-known"), dropped (a quote mark or apostrophe:
# "it’s" is "its"), or a separator. `_KEPT`: the end of one piece of text (`word_lists`).
_SEPARATOR, _LETTER, _HYPHEN, _DROPPED, _KEPT = range(5)
_WORD_CHAR = re.compile(r"\w")


def _kinds(chars: str) -> np.ndarray:
    """The kind of each character of `chars`."""
    codes = np.frombuffer(chars.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    marked = np.frombuffer(_WORD_CHAR.sub("\1", chars).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kinds = np.where((marked == 1) & (codes != 1), np.uint8(_LETTER), np.uint8(_SEPARATOR))  # U+0001 is no \w
    kinds[np.isin(codes, [ord(c) for c in "-" + DASHES])] = _HYPHEN
    kinds[np.isin(codes, [ord(c) for c in QUOTE_MARKS])] = _DROPPED
    return kinds


@lru_cache(maxsize=1)
def _bmp_kinds() -> np.ndarray:
    """The kind of every code point below U+10000 (64 KB, built once in a few milliseconds)."""
    return _kinds("".join(map(chr, range(0x10000))))


# What is kept of an ASCII character between words: letters, digits, "_" (regex \\w) and "-"
# (that may join two words); the rest is a separator (bytes.translate's table).
# "\\n" stays: it ends one of several pieces split at once (`_ascii_piece_words`).
_ASCII_WORD_BYTES = bytes(c if chr(c).isalnum() or c in b"_-\n" else 32 for c in range(128)) + b" " * 128
# A hyphen that does not stand between two word characters (in bytes of \\w, "-", " " and
# "\\n"): one with no word character before it or none after it. The pattern opens with the
# hyphen, so the regex engine looks for the hyphens alone (a look-behind first would try every
# byte).
_LOOSE_HYPHEN = re.compile(rb"-(?:(?<![^ \n-]-)|(?![^ \n-]))")
_WORD_RUN = re.compile(r"\w+(?:-\w+)*")
NUMPY_WORDS_FROM = 2000  # characters: below this, the words are split by str and re, not numpy


def _ascii_words(piece: str) -> tuple[str, bytes | None]:
    """(the piece after NFKC without quote marks, and when that is ASCII once dashes are "-":
    its words in lower case separated by spaces, as bytes). Most news text is ASCII by then:
    its words are what bytes.translate leaves, a hyphen that joins nothing made a space."""
    folded = _QUOTES.sub("", unicodedata.normalize("NFKC", piece or ""))
    if not folded.isascii():
        folded = _DASHES.sub("-", folded)
        if not folded.isascii():
            return folded, None
    kept = folded.lower().encode("ascii").translate(_ASCII_WORD_BYTES)
    if b"-" in kept:
        kept = _LOOSE_HYPHEN.sub(b" ", kept)
    return folded, kept


def _ascii_piece_words(pieces: Sequence[str]) -> list[list[str]]:
    """`[_piece_words(p) for p in pieces]` with one pass of `_ascii_words` over all of them
    (a line break between two, newlines inside one made spaces), when they are ASCII once
    folded; else one by one."""
    if len(pieces) > 1:
        folded, kept = _ascii_words("\n".join(piece.replace("\n", " ") for piece in pieces))
        if kept is not None:
            return [line.decode("ascii").split() for line in kept.split(b"\n")]
    return [_piece_words(piece) for piece in pieces]


def _piece_words(piece: str) -> list[str]:
    """`word_lists([piece])[0]` by str methods: cheaper than the numpy pass on a short text
    (each of its dozen-odd numpy calls costs a microsecond or two, whatever the length)."""
    folded, kept = _ascii_words(piece)
    if kept is None:
        return _WORD_RUN.findall(folded.casefold())
    return kept.decode("ascii").split()


def word_lists(pieces: Sequence[str]) -> list[list[str]]:
    """The words of each piece of text in its normal form (runs of \\w joined by single
    hyphens, quote marks dropped, punctuation a separator). Short pieces (under
    NUMPY_WORDS_FROM characters in all) one by one with str methods (`_piece_words`); longer
    ones in one numpy pass over all pieces: a table look-up per code point rather than a regex
    step, and one set of numpy calls however many pieces (a text and its quoted passages)."""
    if not pieces:
        return []
    if sum(map(len, pieces)) < NUMPY_WORDS_FROM:
        return [_piece_words(piece) for piece in pieces]
    folded = [unicodedata.normalize("NFKC", piece or "").casefold() for piece in pieces]
    joined = "\0".join(folded)  # where one piece ends: a separator that stays (as "\0")
    ends = list(accumulate(len(piece) + 1 for piece in folded[:-1]))
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kinds = _bmp_kinds().take(codes, mode="clip")
    if len(codes) and codes.max() > 0xFFFF:
        astral = np.flatnonzero(codes > 0xFFFF)
        kinds[astral] = _kinds("".join(map(chr, codes[astral].tolist())))
    if ends:
        kinds[[end - 1 for end in ends]] = _KEPT
    kept = kinds != _DROPPED
    codes, kinds = codes[kept], kinds[kept]
    letter = kinds == _LETTER
    out = np.where(letter, codes, np.uint32(32))
    hyphens = np.flatnonzero(kinds[1:-1] == _HYPHEN) + 1
    out[hyphens[letter[hyphens - 1] & letter[hyphens + 1]]] = ord("-")
    out[kinds == _KEPT] = 0
    return [piece.split() for piece in out.tobytes().decode("utf-32-le", "surrogatepass").split("\0")]


def words(text: str) -> list[str]:
    """The words of `text` in its normal form (punctuation dropped)."""
    return word_lists([text])[0]


def quoted_passages(text: str) -> list[str]:
    """What `text` prints between quotation marks (a few words at least)."""
    return _QUOTED.findall(unicodedata.normalize("NFKC", text or ""))


def statements(passage_words: Iterable[list[str]], min_words: int) -> list[str]:
    """The distinct passages (given as their words) of at least `min_words` words, in normal form."""
    return list(dict.fromkeys(" ".join(tokens) for tokens in passage_words if len(tokens) >= min_words))


def quotations(text: str, min_words: int) -> list[str]:
    """Passages printed between quotation marks, at least `min_words` long, in normal form:
    statements two outlets quote word for word."""
    return statements(word_lists(quoted_passages(text)), min_words)


def words_and_quotations(text: str, min_words: int) -> tuple[list[str], list[str]]:
    """`words(text)` and `quotations(text, min_words)` from one pass over the text."""
    tokens, *quoted = word_lists([text, *quoted_passages(text)])
    return tokens, statements(quoted, min_words)


def encoded_words_and_quotations(text: str, min_words: int) -> tuple[list[bytes], list[str]]:
    """The UTF-8 bytes of each of `words(text)` and `quotations(text, min_words)`: what a
    signature hashes. A text that is ASCII once folded (most news text) is split by
    bytes.translate at any length, its words staying the bytes they were split as (faster
    than the numpy pass on long texts too); another one by the regex when short, else by the
    numpy pass."""
    passages = quoted_passages(text)
    folded, kept = _ascii_words(text)
    if kept is not None:
        return kept.split(), statements(_ascii_piece_words(passages), min_words)
    if len(text) + sum(map(len, passages)) < NUMPY_WORDS_FROM:
        found = _WORD_RUN.findall(folded.casefold())  # (words hold no space: one encode for all)
        return (" ".join(found).encode("utf-8").split(b" ") if found else [],
                statements(_ascii_piece_words(passages), min_words))
    tokens, *quoted = word_lists([text, *passages])
    return (" ".join(tokens).encode("utf-8").split(b" ") if tokens else []), statements(quoted, min_words)


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


def _upper_class() -> str:
    """str.isupper as a regex: one class for the Basic Multilingual Plane (a bitmap the regex
    engine tests in one step) and, behind a range check, one for the few upper-case letters
    above it (ranges past U+FFFF are tested one by one at every character otherwise). No code
    point at or above U+20000 is upper case."""
    bmp, astral = _upper_ranges()
    return f"(?:[{bmp}]|(?=[\U00010000-\U0001FFFF])[{astral}])"


@lru_cache(maxsize=1)
def _upper_ranges() -> tuple[str, str]:
    """The class bodies of the upper-case letters below U+10000 and from U+10000 to U+1FFFF."""
    return (_ranges([chr(c) for c in range(0x10000) if chr(c).isupper()]),
            _ranges([chr(c) for c in range(0x10000, 0x20000) if chr(c).isupper()]))


_NAME_STRIP = QUOTE_MARKS + "()[],.;:!?\u2026"
_SENTENCE_END = ".!?\u2026"  # a token ending with one of these (closing marks aside) ends a sentence
_RUN_END = ".!?,;:\u2026"  # ... and with one of these, a run of names
_CLOSING = QUOTE_MARKS + ")"
_TOKEN = "[" + re.escape(_NAME_STRIP) + "]*" + _upper_class() + "\\S*"  # a capitalised token
# A run of capitalised tokens (whitespace-separated: a run of names, or names and the words
# that end or open one) after whitespace, found from its first token: the pattern opens with
# one class, a token's possible first characters (a mark it may start with, an upper-case
# letter below U+10000, any code point from U+10000 to U+1FFFF), which the regex engine scans
# for in C without stopping at every space (a pattern opening at the whitespace before, as
# before, tried every space: three times the time); then whitespace must come before it, and
# the character must be what `_TOKEN` starts with. Group 1: the first token, group 2: the
# rest of the run. Whether the token before the run ends a sentence: `names` looks back.
# Python sees only the runs.
_STRIP_CLASS = re.escape(_NAME_STRIP)
_RUN_FROM_FIRST = re.compile(
    "([" + _STRIP_CLASS + _upper_ranges()[0] + "\U00010000-\U0001FFFF](?<=\\s.)"
    "(?:(?<=[" + _upper_ranges()[0] + "])|(?<=[" + _STRIP_CLASS + "])[" + _STRIP_CLASS + "]*" + _upper_class()
    + "|(?<=[" + _upper_ranges()[1] + "]))\\S*)((?:\\s+" + _TOKEN + ")*)")


def _take_run(tokens: list[str], opens_sentence: bool, found: dict[str, None]) -> None:
    """The names in one run of capitalised tokens: it splits where a token ends a clause and
    at a capitalised word that is not a name; a part of one word that opens a sentence (or
    a quotation) is not taken. `opens_sentence`: whether the token before the run ends one."""
    part: list[str] = []
    part_opens = False
    last = ""  # the last character of the token before, closing marks aside
    for token in tokens:
        word = token.strip(_NAME_STRIP).casefold()
        end = token.rstrip(_CLOSING)[-1]  # a capitalised token keeps its capital
        if word in _NOT_NAMES:
            if len(part) >= 2 or part and not part_opens:
                found[" ".join(part)] = None
            part = []
        else:
            if not part:
                part_opens = token[0] in QUOTE_MARKS or (last in _SENTENCE_END if last else opens_sentence)
            part.append(word)
            if end in _RUN_END:
                if len(part) >= 2 or not part_opens:
                    found[" ".join(part)] = None
                part = []
        last = end
    if len(part) >= 2 or part and not part_opens:
        found[" ".join(part)] = None


def names(text: str, limit: int | None = None) -> list[str]:
    """Runs of capitalised words (people, places, agencies), lower-cased: a cheap stand-in for
    named entities. A lone capitalised word opening a sentence is not taken (it is usually
    not a name); a run of two or more is. With `limit`, the first `limit` distinct names
    (an article names its event's people and places early)."""
    found: dict[str, None] = {}
    # Each paragraph behind a full stop of its own: its first word opens a sentence, and no
    # run of capitalised tokens goes on into the next paragraph.
    marked = ". " + unicodedata.normalize("NFKC", text or "").replace("\n", "\n. ")
    floor = 0  # where the run before ended: what a match consumed is not looked at again
    for match in _RUN_FROM_FIRST.finditer(marked):
        first, rest = match.groups()
        # The token before ends a sentence: before the run whitespace, before that closing
        # marks, before those one of _SENTENCE_END.
        at = match.start() - 1
        while at >= floor and marked[at].isspace():
            at -= 1
        while at >= floor and marked[at] in _CLOSING:
            at -= 1
        after_sentence = at >= floor and marked[at] in _SENTENCE_END
        floor = match.end()
        if rest:
            _take_run([first, *rest.split()], bool(after_sentence), found)
        elif not (after_sentence or first[0] in QUOTE_MARKS):
            word = first.strip(_NAME_STRIP).casefold()
            if word not in _NOT_NAMES:
                found[word] = None
        if limit is not None and len(found) >= limit:
            break
    return list(found)[:limit]
