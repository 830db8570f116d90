"""Origin claims: the one-pattern pre-check over a copy's lines gives the claim the rules give
one by one, and a page naming itself as canonical claims nothing."""

from __future__ import annotations

import re

import pytest

from archive.stories.origin import Claim, SyndicationRule, any_rule, claim, syndication_rules


def rule(name: str, pattern: str, outlet: str | None = None, hosts: tuple[str, ...] = ()) -> SyndicationRule:
    return SyndicationRule(name=name, pattern=re.compile(pattern), outlet=outlet, hosts=hosts)


RULES = (
    rule("wire", r"^Distributed by (?P<outlet>[A-Z][\w ]{1,30}?) wire\b"),
    rule("copyright", r"^Copyright \d{4} Lakeside Radio\b", outlet="Lakeside Radio", hosts=("lakeside.test",)),
    rule("credit", r"^(First|Originally) (aired|printed) (on|in) (?P<outlet>[^.]{2,40}?)\.?$"),
)

LINES = [
    "The harbour ferry resumed its winter timetable on Monday.",
    "Copyright 2025 Lakeside Radio. Shared with permission.",
    "Distributed by Northern Plains wire services.",
    "Originally printed in the Valley Ledger.",
    "Distributed by lowercase wire",  # the outlet group wants a capital
    "  Copyright 2024 Lakeside Radio  ",
    "",
    "   ",
    "First aired on Hill Country Public Media",
]


def one_by_one(url: str, cleaned: dict, rules) -> Claim | None:
    """What `claim` gave before the pre-check: every rule on every line, in order."""
    paragraphs = [p for p in (cleaned.get("text") or "").split("\n\n") if p]
    lines = [cleaned.get("rights") or ""] + paragraphs[:2] + paragraphs[-3:]
    for r in rules:
        for line in lines:
            match = r.pattern.search(line.strip()) if line else None
            if match:
                outlet = r.outlet or (match.groupdict().get("outlet") or "").strip() or None
                return Claim("syndication", outlet=outlet, hosts=r.hosts, evidence=line.strip())
    return None


def test_the_rules_combine_into_one_pattern():
    assert any_rule(RULES) is not None
    assert any_rule(syndication_rules()) is not None  # the shipped rules


@pytest.mark.parametrize("pattern", [r"^(\w+) and \1\b", r"^(?P<w>\w+) (?P=w)\b", r"(?i)^copyright",
                                     r"^(a)?(?(1)b|c)"])
def test_rules_that_would_mean_something_else_in_an_alternation_are_not_combined(pattern):
    assert any_rule(RULES + (rule("odd", pattern),)) is None


def test_the_pre_check_gives_the_claim_of_the_rules_one_by_one():
    url = "http://station.test/news/ferry"
    seen = set()
    for first in range(len(LINES)):
        for last in range(len(LINES)):
            for rights in ("", LINES[2], LINES[5]):
                cleaned = {"text": "\n\n".join([LINES[first], LINES[0], LINES[0], LINES[0], LINES[last]]),
                           "rights": rights}
                for rules in (RULES, RULES[::-1], RULES[1:], ()):
                    expected = one_by_one(url, cleaned, rules)
                    assert claim(url, cleaned, rules) == expected, (cleaned, rules)
                    seen.add(expected.evidence if expected else None)
    assert len(seen) >= 5  # no claim, and claims from each kind of rule


def test_a_rule_that_does_not_combine_still_claims():
    odd = rule("echo", r"^(\w+) and \1 reported\b", outlet="Echo")
    cleaned = {"text": "Hello.\n\nmorning and morning reported the lake frozen."}
    assert any_rule((odd,)) is None
    assert claim("http://station.test/a", cleaned, (odd,)).outlet == "Echo"


def test_a_page_naming_itself_claims_nothing_and_another_host_is_a_claim():
    url = "http://station.test/news/ferry"
    assert claim(url, {"canonical": url, "text": "Plain text."}, RULES) is None
    assert claim(url, {"canonical": "https://www.station.test/news/ferry", "text": "Plain text."}, RULES) is None
    found = claim(url, {"canonical": "https://wire.test/story/1", "text": "Plain text."}, RULES)
    assert found.kind == "canonical" and found.url == "https://wire.test/story/1"
