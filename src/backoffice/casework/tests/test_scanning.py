"""Requirement (issue 18.2): every attachment passes a malware scan; the test scanner flags the EICAR test
string, and a real scanner (ClamAV's clamd) plugs in by its stream protocol."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import pytest

from backoffice.casework.models import ScanVerdict
from backoffice.casework.scanning import ClamdScanner, EicarTestScanner, ScanError, scanner_from_url
from kernel.tests.sample_files import EICAR, pdf_bytes


def test_the_test_scanner_flags_eicar_anywhere_and_nothing_else() -> None:
    scanner = EicarTestScanner()
    assert scanner.scan(EICAR) == ScanVerdict.INFECTED
    assert scanner.scan(pdf_bytes() + EICAR) == ScanVerdict.INFECTED
    assert scanner.scan(pdf_bytes()) == ScanVerdict.CLEAN


class FakeClamd(threading.Thread):
    """A stand-in for clamd on this machine: reads one zINSTREAM and answers as clamd does (tests only)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.received = b""

    def run(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            command = b""
            while not command.endswith(b"\0"):
                command += connection.recv(1)
            assert command == b"zINSTREAM\0"
            while True:
                size = struct.unpack("!L", self._exactly(connection, 4))[0]
                if size == 0:
                    break
                self.received += self._exactly(connection, size)
            verdict = b"stream: Eicar-Signature FOUND\0" if EICAR in self.received else b"stream: OK\0"
            connection.sendall(verdict)
        self.listener.close()

    @staticmethod
    def _exactly(connection: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            data += connection.recv(size - len(data))
        return data


@pytest.fixture
def clamd() -> Iterator[FakeClamd]:
    server = FakeClamd()
    server.start()
    yield server
    server.join(timeout=5)


def test_clamd_is_sent_the_file_in_chunks_and_its_verdict_read(clamd: FakeClamd) -> None:
    content = pdf_bytes() * 50  # more than one chunk
    assert ClamdScanner("127.0.0.1", clamd.port).scan(content) == ScanVerdict.CLEAN
    assert clamd.received == content


def test_clamd_finding_malware_is_infected(clamd: FakeClamd) -> None:
    assert scanner_from_url(f"clamd://127.0.0.1:{clamd.port}").scan(EICAR) == ScanVerdict.INFECTED


def test_a_clamd_that_does_not_answer_is_a_scan_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as unused:
        port = unused.getsockname()[1]
    with pytest.raises(ScanError):
        ClamdScanner("127.0.0.1", port, timeout_seconds=1).scan(b"x")


def test_an_unknown_scanner_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown malware scanner"):
        scanner_from_url("virustotal://x")
