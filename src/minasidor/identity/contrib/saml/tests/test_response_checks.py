"""Requirement: the SP accepts only strictly valid responses: each check refuses its bad case (issue 8)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt

import pytest
from saml2.sigver import TRIPLE_DES_CBC

from minasidor.identity.contrib.saml import protocol
from minasidor.identity.contrib.saml.checks import Refusal, ResponseRefusedError
from minasidor.identity.contrib.saml.protocol import REQUEST_PREFIX, IdpStatusError, Outstanding
from minasidor.identity.contrib.saml.tests.support import (
    BASE,
    Federation,
    foreign_response,
    pending_from,
    swedish_response,
)
from minasidor.identity.types import Method
from minasidor.security.store import security_cache
from simulators.saml_idp.idp import (
    CONNECTOR_ENTITY_ID,
    LOA3,
    STATUS_CANCEL,
    SWEDISH_EID_ENTITY_ID,
    Faults,
    PendingRequest,
)

pytestmark = pytest.mark.django_db


def _ask_connector() -> tuple[str, Outstanding]:
    return protocol.login_request_create(base=BASE, kind="eidas", idp=CONNECTOR_ENTITY_ID, language="sv")


def _connector_pending(federation: Federation) -> PendingRequest:
    location, _ = _ask_connector()
    return pending_from(federation.connector, location)


def _pending_for(outstanding: Outstanding) -> PendingRequest:
    """The IdP's view of our request, without the IdP parsing it (it may be another IdP's request)."""
    return PendingRequest(
        id=outstanding.request_id,
        sp_entity_id=f"{BASE}/saml/metadata/",
        acs_url=f"{BASE}/saml/acs/",
        requested_loas=outstanding.levels,
        force_authn=True,
        relay_state="",
    )


def _refused(saml_response: str) -> Refusal:
    with pytest.raises(ResponseRefusedError) as refused:
        protocol.login_response_consume(saml_response=saml_response)
    return refused.value.reason


def test_a_foreign_eid_with_an_accepted_binding_logs_in_as_the_swedish_number(saml_federation: Federation) -> None:
    result = protocol.login_response_consume(
        saml_response=foreign_response(saml_federation.connector, _connector_pending(saml_federation))
    )
    identity = result.identity
    assert identity.method is Method.EIDAS
    assert identity.personal_number is not None
    assert identity.personal_number.value == "195901022995"
    assert identity.subject_key == "se:195901022995"
    assert identity.foreign is not None
    assert identity.foreign.prid == "NO:02015912345"
    assert identity.foreign.binding == ("http://id.swedenconnect.se/id-binding/process/populationregister",)
    assert identity.level_of_assurance == "http://id.elegnamnden.se/loa/1.0/eidas-nf-high"


def test_a_binding_to_a_coordination_number_is_accepted_too(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    identity = protocol.login_response_consume(
        saml_response=foreign_response(saml_federation.connector, pending, person="de-bound-coordination")
    ).identity
    assert identity.personal_number is not None
    assert identity.personal_number.is_coordination_number


@pytest.mark.parametrize(("person", "share"), [("fr-unbound", True), ("no-bound-pnr", False)])
def test_without_a_shared_binding_the_person_is_who_their_foreign_eid_says(
    saml_federation: Federation, person: str, share: bool
) -> None:
    pending = _connector_pending(saml_federation)
    identity = protocol.login_response_consume(
        saml_response=foreign_response(saml_federation.connector, pending, person=person, share=share)
    ).identity
    assert identity.personal_number is None
    assert identity.foreign is not None
    assert identity.subject_key == f"eidas:{identity.foreign.country}:{identity.foreign.prid}"


def test_a_mapped_number_with_a_binding_process_we_do_not_accept_is_dropped(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    saml_response = foreign_response(
        saml_federation.connector, pending, binding="http://id.swedenconnect.se/id-binding/level/basic"
    )
    identity = protocol.login_response_consume(saml_response=saml_response).identity
    assert identity.personal_number is None
    assert identity.foreign is not None
    assert identity.foreign.binding == ()


def test_the_swedish_eid_logs_in_with_the_personal_number(saml_federation: Federation) -> None:
    location, _ = protocol.login_request_create(base=BASE, kind="swedish_eid", idp=SWEDISH_EID_ENTITY_ID, language="en")
    pending = pending_from(saml_federation.swedish_eid, location)
    identity = protocol.login_response_consume(
        saml_response=swedish_response(saml_federation.swedish_eid, pending)
    ).identity
    assert identity.method is Method.SWEDISH_EID
    assert identity.personal_number is not None
    assert identity.personal_number.value == "196201082697"
    assert identity.level_of_assurance == LOA3


def test_an_unsigned_response_is_refused(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    bad = foreign_response(saml_federation.connector, pending, faults=Faults(sign_response=False))
    assert _refused(bad) is Refusal.UNSIGNED


def test_a_tampered_response_is_refused(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    xml = base64.b64decode(foreign_response(saml_federation.connector, pending)).decode()
    tampered = xml.replace('Version="2.0"', 'Version="2.0" Consent="urn:oasis:names:tc:SAML:2.0:consent:obtained"', 1)
    assert _refused(base64.b64encode(tampered.encode()).decode()) is Refusal.BAD_SIGNATURE


def test_an_unencrypted_assertion_is_refused(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    bad = foreign_response(saml_federation.connector, pending, faults=Faults(encrypt_assertion=False))
    assert _refused(bad) is Refusal.NOT_ENCRYPTED


def test_an_assertion_encrypted_with_3des_is_refused(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    bad = foreign_response(saml_federation.connector, pending, faults=Faults(encryption_algorithm=TRIPLE_DES_CBC))
    assert _refused(bad) is Refusal.ALGORITHM


def test_aes_cbc_is_accepted(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    good = foreign_response(
        saml_federation.connector,
        pending,
        faults=Faults(encryption_algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"),
    )
    assert protocol.login_response_consume(saml_response=good).identity.personal_number is not None


def test_a_response_for_another_audience_is_refused(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    bad = foreign_response(saml_federation.connector, pending, faults=Faults(audience="https://other.example/sp"))
    assert _refused(bad) is Refusal.AUDIENCE


def test_a_response_for_another_destination_is_refused(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    bad = foreign_response(saml_federation.connector, pending, faults=Faults(destination="https://other.example/acs"))
    assert _refused(bad) is Refusal.DESTINATION


def test_a_response_to_no_request_of_ours_is_refused(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    bad = foreign_response(saml_federation.connector, pending, faults=Faults(in_response_to="_not-ours"))
    assert _refused(bad) is Refusal.IN_RESPONSE_TO


def test_a_request_is_answered_once(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    good = foreign_response(saml_federation.connector, pending)
    protocol.login_response_consume(saml_response=good)
    assert _refused(good) is Refusal.IN_RESPONSE_TO


def test_a_replayed_assertion_is_refused_even_if_its_request_were_outstanding(saml_federation: Federation) -> None:
    _, outstanding = _ask_connector()
    saved = security_cache().get(f"{REQUEST_PREFIX}{outstanding.request_id}")
    good = foreign_response(saml_federation.connector, _pending_for(outstanding))
    protocol.login_response_consume(saml_response=good)
    security_cache().set(f"{REQUEST_PREFIX}{outstanding.request_id}", saved)  # as if the one-time mark were lost
    assert _refused(good) is Refusal.REPLAY


@pytest.mark.parametrize("offset", [dt.timedelta(minutes=-10), dt.timedelta(minutes=3)])
def test_an_issue_instant_outside_the_window_is_refused(saml_federation: Federation, offset: dt.timedelta) -> None:
    pending = _connector_pending(saml_federation)
    bad = foreign_response(saml_federation.connector, pending, faults=Faults(issue_instant_offset=offset))
    assert _refused(bad) is Refusal.STALE


def test_an_authentication_older_than_the_request_is_refused(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    bad = foreign_response(
        saml_federation.connector, pending, faults=Faults(authn_instant_offset=dt.timedelta(minutes=-5))
    )
    assert _refused(bad) is Refusal.AUTHN_INSTANT


def test_a_level_that_was_not_requested_is_refused(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    assert _refused(foreign_response(saml_federation.connector, pending, level=LOA3)) is Refusal.LEVEL


def test_a_response_from_another_identity_provider_is_refused(saml_federation: Federation) -> None:
    _, outstanding = _ask_connector()
    pending = dataclasses.replace(_pending_for(outstanding), requested_loas=(LOA3,))
    bad = swedish_response(saml_federation.swedish_eid, pending)
    assert _refused(bad) is Refusal.ISSUER


def test_a_cancellation_at_the_identity_provider_is_reported_as_such(saml_federation: Federation) -> None:
    pending = _connector_pending(saml_federation)
    cancelled = saml_federation.connector.respond_error(
        pending, status=STATUS_CANCEL, message="cancelled", now=dt.datetime.now(dt.UTC)
    )
    with pytest.raises(IdpStatusError) as error:
        protocol.login_response_consume(saml_response=cancelled)
    assert error.value.status.cancelled
    assert error.value.outstanding.language == "sv"


def test_garbage_is_refused(saml_federation: Federation) -> None:
    assert _refused("not base64!") is Refusal.MALFORMED
    assert _refused(base64.b64encode(b"<x/>").decode()) is Refusal.MALFORMED
