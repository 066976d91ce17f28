"""The demo third party's web app: one adviser's page that connects to Mina sidor, reads the latest statement,
tries the forecast, and shows what the portal answered.

It keeps one demo user's state in memory (the tokens and the last answer): enough to walk through the flow
by hand (`make run`) or in a browser test. It speaks only the protocols: the authorization code with PKCE
(S256), the token endpoint with a DPoP proof and its client secret, and the read API with DPoP-bound tokens;
each proof carries the portal's last DPoP nonce, and a request the portal refuses for want of one is sent
once more with the nonce it gave.
"""

from __future__ import annotations

import dataclasses
import html
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from simulators.sharing_client.protocol import NONCE_HEADER, DPoPKey, authorization_url, nonce_asked, pkce_pair

DEMO_CLIENT_ID = "demo-radgivaren"
DEMO_CLIENT_NAME = "Demo Rådgivning AB (testklient)"
# Test only: the demo client's secret at the portal; registered only while the simulators are enabled.
DEMO_CLIENT_SECRET = "demo-radgivaren-test-only-secret"  # noqa: S105  # nosec B105 - test-only
# It asks for more than it needs to show the citizen unticking a scope on the consent page.
SCOPE = "statement:read forecast:read"
AUTHORIZE_PATH = "/mina-sidor/dela/godkann/"
TOKEN_PATH = "/api/dela/oauth/token/"  # noqa: S105 - a path, not a secret
API_PATH = "/api/dela/v1/"


@dataclasses.dataclass
class DemoClient:
    """The client's configuration and its one demo user's state."""

    portal_url: str
    base_url: str = ""
    client_id: str = DEMO_CLIENT_ID
    client_secret: str = DEMO_CLIENT_SECRET
    key: DPoPKey = dataclasses.field(default_factory=DPoPKey)
    pending: dict[str, str] = dataclasses.field(default_factory=dict)  # state -> PKCE verifier
    tokens: dict[str, Any] = dataclasses.field(default_factory=dict)
    tokens_at: float = 0.0
    last: dict[str, Any] = dataclasses.field(default_factory=dict)
    nonce: str | None = None  # the portal's last DPoP-Nonce

    @property
    def redirect_uri(self) -> str:
        return f"{self.base_url}/callback"

    def portal(self, path: str) -> str:
        return self.portal_url.rstrip("/") + path


async def _with_nonce(client: DemoClient, send: Callable[[str | None], Awaitable[httpx.Response]]) -> httpx.Response:
    """Send with the portal's last nonce; keep the nonce every answer gives, and when the portal asks for a
    proof with its nonce (none kept yet, or the kept one has expired), send once more with the new one."""
    response = await send(client.nonce)
    for attempt in range(2):
        client.nonce = response.headers.get(NONCE_HEADER, client.nonce)
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        if attempt or not nonce_asked(response.status_code, body, response.headers.get("WWW-Authenticate", "")):
            break
        response = await send(client.nonce)
    return response


async def _token(client: DemoClient, data: dict[str, str]) -> tuple[int, dict[str, Any]]:
    url = client.portal(TOKEN_PATH)
    body = {"client_id": client.client_id, "client_secret": client.client_secret, **data}
    async with httpx.AsyncClient(timeout=10) as http:

        async def send(nonce: str | None) -> httpx.Response:
            return await http.post(url, data=body, headers={"DPoP": client.key.proof("POST", url, nonce=nonce)})

        response = await _with_nonce(client, send)
    return response.status_code, response.json()


async def _read(client: DemoClient, what: str) -> tuple[int, dict[str, Any]]:
    if client.tokens and time.time() - client.tokens_at > int(client.tokens.get("expires_in", 0)) - 10:
        status, renewed = await _token(
            client, {"grant_type": "refresh_token", "refresh_token": client.tokens.get("refresh_token", "")}
        )
        if status == 200:
            client.tokens, client.tokens_at = renewed, time.time()
        else:
            return status, renewed
    access = str(client.tokens.get("access_token", ""))
    url = client.portal(f"{API_PATH}{what}/")
    async with httpx.AsyncClient(timeout=10) as http:

        async def send(nonce: str | None) -> httpx.Response:
            proof = client.key.proof("GET", url, access_token=access, nonce=nonce)
            return await http.get(url, headers={"Authorization": f"DPoP {access}", "DPoP": proof})

        response = await _with_nonce(client, send)
    return response.status_code, response.json()


PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}</title></head>
<body><main>
<h1>{name}</h1>
<p>En påhittad rådgivare för test: den ber om ditt samtycke på Mina sidor och läser sedan det du tillåtit.</p>
<p data-testid="connection">{connection}</p>
<form method="get" action="/connect"><button type="submit">Anslut till Mina sidor</button></form>
<form method="post" action="/read/statement"><button type="submit">Läs senaste pensionsbeskedet</button></form>
<form method="post" action="/read/forecast"><button type="submit">Läs pensionsprognosen</button></form>
<h2>Senaste svar</h2>
<p data-testid="last-status">{status}</p>
<pre data-testid="last-body">{body}</pre>
</main></body></html>
"""


def build_app(client: DemoClient) -> Starlette:
    async def home(request: Request) -> Response:
        connection = "Ansluten till Mina sidor" if client.tokens else "Inte ansluten"
        last = client.last
        page = PAGE.format(
            name=html.escape(DEMO_CLIENT_NAME),
            connection=connection,
            status=html.escape(f"{last.get('what', '')} {last.get('status', '')}".strip() or "Inget än"),
            body=html.escape(json.dumps(last.get("body", {}), ensure_ascii=False, indent=2)),
        )
        return HTMLResponse(page)

    async def connect(request: Request) -> Response:
        state = secrets.token_urlsafe(16)
        verifier, challenge = pkce_pair()
        client.pending[state] = verifier
        url = authorization_url(
            client.portal(AUTHORIZE_PATH),
            client_id=client.client_id,
            redirect_uri=client.redirect_uri,
            scope=SCOPE,
            state=state,
            challenge=challenge,
        )
        return RedirectResponse(url, status_code=302)

    async def callback(request: Request) -> Response:
        state = request.query_params.get("state", "")
        verifier = client.pending.pop(state, None)
        if verifier is None or "code" not in request.query_params:
            client.last = {"what": "consent", "status": request.query_params.get("error", "bad state"), "body": {}}
            return RedirectResponse("/", status_code=303)
        data = {
            "grant_type": "authorization_code",
            "code": request.query_params["code"],
            "redirect_uri": client.redirect_uri,
            "code_verifier": verifier,
        }
        status, body = await _token(client, data)
        if status == 200:
            client.tokens, client.tokens_at = body, time.time()
            client.last = {"what": "token", "status": status, "body": {"token_type": body.get("token_type")}}
        else:
            client.last = {"what": "token", "status": status, "body": body}
        return RedirectResponse("/", status_code=303)

    async def read(request: Request) -> Response:
        what = request.path_params["what"]
        status, body = await _read(client, what)
        client.last = {"what": what, "status": status, "body": body}
        return RedirectResponse("/", status_code=303)

    return Starlette(
        routes=[
            Route("/", home),
            Route("/connect", connect),
            Route("/callback", callback),
            Route("/read/{what:str}", read, methods=["POST"]),
        ]
    )
