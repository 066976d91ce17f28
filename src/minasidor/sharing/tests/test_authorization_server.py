"""Requirement (issue 22.2): the authorization server hands a registered client tokens only through the
authorization code with PKCE (S256), after the citizen's consent; the tokens are short-lived and bound to the
client's DPoP key, so another client's key, a replayed proof, an expired or revoked token, or a withdrawn
consent are refused; and the read API serves only what the scope grants, each read in the access log."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client

from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.identity.session import ACTING_KEY
from minasidor.identity.tests.factories import make_identity
from minasidor.sharing.models import Consent
from minasidor.sharing.services import consent_withdraw
from minasidor.sharing.tests.support import (
    AUTHORIZE,
    JOHAN,
    TOKEN,
    ThirdParty,
    application_register,
    consent_given,
    tokens_obtained,
)

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]


@pytest.fixture
def other() -> ThirdParty:
    application_register("annan-bank", name="Annan Bank AB")
    return ThirdParty("annan-bank")


@pytest.fixture
def api() -> Client:
    return Client()


def _location_query(response: object) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response["Location"]).query)  # type: ignore[index]


def test_the_consent_page_says_who_asks_for_what_and_for_how_long(citizen_client: Client, party: ThirdParty) -> None:
    page = citizen_client.get(party.authorize_url("statement:read"))
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert "Demo Rådgivning AB" in html
    assert "senaste pensionsbesked" in html or "latest pension statement" in html
    assert "prognos" not in html.split('data-testid="consent-scopes"')[1].split("</fieldset>")[0]
    # The answer may be sent on to this client's registered address, and to no other site.
    assert "form-action 'self' https://demo-radgivaren.example;" in page["Content-Security-Policy"] + ";"


def test_without_a_login_the_citizen_logs_in_first_and_comes_back(client: Client, party: ThirdParty) -> None:
    url = party.authorize_url()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/logga-in/"
    assert client.session["identity.return_to"] == url


def _without(url: str, *names: str) -> str:
    path, _, query = url.partition("?")
    kept = {key: values[0] for key, values in parse_qs(query).items() if key not in names}
    return f"{path}?{urlencode(kept)}"


def test_pkce_is_required(citizen_client: Client, party: ThirdParty) -> None:
    url = _without(party.authorize_url(), "code_challenge", "code_challenge_method")
    response = citizen_client.get(url)
    assert response.status_code == 302
    query = _location_query(response)
    assert query["error"] == ["invalid_request"]
    assert not Consent.objects.exists()


def test_plain_pkce_is_refused(citizen_client: Client, party: ThirdParty) -> None:
    url = party.authorize_url().replace("code_challenge_method=S256", "code_challenge_method=plain")
    response = citizen_client.get(url)
    assert response.status_code == 302
    assert _location_query(response)["error"] == ["invalid_request"]


def test_an_unknown_redirect_uri_is_never_followed(citizen_client: Client, party: ThirdParty) -> None:
    url = party.authorize_url().replace("demo-radgivaren.example", "attacker.example")
    response = citizen_client.get(url)
    assert response.status_code == 400
    assert "attacker" not in response.get("Location", "")


def test_refusing_sends_the_client_access_denied(citizen_client: Client, party: ThirdParty) -> None:
    page = citizen_client.get(party.authorize_url())
    answer = citizen_client.post(AUTHORIZE, {"ticket": page.context["ticket"], "decision": "deny"})
    assert answer.status_code == 302
    assert _location_query(answer)["error"] == ["access_denied"]
    assert not Consent.objects.exists()


def test_a_code_needs_the_pkce_verifier(citizen_client: Client, api: Client, party: ThirdParty) -> None:
    code = consent_given(citizen_client, party)
    party.verifier = "wrong-" + party.verifier
    status, body = party.code_exchange(api, code)
    assert status == 400
    assert body["error"] == "invalid_grant"


def test_the_client_reads_the_statement_and_is_refused_the_forecast(
    citizen_client: Client, api: Client, party: ThirdParty
) -> None:
    tokens = tokens_obtained(citizen_client, api, party, "statement:read")
    assert tokens["token_type"] == "DPoP"
    assert int(tokens["expires_in"]) == 300
    assert "refresh_token" in tokens
    status, body = party.read(api, "statement", tokens["access_token"])
    assert status == 200, body
    assert body["statement"]["accounts"]
    assert body["statement"]["total_closing_value"] > 0
    status, body = party.read(api, "forecast", tokens["access_token"])
    assert status == 403
    assert body["error"] == "insufficient_scope"
    records = AccessRecord.objects.filter(subject_ref=pseudonym_for(JOHAN.subject_key), principal_kind="third_party")
    assert list(records.values_list("action", "principal_ref", "purpose")) == [
        ("sharing.statement_read", "demo-radgivaren", "shared_access")
    ]


def test_a_token_needs_a_dpop_proof_and_a_bearer_token_is_refused(
    citizen_client: Client, api: Client, party: ThirdParty
) -> None:
    code = consent_given(citizen_client, party)
    response = api.post(TOKEN, party.code_grant(code))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_dpop_proof"
    status, tokens = party.code_exchange(api, code)
    assert status == 200
    response = api.get("/api/dela/v1/statement/", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("DPoP ")


def test_a_token_presented_by_another_client_is_refused(
    citizen_client: Client, api: Client, party: ThirdParty, other: ThirdParty
) -> None:
    tokens = tokens_obtained(citizen_client, api, party)
    status, body = other.read(api, "statement", tokens["access_token"])
    assert status == 401
    assert body["error"] == "invalid_token"


def test_a_code_of_one_client_is_refused_to_another(
    citizen_client: Client, api: Client, party: ThirdParty, other: ThirdParty
) -> None:
    code = consent_given(citizen_client, party)
    other.verifier = party.verifier
    status, body = other.token(
        api,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": party.redirect_uri,
            "code_verifier": party.verifier,
        },
    )
    assert status in (400, 401)
    assert body["error"] in ("invalid_grant", "invalid_client")


def test_a_replayed_proof_is_refused(citizen_client: Client, api: Client, party: ThirdParty) -> None:
    tokens = tokens_obtained(citizen_client, api, party)
    proof = party.proof("GET", "/api/dela/v1/statement/", access_token=tokens["access_token"])
    assert party.read(api, "statement", tokens["access_token"], proof=proof)[0] == 200
    status, body = party.read(api, "statement", tokens["access_token"], proof=proof)
    assert status == 401
    assert body["error"] == "invalid_dpop_proof"


def test_a_proof_for_another_url_is_refused(citizen_client: Client, api: Client, party: ThirdParty) -> None:
    tokens = tokens_obtained(citizen_client, api, party)
    proof = party.proof("GET", "/api/dela/v1/payments/", access_token=tokens["access_token"])
    status, body = party.read(api, "statement", tokens["access_token"], proof=proof)
    assert status == 401
    assert body["error"] == "invalid_dpop_proof"


def test_an_expired_token_is_refused(
    citizen_client: Client, api: Client, party: ThirdParty, frozen_clock: object
) -> None:
    tokens = tokens_obtained(citizen_client, api, party)
    frozen_clock.advance(dt.timedelta(seconds=301))  # type: ignore[attr-defined]
    status, body = party.read(api, "statement", tokens["access_token"])
    assert status == 401
    assert body["error"] == "invalid_token"


def test_a_withdrawn_consent_refuses_the_token_and_the_refresh_at_once(
    citizen_client: Client, api: Client, party: ThirdParty
) -> None:
    tokens = tokens_obtained(citizen_client, api, party)
    consent = Consent.objects.get()
    assert consent_withdraw(identity=JOHAN, reference=consent.reference)
    status, body = party.read(api, "statement", tokens["access_token"])
    assert status == 401
    assert body["error"] == "invalid_token"
    status, body = party.token(api, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert status == 400
    assert body["error"] == "invalid_grant"


def test_a_refresh_is_rotated_bound_to_the_same_key_and_refused_twice(
    citizen_client: Client, api: Client, party: ThirdParty, other: ThirdParty
) -> None:
    tokens = tokens_obtained(citizen_client, api, party)
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    foreign_key = other.proof("POST", TOKEN)
    status, body = party.token(api, refresh, proof=foreign_key)
    assert status == 400, body
    status, renewed = party.token(api, refresh)
    assert status == 200, renewed
    assert renewed["refresh_token"] != tokens["refresh_token"]
    assert party.read(api, "statement", renewed["access_token"])[0] == 200
    status, body = party.token(api, refresh)
    assert status == 400
    assert body["error"] == "invalid_grant"


def test_a_citizen_cannot_withdraw_another_citizens_consent(
    citizen_client: Client, api: Client, party: ThirdParty
) -> None:
    tokens_obtained(citizen_client, api, party)
    consent = Consent.objects.get()
    someone_else = make_identity()
    assert not consent_withdraw(identity=someone_else, reference=consent.reference)
    assert Consent.objects.get().withdrawn_at is None


def test_a_person_acting_for_someone_is_not_asked_for_consent(citizen_client: Client, party: ThirdParty) -> None:
    session = citizen_client.session
    session[ACTING_KEY] = {"reference": str(uuid.uuid4()), "personal_number": "191212121212"}
    session.save()
    page = citizen_client.get(party.authorize_url())
    assert "ticket" not in (page.context or {})
    assert not Consent.objects.exists()


@pytest.mark.parametrize(("after", "status"), [(59, 200), (60, 400)])
def test_a_code_lives_a_minute_on_the_portals_clock(
    *, citizen_client: Client, api: Client, party: ThirdParty, frozen_clock: object, after: int, status: int
) -> None:
    """The code's minute runs on the one clock (the toolkit alone would read Django's), made and checked."""
    code = consent_given(citizen_client, party)
    frozen_clock.advance(dt.timedelta(seconds=after))  # type: ignore[attr-defined]
    answer, body = party.code_exchange(api, code)
    assert answer == status, body
    if status == 400:
        assert body["error"] == "invalid_grant"
