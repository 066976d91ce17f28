"""Requirement: the SAML login pages: a foreign eID with or without a Swedish number, the Swedish eID, cancel,
completion only in the requesting browser, and the message form for people without a Swedish number."""

from __future__ import annotations

import datetime as dt
import json
from html import escape

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html
from pytest_django.fixtures import Settings

from minasidor.audit.models import AccessRecord
from minasidor.conf.opening_hours import OpeningHours, week_parse
from minasidor.identity.contrib.saml.models import ForeignEidMessage
from minasidor.identity.contrib.saml.tests.support import Federation, foreign_response, pending_from, swedish_response
from minasidor.identity.session import current_identity
from minasidor.identity.tests.factories import log_in, make_foreign_identity
from minasidor.identity.types import ForeignIdentity, Identity, Method
from simulators.saml_idp.idp import CONNECTOR_ENTITY_ID, STATUS_CANCEL, SWEDISH_EID_ENTITY_ID

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])  # the landing page reads the register


def _start(client: Client, method: str, prefix: str = "") -> str:
    response = client.post(f"{prefix}/logga-in/", {"method": method})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    link = html.fromstring(response.content).find(".//a[@id='saml-continue']")
    assert link is not None
    location = str(link.get("href"))
    assert location.startswith("http://idp.test/")
    assert f'content="0;url={escape(location)}"' in response.content.decode()
    return location


def _post_back(client: Client, saml_response: str) -> str:
    response = client.post("/saml/acs/", {"SAMLResponse": saml_response})
    assert response.status_code == 302
    return str(response["Location"])


def _identity_of(client: Client) -> object:
    request = type("R", (), {"session": client.session})()
    return current_identity(request)


def test_a_foreign_eid_with_a_binding_lands_on_the_persons_pages(client: Client, saml_federation: Federation) -> None:
    pending = pending_from(saml_federation.connector, _start(client, "foreign-eid"))
    complete = _post_back(client, foreign_response(saml_federation.connector, pending))
    assert complete.startswith("/logga-in/saml/klar/?token=")
    response = client.get(complete)
    assert response["Location"] == "/mina-sidor/"
    page = client.get("/mina-sidor/").content.decode()
    assert "Välkommen, Amir Haddad" in page


def test_a_foreign_eid_without_a_binding_lands_on_the_explanation_and_can_send_a_message(
    client: Client, saml_federation: Federation
) -> None:
    pending = pending_from(saml_federation.connector, _start(client, "foreign-eid"))
    response = client.get(_post_back(client, foreign_response(saml_federation.connector, pending, person="fr-unbound")))
    assert response["Location"] == "/logga-in/saml/utan-svenskt-nummer/"
    page = client.get(response["Location"]).content.decode()
    assert "Vi hittar inte dina pensionsuppgifter" in page
    assert "identitetsbindning" in page
    sent = client.post(
        "/logga-in/saml/utan-svenskt-nummer/",
        {"text": "I worked in Sweden 1995–2001.", "contact": "camille@example.org"},
    )
    assert sent.status_code == 302
    message = ForeignEidMessage.objects.get()
    assert message.country == "FR"
    assert message.prid.startswith("FR:")
    assert message.eidas_person_identifier.startswith("FR/SE/")
    assert message.subject_key == f"eidas:FR:{message.prid}"
    assert AccessRecord.objects.filter(action="contact.message_sent").count() == 1
    assert "Ditt meddelande har skickats" in client.get("/logga-in/saml/utan-svenskt-nummer/").content.decode()


def test_an_empty_message_is_refused_with_an_error(client: Client, saml_federation: Federation) -> None:
    pending = pending_from(saml_federation.connector, _start(client, "foreign-eid"))
    client.get(_post_back(client, foreign_response(saml_federation.connector, pending, person="at-unbound")))
    response = client.post("/en/logga-in/saml/utan-svenskt-nummer/", {"text": ""})
    assert response.status_code == 200
    assert "Write your message" in response.content.decode()
    assert not ForeignEidMessage.objects.exists()


