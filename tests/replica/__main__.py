"""`python -m tests.replica [--port 0] [--epoch 1] [--verbose]`: serve until SIGTERM/SIGINT.

Prints one JSON line first: {"proxy": "http://127.0.0.1:PORT", "epoch": 1, "hosts": [...]}.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from .model import EPOCHS
from .server import ReplicaServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.replica", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--epoch", type=int, default=1, choices=EPOCHS, help="which day of the sites to serve")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    replica = ReplicaServer(epoch=args.epoch, port=args.port, verbose=args.verbose).start()
    try:
        print(json.dumps({"proxy": replica.proxy_url, "epoch": args.epoch, "hosts": replica.hosts}), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        replica.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
