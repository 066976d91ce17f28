"""Command line: ``python -m simulators.bankid serve|init-ca --dir DIR``.

``init-ca`` writes the test CA, server and RP certificates to DIR (replacing them); ``serve`` loads them
(creating them if missing or expiring) and runs the RP API on https://localhost:PORT/rp/v6.0/ and the
virtual app and control API on http://127.0.0.1:APP_PORT/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulators.bankid import ca, persons
from simulators.bankid.clock import AdjustableClock, system_now
from simulators.bankid.orders import Timings
from simulators.bankid.server import app_base_url, rp_base_url, serve_forever
from simulators.bankid.simulator import Simulator
from simulators.serving import bind

DEFAULT_DIR = Path("var/simulators/bankid")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m simulators.bankid", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init-ca", help="write a new test CA and certificates")
    init.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    serve = commands.add_parser("serve", help="run the BankID test server and the virtual app")
    serve.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    serve.add_argument("--port", type=int, default=8443, help="RP API port (HTTPS, mutual TLS)")
    serve.add_argument("--app-port", type=int, default=8444, help="virtual app and control API port")
    serve.add_argument("--check-luhn", action="store_true", help="refuse personal numbers failing Luhn")
    serve.add_argument("--persons", type=Path, help="JSON file of more test persons the virtual app can act as")
    serve.add_argument("--collect-once", action="store_true", help="a finished order can be collected only once")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = sys.stdout
    if args.command == "init-ca":
        bundle = ca.generate(directory=args.dir, now=system_now())
        out.write(f"Test CA and certificates written to {bundle.directory}\n")
        return 0
    bundle = ca.load_or_generate(directory=args.dir, now=system_now())
    if args.persons is not None:
        persons.add_persons(args.persons)
    sim = Simulator.create(
        ca=bundle,
        clock=AdjustableClock(),
        timings=Timings(collect_once=args.collect_once),
        check_luhn=args.check_luhn,
    )
    try:
        rp_socket = bind(args.port)
        app_socket = bind(args.app_port)
    except OSError as error:
        sys.stderr.write(f"Cannot listen on 127.0.0.1:{args.port}/{args.app_port}: {error}\n")
        return 1
    out.write(
        f"BankID RP API (mutual TLS): {rp_base_url(rp_socket)}\n"
        f"Virtual BankID app and control API: {app_base_url(app_socket)}/\n"
        f"Certificates: {bundle.directory} (RP: rp.pem + rp-key.pem or rp.p12, "
        f"password {ca.RP_PKCS12_PASSWORD}; pin ssl-root-ca.pem)\n"
    )
    out.flush()
    serve_forever(sim, rp_socket=rp_socket, app_socket=app_socket)
    return 0


if __name__ == "__main__":
    sys.exit(main())
