"""A cleaned copy's story signature: what finds its copies and its related coverage.

- a MinHash (datasketch) over word shingles of the article text, with the host's learned
  boilerplate blocks taken out first, so two pages that share only a donation prompt or a
  footer never look alike;
- LSH band keys of that MinHash: two texts whose shingle sets overlap enough share a key
  with high probability, so candidates come from an index lookup, never a scan;
- keys for quoted passages (a statement two outlets quote word for word) and for names
  (people, places, agencies), which find coverage of the same event in different words.

Keys are signed 64-bit integers (blake2b of the parts), so any SQL database stores them.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Iterable

import numpy as np

from archive.stories.text import encoded_words_and_quotations, names, quotations

NUM_PERM = 64
BANDS, ROWS = 21, 3  # 63 of the 64 values; a pair at Jaccard 0.5 shares a band with p = 0.94
SHINGLE_WORDS = 5
SCHEME = "affine32"
QUOTE_MIN_WORDS = 8
MAX_NAMES = 40  # per document: enough to recognise the event, bounded index rows
SIGNATURE_VERSION = "1"


@dataclass
class Signature:
    minhash: np.ndarray  # NUM_PERM uint32 values
    shingles: int  # how many distinct shingles the text has
    bands: list[int] = field(default_factory=list)
    quotes: list[int] = field(default_factory=list)
    names: list[int] = field(default_factory=list)

    def encoded(self) -> str:
        """The MinHash as text (base64 of little-endian uint32), for a portable TEXT column."""
        return base64.b64encode(self.minhash.astype("<u4").tobytes()).decode("ascii")


def decode(value: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(value), dtype="<u4").astype(np.uint64)


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's (a, b) of the affine32 scheme for NUM_PERM permutations, seed 1."""
    from datasketch import MinHash  # its package import pulls in scipy (~0.4 s): only when signing

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def keys(kind: str, values: Iterable[str]) -> list[int]:
    """A signed 64-bit key (what a BIGINT column holds) per value: blake2b of the kind and the
    value joined by U+001F. Stored rows hold these: never change what is hashed."""
    prefix, blake2b, from_bytes = kind + "\x1f", hashlib.blake2b, int.from_bytes
    return [from_bytes(blake2b((prefix + value).encode("utf-8"), digest_size=8).digest(), "big", signed=True)
            for value in values]


# Odd 64-bit multipliers (fixed): a band's key mixes its ROWS values and its number.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
                dtype=np.uint64)


_BAND_NUMBERS = np.arange(BANDS, dtype=np.uint64) * _MIX[ROWS]


def band_keys(minhash: np.ndarray) -> list[int]:
    """One key per LSH band: equal keys mean equal values in that band (up to 2^-64). (Array
    arithmetic wraps around modulo 2^64 without a warning; the keys depend on it.)"""
    rows = minhash[:BANDS * ROWS].astype(np.uint64, copy=False).reshape(BANDS, ROWS)
    mixed = rows @ _MIX[:ROWS]
    mixed += _BAND_NUMBERS
    mixed ^= mixed >> np.uint64(29)
    mixed *= _MIX[0]
    return mixed.view(np.int64).tolist()


def article_text(text: str, drop_blocks: Iterable[str] = (), normalise=None) -> str:
    """The text without the blocks the host repeats on many pages (learned boilerplate)."""
    drop = drop_blocks if isinstance(drop_blocks, (set, frozenset)) else set(drop_blocks)
    if not drop or normalise is None:
        return text
    return "\n\n".join(p for p in text.split("\n\n") if normalise(p) not in drop)


def term_keys(text: str) -> tuple[list[int], list[int]]:
    """(quote keys, name keys) of a text: what related coverage is looked up by."""
    return keys("quote", quotations(text, QUOTE_MIN_WORDS)), keys("name", names(text, limit=MAX_NAMES))


# Word i of a run of SHINGLE_WORDS is weighed by _MIX[1] ** (SHINGLE_WORDS - 1 - i) (mod 2^64).
_RUN_WEIGHTS = np.array([pow(int(_MIX[1]), SHINGLE_WORDS - 1 - i, 2**64) for i in range(SHINGLE_WORDS)],
                        dtype=np.uint64)


