"""Requirement: ``verify_signature`` checks a kept BankID signature again offline, from the evidence alone
(the back office's case, read through the registers doorway as a case handler, or a JSON file), prints the
verdict, and exits non-zero when the signature does not hold (a changed document, summary or signature)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.management import CommandError, call_command

from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.identity.contrib.bankid.rp.client import BankIdClient, BankIdSettings
from minasidor.identity.contrib.bankid.rp.types import CollectStatus, CompletionData, SignRequest
from minasidor.registers import codec, registers
from minasidor.registers.types import (
    CaseSubmission,
    CivilStatusAnswer,
    OldAgePensionApplication,
    PartChoice,
    PensionPart,
    SignatureEvidence,
    SignatureMethod,
    SignedDocument,
    SwedishAccount,
    TaxWithholding,
    TaxWithholdingKind,
)
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document
from simulators.bankid import persons
from simulators.bankid.server import SimulatorThread

KARIN = PersonalNumber("196201082697")  # a demo person of the back office


def _application() -> OldAgePensionApplication:
    return OldAgePensionApplication(
        applicant=KARIN,
        parts=(PartChoice(PensionPart.INCOME_PENSION, dt.date(2027, 1, 1), 100),),
        survivor_protection=False,
        civil_status=CivilStatusAnswer.MARRIED,
        living_abroad=False,
        country="",
        tax_withholding=TaxWithholding(TaxWithholdingKind.EXTRA, Decimal("500.00")),
        payment_account=SwedishAccount("Handelsbanken", "6789", "123456789"),
    )


def _document() -> SignableDocument:
    return signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=1,
        content=codec.application_content(_application()),
        summary="# Ansökan om ålderspension\n\nInkomstpension 100 % från januari 2027.",
    )


def _signed(server: SimulatorThread, document: SignableDocument, person: str) -> CompletionData:
    """A real sign order at the BankID test server, approved by ``person`` in the virtual app."""
    bundle = server.sim.ca
    client_settings = BankIdSettings(
        base_url=server.rp_base_url,
        cert_file=bundle.rp_cert_file,
        key_file=bundle.rp_key_file,
        ca_file=bundle.ssl_root_file,
    )

    async def run() -> CompletionData:
        async with BankIdClient(settings=client_settings) as client:
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
            return result.completion_data

    return asyncio.run(run())


@pytest.fixture
def karin_at_bankid(bankid: SimulatorThread, tmp_path: Path) -> SimulatorThread:
    if persons.find_person(KARIN.value) is None:
        listed = tmp_path / "persons.json"
        listed.write_text(json.dumps([{"personalNumber": KARIN.value, "givenName": "Karin", "surname": "Test"}]))
        persons.add_persons(listed)
    return bankid


def _kept(document: SignableDocument, completion: CompletionData) -> dict[str, Any]:
    return {
        "document": {
            "kind": document.kind.value,
            "version": document.version,
            "canonical_bytes": base64.b64encode(document.canonical).decode("ascii"),
            "sha256": document.hash_hex,
            "summary": document.summary,
        },
        "evidence": {
            "method": "bankid",
            "signer_identifier": KARIN.value,
            "signed_at": "2026-11-28T12:00:00+00:00",
            "signature": completion.signature,
            "ocsp_response": completion.ocsp_response,
            "sign_response": "",
            "signer_certificate": "",
        },
    }


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_signature", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_a_kept_signature_in_a_file_holds(karin_at_bankid: SimulatorThread, tmp_path: Path) -> None:
    document = _document()
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps(_kept(document, _signed(karin_at_bankid, document, KARIN.value))))
    status, out = _run("--file", str(kept))
    assert status == 0, out
    assert f"signature holds: pension-application v1 sha256={document.hash_hex}" in out


def _changed(data: dict[str, Any], change: str) -> dict[str, Any]:
    changed: dict[str, Any] = json.loads(json.dumps(data))
    if change == "document":
        canonical = base64.b64decode(changed["document"]["canonical_bytes"]).replace(b"500.00", b"900.00")
        changed["document"]["canonical_bytes"] = base64.b64encode(canonical).decode("ascii")
        changed["document"]["sha256"] = hashlib.sha256(canonical).hexdigest()
    elif change == "summary":
        changed["document"]["summary"] = "Något annat"
    elif change == "signer":
        changed["evidence"]["signer_identifier"] = "191212121212"
    else:
        xml = base64.b64decode(changed["evidence"]["signature"]).replace(b"<funcId>Signing", b"<funcId>Identification")
        changed["evidence"]["signature"] = base64.b64encode(xml).decode("ascii")
    return changed


@pytest.mark.parametrize("change", ["document", "summary", "signer", "signature"])
def test_a_changed_record_does_not_hold_and_the_command_fails(
    karin_at_bankid: SimulatorThread, tmp_path: Path, change: str
) -> None:
    document = _document()
    data = _kept(document, _signed(karin_at_bankid, document, KARIN.value))
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps(_changed(data, change)))
    status, out = _run("--file", str(kept))
    assert status == 1, out
    assert "signature does NOT hold" in out


def test_a_file_that_is_no_kept_signature_is_refused(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps({"document": {}}))
    status, out = _run("--file", str(kept))
    assert status == 2, out


@pytest.mark.django_db(databases=["default", "backoffice"])
def test_a_cases_signature_is_read_through_the_registers_and_holds(
    karin_at_bankid: SimulatorThread, demo_backoffice: None
) -> None:
    document = _document()
    completion = _signed(karin_at_bankid, document, KARIN.value)
    summary = registers().case_submit(
        citizen_principal(f"se:{KARIN.value}"),
        KARIN,
        CaseSubmission(
            case_type=codec.case_type_of(_application()),
            idempotency_key=f"sign:{document.hash_hex}",
            document=SignedDocument(document.kind.value, 1, document.canonical, document.hash_hex, document.summary),
            evidence=SignatureEvidence(
                method=SignatureMethod.BANKID,
                signer_identifier=KARIN.value,
                signed_at=dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC),
                signature=completion.signature,
                ocsp_response=completion.ocsp_response,
            ),
        ),
    )
    status, out = _run("--case", str(summary.case_id), "--handler", "handler-17")
    assert status == 0, out
    assert f"sha256={document.hash_hex}" in out
    assert "signature holds" in out
    status, out = _run("--case", str(summary.case_id))
    assert status == 2, "a case is read only by a named case handler"


@pytest.mark.django_db(databases=["default", "backoffice"])
def test_an_unknown_case_is_refused(demo_backoffice: None) -> None:
    status, out = _run("--case", "00000000-0000-4000-8000-000000000000", "--handler", "handler-17")
    assert status == 2, out
