#!/usr/bin/env bash
# Installs ReplayWeb.page (the `replaywebpage` package of the npm registry: its static app
# files ui.js and sw.js, no CDN) into .replaywebpage/ for tests/test_replaywebpage.py, which
# serves them on 127.0.0.1 next to a WACZ the project exported and opens it in Debian's chromium.
# Exits non-zero with a message when npm is missing or the install fails; the test then skips.
set -u
cd "$(dirname "$0")/.."
VERSION="2.5.3"
DIR=".replaywebpage"
PKG="$DIR/node_modules/replaywebpage/package.json"
if [ -f "$PKG" ] && grep -q "\"version\": \"$VERSION\"" "$PKG"; then
  echo "replaywebpage $VERSION already installed in $DIR"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-replaywebpage.sh: npm is not installed (apt-get install npm); the ReplayWeb.page test will skip" >&2
  exit 1
fi
mkdir -p "$DIR"
[ -f "$DIR/package.json" ] || echo '{"name": "newsarchive-replaywebpage", "private": true}' > "$DIR/package.json"
if ! npm install --prefix "$DIR" --no-audit --no-fund --ignore-scripts --omit=dev "replaywebpage@$VERSION" >"$DIR/npm.log" 2>&1; then
  echo "install-replaywebpage.sh: npm install replaywebpage@$VERSION failed (see $DIR/npm.log); the ReplayWeb.page test will skip" >&2
  exit 1
fi
for file in ui.js sw.js; do
  if [ ! -f "$DIR/node_modules/replaywebpage/$file" ]; then
    echo "install-replaywebpage.sh: replaywebpage@$VERSION has no $file; the ReplayWeb.page test will skip" >&2
    exit 1
  fi
done
echo "replaywebpage $VERSION installed in $DIR"
