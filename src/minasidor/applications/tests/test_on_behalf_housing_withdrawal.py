"""Requirement (issue 22, decision 0217): a delegate whose power of attorney covers applying applies for housing
supplement and changes the withdrawal for the grantor, signed with their own e-ID, just as the old-age pension
application (test_on_behalf.py): the signed document carries ``on_behalf`` and says on whose behalf, the back
office keeps the delegate's signature, the received page says a delegate signed; a power ended while the
delegate signs refuses the signature; a delegate without the scope is refused every page of both."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import pytest
from django.test import Client

from backoffice.casework.models import DelegateSignature
from kernel import clock
from minasidor.applications.models import SignedApplication, SubmissionStatus
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.delegation.models import PowerOfAttorney
from minasidor.delegation.services import power_of_attorney_end
from minasidor.delegation.tests.helpers import SARA, grant, terms
from minasidor.delegation.types import Scope
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.identity.types import Identity
from minasidor.registers.types import CaseType
from minasidor.signing.documents import SignableDocument
from minasidor.signing_step.flow import REQUEST_KEY, PendingRequest
from minasidor.signing_step.tests.factories import signing_stood_in

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "minpension", "seal"),
]

APPLY = "/en/mina-sidor/ansok/"
AMIR = make_identity("195901022995", given_name="Amir", family_name="Haddad")  # draws guarantee pension
BENGT = make_identity("195801082743", given_name="Bengt", family_name="Ek")  # draws income and premium pension


def _housing(client: Client) -> str:
    base = APPLY + "bostadstillagg/"
    answers = {
        "from_month": f"{clock.today():%Y-%m}",
        "civil_status": "single",
        "housing_kind": "rented",
        "housing_cost_per_month": "6500",
        "assets": "20000",
    }
    assert client.post(base, answers)["Location"] == base + "sammanfattning/"
    return base


def _withdrawal(client: Client) -> str:
    base = APPLY + "andra-uttag/"
    assert client.post(base + "andring/", {"change": "share"})["Location"] == base + "delar/"
    assert client.post(base + "delar/", {"parts": ["income_pension"]})["Location"] == base + "andel/"
    assert client.post(base + "andel/", {"share": "50"})["Location"] == base + "fran-manad/"
    assert client.post(base + "fran-manad/", {"from_month": "2026-12"})["Location"] == base + "sammanfattning/"
    return base


@dataclasses.dataclass(frozen=True)
class Case:
    grantor: Identity
    fill: Callable[[Client], str]  # answers the questions; the application's base URL
    case_type: CaseType
    declaration: str
    received: tuple[str, str]  # the received page's title and the line on who signed, in English


CASES = [
    pytest.param(
        Case(
            AMIR,
            _housing,
            CaseType.HOUSING_SUPPLEMENT,
            "I apply for housing supplement as above on behalf of Amir Haddad, with the power of attorney they gave "
            "me, and confirm that the answers are true.",
            (
                "Application received",
                "Sara Nilsson signed the application with their own e-ID, with a power of attorney.",
            ),
        ),
        id="housing",
    ),
    pytest.param(
        Case(
            BENGT,
            _withdrawal,
            CaseType.WITHDRAWAL_CHANGE,
            "I apply to change the withdrawal of old-age pension of Bengt Ek as above, with the power of attorney "
            "they gave me.",
            ("Change received", "Sara Nilsson signed the change with their own e-ID, with a power of attorney."),
        ),
        id="withdrawal",
    ),
]


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def _sara_acting(client: Client, power: PowerOfAttorney) -> None:
    log_in(client, make_identity(SARA, given_name="Sara", family_name="Nilsson"))
    assert client.post("/en/mina-sidor/fullmakter/agera/", {"reference": str(power.reference)}).status_code == 302


def _fill_and_sign(client: Client, case: Case) -> tuple[str, SignableDocument]:
    base = case.fill(client)
    assert client.get(base + "sammanfattning/").status_code == 200
    response = client.post(base + "skriv-under/")
    assert response["Location"] == "/en/sign/", response
    return base, PendingRequest.from_session(client.session[REQUEST_KEY]).document


@pytest.mark.parametrize("case", CASES)
def test_a_delegate_signs_for_the_grantor_with_their_own_e_id(
    client: Client, frozen_clock: clock.FrozenClock, case: Case
) -> None:
    power = grant(case.grantor, terms(scopes=(Scope.PENSION, Scope.APPLY)))
    _sara_acting(client, power)
    base, document = _fill_and_sign(client, case)
    assert case.grantor.personal_number is not None
    assert document.content["applicant"] == case.grantor.personal_number.value, "it is the grantor's"
    on_behalf = document.content["on_behalf"]
    assert (on_behalf["delegate"], on_behalf["delegate_name"]) == (SARA, "Sara Nilsson")
    assert (on_behalf["power_of_attorney"], on_behalf["power_sha256"]) == (
        str(power.reference),
        power.document_sha256,
    )
    grantor_name = case.grantor.display_name
    assert (
        f"On behalf of {grantor_name}, signed by Sara Nilsson (19910101-2384) with a power of attorney."
        in document.summary
    ), "the e-ID app says on whose behalf"
    assert case.declaration in document.summary
    assert "confirm that my answers" not in document.summary
    assert f"On behalf of {grantor_name}" in _text(client.get("/en/sign/"))

    signing_stood_in(client, signer=SARA)
    response = client.get(base + "underskriven/")
    row = SignedApplication.objects.get()
    assert response["Location"] == f"{APPLY}ansokan/{row.pk}/"
    assert (row.status, row.case_type, row.by_delegate) == (SubmissionStatus.SENT, case.case_type, True)
    assert row.principal_ref == pseudonym_for(f"se:{SARA}")
    assert row.case_id is not None
    kept = DelegateSignature.objects.get(document__case__public_id=row.case_id)
    assert (kept.delegate, kept.power_reference) == (SARA, power.reference)
    assert kept.document.evidence.signer_identifier == SARA, "signed with the delegate's own e-ID"
    received = client.get(f"{APPLY}ansokan/{row.pk}/")
    assert received.status_code == 200
    title, signed_by = case.received
    assert f'<h1 class="govuk-panel__title">{title}</h1>' in _text(received)
    assert signed_by in _text(received), "the words of the kind: an application, or a change"
    assert "signed the application" not in _text(received) or case.case_type != CaseType.WITHDRAWAL_CHANGE
    assert "Sara Nilsson skrev under" in _text(client.get(f"{APPLY.removeprefix('/en')}ansokan/{row.pk}/"))


@pytest.mark.parametrize("case", CASES)
def test_a_power_ended_while_the_delegate_signs_refuses_the_signature(
    client: Client, frozen_clock: clock.FrozenClock, case: Case
) -> None:
    power = grant(case.grantor, terms(scopes=(Scope.PENSION, Scope.APPLY)))
    _sara_acting(client, power)
    base, _document = _fill_and_sign(client, case)
    assert power_of_attorney_end(identity=case.grantor, reference=str(power.reference))
    signing_stood_in(client, signer=SARA)
    response = client.get(base + "underskriven/")
    assert response.status_code == 403
    assert "The power of attorney has ended" in _text(response)
    assert not SignedApplication.objects.exists()


@pytest.mark.parametrize(
    ("grantor", "pages"),
    [
        pytest.param(AMIR, ("bostadstillagg/", "bostadstillagg/sammanfattning/"), id="housing"),
        pytest.param(BENGT, ("andra-uttag/", "andra-uttag/andring/", "andra-uttag/sammanfattning/"), id="withdrawal"),
    ],
)
def test_a_delegate_without_the_apply_scope_cannot_fill_in_or_sign(
    client: Client, frozen_clock: clock.FrozenClock, grantor: Identity, pages: tuple[str, ...]
) -> None:
    power = grant(grantor, terms(scopes=(Scope.PENSION, Scope.FORECAST)))
    _sara_acting(client, power)
    for page in pages:
        assert client.get(APPLY + page).status_code == 403, page
    base = APPLY + pages[0]
    assert client.post(base + "skriv-under/").status_code == 403
    assert client.get(base + "underskriven/").status_code == 403
    assert client.get("/en/sign/").status_code == 403
    assert not SignedApplication.objects.exists()
