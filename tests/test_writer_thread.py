"""The crawl's writer thread (INDEX_WRITER_THREAD): captures and cleaned copies are written on
it, in the order they are handed over, and the reactor thread only awaits them.

Run in a child process, as a crawl runs: Scrapy's asyncio reactor, the WARC middleware and
the archive binding, on a SQLite archive with the thread switched on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WRITER = "PoolThread-newsarchive-writer-0"  # the name Twisted gives the pool's one thread

SCRIPT = textwrap.dedent("""
    import json, sys, threading
    from twisted.internet import asyncioreactor
    asyncioreactor.install()
    from twisted.internet import reactor
    import scrapy
    from scrapy.http import HtmlResponse
    from scrapy.utils.defer import deferred_from_coro
    from scrapy.utils.test import get_crawler

    from archive.store import Archive
    from crawler import archive_binding
    from crawler.archive_binding import archive_for, write, writer_for
    from crawler.middlewares.warc_capture import WarcCaptureMiddleware

    threads = []
    real = Archive.record_exchange
    def recording(self, *args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(self, *args, **kwargs)
    Archive.record_exchange = recording
    out = {"interval_before": sys.getswitchinterval()}

    async def main():
        crawler = get_crawler(settings_dict={"ARCHIVE_DIR": sys.argv[1], "INDEX_WRITER_THREAD": "true"})
        crawler.spider = None
        middleware = WarcCaptureMiddleware.from_crawler(crawler)
        captured = []
        for n in range(3):
            url = f"http://npr.replica.test/2026/10/01/{n}/story"
            request = scrapy.Request(url)
            await middleware.process_response(request, HtmlResponse(url, body=b"<p>page</p>", request=request))
            # read on the reactor thread's own connection: the row is committed by now
            captured.append(archive_for(crawler).index.capture(request.meta["capture_id"]) is not None)
        out["interval_while"] = sys.getswitchinterval()
        order = []
        def step(n):
            def work():
                order.append((n, threading.current_thread().name))
                return n
            return work
        import asyncio
        results = await asyncio.gather(*(write(crawler, step(n)) for n in range(20)))
        out.update(threads=threads, captured=captured, order=order, results=results)
        archive_binding._close(crawler)
        out["interval_after"] = sys.getswitchinterval()
        out["writer_after_close"] = hasattr(crawler, "_newsarchive_writer")
        out["alive_threads"] = [t.name for t in threading.enumerate()]

    def run():
        d = deferred_from_coro(main())
        d.addErrback(lambda failure: out.update(error=failure.getTraceback()))
        d.addBoth(lambda _: reactor.stop())
    reactor.callWhenRunning(run)
    reactor.run()
    print(json.dumps(out))
""")


def test_captures_and_writes_go_to_the_writer_thread_in_order(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in out, out["error"]
    assert out["threads"] == [WRITER] * 3, "record_exchange must run on the writer thread"
    assert out["captured"] == [True, True, True], "the capture row is committed before the response goes on"
    assert [n for n, _ in out["order"]] == list(range(20)), "work is done in the order handed over"
    assert {name for _, name in out["order"]} == {WRITER}
    assert out["results"] == list(range(20))
    assert out["interval_while"] == 0.0005 < out["interval_before"] == out["interval_after"]
    assert not out["writer_after_close"] and WRITER not in out["alive_threads"]


def test_without_the_thread_writes_happen_on_the_callers_thread(tmp_path):
    """SQLite's default: no thread, no change of the switch interval."""
    from scrapy.utils.test import get_crawler

    from crawler import archive_binding

    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path)})
    interval = sys.getswitchinterval()
    assert archive_binding.writer_for(crawler) is None and sys.getswitchinterval() == interval
    coroutine = archive_binding.write(crawler, lambda: 42)
    try:
        coroutine.send(None)
    except StopIteration as stop:  # done at once: nothing was awaited
        assert stop.value == 42
    else:
        raise AssertionError("write() without a writer thread waited for something")
    archive_binding._close(crawler)
