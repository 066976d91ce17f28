"""Requirement: foreign eID (eIDAS) and other Swedish e-IDs log in through the test identity providers in a
browser: with a binding to that person's pages, without one to the explanation and message form, the
Swedish eID like BankID, cancel with a clear message; zero axe violations on the portal's pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from minasidor.identity.contrib.saml import config
from minasidor.identity.contrib.saml.models import ForeignEidMessage
from simulators.saml_idp.server import IdpThread
from tests.e2e.conftest import axe_violations, describe

# The landing page after login reads the register (the back office's database).
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])


@pytest.fixture(scope="module")
def idp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdpThread]:
    with IdpThread(tmp_path_factory.mktemp("saml-idp")) as thread:
        yield thread


@pytest.fixture
def idps(
    idp_server: IdpThread, live_server: Any, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IdpThread]:
    """The portal trusting the test IdPs' signed aggregate; the IdPs fetch the portal's SP metadata."""
    keys = tmp_path_factory.getbasetemp() / "saml-sp-keys"
    settings.SAML_METADATA_URL = idp_server.metadata_url
    settings.SAML_METADATA_CERT_FILE = str(idp_server.providers.keys["federation"].cert_file)
    settings.SAML_KEY_FILE = str(keys / "sign-key.pem")
    settings.SAML_CERT_FILE = str(keys / "sign.crt")
    settings.SAML_ENCRYPTION_KEY_FILE = str(keys / "enc-key.pem")
    settings.SAML_ENCRYPTION_CERT_FILE = str(keys / "enc.crt")
    idp_server.providers.sp_metadata_url = f"{live_server.url}/saml/metadata/"
    config.reset()
    cache.clear()
    yield idp_server
    config.reset()


def _choose(page: Page, label: str, prefix: str = "") -> None:
    page.goto(f"{prefix}/logga-in/")
    page.get_by_label(label).check()
    page.get_by_role("button", name=re.compile("Fortsätt|Continue")).click()
    expect(page.get_by_text("Test identity provider – for testing only")).to_be_visible()


def _pick(page: Page, person: str, *, share: bool | None = None) -> None:
    page.get_by_label(re.compile(person)).check()
    if share is not None:
        page.get_by_label("Yes, share it" if share else "No, do not share it").check()
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Continue to the service").click()


def _no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_the_login_page_offers_both_beside_bankid(page: Page) -> None:
    page.goto("/logga-in/")
    expect(page.get_by_label("Utländsk e-legitimation (eIDAS)")).to_be_visible()
    expect(page.get_by_label("Annan svensk e-legitimation")).to_be_visible()
    expect(page.get_by_label("BankID på den här enheten")).to_be_visible()
    _no_axe_violations(page)


def test_a_foreign_eid_with_a_binding_lands_on_that_persons_pages(page: Page, idps: IdpThread) -> None:
    _choose(page, "Utländsk e-legitimation (eIDAS)")
    _pick(page, "Amir Haddad", share=True)
    expect(page).to_have_url(re.compile(r"/mina-sidor/$"))
    expect(page.locator("#greeting")).to_contain_text("Välkommen, Amir Haddad")
    _no_axe_violations(page)


def test_a_foreign_eid_without_a_binding_lands_on_the_explanation_and_sends_a_message(
    page: Page, idps: IdpThread, tmp_path: Path
) -> None:
    _choose(page, "Foreign eID (eIDAS)", prefix="/en")
    _pick(page, "Camille Dubois")
    expect(page).to_have_url(re.compile(r"/en/logga-in/saml/utan-svenskt-nummer/$"))
    expect(page.locator("h1")).to_have_text("We cannot find your pension details")
    expect(page.get_by_text("How identity binding works")).to_be_visible()
    _no_axe_violations(page)
    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write your message")
    _no_axe_violations(page)
    page.get_by_label("Your message").fill("I worked in Sweden from 1995 to 2001.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Your message has been sent to customer service.")).to_be_visible()
    _no_axe_violations(page)
    assert ForeignEidMessage.objects.get().country == "FR"


def test_declining_to_share_the_binding_lands_on_the_explanation(page: Page, idps: IdpThread) -> None:
    _choose(page, "Utländsk e-legitimation (eIDAS)")
    _pick(page, "Amir Haddad", share=False)
    expect(page.locator("h1")).to_have_text("Vi hittar inte dina pensionsuppgifter")
    _no_axe_violations(page)


def test_the_swedish_eid_logs_in_like_bankid(page: Page, idps: IdpThread) -> None:
    _choose(page, "Annan svensk e-legitimation")
    _pick(page, "Karin Lindqvist")
    expect(page).to_have_url(re.compile(r"/mina-sidor/$"))
    expect(page.locator("#greeting")).to_contain_text("Välkommen, Karin Lindqvist")


def test_cancel_at_the_identity_provider_gives_a_clear_message(page: Page, idps: IdpThread) -> None:
    _choose(page, "Utländsk e-legitimation (eIDAS)")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Continue to the service").click()
    expect(page.locator("h1")).to_have_text("Du avbröt inloggningen")
    expect(page.get_by_role("alert")).to_contain_text("Inget har sparats")
    _no_axe_violations(page)
    page.get_by_role("button", name="Försök igen").click()
    expect(page.get_by_text("Test identity provider – for testing only")).to_be_visible()


def test_the_test_identity_providers_pages_have_no_axe_violations(page: Page, idps: IdpThread) -> None:
    _choose(page, "Utländsk e-legitimation (eIDAS)")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("button", name="Continue to the service")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
