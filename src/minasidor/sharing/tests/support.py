"""Test helpers of consented sharing: registered clients, and a third party going through the flow with the
Django test client (its PKCE and DPoP from the demo client's protocol module)."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from oauth2_provider.models import Application

from kernel import clock
from minasidor.identity.tests.factories import make_identity
from minasidor.sharing.nonces import nonce_current
from simulators.sharing_client.protocol import DPoPKey, authorization_url, pkce_pair

SERVER = "http://testserver"
AUTHORIZE = "/mina-sidor/dela/godkann/"
TOKEN = "/api/dela/oauth/token/"
API = "/api/dela/v1/"
SECRET = "test-only-client-secret"
NONCE_CURRENT = "<the portal's current nonce>"
JOHAN = make_identity("198501139995", given_name="Johan", family_name="Sund")  # a saver with a statement (demo)


def application_register(client_id: str = "demo-radgivaren", name: str = "Demo Rådgivning AB") -> Application:
    """A confidential client with a test-only secret, redirecting to its own callback."""
    return Application.objects.create(
        client_id=client_id,
        name=name,
        redirect_uris=f"https://{client_id}.example/callback",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_secret=SECRET,
        algorithm="",
    )


@dataclasses.dataclass
class ThirdParty:
    """A registered client with its own DPoP key, driven through the Django test client."""

    client_id: str
    key: DPoPKey = dataclasses.field(default_factory=DPoPKey)
    verifier: str = ""

    @property
    def redirect_uri(self) -> str:
        return f"https://{self.client_id}.example/callback"

    def authorize_url(self, scope: str = "statement:read", *, state: str = "s1") -> str:
        self.verifier, challenge = pkce_pair()
        url = authorization_url(
            AUTHORIZE,
            client_id=self.client_id,
            redirect_uri=self.redirect_uri,
            scope=scope,
            state=state,
            challenge=challenge,
        )
        return url

    def proof(
        self,
        method: str,
        path: str,
        *,
        access_token: str | None = None,
        jti: str | None = None,
        nonce: str | None = NONCE_CURRENT,
    ) -> str:
        """A proof for ``method`` ``path``, with the portal's current nonce (as a client that kept the latest
        ``DPoP-Nonce`` has) unless ``nonce`` says another one or None."""
        return self.key.proof(
            method,
            SERVER + path,
            access_token=access_token,
            issued_at=clock.now().timestamp(),
            jti=jti,
            nonce=nonce_current() if nonce is NONCE_CURRENT else nonce,
        )

    def code_grant(self, code: str) -> dict[str, str]:
        """The token request's form for ``code`` (RFC 6749 §4.1.3, PKCE's verifier), the client's credentials in
        it: what a test posts to the token endpoint itself, with a proof of its own or none."""
        return {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": self.verifier,
            "client_id": self.client_id,
            "client_secret": SECRET,
        }

    def token(self, client: Client, data: dict[str, str], *, proof: str | None = None) -> tuple[int, dict[str, str]]:
        body = {"client_id": self.client_id, "client_secret": SECRET, **data}
        headers = {"DPoP": proof if proof is not None else self.proof("POST", TOKEN)}
        response = client.post(TOKEN, body, headers=headers)
        return response.status_code, response.json()

    def code_exchange(self, client: Client, code: str) -> tuple[int, dict[str, str]]:
        return self.token(client, self.code_grant(code))

    def read(
        self, client: Client, what: str, access_token: str, *, proof: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        path = f"{API}{what}/"
        headers = {
            "Authorization": f"DPoP {access_token}",
            "DPoP": proof if proof is not None else self.proof("GET", path, access_token=access_token),
        }
        response = client.get(path, headers=headers)
        return response.status_code, response.json()


def consent_given(
    citizen: Client, party: ThirdParty, scope: str = "statement:read", *, ticked: list[str] | None = None
) -> str:
    """The citizen allows ``party``'s request on the consent page, with the scopes ``ticked`` (by default all
    that were asked, as the page ticks them); the code the client receives."""
    page = citizen.get(party.authorize_url(scope))
    assert page.status_code == 200, page.content[:500]
    ticket = page.context["ticket"]
    scopes = page.context["form"]["scopes"].initial if ticked is None else ticked
    answer = citizen.post(AUTHORIZE, {"ticket": ticket, "decision": "allow", "scopes": scopes})
    assert answer.status_code == 302, answer.content[:500]
    query = parse_qs(urlsplit(answer["Location"]).query)
    assert query["state"] == ["s1"]
    assert query["iss"] == [SERVER], "the issuer is named in the response (RFC 9207)"
    return query["code"][0]


def tokens_obtained(citizen: Client, api: Client, party: ThirdParty, scope: str = "statement:read") -> dict[str, str]:
    status, body = party.code_exchange(api, consent_given(citizen, party, scope))
    assert status == 200, body
    return body
