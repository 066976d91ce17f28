"""Requirement (issue 22.1, decision 0180): the grantor is told of each new session in which a delegate acts for
them, by the channels the grantor chose, through the doorway, the same by both implementations — once per
session whatever the retries, nothing when they chose no notices, refused for an unknown person or a bad key.
"""

from __future__ import annotations

import pytest

from backoffice.notices.models import Notice, NoticeKind
from backoffice.notices.services import email_confirm, email_confirmation_issue
from backoffice.notices.texts import notice_text
from backoffice.register.access import Caller
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal, pseudonym_for
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.registers.types import ContactDetailsChange, InvalidChangeError, PersonNotFoundError, Registers

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_register")]

KARIN = PersonalNumber("196201082697")
UNKNOWN = PersonalNumber("189001019802")
KARIN_HERSELF = citizen_principal(f"se:{KARIN.value}")
SARA_FOR_KARIN = Principal(kind=PrincipalKind.DELEGATE, ref=pseudonym_for("se:199101012384"))
PORTAL = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="test")


def _contact_points(registers: Registers, *, notice_choice: str) -> None:
    change = ContactDetailsChange("karin@example.se", "+46 70 123 45 67", None, notice_choice=notice_choice)
    registers.contact_details_update(KARIN_HERSELF, KARIN, change)
    email_confirm(
        caller=PORTAL,
        personal_number=KARIN.value,
        token=email_confirmation_issue(caller=PORTAL, personal_number=KARIN.value),
    )


def test_a_delegate_session_is_told_by_the_channel_the_grantor_chose_once(registers: Registers) -> None:
    _contact_points(registers, notice_choice="email")
    assert registers.delegate_session_notice_send(SARA_FOR_KARIN, KARIN, "session-digest-1") == 1
    assert registers.delegate_session_notice_send(SARA_FOR_KARIN, KARIN, "session-digest-1") == 1
    notices = Notice.objects.filter(person__personal_number=KARIN.value, kind=NoticeKind.DELEGATE_SESSION)
    assert list(notices.values_list("channel", "address")) == [("email", "karin@example.se")]


def test_no_notice_when_the_grantor_chose_none(registers: Registers) -> None:
    _contact_points(registers, notice_choice="none")
    assert registers.delegate_session_notice_send(SARA_FOR_KARIN, KARIN, "session-digest-2") == 0


def test_an_unknown_person_or_a_bad_key_is_refused(registers: Registers) -> None:
    with pytest.raises(PersonNotFoundError):
        registers.delegate_session_notice_send(SARA_FOR_KARIN, UNKNOWN, "session-digest-3")
    with pytest.raises(InvalidChangeError):
        registers.delegate_session_notice_send(SARA_FOR_KARIN, KARIN, "x" * 65)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_notice_says_nothing_of_who_or_what(language: str) -> None:
    text = notice_text(NoticeKind.DELEGATE_SESSION, language)
    for part in (text.subject, text.body, text.sms):
        assert "199101012384" not in part
        assert "Sara" not in part
    assert ("fullmakt" if language == "sv" else "power of attorney") in text.body
