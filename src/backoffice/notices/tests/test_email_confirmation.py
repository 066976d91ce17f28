"""Requirement: issue 18.3 (back-office side) — an e-mail address is confirmed by a one-time token issued for it:
only the owner's, unused, unexpired token for the address still registered confirms it; a new address is
unconfirmed."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from backoffice.notices.models import EmailConfirmation
from backoffice.notices.services import ConfirmationOutcome, email_confirm, email_confirmation_issue
from backoffice.notices.tests.conftest import Make
from backoffice.register.access import Caller
from backoffice.register.models import ContactDetails, RegisterAccessRecord
from backoffice.register.services import InvalidChangeError, contact_details_update
from kernel.clock import FrozenClock

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])
PORTAL = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="pseudonym")


def _confirmed(number: str) -> bool:
    return ContactDetails.objects.get(person__personal_number=number).email_confirmed


def test_the_owners_token_confirms_the_address_once(person: Make, frozen_clock: FrozenClock) -> None:
    someone = person(email_confirmed=False)
    number = someone.personal_number
    token = email_confirmation_issue(caller=PORTAL, personal_number=number)
    stored = EmailConfirmation.objects.get()
    assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(EmailConfirmation.objects.values().get()), "only the digest is kept"
    assert email_confirm(caller=PORTAL, personal_number=number, token=token) == ConfirmationOutcome.CONFIRMED
    assert _confirmed(number)
    assert email_confirm(caller=PORTAL, personal_number=number, token=token) == ConfirmationOutcome.INVALID
    actions = set(RegisterAccessRecord.objects.values_list("action", flat=True))
    assert actions >= {"email_confirmation.issue", "email_confirmation.confirm"}


def test_another_persons_token_is_refused_like_an_unknown_one(person: Make) -> None:
    owner = person(email_confirmed=False)
    other = person(email_confirmed=False, personal_number="195203031234")
    token = email_confirmation_issue(caller=PORTAL, personal_number=owner.personal_number)
    for wrong in (token, "not-a-token", "", "x" * 10_000):
        outcome = email_confirm(caller=PORTAL, personal_number=other.personal_number, token=wrong)
        assert outcome == ConfirmationOutcome.INVALID
    assert not _confirmed(other.personal_number)
    assert not _confirmed(owner.personal_number)


def test_a_token_expires_after_a_day(person: Make, frozen_clock: FrozenClock) -> None:
    someone = person(email_confirmed=False)
    token = email_confirmation_issue(caller=PORTAL, personal_number=someone.personal_number)
    frozen_clock.advance(dt.timedelta(hours=24))
    assert (
        email_confirm(caller=PORTAL, personal_number=someone.personal_number, token=token)
        == ConfirmationOutcome.EXPIRED
    )
    assert not _confirmed(someone.personal_number)


def test_a_new_token_replaces_the_old_one(person: Make) -> None:
    someone = person(email_confirmed=False)
    old = email_confirmation_issue(caller=PORTAL, personal_number=someone.personal_number)
    new = email_confirmation_issue(caller=PORTAL, personal_number=someone.personal_number)
    assert (
        email_confirm(caller=PORTAL, personal_number=someone.personal_number, token=old) == ConfirmationOutcome.INVALID
    )
    assert (
        email_confirm(caller=PORTAL, personal_number=someone.personal_number, token=new)
        == ConfirmationOutcome.CONFIRMED
    )


def test_a_changed_address_needs_confirming_again(person: Make) -> None:
    someone = person(email_confirmed=False)
    number = someone.personal_number
    token = email_confirmation_issue(caller=PORTAL, personal_number=number)
    change = {"email": "other@example.se", "phone": "", "special_postal_address": None}
    contact_details_update(caller=PORTAL, personal_number=number, change=change)
    assert email_confirm(caller=PORTAL, personal_number=number, token=token) == ConfirmationOutcome.INVALID
    token = email_confirmation_issue(caller=PORTAL, personal_number=number)
    assert email_confirm(caller=PORTAL, personal_number=number, token=token) == ConfirmationOutcome.CONFIRMED
    contact_details_update(caller=PORTAL, personal_number=number, change={**change, "email": "OTHER@example.se"})
    assert _confirmed(number), "the same address in other capitals stays confirmed"
    contact_details_update(caller=PORTAL, personal_number=number, change={**change, "email": "third@example.se"})
    assert not _confirmed(number)


def test_there_must_be_an_address_to_confirm(person: Make) -> None:
    someone = person(email="", email_confirmed=False)
    with pytest.raises(InvalidChangeError):
        email_confirmation_issue(caller=PORTAL, personal_number=someone.personal_number)
