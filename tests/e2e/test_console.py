"""Requirement (issue 19, "Done when"): in browsers, a citizen gives a 15-minute permission for the overview;
the agent logs in through the development OIDC provider and a second factor, enters the code and sees the
overview's figures equal to the citizen's; the citizen ends the permission and the agent's next request
shows nothing; a permission also ends by time with the clock moved. Zero axe violations, the citizen's
pages in both languages, the console in Swedish."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings

from kernel import clock, totp
from minasidor.console.services import agent_account_create
from minasidor.identity.tests.factories import make_identity
from simulators.bankid.server import SimulatorThread
from simulators.staff_idp.server import StaffIdpThread
from tests.e2e.conftest import browser_log_in, no_axe_violations

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice"),
]

JOHAN = "198501139995"


@pytest.fixture
def staff_idp(live_server: Any, settings: Settings) -> Iterator[StaffIdpThread]:
    with StaffIdpThread(redirect_uris=(live_server.url + "/kundservice/oidc/callback/",)) as idp:
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = idp.issuer + "/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = idp.issuer + "/token"
        settings.OIDC_OP_USER_ENDPOINT = idp.issuer + "/userinfo"
        settings.OIDC_OP_JWKS_ENDPOINT = idp.issuer + "/jwks"
        yield idp


def _citizen(page: Page, live_server: Any) -> None:
    browser_log_in(page, live_server, make_identity(JOHAN, given_name="Johan", family_name="Sund"))


def _give(page: Page) -> str:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/mina-sidor/tillfallig-behorighet/")
    no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scroll at 320 px"
    page.get_by_label("Din pensionsöversikt och dina pensionsbesked").check()
    page.get_by_label("15 minuter").check()
    page.get_by_role("button", name="Ge behörighet och visa koden").click()
    code = page.get_by_test_id("permission-code").inner_text()
    assert re.fullmatch(r"\d{3} \d{3}", code)
    no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scroll at 320 px"
    page.set_viewport_size({"width": 1280, "height": 800})
    return code


def _agent(browser: Browser, live_server: Any) -> Page:
    """An agent's browser, logged in through the provider's page and the authenticator code."""
    _user, device = agent_account_create(staff_number="K1001", name="Kim Kundberg")
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    agent = context.new_page()
    agent.csp_violations = []  # type: ignore[attr-defined]
    agent.goto("/kundservice/logga-in/")
    expect(agent.locator("#never-asked")).to_contain_text("säkerhetskod")
    no_axe_violations(agent)
    agent.get_by_role("button", name="Logga in som personal").click()
    agent.get_by_label("Användarnamn").fill("kim")
    agent.get_by_label("Lösenord").fill("kundservice-dev")
    agent.get_by_role("button", name="Logga in").click()
    expect(agent).to_have_url(re.compile(r"/kundservice/andra-steget/$"))
    no_axe_violations(agent)
    agent.get_by_label("Kod från autentiseringsappen").fill(totp.totp(totp.key_from(device.secret), clock.now()))
    agent.get_by_role("button", name="Fortsätt").click()
    expect(agent).to_have_url(re.compile(r"/kundservice/$"))
    no_axe_violations(agent)
    return agent


def test_a_permission_from_code_to_the_end(
    page: Page, browser: Browser, live_server: Any, staff_idp: StaffIdpThread
) -> None:
    _citizen(page, live_server)
    page.goto("/mina-sidor/")
    citizens_total = page.locator('#earned-pension [data-amount="total"]').inner_text()
    code = _give(page)
    page.goto("/en/mina-sidor/tillfallig-behorighet/")
    expect(page.get_by_test_id("permission-holder")).to_contain_text("Nobody yet")
    no_axe_violations(page)

    agent = _agent(browser, live_server)
    agent.get_by_label("Medborgarens kod").fill(code)
    agent.get_by_role("button", name="Använd koden").click()
    expect(agent.locator('#earned-pension [data-amount="total"]')).to_have_text(citizens_total)
    no_axe_violations(agent)
    overview_url = agent.url

    page.goto("/mina-sidor/tillfallig-behorighet/")
    expect(page.get_by_test_id("permission-holder")).to_have_text("Kim Kundberg (K1001)")
    expect(page.locator("#permission-banner-title")).to_be_visible()
    page.get_by_role("button", name="Avsluta behörigheten nu").click()
    expect(page.get_by_label("15 minuter")).to_be_visible()

    response = agent.goto(overview_url)
    assert response is not None
    assert response.status == 404
    expect(agent.locator("body")).not_to_contain_text(citizens_total)

    page.goto("/en/mina-sidor/vem-har-sett-mina-uppgifter/")
    expect(page.locator("table")).to_contain_text("Customer service (K1001)")
    expect(page.locator("table")).to_contain_text("Customer service looked at your pension overview and statements")
    no_axe_violations(page)


def test_a_permission_ends_by_itself_when_its_time_is_up(
    page: Page, browser: Browser, live_server: Any, staff_idp: StaffIdpThread, frozen_clock: clock.FrozenClock
) -> None:
    _citizen(page, live_server)
    code = _give(page)
    agent = _agent(browser, live_server)
    agent.get_by_label("Medborgarens kod").fill(code)
    agent.get_by_role("button", name="Använd koden").click()
    overview_url = agent.url
    frozen_clock.advance(dt.timedelta(minutes=9))
    assert agent.goto(overview_url).status == 200  # type: ignore[union-attr]
    frozen_clock.advance(dt.timedelta(minutes=6))
    assert agent.goto(overview_url).status == 404  # type: ignore[union-attr]
    agent.goto("/kundservice/")
    expect(agent.locator("body")).to_contain_text("Inga. Du ser inga uppgifter")


@pytest.mark.usefixtures("flushable_access_log")
def test_a_caller_identified_by_phone_auth_through_the_virtual_app(
    browser: Browser,
    live_server: Any,
    staff_idp: StaffIdpThread,
    bankid: SimulatorThread,
    frozen_clock: clock.FrozenClock,
) -> None:
    agent = _agent(browser, live_server)
    agent.get_by_role("link", name="Eller identifiera den som ringer med BankID i deras telefon").click()
    no_axe_violations(agent)
    agent.get_by_label("Den som ringer: personnummer").fill("19121212-1212")
    agent.get_by_label("Medborgaren ringde oss").check()
    agent.get_by_label("Din pensionsöversikt och dina pensionsbesked").check()
    agent.get_by_label("15 minuter").check()
    agent.get_by_role("button", name="Skicka begäran till BankID hos den som ringer").click()
    expect(agent.get_by_role("status")).to_contain_text("Be den som ringer öppna BankID-appen")
    no_axe_violations(agent)

    phone = browser.new_context(base_url=bankid.app_base_url).new_page()
    phone.goto("/")
    phone.locator('form[action="/phone"] input[value="191212121212"]').check()
    phone.get_by_role("button", name="Take the order").click()
    expect(phone.locator("body")).to_contain_text("Kim Kundberg (K1001)")
    if phone.get_by_role("button", name="Yes, I am in a call").count():
        phone.get_by_role("button", name="Yes, I am in a call").click()
    phone.get_by_role("button", name="Identify").click()

    frozen_clock.advance(dt.timedelta(seconds=2))
    agent.get_by_role("button", name="Kontrollera igen").click()
    expect(agent).to_have_url(re.compile(r"/kundservice/behorighet/[0-9a-f-]+/$"))
    expect(agent.locator("h1")).to_contain_text("Tolvan")
    no_axe_violations(agent)


@pytest.mark.usefixtures("flushable_access_log")
def test_an_agent_registers_a_passkey_and_uses_it_as_the_second_step(
    browser: Browser, live_server: Any, staff_idp: StaffIdpThread
) -> None:
    agent = _agent(browser, live_server)
    cdp = agent.context.new_cdp_session(agent)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    agent.get_by_role("link", name="Nyckel för andra steget").click()
    no_axe_violations(agent)
    agent.get_by_role("button", name="Skapa en nyckel").click()
    expect(agent.locator("#passkey-registered")).to_be_visible()
    agent.get_by_role("button", name="Logga ut").click()

    agent.get_by_role("button", name="Logga in som personal").click()
    agent.get_by_label("Användarnamn").fill("kim")
    agent.get_by_label("Lösenord").fill("kundservice-dev")
    agent.get_by_role("button", name="Logga in").click()
    expect(agent).to_have_url(re.compile(r"/kundservice/andra-steget/$"))
    no_axe_violations(agent)
    agent.get_by_role("button", name="Använd din nyckel").click()
    expect(agent).to_have_url(re.compile(r"/kundservice/$"))


def _fits_320(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scroll at 320 px"
    no_axe_violations(page)


def test_a_caller_identified_by_personal_number_and_personal_code(
    page: Page, browser: Browser, live_server: Any, staff_idp: StaffIdpThread
) -> None:
    """Issue 20.2: a wrong code gives nothing, the right one the overview with the citizen's own figures."""
    from backoffice.personal_codes.codes import code_derive  # noqa: PLC0415

    _citizen(page, live_server)
    page.goto("/mina-sidor/")
    citizens_total = page.locator('#earned-pension [data-amount="total"]').inner_text()
    code = code_derive(JOHAN, "statement-2025")
    agent = _agent(browser, live_server)
    agent.get_by_role("link", name="Eller identifiera den som ringer med personnummer och personlig kod").click()
    _fits_320(agent)
    agent.get_by_label("Den som ringer: personnummer").fill("19850113-9995")
    agent.get_by_label("Den personliga kod som den som ringer läser upp").fill(f"{(int(code) + 1) % 10**8:08d}")
    agent.get_by_role("button", name="Kontrollera koden").click()
    expect(agent.locator(".govuk-error-summary")).to_contain_text("stämmer inte")
    _fits_320(agent)
    agent.get_by_label("Den personliga kod som den som ringer läser upp").fill(code)
    agent.get_by_role("button", name="Kontrollera koden").click()
    expect(agent.locator('#earned-pension [data-amount="total"]')).to_have_text(citizens_total)
    _fits_320(agent)

    page.goto("/mina-sidor/vem-har-sett-mina-uppgifter/")
    expect(page.locator("table")).to_contain_text("fel personlig kod")
    expect(page.locator("table")).to_contain_text("identifierade dig med din personliga kod")


