"""Requirement (issue 18, "done when"; issue 16.6): casework end to end in a browser, in Swedish and English — a
citizen sends a question with an attachment; a case handler, logged in through the staff login with password and
authenticator code, answers and asks for a completion on the handler's pages; the citizen's notice is read from
the test SMTP server and says nothing personal; the citizen answers with a document; the handler closes the
question with the answer; the timeline shows each step. Every handler page (queue, case, the decide form of an
application) and every citizen page is checked at 320 px without sideways scrolling and with zero axe violations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings

from backoffice.notices.models import Notice, NoticeStatus
from backoffice.notices.tasks import notice_deliver
from backoffice.register.models import ContactDetails
from kernel import clock, totp
from kernel.tests.sample_files import pdf_bytes
from minasidor.casehandling.decorators import CASE_HANDLERS_GROUP
from minasidor.identity.tests.factories import make_identity
from minasidor.registers.tests.casework import application_submitted
from minasidor.staff.models import StaffTotpDevice
from minasidor.staff.services import totp_device_create
from simulators.mail.server import MailSimulatorThread
from tests.e2e.conftest import browser_log_in, fits_and_clean

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice"),
]

KARIN = "196201082697"
KARIN_EMAIL = "karin.lindqvist@example.se"
PASSWORD = "a-test-only-password-for-a-handler-3"  # test-only
STAFF = "/" + settings.STAFF_ADMIN_PATH
QUESTION_TEXT = "Jag undrar över min utbetalning i januari."
ANSWER_TEXT = "Tack, vi tittar på det."
COMPLETION_TEXT = "Skicka ditt kontobesked."
REPLY_TEXT = "Här är kontobeskedet."
CLOSING_TEXT = "Utbetalningen kommer den 19 januari."
TEXTS = {
    "sv": ("", "Ställ en fråga till oss", "Skicka frågan", "Frågan har skickats", "Skicka ditt svar"),
    "en": ("/en", "Ask us a question", "Send the question", "Your question has been sent", "Send your answer"),
}


@pytest.fixture(autouse=True)
def _sealed(seal: None) -> None:
    """The decision letter is sealed with a development seal of this module's own."""


@pytest.fixture(scope="module")
def mail_server() -> Iterator[MailSimulatorThread]:
    with MailSimulatorThread() as thread:
        yield thread


@pytest.fixture
def mail(mail_server: MailSimulatorThread, settings: Settings) -> MailSimulatorThread:
    """Notices go by SMTP to the test server (emptied first); Karin wants them by e-mail, to a confirmed address."""
    mail_server.reset()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mail_server.smtp_port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.PORTAL_URL = "https://minasidor.example/"
    ContactDetails.objects.filter(person__personal_number=KARIN).update(
        email=KARIN_EMAIL, email_confirmed=True, notice_choice="email"
    )
    return mail_server


def _citizen(page: Page, live_server: Any) -> None:
    browser_log_in(page, live_server, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))


def _handler(browser: Browser, live_server: Any) -> Page:
    """A case handler's own browser at 320 px, logged in through the staff login: password and the code."""
    user = get_user_model().objects.create_user(username="handlaggare-journey", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=CASE_HANDLERS_GROUP)[0])
    totp_device_create(user=user)
    device = StaffTotpDevice.objects.get(user=user)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport={"width": 320, "height": 800})
    handler = context.new_page()
    handler.goto(f"{STAFF}arenden/")
    expect(handler).to_have_url(re.compile(r"/login/\?next="))
    handler.locator("input[name=username]").fill(user.username)
    handler.locator("input[name=password]").fill(PASSWORD)
    handler.locator("input[name=otp]").fill(totp.totp(totp.key_from(device.secret), clock.now()))
    handler.locator("input[name=otp]").press("Enter")
    expect(handler).to_have_url(re.compile(r"/arenden/$"))
    return handler


def _act(handler: Page, action: str, **fields: str) -> None:
    for name, value in fields.items():
        handler.locator(f'[name="{action}-{name}"]').fill(value)
    handler.locator(f'button[name="action"][value="{action}"]').click()
    expect(handler.locator(".govuk-error-summary")).to_have_count(0)


def _notices_sent() -> list[Notice]:
    """Run the notice tasks the handler's actions queued (the back office's worker would), and return them."""
    pending = list(Notice.objects.filter(status=NoticeStatus.PENDING))
    for notice in pending:
        notice_deliver.call(notice.id)
    return pending


