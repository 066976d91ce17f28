"""Requirement (issue 16.5): a received application has a receipt — a tagged PDF of what was applied for and
when, sealed by the authority (PAdES) — downloadable from the application and from its case; pyHanko's
validator accepts the seal, and refuses it once one byte of the file is changed.
"""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from minasidor.applications.models import SignedApplication
from minasidor.applications.tests.test_housing_application import BASE as HOUSING
from minasidor.applications.tests.test_housing_application import _amir, _answers
from minasidor.applications.tests.test_housing_application import _sign as _sign_housing
from minasidor.applications.tests.test_submission import BASE, KARIN, _fill, _karin, _sign
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.signing import configured
from minasidor.signing.seal import SealError, pdf_seal_check

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "minpension", "seal"),
]


def _received(client: Client) -> str:
    _fill(_karin(client))
    _sign(client)
    return str(client.get(BASE + "underskriven/")["Location"])


def _pyhanko_accepts(pdf: bytes) -> bool:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    context = ValidationContext(
        trust_roots=configured.configured_trust_roots(), allow_fetching=False, revocation_mode="soft-fail"
    )
    status = validate_pdf_signature(reader.embedded_signatures[0], signer_validation_context=context)
    return bool(status.intact and status.valid and status.trusted)


def test_the_receipt_is_a_sealed_pdf_that_a_validator_accepts_and_refuses_after_one_byte(client: Client) -> None:
    location = _received(client)
    response = client.get(location + "kvitto.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert _pyhanko_accepts(pdf)
    assert pdf_seal_check(pdf, trust_roots=configured.configured_trust_roots()).level == "B-B"
    changed = bytearray(pdf)
    changed[len(pdf) // 3] ^= 0x01
    with pytest.raises(SealError):
        pdf_seal_check(bytes(changed), trust_roots=configured.configured_trust_roots())
    try:
        accepted = _pyhanko_accepts(bytes(changed))
    except Exception:
        accepted = False
    assert not accepted


def test_the_receipt_says_what_was_applied_for_when_and_in_which_case(client: Client) -> None:
    location = _received(client)
    pdf = client.get(location + "kvitto.pdf").content
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    row = SignedApplication.objects.get()
    assert "Receipt: application for old-age pension" in text
    assert str(row.case_id)[:8].upper() in text
    assert "Income pension" in text
    assert "January 2027" in text
    assert "19620108-2697" in text
    swedish = client.get(location.removeprefix("/en") + "kvitto.pdf").content
    swedish_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(swedish)).pages)
    assert "Kvitto" in swedish_text


def test_the_receipt_is_reached_from_the_case_and_only_by_its_person(client: Client) -> None:
    location = _received(client)
    row = SignedApplication.objects.get()
    response = client.get(f"{BASE}arende/{row.case_id}/kvitto.pdf")
    assert response["Location"].endswith(f"/ansokan/{row.pk}/kvitto.pdf")
    case_page = client.get(f"/en/mina-sidor/arenden/{row.case_id}/")
    assert case_page.status_code == 200
    assert 'id="receipt-link"' in case_page.content.decode()
    other = Client()
    log_in(other, make_identity("198501139995"))
    assert other.get(location + "kvitto.pdf").status_code == 404
    assert other.get(f"{BASE}arende/{row.case_id}/kvitto.pdf").status_code == 404
    assert KARIN in bytes(row.canonical_bytes).decode()


def test_an_application_not_yet_received_has_no_receipt(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from minasidor.applications.tests.test_submission import Unreachable  # noqa: PLC0415

    down = Unreachable()
    monkeypatch.setattr("minasidor.applications.services.registers", lambda: down)
    location = _received(client)
    assert client.get(location + "kvitto.pdf").status_code == 404
    assert 'id="receipt-link"' not in client.get(location).content.decode()


def test_a_housing_supplement_application_has_its_receipt_too(client: Client) -> None:
    """The submitted page of a housing-supplement application linked to a receipt that answered 500."""
    _amir(client)
    client.post(HOUSING, _answers())
    _sign_housing(client)
    location = str(client.get(HOUSING + "underskriven/")["Location"])
    submitted = client.get(location).content.decode()
    link = re.search(r'href="([^"]+)" id="receipt-link"', submitted)
    assert link is not None
    response = client.get(link.group(1))
    assert response.status_code == 200
    pdf = response.content
    assert _pyhanko_accepts(pdf)
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "Kvitto: ansökan om bostadstillägg" in text
    assert "6 500 kr" in text.replace("\u00a0", " ")
    assert "19590102-2995" in text
    row = SignedApplication.objects.get()
    case_page = client.get(f"/mina-sidor/arenden/{row.case_id}/").content.decode()
    from_case = re.search(r'href="([^"]+)" id="receipt-link"', case_page)
    assert from_case is not None, "the case page links the housing supplement's receipt"
    assert client.get(from_case.group(1))["Location"] == link.group(1).removesuffix("?")
