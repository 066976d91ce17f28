"""Requirement: a person who logged in over SAML signs through the signature service: the step sends a signed
request for exactly their document to the service (the browser posts it), takes the service's answer back
in their session, and hands the caller a signature only if the answer proves it (the same person, our hash,
our request); a cancel is told apart and keeps the draft; a replayed answer is refused; the kept evidence
verifies offline with ``verify_signature``; without a configured service the paper page stays."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory

from minasidor.identity.tests.factories import log_in, make_foreign_identity, make_identity
from minasidor.identity.types import LOA3, ForeignIdentity, Identity, Method
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document
from minasidor.signing.sigservice import MAPPED_PERSONAL_NUMBER, PERSONAL_NUMBER, PRID
from minasidor.signing_step.flow import Signature, sign_begin, signature_take
from minasidor.signing_step.models import AcceptedSignature
from minasidor.signing_step.tests.signature_service import IDP, authenticated, post_answer, service_answer, sign_request
from simulators.sigservice.keys import ServiceKeys

pytestmark = pytest.mark.django_db

TOLVAN = "191212121212"
RETURN = "/mina-sidor/konto/klart/"
CANCEL = "/mina-sidor/konto/"


def _swedish_eid() -> Identity:
    return make_identity(TOLVAN, method=Method.SWEDISH_EID, provider=IDP, level_of_assurance=LOA3)


def _document() -> SignableDocument:
    return signable_document(
        kind=DocumentKind.PAYMENT_ACCOUNT_CHANGE,
        version=1,
        content={"account": {"clearing": "6789", "number": "123456789"}},
        summary="# Nytt konto för din pension\n\nHandelsbanken 6789-123456789",
    )


def _begin(client: Client, document: SignableDocument) -> None:
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    sign_begin(request, document=document, return_url=RETURN, cancel_url=CANCEL)
    session.save()


def _take(client: Client, document: SignableDocument) -> Signature | None:
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    signature = signature_take(request, hash_hex=document.hash_hex)
    session.save()
    return signature


def _begun(client: Client, identity: Identity) -> SignableDocument:
    """``identity`` logged in, and the signing step asked for their signature of the document."""
    log_in(client, identity)
    document = _document()
    _begin(client, document)
    return document


def test_without_a_signature_service_a_saml_login_is_told_to_apply_on_paper(client: Client) -> None:
    log_in(client, _swedish_eid())
    _begin(client, _document())
    assert "signing_step/paper.html" in [t.name for t in client.get("/sign/").templates]


def test_a_swedish_eid_signs_through_the_service(
    client: Client, connected: ServiceKeys, portal_keys: ServiceKeys
) -> None:
    identity = _swedish_eid()
    document = _begun(client, identity)
    start = client.get("/en/sign/")
    assert "Go to the signature service" in start.content.decode()
    request_xml = sign_request(client)
    assert document.summary.encode() not in request_xml, "the sign message travels base64-encoded"
    answer = service_answer(
        request_xml, authenticated(identity, {PERSONAL_NUMBER: TOLVAN}, TOLVAN), keys=connected, portal_keys=portal_keys
    )
    finished = post_answer(client, answer)
    assert finished["Location"] == RETURN
    signature = _take(client, document)
    assert signature is not None
    assert (signature.method, signature.signer, signature.document) == ("signature_service", TOLVAN, document)
    assert signature.evidence.method == "signature_service"
    assert signature.evidence.signer_identifier == TOLVAN
    assert base64.b64decode(signature.evidence.sign_response) == answer
    assert "BEGIN CERTIFICATE" in signature.evidence.signer_certificate
    assert AcceptedSignature.objects.count() == 1

    kept: dict[str, Any] = {
        "document": {
            "kind": document.kind.value,
            "version": 1,
            "canonical_bytes": base64.b64encode(document.canonical).decode(),
            "sha256": document.hash_hex,
            "summary": document.summary,
        },
        "evidence": {
            "method": "signature_service",
            "signer_identifier": TOLVAN,
            "signed_at": signature.signed_at.isoformat(),
            "signature": signature.evidence.signature,
            "ocsp_response": "",
            "sign_response": signature.evidence.sign_response,
            "signer_certificate": signature.evidence.signer_certificate,
        },
    }
    out = io.StringIO()
    file = Path(str(_tmp_file(kept)))
    call_command("verify_signature", "--file", str(file), stdout=out)
    assert "signature holds: payment-account-change v1" in out.getvalue()
    kept["evidence"]["signer_identifier"] = "199908072391"
    file.write_text(json.dumps(kept))
    with pytest.raises(CommandError):
        call_command("verify_signature", "--file", str(file), stdout=io.StringIO())


def _tmp_file(data: dict[str, Any]) -> Path:
    import tempfile  # noqa: PLC0415 - one use

    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
    with handle:
        json.dump(data, handle)
    return Path(handle.name)


def test_a_replayed_answer_is_refused(client: Client, connected: ServiceKeys, portal_keys: ServiceKeys) -> None:
    identity = _swedish_eid()
    document = _begun(client, identity)
    answer = service_answer(
        sign_request(client),
        authenticated(identity, {PERSONAL_NUMBER: TOLVAN}, TOLVAN),
        keys=connected,
        portal_keys=portal_keys,
    )
    assert post_answer(client, answer)["Location"] == RETURN
    assert _take(client, document) is not None
    _begin(client, document)
    sign_request(client)  # a new request waits: the old answer is not for it
    again = post_answer(client, answer)
    assert "stoppades för din säkerhet" in again.content.decode()
    assert _take(client, document) is None
    assert AcceptedSignature.objects.count() == 1


def test_an_answer_for_another_person_is_refused(
    client: Client, connected: ServiceKeys, portal_keys: ServiceKeys
) -> None:
    identity = _swedish_eid()
    document = _begun(client, identity)
    someone_else = authenticated(identity, {PERSONAL_NUMBER: TOLVAN}, "199908072391")  # a certificate for another
    answer = service_answer(sign_request(client), someone_else, keys=connected, portal_keys=portal_keys)
    page = post_answer(client, answer)
    assert "stoppades för din säkerhet" in page.content.decode()
    assert _take(client, document) is None
    assert not AcceptedSignature.objects.exists()


def test_a_cancel_at_the_service_keeps_the_draft(
    client: Client, connected: ServiceKeys, portal_keys: ServiceKeys
) -> None:
    _begun(client, _swedish_eid())
    answer = service_answer(sign_request(client), None, keys=connected, portal_keys=portal_keys)
    page = post_answer(client, answer)
    body = page.content.decode()
    assert "Du avbröt underskriften" in body
    assert "Det du har fyllt i finns kvar" in body
    assert client.post("/sign/avbryt/")["Location"] == CANCEL


def test_a_foreign_eid_without_a_swedish_number_signs_by_its_prid(
    client: Client, connected: ServiceKeys, portal_keys: ServiceKeys
) -> None:
    identity = make_foreign_identity()
    assert identity.foreign is not None
    document = _begun(client, identity)
    request_xml = sign_request(client)
    assert identity.foreign.prid.encode() in request_xml
    answer = service_answer(
        request_xml,
        authenticated(identity, {PRID: identity.foreign.prid}, identity.foreign.prid),
        keys=connected,
        portal_keys=portal_keys,
    )
    assert post_answer(client, answer)["Location"] == RETURN
    signature = _take(client, document)
    assert signature is not None
    assert signature.signer == identity.subject_key
    assert signature.evidence.signer_identifier == identity.foreign.prid


def test_an_answer_not_signed_by_the_service_is_not_kept(
    client: Client, connected: ServiceKeys, portal_keys: ServiceKeys
) -> None:
    identity = _swedish_eid()
    document = _begun(client, identity)
    request_xml = sign_request(client)
    impostor = ServiceKeys.generate(now=dt.datetime.now(dt.UTC))
    answer = service_answer(
        request_xml, authenticated(identity, {PERSONAL_NUMBER: TOLVAN}, TOLVAN), keys=impostor, portal_keys=portal_keys
    )
    page = post_answer(client, answer)
    assert "stoppades för din säkerhet" in page.content.decode()
    assert _take(client, document) is None
    junk = Client().post("/sign/underskriftstjanst/svar/", {"EidSignResponse": "x" * 1000})
    assert junk.status_code == 302


def test_the_same_answer_again_in_the_same_session_is_refused(
    client: Client, connected: ServiceKeys, portal_keys: ServiceKeys
) -> None:
    identity = _swedish_eid()
    _begun(client, identity)
    answer = service_answer(
        sign_request(client),
        authenticated(identity, {PERSONAL_NUMBER: TOLVAN}, TOLVAN),
        keys=connected,
        portal_keys=portal_keys,
    )
    assert post_answer(client, answer)["Location"] == RETURN
    again = post_answer(client, answer)
    assert "stoppades för din säkerhet" in again.content.decode()
    assert AcceptedSignature.objects.count() == 1


def _bound_foreign_eid() -> Identity:
    return make_identity(
        TOLVAN,
        method=Method.EIDAS,
        provider="http://eidas-connector.test",
        level_of_assurance="http://id.elegnamnden.se/loa/1.0/eidas-nf-sub",
        foreign=ForeignIdentity(
            country="NO", prid="NO:05068907693", prid_persistence="A", eidas_person_identifier="NO/SE/05068907693"
        ),
    )


def test_a_foreign_eid_bound_to_a_number_signs_only_as_both(
    client: Client, connected: ServiceKeys, portal_keys: ServiceKeys
) -> None:
    """The request names the bound number and the foreign eID's prid; the service's login must find both (a
    person who declines to share the number at the connector is refused), and the certificate names the number."""
    identity = _bound_foreign_eid()
    document = _begun(client, identity)
    request_xml = sign_request(client)
    assert MAPPED_PERSONAL_NUMBER.encode() in request_xml
    assert b"NO:05068907693" in request_xml
    prid_only = service_answer(
        request_xml,
        authenticated(identity, {PRID: "NO:05068907693"}, "NO:05068907693"),
        keys=connected,
        portal_keys=portal_keys,
    )
    assert b"user-mismatch" in prid_only
    assert "stoppades för din säkerhet" in post_answer(client, prid_only).content.decode()
    _begin(client, document)
    request_xml = sign_request(client)
    both = {MAPPED_PERSONAL_NUMBER: TOLVAN, PRID: "NO:05068907693"}
    answer = service_answer(request_xml, authenticated(identity, both, TOLVAN), keys=connected, portal_keys=portal_keys)
    assert post_answer(client, answer)["Location"] == RETURN
    signature = _take(client, document)
    assert signature is not None
    assert signature.signer == TOLVAN
    assert signature.evidence.signer_identifier == TOLVAN