@pytest.mark.parametrize(
    ("prefix", "error"),
    [
        ("", "Ta bort det svenska personnumret ur ditt meddelande."),
        ("/en", "Remove the Swedish personal identity number from your message."),
    ],
)
def test_a_swedish_personal_number_in_the_message_is_refused_on_the_page_in_both_languages(
    client: Client, prefix: str, error: str
) -> None:
    log_in(client, make_foreign_identity())
    response = client.post(
        f"{prefix}/logga-in/saml/utan-svenskt-nummer/", {"text": "Mitt personnummer är 19121212-1212.", "contact": ""}
    )
    assert response.status_code == 200
    page = html.fromstring(response.content)
    assert error in response.content.decode()
    textarea = page.find(".//textarea[@aria-describedby]")
    assert textarea is not None
    assert "19121212-1212" in (textarea.text or "")  # kept, for the person to edit
    assert not ForeignEidMessage.objects.exists()


def test_a_person_with_a_swedish_number_is_sent_from_the_explanation_to_their_pages(
    citizen_client: Client,
) -> None:
    assert citizen_client.get("/logga-in/saml/utan-svenskt-nummer/")["Location"] == "/mina-sidor/"


def test_the_swedish_eid_logs_in_like_bankid(client: Client, saml_federation: Federation) -> None:
    pending = pending_from(saml_federation.swedish_eid, _start(client, "other-swedish-eid"))
    response = client.get(_post_back(client, swedish_response(saml_federation.swedish_eid, pending)))
    assert response["Location"] == "/mina-sidor/"
    assert "Välkommen, Karin Lindqvist" in client.get("/mina-sidor/").content.decode()


@pytest.mark.parametrize(("prefix", "text"), [("", "Du avbröt inloggningen"), ("/en", "You cancelled the login")])
def test_cancel_at_the_identity_provider_gives_a_clear_message(
    client: Client, saml_federation: Federation, prefix: str, text: str
) -> None:
    pending = pending_from(saml_federation.connector, _start(client, "foreign-eid", prefix))
    cancelled = saml_federation.connector.respond_error(
        pending, status=STATUS_CANCEL, message="cancelled", now=dt.datetime.now(dt.UTC)
    )
    location = _post_back(client, cancelled)
    assert location.startswith(f"{prefix}/logga-in/saml/avbruten/?reason=cancelled")
    assert text in client.get(location).content.decode()
    assert _identity_of(client) is None


def test_the_login_completes_only_in_the_browser_that_asked(client: Client, saml_federation: Federation) -> None:
    pending = pending_from(saml_federation.connector, _start(client, "foreign-eid"))
    complete = _post_back(client, foreign_response(saml_federation.connector, pending))
    other = Client()
    response = other.get(complete)
    assert response["Location"].startswith("/logga-in/saml/avbruten/?reason=session")
    assert _identity_of(other) is None
    assert client.get(complete)["Location"].startswith("/logga-in/saml/avbruten/"), "the token was used up"


def test_a_refused_response_logs_no_one_in(client: Client, saml_federation: Federation) -> None:
    _start(client, "foreign-eid")
    location = _post_back(client, "PHNhbWxwOlJlc3BvbnNlLz4=")
    assert location.startswith("/logga-in/saml/avbruten/?reason=refused")
    assert "kunde inte godta svaret" in client.get(location).content.decode()
    assert _identity_of(client) is None


