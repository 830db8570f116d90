#!/usr/bin/env bash
# Installs the real components some tests need, where this machine allows it: every
# scripts/install-*.sh but this one, e.g.
#  - Debian's chromium (browser tests of `archive serve`), only as root via apt-get;
#  - pywb in its own virtual environment .venv-pywb (replay tests), so its pins never
#    touch the project's;
#  - the shared backends' servers (PostgreSQL, Redis, an S3-compatible server).
# Tests whose component is still missing skip with a message saying so.
set -u
cd "$(dirname "$0")/.."
for script in scripts/install-*.sh; do
  [ "$script" = "scripts/install-test-tools.sh" ] && continue
  if [ -x "$script" ]; then
    "$script" || echo "note: $script failed; the tests that need it will skip" >&2
  fi
done
exit 0
