"""One run id for every worker of a shared-frontier run.

The first worker of a run creates it with SET NX under <prefix>:<spider>:run; the others,
and workers started again after all of them died, read the same id. The worker that sees
the run finished (queue empty, nothing held anywhere) deletes it, so the next start is a
new run. Incremental decisions (`index.run_done(run_id)`), the dupefilter and the reports
all key on this id.
"""

from __future__ import annotations

_FINISH = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def pointer_key(prefix: str, spider: str) -> str:
    return f"{prefix}:{spider}:run"


def run_key(prefix: str, spider: str, run_id: str) -> str:
    """The key prefix of everything one run keeps in Redis."""
    return f"{prefix}:{spider}:{run_id}"


def shared_run_id(server, prefix: str, spider: str, new_id: str) -> str:
    """The current run's id: `new_id` if this worker starts the run, else the existing one."""
    key = pointer_key(prefix, spider)
    server.set(key, new_id, nx=True)
    value = server.get(key)
    return value.decode() if isinstance(value, bytes) else (value or new_id)


def finish_run(server, prefix: str, spider: str, run_id: str) -> bool:
    """The run is over: the next worker to start begins a new one. True if this call ended it."""
    return bool(server.eval(_FINISH, 1, pointer_key(prefix, spider), run_id))
