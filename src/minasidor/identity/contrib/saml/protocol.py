"""The SAML login: an AuthnRequest to the chosen identity provider, and the strict reading of its answer.

The outstanding request is kept server-side in the security store (never culled), keyed by its id, because
the answer arrives as a cross-site POST that carries no session cookie (``SameSite=Lax``); the browser's
session remembers the same id, and the login is completed only in that session (:mod:`views`). An id answers once.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
from typing import Any, Literal

import structlog
from django.conf import settings
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.saml import AuthnContextClassRef
from saml2.samlp import RequestedAuthnContext
from saml2.sigver import MissingKey, SignatureError
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from kernel import clock
from minasidor.identity.contrib.saml import checks, config, mapping
from minasidor.identity.contrib.saml.checks import Expected, Refusal, ResponseRefusedError, Status
from minasidor.identity.types import Identity
from minasidor.security.store import security_cache

Kind = Literal["eidas", "swedish_eid"]
REQUEST_PREFIX = "saml:request:"
REQUEST_LIFETIME = dt.timedelta(minutes=15)
MAX_RESPONSE_BYTES = 256 * 1024

logger = structlog.get_logger(__name__)


class IdpStatusError(Exception):
    """The identity provider answered with an error status (the user cancelled, or it failed)."""

    def __init__(self, status: Status, outstanding: Outstanding) -> None:
        super().__init__(status.subcode or status.code)
        self.status = status
        self.outstanding = outstanding


@dataclasses.dataclass(frozen=True)
class Outstanding:
    """An AuthnRequest we sent and have not had an answer to."""

    request_id: str
    kind: Kind
    idp: str
    levels: tuple[str, ...]
    requested_at: dt.datetime
    language: str
    base: str

    def to_cache(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["requested_at"] = self.requested_at.isoformat()
        data["levels"] = list(self.levels)
        return data

    @classmethod
    def from_cache(cls, data: dict[str, Any]) -> Outstanding:
        values = dict(data)
        values["requested_at"] = dt.datetime.fromisoformat(data["requested_at"])
        values["levels"] = tuple(data["levels"])
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class LoginResult:
    identity: Identity
    outstanding: Outstanding


def levels_for(kind: Kind) -> tuple[str, ...]:
    return tuple(settings.SAML_EIDAS_LOAS if kind == "eidas" else settings.SAML_SWEDISH_EID_LOAS)


def login_request_create(*, base: str, kind: Kind, idp: str, language: str) -> tuple[str, Outstanding]:
    """A signed AuthnRequest (HTTP-Redirect) to ``idp``: the URL to send the browser to, and what we expect."""
    levels = levels_for(kind)
    client = config.client(base)
    request_id, info = client.prepare_for_authenticate(
        entityid=idp,
        relay_state="",
        binding=BINDING_HTTP_REDIRECT,
        force_authn="true",
        requested_authn_context=RequestedAuthnContext(
            authn_context_class_ref=[AuthnContextClassRef(text=level) for level in levels], comparison="exact"
        ),
        sign=True,
        sigalg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
        response_binding=BINDING_HTTP_POST,
    )
    location = dict(info["headers"])["Location"]
    outstanding = Outstanding(
        request_id=request_id,
        kind=kind,
        idp=idp,
        levels=levels,
        requested_at=clock.now(),
        language=language,
        base=base,
    )
    security_cache().set(
        f"{REQUEST_PREFIX}{request_id}", outstanding.to_cache(), timeout=int(REQUEST_LIFETIME.total_seconds())
    )
    logger.info("saml.request_sent", kind=kind, idp=idp)
    return location, outstanding


def outstanding_for(saml_response: str) -> Outstanding | None:
    """The request this (not yet verified) response says it answers, if we sent it and it is unanswered."""
    try:
        root = checks.parse(_decode(saml_response))
    except ResponseRefusedError:
        return None
    data = security_cache().get(f"{REQUEST_PREFIX}{checks.in_response_to(root)}")
    return Outstanding.from_cache(data) if data else None


def _decode(saml_response: str) -> bytes:
    if len(saml_response) > MAX_RESPONSE_BYTES:
        raise ResponseRefusedError(Refusal.MALFORMED, "too large")
    try:
        return base64.b64decode(saml_response, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ResponseRefusedError(Refusal.MALFORMED, "not base64") from error


def login_response_consume(*, saml_response: str) -> LoginResult:
    """Check the IdP's answer strictly and turn it into an :class:`Identity` (see :mod:`checks`)."""
    root = checks.parse(_decode(saml_response))
    request_id = checks.in_response_to(root)
    data = security_cache().get(f"{REQUEST_PREFIX}{request_id}") if request_id else None
    if not data or not security_cache().delete(f"{REQUEST_PREFIX}{request_id}"):
        raise ResponseRefusedError(Refusal.IN_RESPONSE_TO, "not an answer to an outstanding request of ours")
    outstanding = Outstanding.from_cache(data)
    status = checks.status_of(root)
    if not status.ok:
        raise IdpStatusError(status, outstanding)
    acs_url = config.acs_url(outstanding.base)
    checks.precheck(root, acs_url=acs_url)
    client = config.client(outstanding.base)
    try:
        parsed = client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"})
    except MissingKey as error:  # the issuer has no key in the federation's metadata: not a member
        raise ResponseRefusedError(Refusal.UNKNOWN_IDP, f"issuer not in the federation's metadata: {error}") from error
    except SignatureError as error:
        raise ResponseRefusedError(Refusal.BAD_SIGNATURE, str(error)) from error
    except Exception as error:  # pysaml2 raises many kinds; every one is a refusal
        reason = Refusal.AUDIENCE if "AudienceRestrictions" in str(error) else Refusal.MALFORMED
        raise ResponseRefusedError(reason, f"{type(error).__name__}: {error}") from error
    if parsed is None or parsed.assertion is None:
        raise ResponseRefusedError(Refusal.MALFORMED, "no assertion")
    assertion = parsed.assertion
    expected = Expected(
        request_id=request_id,
        idp=outstanding.idp,
        levels=outstanding.levels,
        requested_at=outstanding.requested_at,
        acs_url=acs_url,
        entity_id=config.entity_id(outstanding.base),
    )
    level = checks.postcheck(
        parsed.response,
        assertion,
        expected=expected,
        now=clock.now(),
        skew=dt.timedelta(seconds=settings.SAML_CLOCK_SKEW_SECONDS),
        max_age=dt.timedelta(seconds=settings.SAML_RESPONSE_MAX_AGE_SECONDS),
    )
    authenticated_at = checks.instant_of(assertion.authn_statement[0].authn_instant)
    if outstanding.kind == "eidas":
        identity = mapping.eidas_identity(
            assertion,
            idp=outstanding.idp,
            level=level,
            authenticated_at=authenticated_at,
            accepted_bindings=tuple(settings.SAML_ACCEPTED_BINDINGS),
        )
    else:
        identity = mapping.swedish_eid_identity(
            assertion, idp=outstanding.idp, level=level, authenticated_at=authenticated_at
        )
    logger.info("saml.response_accepted", kind=outstanding.kind, loa=level, mapped=identity.personal_number is not None)
    return LoginResult(identity=identity, outstanding=outstanding)
