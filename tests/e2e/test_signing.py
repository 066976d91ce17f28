"""Requirement: a person logged in with BankID signs a document in a browser with the virtual BankID app,
through the QR code on the screen (Swedish) and on the same device without JavaScript (English); the caller
gets the signature of exactly its document; the pages have no axe violations and fit 320 px. A person logged
in over SAML is told how to apply on paper and gets back to what they filled in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings

from minasidor.identity.tests.factories import make_foreign_identity, make_identity
from minasidor.identity.types import ForeignIdentity, Method
from simulators.bankid.server import SimulatorThread
from simulators.saml_idp.idp import SWEDISH_EID_ENTITY_ID
from simulators.saml_idp.server import IdpThread
from simulators.sigservice.authn import SignerAuthentication
from simulators.sigservice.keys import ServiceKeys, key_pem, pem
from simulators.sigservice.server import SigServiceThread
from simulators.sigservice.web import SignatureService
from tests.e2e.conftest import axe_violations, browser_log_in, describe, phone_approves, read_qr, virtual_app
from tests.e2e.signing_caller_urls import caller_document

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

TOLVAN = "191212121212"


@pytest.fixture(autouse=True)
def _caller(settings: Settings) -> None:
    settings.ROOT_URLCONF = "tests.e2e.signing_caller_urls"


def _clean(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.csp_violations == []  # type: ignore[attr-defined]


def _fits_320(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_sign_with_bankid_on_another_device_through_the_qr_code(
    page: Page, live_server: Any, bankid: SimulatorThread
) -> None:
    browser_log_in(page, live_server, make_identity(TOLVAN))
    page.goto("/test-signing/ask/")
    expect(page).to_have_url(re.compile(r"/sign/$"))
    expect(page.locator("#signing-summary")).to_contain_text("Ansökan om ålderspension")
    _clean(page)
    _fits_320(page)
    page.get_by_role("button", name="Skriv under med Mobilt BankID på en annan enhet").click()
    expect(page).to_have_url(re.compile(r"/sign/bankid/$"))
    expect(page.locator("#bankid-qr-image")).to_be_visible()
    _clean(page)
    _fits_320(page)
    first = read_qr(page)
    page.wait_for_timeout(1500)
    second = read_qr(page)
    assert first != second, "the QR code changes every second"
    order = virtual_app(bankid, "/app/scan", qrData=second, personalNumber=TOLVAN)
    expect(page.locator("#bankid-qr")).to_be_hidden(timeout=5000)
    virtual_app(bankid, "/app/confirm", orderRef=order["orderRef"], action="approve")
    expect(page).to_have_url(re.compile(r"/test-signing/done/$"), timeout=10000)
    expect(page.locator("#result")).to_have_text("Signed")
    expect(page.locator("#signer")).to_have_text(TOLVAN)
    expect(page.locator("#hash")).to_have_text(caller_document().hash_hex)
    expect(page.locator("#method")).to_have_text("bankid")


def test_sign_on_this_device_without_javascript_in_english(
    browser: Browser, live_server: Any, bankid: SimulatorThread
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    try:
        browser_log_in(page, live_server, make_identity(TOLVAN))
        page.goto("/test-signing/ask/")
        page.goto("/en/sign/")
        expect(page.locator("h1")).to_have_text("Sign with BankID")
        page.get_by_role("button", name="Sign with BankID on this device").click()
        expect(page).to_have_url(re.compile(r"/en/sign/bankid/$"))
        token = str(page.locator("#bankid-open").get_attribute("href")).split("autostarttoken=")[1].split("&")[0]
        phone_approves(bankid, TOLVAN, token=token)
        # Pressed at once: the button collects now, not at the next collect due two seconds after the last.
        page.get_by_role("button", name="I have signed – continue").click()
        expect(page).to_have_url(re.compile(r"/test-signing/done/$"))
        expect(page.locator("#hash")).to_have_text(caller_document().hash_hex)
    finally:
        context.close()


def test_a_saml_login_is_told_how_to_apply_on_paper(page: Page, live_server: Any) -> None:
    browser_log_in(page, live_server, make_foreign_identity())
    page.goto("/test-signing/ask/")
    page.goto("/en/sign/")
    expect(page.locator("h1")).to_have_text("Apply on paper")
    expect(page.locator("main")).to_contain_text(django_settings.CUSTOMER_SERVICE_PHONE)
    _clean(page)
    _fits_320(page)
    page.get_by_role("button", name="Back to what you filled in").click()
    expect(page.locator("#result")).to_have_text("Cancelled")


@pytest.fixture
def signature_service(settings: Settings, tmp_path: Path) -> Iterator[SigServiceThread]:
    """The test signature service, and the portal configured for it (its SAML key signs the requests)."""
    now = dt.datetime.now(dt.UTC)
    portal = ServiceKeys.generate(now=now)
    (tmp_path / "sp.key").write_bytes(key_pem(portal.signing_key))
    (tmp_path / "sp.crt").write_bytes(pem(portal.signing_cert))
    keys = ServiceKeys.generate(now=now)
    (tmp_path / "service.crt").write_bytes(pem(keys.signing_cert))
    (tmp_path / "ca.crt").write_bytes(pem(keys.ca_cert))
    with SigServiceThread(SignatureService(keys=keys, requester_cert_pem=pem(portal.signing_cert))) as thread:
        settings.SAML_KEY_FILE = str(tmp_path / "sp.key")
        settings.SAML_CERT_FILE = str(tmp_path / "sp.crt")
        settings.SIGSERVICE_URL = f"{thread.base_url}/sign"
        settings.SIGSERVICE_ENTITY_ID = thread.base_url
        settings.SIGSERVICE_SIGNING_CERT_FILE = str(tmp_path / "service.crt")
        settings.SIGSERVICE_CA_ROOT_FILE = str(tmp_path / "ca.crt")
        yield thread


def test_a_foreign_eid_signs_through_the_signature_service(
    page: Page, live_server: Any, signature_service: SigServiceThread
) -> None:
    identity = make_identity(
        TOLVAN,
        method=Method.EIDAS,
        provider="http://test-idp.minasidor.invalid/eidas-connector",
        foreign=ForeignIdentity(country="NO", prid="NO:12345", prid_persistence="B", eidas_person_identifier="NO/SE/1"),
    )
    browser_log_in(page, live_server, identity)
    page.goto("/test-signing/ask/")
    expect(page.locator("h1")).to_have_text("Skriv under med din e-legitimation")
    _clean(page)
    _fits_320(page)
    page.get_by_role("button", name="Gå till underskriftstjänsten").click()
    expect(page.locator("h1")).to_have_text("Skriv under med din e-legitimation")
    _clean(page)
    page.get_by_role("button", name="Fortsätt till underskriftstjänsten").click()
    expect(page.locator("#sign-message")).to_contain_text("Ansökan om ålderspension")
    expect(page.locator("#signer")).to_contain_text(TOLVAN)
    page.get_by_role("button", name="Sign").click()
    page.get_by_role("button", name="Back to the service you came from").click()
    expect(page).to_have_url(re.compile(r"/test-signing/done/$"))
    expect(page.locator("#method")).to_have_text("signature_service")
    expect(page.locator("#hash")).to_have_text(caller_document().hash_hex)
    expect(page.locator("#signer")).to_have_text(TOLVAN)


def test_a_swedish_eid_signs_after_logging_in_again_at_its_identity_provider(
    page: Page, live_server: Any, signature_service: SigServiceThread, tmp_path: Path
) -> None:
    """The service authenticates the signer over SAML at the test identity provider the request names."""
    with IdpThread(tmp_path / "idp") as idps:
        federation = httpx.get(idps.metadata_url, timeout=5).text
        authentication = SignerAuthentication.create(
            tmp_path / "sigservice-sp",
            entity_id=f"{signature_service.base_url}/saml/metadata",
            acs_url=f"{signature_service.base_url}/saml/acs",
            federation_metadata=federation,
        )
        for idp in idps.providers.idps.values():
            idp.load_sp_metadata(authentication.metadata())
        signature_service.service.authentication = authentication
        identity = make_identity(TOLVAN, method=Method.SWEDISH_EID, provider=SWEDISH_EID_ENTITY_ID)
        browser_log_in(page, live_server, identity)
        page.goto("/test-signing/ask/")
        page.get_by_role("button", name="Gå till underskriftstjänsten").click()
        page.get_by_role("button", name="Fortsätt till underskriftstjänsten").click()
        page.locator(f"input[name=person][value='{TOLVAN}']").check()
        page.locator("button[name=action][value=login]").click()
        page.locator("button[type=submit]").first.click()  # the IdP's page posts its answer to the service
        page.get_by_role("button", name="Back to the service you came from").click()
        expect(page).to_have_url(re.compile(r"/test-signing/done/$"))
        expect(page.locator("#method")).to_have_text("signature_service")
        expect(page.locator("#signer")).to_have_text(TOLVAN)
