"""The test signature service's web side: the HTTP-POST binding's endpoint and the tester's pages.

Plain server-rendered pages without scripts (loopback test tool: no CSRF protection). A sign request posted
by the portal's page (``EidSignRequest``) is shown with what it asks to sign; the tester plays the signer and
signs or cancels. The authentication of the signer at the identity provider the request names is stood in
for by the tester's choice here (the service's SAML login at the test identity providers is not built): the
person signs as the request's ``Signer`` attributes name them, at the request's level of assurance. The
answer is a page with one button that posts the signed ``SignResponse`` back to the request's audience.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import secrets
from html import escape
from urllib.parse import parse_qs

from lxml import etree
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from simulators.sigservice.authn import SignerAuthentication, SignerCancelledError, SignerMismatchError
from simulators.sigservice.keys import ServiceKeys, pem
from simulators.sigservice.service import NS, Authenticated, respond

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1>{body}</main></body></html>"""


@dataclasses.dataclass
class Waiting:
    request_xml: bytes
    relay_state: str
    audience: str
    attributes: dict[str, str]
    identity_provider: str
    level_of_assurance: str
    message: str
    saml_request_id: str = ""
    sign_message_xml: bytes = b""  # the request's csig:SignMessage, passed on to the identity provider


@dataclasses.dataclass
class SignatureService:
    """The service's state: its keys, the requester it trusts (the portal's SAML signing certificate), and
    (when given) its SAML SP that authenticates the signer at the identity provider the request names."""

    keys: ServiceKeys
    requester_cert_pem: bytes
    authentication: SignerAuthentication | None = None
    waiting: dict[str, Waiting] = dataclasses.field(default_factory=dict)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(PAGE.format(title=escape(title), body=body), status_code=status)


