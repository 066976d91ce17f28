"""The signing step: what callers use to have the logged-in person sign a document (decisions 0100, 0101).

A caller (the application pages, the payment-account change, later a power of attorney) calls
:func:`sign_begin` with a :class:`~minasidor.signing.documents.SignableDocument`; the pending request is
kept server-side in the session and the browser goes to ``/sign/``. The step picks the method by how the
person logged in (BankID → BankID's sign order; a SAML login → the signature service, until it exists the
page that says how to apply on paper), and after a good signature sends the browser to the caller's
``return_url``, where :func:`signature_take` hands over the :class:`Signature` (and forgets it). After a
cancel or a failure the browser goes to ``cancel_url``.

Only these three names (and :func:`signature_keep`, for callers' tests) are for callers; the rest of the
module is the step's own.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from kernel import clock
from minasidor.identity.session import current_identity
from minasidor.identity.types import Identity, Method
from minasidor.registers.types import SignatureEvidence, SignatureMethod
from minasidor.signing.documents import SignableDocument, document_from_canonical

REQUEST_KEY = "signing_step_request"
SIGNATURES_KEY = "signing_step_signatures"
# How long a pending request or a completed signature waits in the session for its caller.
REQUEST_LIFETIME = dt.timedelta(minutes=30)

SigningMethod = Literal["bankid", "signature_service"]


class SigningRequestError(ValueError):
    """A caller asked for a signature in a way the step refuses (a programming error, not the citizen's)."""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Signature:
    """A completed, verified signature of ``document`` by the logged-in person.

    ``evidence`` is ready for ``registers.types.CaseSubmission``; ``signer`` is the personal number (or,
    for a foreign eID without one, the identity's subject key) of the person who signed, always the
    logged-in person's.
    """

    method: SigningMethod
    document: SignableDocument
    evidence: SignatureEvidence
    signed_at: dt.datetime
    signer: str = dataclasses.field(repr=False)

    def to_session(self) -> dict[str, Any]:
        """A JSON-safe form for the session store."""
        evidence = self.evidence
        return {
            "method": self.method,
            "document": _document_to_session(self.document),
            "evidence": {
                "method": str(evidence.method),
                "signer_identifier": evidence.signer_identifier,
                "signed_at": evidence.signed_at.isoformat(),
                "signature": evidence.signature,
                "ocsp_response": evidence.ocsp_response,
                "sign_response": evidence.sign_response,
                "signer_certificate": evidence.signer_certificate,
            },
            "signed_at": self.signed_at.isoformat(),
            "signer": self.signer,
        }

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> Signature:
        """The signature stored by :meth:`to_session`."""
        evidence = data["evidence"]
        method: SigningMethod = "bankid" if data["method"] == "bankid" else "signature_service"
        return cls(
            method=method,
            document=_document_from_session(data["document"]),
            evidence=SignatureEvidence(
                method=SignatureMethod(evidence["method"]),
                signer_identifier=evidence["signer_identifier"],
                signed_at=dt.datetime.fromisoformat(evidence["signed_at"]),
                signature=evidence["signature"],
                ocsp_response=evidence["ocsp_response"],
                sign_response=evidence["sign_response"],
                signer_certificate=evidence["signer_certificate"],
            ),
            signed_at=dt.datetime.fromisoformat(data["signed_at"]),
            signer=data["signer"],
        )


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PendingRequest:
    """A caller's request for a signature, waiting in the session while the person signs."""

    document: SignableDocument
    return_url: str
    cancel_url: str
    asked_at: dt.datetime

    def to_session(self) -> dict[str, Any]:
        return {
            "document": _document_to_session(self.document),
            "return_url": self.return_url,
            "cancel_url": self.cancel_url,
            "asked_at": self.asked_at.isoformat(),
        }

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> PendingRequest:
        return cls(
            document=_document_from_session(data["document"]),
            return_url=data["return_url"],
            cancel_url=data["cancel_url"],
            asked_at=dt.datetime.fromisoformat(data["asked_at"]),
        )


def _document_to_session(document: SignableDocument) -> dict[str, str]:
    return {"canonical": base64.b64encode(document.canonical).decode("ascii"), "summary": document.summary}


def _document_from_session(data: dict[str, str]) -> SignableDocument:
    return document_from_canonical(base64.b64decode(data["canonical"]), summary=data["summary"])


# --- For callers -------------------------------------------------------------------------------------


def sign_begin(
    request: HttpRequest, *, document: SignableDocument, return_url: str, cancel_url: str
) -> HttpResponseRedirect:
    """Ask the logged-in person to sign ``document``: keeps the request in the session (replacing any other
    pending one) and returns the redirect to the signing page. ``return_url`` and ``cancel_url`` must be
    paths of this site (the step sends the browser there)."""
    for url in (return_url, cancel_url):
        if not url.startswith("/") or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
            raise SigningRequestError("return_url and cancel_url must be paths of this site")
    if current_identity(request) is None:
        raise SigningRequestError("only a logged-in person signs")
    pending = PendingRequest(document=document, return_url=return_url, cancel_url=cancel_url, asked_at=clock.now())
    request.session[REQUEST_KEY] = pending.to_session()
    return redirect("signing_step:start")


def signature_take(request: HttpRequest, *, hash_hex: str) -> Signature | None:
    """The completed signature of the document with this hash, removed from the session; ``None`` when there
    is none (never signed, already taken, too old, or signed by someone else than the session's person)."""
    signatures: dict[str, Any] = request.session.get(SIGNATURES_KEY) or {}
    data = signatures.pop(hash_hex, None)
    if data is None:
        return None
    request.session[SIGNATURES_KEY] = signatures
    signature = Signature.from_session(data)
    identity = current_identity(request)
    if identity is None or signer_of(identity) != signature.signer:
        return None
    if clock.now() - signature.signed_at > REQUEST_LIFETIME:
        return None
    return signature


def signature_keep(request: HttpRequest, signature: Signature) -> None:
    """Keep a completed signature for its caller's :func:`signature_take` (the step's last move; callers'
    tests use it to stand in for a signing)."""
    signatures: dict[str, Any] = dict(request.session.get(SIGNATURES_KEY) or {})
    signatures[signature.document.hash_hex] = signature.to_session()
    request.session[SIGNATURES_KEY] = signatures


# --- The step's own ----------------------------------------------------------------------------------


def signer_of(identity: Identity) -> str:
    """Who signs, as :attr:`Signature.signer` names them: the personal number, else the subject key."""
    if identity.personal_number is not None:
        return identity.personal_number.value
    return identity.subject_key


def method_for(identity: Identity) -> SigningMethod:
    """The way this person signs, by how they logged in."""
    return "bankid" if identity.method == Method.BANKID else "signature_service"


def pending_of(request: HttpRequest) -> PendingRequest | None:
    """The request waiting to be signed, if any (an old one is forgotten)."""
    data = request.session.get(REQUEST_KEY)
    if not data:
        return None
    pending = PendingRequest.from_session(data)
    if clock.now() - pending.asked_at > REQUEST_LIFETIME:
        request.session.pop(REQUEST_KEY, None)
        return None
    return pending


def pending_forget(request: HttpRequest) -> None:
    """Forget the request (signed, cancelled or failed)."""
    request.session.pop(REQUEST_KEY, None)
