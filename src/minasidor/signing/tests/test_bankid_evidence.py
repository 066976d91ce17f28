"""Requirement: a BankID sign order proves that the logged-in person signed exactly our document (the signed
visible and hidden data are what we sent, the signature and its chain verify to the signing root, the OCSP
response is good and for the signer's certificate); wrong signer, tampering, another certificate's OCSP
response and a hash mismatch are refused; a kept record verifies again offline from itself and the root."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime as dt
import secrets
from pathlib import Path

import httpx
import pytest

from minasidor.identity.contrib.bankid.rp.client import BankIdClient, BankIdSettings
from minasidor.identity.contrib.bankid.rp.types import CollectStatus, CompletionData, Device, SignRequest, User
from minasidor.signing.bankid_evidence import (
    SignatureEvidence,
    SignatureRefusedError,
    evidence_verify,
    sign_completion_check,
)
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document
from simulators.bankid import persons
from simulators.bankid.ca import CaBundle
from simulators.bankid.completion import SignedCompletion
from simulators.bankid.ocsp import ocsp_response
from simulators.bankid.server import SimulatorThread
from simulators.bankid.signature import SignedContent, b64, sign_xml
from simulators.bankid.testing import make_ca

TOLVAN = "191212121212"
OTHER = "199908072391"
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def _document(extra_tax: int = 500) -> SignableDocument:
    return signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=1,
        content={"parts": [{"part": "income-pension", "share": 100, "from": "2027-03"}], "extraTaxKronor": extra_tax},
        summary="# Ansökan om ålderspension\n\nInkomstpension 100 % från mars 2027.",
    )


def _sign(server: SimulatorThread, document: SignableDocument, *, person: str = TOLVAN) -> tuple[str, CompletionData]:
    """A real sign order at the BankID test server, approved by ``person`` in the virtual app."""
    bundle = server.sim.ca
    settings = BankIdSettings(
        base_url=server.rp_base_url,
        cert_file=bundle.rp_cert_file,
        key_file=bundle.rp_key_file,
        ca_file=bundle.ssl_root_file,
    )

    async def run() -> tuple[str, CompletionData]:
        async with BankIdClient(settings=settings) as client:
            order = await client.sign(
                SignRequest(
                    end_user_ip="192.0.2.1",
                    user_visible_data=document.summary,
                    user_visible_data_format="simpleMarkdownV1",
                    user_non_visible_data=document.non_visible_data,
                )
            )
            app = f"{server.app_base_url}/app"
            opened = httpx.post(
                f"{app}/open", json={"autoStartToken": order.auto_start_token, "personalNumber": person}
            )
            assert opened.status_code == 200, opened.text
            approved = httpx.post(f"{app}/confirm", json={"orderRef": order.order_ref, "action": "approve"})
            assert approved.status_code == 200, approved.text
            result = await client.collect(order.order_ref)
            assert result.status is CollectStatus.COMPLETE
            assert result.completion_data is not None
            return order.order_ref, result.completion_data

    return asyncio.run(run())


@pytest.fixture
def server(bankid_server: SimulatorThread) -> SimulatorThread:
    bankid_server.sim.reset()
    return bankid_server


def _root(server: SimulatorThread) -> str:
    return str(server.sim.ca.signing_root_file)


def _check(
    server: SimulatorThread, completion: CompletionData, document: SignableDocument, *, signer: str = TOLVAN
) -> SignatureEvidence:
    return sign_completion_check(
        completion=completion,
        order_ref="order",
        document=document,
        signer=signer,
        root_file=_root(server),
        completed_at=NOW,
    )


def test_a_genuine_sign_order_gives_evidence_that_verifies_offline(server: SimulatorThread) -> None:
    document = _document()
    order_ref, completion = _sign(server, document)
    evidence = sign_completion_check(
        completion=completion,
        order_ref=order_ref,
        document=document,
        signer=TOLVAN,
        root_file=_root(server),
        completed_at=NOW,
    )
    assert (evidence.signer, evidence.document_hash, evidence.canonical) == (
        TOLVAN,
        document.hash_hex,
        document.canonical,
    )
    assert evidence.signature == completion.signature
    assert abs(evidence.certificate_good_at - server.sim.clock()) < dt.timedelta(minutes=1)
    kept = SignatureEvidence.from_json(evidence.to_json())
    assert kept == evidence
    assert evidence_verify(kept, root_file=_root(server)) == document


def test_another_signer_is_refused(server: SimulatorThread) -> None:
    document = _document()
    _, completion = _sign(server, document, person=OTHER)
    with pytest.raises(SignatureRefusedError, match="another person"):
        _check(server, completion, document, signer=TOLVAN)


def test_a_completion_naming_the_signer_over_another_persons_certificate_is_refused(server: SimulatorThread) -> None:
    document = _document()
    _, completion = _sign(server, document, person=OTHER)
    forged = CompletionData(
        user=User(personal_number=TOLVAN, name="Tolvan", given_name="Tolvan", surname="Tolvansson"),
        device=completion.device,
        bank_id_issue_date=completion.bank_id_issue_date,
        signature=completion.signature,
        ocsp_response=completion.ocsp_response,
    )
    with pytest.raises(SignatureRefusedError, match="another personal number"):
        _check(server, forged, document)


def test_a_tampered_signature_is_refused(server: SimulatorThread) -> None:
    document = _document()
    _, completion = _sign(server, document)
    other = _document(extra_tax=0)
    xml = base64.b64decode(completion.signature)
    tampered_xml = xml.replace(b64(document.non_visible_data).encode(), b64(other.non_visible_data).encode())
    assert tampered_xml != xml
    tampered = dataclasses.replace(completion, signature=b64(tampered_xml))
    with pytest.raises(SignatureRefusedError, match="does not verify"):
        _check(server, tampered, other)


def test_an_ocsp_response_for_another_certificate_is_refused(server: SimulatorThread) -> None:
    document = _document()
    _, completion = _sign(server, document)
    bundle = server.sim.ca
    person = persons.find_person(OTHER)
    assert person is not None
    someone_else = SignedCompletion(ca=bundle).user_certificate(person, now=server.sim.clock())
    foreign = ocsp_response(
        user_cert=someone_else.cert,
        issuer=bundle.customer_ca.cert,
        responder=bundle.ocsp_responder,
        signature_b64=completion.signature,  # even bound to this signature by its nonce
        now=server.sim.clock(),
    )
    with pytest.raises(SignatureRefusedError, match="another certificate"):
        _check(server, dataclasses.replace(completion, ocsp_response=b64(foreign)), document)


def test_a_signature_of_another_document_is_refused(server: SimulatorThread) -> None:
    signed, other = _document(), _document(extra_tax=0)
    _, completion = _sign(server, signed)
    with pytest.raises(SignatureRefusedError, match="signed hash is not the document's"):
        _check(server, completion, other)


def test_another_summary_is_refused(server: SimulatorThread) -> None:
    document = _document()
    _, completion = _sign(server, document)
    shown = signable_document(
        kind=document.kind, version=document.version, content=document.content, summary="Något annat"
    )
    assert shown.digest == document.digest
    with pytest.raises(SignatureRefusedError, match="signed text"):
        _check(server, completion, shown)


def test_a_kept_record_with_changed_bytes_or_signer_is_refused(server: SimulatorThread) -> None:
    document = _document()
    _, completion = _sign(server, document)
    evidence = _check(server, completion, document)
    root = _root(server)
    altered = document.canonical.replace(b'"extraTaxKronor":500', b'"extraTaxKronor":900')
    with pytest.raises(SignatureRefusedError, match="hash is not the recorded one"):
        evidence_verify(dataclasses.replace(evidence, canonical=altered), root_file=root)
    rehashed = _document(extra_tax=900)
    with pytest.raises(SignatureRefusedError, match="signed hash"):
        evidence_verify(
            dataclasses.replace(evidence, canonical=rehashed.canonical, document_hash=rehashed.hash_hex),
            root_file=root,
        )
    with pytest.raises(SignatureRefusedError, match="another personal number"):
        evidence_verify(dataclasses.replace(evidence, signer=OTHER), root_file=root)
    with pytest.raises(SignatureRefusedError, match="OCSP"):
        evidence_verify(dataclasses.replace(evidence, certificate_good_at=NOW), root_file=root)
    with pytest.raises(SignatureRefusedError):
        SignatureEvidence.from_json({**evidence.to_json(), "format": 2})


def test_a_kept_record_verifies_after_the_certificate_has_expired(tmp_path: Path) -> None:
    """Three years on, the signer's two-year certificate has expired; the record still verifies at the
    time the bank vouched for it, while the same signature is refused as a new completion."""
    then = dt.datetime.now(dt.UTC) - dt.timedelta(days=3 * 365)
    bundle: CaBundle = make_ca(tmp_path, now=then)
    person = persons.find_person(TOLVAN)
    assert person is not None
    user = SignedCompletion(ca=bundle).user_certificate(person, now=then)
    document = _document()
    content = SignedContent(
        user_visible_data=b64(document.summary),
        user_non_visible_data=b64(document.non_visible_data),
        rp_subject="CN=Mina sidor",
        rp_display_name="Mina sidor",
        func_id="Signing",
        uhi="device",
    )
    chain = [user.cert, bundle.customer_ca.cert, bundle.bank_ca.cert]
    signature = b64(sign_xml(content=content, key=user.key, chain=chain, nonce=secrets.token_bytes(16)))
    ocsp_der = ocsp_response(
        user_cert=user.cert,
        issuer=bundle.customer_ca.cert,
        responder=bundle.ocsp_responder,
        signature_b64=signature,
        now=then + dt.timedelta(minutes=1),
    )
    completion = CompletionData(
        user=User(personal_number=TOLVAN, name="Tolvan Tolvansson", given_name="Tolvan", surname="Tolvansson"),
        device=Device(ip_address="192.0.2.1"),
        bank_id_issue_date="2020-01-01",
        signature=signature,
        ocsp_response=b64(ocsp_der),
    )
    root = str(bundle.signing_root_file)
    with pytest.raises(SignatureRefusedError, match="does not verify"):
        sign_completion_check(
            completion=completion, order_ref="o", document=document, signer=TOLVAN, root_file=root, completed_at=then
        )
    kept = SignatureEvidence(
        method="bankid",
        signer=TOLVAN,
        order_ref="o",
        document_kind=document.kind.value,
        document_version=1,
        document_hash=document.hash_hex,
        canonical=document.canonical,
        summary=document.summary,
        signature=signature,
        ocsp_response=b64(ocsp_der),
        certificate_good_at=(then + dt.timedelta(minutes=1)).replace(microsecond=0),
        completed_at=then,
    )
    assert evidence_verify(kept, root_file=root) == document
