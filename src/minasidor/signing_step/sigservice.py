"""Signing through the signature service (for people who logged in over SAML: a Swedish eID or a foreign
eID through the eIDAS connector): the sign request for the pending document, and the response turned into a
:class:`~minasidor.signing_step.flow.Signature` only when it proves the logged-in person signed it.

The request (:mod:`minasidor.signing.sigservice`) is signed with the portal's SAML key (the service knows it
from the portal's metadata), names the identity provider the person logged in with, their level of
assurance and who they are (personal number, the eIDAS connector's mapped number, or the ``prid``), and the
summary as the sign message. What was sent is kept server-side in the session with the document's hash.
The service posts its response back cross-site (HTTP-POST binding): :func:`response_stash` keeps the posted
value under a one-time token, and :func:`sigservice_complete` checks it in the person's own session (the
session cookie is not sent with another site's POST), then records it once (a replay is refused).
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from pathlib import Path
from typing import Any

import structlog
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError
from django.http import HttpRequest
from django.urls import reverse

from kernel import clock
from minasidor.identity.contrib.saml.config import base_url, entity_id
from minasidor.identity.types import Identity, Method
from minasidor.registers.types import SignatureEvidence, SignatureMethod
from minasidor.signing import sigservice
from minasidor.signing_step.bankid import SignRefusedError
from minasidor.signing_step.flow import PendingRequest, Signature, pending_forget, signature_keep, signer_of
from minasidor.signing_step.services import signature_record_create

SENT_KEY = "signing_step_sigservice_request"
RESULT_PREFIX = "signing_step:sigservice:"
RESULT_LIFETIME_SECONDS = 120

logger = structlog.get_logger(__name__)


class SignCancelledError(Exception):
    """The person cancelled at the signature service (nothing was signed)."""


def connected() -> bool:
    """Whether a signature service is configured."""
    return bool(settings.SIGSERVICE_URL)


def service() -> sigservice.Service:
    """The configured signature service, from its metadata's files."""
    certs = Path(settings.SIGSERVICE_SIGNING_CERT_FILE).read_bytes()
    blocks = [block for block in certs.split(b"-----END CERTIFICATE-----") if b"-----BEGIN CERTIFICATE-----" in block]
    return sigservice.Service(
        entity_id=settings.SIGSERVICE_ENTITY_ID,
        url=settings.SIGSERVICE_URL,
        signing_certs_pem=tuple(block.strip() + b"\n-----END CERTIFICATE-----\n" for block in blocks),
        ca_root_pem=Path(settings.SIGSERVICE_CA_ROOT_FILE).read_bytes(),
    )


def _requester(request: HttpRequest) -> sigservice.Requester:
    return sigservice.Requester(
        entity_id=entity_id(base_url(request)),
        key_pem=Path(settings.SAML_KEY_FILE).read_bytes(),
        cert_pem=Path(settings.SAML_CERT_FILE).read_bytes(),
    )


def signer_for(identity: Identity) -> sigservice.Signer:
    """Who the service must find when it authenticates the person again, at the same identity provider: the
    personal number of a Swedish eID; for a foreign eID its ``prid``, with the number it is bound to (the
    connector's ``mappedPersonalIdentityNumber``) when there is one."""
    foreign = identity.foreign if identity.method == Method.EIDAS else None
    return sigservice.Signer(
        personal_number=identity.personal_number.value if identity.personal_number is not None else None,
        prid=foreign.prid if foreign is not None else None,
        mapped=foreign is not None,
        identity_provider=identity.provider,
        level_of_assurance=identity.level_of_assurance,
    )


def _sent_to_session(sent: sigservice.SentRequest, *, hash_hex: str) -> dict[str, Any]:
    return {
        "request_id": sent.request_id,
        "xml": base64.b64encode(sent.xml).decode("ascii"),
        "to_be_signed": base64.b64encode(sent.to_be_signed).decode("ascii"),
        "sent_at": sent.sent_at.isoformat(),
        "not_on_or_after": sent.not_on_or_after.isoformat(),
        "hash": hash_hex,
    }


