"""Requirement: issue 18.3 (back-office side) — an e-mail address is confirmed by a one-time token issued for it:
only the owner's, unused, unexpired token for the address still waiting confirms it; a new address waits while the
old one stays in use, and the replaced address hears of changes for 30 days (decision 0160)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from backoffice.notices.models import EmailConfirmation, Notice, NoticeKind
from backoffice.notices.services import (
    ConfirmationOutcome,
    contact_details_change,
    email_confirm,
    email_confirmation_issue,
    notice_enqueue,
)
from backoffice.notices.tests.conftest import Make
from backoffice.register.access import Caller
from backoffice.register.models import ContactDetails, Person, RegisterAccessRecord
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


def test_a_new_address_waits_for_its_confirmation_and_the_old_one_stays_in_use(person: Make) -> None:
    someone = person()  # sigrid@example.se, confirmed
    number = someone.personal_number
    change = {"email": "other@example.se", "phone": "", "special_postal_address": None}
    contact_details_update(caller=PORTAL, personal_number=number, change=change)
    details = ContactDetails.objects.get(person=someone)
    assert (details.email, details.email_confirmed, details.pending_email) == (
        "sigrid@example.se",
        True,
        "other@example.se",
    )
    token = email_confirmation_issue(caller=PORTAL, personal_number=number)
    assert EmailConfirmation.objects.get(used_at=None).email == "other@example.se"
    assert email_confirm(caller=PORTAL, personal_number=number, token=token) == ConfirmationOutcome.CONFIRMED
    details.refresh_from_db()
    assert (details.email, details.email_confirmed, details.pending_email) == ("other@example.se", True, "")
    assert details.previous_email == "sigrid@example.se", "the replaced address still hears of changes"
    contact_details_update(caller=PORTAL, personal_number=number, change={**change, "email": "OTHER@example.se"})
    assert _confirmed(number), "the same address in other capitals stays confirmed"


def test_a_link_for_an_address_no_longer_waiting_confirms_nothing(person: Make) -> None:
    someone = person()
    number = someone.personal_number
    change = {"email": "other@example.se", "phone": "", "special_postal_address": None}
    contact_details_update(caller=PORTAL, personal_number=number, change=change)
    token = email_confirmation_issue(caller=PORTAL, personal_number=number)
    contact_details_update(caller=PORTAL, personal_number=number, change={**change, "email": "third@example.se"})
    assert email_confirm(caller=PORTAL, personal_number=number, token=token) == ConfirmationOutcome.INVALID
    details = ContactDetails.objects.get(person=someone)
    assert (details.email, details.pending_email) == ("sigrid@example.se", "third@example.se")


def test_removing_the_address_removes_the_waiting_one_too(person: Make) -> None:
    someone = person()
    change = {"email": "other@example.se", "phone": "", "special_postal_address": None}
    contact_details_update(caller=PORTAL, personal_number=someone.personal_number, change=change)
    contact_details_update(caller=PORTAL, personal_number=someone.personal_number, change={**change, "email": ""})
    details = ContactDetails.objects.get(person=someone)
    assert (details.email, details.email_confirmed, details.pending_email) == ("", False, "")


def test_a_change_tells_the_old_contact_points_and_sends_the_link_to_the_new_address(person: Make) -> None:
    someone = person(notice_choice="none")
    change = {"email": "other@example.se", "phone": "+46 70 999 99 99", "special_postal_address": None}
    contact_details_change(caller=PORTAL, personal_number=someone.personal_number, change=change)
    sent = sorted((n.kind, n.channel, n.address) for n in Notice.objects.all())
    assert sent == [
        ("details_changed", "email", "sigrid@example.se"),
        ("details_changed", "sms", "+46 70 123 45 67"),
        ("email_confirmation", "email", "other@example.se"),
    ]
    contact_details_change(caller=PORTAL, personal_number=someone.personal_number, change=change)
    assert Notice.objects.count() == 3, "a change that changes nothing sends nothing"
    assert RegisterAccessRecord.objects.filter(action="contact_details.update").count() == 2


def test_the_replaced_address_hears_of_changes_for_thirty_days(person: Make, frozen_clock: FrozenClock) -> None:
    someone = person(notice_choice="none", phone="")
    number = someone.personal_number
    change = {"email": "other@example.se", "phone": "", "special_postal_address": None}
    contact_details_update(caller=PORTAL, personal_number=number, change=change)
    email_confirm(
        caller=PORTAL, personal_number=number, token=email_confirmation_issue(caller=PORTAL, personal_number=number)
    )
    someone = Person.objects.get(pk=someone.pk)  # its contact details read anew
    told = notice_enqueue(person=someone, kind=NoticeKind.DETAILS_CHANGED, caller=PORTAL, key="test:1")
    assert sorted(n.address for n in told) == ["other@example.se", "sigrid@example.se"]
    again = notice_enqueue(person=someone, kind=NoticeKind.DETAILS_CHANGED, caller=PORTAL, key="test:1")
    assert sorted(n.id for n in again) == sorted(n.id for n in told), "the same key is the same notices"
    frozen_clock.advance(dt.timedelta(days=31))
    later = notice_enqueue(person=someone, kind=NoticeKind.DETAILS_CHANGED, caller=PORTAL)
    assert [n.address for n in later] == ["other@example.se"]


def test_there_must_be_an_address_to_confirm(person: Make) -> None:
    someone = person(email="", email_confirmed=False)
    with pytest.raises(InvalidChangeError):
        email_confirmation_issue(caller=PORTAL, personal_number=someone.personal_number)
