#!/usr/bin/env bash
# Installs Debian's PostgreSQL server for the shared-index tests (tests/services/postgres.py
# starts a private cluster on 127.0.0.1 in a temporary folder; nothing is configured system-wide).
# Needs root (CI runs as root); elsewhere it says so and those tests skip.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "PostgreSQL server already installed: $(ls -d /usr/lib/postgresql/*/bin | tail -1)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-postgresql.sh: needs root to apt-get install postgresql; PostgreSQL tests will skip" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends postgresql
# Debian starts a system cluster on install; the tests run their own, so stop it again.
if command -v pg_ctlcluster >/dev/null; then
  for cluster in $(ls /etc/postgresql 2>/dev/null); do pg_ctlcluster "$cluster" main stop 2>/dev/null || true; done
fi
ls -d /usr/lib/postgresql/*/bin | tail -1
