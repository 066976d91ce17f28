"""Requirement (issue 12.8): a login from a device the person has not used before is told to them at every
contact point they have, through the doorway, the same by both implementations — once per login whatever
the retries, nothing for a person without contact points, refused for an unknown person or a bad key.
"""

from __future__ import annotations

import pytest

from backoffice.notices.models import Notice, NoticeKind
from backoffice.notices.services import email_confirm, email_confirmation_issue
from backoffice.register.access import Caller
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.registers.types import ContactDetailsChange, InvalidChangeError, PersonNotFoundError, Registers

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_register")]

KARIN = PersonalNumber("196201082697")
UNKNOWN = PersonalNumber("189001019802")
KARIN_HERSELF = citizen_principal(f"se:{KARIN.value}")
PORTAL = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="test")


def _contact_points(registers: Registers, *, notice_choice: str) -> None:
    change = ContactDetailsChange("karin@example.se", "+46 70 123 45 67", None, notice_choice=notice_choice)
    registers.contact_details_update(KARIN_HERSELF, KARIN, change)
    email_confirm(
        caller=PORTAL,
        personal_number=KARIN.value,
        token=email_confirmation_issue(caller=PORTAL, personal_number=KARIN.value),
    )


def test_a_new_device_login_is_told_at_every_contact_point_whatever_the_choice(registers: Registers) -> None:
    _contact_points(registers, notice_choice="none")  # a warning goes even to one who wants no other notices
    assert registers.login_notice_send(KARIN_HERSELF, KARIN, "order-digest-1") == 2
    notices = Notice.objects.filter(person__personal_number=KARIN.value, kind=NoticeKind.NEW_DEVICE_LOGIN)
    assert sorted(notices.values_list("channel", "address")) == [
        ("email", "karin@example.se"),
        ("sms", "+46 70 123 45 67"),
    ]


def test_the_same_login_told_twice_gives_one_notice_per_contact_point(registers: Registers) -> None:
    _contact_points(registers, notice_choice="email")
    registers.login_notice_send(KARIN_HERSELF, KARIN, "order-digest-2")
    registers.login_notice_send(KARIN_HERSELF, KARIN, "order-digest-2")
    registers.login_notice_send(KARIN_HERSELF, KARIN, "order-digest-3")
    assert Notice.objects.filter(kind=NoticeKind.NEW_DEVICE_LOGIN).count() == 4  # two logins, two points each


def test_a_person_without_contact_points_gets_none(registers: Registers) -> None:
    registers.contact_details_update(KARIN_HERSELF, KARIN, ContactDetailsChange("", "", None))
    assert registers.login_notice_send(KARIN_HERSELF, KARIN, "order-digest-4") == 0
    assert not Notice.objects.filter(kind=NoticeKind.NEW_DEVICE_LOGIN).exists()


def test_an_unknown_person_or_a_bad_key_is_refused(registers: Registers) -> None:
    with pytest.raises(PersonNotFoundError):
        registers.login_notice_send(KARIN_HERSELF, UNKNOWN, "order-digest-5")
    with pytest.raises(InvalidChangeError):
        registers.login_notice_send(KARIN_HERSELF, KARIN, "x" * 65)
    with pytest.raises(InvalidChangeError):
        registers.login_notice_send(KARIN_HERSELF, KARIN, "")
    # A NUL reached PostgreSQL's text column and answered 500 (found by schemathesis); refused like any bad key.
    with pytest.raises(InvalidChangeError):
        registers.login_notice_send(KARIN_HERSELF, KARIN, "order\x00digest")
    with pytest.raises(InvalidChangeError):
        registers.delegate_session_notice_send(KARIN_HERSELF, KARIN, "session\x00digest")
