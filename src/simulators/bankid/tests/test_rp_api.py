"""The RP API over HTTPS with mutual TLS (§6.1, 6.2, 6.7): certificates, routing, status codes, injected faults."""

from __future__ import annotations

import http.client
import json
import ssl
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from simulators.bankid.ca import CaBundle
from simulators.bankid.faults import Fault
from simulators.bankid.server import SimulatorThread
from simulators.bankid.testing import make_ca, rp_context

JSON = {"Content-Type": "application/json"}


def test_auth_returns_four_uuid_tokens(rp: httpx.Client) -> None:
    response = rp.post("auth", json={"endUserIp": "127.0.0.1"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"orderRef", "autoStartToken", "qrStartToken", "qrStartSecret"}
    for value in body.values():
        uuid.UUID(value)


def test_phone_auth_returns_only_order_ref(rp: httpx.Client) -> None:
    response = rp.post("phone/auth", json={"personalNumber": "191212121212", "callInitiator": "RP"})
    assert response.status_code == 200
    assert set(response.json()) == {"orderRef"}


def test_cancel_returns_empty_object_then_invalid(rp: httpx.Client) -> None:
    order_ref = rp.post("auth", json={"endUserIp": "127.0.0.1"}).json()["orderRef"]
    first = rp.post("cancel", json={"orderRef": order_ref})
    assert (first.status_code, first.json()) == (200, {})
    second = rp.post("cancel", json={"orderRef": order_ref})
    assert (second.status_code, second.json()["errorCode"]) == (400, "invalidParameters")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "auth", 405, "methodNotAllowed"),
        ("PUT", "collect", 405, "methodNotAllowed"),
        ("POST", "authenticate", 404, "notFound"),
        ("POST", "/rp/v5.1/auth", 404, "notFound"),
    ],
)
def test_routing(rp: httpx.Client, method: str, path: str, status: int, code: str) -> None:
    response = rp.request(method, path, content=b"{}", headers=JSON)
    assert (response.status_code, response.json()["errorCode"]) == (status, code)


@pytest.mark.parametrize("content_type", ["application/json; charset=UTF-8", "text/plain", None])
def test_content_type_must_be_exactly_json(rp: httpx.Client, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = rp.post("auth", content=b'{"endUserIp": "127.0.0.1"}', headers=headers)
    assert (response.status_code, response.json()["errorCode"]) == (415, "unsupportedMediaType")


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'"text"'])
def test_malformed_json_is_invalid_parameters(rp: httpx.Client, raw: bytes) -> None:
    response = rp.post("auth", content=raw, headers=JSON)
    assert (response.status_code, response.json()["errorCode"]) == (400, "invalidParameters")


def test_collect_of_unknown_order(rp: httpx.Client) -> None:
    response = rp.post("collect", json={"orderRef": str(uuid.uuid4())})
    assert (response.status_code, response.json()["errorCode"]) == (400, "invalidParameters")


def test_without_client_certificate_is_unauthorized(server: SimulatorThread, bundle: CaBundle) -> None:
    with httpx.Client(verify=rp_context(bundle, with_cert=False)) as client:
        response = client.post(f"{server.rp_base_url}auth", json={"endUserIp": "127.0.0.1"})
    assert (response.status_code, response.json()["errorCode"]) == (401, "unauthorized")


def test_certificate_from_another_ca_fails_the_handshake(
    server: SimulatorThread, bundle: CaBundle, tmp_path: Path
) -> None:
    stranger = make_ca(tmp_path)
    context = ssl.create_default_context(cafile=str(bundle.ssl_root_file))
    context.load_cert_chain(str(stranger.rp_cert_file), str(stranger.rp_key_file))
    with httpx.Client(verify=context) as client, pytest.raises(httpx.TransportError):
        client.post(f"{server.rp_base_url}auth", json={"endUserIp": "127.0.0.1"})


def test_server_is_not_trusted_by_another_root(server: SimulatorThread, tmp_path: Path) -> None:
    stranger = make_ca(tmp_path)
    with httpx.Client(verify=rp_context(stranger)) as client, pytest.raises(httpx.ConnectError):
        client.post(f"{server.rp_base_url}auth", json={"endUserIp": "127.0.0.1"})


@pytest.mark.parametrize(
    ("status", "code"),
    [(503, "maintenance"), (500, "internalError"), (408, "requestTimeout"), (429, "tooManyRequests")],
)
def test_injected_error_status(rp: httpx.Client, server: SimulatorThread, status: int, code: str) -> None:
    server.sim.faults.add(Fault(status=status, endpoint="auth"))
    response = rp.post("auth", json={"endUserIp": "127.0.0.1"})
    assert (response.status_code, response.json()["errorCode"]) == (status, code)
    if status == 429:
        assert response.headers["RateLimit-Remaining"] == "0"
    assert rp.post("auth", json={"endUserIp": "127.0.0.1"}).status_code == 200


def test_injected_fault_only_hits_its_endpoint_and_count(rp: httpx.Client, server: SimulatorThread) -> None:
    server.sim.faults.add(Fault(status=500, endpoint="collect"), count=2)
    order_ref = rp.post("auth", json={"endUserIp": "127.0.0.1"}).json()["orderRef"]
    statuses = [rp.post("collect", json={"orderRef": order_ref}).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]


def test_injected_non_json_body(rp: httpx.Client, server: SimulatorThread) -> None:
    server.sim.faults.add(Fault(status=503, raw_body="<html>Service Unavailable</html>"))
    response = rp.post("auth", json={"endUserIp": "127.0.0.1"})
    assert response.status_code == 503
    assert response.text.startswith("<html>")


def test_slow_response(rp: httpx.Client, server: SimulatorThread) -> None:
    server.sim.faults.add(Fault(delay_seconds=0.3))
    started = time.monotonic()
    response = rp.post("auth", json={"endUserIp": "127.0.0.1"})
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3


def test_a_standard_library_client_works(server: SimulatorThread, bundle: CaBundle) -> None:
    """Not only httpx: Python's own http.client with the PEM files."""
    url = urlsplit(server.rp_base_url)
    connection = http.client.HTTPSConnection(url.hostname or "", url.port, context=rp_context(bundle), timeout=5)
    connection.request("POST", f"{url.path}auth", body=b'{"endUserIp":"127.0.0.1"}', headers=JSON)
    response = connection.getresponse()
    assert response.status == 200
    assert "orderRef" in json.loads(response.read())
    connection.close()
