import pytest

from crawler.middlewares.security import refusal_reason


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/admin", "http://localhost:8080/", "http://10.0.0.5/", "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://0.0.0.0/", "file:///etc/passwd",
    "ftp://rferl.org/x", "http://printer.local/", "http://metadata.google.internal/",
])
def test_redirect_targets_inside_the_network_are_refused(url):
    assert refusal_reason(url) is not None


@pytest.mark.parametrize("url", ["https://www.rferl.org/a/x/1.html", "http://rferl.replica.test/a/x/1.html",
                                 "https://93.184.216.34/"])
def test_public_destinations_pass(url):
    assert refusal_reason(url) is None


def test_loopback_allowed_only_when_asked():
    assert refusal_reason("http://127.0.0.1:8000/", allow_loopback=True) is None
    assert refusal_reason("http://10.1.1.1/", allow_loopback=True) is not None


@pytest.mark.e2e
def test_proxy_credentials_never_reach_logs_warcs_or_reports(tmp_path):
    """A proxy URL with a password (as REPLICA_PROXY or any proxy setting would carry it) is used,
    and appears nowhere the archive keeps: crawl log, WARC records, run reports, index."""
    import base64
    import glob
    import gzip

    from tests.crawl_support import run_crawl
    from tests.replica.server import ReplicaServer

    secret = "pw-QQ7secret"
    with ReplicaServer(epoch=1) as server:
        proxy = server.proxy_url.replace("http://", f"http://archiver:{secret}@")
        result = run_crawl(tmp_path / "archive", proxy, "npr")
        sent = [headers for _, _, headers in server.requests.snapshot()]
    assert result.returncode == 0, result.log[-2000:]
    assert any("Proxy-Authorization" in headers for headers in sent)  # the credentials were used
    encoded = base64.b64encode(f"archiver:{secret}".encode()).decode()
    kept = [result.log]
    for path in glob.glob(str(tmp_path / "archive" / "**" / "*"), recursive=True):
        if path.endswith(".gz"):
            kept.append(gzip.decompress(open(path, "rb").read()).decode("latin-1"))
        elif path.endswith((".json", ".sqlite3", ".sqlite3-wal", ".log")):
            kept.append(open(path, "rb").read().decode("latin-1"))
    for text in kept:
        assert secret not in text and encoded not in text
