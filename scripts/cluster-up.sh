#!/usr/bin/env bash
# The cluster demo (README "Running on several machines"): installs what is missing (as root:
# Debian's redis-server and postgresql), then starts Redis, PostgreSQL and an S3-compatible
# server (moto) on 127.0.0.1, the replica sites, and 3 crawl workers sharing them.
#   scripts/cluster-up.sh [--workers N] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
for script in scripts/install-redis.sh scripts/install-postgresql.sh; do
  "$script" >/dev/null || echo "note: $script failed" >&2
done
exec .venv/bin/python scripts/cluster_up.py "$@"
