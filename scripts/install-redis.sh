#!/usr/bin/env bash
# Installs Debian's redis-server for the shared-frontier tests (tests/test_frontier*.py,
# tests/services/redis.py start it themselves on 127.0.0.1; no system service is needed).
# Exits non-zero with a message when it cannot: those tests then skip, naming this script.
set -u
if command -v redis-server >/dev/null 2>&1; then
  echo "redis-server already installed: $(redis-server --version)"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-redis.sh: redis-server is missing and installing it needs root (apt-get install redis-server)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-redis.sh: redis-server is missing and this machine has no apt-get; install Redis >= 6.2 by hand" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server; }; then
  echo "install-redis.sh: apt-get install redis-server failed" >&2
  exit 1
fi
# Debian's package may start a system instance on port 6379; the tests never use it.
echo "redis-server installed: $(redis-server --version)"
