"""Command line: ``python -m simulators.mail serve [--smtp-port 8025] [--http-port 8026] [--dir DIR]``.

With ``--dir`` each received message is also written there as an ``.eml`` file.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from simulators.mail.mailbox import Mailbox
from simulators.mail.server import http_server, serve
from simulators.serving import bind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators.mail", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_command = commands.add_parser("serve", help="run the mail test server on loopback")
    serve_command.add_argument("--smtp-port", type=int, default=8025)
    serve_command.add_argument("--http-port", type=int, default=8026)
    serve_command.add_argument("--dir", type=Path, help="also keep each message as an .eml file here")
    args = parser.parse_args(argv)
    mailbox = Mailbox(args.dir)
    try:
        smtp_sock, http_sock = bind(args.smtp_port), bind(args.http_port)
    except OSError as error:
        sys.stderr.write(f"Cannot listen on 127.0.0.1:{args.smtp_port} and :{args.http_port}: {error}\n")
        return 1
    sys.stdout.write(
        f"SMTP: 127.0.0.1:{args.smtp_port}  messages: http://127.0.0.1:{args.http_port}/ "
        f"(JSON: /api/messages; control: /control/)\n"
    )
    sys.stdout.flush()
    asyncio.run(
        serve(mailbox, smtp_sock=smtp_sock, http_sock=http_sock, http_server=http_server(mailbox, log_level="info"))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
