"""Requirement: the public pages are server-rendered in Swedish and English, with a strict CSP and accessible forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from lxml import html
from pytest_django.fixtures import Settings

from minasidor.identity.contrib.bankid import service as bankid_service
from simulators.bankid.server import SimulatorThread

pytestmark = pytest.mark.django_db


def _doc(content: bytes) -> html.HtmlElement:
    return html.fromstring(content)


def test_start_page_is_swedish_at_the_root(client: Client) -> None:
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    doc = _doc(response.content)
    assert doc.get("lang") == "sv"
    assert doc.findtext(".//h1") == "Mina sidor"
    text = doc.text_content()
    assert "andrahandsinloggning" in text
    assert "personuppgiftsansvarig" in text
    assert "BankID på en annan enhet" in text


def test_start_page_in_english(client: Client) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    doc = _doc(response.content)
    assert doc.get("lang") == "en"
    assert doc.findtext(".//h1") == "My pages"
    assert "data controller" in doc.text_content()


def test_language_navigation_links_to_the_same_page(client: Client) -> None:
    doc = _doc(client.get("/personuppgifter/").content)
    english = doc.xpath("//nav[contains(@class,'govuk-language-navigation')]//a[@hreflang='en']")
    assert [link.get("href") for link in english] == ["/en/personuppgifter/"]
    current = doc.xpath("//nav[contains(@class,'govuk-language-navigation')]//*[@aria-current='true']")
    assert current[0].get("lang") == "sv"


def test_every_page_has_a_skip_link_and_one_main(client: Client) -> None:
    for url in ("/", "/en/", "/logga-in/", "/personuppgifter/", "/tillganglighet/", "/en/tillganglighet/"):
        doc = _doc(client.get(url).content)
        assert doc.xpath("//a[@class='govuk-skip-link']/@href") == ["#main-content"], url
        assert len(doc.xpath("//main[@id='main-content']")) == 1, url
        assert len(doc.xpath("//h1")) == 1, url


def test_csp_forbids_inline_code_and_framing(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'none'" in policy
    doc = _doc(response.content)
    assert all(script.get("src") for script in doc.xpath("//script")), "inline script found"
    assert not doc.xpath("//*[@style]"), "inline style found"
    assert not doc.xpath("//style")
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert all(script.get("nonce") == nonce for script in doc.xpath("//script"))


def test_login_choice_without_an_answer_shows_a_linked_error(client: Client) -> None:
    response = client.post("/logga-in/", {})
    assert response.status_code == 200
    doc = _doc(response.content)
    summary_links = doc.xpath("//div[contains(@class,'govuk-error-summary')]//a")
    assert [link.text_content() for link in summary_links] == ["Välj hur du vill logga in"]
    target = summary_links[0].get("href").lstrip("#")
    assert doc.xpath(f"//input[@id='{target}']"), "the summary must link to the first radio"
    fieldset = doc.xpath("//fieldset")[0]
    assert "id_method_error" in fieldset.get("aria-describedby")
    assert doc.xpath("//p[@id='id_method_error']")


def test_login_choice_rejects_an_unknown_method_politely(client: Client) -> None:
    response = client.post("/en/logga-in/", {"method": "password"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content


def test_login_choice_starts_bankid_and_redirects_after_post(client: Client, bankid: SimulatorThread) -> None:
    response = client.post("/logga-in/", {"method": "bankid-other-device"})
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/bankid/"


def test_a_foreign_eid_without_a_reachable_federation_says_it_is_unavailable(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    settings.SAML_METADATA_URL = str(tmp_path / "missing-metadata.xml")
    response = client.post("/logga-in/", {"method": "foreign-eid"}, follow=True)
    assert response.status_code == 200
    assert "inte tillgängligt just nu" in response.content.decode()


def test_misconfigured_bankid_is_shown_as_a_failure_not_an_error_page(client: Client, settings: Settings) -> None:
    settings.BANKID_CERT_FILE = "/nonexistent/rp.pem"
    bankid_service.reset()
    response = client.post("/logga-in/", {"method": "bankid-other-device"})
    assert response.status_code == 503
    assert "Något gick fel. Försök igen." in response.content.decode()


def test_unknown_login_method_is_not_found(client: Client) -> None:
    assert client.get("/logga-in/password/").status_code == 404


def test_head_is_answered_like_get(client: Client) -> None:
    assert client.head("/").status_code == 200


def test_a_citizen_already_logged_in_is_sent_from_the_login_page_to_their_pages(citizen_client: Client) -> None:
    response = citizen_client.get("/logga-in/")
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"


def test_someone_not_logged_in_gets_the_login_page(client: Client) -> None:
    response = client.get("/logga-in/")
    assert response.status_code == 200
    assert "Hur vill du logga in?" in response.content.decode()
