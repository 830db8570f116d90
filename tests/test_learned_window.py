"""Learned boilerplate over a window of recent pages: bounded state, and a banner that
changes over the years is learned anew (and the old one forgotten)."""

from __future__ import annotations

import json

from archive.extract.learned import LearnedBoilerplate

HOST = "www.valley.example"
OLD = "Support local news this spring: every gift is matched until the end of April."
NEW = "Our autumn fund drive is on. Become a sustaining member of the newsroom today."


def pages(learned: LearnedBoilerplate, start: int, count: int, banner: str) -> None:
    for n in range(start, start + count):
        learned.observe(HOST, f"https://{HOST}/story/{n}", [f"Story number {n} begins with its own sentence.", banner])


def test_a_new_banner_is_learned_and_the_old_one_forgotten():
    learned = LearnedBoilerplate(min_pages=5, min_share=0.3, window=100)
    pages(learned, 0, 100, OLD)
    assert learned.blocks_for(HOST) == {OLD}
    pages(learned, 100, 80, NEW)  # without a window, NEW would be 80/180 and OLD never forgotten
    assert learned.blocks_for(HOST) == {NEW}
    assert learned.pages_seen(HOST) == 100


def test_stored_state_stays_bounded_and_round_trips():
    learned = LearnedBoilerplate(window=200)
    pages(learned, 0, 2000, OLD)
    data = learned.to_json(HOST)
    assert len(data) < 200 * 120  # about one page digest and its block digests per page in the window
    again = LearnedBoilerplate.from_json(data)
    assert again.blocks_for(HOST) == {OLD} and again.pages_seen(HOST) == 200
    pages(again, 0, 1, OLD)  # a page still in the window is not counted twice
    assert again.pages_seen(HOST) == 200


def test_state_from_the_unwindowed_format_is_dropped_not_misread():
    old = json.dumps({"version": 1, "thresholds": {"min_pages": 5}, "hosts": {"valley.example": {
        "pages": ["a", "b"], "blocks": {OLD: 2}}}})
    assert LearnedBoilerplate.from_json(old).blocks_for(HOST) == set()


def test_boilerplate_is_worked_out_again_when_pages_or_thresholds_change():
    learned = LearnedBoilerplate(min_pages=5, min_share=0.3, window=100)
    pages(learned, 0, 4, OLD)
    assert learned.blocks_for(HOST) == set()  # seen 4 times: not yet
    pages(learned, 4, 1, OLD)
    assert learned.blocks_for(HOST) == {OLD}
    learned.min_pages = 6
    assert learned.blocks_for(HOST) == set()
    learned.merge_json(LearnedBoilerplate(min_pages=6).to_json())  # no hosts: nothing replaced
    pages(learned, 5, 1, OLD)
    assert learned.blocks_for(HOST) == {OLD}
