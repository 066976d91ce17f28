"""Requirement (issue 17, done when): in a browser, a person logs in with a foreign eID through the test eIDAS
connector, bound to her Swedish number, applies for old-age pension one question at a time, signs through the
test signature service (the portal's SignRequest, a new login at the same connector, which shows her the sign
message, the service's SignResponse), gets the receipt sealed as in the BankID path, and a case handler sees
the signature service's evidence on the case's page. No axe violations on the portal's pages; they fit
320 px. In Swedish and in English. A foreign eID without a binding is shown the way to apply on paper.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from kernel import clock, totp
from minasidor.applications.models import SignedApplication, SubmissionStatus
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.casehandling.decorators import CASE_HANDLERS_GROUP
from minasidor.identity.contrib.saml import config
from minasidor.identity.contrib.saml.keys import ensure_keys
from minasidor.registers.types import SignatureEvidence, SignatureMethod
from minasidor.signing import configured
from minasidor.signing.seal import pdf_seal_check
from minasidor.signing_step import sigservice
from minasidor.signing_step.verification import KeptSignature, kept_signature_verify
from minasidor.staff.models import StaffTotpDevice
from minasidor.staff.services import totp_device_create
from simulators.saml_idp.persons import foreign_person
from simulators.saml_idp.server import IdpThread
from simulators.sigservice.authn import SignerAuthentication
from simulators.sigservice.keys import ServiceKeys, pem
from simulators.sigservice.server import SigServiceThread
from simulators.sigservice.web import SignatureService
from tests.e2e.conftest import axe_violations, clean_at_320, describe
from tests.e2e.test_application import _answer

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "backoffice"])

KARIN = "196201082697"
PERSONA = "fi-bound-pnr"  # Karin's Finnish eID, bound to her personal identity number
PASSWORD = "a-test-only-password-for-a-handler-2"  # test-only
STAFF = "/" + django_settings.STAFF_ADMIN_PATH


@pytest.fixture
def federation(live_server: Any, settings: Settings, demo_portal: None, tmp_path: Path) -> Iterator[SigServiceThread]:
    """The test identity providers (the eIDAS connector among them) trusted by the portal, the test signature
    service trusted by the portal and authenticating signers at those providers, a development seal for the
    receipt, and the demo persons."""
    keys_dir = tmp_path / "saml-sp-keys"
    settings.SAML_KEY_FILE = str(keys_dir / "sign-key.pem")
    settings.SAML_CERT_FILE = str(keys_dir / "sign.crt")
    settings.SAML_ENCRYPTION_KEY_FILE = str(keys_dir / "enc-key.pem")
    settings.SAML_ENCRYPTION_CERT_FILE = str(keys_dir / "enc.crt")
    ensure_keys()
    with IdpThread(tmp_path / "idp") as idps:
        settings.SAML_METADATA_URL = idps.metadata_url
        settings.SAML_METADATA_CERT_FILE = str(idps.providers.keys["federation"].cert_file)
        idps.providers.sp_metadata_url = f"{live_server.url}/saml/metadata/"
        config.reset()
        cache.clear()
        keys = ServiceKeys.generate(now=dt.datetime.now(dt.UTC))
        (tmp_path / "service.crt").write_bytes(pem(keys.signing_cert))
        (tmp_path / "ca.crt").write_bytes(pem(keys.ca_cert))
        portal_cert = Path(settings.SAML_CERT_FILE).read_bytes()
        with SigServiceThread(SignatureService(keys=keys, requester_cert_pem=portal_cert)) as service:
            authentication = SignerAuthentication.create(
                tmp_path / "sigservice-sp",
                entity_id=f"{service.base_url}/saml/metadata",
                acs_url=f"{service.base_url}/saml/acs",
                federation_metadata=httpx.get(idps.metadata_url, timeout=5).text,
            )
            for idp in idps.providers.idps.values():
                idp.load_sp_metadata(authentication.metadata())
            service.service.authentication = authentication
            settings.SIGSERVICE_URL = f"{service.base_url}/sign"
            settings.SIGSERVICE_ENTITY_ID = service.base_url
            settings.SIGSERVICE_SIGNING_CERT_FILE = str(tmp_path / "service.crt")
            settings.SIGSERVICE_CA_ROOT_FILE = str(tmp_path / "ca.crt")
            yield service
    config.reset()


def _evidence(data: dict[str, str]) -> SignatureEvidence:
    return SignatureEvidence(
        method=SignatureMethod(data["method"]),
        signer_identifier=data["signer_identifier"],
        signed_at=dt.datetime.fromisoformat(data["signed_at"]),
        signature=data["signature"],
        ocsp_response=data["ocsp_response"],
        sign_response=data["sign_response"],
        signer_certificate=data["signer_certificate"],
    )


def _at_the_connector(page: Page) -> None:
    """The test eIDAS connector's page: Karin's Finnish eID, sharing her bound Swedish number."""
    expect(page.get_by_text("Test identity provider – for testing only")).to_be_visible()
    page.locator(f"input[name=person][value='{PERSONA}']").check()
    page.get_by_label("Yes, share it").check()
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Continue to the service").click()


def _handler_sees_the_evidence(page: Page, case_id: Any) -> None:
    """A case handler logs in (password and code) and opens the case: the signature service's evidence."""
    user = get_user_model().objects.create_user(username="handlaggare-e2e", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=CASE_HANDLERS_GROUP)[0])
    totp_device_create(user=user)
    device = StaffTotpDevice.objects.get(user=user)
    page.context.clear_cookies()
    page.goto(f"{STAFF}login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=otp]").fill(totp.totp(totp.key_from(device.secret), clock.now()))
    page.locator("input[name=otp]").press("Enter")
    page.goto(f"{STAFF}arenden/{case_id}/")
    expect(page.locator("#evidence-method")).to_have_text("Underskriftstjänst")
    expect(page.locator("main")).to_contain_text(KARIN)
    expect(page.locator("main")).to_contain_text("SignResponse")
    # The handler's pages' axe and 320 px checks are casework's (issue 18.4): the layout is not checked here.
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@dataclasses.dataclass(frozen=True)
class Texts:
    """What the journey reads and presses, in one language."""

    prefix: str
    foreign_eid: str
    cont: str
    apply: str
    start: str
    sign: str
    sign_heading: str
    summary: str
    go: str
    go_on: str


