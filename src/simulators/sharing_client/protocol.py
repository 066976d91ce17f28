"""The client side of the protocols, as any third party would write it: PKCE (RFC 7636, S256), DPoP proofs
(RFC 9449) with a key of its own and the server's nonce, and the URLs of the authorization request. No portal
code."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from urllib.parse import urlencode

from joserfc import jws
from joserfc.jwk import ECKey

NONCE_HEADER = "DPoP-Nonce"
NONCE_ERROR = "use_dpop_nonce"


def nonce_asked(status: int, body: object, www_authenticate: str) -> bool:
    """Whether an answer asks for a proof with the server's nonce: 400 at the token endpoint (RFC 9449 section
    8), 401 with the error in ``WWW-Authenticate`` at the resource server (section 9)."""
    if status == 400 and isinstance(body, dict):
        return body.get("error") == NONCE_ERROR
    return status == 401 and f'error="{NONCE_ERROR}"' in www_authenticate


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    return verifier, _b64(hashlib.sha256(verifier.encode("ascii")).digest())


class DPoPKey:
    """The client's DPoP key (P-256, ES256): it signs a fresh proof for every request."""

    def __init__(self) -> None:
        self.key = ECKey.generate_key("P-256")

    @property
    def thumbprint(self) -> str:
        return self.key.thumbprint()

    def proof(
        self,
        method: str,
        url: str,
        *,
        access_token: str | None = None,
        issued_at: float | None = None,
        jti: str | None = None,
        nonce: str | None = None,
    ) -> str:
        """A proof for one request of ``method`` to ``url`` (and, at the API, for ``access_token``), with the
        server's ``nonce`` once it gave one."""
        claims: dict[str, object] = {
            "jti": jti or secrets.token_urlsafe(16),
            "htm": method,
            "htu": url.split("?", 1)[0],
            "iat": int(issued_at if issued_at is not None else time.time()),
        }
        if nonce is not None:
            claims["nonce"] = nonce
        if access_token is not None:
            claims["ath"] = _b64(hashlib.sha256(access_token.encode("ascii")).digest())
        header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": self.key.as_dict(private=False)}
        return jws.serialize_compact(header, json.dumps(claims).encode(), self.key)


def authorization_url(
    authorize_endpoint: str, *, client_id: str, redirect_uri: str, scope: str, state: str, challenge: str
) -> str:
    """Where the citizen's browser is sent to be asked for consent."""
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return f"{authorize_endpoint}?{urlencode(query)}"
