"""Requirement (issues 18.3 and 17, Done when): in a browser, a citizen changes the payment account on My details, signs
the change with the virtual BankID app through the QR code on screen, and the notice of the change reaches the
e-mail address that was in use before (read from the test SMTP server); a person logged in with the Swedish
eID test provider signs the same change at the test signature service. Every portal page checked fits 320 px with
zero axe violations.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backoffice.casework.models import SignatureEvidence
from backoffice.register.models import ContactDetails, PaymentAccount
from simulators.bankid.server import SimulatorThread
from simulators.mail.server import MailSimulatorThread
from simulators.sigservice.server import SigServiceThread
from tests.e2e.conftest import fits_and_clean, phone_approves
from tests.e2e.test_details import mail, notices_send
from tests.e2e.test_foreign_eid_application import KARIN, federation
from tests.e2e.test_withdrawal_change import BENGT, _log_in, portal

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

__all__ = ["federation", "mail", "portal"]

OLD = "bengt.ek@example.se"


def _pick_karin(page: Page) -> None:
    """The Swedish eID test provider's page: Karin logs in."""
    expect(page.get_by_text("Test identity provider – for testing only")).to_be_visible()
    page.get_by_label(re.compile("Karin Lindqvist")).check()
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Continue to the service").click()


def test_a_payment_account_change_signed_with_the_qr_code_is_told_at_the_old_address(
    page: Page, live_server: Any, bankid: SimulatorThread, portal: None, mail: MailSimulatorThread
) -> None:
    ContactDetails.objects.filter(person__personal_number=BENGT).update(email=OLD, email_confirmed=True)
    page.set_viewport_size({"width": 320, "height": 900})
    _log_in(page, live_server)
    page.goto("/mina-sidor/uppgifter/")
    page.locator("#change-account").click()
    expect(page).to_have_url(re.compile(r"/mina-sidor/uppgifter/konto/$"))
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
    phone_approves(bankid, BENGT, qr_on=page)
    expect(page).to_have_url(re.compile(r"/mina-sidor/uppgifter/konto/klart/$"), timeout=15000)
    expect(page.locator("#effective")).to_contain_text("nya kontot")
    fits_and_clean(page)
    row = PaymentAccount.objects.get(person__personal_number=BENGT)
    assert (row.clearing_number, row.account_number) == ("6789", "123456789")
    notices_send()
    (told,) = mail.messages(to=OLD)
    assert "ändrats" in told["subject"]
    assert "6789" not in told["text"], "the notice says nothing of the account"


def test_a_person_logged_in_with_another_swedish_eid_signs_the_change_at_the_signature_service(
    page: Page, live_server: Any, federation: SigServiceThread
) -> None:
    """Issue 17 (Done when): a person logged in with the Swedish eID test provider signs a payment-account change;
    the signing step picks the signature service by how she logged in."""
    page.goto("/logga-in/")
    page.get_by_label("Annan svensk e-legitimation").check()
    page.get_by_role("button", name="Fortsätt").click()
    _pick_karin(page)
    expect(page).to_have_url(re.compile(r"/mina-sidor/$"))
    page.goto("/mina-sidor/uppgifter/konto/")
    page.get_by_label("Clearingnummer").fill("6789")
    page.get_by_label("Kontonummer").fill("123456789")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_role("button", name="Skriv under ändringen").click()
    expect(page).to_have_url(re.compile(r"/sign/$"))
    fits_and_clean(page)
    page.get_by_role("button", name="Gå till underskriftstjänsten").click()
    expect(page.locator("#sigservice-form")).to_be_attached()
    page.get_by_role("button", name="Fortsätt till underskriftstjänsten").click()
    expect(page.locator("#selection")).to_contain_text(KARIN)
    _pick_karin(page)
    page.get_by_role("button", name="Back to the service you came from").click()
    expect(page).to_have_url(re.compile(r"/mina-sidor/uppgifter/konto/klart/$"), timeout=15000)
    fits_and_clean(page)
    row = PaymentAccount.objects.get(person__personal_number=KARIN)
    assert (row.clearing_number, row.account_number) == ("6789", "123456789")
    evidence = SignatureEvidence.objects.get(document__kind="payment-account-change")
    assert (evidence.method, evidence.signer_identifier) == ("signature_service", KARIN)
    assert evidence.sign_response, "the signature service's SignResponse is kept"
