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
