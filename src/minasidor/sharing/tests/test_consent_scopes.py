"""Requirement (issue 22.2, decision 0221): the citizen can give a service less than it asked for: each scope
asked for is a checkbox, ticked until the citizen unticks it; the consent, the code and the tokens then cover
only what stayed ticked (the token answer's ``scope`` says so) and the API refuses the rest; nothing ticked
is a refusal; a scope that was not asked for cannot be added by a forged answer."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from minasidor.sharing.models import Consent
from minasidor.sharing.tests.support import AUTHORIZE, ThirdParty, consent_given

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

ASKED = "statement:read forecast:read"


def _answer(citizen: Client, party: ThirdParty, data: dict[str, object]) -> dict[str, list[str]]:
    page = citizen.get(party.authorize_url(ASKED))
    answer = citizen.post(AUTHORIZE, {"ticket": page.context["ticket"], **data})
    assert answer.status_code == 302
    return parse_qs(urlsplit(answer["Location"]).query)


@pytest.mark.parametrize(
    ("prefix", "statement", "forecast"),
    [
        ("", "Ditt senaste pensionsbesked", "Din pensionsprognos"),
        ("/en", "Your latest pension statement", "Your pension forecast"),
    ],
)
def test_each_scope_asked_for_is_a_ticked_checkbox_and_no_other(
    citizen_client: Client, party: ThirdParty, prefix: str, statement: str, forecast: str
) -> None:
    html = citizen_client.get(prefix + party.authorize_url(ASKED)).content.decode()
    fieldset = html.split('data-testid="consent-scopes"')[1].split("</fieldset>")[0]
    assert fieldset.count('type="checkbox"') == 2
    assert fieldset.count("checked") == 2
    assert 'value="statement:read"' in fieldset
    assert 'value="forecast:read"' in fieldset
    assert 'value="payments:read"' not in fieldset
    assert statement in fieldset
    assert forecast in fieldset
    assert "<legend" in fieldset


def test_unticking_a_scope_gives_the_client_only_the_rest(
    citizen_client: Client, party: ThirdParty, client: Client
) -> None:
    api = Client()
    code = consent_given(citizen_client, party, ASKED, ticked=["statement:read"])
    assert Consent.objects.get().scope_list == ("statement:read",)
    status, tokens = party.code_exchange(api, code)
    assert status == 200, tokens
    assert tokens["scope"] == "statement:read", "the answer says the client got less than it asked for"
    assert party.read(api, "statement", tokens["access_token"])[0] == 200
    status, body = party.read(api, "forecast", tokens["access_token"])
    assert status == 403
    assert body["error"] == "insufficient_scope"


def test_allowing_with_nothing_ticked_is_a_refusal(citizen_client: Client, party: ThirdParty) -> None:
    query = _answer(citizen_client, party, {"decision": "allow"})
    assert query["error"] == ["access_denied"]
    assert "code" not in query
    assert not Consent.objects.exists()


def test_a_scope_not_asked_for_cannot_be_added_to_the_answer(citizen_client: Client, party: ThirdParty) -> None:
    query = _answer(citizen_client, party, {"decision": "allow", "scopes": ["statement:read", "payments:read"]})
    assert "code" not in query
    assert not Consent.objects.filter(scopes__contains="payments").exists()
