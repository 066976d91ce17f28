"""Requirement: issue 18.4 — a notice says only that something waits on Mina sidor (or that details changed), in the
person's language, with the portal's address: no name, no number, no amount, no case type that reveals a benefit.
The whole message, headers included, is checked as the test SMTP server received it."""

from __future__ import annotations

import re

import pytest

from backoffice.notices.models import Notice, NoticeKind
from backoffice.notices.services import email_confirmation_issue, notice_enqueue
from backoffice.notices.sms import sms_file_messages
from backoffice.notices.tasks import notice_deliver
from backoffice.notices.tests.conftest import CASEWORK, Make
from backoffice.register.services import contact_details_update
from simulators.mail.server import MailSimulatorThread

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

# What a case about a benefit could give away, in both languages.
REVEALING = ("bostadstillägg", "housing", "garantipension", "guarantee", "änke", "widow", "ålderspension", "old-age")
_DIGITS = re.compile(r"\d{4,}")


def _send(person: Make, kind: str, **details: object) -> None:
    """A notice of ``kind`` to a new person, by e-mail and text message, sent."""
    someone = person(notice_choice="email_and_sms", **details)
    for notice in notice_enqueue(person=someone, kind=kind, caller=CASEWORK):
        notice_deliver.call(notice.id)


@pytest.mark.parametrize("kind", [kind for kind in NoticeKind.values if kind != NoticeKind.EMAIL_CONFIRMATION])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_notice_holds_no_personal_data(person: Make, mail: MailSimulatorThread, kind: str, language: str) -> None:
    _send(
        person, kind, personal_number="194801149880", given_name="Ingegerd", family_name="Lindqvist", language=language
    )
    [received] = mail.messages()
    [raw] = [m.raw.decode() for m in mail.received()]
    sms = sms_file_messages()[-1]["text"]
    without_recipient = raw.replace("sigrid@example.se", "")
    for text in (without_recipient, sms):
        lowered = text.lower()
        for personal in (
            "ingegerd",
            "lindqvist",
            "194801149880",
            "480114-9880",
            "4801149880",
            "1948-01-14",
            "123 45 67",
        ):
            assert personal not in lowered, f"{personal!r} in the {kind} notice"
        for revealing in REVEALING:
            assert revealing not in lowered, f"{revealing!r} in the {kind} notice"
        assert "kr" not in re.findall(r"\b\w+\b", lowered), "no amounts"
    assert not _DIGITS.findall(received["subject"] + received["text"] + sms), "no numbers of any kind"
    assert "https://minasidor.example/" in received["text"]
    assert "https://minasidor.example/" in sms
    assert received["content_language"] == language
    assert len(sms) <= 160, "one text message"


def test_two_peoples_notices_are_the_same_words(person: Make, mail: MailSimulatorThread) -> None:
    _send(person, NoticeKind.CASE_STATUS, personal_number="194801149880", given_name="Ingegerd")
    _send(person, NoticeKind.CASE_STATUS, personal_number="195203031234", given_name="Bo", email="bo@example.se")
    first, second = mail.messages()
    assert (first["subject"], first["text"]) == (second["subject"], second["text"])
    assert first["to"] != second["to"]
    texts = [m["text"] for m in sms_file_messages()]
    assert texts[0] == texts[1]


def test_the_notice_is_in_the_persons_language(person: Make, mail: MailSimulatorThread) -> None:
    _send(person, NoticeKind.MESSAGE, language="sv")
    _send(person, NoticeKind.MESSAGE, language="en", personal_number="195203031234")
    swedish, english = mail.messages()
    assert swedish["subject"] == "Du har fått något nytt på Mina sidor"
    assert "Logga in på https://minasidor.example/" in swedish["text"]
    assert english["subject"] == "Something new is waiting for you on My pages"
    assert "Log in at https://minasidor.example/" in english["text"]
    sv_sms, en_sms = (m["text"] for m in sms_file_messages())
    assert sv_sms.startswith("Pensionsmyndigheten: Du har fått något nytt på Mina sidor.")
    assert en_sms.startswith("Pensionsmyndigheten: Something new is waiting for you on My pages.")


def test_a_change_of_details_says_so_and_what_to_do_if_it_was_not_you(person: Make, mail: MailSimulatorThread) -> None:
    _send(person, NoticeKind.DETAILS_CHANGED)
    [received] = mail.messages()
    assert received["subject"] == "Dina uppgifter på Mina sidor har ändrats"
    assert "Om det inte var du som ändrade dem, kontakta oss genast." in received["text"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_confirmation_link_goes_only_to_the_new_address_with_a_token_and_no_personal_data(
    person: Make, mail: MailSimulatorThread, language: str
) -> None:
    someone = person(personal_number="194801149880", given_name="Ingegerd", family_name="Lindqvist", language=language)
    change = {"email": "ny.adress@example.se", "phone": "+46 70 123 45 67", "special_postal_address": None}
    contact_details_update(caller=CASEWORK, personal_number=someone.personal_number, change=change)
    token = email_confirmation_issue(caller=CASEWORK, personal_number=someone.personal_number)
    for notice in Notice.objects.filter(kind=NoticeKind.EMAIL_CONFIRMATION):
        notice_deliver.call(notice.id)
    [received] = mail.messages()
    assert received["to"] == ["ny.adress@example.se"] or "ny.adress@example.se" in str(received["to"])
    assert f"https://minasidor.example/mina-sidor/uppgifter/e-post/bekrafta/{token}/" in received["text"]
    lowered = received["text"].replace(token, "").lower() + received["subject"].lower()
    for personal in ("ingegerd", "lindqvist", "194801149880", "4801149880", "123 45 67", "sigrid@"):
        assert personal not in lowered
    assert not sms_file_messages(), "a link goes by e-mail only"


def test_a_replaced_link_is_not_sent(person: Make, mail: MailSimulatorThread) -> None:
    someone = person(email_confirmed=False)
    email_confirmation_issue(caller=CASEWORK, personal_number=someone.personal_number)
    email_confirmation_issue(caller=CASEWORK, personal_number=someone.personal_number)
    first, second = Notice.objects.filter(kind=NoticeKind.EMAIL_CONFIRMATION).order_by("id")
    notice_deliver.call(first.id)
    notice_deliver.call(second.id)
    assert len(mail.messages()) == 1
    first.refresh_from_db()
    assert first.status == "failed"
