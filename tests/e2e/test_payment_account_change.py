"""Requirement (issue 18.3, Done when): in a browser, a citizen changes the payment account on My details, signs
the change with the virtual BankID app through the QR code on screen, and the notice of the change reaches the
e-mail address that was in use before (read from the test SMTP server). Every page fits 320 px with zero axe
violations.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backoffice.register.models import ContactDetails, PaymentAccount
from simulators.bankid.server import SimulatorThread
from simulators.mail.server import MailSimulatorThread
from tests.e2e.test_application import _app
from tests.e2e.test_details import fits_and_clean, mail, notices_send
from tests.e2e.test_signing import _read_qr
from tests.e2e.test_withdrawal_change import BENGT, _log_in, portal, seal_files

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

__all__ = ["mail", "portal", "seal_files"]

OLD = "bengt.ek@example.se"


def test_a_payment_account_change_signed_with_the_qr_code_is_told_at_the_old_address(
    page: Page, live_server: Any, bankid: SimulatorThread, portal: None, mail: MailSimulatorThread
) -> None:
    ContactDetails.objects.filter(person__personal_number=BENGT).update(email=OLD, email_confirmed=True)
    page.set_viewport_size({"width": 320, "height": 900})
    _log_in(page, live_server)
    page.goto("/mina-sidor/uppgifter/")
    page.locator("#change-account").click()
    fits_and_clean(page)
    page.get_by_label("Clearingnummer").fill("6789")
    page.get_by_label("Kontonummer").fill("123456789")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page).to_have_url(re.compile(r"/mina-sidor/uppgifter/konto/granska/$"))
    expect(page.locator("main")).to_contain_text("•••• 6789")
    fits_and_clean(page)
    page.get_by_role("button", name="Skriv under ändringen").click()
    expect(page).to_have_url(re.compile(r"/sign/$"))
    fits_and_clean(page)
    page.get_by_role("button", name="Skriv under med Mobilt BankID på en annan enhet").click()
    expect(page.locator("#bankid-qr-image")).to_be_visible()
    order = _app(bankid, "/app/scan", qrData=_read_qr(page), personalNumber=BENGT)
    _app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")
    expect(page).to_have_url(re.compile(r"/mina-sidor/uppgifter/konto/klart/$"), timeout=15000)
    expect(page.locator("#effective")).to_contain_text("nya kontot")
    fits_and_clean(page)
    row = PaymentAccount.objects.get(person__personal_number=BENGT)
    assert (row.clearing_number, row.account_number) == ("6789", "123456789")
    notices_send()
    (told,) = mail.messages(to=OLD)
    assert "ändrats" in told["subject"]
    assert "6789" not in told["text"], "the notice says nothing of the account"
