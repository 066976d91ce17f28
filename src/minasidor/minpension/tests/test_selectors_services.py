"""Requirement: Min Pension is read only when allowed, every read is logged, a consent is stored with its log row."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from kernel.personal_number import PersonalNumber
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import citizen_principal, pseudonym_for
from minasidor.minpension import connection
from minasidor.minpension.errors import MinPensionUnavailableError
from minasidor.minpension.models import MinPensionConsent
from minasidor.minpension.selectors import min_pension_get
from minasidor.minpension.services import min_pension_consent_give
from minasidor.minpension.types import Outcome
from simulators.minpension.server import SimulatorThread

pytestmark = pytest.mark.django_db

LENA = "198001139297"
JOHAN = "198501139995"


def _get(number: str, *, drawing_pension: bool = False, still_working: bool = True) -> Outcome:
    key = f"se:{number}"
    result = min_pension_get(
        principal=citizen_principal(key),
        subject_key=key,
        personal_number=PersonalNumber(number),
        drawing_pension=drawing_pension,
        still_working=still_working,
    )
    return result.outcome


def test_a_registered_user_gets_their_pensions_and_the_read_is_logged(minpension: SimulatorThread) -> None:
    assert _get(LENA) is Outcome.FETCHED
    record = AccessRecord.objects.get(action="minpension.viewed")
    assert record.subject_ref == pseudonym_for(f"se:{LENA}") == record.principal_ref


def test_an_unregistered_person_is_offered_registration_and_nothing_is_fetched(minpension: SimulatorThread) -> None:
    assert _get(JOHAN) is Outcome.NOT_REGISTERED
    assert list(AccessRecord.objects.values_list("action", flat=True)) == ["minpension.status_checked"]


def test_a_retired_person_who_no_longer_works_is_never_asked_about(settings: Settings) -> None:
    settings.MINPENSION_BASE_URL = "http://127.0.0.1:9/api/v1/"  # nothing listens: a call would fail
    connection.reset()
    assert _get(LENA, drawing_pension=True, still_working=False) is Outcome.RETIRED
    assert _get(LENA, drawing_pension=True, still_working=True) is Outcome.UNAVAILABLE
    assert not AccessRecord.objects.exists()
    connection.reset()


def test_failures_and_slowness_are_unavailable_not_zero(minpension: SimulatorThread) -> None:
    minpension.control("faults", kind="error", status=500, count=1, endpoint="pensions")
    assert _get(LENA) is Outcome.UNAVAILABLE
    minpension.control("faults", kind="timeout", delaySeconds=3, count=1)
    assert _get(LENA) is Outcome.UNAVAILABLE


def test_consent_is_recorded_with_its_log_row_and_the_person_is_registered(minpension: SimulatorThread) -> None:
    key = f"se:{JOHAN}"
    consent, status = min_pension_consent_give(
        principal=citizen_principal(key),
        subject_key=key,
        personal_number=PersonalNumber(JOHAN),
        terms_version="2026-1",
        language="sv",
    )
    assert status.may_fetch
    stored = MinPensionConsent.objects.get()
    assert stored.subject_ref == pseudonym_for(key)
    assert JOHAN not in stored.subject_ref
    assert (stored.assignment_agreement, stored.power_of_attorney, stored.personal_data_consent) == (True, True, True)
    assert stored.registered_at is not None
    assert consent.reference == stored.reference
    assert AccessRecord.objects.filter(action="minpension.consent_given").count() == 1
    assert _get(JOHAN) is Outcome.FETCHED


def test_a_failed_registration_keeps_the_consent_unconfirmed(minpension: SimulatorThread) -> None:
    minpension.control("faults", kind="error", status=500, count=1, endpoint="users/register")
    key = f"se:{JOHAN}"
    with pytest.raises(MinPensionUnavailableError):
        min_pension_consent_give(
            principal=citizen_principal(key),
            subject_key=key,
            personal_number=PersonalNumber(JOHAN),
            terms_version="2026-1",
            language="en",
        )
    assert MinPensionConsent.objects.get().registered_at is None
    assert _get(JOHAN) is Outcome.NOT_REGISTERED