SWEDISH = Texts(
    prefix="",
    foreign_eid="Utländsk e-legitimation (eIDAS)",
    cont="Fortsätt",
    apply="Ansök om ålderspension",
    start="Börja ansökan",
    sign="Skriv under ansökan",
    sign_heading="Skriv under med din e-legitimation",
    summary="Ansökan om allmän ålderspension",
    go="Gå till underskriftstjänsten",
    go_on="Fortsätt till underskriftstjänsten",
)
ENGLISH = Texts(
    prefix="/en",
    foreign_eid="Foreign eID (eIDAS)",
    cont="Continue",
    apply="Apply for old-age pension",
    start="Start the application",
    sign="Sign the application",
    sign_heading="Sign with your e-ID",
    summary="Application for old-age pension",
    go="Go to the signature service",
    go_on="Continue to the signature service",
)


@pytest.mark.parametrize("texts", [SWEDISH, ENGLISH], ids=["sv", "en"])
def test_a_foreign_eid_bound_to_her_number_applies_signs_at_the_signature_service_and_the_handler_sees_it(
    page: Page, live_server: Any, federation: SigServiceThread, texts: Texts
) -> None:
    page.goto(f"{texts.prefix}/logga-in/")
    page.get_by_label(texts.foreign_eid).check()
    page.get_by_role("button", name=texts.cont).click()
    _at_the_connector(page)
    expect(page).to_have_url(re.compile(rf"{texts.prefix}/mina-sidor/$"))
    expect(page.locator("#greeting")).to_contain_text("Karin Lindqvist")
    page.get_by_role("link", name=texts.apply).first.click()
    expect(page.locator("h1")).to_have_text(texts.apply)
    clean_at_320(page)
    page.get_by_role("button", name=texts.start).click()
    _answer(page, cont=texts.cont, check_each=True)
    page.get_by_role("button", name=texts.sign).click()
    expect(page).to_have_url(re.compile(rf"{texts.prefix}/sign/$"))
    expect(page.locator("h1")).to_have_text(texts.sign_heading)
    expect(page.locator("#signing-summary")).to_contain_text(texts.summary)
    clean_at_320(page)
    page.get_by_role("button", name=texts.go).click()
    expect(page.locator("#sigservice-form")).to_be_attached()
    clean_at_320(page)
    page.get_by_role("button", name=texts.go_on).click()
    # The signature service's own login at the connector the portal named, asking for Karin by her bound number
    # and her foreign eID's prid (principal selection), and showing her what she signs (the sign message).
    expect(page.locator("#selection")).to_contain_text(KARIN)
    expect(page.locator("#selection")).to_contain_text(foreign_person(PERSONA).prid)
    expect(page.locator("#sign-message")).to_contain_text(texts.summary)
    _at_the_connector(page)
    page.get_by_role("button", name="Back to the service you came from").click()
    expect(page).to_have_url(re.compile(rf"{texts.prefix}/mina-sidor/ansok/ansokan/[0-9a-f-]+/$"), timeout=15000)
    expect(page.locator("#received")).to_be_visible()
    clean_at_320(page)

    row = SignedApplication.objects.get()
    assert row.status == SubmissionStatus.SENT
    assert row.evidence["method"] == "signature_service"
    assert row.evidence["signer_identifier"] == KARIN
    eidas = foreign_person(PERSONA)
    assert row.principal_ref == pseudonym_for(f"eidas:FI:{eidas.prid}"), "the foreign eID acted"
    assert AccessRecord.objects.filter(action="application.signed", principal_ref=row.principal_ref).exists()
    kept = KeptSignature(
        kind=row.kind,
        version=row.version,
        canonical_bytes=bytes(row.canonical_bytes),
        sha256=row.sha256,
        summary=row.summary,
        evidence=_evidence(row.evidence),
    )
    assert kept_signature_verify(kept, root_file="", service=sigservice.service()).hash_hex == row.sha256

    receipt = page.request.get(str(page.locator("#receipt-link").get_attribute("href")))
    assert receipt.headers["content-type"] == "application/pdf"
    roots = configured.configured_trust_roots()
    with ThreadPoolExecutor(1) as thread:  # pyHanko runs its own event loop; Playwright's runs in this thread
        assert thread.submit(pdf_seal_check, receipt.body(), trust_roots=roots).result().level == "B-B"
    _handler_sees_the_evidence(page, row.case_id)


