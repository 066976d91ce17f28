"""Requirement: a login gives a new session id and an access record; logout ends the session on the server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.identity.types import LOA3, ForeignIdentity, Identity, Method

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])  # the landing page reads the register


def test_login_rotates_the_session_id_and_records_the_login(client: Client) -> None:
    client.get("/")
    session = client.session
    session["before"] = "anonymous"
    session.save()
    anonymous_key = session.session_key
    assert anonymous_key is not None
    client.cookies[settings.SESSION_COOKIE_NAME] = anonymous_key
    log_in(client, make_identity())
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != anonymous_key
    record = AccessRecord.objects.get(action="login.completed")
    assert record.subject_ref == pseudonym_for("se:191212121212")


def test_pages_behind_login_send_visitors_to_log_in(client: Client) -> None:
    response = client.get("/mina-sidor/")
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/"


def test_the_logged_in_citizen_is_greeted_by_name_and_nothing_is_cached(citizen_client: Client) -> None:
    response = citizen_client.get("/mina-sidor/")
    assert response.status_code == 200
    assert "Välkommen, Tolvan Tolvansson" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "191212121212" not in response.content.decode()


def test_logout_ends_the_session_on_the_server_and_a_replayed_cookie_gets_nothing(citizen_client: Client) -> None:
    stolen = citizen_client.cookies[settings.SESSION_COOKIE_NAME].value
    response = citizen_client.post("/logga-ut/")
    assert response.status_code == 302
    assert response["Location"] == "/utloggad/"
    assert not Session.objects.filter(session_key=stolen).exists()
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert attacker.get("/mina-sidor/").status_code == 302
    assert AccessRecord.objects.filter(action="login.ended").count() == 1


def test_logout_needs_post_and_csrf() -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.get("/logga-ut/").status_code == 405
    assert strict.post("/logga-ut/").status_code == 403


def test_the_access_log_page_lists_the_citizens_own_events(citizen_client: Client) -> None:
    log_in(Client(), make_identity("196201082697"))
    response = citizen_client.get("/en/mina-sidor/vem-har-sett-mina-uppgifter/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Logged in to My pages" in text
    assert text.count("Logged in to My pages") == 1, "another person's login must not show"


def test_identity_round_trips_through_the_session_form() -> None:
    identity = make_identity()
    assert Identity.from_session(identity.to_session()) == identity
    assert identity.subject_key == "se:191212121212"
    assert identity.display_name == "Tolvan Tolvansson"


def test_a_foreign_identity_without_a_swedish_number() -> None:
    identity = Identity(
        method=Method.EIDAS,
        provider="https://connector.example",
        level_of_assurance=LOA3,
        personal_number=None,
        foreign=ForeignIdentity(
            country="DE", prid="DE:abc123", prid_persistence="A", eidas_person_identifier="DE/SE/x"
        ),
        given_name="Erika",
        family_name="Mustermann",
        authenticated_at=dt.datetime(2026, 11, 28, tzinfo=dt.UTC),
        transaction_id="t",
    )
    assert identity.subject_key == "eidas:DE:DE:abc123"
    assert Identity.from_session(identity.to_session()) == identity


def test_an_identity_needs_someone_to_be() -> None:
    template = make_identity()
    with pytest.raises(ValueError, match="Swedish number or a foreign"):
        Identity(
            method=template.method,
            provider=template.provider,
            level_of_assurance=template.level_of_assurance,
            personal_number=None,
            given_name="A",
            family_name="B",
            authenticated_at=template.authenticated_at,
            transaction_id="t",
        )


def test_extend_returns_only_to_a_path_of_ours(citizen_client: Client) -> None:
    back = citizen_client.post("/sessionen/forlang/", {"next": "/mina-sidor/"})
    assert back["Location"] == "/mina-sidor/"
    for unsafe in ("foreign-eid", "https://evil.example/", "//evil.example/x", "identity:login"):
        response = citizen_client.post("/sessionen/forlang/", {"next": unsafe})
        assert response.status_code == 302, unsafe
        assert response["Location"] == "/mina-sidor/", unsafe
