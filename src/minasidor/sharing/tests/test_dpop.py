"""Requirement (issue 22.2, decision 0186): a DPoP proof is accepted only when it is a dpop+jwt signed with an
asymmetric algorithm by the public key in its header, for this request's method and URI, recent, and (at the
API) for this access token; its thumbprint is what tokens are bound to."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping

import pytest
from joserfc import jws
from joserfc.jwk import ECKey, OctKey

from minasidor.sharing.dpop import DPoPError, DPoPNonceError, access_token_hash, proof_verify
from simulators.sharing_client.protocol import DPoPKey

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
URL = "https://portal.example/api/dela/v1/statement/"
AGE = dt.timedelta(seconds=60)


def _check(proof: str, **overrides: object) -> object:
    arguments: dict[str, object] = {"method": "GET", "url": URL, "now": NOW, "max_age": AGE, "access_token": "tok"}
    arguments.update(overrides)
    return proof_verify(proof, **arguments)  # type: ignore[arg-type]


def _signed(header: Mapping[str, object], claims: dict[str, object], key: object) -> str:
    return jws.serialize_compact(dict(header), json.dumps(claims).encode(), key)  # type: ignore[arg-type]


def _claims(**overrides: object) -> dict[str, object]:
    claims: dict[str, object] = {
        "jti": "j1",
        "htm": "GET",
        "htu": URL,
        "iat": int(NOW.timestamp()),
        "ath": access_token_hash("tok"),
    }
    claims.update(overrides)
    return claims


def test_a_good_proof_gives_the_keys_thumbprint() -> None:
    key = DPoPKey()
    proof = key.proof("GET", URL + "?x=1", access_token="tok", issued_at=NOW.timestamp(), jti="j1")
    checked = _check(proof, url=URL + "?y=2")
    assert checked.jkt == key.thumbprint  # type: ignore[attr-defined]
    assert checked.jti == "j1"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": "POST"}, "htm"),
        ({"url": "https://portal.example/api/dela/v1/forecast/"}, "htu"),
        ({"url": "https://other.example/api/dela/v1/statement/"}, "htu"),
        ({"now": NOW + dt.timedelta(seconds=61)}, "too old"),
        ({"now": NOW - dt.timedelta(seconds=6)}, "future"),
        ({"access_token": "another"}, "ath"),
    ],
)
def test_a_proof_for_another_request_time_or_token_is_refused(change: dict[str, object], message: str) -> None:
    proof = DPoPKey().proof("GET", URL, access_token="tok", issued_at=NOW.timestamp())
    with pytest.raises(DPoPError, match=message):
        _check(proof, **change)


def test_the_proof_must_be_a_dpop_jwt() -> None:
    key = ECKey.generate_key("P-256")
    header = {"typ": "JWT", "alg": "ES256", "jwk": key.as_dict(private=False)}
    with pytest.raises(DPoPError, match="typ"):
        _check(_signed(header, _claims(), key))


def test_a_symmetric_or_none_algorithm_is_refused() -> None:
    secret = OctKey.generate_key(256)
    header = {"typ": "dpop+jwt", "alg": "HS256", "jwk": secret.as_dict()}
    with pytest.raises(DPoPError, match="alg"):
        _check(_signed(header, _claims(), secret))
    unsigned_header = base64.urlsafe_b64encode(json.dumps({"typ": "dpop+jwt", "alg": "none"}).encode()).decode()
    payload = base64.urlsafe_b64encode(json.dumps(_claims()).encode()).decode()
    with pytest.raises(DPoPError, match="alg"):
        _check(f"{unsigned_header.rstrip('=')}.{payload.rstrip('=')}.")


def test_a_private_key_in_the_header_is_refused() -> None:
    key = ECKey.generate_key("P-256")
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=True)}
    with pytest.raises(DPoPError, match="public jwk"):
        _check(_signed(header, _claims(), key))


def test_a_signature_by_another_key_than_the_header_names_is_refused() -> None:
    named, signer = ECKey.generate_key("P-256"), ECKey.generate_key("P-256")
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": named.as_dict(private=False)}
    with pytest.raises(DPoPError, match="signature"):
        _check(_signed(header, _claims(), signer))


@pytest.mark.parametrize("garbage", ["", "a.b", "a.b.c", "x" * 5000, "é.é.é"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(DPoPError):
        _check(garbage)


def test_a_proof_without_a_jti_is_refused() -> None:
    key = ECKey.generate_key("P-256")
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=False)}
    claims = _claims()
    del claims["jti"]
    with pytest.raises(DPoPError, match="jti"):
        _check(_signed(header, claims, key))


def test_with_a_nonce_check_a_proof_must_carry_a_good_nonce() -> None:
    """Requirement (RFC 9449 section 8, decision 0220): when the server asks for its nonce, a proof without it or
    with another is refused as a nonce matter (the client may retry), after every other check."""
    key = DPoPKey()

    def good(nonce: str) -> bool:
        return nonce == "n-1"

    with_nonce = key.proof("GET", URL, access_token="tok", issued_at=NOW.timestamp(), nonce="n-1")
    assert _check(with_nonce, nonce_valid=good).jkt == key.thumbprint  # type: ignore[attr-defined]
    without = key.proof("GET", URL, access_token="tok", issued_at=NOW.timestamp())
    with pytest.raises(DPoPNonceError, match="must carry"):
        _check(without, nonce_valid=good)
    other = key.proof("GET", URL, access_token="tok", issued_at=NOW.timestamp(), nonce="n-0")
    with pytest.raises(DPoPNonceError, match="expired"):
        _check(other, nonce_valid=good)
    for_another_url = key.proof("POST", URL, access_token="tok", issued_at=NOW.timestamp())
    with pytest.raises(DPoPError, match="htm") as refused:
        _check(for_another_url, nonce_valid=good)
    assert not isinstance(refused.value, DPoPNonceError), "a bad proof is not cured by a nonce"
