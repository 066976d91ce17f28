"""``python -m simulators.sharing_client serve --port 8447 --portal http://127.0.0.1:8000``: the demo third party.

Register it at the portal first (make run does): ``manage.py sharing_client_register --client-id
demo-radgivaren --name "Demo Rådgivning AB (testklient)" --redirect-uri http://127.0.0.1:8447/callback
--secret <the test-only secret in app.py>``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import uvicorn

from simulators.serving import LOOPBACK, bind
from simulators.sharing_client.app import DemoClient, build_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators.sharing_client")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the demo client on loopback")
    serve.add_argument("--port", type=int, default=8447)
    serve.add_argument("--portal", required=True, help="the portal's address, e.g. http://127.0.0.1:8000")
    args = parser.parse_args(argv)
    sock = bind(args.port)
    client = DemoClient(portal_url=args.portal, base_url=f"http://{LOOPBACK}:{sock.getsockname()[1]}")
    server = uvicorn.Server(uvicorn.Config(build_app(client), log_level="info", lifespan="off"))
    asyncio.run(server.serve(sockets=[sock]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