def _sent_from_session(data: dict[str, Any]) -> tuple[sigservice.SentRequest, str]:
    sent = sigservice.SentRequest(
        request_id=data["request_id"],
        xml=base64.b64decode(data["xml"]),
        to_be_signed=base64.b64decode(data["to_be_signed"]),
        sent_at=dt.datetime.fromisoformat(data["sent_at"]),
        not_on_or_after=dt.datetime.fromisoformat(data["not_on_or_after"]),
    )
    return sent, data["hash"]


def sigservice_request_make(
    request: HttpRequest, *, pending: PendingRequest, identity: Identity
) -> sigservice.SentRequest:
    """A signed request for the pending document, kept in the session; ``OSError`` when the keys or the
    service's files cannot be read."""
    sent = sigservice.sign_request_build(
        requester=_requester(request),
        service=service(),
        signer=signer_for(identity),
        document_digest=pending.document.digest,
        sign_message=pending.document.summary,
        return_url=request.build_absolute_uri(reverse("signing_step:sigservice-response")),
        now=clock.now(),
    )
    request.session[SENT_KEY] = _sent_to_session(sent, hash_hex=pending.document.hash_hex)
    logger.info("signing.sigservice_request_sent", method=identity.method.value)
    return sent


NOT_SIGNED = "not-signed-by-the-service"


def response_stash(form_value: str) -> str:
    """Keep a posted response for the person's session to take (one-time token). Only a response the
    service signed is kept; anything else is kept as a refusal (a few bytes), for the person's page to say so."""
    try:
        signed = sigservice.response_signed_by_service(form_value, service=service())
    except OSError as error:
        logger.error("signing.sigservice_files_unreadable", error=type(error).__name__)
        signed = False
    token = secrets.token_urlsafe(32)
    cache.set(f"{RESULT_PREFIX}{token}", form_value if signed else NOT_SIGNED, timeout=RESULT_LIFETIME_SECONDS)
    return token


def response_take(token: str) -> str | None:
    """The response kept under ``token`` (forgotten now)."""
    key = f"{RESULT_PREFIX}{token[:64]}"
    value: str | None = cache.get(key)
    cache.delete(key)
    return value


def sigservice_complete(
    request: HttpRequest, *, pending: PendingRequest | None, identity: Identity, form_value: str
) -> Signature:
    """The signature the response proves, recorded once and kept for the caller; :class:`SignRefusedError`
    or :class:`SignCancelledError` otherwise. The request in the session is used up either way."""
    data = request.session.pop(SENT_KEY, None)
    if data is None:
        raise SignRefusedError("no sign request waits in this session")
    if form_value == NOT_SIGNED:
        raise SignRefusedError("the posted response was not signed by the service")
    sent, hash_hex = _sent_from_session(data)
    if pending is None or pending.document.hash_hex != hash_hex:
        raise SignRefusedError("the document changed while the person was at the signature service")
    signer = signer_for(identity)
    try:
        proved = sigservice.sign_response_check(
            form_value,
            sent=sent,
            service=service(),
            signer=signer,
            accepted_levels=(identity.level_of_assurance,),
            now=clock.now(),
        )
    except sigservice.SignResponseRefusedError as refused:
        if refused.cancelled:
            raise SignCancelledError from refused
        raise SignRefusedError(refused.reason) from refused
    except OSError as error:
        logger.error("signing.sigservice_files_unreadable", error=type(error).__name__)
        raise SignRefusedError("the signature service's files cannot be read") from error
    try:
        signature_record_create(
            identity=identity, order_ref=proved.request_id, signature=proved.signature, document=pending.document
        )
    except IntegrityError as error:
        raise SignRefusedError("this response or signature has been accepted before (a replay)") from error
    signature = Signature(
        method="signature_service",
        document=pending.document,
        evidence=SignatureEvidence(
            method=SignatureMethod.SIGNATURE_SERVICE,
            signer_identifier=proved.signer_identifier,
            signed_at=proved.signed_at,
            signature=proved.signature,
            ocsp_response="",
            sign_response=proved.sign_response,
            signer_certificate=proved.signer_certificate,
        ),
        signed_at=proved.signed_at,
        signer=signer_of(identity),
    )
    signature_keep(request, signature)
    pending_forget(request)
    logger.info("signing.sigservice_signed", kind=pending.document.kind.value)
    return signature