def shingle_hashes(tokens: list[str]) -> np.ndarray:
    """Distinct 32-bit hashes (uint32, sorted) of the text's overlapping runs of SHINGLE_WORDS
    words (a text shorter than that is one shingle): CRC-32 of each word's UTF-8 bytes,
    combined along the run in one numpy correlation (wrapping modulo 2^64); the words are
    encoded in one call (they hold no space) and hashed by `map` in C, with no Python frame
    per word."""
    return encoded_shingle_hashes(" ".join(tokens).encode("utf-8").split(b" ") if tokens else [])


def encoded_shingle_hashes(encoded: list[bytes]) -> np.ndarray:
    """`shingle_hashes` of the words' UTF-8 bytes."""
    if len(encoded) <= SHINGLE_WORDS:
        return np.array([zlib.crc32(b" ".join(encoded))] if encoded else [], dtype=np.uint32)
    each = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint64, count=len(encoded))
    combined = np.correlate(each, _RUN_WEIGHTS, mode="valid")  # ((w0 * m + w1) * m + w2) ... + w4
    combined ^= combined >> np.uint64(32)
    return _distinct(combined.astype(np.uint32))  # the low 32 bits


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (what np.unique gives, with less overhead on short arrays)."""
    values.sort()
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


# MurmurHash3's 32-bit finalizer: datasketch's "affine32" scheme mixes each input hash with it
# once before the permutations.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def minhash_values(hashes: np.ndarray) -> np.ndarray:
    """The MinHash of pre-hashed uint32 values, as datasketch's `MinHash(scheme="affine32")`
    computes it with `update_batch` (same permutations, same values: uint32 arithmetic
    wrapping modulo 2^32), in one numpy pass without a hash object: NUM_PERM uint32 minima
    (all 2^32-1 for an empty set)."""
    if not len(hashes):
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    a, b = _permutation_columns()
    s1, m1, s2, m2, s3 = _FMIX32
    hashes = np.asarray(hashes, dtype=np.uint32)
    h = hashes >> s1
    h ^= hashes
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> s3
    values = a * h  # one row per permutation: its minimum is a contiguous reduction
    values += b
    return values.min(axis=1)


@lru_cache(maxsize=1)
def _permutation_columns() -> tuple[np.ndarray, np.ndarray]:
    a, b = _permutations()
    return a.reshape(-1, 1).copy(), b.reshape(-1, 1).copy()


def signature(text: str) -> Signature:
    """The signature of one article text (boilerplate already taken out)."""
    encoded, quoted = encoded_words_and_quotations(text, QUOTE_MIN_WORDS)
    grams = encoded_shingle_hashes(encoded)
    values = minhash_values(grams).astype(np.uint64)
    return Signature(minhash=values, shingles=len(grams), bands=band_keys(values) if len(grams) else [],
                     quotes=keys("quote", quoted), names=keys("name", names(text, limit=MAX_NAMES)))


@dataclass(frozen=True)
class Similarity:
    jaccard: float  # estimated |A ∩ B| / |A ∪ B|
    containment: float  # estimated |A ∩ B| / min(|A|, |B|): a trimmed copy is contained in its origin

    @property
    def score(self) -> float:
        return max(self.jaccard, self.containment)


def similarity(a: np.ndarray, a_size: int, b: np.ndarray, b_size: int) -> Similarity:
    if not a_size or not b_size:
        return Similarity(0.0, 0.0)
    jaccard = float(np.count_nonzero(a == b)) / NUM_PERM  # datasketch's MinHash.jaccard
    shared = jaccard * (a_size + b_size) / (1 + jaccard)
    return Similarity(round(jaccard, 3), round(min(1.0, shared / min(a_size, b_size)), 3))


# A copy: most of the shorter text is in the longer one, and they are not one shared quote
# in two short texts.
COPY_JACCARD = 0.5
COPY_CONTAINMENT = 0.8
COPY_MIN_JACCARD = 0.3
COPY_MIN_SHINGLES = 20


def is_copy(sim: Similarity, a_size: int, b_size: int) -> bool:
    if min(a_size, b_size) < COPY_MIN_SHINGLES:
        return sim.jaccard >= 0.9
    return sim.jaccard >= COPY_JACCARD or (sim.containment >= COPY_CONTAINMENT and sim.jaccard >= COPY_MIN_JACCARD)


def day_number(moment: str | None) -> int:
    """Days since 1970 of an ISO date or datetime (0 when unreadable): the time window key."""
    try:
        return date.fromisoformat((moment or "")[:10]).toordinal() - 719163
    except ValueError:
        return 0