def test_the_agent_reads_a_case_with_its_messages_and_notes_the_call(
    page: Page, browser: Browser, live_server: Any, staff_idp: StaffIdpThread
) -> None:
    """Issue 19: within the cases scope the agent opens a case, reads its messages and notes the call; the
    citizen sees the note in the case's history in both languages."""
    from minasidor.cases.tests.factories import question_open  # noqa: PLC0415

    citizen = make_identity(JOHAN, given_name="Johan", family_name="Sund")
    case = question_open(citizen, subject="Min utbetalning", text="När kommer pengarna?")
    _citizen(page, live_server)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/mina-sidor/tillfallig-behorighet/")
    page.get_by_label("Dina ärenden och meddelanden").check()
    page.get_by_label("15 minuter").check()
    page.get_by_role("button", name="Ge behörighet och visa koden").click()
    code = page.get_by_test_id("permission-code").inner_text()

    agent = _agent(browser, live_server)
    agent.get_by_label("Medborgarens kod").fill(code)
    agent.get_by_role("button", name="Använd koden").click()
    agent.get_by_role("link", name="Fråga till myndigheten").click()
    expect(agent.locator("main")).to_contain_text("När kommer pengarna?")
    _fits_320(agent)
    agent.get_by_role("button", name="Spara anteckningen").click()
    expect(agent.locator(".govuk-error-summary")).to_contain_text("Skriv vad samtalet handlade om")
    _fits_320(agent)
    agent.get_by_label("Anteckning om samtalet").fill("Ringde om utbetalningen; beslut inom två veckor.")
    agent.get_by_role("button", name="Spara anteckningen").click()
    expect(agent.get_by_role("alert")).to_contain_text("Samtalet är antecknat i ärendet.")
    _fits_320(agent)

    for prefix, title in (("", "Telefonsamtal med kundservice"), ("/en", "Telephone call with customer service")):
        page.goto(f"{prefix}/mina-sidor/arenden/{case.case_id}/")
        expect(page.locator("#timeline")).to_contain_text(title)
        expect(page.locator("#timeline")).to_contain_text("Ringde om utbetalningen; beslut inom två veckor.")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scroll"
        no_axe_violations(page)
