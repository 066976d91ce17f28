"""Requirement: callers ask for a signature with ``sign_begin`` (the request waits in the session, the
browser goes to the signing page) and take it back with ``signature_take`` once, for the document's hash,
only as the person who signed; the step refuses return addresses of other sites, and chooses the method by
how the person logged in (BankID signs here; a SAML login is told how to apply on paper)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory

from kernel import clock
from minasidor.identity.session import SESSION_KEY
from minasidor.identity.tests.factories import log_in, make_foreign_identity, make_identity
from minasidor.registers.types import SignatureMethod
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document
from minasidor.signing_step.flow import (
    REQUEST_KEY,
    SigningRequestError,
    pending_of,
    sign_begin,
    signature_keep,
    signature_take,
)
from minasidor.signing_step.tests.factories import stand_in_signature

pytestmark = pytest.mark.django_db

TOLVAN = "191212121212"
OTHER = "199908072391"


def _document(extra: int = 0) -> SignableDocument:
    return signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=1,
        content={"parts": [{"part": "income-pension", "share": 100, "from": "2027-03"}], "extra": extra},
        summary="# Ansökan om ålderspension\n\nInkomstpension 100 % från mars 2027.",
    )


def _request(identity_number: str | None = TOLVAN):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.session = SessionStore()
    if identity_number is not None:
        request.session[SESSION_KEY] = make_identity(identity_number).to_session()
    return request


def test_sign_begin_keeps_the_request_and_sends_the_browser_to_the_signing_page() -> None:
    request = _request()
    document = _document()
    response = sign_begin(request, document=document, return_url="/mina-sidor/klar/", cancel_url="/mina-sidor/")
    assert response.status_code == 302
    assert response.url == "/sign/"
    pending = pending_of(request)
    assert pending is not None
    assert pending.document == document
    assert (pending.return_url, pending.cancel_url) == ("/mina-sidor/klar/", "/mina-sidor/")


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "klar/", "/\\evil.example"])
def test_sign_begin_refuses_return_addresses_off_this_site(url: str) -> None:
    request = _request()
    with pytest.raises(SigningRequestError):
        sign_begin(request, document=_document(), return_url=url, cancel_url="/mina-sidor/")
    with pytest.raises(SigningRequestError):
        sign_begin(request, document=_document(), return_url="/mina-sidor/", cancel_url=url)
    assert REQUEST_KEY not in request.session


def test_sign_begin_needs_a_logged_in_person() -> None:
    with pytest.raises(SigningRequestError):
        sign_begin(_request(None), document=_document(), return_url="/a/", cancel_url="/b/")


def test_a_signature_is_taken_once_for_its_document() -> None:
    request = _request()
    document = _document()
    signature = stand_in_signature(document, signer=TOLVAN)
    signature_keep(request, signature)
    assert signature_take(request, hash_hex=_document(extra=1).hash_hex) is None
    taken = signature_take(request, hash_hex=document.hash_hex)
    assert taken == signature
    assert taken is not None
    assert taken.evidence.method == SignatureMethod.BANKID
    assert signature_take(request, hash_hex=document.hash_hex) is None


def test_a_signature_by_another_person_than_the_sessions_is_not_handed_over() -> None:
    request = _request()
    document = _document()
    signature_keep(request, stand_in_signature(document, signer=OTHER))
    assert signature_take(request, hash_hex=document.hash_hex) is None


def test_a_signature_left_too_long_is_not_handed_over() -> None:
    request = _request()
    document = _document()
    signature_keep(request, stand_in_signature(document, signer=TOLVAN, at=clock.now() - dt.timedelta(hours=1)))
    assert signature_take(request, hash_hex=document.hash_hex) is None


def _begin(client: Client) -> None:
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    sign_begin(request, document=_document(), return_url="/mina-sidor/klar/", cancel_url="/mina-sidor/ansok/")
    session.save()


def test_a_bankid_login_signs_with_bankid_and_sees_what_it_signs(client: Client) -> None:
    log_in(client, make_identity(TOLVAN))
    _begin(client)
    response = client.get("/sign/")
    assert response.status_code == 200
    assert "Ansökan om ålderspension" in response.content.decode()
    assert "signing_step/start.html" in [t.name for t in response.templates]


def test_a_saml_login_is_told_how_to_apply_on_paper(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CUSTOMER_SERVICE_PHONE = "0771-000 000"
    log_in(client, make_foreign_identity())
    _begin(client)
    response = client.get("/en/sign/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Apply on paper" in body
    assert "0771-000 000" in body


def test_cancel_goes_back_to_the_caller_and_forgets_the_request(client: Client) -> None:
    log_in(client, make_identity(TOLVAN))
    _begin(client)
    response = client.post("/sign/avbryt/")
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/ansok/"
    assert REQUEST_KEY not in client.session
    assert "Nothing to sign" in client.get("/en/sign/").content.decode()


def test_the_signing_page_needs_a_login(client: Client) -> None:
    response = client.get("/sign/")
    assert response.status_code == 302
    assert "/sign/" not in response["Location"]
