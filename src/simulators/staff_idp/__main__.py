"""``python -m simulators.staff_idp serve --port 8446 --redirect-uri URL``: the staff identity provider."""

from __future__ import annotations

import argparse
import asyncio
import sys

import uvicorn

from simulators.serving import LOOPBACK, bind
from simulators.staff_idp.provider import Provider, build_app
from simulators.staff_idp.server import development_client


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators.staff_idp")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the provider on loopback")
    serve.add_argument("--port", type=int, default=8446)
    serve.add_argument("--redirect-uri", action="append", required=True, help="the console's callback address")
    args = parser.parse_args(argv)
    sock = bind(args.port)
    issuer = f"http://{LOOPBACK}:{sock.getsockname()[1]}"
    provider = Provider(issuer=issuer, client=development_client(tuple(args.redirect_uri)))
    server = uvicorn.Server(uvicorn.Config(build_app(provider), log_level="info", lifespan="off"))
    asyncio.run(server.serve(sockets=[sock]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
