"""Requirement: the login page asks one accessible question in Swedish and English, begins the chosen login after
the POST, says plainly when a method is unavailable, and sends a citizen already logged in on to their pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from lxml import html
from pytest_django.fixtures import Settings

from minasidor.identity.contrib.bankid import connection as bankid_connection
from simulators.bankid.server import SimulatorThread

pytestmark = pytest.mark.django_db


def _doc(content: bytes) -> html.HtmlElement:
    return html.fromstring(content)


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
    bankid_connection.reset()
    response = client.post("/logga-in/", {"method": "bankid-other-device"})
    assert response.status_code == 503
    assert "Något gick fel. Försök igen." in response.content.decode()


def test_a_citizen_already_logged_in_is_sent_from_the_login_page_to_their_pages(citizen_client: Client) -> None:
    response = citizen_client.get("/logga-in/")
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"


def test_someone_not_logged_in_gets_the_login_page(client: Client) -> None:
    response = client.get("/logga-in/")
    assert response.status_code == 200
    assert "Hur vill du logga in?" in response.content.decode()
