"""The AEB shingle metric (shared/benchmarks/article-extraction-benchmark/SCORING.md).

Tokens are `\\w+` (Unicode, case kept); items are multisets of word 4-grams; per-item
(TP, FP, FN) are normalised so every page weighs the same; corpus precision and recall are
means over items, and F1 is computed from those two means.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

_TOKEN = re.compile(r"\w+")


def shingles(text: str, size: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


def item_counts(truth: str, prediction: str) -> tuple[float, float, float]:
    """Normalised (TP, FP, FN) of one item."""
    t, p = shingles(truth), shingles(prediction)
    tp = sum(min(t[k], p[k]) for k in t.keys() & p.keys())
    fp = sum(max(0, p[k] - t[k]) for k in p)
    fn = sum(max(0, t[k] - p[k]) for k in t)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    accuracy: float
    items: int


def item_f1(truth: str, prediction: str) -> float:
    return corpus_score([(truth, prediction)]).f1


def corpus_score(pairs: Iterable[tuple[str, str]]) -> Score:
    precisions, recalls, exact, n = [], [], 0, 0
    for truth, prediction in pairs:
        n += 1
        tp, fp, fn = item_counts(truth, prediction)
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
        if tp + fp + fn == 0 and not _TOKEN.findall(truth or "") and not _TOKEN.findall(prediction or ""):
            precisions.append(1.0)
            recalls.append(1.0)
        exact += _TOKEN.findall(truth or "") == _TOKEN.findall(prediction or "")
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return Score(precision=p, recall=r, f1=2 * p * r / (p + r) if p + r else 0.0,
                 accuracy=exact / n if n else 0.0, items=n)


# Short standard boilerplate strings of the target families (site-families.md): none may
# appear in a cleaned family page's text. Used by tests/test_realpages.py and the benchmark.
KNOWN_BOILERPLATE = (
    "Accessibility links", "Skip to main content", "Skip to main Navigation", "Skip to Search",
    "Keyboard shortcuts for audio player", "Link has been copied to clipboard", "Print Options",
    "Breaking News", "Most Viewed", "16x9 Image", "undesirable organization",
    "toggle caption", "hide caption", "Enlarge this image", "Sponsor Message", "NPR thanks our sponsors",
    "Become an NPR sponsor", "Open Navigation Menu", "Listen Live", "On Air Now",
    "Play Live Radio", "Available On Air Stations", "Next Up:", "Full Schedule",
    "Give today. A monthly donation", "is nonprofit and independent", "Sign up for our newsletters",
    "To see more, visit https://www.npr.org", "Accuracy and availability of NPR transcripts",
    "Visit our website terms of use", "RELATED:", "renderExternalContent", "This is the home of NPR's",
    "See stories by",
)


def leaks(text: str, strings: Iterable[str] = KNOWN_BOILERPLATE) -> list[str]:
    """The boilerplate strings found in a text."""
    return [s for s in strings if s in (text or "")]