def _read(request_xml: bytes, relay_state: str) -> Waiting:
    root = etree.fromstring(request_xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    extension = root.find("dss:OptionalInputs/csig:SignRequestExtension", NS)
    if extension is None:
        raise ValueError("not a sign request of the profile")
    attributes = {
        attribute.get("Name", ""): (attribute.findtext("saml:AttributeValue", default="", namespaces=NS) or "").strip()
        for attribute in extension.findall("csig:Signer/saml:Attribute", NS)
    }
    message = extension.findtext("csig:SignMessage/csig:Message", default="", namespaces=NS) or ""
    sign_message = extension.find("csig:SignMessage", NS)
    return Waiting(
        request_xml=request_xml,
        relay_state=relay_state,
        audience=extension.findtext(
            "saml:Conditions/saml:AudienceRestriction/saml:Audience", default="", namespaces=NS
        ),
        attributes=attributes,
        identity_provider=extension.findtext("csig:IdentityProvider", default="", namespaces=NS) or "",
        level_of_assurance=extension.findtext(
            "csig:CertRequestProperties/saml:AuthnContextClassRef", default="", namespaces=NS
        )
        or "",
        message=base64.b64decode(message).decode("utf-8") if message else "",
        sign_message_xml=etree.tostring(sign_message) if sign_message is not None else b"",
    )


async def _form(request: Request) -> dict[str, str]:
    """The posted form (parsed here: the simulators do without python-multipart)."""
    fields = parse_qs((await request.body()).decode("utf-8"))
    return {name: values[0] for name, values in fields.items()}


def _answered(
    service: SignatureService, waiting: Waiting, person: Authenticated | None, *, at_identity_provider: bool = False
) -> Response:
    """The signed answer (``person`` None: cancelled), on a page whose one button posts it to the requester.
    ``at_identity_provider``: the person was authenticated over SAML, which was asked to show the message."""
    response_xml = respond(
        waiting.request_xml,
        keys=service.keys,
        requester_cert_pem=service.requester_cert_pem,
        person=person,
        now=dt.datetime.now(dt.UTC),
        sign_message_checked=at_identity_provider,
    )
    body = (
        f"<form method='post' action='{escape(waiting.audience)}'>"
        f"<input type='hidden' name='EidSignResponse' value='{base64.b64encode(response_xml).decode()}'>"
        f"<input type='hidden' name='RelayState' value='{escape(waiting.relay_state)}'>"
        "<input type='hidden' name='Binding' value='POST/XML/1.0'>"
        "<button type='submit'>Back to the service you came from</button></form>"
    )
    return _page("Signed" if person else "Cancelled", body)


def build_app(service: SignatureService) -> Starlette:
    async def sign(request: Request) -> Response:
        form = await _form(request)
        try:
            request_xml = base64.b64decode(str(form.get("EidSignRequest", "")), validate=True)
            waiting = _read(request_xml, str(form.get("RelayState", "")))
        except (binascii.Error, ValueError, etree.LxmlError) as error:
            return _page("Not a sign request", f"<p>{escape(str(error))}</p>", status=400)
        key = secrets.token_urlsafe(16)
        service.waiting[key] = waiting
        if service.authentication is not None:
            waiting.saml_request_id, location = service.authentication.redirect(
                identity_provider=waiting.identity_provider,
                relay_state=key,
                match_values=list(waiting.attributes.items()),
                sign_message=waiting.sign_message_xml or None,
            )
            return RedirectResponse(location, status_code=303)
        who = "".join(f"<li>{escape(name)}: {escape(value)}</li>" for name, value in waiting.attributes.items())
        body = (
            f"<p>Identity provider: {escape(waiting.identity_provider)}</p><ul id='signer'>{who}</ul>"
            f"<h2>What you sign</h2><pre id='sign-message'>{escape(waiting.message)}</pre>"
            f"<form method='post' action='/sign/{key}/answer'>"
            "<button type='submit' name='action' value='sign'>Sign</button> "
            "<button type='submit' name='action' value='cancel'>Cancel</button></form>"
        )
        return _page("Test signature service", body)

    async def answer(request: Request) -> Response:
        waiting = service.waiting.pop(request.path_params["key"], None)
        if waiting is None:
            return _page("Unknown request", "<p>This request has been answered already.</p>", status=404)
        form = await _form(request)
        identifier = next(iter(waiting.attributes.values()), "")
        person = None
        if form.get("action") == "sign":
            person = Authenticated(
                attributes=waiting.attributes,
                identifier=identifier,
                given_name="Test",
                surname="Person",
                identity_provider=waiting.identity_provider,
                level_of_assurance=waiting.level_of_assurance,
            )
        return _answered(service, waiting, person)

    async def acs(request: Request) -> Response:
        form = await _form(request)
        waiting = service.waiting.pop(form.get("RelayState", ""), None)
        if waiting is None or service.authentication is None:
            return _page("Unknown request", "<p>No sign request waits for this login.</p>", status=404)
        try:
            person: Authenticated | None = service.authentication.authenticated(
                form.get("SAMLResponse", ""), request_id=waiting.saml_request_id
            )
        except SignerMismatchError:  # someone else than the Signer: refused as user-mismatch
            person = Authenticated(
                attributes={},
                identifier="",
                given_name="",
                surname="",
                identity_provider=waiting.identity_provider,
                level_of_assurance=waiting.level_of_assurance,
            )
        except SignerCancelledError:
            person = None
        return _answered(service, waiting, person, at_identity_provider=True)

    async def signing_cert(request: Request) -> Response:
        return PlainTextResponse(pem(service.keys.signing_cert).decode("ascii"))

    async def ca_root(request: Request) -> Response:
        return PlainTextResponse(pem(service.keys.ca_cert).decode("ascii"))

    return Starlette(
        routes=[
            Route("/sign", sign, methods=["POST"]),
            Route("/sign/{key}/answer", answer, methods=["POST"]),
            Route("/saml/acs", acs, methods=["POST"]),
            Route("/signing.crt", signing_cert, methods=["GET"]),
            Route("/ca.crt", ca_root, methods=["GET"]),
        ]
    )
