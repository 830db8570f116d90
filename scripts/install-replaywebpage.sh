#!/usr/bin/env bash
# Installs ReplayWeb.page (the `replaywebpage` package of the npm registry: its static app
# files ui.js and sw.js, no CDN) into .replaywebpage/package/ for tests/test_replaywebpage.py, which
# serves them on 127.0.0.1 next to a WACZ the project exported and opens it in Debian's chromium.
# Exits non-zero with a message when npm is missing or the install fails; the test then skips.
set -u
cd "$(dirname "$0")/.."
VERSION="2.5.3"
DIR=".replaywebpage"
PKG="$DIR/package/package.json"
if [ -f "$PKG" ] && grep -q "\"version\": \"$VERSION\"" "$PKG"; then
  echo "replaywebpage $VERSION already installed in $DIR"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-replaywebpage.sh: npm is not installed (apt-get install npm); the ReplayWeb.page test will skip" >&2
  exit 1
fi
# `npm pack`, not `npm install`: ui.js and sw.js are self-contained builds, and the build-time
# dependencies need not all be on the registry mirror (warcio@^2.4.12 is not, on this one).
rm -rf "$DIR/package" && mkdir -p "$DIR"
if ! (cd "$DIR" && npm pack --silent "replaywebpage@$VERSION" >npm.log 2>&1 && tar xzf "replaywebpage-$VERSION.tgz"); then
  echo "install-replaywebpage.sh: npm pack replaywebpage@$VERSION failed (see $DIR/npm.log); the ReplayWeb.page test will skip" >&2
  exit 1
fi
rm -f "$DIR/replaywebpage-$VERSION.tgz"
for file in ui.js sw.js; do
  if [ ! -f "$DIR/package/$file" ]; then
    echo "install-replaywebpage.sh: replaywebpage@$VERSION has no $file; the ReplayWeb.page test will skip" >&2
    exit 1
  fi
done
echo "replaywebpage $VERSION installed in $DIR"
