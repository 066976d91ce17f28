"""Requirement (issue 18.3): My details in the browser — a citizen changes the e-mail address, reads the link in
the e-mail the test SMTP server received, opens it and confirms; gives a special postal address with a mistake
first and the language of letters in English — every page at 320 px without sideways scrolling and with zero axe
violations; and the contact form works without JavaScript. A pensioner chooses extra tax each month and
gives a jämkning decision's reference, with a mistake first, at 320 px with zero axe violations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from backoffice.notices.models import Notice
from backoffice.notices.tasks import notice_deliver
from backoffice.register.models import ContactDetails
from minasidor.identity.tests.factories import make_identity
from simulators.mail.server import MailSimulatorThread
from simulators.minpension.server import SimulatorThread
from tests.e2e.conftest import browser_log_in, fits_and_clean

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice"),
]

BENGT = "195801082743"
OLD = "bengt.ek@example.se"
NEW = "bengt.ny@example.se"


@pytest.fixture
def mail(settings: Settings, tmp_path: Path) -> Iterator[MailSimulatorThread]:
    """The test SMTP server, where the back office's notices go."""
    with MailSimulatorThread() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.smtp_port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.SMS_BACKEND = "backoffice.notices.sms.FileSmsBackend"
        settings.SMS_FILE = str(tmp_path / "sms.jsonl")
        yield server


def notices_send() -> None:
    """What the back office's worker does: send the notices waiting in the outbox."""
    for notice_id in Notice.objects.filter(status="pending").values_list("id", flat=True):
        notice_deliver.call(notice_id)


def _log_in(page: Page, live_server: Any, number: str = BENGT) -> None:
    browser_log_in(page, live_server, make_identity(number, given_name="Bengt", family_name="Ek"))


def test_a_new_email_address_is_confirmed_by_the_link_in_the_email(
    page: Page, live_server: Any, minpension: SimulatorThread, mail: MailSimulatorThread
) -> None:
    ContactDetails.objects.filter(person__personal_number=BENGT).update(email=OLD, email_confirmed=True)
    page.set_viewport_size({"width": 320, "height": 800})
    _log_in(page, live_server)
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Mina uppgifter").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    expect(page.locator("#registered-address")).to_be_visible()
    fits_and_clean(page)
    page.locator("#contact-details").get_by_role("link", name="Ändra e-post").click()
    fits_and_clean(page)
    page.get_by_role("textbox", name="E-post").fill("inte en adress")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("rätt form")
    expect(page.get_by_role("textbox", name="E-post")).to_have_value("inte en adress")
    fits_and_clean(page)
    page.get_by_role("textbox", name="E-post").fill(NEW)
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#pending-email")).to_contain_text(NEW)
    fits_and_clean(page)
    notices_send()
    [link_mail] = mail.messages(to=NEW)
    assert link_mail["subject"] == "Bekräfta din e-postadress för Mina sidor"
    [warning] = mail.messages(to=OLD)
    assert warning["subject"] == "Dina uppgifter på Mina sidor har ändrats"
    link = re.search(r"https?://\S+/mina-sidor/uppgifter/e-post/bekrafta/\w+/", link_mail["text"])
    assert link is not None
    page.goto(link.group(0).split("/mina-sidor/", 1)[1].join(["/mina-sidor/", ""]))
    fits_and_clean(page)
    page.get_by_role("button", name="Bekräfta min e-postadress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Din e-postadress är bekräftad")
    fits_and_clean(page)
    page.get_by_role("link", name="Gå till Mina uppgifter").click()
    expect(page.locator("#contact-details")).to_contain_text(NEW)
    expect(page.locator("#pending-email")).to_have_count(0)


def test_postal_address_and_language_in_english(page: Page, live_server: Any, minpension: SimulatorThread) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    _log_in(page, live_server)
    page.goto("/en/mina-sidor/uppgifter/")
    page.locator("#contact-details").get_by_role("link", name="Change special postal address").click()
    fits_and_clean(page)
    page.get_by_label("Street address or box").fill("Calle Mayor 1")
    page.get_by_label("Postal code").fill("28#13")
    page.get_by_role("textbox", name="City").fill("Madrid")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("digits and letters only")
    expect(page.get_by_role("textbox", name="City")).to_have_value("Madrid")
    fits_and_clean(page)
    page.get_by_label("Postal code").fill("28013")
    page.get_by_label("Country, if not Sweden").fill("Spain")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#contact-details")).to_contain_text("Calle Mayor 1")
    page.locator("#contact-details").get_by_role("link", name="Change language of letters").click()
    fits_and_clean(page)
    page.get_by_label("English").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#contact-details")).to_contain_text("English")
    fits_and_clean(page)


def test_the_contact_form_works_without_javascript(
    browser: Any, live_server: Any, minpension: SimulatorThread, flushable_access_log: None
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="sv-SE")
    try:
        page = context.new_page()
        _log_in(page, live_server)
        page.goto("/mina-sidor/uppgifter/kontakt/")
        page.get_by_role("textbox", name="Mobiltelefon").fill("ring mig")
        page.get_by_role("button", name="Spara").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("bara siffror")
        page.get_by_role("textbox", name="Mobiltelefon").fill("070-765 43 21")
        page.get_by_role("button", name="Spara").click()
        expect(page.locator("#contact-details")).to_contain_text("070-765 43 21")
    finally:
        context.close()


def test_tax_withholding_with_a_mistake_first_in_swedish(
    page: Page, live_server: Any, minpension: SimulatorThread
) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    _log_in(page, live_server)
    page.goto("/mina-sidor/uppgifter/")
    page.get_by_role("link", name="Ändra skatteavdrag").click()
    expect(page).to_have_url(re.compile(r"/mina-sidor/uppgifter/skatt/$"))
    page.wait_for_load_state()
    fits_and_clean(page)
    page.get_by_label("Skatt enligt skattetabellen och ett extra belopp varje månad").check()
    page.get_by_label("Extra skatt varje månad, i kronor").fill("5 00")
    page.get_by_label("Referens till ett beslut om jämkning, om du har ett").fill("J-2026/77")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("helt antal kronor")
    expect(page.get_by_label("Referens till ett beslut om jämkning, om du har ett")).to_have_value("J-2026/77")
    fits_and_clean(page)
    page.get_by_label("Extra skatt varje månad, i kronor").fill("500")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#tax-settings")).to_contain_text("500")
    expect(page.locator("#adjustment-reference")).to_have_text("J-2026/77")
    fits_and_clean(page)
