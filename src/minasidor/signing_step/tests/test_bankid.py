"""Requirement: a logged-in BankID user signs a document with a BankID sign order that only they can sign,
which shows the document's summary and carries its hash; the signature reaches the caller only when the
completion proves it (the signer, the XML signature and its chain, the OCSP response for the signer's
certificate, the signed hash) and has not been accepted before. Each forgery is refused: nothing is handed
to the caller and the citizen is told the signature was stopped."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from django.test import Client, RequestFactory

from minasidor.audit.models import AccessRecord
from minasidor.identity.contrib.bankid.rp.parsing import completion_data
from minasidor.identity.contrib.bankid.rp.types import CompletionData
from minasidor.identity.contrib.bankid.types import LoginOrder
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.registers.types import SignatureMethod
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document
from minasidor.signing_step.bankid import ORDER_KEY, SignRefusedError, completion_accept
from minasidor.signing_step.flow import sign_begin, signature_take
from minasidor.signing_step.models import AcceptedSignature
from simulators.bankid import persons
from simulators.bankid.completion import SignedCompletion
from simulators.bankid.ocsp import ocsp_response
from simulators.bankid.orders import Order
from simulators.bankid.server import SimulatorThread
from simulators.bankid.signature import b64

pytestmark = pytest.mark.django_db

TOLVAN = "191212121212"
OTHER = "199908072391"
RETURN = "/mina-sidor/ansokan/klar/"
CANCEL = "/mina-sidor/ansokan/"


def _document(extra: int = 0) -> SignableDocument:
    return signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=1,
        content={"parts": [{"part": "income-pension", "share": 100, "from": "2027-03"}], "extra": extra},
        summary="# Ansökan om ålderspension\n\nInkomstpension 100 % från mars 2027.",
    )


def _begin(client: Client, document: SignableDocument) -> None:
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    sign_begin(request, document=document, return_url=RETURN, cancel_url=CANCEL)
    session.save()


def _take(client: Client, document: SignableDocument) -> Any:
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    signature = signature_take(request, hash_hex=document.hash_hex)
    session.save()
    return signature


def _app(server: SimulatorThread, path: str, **body: object) -> dict[str, Any]:
    response = httpx.post(f"{server.app_base_url}{path}", json=body, timeout=5)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _sign_on_this_device(client: Client, server: SimulatorThread, *, person: str = TOLVAN) -> Any:
    """Start a same-device order on the page, approve it in the virtual app, come back by BankID's return URL."""
    started = client.post("/sign/bankid/starta/", {"flow": "this_device"})
    assert started["Location"] == "/sign/bankid/", started
    order = server.sim.book.orders()[-1]
    _app(server, "/app/open", autoStartToken=order.auto_start_token, personalNumber=person)
    confirmed = _app(server, "/app/confirm", orderRef=order.order_ref, action="approve")
    back = urlsplit(str(confirmed["returnUrl"]))
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def tolvan(client: Client) -> Client:
    log_in(client, make_identity(TOLVAN))
    return client


