"""The OpenID Connect provider: one confidential client, made-up staff accounts, codes kept in memory."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import html
import secrets
import threading
import time
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CODE_SECONDS = 60
TOKEN_SECONDS = 300


@dataclasses.dataclass(frozen=True, slots=True)
class StaffAccount:
    """A made-up staff member: login name, password (development only), staff number, name and roles."""

    username: str
    password: str
    staff_number: str
    name: str
    roles: tuple[str, ...]


# Development accounts only: the passwords are printed by `make run` and are worth nothing elsewhere.
STAFF = (
    StaffAccount("kim", "kundservice-dev", "K1001", "Kim Kundberg", ("customer_service",)),
    StaffAccount("sam", "kundservice-dev", "K2002", "Sam Svarsson", ("customer_service",)),
    StaffAccount("alex", "handlaggare-dev", "H3003", "Alex Ärendesson", ("case_handler",)),
)


@dataclasses.dataclass(frozen=True, slots=True)
class Client:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


@dataclasses.dataclass(slots=True)
class _Grant:
    client_id: str
    redirect_uri: str
    account: StaffAccount
    nonce: str
    code_challenge: str
    expires: float
    auth_time: int


class Provider:
    """State of the provider: the signing key, the client, codes and access tokens in flight."""

    def __init__(self, *, issuer: str, client: Client, staff: tuple[StaffAccount, ...] = STAFF) -> None:
        self.issuer = issuer.rstrip("/")
        self.client = client
        self.staff = {account.username: account for account in staff}
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"})
        self._codes: dict[str, _Grant] = {}
        self._tokens: dict[str, tuple[StaffAccount, float]] = {}
        self._lock = threading.Lock()

    def configuration(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "roles"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "name", "preferred_username", "staff_number", "roles", "amr", "auth_time"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def authorize_check(self, params: dict[str, str]) -> str | None:  # noqa: PLR0911 - one return per rule
        """Why an authorization request is refused (an error page, never a redirect to an unknown address)."""
        if params.get("client_id") != self.client.client_id:
            return "unknown client_id"
        if params.get("redirect_uri") not in self.client.redirect_uris:
            return "redirect_uri not registered"
        if params.get("response_type") != "code":
            return "only response_type=code"
        if "openid" not in params.get("scope", "").split():
            return "scope must include openid"
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return "PKCE with S256 is required"
        if not params.get("state") or not params.get("nonce"):
            return "state and nonce are required"
        return None

    def grant(self, params: dict[str, str], account: StaffAccount) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Grant(
                client_id=params["client_id"],
                redirect_uri=params["redirect_uri"],
                account=account,
                nonce=params["nonce"],
                code_challenge=params["code_challenge"],
                expires=time.monotonic() + CODE_SECONDS,
                auth_time=int(time.time()),
            )
        return code

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> tuple[int, dict[str, Any]]:
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        if client_id != self.client.client_id or not hmac.compare_digest(secret, self.client.client_secret):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or grant.expires < time.monotonic() or grant.client_id != client_id:
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        verifier = form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or not hmac.compare_digest(digest, grant.code_challenge):
            return 400, {"error": "invalid_grant", "error_description": "PKCE verifier does not match"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant.account.staff_number,
            "aud": client_id,
            "iat": now,
            "exp": now + TOKEN_SECONDS,
            "auth_time": grant.auth_time,
            "nonce": grant.nonce,
            "amr": ["pwd"],
            "name": grant.account.name,
            "preferred_username": grant.account.username,
            "staff_number": grant.account.staff_number,
            "roles": list(grant.account.roles),
        }
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        access_token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[access_token] = (grant.account, time.monotonic() + TOKEN_SECONDS)
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "id_token": id_token,
        }

    def userinfo(self, access_token: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._tokens.get(access_token)
        if found is None or found[1] < time.monotonic():
            return None
        account = found[0]
        return {
            "sub": account.staff_number,
            "name": account.name,
            "preferred_username": account.username,
            "staff_number": account.staff_number,
            "roles": list(account.roles),
        }


_PAGE = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Myndighetens inloggning (test)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>
<h1>Myndighetens inloggning för personal (testleverantör)</h1>
<p>Endast för utveckling. Testkonton: {accounts}.</p>{error}
<form method="post"><input type="hidden" name="request" value="{request}">
<p><label for="username">Användarnamn</label><br><input id="username" name="username" autocomplete="username"></p>
<p><label for="password">Lösenord</label><br><input id="password" name="password" type="password"
 autocomplete="current-password"></p>
<p><button type="submit">Logga in</button></p></form></main></body></html>"""


def _page(provider: Provider, query: str, error: str = "") -> HTMLResponse:
    accounts = ", ".join(f"{a.username} ({a.staff_number}, {', '.join(a.roles)})" for a in provider.staff.values())
    return HTMLResponse(
        _PAGE.format(
            accounts=html.escape(accounts),
            request=html.escape(query),
            error=f'<p role="alert">{html.escape(error)}</p>' if error else "",
        ),
        status_code=400 if error else 200,
    )


def build_app(provider: Provider) -> Starlette:
    async def discovery(request: Request) -> Response:
        return JSONResponse(provider.configuration())

    async def jwks(request: Request) -> Response:
        return JSONResponse(provider.jwks())

    async def authorize(request: Request) -> Response:
        if request.method == "GET":
            params = dict(request.query_params)
            query = request.url.query
        else:
            form = _parse_query((await request.body()).decode())
            query = form.get("request", "")
            params = _parse_query(query)
        problem = provider.authorize_check(params)
        if problem is not None:
            return HTMLResponse(f"<p>Refused: {html.escape(problem)}</p>", status_code=400)
        if request.method == "GET":
            return _page(provider, query)
        account = provider.staff.get(form.get("username", ""))
        if account is None or not hmac.compare_digest(account.password, form.get("password", "")):
            return _page(provider, query, "Fel användarnamn eller lösenord.")
        code = provider.grant(params, account)
        target = params["redirect_uri"] + "?" + urlencode({"code": code, "state": params["state"]})
        return RedirectResponse(target, status_code=302)

    async def token(request: Request) -> Response:
        form = _parse_query((await request.body()).decode())
        status, body = provider.token(form, _basic(request))
        return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    async def userinfo(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        claims = provider.userinfo(header.removeprefix("Bearer ").strip()) if header.startswith("Bearer ") else None
        if claims is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        return JSONResponse(claims)

    return Starlette(
        routes=[
            Route("/.well-known/openid-configuration", discovery),
            Route("/jwks", jwks),
            Route("/authorize", authorize, methods=["GET", "POST"]),
            Route("/token", token, methods=["POST"]),
            Route("/userinfo", userinfo, methods=["GET", "POST"]),
        ]
    )


def _parse_query(query: str) -> dict[str, str]:
    """A query string or a form-encoded body (the last value of a repeated name)."""
    return dict(parse_qsl(query, keep_blank_values=True))


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None
    return unquote_plus(user), unquote_plus(password)
