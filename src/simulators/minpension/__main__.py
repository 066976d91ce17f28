"""Command line: ``python -m simulators.minpension serve [--port 8450] [--latency S] [--tls-dir DIR]``.

With ``--tls-dir`` it writes a test root, server and client certificate to DIR and requires mutual TLS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from simulators.minpension.server import base_url, serve_forever
from simulators.minpension.state import SimulatorState
from simulators.minpension.tls import generate
from simulators.serving import bind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators.minpension", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the Min Pension test server on loopback")
    serve.add_argument("--port", type=int, default=8450)
    serve.add_argument("--latency", type=float, default=0.0, help="seconds every API answer waits")
    serve.add_argument("--tls-dir", type=Path, help="require mutual TLS; write test certificates here")
    args = parser.parse_args(argv)
    state = SimulatorState()
    state.latency_seconds = args.latency
    try:
        sock = bind(args.port)
    except OSError as error:
        sys.stderr.write(f"Cannot listen on 127.0.0.1:{args.port}: {error}\n")
        return 1
    tls = generate(args.tls_dir, now=dt.datetime.now(dt.UTC)) if args.tls_dir else None
    root = base_url(sock, tls=tls is not None)
    sys.stdout.write(f"Min Pension API: {root}/api/v1/  (control API: {root}/control/)\n")
    if tls is not None:
        sys.stdout.write(f"Mutual TLS: pin {tls.root}; client certificate {tls.client} + {tls.client_key}\n")
    sys.stdout.flush()
    serve_forever(state, sock=sock, tls=tls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
