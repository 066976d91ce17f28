"""Requirement (issue 22.1, decisions 0180, 0181): a power of attorney is signed by its grantor, covers only the
chosen scopes for at most three years, is ended by either side, cannot be passed on, and every step is in the
grantor's access log with both identities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kernel import clock
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.delegation.documents import Terms, power_of_attorney_document
from minasidor.delegation.models import PowerOfAttorney
from minasidor.delegation.selectors import grants_given, grants_received, scopes_live
from minasidor.delegation.services import (
    GrantRefusedError,
    acting_start,
    power_of_attorney_end,
    power_of_attorney_grant,
    terms_check,
)
from minasidor.delegation.tests.helpers import BENGT, CHILD, KARIN, SARA, grant, signature_of, terms
from minasidor.delegation.types import EndedBy, Scope
from minasidor.identity.tests.factories import make_identity
from minasidor.identity.types import Acting, Identity

pytestmark = pytest.mark.django_db


def _karin() -> Identity:
    return make_identity(KARIN, given_name="KARIN", family_name="LINDQVIST")


def _sara() -> Identity:
    return make_identity(SARA, given_name="SARA", family_name="NILSSON")


def _records(personal_number: str) -> list[tuple[str, str, str, str]]:
    rows = AccessRecord.objects.filter(subject_ref=pseudonym_for(f"se:{personal_number}")).order_by("id")
    return [(r.action, r.principal_kind, r.principal_ref, r.purpose) for r in rows]


def test_a_signed_grant_keeps_what_was_signed_and_is_in_the_grantors_log(frozen_clock: clock.FrozenClock) -> None:
    karin = _karin()
    power = grant(karin)
    assert power.grantor_ref == karin.pseudonym
    assert power.delegate_ref == pseudonym_for(f"se:{SARA}")
    assert SARA not in power.delegate_sealed, "numbers only sealed"
    assert KARIN not in power.grantor_sealed, "numbers only sealed"
    assert power.scope_list == ("pension", "forecast")
    assert power.valid_from == clock.now()
    assert power.valid_until.date() == dt.date(2027, 11, 29), "until the end of the last day, 2027-11-28"
    assert power.evidence["signature"] == "c2lnbmF0dXJl"
    assert len(power.document_sha256) == 64
    assert _records(KARIN) == [("delegation.granted", "citizen", karin.pseudonym, "self_service")]
    given = grants_given(identity=karin)
    assert [(g.other_number.value, g.live) for g in given] == [(SARA, True)]
    received = grants_received(identity=_sara())
    assert [(g.other_name, g.scopes) for g in received] == [("KARIN LINDQVIST", (Scope.PENSION, Scope.FORECAST))]
    assert grants_received(identity=karin) == []


def test_a_signature_by_someone_else_or_of_other_terms_is_refused(frozen_clock: clock.FrozenClock) -> None:
    karin = _karin()
    document = power_of_attorney_document(grantor=karin, terms=terms(), language="sv")
    with pytest.raises(GrantRefusedError):
        power_of_attorney_grant(identity=karin, signature=signature_of(document, signer=BENGT))
    with pytest.raises(GrantRefusedError):
        power_of_attorney_grant(identity=make_identity(BENGT), signature=signature_of(document, signer=BENGT))
    assert not PowerOfAttorney.objects.exists()


@pytest.mark.parametrize(
    ("the_terms", "why"),
    [
        (lambda: terms(delegate=KARIN), "to oneself"),
        (lambda: terms(delegate=CHILD), "to a child"),
        (lambda: terms(months=37), "longer than three years"),
        (lambda: terms(scopes=()), "no scope"),
    ],
)
def test_terms_that_cannot_be_granted_are_refused(
    frozen_clock: clock.FrozenClock, the_terms: Callable[[], Terms], why: str
) -> None:
    with pytest.raises(GrantRefusedError):
        terms_check(grantor=_karin(), terms=the_terms())
    with pytest.raises(GrantRefusedError):
        grant(_karin(), the_terms())
    assert not PowerOfAttorney.objects.exists(), why


def test_three_years_is_the_longest(frozen_clock: clock.FrozenClock) -> None:
    power = grant(_karin(), terms(months=36))
    assert power.valid_until.date() == dt.date(2029, 11, 29)


def test_a_delegate_acting_for_someone_cannot_grant_further(frozen_clock: clock.FrozenClock) -> None:
    grant(_karin())
    acting_identity = make_identity(
        KARIN,
        acting=Acting(delegate_pseudonym=_sara().pseudonym, delegate_name="Sara", reference="x", scopes=("pension",)),
    )
    assert acting_identity.principal.kind == "delegate"
    further = terms(delegate=BENGT)
    with pytest.raises(GrantRefusedError):
        terms_check(grantor=acting_identity, terms=further)
    document = power_of_attorney_document(grantor=acting_identity, terms=further, language="sv")
    with pytest.raises(GrantRefusedError):
        power_of_attorney_grant(identity=acting_identity, signature=signature_of(document, signer=KARIN))
    assert PowerOfAttorney.objects.count() == 1


def test_acting_is_recorded_with_both_identities(frozen_clock: clock.FrozenClock) -> None:
    karin, sara = _karin(), _sara()
    power = grant(karin)
    acting = acting_start(identity=sara, reference=str(power.reference))
    assert acting is not None
    assert acting.personal_number.value == KARIN
    assert acting.scopes == (Scope.PENSION, Scope.FORECAST)
    assert _records(KARIN)[-1] == ("delegation.acting_started", "delegate", sara.pseudonym, "power_of_attorney")
    assert acting_start(identity=karin, reference=str(power.reference)) is None, "only the delegate acts"
    assert acting_start(identity=make_identity(BENGT), reference=str(power.reference)) is None
    assert acting_start(identity=sara, reference="not-a-uuid") is None


def test_either_side_ends_it_and_then_nothing_is_live(frozen_clock: clock.FrozenClock) -> None:
    karin, sara = _karin(), _sara()
    first = grant(karin)
    reference = str(first.reference)
    assert scopes_live(reference=reference, delegate_ref=sara.pseudonym) == (Scope.PENSION, Scope.FORECAST)
    assert not power_of_attorney_end(identity=make_identity(BENGT), reference=reference), "a third person cannot"
    assert power_of_attorney_end(identity=sara, reference=reference), "the delegate gives it back"
    first.refresh_from_db()
    assert first.ended_by == EndedBy.DELEGATE
    assert scopes_live(reference=reference, delegate_ref=sara.pseudonym) is None
    assert acting_start(identity=sara, reference=reference) is None
    assert not power_of_attorney_end(identity=karin, reference=reference), "already ended"
    assert _records(KARIN)[-1] == ("delegation.ended", "delegate", sara.pseudonym, "power_of_attorney")

    second = grant(karin)
    assert power_of_attorney_end(identity=karin, reference=str(second.reference))
    second.refresh_from_db()
    assert second.ended_by == EndedBy.GRANTOR
    assert _records(KARIN)[-1] == ("delegation.ended", "citizen", karin.pseudonym, "self_service")


def test_a_new_grant_to_the_same_person_replaces_the_old_and_time_ends_it(frozen_clock: clock.FrozenClock) -> None:
    karin, sara = _karin(), _sara()
    first = grant(karin)
    frozen_clock.advance(dt.timedelta(minutes=1))
    second = grant(karin, terms(months=6))
    first.refresh_from_db()
    assert first.ended_by == EndedBy.REPLACED
    assert [g.live for g in grants_given(identity=karin)] == [True, False]
    frozen_clock.advance(dt.timedelta(days=200))
    assert scopes_live(reference=str(second.reference), delegate_ref=sara.pseudonym) is None, "ran out"
