"""Downloader middleware: every response, as received, into the WARC archive.

Placed at 950 so it sees the response before decompression and redirect handling: the
payload stored is the entity body exactly as sent (Content-Encoding kept), and every
redirect hop is its own response record. The capture id travels on in `request.meta`. With
a writer thread (`crawler.archive_binding`), the records and the capture row are written
there, and the response goes on when they are.
"""

from __future__ import annotations

import logging
from functools import partial

from scrapy.exceptions import IgnoreRequest, NotConfigured

from archive.store import Exchange
from crawler import diskspace
from crawler.archive_binding import archive_for, run_id_for, write
from crawler.incremental import take_unseen

logger = logging.getLogger(__name__)


def _pairs(headers) -> list[tuple[str, str]]:
    """Scrapy Headers -> [(name, value)], every value of a repeated header kept."""
    out = []
    for name, values in headers.items():
        key = name.decode("latin-1")
        for value in values:
            out.append((key, value.decode("latin-1")))
    return out


class WarcCaptureMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC_ENABLED is off")
        diskspace.install_reserve(crawler)
        return cls(crawler)

    async def process_response(self, request, response, spider=None):
        if diskspace.write_failed(self.crawler):
            raise IgnoreRequest("not archived: the archive could not be written (see the CRITICAL line above)")
        exchange = Exchange(
            url=response.url, method=request.method, request_headers=_pairs(request.headers),
            request_body=request.body or b"", status=response.status,
            response_headers=_pairs(response.headers), body=response.body,
            protocol=response.protocol or "HTTP/1.1", run_id=run_id_for(self.crawler),
            profile=getattr(self.crawler.spider, "profile_name", None))
        # Only this first exchange: a retry or redirect of the request finds this capture.
        unseen = take_unseen(self.crawler, request)
        try:
            capture = await write(self.crawler, partial(archive_for(self.crawler).record_exchange, exchange,
                                                        first_of_url=unseen))
        except diskspace.WRITE_ERRORS as exc:
            # A full disk or unwritable folder must stop the run, not silently lose pages.
            diskspace.stop_for_write_error(self.crawler, exc, f"the response from {response.url}")
            raise IgnoreRequest(f"not archived: {exc}") from None
        request.meta["capture_id"] = capture.id
        if 200 <= capture.status < 300 or capture.status == 304:
            request.meta["capture"] = capture  # handed to the pipeline, which need not read it back
        else:  # a redirect or a retry schedules the request again: no object in what is queued
            request.meta.pop("capture", None)
        request.meta["capture_type"] = capture.record_type
        request.meta["first_capture"] = unseen  # so the pipeline knows there is no earlier copy
        self.stats.inc_value(f"newsarchive/captures/{capture.record_type}")
        self.stats.inc_value("newsarchive/bytes_received", len(response.body))
        return response
