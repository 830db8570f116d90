#!/usr/bin/env bash
# Installs pywb into its own virtual environment .venv-pywb for the replay tests
# (tests/test_pywb.py). pywb pins its own dependencies (gevent, warcio, ...), which must
# never touch the project's .venv. If the install fails, say so and exit 0: the replay
# tests then skip with a message.
set -u
cd "$(dirname "$0")/.."
PYWB_VERSION="2.10.0"
VENV=".venv-pywb"
PYTHON="${PYTHON:-python3}"
if [ -x "$VENV/bin/wb-manager" ] && "$VENV/bin/python" -c "import pywb, sys; sys.exit(pywb.__version__ != '$PYWB_VERSION')" 2>/dev/null; then
  echo "pywb $PYWB_VERSION already installed in $VENV"
  exit 0
fi
if ! "$PYTHON" -m venv "$VENV"; then
  echo "note: could not create $VENV; pywb replay tests will skip" >&2
  exit 0
fi
if ! "$VENV/bin/pip" install --quiet "pywb==$PYWB_VERSION"; then
  echo "note: pip install pywb==$PYWB_VERSION failed; pywb replay tests will skip" >&2
  rm -f "$VENV/bin/wb-manager"
  exit 0
fi
echo "pywb $("$VENV/bin/python" -c 'import pywb; print(pywb.__version__)') installed in $VENV"
exit 0
