"""The client against our BankID test server over mutual TLS, including every failure of reference §6."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from minasidor.identity.contrib.bankid.rp.client import BankIdClient
from minasidor.identity.contrib.bankid.rp.errors import BankIdApiError, BankIdTransportError
from minasidor.identity.contrib.bankid.rp.messages import Rfa, message_for_failed
from minasidor.identity.contrib.bankid.rp.qr import qr_data_at
from minasidor.identity.contrib.bankid.rp.tests.support import settings_for
from minasidor.identity.contrib.bankid.rp.tls import rp_ssl_context_from_pkcs12
from minasidor.identity.contrib.bankid.rp.types import (
    AuthRequest,
    CollectStatus,
    OrderResponse,
    PhoneAuthRequest,
    Requirement,
    SignRequest,
)
from simulators.bankid.ca import CaBundle
from simulators.bankid.faults import Fault
from simulators.bankid.server import SimulatorThread
from simulators.bankid.testing import make_ca
from simulators.serving import bind

pytestmark = pytest.mark.anyio
TOLVAN = "191212121212"


def app_post(server: SimulatorThread, path: str, body: dict[str, object]) -> httpx.Response:
    return httpx.post(f"{server.app_base_url}{path}", json=body, timeout=5)


def scan(server: SimulatorThread, order: OrderResponse, started_at: dt.datetime) -> httpx.Response:
    qr = qr_data_at(
        qr_start_token=order.qr_start_token,
        qr_start_secret=order.qr_start_secret,
        started_at=started_at,
        now=server.sim.clock(),
    )
    return app_post(server, "/app/scan", {"qrData": qr, "personalNumber": TOLVAN})


async def test_login_with_qr_then_approve(client: BankIdClient, simulator: SimulatorThread) -> None:
    started_at = simulator.sim.clock()
    order = await client.auth(AuthRequest(end_user_ip="192.0.2.1", user_visible_data="Logga in på Mina sidor"))
    assert (await client.collect(order.order_ref)).hint_code == "outstandingTransaction"
    simulator.sim.clock.advance(3)
    assert scan(simulator, order, started_at).status_code == 200
    assert (await client.collect(order.order_ref)).hint_code == "userSign"
    response = app_post(simulator, "/app/confirm", {"orderRef": order.order_ref, "action": "approve"})
    assert response.json()["status"] == "complete"
    result = await client.collect(order.order_ref)
    assert result.status is CollectStatus.COMPLETE
    assert result.completion_data is not None
    assert result.completion_data.user.personal_number == TOLVAN
    assert result.completion_data.device.ip_address == "192.0.2.1"
    assert result.completion_data.signature


async def test_same_device_with_return_url(client: BankIdClient, simulator: SimulatorThread) -> None:
    order = await client.auth(
        AuthRequest(end_user_ip="127.0.0.1", return_url="https://minasidor.example/retur?nonce=n1", return_risk=True)
    )
    opened = app_post(simulator, "/app/open", {"autoStartToken": order.auto_start_token})
    assert opened.json()["hintCode"] == "started"
    assert (await client.collect(order.order_ref)).hint_code == "started"
    app_post(simulator, "/app/open", {"autoStartToken": order.auto_start_token, "personalNumber": TOLVAN})
    done = app_post(
        simulator,
        "/app/confirm",
        {"orderRef": order.order_ref, "action": "approve", "deviceIp": "203.0.113.9", "risk": "moderate"},
    )
    assert done.json()["returnUrl"] == "https://minasidor.example/retur?nonce=n1"
    data = (await client.collect(order.order_ref)).completion_data
    assert data is not None
    assert (data.device.ip_address, data.risk) == ("203.0.113.9", "moderate")


async def test_sign_and_phone_auth(client: BankIdClient, simulator: SimulatorThread) -> None:
    signed = await client.sign(SignRequest(end_user_ip="127.0.0.1", user_visible_data="Jag ansöker om pension"))
    assert signed.qr_start_secret
    phone = await client.phone_auth(PhoneAuthRequest(personal_number=TOLVAN, call_initiator="user"))
    assert app_post(simulator, "/app/phone", {"personalNumber": TOLVAN}).json()["hintCode"] == "userCallConfirm"
    app_post(simulator, "/app/confirm", {"orderRef": phone.order_ref, "action": "declineCall"})
    failed = await client.collect(phone.order_ref)
    assert (failed.status, failed.hint_code) == (CollectStatus.FAILED, "userDeclinedCall")


async def test_start_failed_after_30_seconds(client: BankIdClient, simulator: SimulatorThread) -> None:
    order = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    simulator.sim.clock.advance(30)
    result = await client.collect(order.order_ref)
    assert (result.status, result.hint_code) == (CollectStatus.FAILED, "startFailed")
    assert message_for_failed(result.hint_code, autostarted=False) is Rfa.RFA17B


async def test_user_cancel_and_expired(client: BankIdClient, simulator: SimulatorThread) -> None:
    started_at = simulator.sim.clock()
    cancelled = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    scan(simulator, cancelled, started_at)
    app_post(simulator, "/app/confirm", {"orderRef": cancelled.order_ref, "action": "cancel"})
    assert (await client.collect(cancelled.order_ref)).hint_code == "userCancel"
    started_at = simulator.sim.clock()
    expiring = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    scan(simulator, expiring, started_at)
    simulator.sim.clock.advance(180)
    assert (await client.collect(expiring.order_ref)).hint_code == "expiredTransaction"


async def test_already_in_progress_is_rfa4(client: BankIdClient) -> None:
    request = AuthRequest(end_user_ip="127.0.0.1", requirement=Requirement(personal_number=TOLVAN))
    first = await client.auth(request)
    with pytest.raises(BankIdApiError) as caught:
        await client.auth(request)
    assert (caught.value.error_code, caught.value.rfa) == ("alreadyInProgress", Rfa.RFA4)
    assert (await client.collect(first.order_ref)).hint_code == "cancelled"


async def test_cancel_then_collect_is_invalid(client: BankIdClient) -> None:
    order = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    await client.cancel(order.order_ref)
    for call in (client.collect, client.cancel):
        with pytest.raises(BankIdApiError) as caught:
            await call(order.order_ref)
        assert (caught.value.status_code, caught.value.error_code) == (400, "invalidParameters")


async def test_maintenance_retried_then_succeeds(client: BankIdClient, simulator: SimulatorThread) -> None:
    simulator.sim.faults.add(Fault(status=503, endpoint="auth"), count=2)
    order = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    assert order.order_ref
    assert simulator.sim.faults.pending() == 0


@pytest.mark.parametrize(
    ("status", "code"), [(500, "internalError"), (408, "requestTimeout"), (429, "tooManyRequests")]
)
async def test_errors_not_retried(client: BankIdClient, simulator: SimulatorThread, status: int, code: str) -> None:
    simulator.sim.faults.add(Fault(status=status, endpoint="collect"), count=2)
    with pytest.raises(BankIdApiError) as caught:
        await client.collect("131daac9-16c6-4618-beb0-365768f37288")
    assert (caught.value.error_code, caught.value.rfa) == (code, Rfa.RFA5)
    assert simulator.sim.faults.pending() == 1


async def test_slow_server_times_out_quickly(simulator: SimulatorThread, bundle: CaBundle) -> None:
    simulator.sim.faults.add(Fault(delay_seconds=2.0, endpoint="auth"))
    settings = settings_for(simulator.rp_base_url, bundle, timeout_seconds=0.3)
    async with BankIdClient(settings=settings) as client:
        started = time.monotonic()
        with pytest.raises(BankIdTransportError) as caught:
            await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    assert time.monotonic() - started < 1.5
    assert caught.value.rfa is Rfa.RFA5


async def test_server_down_fails_fast(bundle: CaBundle) -> None:
    sock = bind(0)
    port = sock.getsockname()[1]
    sock.close()
    settings = settings_for(f"https://localhost:{port}/rp/v6.0/", bundle)
    async with BankIdClient(settings=settings) as client:
        started = time.monotonic()
        with pytest.raises(BankIdTransportError):
            await client.collect("131daac9-16c6-4618-beb0-365768f37288")
    assert time.monotonic() - started < 2


async def test_pinned_root_refuses_a_server_it_does_not_know(
    simulator: SimulatorThread, bundle: CaBundle, tmp_path: Path
) -> None:
    stranger = make_ca(tmp_path)
    settings = settings_for(simulator.rp_base_url, bundle, ca_file=stranger.ssl_root_file)
    async with BankIdClient(settings=settings) as client:
        with pytest.raises(BankIdTransportError):
            await client.auth(AuthRequest(end_user_ip="127.0.0.1"))


def _pick_up(server: SimulatorThread, order: OrderResponse, *, old_app: bool = False) -> None:
    response = app_post(
        server,
        "/app/open",
        {"autoStartToken": order.auto_start_token, "personalNumber": TOLVAN, "oldApp": old_app},
    )
    assert response.status_code == 200


@dataclass(frozen=True)
class AppFailure:
    request: AuthRequest
    actions: list[dict[str, str]]
    hint_code: str
    old_app: bool = False


APP_FAILURES = {
    "certificateErr": AppFailure(AuthRequest(end_user_ip="127.0.0.1"), [{"action": "wrongCode"}] * 3, "certificateErr"),
    "transactionRiskBlocked": AppFailure(
        AuthRequest(end_user_ip="127.0.0.1", requirement=Requirement(risk="low")),
        [{"action": "approve", "risk": "moderate"}],
        "transactionRiskBlocked",
    ),
    "notSupportedByUserApp": AppFailure(
        AuthRequest(end_user_ip="127.0.0.1", return_url="https://minasidor.example/r"),
        [],
        "notSupportedByUserApp",
        old_app=True,
    ),
    "userCancel-during-mrtd": AppFailure(
        AuthRequest(end_user_ip="127.0.0.1", requirement=Requirement(mrtd=True)), [{"action": "cancel"}], "userCancel"
    ),
}


@pytest.mark.parametrize("case", APP_FAILURES.values(), ids=APP_FAILURES.keys())
async def test_failures_driven_by_the_app(client: BankIdClient, simulator: SimulatorThread, case: AppFailure) -> None:
    order = await client.auth(case.request)
    _pick_up(simulator, order, old_app=case.old_app)
    for action in case.actions:
        app_post(simulator, "/app/confirm", {"orderRef": order.order_ref, **action})
    result = await client.collect(order.order_ref)
    assert (result.status, result.hint_code) == (CollectStatus.FAILED, case.hint_code)


async def test_newer_order_for_the_same_person_cancels_the_older(
    client: BankIdClient, simulator: SimulatorThread
) -> None:
    older = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    _pick_up(simulator, older)
    newer = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    _pick_up(simulator, newer)
    assert (await client.collect(older.order_ref)).hint_code == "cancelled"
    assert (await client.collect(newer.order_ref)).hint_code == "userSign"


async def test_mrtd_step_up_reaches_completion_data(client: BankIdClient, simulator: SimulatorThread) -> None:
    order = await client.auth(AuthRequest(end_user_ip="127.0.0.1", requirement=Requirement(mrtd=True)))
    _pick_up(simulator, order)
    assert (await client.collect(order.order_ref)).hint_code == "userMrtd"
    app_post(simulator, "/app/confirm", {"orderRef": order.order_ref, "action": "scanDocument"})
    app_post(simulator, "/app/confirm", {"orderRef": order.order_ref, "action": "approve"})
    data = (await client.collect(order.order_ref)).completion_data
    assert data is not None
    assert data.step_up_mrtd is True


async def test_finished_orders_are_forgotten_after_their_window(
    client: BankIdClient, simulator: SimulatorThread
) -> None:
    completed = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    _pick_up(simulator, completed)
    app_post(simulator, "/app/confirm", {"orderRef": completed.order_ref, "action": "approve"})
    failed = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    simulator.sim.clock.advance(30)
    assert (await client.collect(failed.order_ref)).hint_code == "startFailed"
    simulator.sim.clock.advance(180)
    with pytest.raises(BankIdApiError, match="invalidParameters"):
        await client.collect(completed.order_ref)
    assert (await client.collect(failed.order_ref)).hint_code == "startFailed"
    simulator.sim.clock.advance(120)
    with pytest.raises(BankIdApiError, match="invalidParameters"):
        await client.collect(failed.order_ref)


async def test_malformed_order_ref_is_invalid_parameters(client: BankIdClient) -> None:
    with pytest.raises(BankIdApiError) as caught:
        await client.collect("invalid-uuid")
    assert (caught.value.status_code, caught.value.error_code, caught.value.rfa) == (
        400,
        "invalidParameters",
        Rfa.RFA22,
    )


async def test_pkcs12_certificate_as_banks_deliver_it(simulator: SimulatorThread, bundle: CaBundle) -> None:
    context = rp_ssl_context_from_pkcs12(
        pkcs12_file=bundle.rp_pkcs12_file,
        password="qwerty123",  # test-only: the simulator's documented rp.p12 password
        ca_file=bundle.ssl_root_file,
    )
    settings = settings_for(simulator.rp_base_url, bundle, cert_file=Path("absent"), key_file=Path("absent"))
    async with BankIdClient(settings=settings, ssl_context=context) as client:
        order = await client.auth(AuthRequest(end_user_ip="127.0.0.1"))
    assert order.order_ref
    with pytest.raises(ValueError):  # noqa: PT011 - cryptography's error for a wrong password
        rp_ssl_context_from_pkcs12(pkcs12_file=bundle.rp_pkcs12_file, password="wrong", ca_file=bundle.ssl_root_file)
