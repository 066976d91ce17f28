"""Requirement (issue 17): a person logged in with a foreign eID through the eIDAS connector, bound to their
Swedish number, applies for old-age pension as anyone else does; what they do is recorded in the access log
under the foreign eID as the principal, on the Swedish number's data. One whose eID is not bound is told
plainly why they cannot apply here and how to apply on paper (or bind the eID and come back).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from minasidor.applications.models import SignedApplication, SubmissionStatus
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.identity.tests.factories import log_in, make_foreign_identity, make_identity
from minasidor.identity.types import ForeignIdentity, Identity, Method
from minasidor.registers import registers
from minasidor.signing_step.tests.factories import signing_stood_in

pytestmark = [
    pytest.mark.django_db(databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice", "minpension"),
]

KARIN = "196201082697"
BASE = "/en/mina-sidor/ansok/"
PRID = "NO:05068907693"
BOUND = "http://id.swedenconnect.se/id-binding/process/populationregister"


def _bound_karin() -> Identity:
    return make_identity(
        KARIN,
        method=Method.EIDAS,
        provider="http://test-idp.minasidor.invalid/eidas-connector",
        level_of_assurance="http://id.elegnamnden.se/loa/1.0/eidas-nf-sub",
        foreign=ForeignIdentity(
            country="NO", prid=PRID, prid_persistence="A", eidas_person_identifier="NO/SE/05068907693", binding=(BOUND,)
        ),
        given_name="Karin",
        family_name="Lindqvist",
    )


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def _fill(client: Client) -> None:
    for path, data in (
        ("delar/", {"parts": ["income_pension", "premium_pension"]}),
        ("inkomstpension/", {"start_month": "2027-01", "share": "100"}),
        ("premiepension/", {"start_month": "2027-01", "share": "100"}),
        ("civilstand/", {"civil_status": "married"}),
        ("efterlevandeskydd/", {"survivor_protection": "no"}),
        ("bosattning/", {"living_abroad": "no"}),
        ("skatt/", {"tax_kind": "table"}),
        ("konto/", {"clearing_number": "5000", "account_number": "1000004"}),
    ):
        response = client.post(BASE + path, data)
        assert response.status_code == 302, _text(response)
    assert response["Location"].endswith("/sammanfattning/")


def _signed_through_the_service(client: Client) -> None:
    """Press "Sign" and stand in for the signing step: the signature service's signature waits in the session."""
    response = client.post(BASE + "skriv-under/")
    assert response["Location"] == "/en/sign/"
    signing_stood_in(client, signer=KARIN, method="signature_service")


def test_a_foreign_eid_bound_to_a_swedish_number_applies_and_the_case_is_opened(client: Client) -> None:
    identity = _bound_karin()
    log_in(client, identity)
    assert 'id="unavailable' not in _text(client.get(BASE))
    _fill(client)
    summary = _text(client.get(BASE + "sammanfattning/"))
    assert "Sign the application" in summary
    _signed_through_the_service(client)
    response = client.get(BASE + "underskriven/")
    row = SignedApplication.objects.get()
    assert response["Location"].endswith(f"/ansokan/{row.pk}/")
    assert row.status == SubmissionStatus.SENT
    assert row.evidence["method"] == "signature_service"
    assert 'id="received"' in _text(client.get(response["Location"]))
    assert identity.personal_number is not None
    cases = registers().cases(identity.principal, identity.personal_number)
    assert [case.case_id for case in cases] == [row.case_id]


def test_the_access_log_names_the_foreign_eid_as_the_principal_on_the_swedish_numbers_data(client: Client) -> None:
    identity = _bound_karin()
    eidas_principal = pseudonym_for(f"eidas:NO:{PRID}")
    assert identity.principal.ref == eidas_principal
    assert identity.pseudonym == pseudonym_for(f"se:{KARIN}") == make_identity(KARIN).principal.ref
    log_in(client, identity)
    _fill(client)
    _signed_through_the_service(client)
    client.get(BASE + "underskriven/")
    row = SignedApplication.objects.get()
    assert (row.subject_ref, row.principal_ref) == (identity.pseudonym, eidas_principal)
    signed = AccessRecord.objects.get(action="application.signed")
    assert (signed.subject_ref, signed.principal_ref) == (identity.pseudonym, eidas_principal)
    # The person reads their own log, with the foreign eID or later with BankID, and sees who it was.
    page = _text(client.get("/en/mina-sidor/vem-har-sett-mina-uppgifter/"))
    assert "You, with a foreign e-ID" in page
    log_in(client, make_identity(KARIN))
    page = _text(client.get("/en/mina-sidor/vem-har-sett-mina-uppgifter/"))
    assert "You, with a foreign e-ID" in page
    assert "Signed an application" in page


def test_a_foreign_eid_without_a_binding_is_told_how_to_apply_on_paper(client: Client) -> None:
    log_in(client, make_foreign_identity())
    for path in ("", "delar/", "sammanfattning/"):
        page = _text(client.get(BASE + path))
        assert 'id="unavailable-foreign-eid"' in page
        assert 'name="parts"' not in page
    assert "is not connected to a Swedish personal identity number" in page
    assert "we will send you the application form" in page
    assert 'href="/en/logga-in/saml/utan-svenskt-nummer/"' in page
    assert "identity matching service" in page
    swedish = _text(client.get("/mina-sidor/ansok/"))
    assert 'href="/logga-in/saml/utan-svenskt-nummer/"' in swedish
    assert SignedApplication.objects.count() == 0