def test_a_foreign_eid_without_a_binding_is_shown_the_way_to_apply_on_paper(
    page: Page, live_server: Any, federation: SigServiceThread
) -> None:
    """Never a dead end: the application explains, offers paper and a message, and how to come back bound."""
    page.goto("/logga-in/")
    page.get_by_label(SWEDISH.foreign_eid).check()
    page.get_by_role("button", name=SWEDISH.cont).click()
    expect(page.get_by_text("Test identity provider – for testing only")).to_be_visible()
    page.locator("input[name=person][value='fr-unbound']").check()
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Continue to the service").click()
    expect(page).to_have_url(re.compile(r"/logga-in/saml/utan-svenskt-nummer/$"))
    page.goto("/mina-sidor/ansok/")
    expect(page.locator("h1")).to_have_text(SWEDISH.apply)
    paper = page.locator("#unavailable-foreign-eid")
    expect(paper).to_contain_text("Ansök på papper")
    expect(paper).to_contain_text(django_settings.CUSTOMER_SERVICE_PHONE)
    expect(paper).to_contain_text("identitetsmatchning")
    clean_at_320(page)
    page.get_by_role("link", name="Skicka ett meddelande till kundservice i stället").click()
    expect(page).to_have_url(re.compile(r"/logga-in/saml/utan-svenskt-nummer/$"))
    expect(page.get_by_label("Ditt meddelande")).to_be_visible()
