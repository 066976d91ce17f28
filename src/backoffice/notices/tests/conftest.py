"""Fixtures of the notices' tests: people with contact details, and the SMTP test server as the mail relay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from backoffice.register.access import Caller
from backoffice.register.models import ContactDetails, Person
from simulators.mail.server import MailSimulatorThread

Make = Callable[..., Person]
CASEWORK = Caller(service="casework", channel="in_process", principal_kind="system", principal_ref="casework-test")


@pytest.fixture(scope="session")
def mail_server() -> Iterator[MailSimulatorThread]:
    with MailSimulatorThread() as thread:
        yield thread


@pytest.fixture
def mail(mail_server: MailSimulatorThread, settings: Settings, tmp_path: Path) -> MailSimulatorThread:
    """Notices go by SMTP to the test server (emptied) and text messages to a file of this test's own."""
    mail_server.reset()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mail_server.smtp_port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SMS_BACKEND = "backoffice.notices.sms.FileSmsBackend"
    settings.SMS_FILE = str(tmp_path / "sms.jsonl")
    settings.PORTAL_URL = "https://minasidor.example/"
    settings.AUTHORITY_NAME = "Pensionsmyndigheten"
    return mail_server


@pytest.fixture
def person() -> Make:
    """Make a person with contact details (by default: confirmed e-mail, notices by e-mail, Swedish)."""
    counter = iter(range(1, 1000))

    def make(
        *,
        personal_number: str = "",
        given_name: str = "Sigrid",
        family_name: str = "Bostadsson",
        email: str = "sigrid@example.se",
        email_confirmed: bool = True,
        phone: str = "+46 70 123 45 67",
        notice_choice: str = "email",
        language: str = "sv",
        date_of_death: dt.date | None = None,
    ) -> Person:
        number = personal_number or f"19500101{next(counter):03d}0"[:12]
        someone = Person.objects.create(
            personal_number=number,
            given_name=given_name,
            family_name=family_name,
            birth_date=dt.date(1950, 1, 1),
            date_of_death=date_of_death,
        )
        ContactDetails.objects.create(
            person=someone,
            street_address="Storgatan 1",
            postal_code="85230",
            city="Sundsvall",
            email=email,
            email_confirmed=email_confirmed,
            phone=phone,
            notice_choice=notice_choice,
            language=language,
        )
        return someone

    return make
