"""The test CA (§6.1): files written as PEM and PKCS#12 with the documented password, chains and names."""

from __future__ import annotations

import datetime as dt
import ipaddress
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID

from simulators.bankid import ca
from simulators.bankid.__main__ import main
from simulators.bankid.testing import rp_context


def test_files_and_pkcs12_password(bundle: ca.CaBundle) -> None:
    names = {path.name for path in bundle.directory.iterdir()}
    assert {"ssl-root-ca.pem", "server.pem", "rp.pem", "rp-key.pem", "rp.p12", "signing-root-ca.pem"} <= names
    password = b"qwerty123"  # test-only: the documented password of the simulator's rp.p12
    key, cert, extra = pkcs12.load_key_and_certificates(bundle.rp_pkcs12_file.read_bytes(), password)
    assert key is not None
    assert cert == bundle.rp.cert
    assert extra == [bundle.rp_ca.cert]
    with pytest.raises(ValueError):  # noqa: PT011 - cryptography gives no narrower type
        pkcs12.load_key_and_certificates(bundle.rp_pkcs12_file.read_bytes(), b"wrong")
    assert (bundle.directory / "rp-key.pem").stat().st_mode & 0o077 == 0


def test_server_certificate_is_for_loopback(bundle: ca.CaBundle) -> None:
    san = bundle.server.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert ipaddress.ip_address("127.0.0.1") in san.get_values_for_type(x509.IPAddress)
    bundle.server.cert.verify_directly_issued_by(bundle.ssl_root.cert)
    eku = bundle.server.cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in eku


def test_chains_are_separate(bundle: ca.CaBundle) -> None:
    bundle.rp.cert.verify_directly_issued_by(bundle.rp_ca.cert)
    bundle.customer_ca.cert.verify_directly_issued_by(bundle.bank_ca.cert)
    bundle.bank_ca.cert.verify_directly_issued_by(bundle.signing_root.cert)
    bundle.ocsp_responder.cert.verify_directly_issued_by(bundle.customer_ca.cert)
    assert bundle.signing_root.cert.subject != bundle.ssl_root.cert.subject


def test_load_reuses_and_regenerates_when_expiring(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    first = ca.generate(directory=tmp_path, now=now)
    again = ca.load_or_generate(directory=tmp_path, now=now)
    assert again.rp.cert == first.rp.cert
    later = ca.load_or_generate(directory=tmp_path, now=now + dt.timedelta(days=800))
    assert later.rp.cert != first.rp.cert


def test_cli_init_ca(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init-ca", "--dir", str(tmp_path / "ca")]) == 0
    assert (tmp_path / "ca" / "rp.p12").exists()
    assert "qwerty123" in (tmp_path / "ca" / "README.txt").read_text()  # test-only password, documented
    assert str(tmp_path / "ca") in capsys.readouterr().out


def test_cli_serve_prints_both_urls_and_answers(tmp_path: Path) -> None:
    """The entry point a Makefile runs: it prints the two base URLs and serves on them."""
    command = [
        sys.executable,
        "-m",
        "simulators.bankid",
        "serve",
        "--dir",
        str(tmp_path),
        "--port",
        "0",
        "--app-port",
        "0",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # noqa: S603
    try:
        assert process.stdout is not None
        rp_line, app_line = process.stdout.readline(), process.stdout.readline()
        rp_url = rp_line.rsplit(" ", 1)[1].strip()
        app_url = app_line.rsplit(" ", 1)[1].strip()
        assert rp_url.startswith("https://localhost:")
        assert rp_url.endswith("/rp/v6.0/")
        assert app_url.startswith("http://127.0.0.1:")
        bundle = ca.load(directory=tmp_path)
        for _ in range(100):
            try:
                health = httpx.get(f"{app_url}control/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert health.json()["status"] == "ok"
        response = httpx.post(f"{rp_url}auth", json={"endUserIp": "127.0.0.1"}, verify=rp_context(bundle), timeout=5)
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
