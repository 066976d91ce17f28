"""Requirement (issue 22, decision 0216): a delegate whose power of attorney covers applying fills in and signs
the old-age pension application for the grantor, with their own e-ID; the text signed says on whose behalf;
the outbox row, the case in the back office and the grantor's access log say it was the delegate under that
power. A delegate without the scope is refused; a power ended while the delegate signs refuses the signature."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from backoffice.casework.models import DelegateSignature
from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.applications.models import SignedApplication, SubmissionStatus
from minasidor.applications.services import PowerEndedError, signed_application_keep
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.delegation.models import PowerOfAttorney
from minasidor.delegation.services import power_of_attorney_end
from minasidor.delegation.tests.helpers import KARIN, SARA, grant, terms
from minasidor.delegation.types import Scope
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.identity.types import Acting, Method
from minasidor.registers.types import CaseType
from minasidor.signing.documents import SignableDocument
from minasidor.signing.sigservice import PERSONAL_NUMBER
from minasidor.signing_step.flow import REQUEST_KEY, PendingRequest
from minasidor.signing_step.tests.factories import signing_stood_in, stand_in_signature
from minasidor.signing_step.tests.signature_service import (
    IDP,
    authenticated,
    post_answer,
    service_answer,
    sign_request,
)
from simulators.sigservice.keys import ServiceKeys

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "minpension", "seal"),
]

BASE = "/en/mina-sidor/ansok/"
KARIN_ID = make_identity(KARIN, given_name="Karin", family_name="Lindqvist")


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def _sara_acting(client: Client, power: PowerOfAttorney) -> None:
    log_in(client, make_identity(SARA, given_name="Sara", family_name="Nilsson"))
    assert client.post("/en/mina-sidor/fullmakter/agera/", {"reference": str(power.reference)}).status_code == 302


def _fill_and_sign(client: Client) -> SignableDocument:
    client.post(BASE + "delar/", {"parts": ["income_pension"]})
    client.post(BASE + "inkomstpension/", {"start_month": "2027-01", "share": "100"})
    client.post(BASE + "civilstand/", {"civil_status": "single"})
    client.post(BASE + "bosattning/", {"living_abroad": "no"})
    client.post(BASE + "skatt/", {"tax_kind": "table"})
    response = client.post(BASE + "konto/", {"clearing_number": "5000", "account_number": "1000004"})
    assert response["Location"].endswith("/sammanfattning/"), response
    response = client.post(BASE + "skriv-under/")
    assert response["Location"] == "/en/sign/"
    return PendingRequest.from_session(client.session[REQUEST_KEY]).document


def test_a_delegate_signs_the_grantors_application_with_their_own_e_id(
    client: Client, frozen_clock: clock.FrozenClock
) -> None:
    power = grant(KARIN_ID, terms(scopes=(Scope.PENSION, Scope.APPLY)))
    _sara_acting(client, power)
    document = _fill_and_sign(client)
    on_behalf = document.content["on_behalf"]
    assert document.content["applicant"] == KARIN, "the application is the grantor's"
    assert (on_behalf["delegate"], on_behalf["power_of_attorney"]) == (SARA, str(power.reference))
    assert on_behalf["power_sha256"] == power.document_sha256
    assert "On behalf of Karin Lindqvist, signed by Sara Nilsson (19910101-2384) with a power of attorney." in (
        document.summary
    ), "the e-ID app says on whose behalf"
    start = client.get("/en/sign/")
    assert start.status_code == 200
    assert "On behalf of Karin Lindqvist" in _text(start)

    signing_stood_in(client, signer=SARA)
    response = client.get(BASE + "underskriven/")
    row = SignedApplication.objects.get()
    assert response["Location"] == f"{BASE}ansokan/{row.pk}/"
    assert (row.status, row.case_type, row.by_delegate) == (SubmissionStatus.SENT, CaseType.OLD_AGE_PENSION, True)
    assert row.principal_ref == pseudonym_for(f"se:{SARA}")
    assert row.case_id is not None
    kept = DelegateSignature.objects.get(document__case__public_id=row.case_id)
    assert (kept.delegate, kept.delegate_name, kept.power_reference) == (SARA, "Sara Nilsson", power.reference)
    assert kept.document.evidence.signer_identifier == SARA, "signed with the delegate's own e-ID"
    records = AccessRecord.objects.filter(subject_ref=pseudonym_for(f"se:{KARIN}"), action="application.signed")
    assert list(records.values_list("principal_kind", "principal_ref")) == [("delegate", pseudonym_for(f"se:{SARA}"))]
    grantor = Client()
    log_in(grantor, KARIN_ID)
    case_page = _text(grantor.get(f"/en/mina-sidor/arenden/{row.case_id}/"))
    assert "Sara Nilsson signed this application for you with their own e-ID, with the power of attorney" in case_page
    receipt = client.get(f"{BASE}ansokan/{row.pk}/kvitto.pdf").content
    receipt_text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt)).pages))
    assert "Signed by Sara Nilsson, with their own e-ID, with a power of attorney" in receipt_text
    received = client.get(f"{BASE}ansokan/{row.pk}/")
    assert received.status_code == 200
    assert "Sara Nilsson signed the application with their own e-ID, with a power of attorney." in _text(received)


def test_a_power_ended_while_the_delegate_signs_refuses_the_signature(
    client: Client, frozen_clock: clock.FrozenClock
) -> None:
    power = grant(KARIN_ID, terms(scopes=(Scope.PENSION, Scope.APPLY)))
    _sara_acting(client, power)
    _fill_and_sign(client)
    assert power_of_attorney_end(identity=KARIN_ID, reference=str(power.reference))
    signing_stood_in(client, signer=SARA)
    response = client.get(BASE + "underskriven/")
    assert response.status_code == 403
    assert "The power of attorney has ended" in _text(response)
    assert not SignedApplication.objects.exists()


def test_the_service_refuses_a_signature_under_a_power_no_longer_in_force(frozen_clock: clock.FrozenClock) -> None:
    power = grant(KARIN_ID, terms(scopes=(Scope.PENSION, Scope.APPLY)))
    client = Client()
    _sara_acting(client, power)
    document = _fill_and_sign(client)
    acting = dataclasses.replace(
        KARIN_ID,
        acting=Acting(
            delegate_pseudonym=pseudonym_for(f"se:{SARA}"),
            delegate_name="Sara Nilsson",
            reference=str(power.reference),
            scopes=("pension", "apply"),
            delegate_number=PersonalNumber(SARA),
        ),
    )
    assert power_of_attorney_end(identity=KARIN_ID, reference=str(power.reference))
    signature = stand_in_signature(document, signer=SARA)
    with pytest.raises(PowerEndedError):
        signed_application_keep(identity=acting, signature=signature, case_type=CaseType.OLD_AGE_PENSION, language="en")
    assert not SignedApplication.objects.exists()


def test_a_delegate_without_the_apply_scope_cannot_fill_in_or_sign(
    client: Client, frozen_clock: clock.FrozenClock
) -> None:
    power = grant(KARIN_ID, terms(scopes=(Scope.PENSION, Scope.FORECAST)))
    _sara_acting(client, power)
    for page in ("", "delar/", "sammanfattning/"):
        assert client.get(BASE + page).status_code == 403, page
    assert client.post(BASE + "skriv-under/").status_code == 403
    assert client.get("/en/sign/").status_code == 403
    assert not SignedApplication.objects.exists()


@pytest.mark.usefixtures("connected")
def test_a_delegate_logged_in_with_a_swedish_e_id_signs_through_the_signature_service(
    client: Client, keys: ServiceKeys, portal_keys: ServiceKeys
) -> None:
    """The signature service is asked for the delegate's signature, not the grantor's: the request names the
    delegate as signer, the delegate's answer is taken, and an answer signed by the grantor is refused."""
    power = grant(KARIN_ID, terms(scopes=(Scope.PENSION, Scope.APPLY)))
    sara = make_identity(SARA, given_name="Sara", family_name="Nilsson", method=Method.SWEDISH_EID, provider=IDP)
    log_in(client, sara)
    assert client.post("/en/mina-sidor/fullmakter/agera/", {"reference": str(power.reference)}).status_code == 302
    _fill_and_sign(client)
    assert "Go to the signature service" in client.get("/en/sign/").content.decode()

    request_xml = sign_request(client)
    assert SARA.encode() in request_xml, "the delegate is the one to sign"
    assert KARIN.encode() not in request_xml
    as_karin = service_answer(
        request_xml, authenticated(KARIN_ID, {PERSONAL_NUMBER: KARIN}, KARIN), keys=keys, portal_keys=portal_keys
    )
    assert post_answer(client, as_karin).status_code == 200, "another person's signature is refused"
    assert not SignedApplication.objects.exists()

    request_xml = sign_request(client)
    as_sara = service_answer(
        request_xml, authenticated(sara, {PERSONAL_NUMBER: SARA}, SARA), keys=keys, portal_keys=portal_keys
    )
    finished = post_answer(client, as_sara)
    assert finished["Location"] == f"{BASE}underskriven/"
    response = client.get(BASE + "underskriven/")
    row = SignedApplication.objects.get()
    assert response["Location"] == f"{BASE}ansokan/{row.pk}/"
    assert (row.status, row.by_delegate) == (SubmissionStatus.SENT, True)
    assert row.case_id is not None
    kept = DelegateSignature.objects.get(document__case__public_id=row.case_id)
    assert kept.document.evidence.signer_identifier == SARA
    assert kept.document.evidence.method == "signature_service"
