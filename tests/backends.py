"""Run a test module against both archive backends: the embedded default (SQLite + a local
folder) and the shared one (a real PostgreSQL server + an S3-compatible server over HTTP).

`backend` is a module-scoped fixture parametrized over both; it sets ARCHIVE_INDEX,
WARC_STORE and the AWS variables in the environment, so the archive built by the module's
fixture, every `archive` subprocess and the web viewer use the same backend. The shared
variant skips, with the reason, where the servers cannot be had.
"""

from __future__ import annotations

import pytest

from tests.services import postgres, s3

BACKENDS = ("embedded", "shared")


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    if request.param == "embedded":
        with pytest.MonkeyPatch.context() as patch:
            for name in ("ARCHIVE_INDEX", "WARC_STORE"):
                patch.delenv(name, raising=False)
            yield "embedded"
        return
    reason = postgres.skip_reason() or s3.skip_reason()
    if reason:
        pytest.skip(f"shared backend: {reason}")
    pg = request.getfixturevalue("postgres_server")
    object_store = request.getfixturevalue("s3_server")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_INDEX", pg.new_database())
        patch.setenv("WARC_STORE", object_store.new_bucket())
        for name, value in object_store.env.items():
            patch.setenv(name, value)
        yield "shared"
