"""The read API's door: who is calling (which client, for which citizen, with which scopes), or why not.

A request carries ``Authorization: DPoP <access token>`` and a ``DPoP`` proof made for this request with the
key the token was issued to (RFC 9449), with the portal's current nonce. :func:`caller_check` refuses, with the
RFC 6750/9449 error the client needs, a bearer token, a missing or bad proof, a proof without a live nonce
(``use_dpop_nonce``: retry with the answer's ``DPoP-Nonce``), a proof seen before (replay), a token unknown, expired
or revoked, a token presented with another key than its own (another client's), a token whose consent has
ended, and a scope the token was not given.
"""

from __future__ import annotations

import dataclasses
import hashlib

from django.http import HttpRequest
from oauth2_provider.models import AccessToken

from kernel import clock
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.sharing.dpop import DPoPError, DPoPNonceError, proof_verify
from minasidor.sharing.models import Consent, TokenBinding
from minasidor.sharing.nonces import nonce_valid
from minasidor.sharing.services import proof_seen_record
from minasidor.sharing.types import PROOF_MAX_AGE
from minasidor.sharing.validator import consent_live
from minasidor.temporary_access.codes import unseal


class ApiRefusalError(Exception):
    """Why a request is refused: HTTP status, the OAuth error code and a sentence for the developer."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


@dataclasses.dataclass(frozen=True, slots=True)
class ApiCaller:
    """A checked request: the client (the principal of every read), the citizen (subject) and the consent."""

    client_id: str
    client_name: str
    subject_key: str
    consent: Consent
    scopes: frozenset[str]

    @property
    def principal(self) -> Principal:
        return Principal(kind=PrincipalKind.THIRD_PARTY, ref=self.client_id)


def _invalid_token(description: str) -> ApiRefusalError:
    return ApiRefusalError(401, "invalid_token", description)


def caller_check(request: HttpRequest, *, scope: str) -> ApiCaller:
    """The caller of this request if it may read ``scope``; raises ApiRefusalError otherwise."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "dpop" or not token.strip():
        raise _invalid_token("a DPoP-bound access token is required (Authorization: DPoP ...)")
    token = token.strip()
    proofs = request.META.get("HTTP_DPOP", "")
    if not proofs or "," in proofs:
        raise ApiRefusalError(401, "invalid_dpop_proof", "exactly one DPoP proof is required")
    try:
        proof = proof_verify(
            proofs,
            method=request.method or "GET",
            url=request.build_absolute_uri(),
            now=clock.now(),
            max_age=PROOF_MAX_AGE,
            access_token=token,
            nonce_valid=nonce_valid,
        )
    except DPoPNonceError as error:
        raise ApiRefusalError(401, "use_dpop_nonce", str(error)) from None
    except DPoPError as error:
        raise ApiRefusalError(401, "invalid_dpop_proof", str(error)) from None
    checksum = hashlib.sha256(token.encode()).hexdigest()
    access = AccessToken.objects.select_related("application").filter(token_checksum=checksum).first()
    if access is None or access.expires <= clock.now():
        raise _invalid_token("the access token is unknown, expired or revoked")
    binding = TokenBinding.objects.filter(access_token=access).first()
    if binding is None or binding.jkt != proof.jkt:
        raise _invalid_token("the access token is bound to another key")
    if not proof_seen_record(jkt=proof.jkt, jti=proof.jti):
        raise ApiRefusalError(401, "invalid_dpop_proof", "this proof was used before")
    consent = consent_live(user_id=access.user_id, application_id=access.application_id)
    if consent is None:
        raise _invalid_token("the citizen's consent has ended")
    scopes = frozenset(access.scope.split()) & frozenset(consent.scope_list)
    if scope not in scopes:
        raise ApiRefusalError(403, "insufficient_scope", f"the token does not grant {scope}")
    return ApiCaller(
        client_id=access.application.client_id,
        client_name=access.application.name,
        subject_key=unseal(consent.account.subject_sealed),
        consent=consent,
        scopes=scopes,
    )
