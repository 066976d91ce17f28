"""Requirement (issue 18.3): the citizen changes phone, e-mail, notices, the language of letters and the special
postal address; a new e-mail address is confirmed by a one-time link before it is used (the old one stays in use
until then); bad input gets a clear, polite reason at the field in the page's language and nothing typed is lost;
another person's link confirms nothing; every change is in the access log.
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from backoffice.notices.confirmation import token_for
from backoffice.notices.models import EmailConfirmation, Notice
from backoffice.register.models import ContactDetails
from minasidor.audit.models import AccessRecord
from minasidor.details.services import CONTACT_CHANGED
from minasidor.identity.session import identity_login
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.registers import registers
from minasidor.registers.types import RegistersUnavailableError

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

BENGT = "195801082743"
JOHAN = "198501139995"
OVERVIEW = "/mina-sidor/uppgifter/"
CONTACT = "/mina-sidor/uppgifter/kontakt/"
LANGUAGE = "/mina-sidor/uppgifter/sprak/"
POSTAL = "/mina-sidor/uppgifter/postadress/"


def _client(number: str = BENGT) -> Client:
    client = Client()
    log_in(client, make_identity(number, given_name="Test", family_name="Person"))
    return client


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _log_in_keeping_the_session(client: Client) -> None:
    """Log in in the browser's own session, as a login method does (the session's data is kept)."""
    request = RequestFactory().get("/")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    request.session = store(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    identity_login(request, make_identity(BENGT, given_name="Test", family_name="Person"))
    request.session.save()
    assert request.session.session_key is not None
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key


def _details(number: str = BENGT) -> ContactDetails:
    return ContactDetails.objects.get(person__personal_number=number)


def _confirmed_address(number: str, address: str) -> None:
    ContactDetails.objects.filter(person__personal_number=number).update(email=address, email_confirmed=True)


def test_a_new_email_waits_for_its_link_and_the_old_one_stays_in_use() -> None:
    _confirmed_address(BENGT, "bengt@example.se")
    client = _client()
    form = _text(client.get(CONTACT))
    assert 'value="bengt@example.se"' in form
    response = client.post(CONTACT, {"email": "ny@example.se", "phone": "070-111 22 33", "notice_choice": "email"})
    assert response["Location"] == OVERVIEW
    details = _details()
    assert (details.email, details.email_confirmed, details.pending_email) == (
        "bengt@example.se",
        True,
        "ny@example.se",
    )
    assert details.phone == "070-111 22 33"
    overview = _text(client.get(OVERVIEW))
    assert 'id="pending-email"' in overview
    assert "ny@example.se" in overview
    sent = sorted((n.kind, n.address) for n in Notice.objects.filter(person__personal_number=BENGT, channel="email"))
    assert sent == [("details_changed", "bengt@example.se"), ("email_confirmation", "ny@example.se")]
    assert AccessRecord.objects.filter(action=CONTACT_CHANGED.name).count() == 1


def test_the_link_confirms_the_new_address_once_for_its_owner_only() -> None:
    _confirmed_address(BENGT, "bengt@example.se")
    client = _client()
    client.post(CONTACT, {"email": "ny@example.se", "phone": "", "notice_choice": "email"})
    token = token_for(EmailConfirmation.objects.get(used_at=None))
    link = f"/mina-sidor/uppgifter/e-post/bekrafta/{token}/"
    other = _client(JOHAN)
    refused = other.post(link)
    assert refused.status_code == 404
    assert "The link does not work" in _text(other.post("/en" + link))
    assert _details().pending_email == "ny@example.se", "another person's press confirms nothing"
    page = _text(client.get(link))
    assert 'id="email-confirm-form"' in page
    assert _details().pending_email == "ny@example.se", "opening the link confirms nothing by itself"
    done = client.post(link)
    assert done.status_code == 200
    assert 'id="outcome-confirmed"' in _text(done)
    details = _details()
    assert (details.email, details.email_confirmed, details.pending_email) == ("ny@example.se", True, "")
    assert client.post(link).status_code == 404, "once only"


def test_a_link_opened_before_logging_in_waits_in_the_session() -> None:
    _confirmed_address(BENGT, "bengt@example.se")
    _client().post(CONTACT, {"email": "ny@example.se", "phone": "", "notice_choice": "email"})
    token = token_for(EmailConfirmation.objects.get(used_at=None))
    browser = Client()
    page = _text(browser.get(f"/mina-sidor/uppgifter/e-post/bekrafta/{token}/"))
    assert 'id="log-in-first"' in page
    _log_in_keeping_the_session(browser)
    overview = _text(browser.get(OVERVIEW))
    assert 'id="confirm-waiting"' in overview
    onwards = browser.get("/mina-sidor/uppgifter/e-post/bekrafta/")
    assert onwards["Location"] == f"/mina-sidor/uppgifter/e-post/bekrafta/{token}/"
    assert browser.post(onwards["Location"]).status_code == 200
    assert _details().email == "ny@example.se"


@pytest.mark.parametrize(
    ("language", "data", "field", "says"),
    [
        ("en", {"email": "not an address", "phone": "", "notice_choice": "none"}, "email", "right form"),
        ("", {"email": "not an address", "phone": "", "notice_choice": "none"}, "email", "rätt form"),
        ("en", {"email": "", "phone": "call me", "notice_choice": "none"}, "phone", "digits only"),
        ("en", {"email": "", "phone": "", "notice_choice": "sms"}, "phone", "give your phone number"),
        ("", {"email": "", "phone": "", "notice_choice": "sms"}, "phone", "ange ditt telefonnummer"),
        ("en", {"email": "", "phone": "", "notice_choice": "email"}, "email", "give your e-mail address"),
    ],
)
def test_bad_input_is_refused_politely_at_the_field_and_nothing_typed_is_lost(
    language: str, data: dict[str, str], field: str, says: str
) -> None:
    before = _details()
    client = _client()
    response = client.post(f"/{language}{CONTACT}".replace("//", "/"), data)
    assert response.status_code == 200
    page = _text(response)
    assert f'href="#id_{field}"' in page, "the error summary links to the field"
    assert says in page
    for value in data.values():
        if value and value not in ("none", "sms", "email"):
            assert f'value="{value}"' in page, "what was typed is shown again"
    after = _details()
    assert (after.email, after.phone, after.pending_email) == (before.email, before.phone, before.pending_email)
    assert not AccessRecord.objects.filter(action=CONTACT_CHANGED.name).exists()


def test_a_back_office_that_does_not_answer_keeps_the_answers_and_says_so() -> None:
    client = _client()
    data = {"email": "ny@example.se", "phone": "070-111 22 33", "notice_choice": "email"}
    with mock.patch.object(type(registers()), "contact_details_update", side_effect=RegistersUnavailableError("down")):
        response = client.post("/en" + CONTACT, data)
    assert response.status_code == 503
    page = _text(response)
    assert "Nothing was changed" in page
    assert 'value="ny@example.se"' in page
    assert not AccessRecord.objects.filter(action=CONTACT_CHANGED.name).exists()


def test_the_language_of_letters_is_changed() -> None:
    client = _client()
    assert client.post(LANGUAGE, {"language": "en"})["Location"] == OVERVIEW
    assert _details().language == "en"
    assert "Engelska" in _text(client.get(OVERVIEW))
    refused = client.post("/en" + LANGUAGE, {"language": "fi"})
    assert refused.status_code == 200
    assert "Select a valid choice" in _text(refused) or "valid choice" in _text(refused)


def test_a_special_postal_address_is_given_corrected_and_removed() -> None:
    client = _client(JOHAN)
    bad = client.post(
        "/en" + POSTAL, {"street_address": "Box 12", "postal_code": "12#45", "city": "Visby", "country": ""}
    )
    assert bad.status_code == 200
    page = _text(bad)
    assert "digits and letters only" in page
    assert 'value="Box 12"' in page
    assert 'value="Visby"' in page
    good = client.post(POSTAL, {"street_address": "Box 12", "postal_code": "621 22", "city": "Visby", "country": ""})
    assert good["Location"] == OVERVIEW
    details = _details(JOHAN)
    assert (details.special_street_address, details.special_postal_code, details.special_city) == (
        "Box 12",
        "621 22",
        "Visby",
    )
    assert "Box 12" in _text(client.get(OVERVIEW))
    assert client.post(POSTAL, {"action": "remove"})["Location"] == OVERVIEW
    assert _details(JOHAN).special_street_address == ""


def test_asking_for_the_link_again_replaces_the_old_link() -> None:
    _confirmed_address(BENGT, "bengt@example.se")
    client = _client()
    client.post(CONTACT, {"email": "ny@example.se", "phone": "", "notice_choice": "email"})
    first = token_for(EmailConfirmation.objects.get(used_at=None))
    assert client.post("/mina-sidor/uppgifter/e-post/ny-lank/")["Location"] == OVERVIEW
    assert client.post(f"/mina-sidor/uppgifter/e-post/bekrafta/{first}/").status_code == 404
    second = token_for(EmailConfirmation.objects.get(used_at=None))
    assert client.post(f"/mina-sidor/uppgifter/e-post/bekrafta/{second}/").status_code == 200