@contextlib.contextmanager
def _completion_hook(server: SimulatorThread, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Iterator[None]:
    genuine = server.sim.book.completion

    def altered(order: Order, *, now: dt.datetime) -> dict[str, Any]:
        return change(genuine(order, now=now))

    server.sim.book.completion = altered
    try:
        yield
    finally:
        server.sim.book.completion = genuine


def test_a_genuine_signature_reaches_the_caller_once(bankid: SimulatorThread, tolvan: Client) -> None:
    document = _document()
    _begin(tolvan, document)
    assert "Ansökan om ålderspension" in tolvan.get("/sign/").content.decode()
    response = _sign_on_this_device(tolvan, bankid)
    assert response.status_code == 302
    assert response["Location"] == RETURN
    sent = bankid.sim.book.orders()[-1].request
    assert sent.personal_number == TOLVAN, "only the logged-in person may sign"
    signature = _take(tolvan, document)
    assert signature is not None
    assert (signature.method, signature.signer, signature.document) == ("bankid", TOLVAN, document)
    assert signature.evidence.method == SignatureMethod.BANKID
    assert signature.evidence.signer_identifier == TOLVAN
    xml = base64.b64decode(signature.evidence.signature)
    assert b64(document.non_visible_data).encode() in xml, "the signature carries the document's hash"
    assert _take(tolvan, document) is None
    assert AcceptedSignature.objects.filter(document_sha256=document.hash_hex).count() == 1
    assert AccessRecord.objects.filter(action="signing.signed").count() == 1


def test_the_order_asks_bankid_to_show_the_summary_and_carry_the_hash(bankid: SimulatorThread, tolvan: Client) -> None:
    document = _document()
    _begin(tolvan, document)
    tolvan.post("/sign/bankid/starta/", {"flow": "other_device"})
    sent = bankid.sim.book.orders()[-1].request
    assert sent.kind.value == "sign"
    assert base64.b64decode(sent.user_visible_data or "").decode() == document.summary
    assert sent.user_visible_data_format == "simpleMarkdownV1"
    assert base64.b64decode(sent.user_non_visible_data or "") == document.non_visible_data
    page = tolvan.get("/sign/bankid/")
    assert page.status_code == 200
    assert tolvan.get("/sign/bankid/qr.svg").status_code == 200
    assert "qrStartSecret" not in page.content.decode()
    assert tolvan.get("/sign/bankid/status/").json()["state"] == "pending"


def _refused(client: Client, response: Any, document: SignableDocument) -> None:
    body = response.content.decode()
    assert response.status_code == 200, response
    assert "stoppades för din säkerhet" in body
    assert _take(client, document) is None
    assert not AcceptedSignature.objects.exists()
    assert not AccessRecord.objects.filter(action="signing.signed").exists()


def test_a_completion_naming_another_signer_is_refused(bankid: SimulatorThread, tolvan: Client) -> None:
    def other_signer(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "user": {**data["user"], "personalNumber": OTHER}}

    document = _document()
    _begin(tolvan, document)
    with _completion_hook(bankid, other_signer):
        _refused(tolvan, _sign_on_this_device(tolvan, bankid), document)


def test_another_person_cannot_pick_the_order_up(bankid: SimulatorThread, tolvan: Client) -> None:
    _begin(tolvan, _document())
    tolvan.post("/sign/bankid/starta/", {"flow": "this_device"})
    order = bankid.sim.book.orders()[-1]
    opened = httpx.post(
        f"{bankid.app_base_url}/app/open", json={"autoStartToken": order.auto_start_token, "personalNumber": OTHER}
    )
    assert opened.status_code == 409


def test_a_tampered_signature_is_refused(bankid: SimulatorThread, tolvan: Client) -> None:
    def tampered(data: dict[str, Any]) -> dict[str, Any]:
        xml = base64.b64decode(data["signature"]).replace(b"<funcId>Signing", b"<funcId>Identification")
        return {**data, "signature": b64(xml)}

    document = _document()
    _begin(tolvan, document)
    with _completion_hook(bankid, tampered):
        _refused(tolvan, _sign_on_this_device(tolvan, bankid), document)


def test_an_ocsp_response_for_another_certificate_is_refused(bankid: SimulatorThread, tolvan: Client) -> None:
    bundle = bankid.sim.ca
    person = persons.find_person(OTHER)
    assert person is not None

    def foreign_ocsp(data: dict[str, Any]) -> dict[str, Any]:
        now = bankid.sim.clock()
        someone_else = SignedCompletion(ca=bundle).user_certificate(person, now=now)
        response = ocsp_response(
            user_cert=someone_else.cert,
            issuer=bundle.customer_ca.cert,
            responder=bundle.ocsp_responder,
            signature_b64=data["signature"],
            now=now,
        )
        return {**data, "ocspResponse": b64(response)}

    document = _document()
    _begin(tolvan, document)
    with _completion_hook(bankid, foreign_ocsp):
        _refused(tolvan, _sign_on_this_device(tolvan, bankid), document)


def test_a_document_changed_while_the_order_was_open_is_not_signed(bankid: SimulatorThread, tolvan: Client) -> None:
    first, second = _document(), _document(extra=1)
    _begin(tolvan, first)
    tolvan.post("/sign/bankid/starta/", {"flow": "this_device"})
    order = bankid.sim.book.orders()[-1]
    _begin(tolvan, second)  # another tab asks for another signature meanwhile
    _app(bankid, "/app/open", autoStartToken=order.auto_start_token, personalNumber=TOLVAN)
    _app(bankid, "/app/confirm", orderRef=order.order_ref, action="approve")
    response = tolvan.get("/sign/bankid/")
    assert "har ändrats" in response.content.decode()
    assert _take(tolvan, first) is None
    assert _take(tolvan, second) is None
    assert not AcceptedSignature.objects.exists()


def _completed(
    bankid: SimulatorThread, tolvan: Client, document: SignableDocument
) -> tuple[LoginOrder, CompletionData]:
    """A completed order of ``document`` as BankID gives it, collected outside the step."""
    _begin(tolvan, document)
    tolvan.post("/sign/bankid/starta/", {"flow": "other_device"})
    order = LoginOrder.from_session(tolvan.session[ORDER_KEY]["order"])
    book_order = bankid.sim.book.orders()[-1]
    _app(bankid, "/app/open", autoStartToken=book_order.auto_start_token, personalNumber=TOLVAN)
    _app(bankid, "/app/confirm", orderRef=book_order.order_ref, action="approve")
    bankid.sim.book.refresh()
    kept = bankid.sim.book.get(order.order_ref)
    assert kept is not None
    assert kept.completion_data is not None
    completion = completion_data(kept.completion_data)
    return order, completion


def test_a_completion_for_another_documents_hash_is_refused(bankid: SimulatorThread, tolvan: Client) -> None:
    signed, other = _document(), _document(extra=2)
    order, completion = _completed(bankid, tolvan, signed)
    with pytest.raises(SignRefusedError, match="signed hash is not the document's"):
        completion_accept(order=order, completion=completion, document=other, identity=make_identity(TOLVAN))


def test_a_replayed_completion_is_refused(bankid: SimulatorThread, tolvan: Client) -> None:
    document = _document()
    order, completion = _completed(bankid, tolvan, document)
    identity = make_identity(TOLVAN)
    first = completion_accept(order=order, completion=completion, document=document, identity=identity)
    assert first.signer == TOLVAN
    with pytest.raises(SignRefusedError, match="replay"):
        completion_accept(order=order, completion=completion, document=document, identity=identity)
    under_another_order = dataclasses.replace(order, order_ref="another-order-ref")
    with pytest.raises(SignRefusedError, match="replay"):
        completion_accept(order=under_another_order, completion=completion, document=document, identity=identity)
    assert AcceptedSignature.objects.count() == 1


def test_without_javascript_i_have_signed_continue_collects_at_once(
    bankid: SimulatorThread, tolvan: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The no-JavaScript page's button: pressed before the next collect is due (here an hour away), it collects
    at once and goes on to the caller at the first press."""
    monkeypatch.setattr("minasidor.signing_step.bankid.COLLECT_INTERVAL", dt.timedelta(hours=1))
    document = _document()
    _begin(tolvan, document)
    assert tolvan.post("/sign/bankid/starta/", {"flow": "this_device"})["Location"] == "/sign/bankid/"
    page = tolvan.get("/sign/bankid/")
    assert 'action="/sign/bankid/fortsatt/"' in page.content.decode(), "the button posts, with the CSRF token"
    order = bankid.sim.book.orders()[-1]
    _app(bankid, "/app/open", autoStartToken=order.auto_start_token, personalNumber=TOLVAN)
    _app(bankid, "/app/confirm", orderRef=order.order_ref, action="approve")
    assert tolvan.get("/sign/bankid/").status_code == 200, "the page itself waits for the next due collect"
    response = tolvan.post("/sign/bankid/fortsatt/")
    assert response.status_code == 302
    assert response["Location"] == RETURN
    assert _take(tolvan, document) is not None


def test_i_have_signed_continue_without_an_order_goes_back_to_the_page(tolvan: Client) -> None:
    assert tolvan.post("/sign/bankid/fortsatt/")["Location"] == "/sign/bankid/"
    assert tolvan.get("/sign/bankid/fortsatt/").status_code == 405
