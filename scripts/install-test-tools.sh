#!/usr/bin/env bash
# Installs the real components some tests need, where this machine allows it:
#  - Debian's chromium (browser tests of `archive serve`), only as root via apt-get;
#  - pywb in its own virtual environment .venv-pywb (replay tests), so its pins never
#    touch the project's.
# Tests whose component is still missing skip with a message saying so.
set -u
cd "$(dirname "$0")/.."
for script in scripts/install-browser.sh scripts/install-pywb.sh; do
  if [ -x "$script" ]; then
    "$script" || echo "note: $script failed; the tests that need it will skip" >&2
  fi
done
exit 0
