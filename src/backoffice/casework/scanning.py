"""The malware scan every attachment passes before it is kept (issue 18.2).

A :class:`Scanner` looks at bytes and says clean or infected, or raises :class:`ScanError` when it cannot
tell (the file is then refused: nothing unscanned is kept). Two scanners:

- :class:`EicarTestScanner` (test-only, the development default): flags the EICAR anti-malware test string
  anywhere in the file and nothing else. It finds no real malware; the production profile refuses it.
- :class:`ClamdScanner`: ClamAV's daemon over TCP with its ``zINSTREAM`` command — the file is sent in
  chunks (a 4-byte big-endian length, then the bytes; a zero length ends it) and clamd answers
  ``stream: OK`` or ``stream: <signature> FOUND``. Run ``clamd`` beside the back office (Debian's
  ``clamav-daemon``, with ``TCPSocket 3310`` and ``StreamMaxLength`` at least the upload limit) and set
  ``MINASIDOR_MALWARE_SCANNER=clamd://127.0.0.1:3310``.

Any other engine plugs in the same way: a class with ``scan(content) -> ScanVerdict`` and a URL scheme in
:func:`scanner_from_url`. docs/decisions/0133-attachments-and-malware-scan.md says why.
"""

from __future__ import annotations

import functools
import socket
import struct
import urllib.parse
from typing import Protocol

from django.conf import settings

from backoffice.casework.models import ScanVerdict

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CHUNK = 64 * 1024


class ScanError(RuntimeError):
    """The scanner could not say whether the file is clean."""


class Scanner(Protocol):
    """Says whether bytes hold malware."""

    def scan(self, content: bytes) -> ScanVerdict:
        """``CLEAN`` or ``INFECTED``; raises :class:`ScanError` when it cannot tell."""
        ...


class EicarTestScanner:
    """Test-only: infected exactly when the EICAR test string is in the file."""

    test_only = True

    def scan(self, content: bytes) -> ScanVerdict:
        return ScanVerdict.INFECTED if EICAR in content else ScanVerdict.CLEAN


class ClamdScanner:
    """ClamAV's clamd over TCP (``zINSTREAM``)."""

    test_only = False

    def __init__(self, host: str, port: int, *, timeout_seconds: float = 30.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout_seconds

    def scan(self, content: bytes) -> ScanVerdict:
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as connection:
                connection.sendall(b"zINSTREAM\0")
                for start in range(0, len(content), CHUNK):
                    chunk = content[start : start + CHUNK]
                    connection.sendall(struct.pack("!L", len(chunk)) + chunk)
                connection.sendall(struct.pack("!L", 0))
                answer = b""
                while not answer.endswith(b"\0"):
                    received = connection.recv(4096)
                    if not received:
                        break
                    answer += received
        except OSError as error:
            raise ScanError(f"clamd did not answer: {type(error).__name__}") from error
        text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
        if text.endswith(" OK"):
            return ScanVerdict.CLEAN
        if text.endswith(" FOUND"):
            return ScanVerdict.INFECTED
        raise ScanError(f"clamd answered {text[:80]!r}")


def scanner_from_url(url: str) -> Scanner:
    """``eicar-test`` or ``clamd://host:port``."""
    if url == "eicar-test":
        return EicarTestScanner()
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme == "clamd" and parsed.hostname and parsed.port:
        return ClamdScanner(parsed.hostname, parsed.port)
    raise ValueError(f"unknown malware scanner {url!r}: use eicar-test or clamd://host:port")


@functools.cache
def _configured(url: str) -> Scanner:
    return scanner_from_url(url)


def configured_scanner() -> Scanner:
    """The scanner of ``MINASIDOR_MALWARE_SCANNER``."""
    return _configured(settings.MALWARE_SCANNER)