def test_the_sp_metadata_is_published(client: Client, saml_federation: Federation) -> None:
    response = client.get("/saml/metadata/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/samlmetadata+xml"
    assert b'entityID="http://testserver/saml/metadata/"' in response.content


def test_with_several_swedish_providers_the_citizen_chooses_by_display_name(
    client: Client, saml_federation: Federation, settings: Settings
) -> None:
    settings.SAML_SWEDISH_EID_PROVIDERS = (SWEDISH_EID_ENTITY_ID, CONNECTOR_ENTITY_ID)
    response = client.post("/logga-in/", {"method": "other-swedish-eid"})
    assert response["Location"] == "/logga-in/saml/valj-e-legitimation/"
    page = client.get(response["Location"]).content.decode()
    assert "Svensk e-legitimation (TEST)" in page
    assert "Utländsk e-legitimation (TEST)" in page
    chosen = client.post("/logga-in/saml/valj-e-legitimation/", {"provider": SWEDISH_EID_ENTITY_ID})
    assert chosen.status_code == 200
    assert "http://idp.test/swedish-eid/sso?SAMLRequest=" in chosen.content.decode()


def test_a_foreign_identity_survives_the_session(saml_federation: Federation) -> None:
    identity = Identity(
        method=Method.EIDAS,
        provider=CONNECTOR_ENTITY_ID,
        level_of_assurance="http://id.elegnamnden.se/loa/1.0/eidas-nf-sub",
        personal_number=None,
        foreign=ForeignIdentity(
            country="FR",
            prid="FR:0123456789",
            prid_persistence="B",
            eidas_person_identifier="FR/SE/0123456789",
            binding=("http://id.swedenconnect.se/id-binding/process/swedish-eid",),
            authenticating_authority="http://proxy.example/fr",
        ),
        given_name="Camille",
        family_name="Dubois",
        authenticated_at=dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC),
        transaction_id="_t",
    )
    assert Identity.from_session(json.loads(json.dumps(identity.to_session()))) == identity


@pytest.mark.parametrize("name", ["pensions:home", "privacy:access-log", "pensions:min-pension"])
def test_citizen_pages_work_for_someone_without_a_swedish_number(client: Client, name: str) -> None:
    identity = make_foreign_identity(provider=CONNECTOR_ENTITY_ID)
    log_in(client, identity)
    response = client.get(reverse(name))
    assert response.status_code == 200
    if name == "pensions:home":
        assert "/logga-in/saml/utan-svenskt-nummer/" in response.content.decode()


def test_a_refused_response_is_logged_by_reason_and_digest_not_whole(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 12.6: refused responses were logged whole (44 kB lines)."""
    from minasidor.identity.contrib.saml import protocol  # noqa: PLC0415
    from minasidor.identity.contrib.saml.checks import Refusal, ResponseRefusedError  # noqa: PLC0415

    posted = "PHNhbWxwOlJlc3BvbnNl" * 2000

    def refuse(*, saml_response: str) -> None:
        raise ResponseRefusedError(Refusal.UNKNOWN_IDP, f"issuer not in the federation's metadata: {saml_response}")

    monkeypatch.setattr(protocol, "login_response_consume", refuse)
    response = client.post("/saml/acs/", {"SAMLResponse": posted})
    assert response.status_code == 302
    lines = [record.getMessage() for record in caplog.records if "saml.response_refused" in record.getMessage()]
    assert len(lines) == 1
    assert "unknown_idp" in lines[0]
    assert len(lines[0]) < 1000
    assert posted[:200] not in lines[0]


def test_the_page_without_a_swedish_number_gives_customer_services_number_and_hours_as_set(
    client: Client, settings: Settings
) -> None:
    """Issue 20.5: the number and the opening hours are settings, shown where the portal tells a person to call."""
    settings.CUSTOMER_SERVICE_PHONE = "0771-000 111"
    settings.CUSTOMER_SERVICE_HOURS = OpeningHours(week_parse("mon-fri 9-15"))
    log_in(client, make_foreign_identity())
    page = client.get("/logga-in/saml/utan-svenskt-nummer/").content.decode()
    assert page.count('href="tel:+46771000111">0771-000 111</a>') >= 2  # on the page itself and in the footer
    assert "måndag–fredag 9–15" in page
    assert "0771-776 776" not in page
