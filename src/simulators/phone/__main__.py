"""``python -m simulators.phone``: call the telephone service from the terminal (development only)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import httpx

from simulators.phone.caller import CallError, PhoneCall, Speaker, interactive, scripted

DEFAULT_URL = "http://127.0.0.1:8000/talsvar/v1/start"
TEST_TOKEN = "test-only-talsvar-platform-token"  # noqa: S105 — the development default of MINASIDOR_TALSVAR_PLATFORM_TOKEN


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Play a caller against the telephone service (VoiceXML 2.1).")
    parser.add_argument("--url", default=DEFAULT_URL, help=f"the call's first document (default {DEFAULT_URL})")
    parser.add_argument("--token", default=TEST_TOKEN, help="the platform's token (default: the test-only one)")
    parser.add_argument(
        "--keys", help="press these in turn instead of asking, comma-separated, e.g. 1,<pnr>,<code>,1,0"
    )
    parser.add_argument("--speak", type=Path, help="also speak every prompt into WAV files here (needs espeak-ng)")
    args = parser.parse_args(argv)
    keys = scripted(args.keys.split(",")) if args.keys else interactive
    with httpx.Client(timeout=10) as client:
        call = PhoneCall(client, args.url, args.token, keys, Speaker(wav_dir=args.speak))
        try:
            call.run()
        except CallError as error:
            sys.stderr.write(f"The call failed: {error}\n")
            return 1
    sys.stdout.write("(the call has ended)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
