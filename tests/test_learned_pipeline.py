"""Learned boilerplate in the crawl: the pipeline counts each article's blocks per host,
strips blocks that recur on many pages of one host, and keeps the counts in the archive
index so the next run (and `archive reextract`) starts from them."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from archive.store import Archive
from crawler.pipelines import CleanAndStorePipeline
from tests.test_extract_core import PARAS, PROMO, generic_page

HOST = "www.valley.example"


def story(i: int) -> list[str]:
    return [f"{p} (Report number {i} from the valley desk.)" for p in PARAS]


def item(i: int, paras: list[str]) -> dict:
    return {"url": f"https://{HOST}/news/{i}", "status": 200, "capture_id": None, "capture_type": "response",
            "profile": "generic", "content_type": "text/html; charset=utf-8", "encoding": "utf-8",
            "body": generic_page(paras, title=f"Story {i}").encode()}


def pipeline(archive_dir) -> CleanAndStorePipeline:
    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(archive_dir), "WARC_ENABLED": True})
    stage = CleanAndStorePipeline.from_crawler(crawler)
    stage.open_spider()
    return stage


def test_promo_on_every_page_of_a_host_is_learned_during_the_crawl_and_kept_for_the_next(tmp_path):
    first = pipeline(tmp_path)
    kept_promo = []
    for i in range(12):
        first.process_item(item(i, story(i) + [PROMO]))
        kept_promo.append(PROMO in _text(first, i))
    first.close_spider()
    # The first pages keep it (nothing learned yet); once the threshold is passed it is gone.
    assert kept_promo[0] and not kept_promo[-1]

    with Archive(tmp_path, readonly=True) as archive:
        assert PROMO in archive.learned_boilerplate().blocks_for(HOST)

    second = pipeline(tmp_path)
    second.process_item(item(100, story(100) + [PROMO]))
    assert PROMO not in _text(second, 100)
    assert story(100)[0] in _text(second, 100)
    second.close_spider()


def test_a_block_on_few_pages_is_content(tmp_path):
    stage = pipeline(tmp_path)
    quote = "The minister said the bridge would reopen before the harvest, according to a written statement."
    for i in range(12):
        stage.process_item(item(i, story(i) + ([quote] if i < 2 else [])))
    stage.process_item(item(50, story(50) + [quote]))
    assert quote in _text(stage, 50)
    stage.close_spider()


def _text(stage: CleanAndStorePipeline, i: int) -> str:
    """The cleaned text the pipeline produced for page i (kept on the pipeline for tests)."""
    return stage.last_document.text if stage.last_document.url.endswith(f"/{i}") else ""
