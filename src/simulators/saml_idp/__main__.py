"""Command line: ``python -m simulators.saml_idp serve --dir DIR --port PORT --sp-metadata URL``.

Runs the test eIDAS connector and the test Swedish eID on http://127.0.0.1:PORT/ with TEST-ONLY keys in DIR
(generated when missing), serves the signed federation aggregate at /federation/metadata.xml, and fetches
the portal's SP metadata from URL when a request comes from an SP it does not know yet.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulators.saml_idp.server import providers_for, serve_forever
from simulators.serving import bind

DEFAULT_DIR = Path("var/simulators/saml")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m simulators.saml_idp", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the test identity providers")
    serve.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    serve.add_argument("--port", type=int, default=8445)
    serve.add_argument("--sp-metadata", default="http://127.0.0.1:8000/saml/metadata/")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        sock = bind(args.port)
    except OSError as error:
        sys.stderr.write(f"Cannot listen on 127.0.0.1:{args.port}: {error}\n")
        return 1
    providers = providers_for(args.dir, sock, sp_metadata_url=args.sp_metadata)
    sys.stdout.write(
        f"Test identity providers: http://127.0.0.1:{args.port}/ (TEST-ONLY keys in {args.dir})\n"
        f"Federation metadata: http://127.0.0.1:{args.port}/federation/metadata.xml "
        f"(signed; trust {args.dir / 'federation.crt'})\n"
    )
    sys.stdout.flush()
    serve_forever(providers, sock=sock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
