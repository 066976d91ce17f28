"""DPoP proofs (RFC 9449): the check that the one who presents a token holds the key it was bound to.

Django-free. A proof is a JWS the client signs with its own key for every request: its header carries the
public key (``jwk``), its claims the request (``htm``, ``htu``), when (``iat``), a unique id (``jti``), the
server's ``nonce`` when it asks for one and, at the resource server, the hash of the access token (``ath``).
:func:`proof_verify` checks all of it and returns the key's thumbprint (RFC 7638), which tokens are bound to;
whether the ``jti`` was seen before is the caller's question (it needs a store), and so is what a nonce is
(:mod:`minasidor.sharing.nonces`). No well-kept library checks DPoP proofs for django-oauth-toolkit, so this
small verifier is ours, on joserfc (decision 0186).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, import_key

# Asymmetric algorithms only (a proof's key is public); ES256 is what every client library offers.
ALGORITHMS = ("ES256", "EdDSA")
PROOF_TYPE = "dpop+jwt"
MAX_PROOF_BYTES = 4096
JTI_MAX = 64
# How far a client's clock may run ahead of ours.
CLOCK_LEEWAY = dt.timedelta(seconds=5)


class DPoPError(Exception):
    """The proof is missing, malformed, stale, for another request, or not signed by the key it names."""


class DPoPNonceError(DPoPError):
    """The proof is good but lacks the server's nonce, or carries one that is not (or no longer) the server's:
    the client should retry with the nonce of the answer's ``DPoP-Nonce`` (RFC 9449 ``use_dpop_nonce``)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Proof:
    """A checked proof: the thumbprint of its key, its id (for the replay check) and when it was made."""

    jkt: str
    jti: str
    issued_at: dt.datetime


def access_token_hash(access_token: str) -> str:
    """``ath``: the base64url SHA-256 of the access token, without padding."""
    return _b64(hashlib.sha256(access_token.encode("ascii")).digest())


def target_uri(url: str) -> str:
    """``htu`` as compared: scheme, host and path, without query or fragment (RFC 9449 section 4.3)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, "", ""))


def proof_verify(
    proof: str,
    *,
    method: str,
    url: str,
    now: dt.datetime,
    max_age: dt.timedelta,
    access_token: str | None = None,
    nonce_valid: Callable[[str], bool] | None = None,
) -> Proof:
    """Check ``proof`` for a request of ``method`` to ``url`` at ``now``; with ``access_token``, also its hash;
    with ``nonce_valid``, that its ``nonce`` claim is one the server gave (checked last, after the signature).

    Raises DPoPError saying what is wrong (DPoPNonceError when only the nonce is). The replay check on the
    returned ``jti`` is left to the caller.
    """
    if not proof or len(proof) > MAX_PROOF_BYTES or proof.count(".") != 2:
        raise DPoPError("not a compact JWS")
    try:
        header = jws.extract_compact(proof.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeError) as error:
        raise DPoPError("not a compact JWS") from error
    if header.get("typ") != PROOF_TYPE:
        raise DPoPError("typ must be dpop+jwt")
    if header.get("alg") not in ALGORITHMS:
        raise DPoPError("unsupported alg")
    key_data = header.get("jwk")
    if not isinstance(key_data, dict) or "d" in key_data:
        raise DPoPError("the header must carry a public jwk")
    try:
        key = import_key(key_data)
        if not isinstance(key, ECKey | OKPKey):
            raise DPoPError("the jwk must be an EC or OKP key")
        claims = json.loads(jws.deserialize_compact(proof, key, algorithms=list(ALGORITHMS)).payload)
    except (JoseError, ValueError, TypeError) as error:
        raise DPoPError("the signature does not verify with the jwk") from error
    if not isinstance(claims, dict):
        raise DPoPError("the claims must be an object")
    _claims_check(claims, method=method, url=url, now=now, max_age=max_age, access_token=access_token)
    if nonce_valid is not None:
        nonce = claims.get("nonce")
        if not isinstance(nonce, str):
            raise DPoPNonceError("the proof must carry the server's nonce")
        if not nonce_valid(nonce):
            raise DPoPNonceError("the nonce is not the server's, or has expired")
    return Proof(
        jkt=key.thumbprint(),
        jti=claims["jti"],
        issued_at=dt.datetime.fromtimestamp(claims["iat"], tz=dt.UTC),
    )


def _claims_check(
    claims: dict[str, object],
    *,
    method: str,
    url: str,
    now: dt.datetime,
    max_age: dt.timedelta,
    access_token: str | None,
) -> None:
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 0 < len(jti) <= JTI_MAX:
        raise DPoPError("jti missing or too long")
    if claims.get("htm") != method:
        raise DPoPError("htm is not this request's method")
    htu = claims.get("htu")
    if not isinstance(htu, str) or target_uri(htu) != target_uri(url):
        raise DPoPError("htu is not this request's URI")
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        raise DPoPError("iat missing")
    issued = dt.datetime.fromtimestamp(iat, tz=dt.UTC)
    if issued > now + CLOCK_LEEWAY or issued < now - max_age:
        raise DPoPError("the proof is too old or from the future")
    if access_token is not None and claims.get("ath") != access_token_hash(access_token):
        raise DPoPError("ath does not match the access token")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
