"""The test identity providers' web side: SSO endpoints, the tester's pages and the federation metadata.

Plain server-rendered pages without scripts. The tester plays the user: picks a test person (for the
eIDAS connector: a country's person, and whether to share an identity binding), or cancels. The answer is
shown as a page with one button that posts the signed response to the portal, as the framework wants an
IdP to let the user acknowledge before posting back. Loopback test tool only: no CSRF protection.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from html import escape
from urllib.parse import parse_qs

import httpx
import structlog
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from simulators.saml_idp.federation import signed_aggregate
from simulators.saml_idp.idp import (
    CONNECTOR,
    KINDS,
    STATUS_CANCEL,
    STATUS_NO_AUTHN_CONTEXT,
    STATUS_REQUESTER,
    STATUS_RESPONDER,
    STATUS_UNKNOWN_PRINCIPAL,
    PendingRequest,
    RequestRefusedError,
    TestIdentityProvider,
    selection_refuses,
    sign_message_digest,
)
from simulators.saml_idp.keys import KeyPair
from simulators.saml_idp.persons import FOREIGN_PERSONS, SWEDISH_PERSONS, foreign_person, swedish_person
from simulators.saml_idp.responses import connector_attributes, swedish_eid_attributes

logger = structlog.get_logger(__name__)

CSS = """
:root { font-family: system-ui, sans-serif; color: #0b0c0c; background: #fff; line-height: 1.5; }
body { margin: 0 auto; max-width: 42rem; padding: 1rem; }
.banner { background: #fff4d6; border-left: 6px solid #8a5a00; padding: 0.5rem 1rem; }
fieldset { border: 1px solid #505a5f; margin: 0 0 1rem; padding: 0.5rem 1rem; }
legend { font-weight: 600; }
.choice { margin: 0.25rem 0; }
button { font: inherit; padding: 0.5rem 1rem; margin: 0 0.5rem 0.5rem 0; border: 2px solid #0b0c0c;
  background: #00703c; color: #fff; cursor: pointer; }
button.secondary { background: #f3f2f1; color: #0b0c0c; }
:focus { outline: 3px solid #fd0; box-shadow: 0 0 0 6px #0b0c0c; }
"""
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _page(title: str, body: str, *, status: int = 200) -> HTMLResponse:
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)} – test identity provider</title><link rel="stylesheet" href="/style.css"></head>'
        f'<body><main><p class="banner">Test identity provider – for testing only, never real people.</p>'
        f"<h1>{escape(title)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


class IdentityProviders:
    """Both test IdPs, the requests they are answering, and where to fetch the SP's metadata."""

    def __init__(
        self,
        *,
        keys: dict[str, KeyPair],
        base_url: str,
        sp_metadata_url: str | None = None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.keys = keys
        self.now = now
        self.sp_metadata_url = sp_metadata_url
        self.idps = {kind.slug: TestIdentityProvider(kind, keys=keys[kind.slug], base_url=base_url) for kind in KINDS}
        self._pending: dict[str, tuple[str, PendingRequest]] = {}
        self._lock = threading.Lock()

    def aggregate(self) -> bytes:
        entities = [idp.entity_descriptor() for idp in self.idps.values()]
        return signed_aggregate(entities, keys=self.keys["federation"], now=self.now(), name="urn:minasidor:test")

    def fetch_sp_metadata(self) -> None:
        """Load the SP's metadata from ``sp_metadata_url`` into both IdPs (as a federation would)."""
        if not self.sp_metadata_url:
            return
        xml = httpx.get(self.sp_metadata_url, timeout=5).raise_for_status().text
        for idp in self.idps.values():
            idp.load_sp_metadata(xml)

    def accept(self, slug: str, saml_request: str, *, binding: str, relay_state: str) -> str:
        idp = self.idps[slug]
        try:
            pending = idp.parse_request(saml_request, binding=binding, relay_state=relay_state)
        except RequestRefusedError:
            self.fetch_sp_metadata()
            pending = idp.parse_request(saml_request, binding=binding, relay_state=relay_state)
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[token] = (slug, pending)
        return token

    def pending(self, token: str) -> tuple[TestIdentityProvider, PendingRequest] | None:
        with self._lock:
            found = self._pending.get(token)
        return (self.idps[found[0]], found[1]) if found else None

    def answered(self, token: str) -> None:
        with self._lock:
            self._pending.pop(token, None)


def build_app(providers: IdentityProviders) -> Starlette:
    async def style(_: Request) -> Response:
        return Response(CSS, media_type="text/css", headers={"Cache-Control": "no-store"})

    async def federation_metadata(_: Request) -> Response:
        return Response(providers.aggregate(), media_type="application/samlmetadata+xml")

    async def index(_: Request) -> HTMLResponse:
        rows = "".join(
            f"<li>{escape(idp.kind.display_name_en)}: <code>{escape(idp.kind.entity_id)}</code></li>"
            for idp in providers.idps.values()
        )
        return _page(
            "Test identity providers",
            f"<ul>{rows}</ul><p>Federation metadata: "
            '<a href="/federation/metadata.xml">/federation/metadata.xml</a></p>',
        )

    async def sso(request: Request) -> Response:
        slug = request.path_params["slug"]
        if slug not in providers.idps:
            return PlainTextResponse("Not found", status_code=404)
        if request.method == "POST":
            form = parse_qs((await request.body()).decode())
            saml_request, relay_state, binding = (
                form.get("SAMLRequest", [""])[0],
                form.get("RelayState", [""])[0],
                BINDING_HTTP_POST,
            )
        else:
            saml_request = request.query_params.get("SAMLRequest", "")
            relay_state = request.query_params.get("RelayState", "")
            binding = BINDING_HTTP_REDIRECT
        try:
            token = providers.accept(slug, saml_request, binding=binding, relay_state=relay_state)
        except Exception as error:  # any unreadable request gets the same answer
            logger.warning("saml_idp.request_refused", error=str(error))
            return _page("The request cannot be answered", f"<p>{escape(str(error))}</p>", status=400)
        return RedirectResponse(f"/{slug}/login/{token}", status_code=303)

    async def login(request: Request) -> Response:
        found = providers.pending(request.path_params["token"])
        if found is None:
            return _page("No such login", "<p>This login has already been answered or never existed.</p>", status=404)
        idp, pending = found
        if request.method == "POST":
            form = {key: values[0] for key, values in parse_qs((await request.body()).decode()).items()}
            return _answer(providers, request.path_params["token"], idp, pending, form)
        return _page(f"Log in: {idp.kind.display_name_en}", _choice_form(idp, pending))

    return Starlette(
        routes=[
            Route("/", index),
            Route("/style.css", style),
            Route("/federation/metadata.xml", federation_metadata),
            Route("/{slug}/sso", sso, methods=["GET", "POST"]),
            Route("/{slug}/login/{token}", login, methods=["GET", "POST"]),
        ]
    )


def _selected(pending: PendingRequest, identifiers: set[str], index: int) -> bool:
    """Whether to offer this person first: the one the request's principal selection names, else the first."""
    wanted = {value for _, value in pending.match_values}
    return bool(wanted & identifiers) if wanted else index == 0


def _choice_form(idp: TestIdentityProvider, pending: PendingRequest) -> str:
    selection = "".join(f"<li>{escape(name)}: {escape(value)}</li>" for name, value in pending.match_values)
    if selection:
        selection = f'<p>The service asks for this person (principal selection):</p><ul id="selection">{selection}</ul>'
    if idp.kind is CONNECTOR:
        options = "".join(
            f'<div class="choice"><input type="radio" name="person" id="person-{p.key}" value="{p.key}"'
            f"{' checked' if _selected(pending, {p.prid, p.bound_number or p.prid}, index) else ''}>"
            f'<label for="person-{p.key}">{escape(p.country)} – '
            f"{escape(p.given_name)} {escape(p.family_name)} ({escape(p.note)})</label></div>"
            for index, p in enumerate(FOREIGN_PERSONS)
        )
        consent = (
            "<fieldset><legend>You have linked your Swedish personal identity or coordination number to your eID. "
            "Do you want to share it with the service?</legend>"
            '<div class="choice"><input type="radio" name="share" id="share-yes" value="yes" checked>'
            '<label for="share-yes">Yes, share it</label></div>'
            '<div class="choice"><input type="radio" name="share" id="share-no" value="no">'
            '<label for="share-no">No, do not share it</label></div>'
            "<p>(Asked only of persons who have a binding.)</p></fieldset>"
        )
    else:
        options = "".join(
            f'<div class="choice"><input type="radio" name="person" id="person-{p.personal_number}" '
            f'value="{p.personal_number}"{" checked" if _selected(pending, {p.personal_number}, index) else ""}>'
            f'<label for="person-{p.personal_number}">{escape(p.given_name)} {escape(p.family_name)} '
            f"({p.personal_number})</label></div>"
            for index, p in enumerate(SWEDISH_PERSONS)
        )
        consent = ""
    levels = ", ".join(escape(loa) for loa in pending.requested_loas) or "none stated"
    if pending.sign_message:
        selection += (
            "<h2>What you sign</h2><p>The signature service asks you to confirm this by logging in:</p>"
            f'<pre id="sign-message">{escape(pending.sign_message)}</pre>'
        )
    return (
        f"<p>Requested by <code>{escape(pending.sp_entity_id)}</code>; acceptable levels: {levels}.</p>{selection}"
        f'<form method="post"><fieldset><legend>Test person</legend>{options}</fieldset>{consent}'
        '<button type="submit" name="action" value="login">Log in</button>'
        '<button type="submit" name="action" value="cancel" class="secondary">Cancel</button></form>'
    )


def _answer(
    providers: IdentityProviders, token: str, idp: TestIdentityProvider, pending: PendingRequest, form: dict[str, str]
) -> Response:
    now = providers.now()
    level = idp.level_for(pending)
    if form.get("action") == "cancel":
        saml_response = idp.respond_error(pending, status=STATUS_CANCEL, message="The user cancelled", now=now)
        title = "You cancelled the login"
    elif level is None:
        saml_response = idp.respond_error(pending, status=STATUS_NO_AUTHN_CONTEXT, message="No level", now=now)
        title = "No acceptable level of assurance"
    else:
        try:
            if idp.kind is CONNECTOR:
                attributes = connector_attributes(
                    foreign_person(form.get("person", "")), share_binding=form.get("share") == "yes"
                )
            else:
                attributes = swedish_eid_attributes(swedish_person(form.get("person", "")))
        except KeyError:
            return _page(f"Log in: {idp.kind.display_name_en}", _choice_form(idp, pending), status=400)
        if selection_refuses(pending, attributes):
            message = "Another person than the one the service asked for"
            saml_response = idp.respond_error(pending, status=STATUS_UNKNOWN_PRINCIPAL, message=message, now=now)
            title = "Not the person the service asked for"
        elif pending.sign_message_must_show and not pending.sign_message:
            message = "The sign message cannot be shown"
            saml_response = idp.respond_error(pending, status=STATUS_RESPONDER, message=message, now=now)
            title = "The sign message cannot be shown"
        else:
            if pending.sign_message:  # shown on the login page and accepted by logging in: say so
                attributes["signMessageDigest"] = [sign_message_digest(pending.sign_message)]
            saml_response = idp.respond(pending, attributes=attributes, level=level, now=now)
            title = "Logged in"
    providers.answered(token)
    relay = (
        f'<input type="hidden" name="RelayState" value="{escape(pending.relay_state)}">' if pending.relay_state else ""
    )
    body = (
        f'<form method="post" action="{escape(pending.acs_url)}">'
        f'<input type="hidden" name="SAMLResponse" value="{escape(saml_response)}">{relay}'
        '<button type="submit">Continue to the service</button></form>'
    )
    return _page(title, body)


__all__ = ["STATUS_REQUESTER", "STATUS_RESPONDER", "IdentityProviders", "build_app"]
