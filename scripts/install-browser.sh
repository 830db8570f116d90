#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests of `archive serve` (tests/test_browser.py).
# Playwright drives it through executable_path=/usr/bin/chromium: no browser download.
# Needs root (CI runs as root); elsewhere it says so and the browser tests skip.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser.sh: needs root to apt-get install chromium; browser tests will skip" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version || true