@pytest.mark.parametrize("language", list(TEXTS))
def test_a_question_answered_on_the_handlers_pages_with_a_completion_a_notice_and_the_timeline(
    page: Page, browser: Browser, live_server: Any, *, mail: MailSimulatorThread, tmp_path: Path, language: str
) -> None:
    prefix, ask, send, sent, answer = TEXTS[language]
    certificate = tmp_path / "kontobesked.pdf"
    certificate.write_bytes(pdf_bytes())
    page.set_viewport_size({"width": 320, "height": 800})
    _citizen(page, live_server)

    # The citizen asks a question with a file.
    page.goto(f"{prefix}/mina-sidor/arenden/ny-fraga/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ask)
    page.locator('input[name="subject"]').fill("Utbetalning")
    page.locator('textarea[name="message"]').fill(QUESTION_TEXT)
    page.locator('input[name="attachment"]').set_input_files(str(certificate))
    page.get_by_role("button", name=send).click()
    expect(page.get_by_text(sent)).to_be_visible()
    case_id = page.url.rstrip("/").rsplit("/", 1)[1]
    fits_and_clean(page)

    # The handler finds it in the queue, opens it, takes it up, answers and asks for a completion.
    handler = _handler(browser, live_server)
    row = handler.locator(f'#queue tr[data-case="{case_id}"]')
    expect(row).to_be_visible()
    fits_and_clean(handler)
    row.get_by_role("link").click()
    expect(handler.locator("main")).to_contain_text(QUESTION_TEXT)
    expect(handler.locator("main")).to_contain_text("kontobesked.pdf")
    fits_and_clean(handler)
    _act(handler, "take_up")
    _act(handler, "answer", text=ANSWER_TEXT)
    _act(handler, "completion", text=COMPLETION_TEXT, due=(clock.today() + dt.timedelta(days=14)).isoformat())
    fits_and_clean(handler)

    # The notices reach the test SMTP server, and say only that something waits on Mina sidor.
    assert _notices_sent(), "the handler's actions queued notices"
    received = mail.messages(to=KARIN_EMAIL)
    assert received, "Karin's notices arrived at the SMTP server"
    raw = "\n".join(m.raw.decode() for m in mail.received()).replace(KARIN_EMAIL, "")
    for personal in ("Karin", "Lindqvist", KARIN, "620108", case_id, case_id[:8], "Utbetalning", "kontobesked"):
        assert personal.lower() not in raw.lower(), f"{personal!r} in a notice"
    for text in (QUESTION_TEXT, ANSWER_TEXT, COMPLETION_TEXT):
        assert text not in raw
    assert all("https://minasidor.example/" in m["text"] for m in received)

    # The citizen sees the answer and the request, and answers with a document.
    page.goto(f"{prefix}/mina-sidor/arenden/{case_id}/")
    expect(page.locator("#completion-request")).to_contain_text(COMPLETION_TEXT)
    expect(page.locator("main")).to_contain_text(ANSWER_TEXT)
    fits_and_clean(page)
    page.locator('textarea[name="completion-text"]').fill(REPLY_TEXT)
    page.locator('input[name="completion-attachment"]').set_input_files(str(certificate))
    page.get_by_role("button", name=answer).click()
    expect(page.locator("#status")).to_have_attribute("data-status", "in_progress")

    # The handler sees the answer with its file and closes the question with the answer.
    handler.reload()
    expect(handler.locator("main")).to_contain_text(REPLY_TEXT)
    _act(handler, "close", text=CLOSING_TEXT)
    fits_and_clean(handler)

    # The citizen's timeline shows each step.
    page.reload()
    expect(page.locator("#status")).to_have_attribute("data-status", "closed")
    expect(page.locator("main")).to_contain_text(CLOSING_TEXT)
    # received, question, taken up, answer, request, waiting, answered, handled again, closed
    expect(page.locator("#timeline li")).to_have_count(9)
    fits_and_clean(page)
    handler.context.close()


def test_the_handler_decides_an_application_on_the_decide_form_and_the_citizen_gets_the_letter(
    page: Page, browser: Browser, live_server: Any
) -> None:
    karin = make_identity(KARIN, given_name="Karin", family_name="Lindqvist")
    case = application_submitted(karin)
    handler = _handler(browser, live_server)
    handler.goto(f"{STAFF}arenden/?typ=old_age_pension")
    fits_and_clean(handler)
    handler.locator(f'#queue tr[data-case="{case.case_id}"]').get_by_role("link").click()
    expect(handler.locator("#decide-form")).to_be_visible()
    fits_and_clean(handler)
    handler.locator('input[name="decide-outcome"][value="granted"]').check()
    handler.locator('button[name="action"][value="decide"]').click()
    expect(handler.locator(".govuk-error-summary")).to_have_count(0)
    expect(handler.locator("#decide-form")).to_have_count(0)
    fits_and_clean(handler)
    handler.context.close()

    page.set_viewport_size({"width": 320, "height": 800})
    _citizen(page, live_server)
    page.goto(f"/en/mina-sidor/arenden/{case.case_id}/")
    expect(page.locator("#status")).to_have_attribute("data-status", "decided")
    letter = page.locator("#decision-letter-link")
    expect(letter).to_be_visible()
    fits_and_clean(page)
    response = page.request.get(str(letter.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
