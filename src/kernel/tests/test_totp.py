"""Requirement: one-time passwords match the test vectors of RFC 4226 (HOTP) and RFC 6238 (TOTP); a code works once."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel import totp

SEED_SHA1 = b"12345678901234567890"
SEED_SHA256 = b"12345678901234567890123456789012"
SEED_SHA512 = b"1234567890123456789012345678901234567890123456789012345678901234"

# RFC 6238 Appendix B: time, then the 8-digit TOTP for SHA-1, SHA-256, SHA-512.
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
# RFC 4226 Appendix D: HOTP of counters 0..9 for the SHA-1 seed.
RFC4226 = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]


def _at(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


@pytest.mark.parametrize(("counter", "expected"), list(enumerate(RFC4226)))
def test_hotp_matches_rfc_4226(counter: int, expected: str) -> None:
    assert totp.hotp(SEED_SHA1, counter) == expected


@pytest.mark.parametrize(("seconds", "sha1", "sha256", "sha512"), RFC6238)
def test_totp_matches_rfc_6238(seconds: int, sha1: str, sha256: str, sha512: str) -> None:
    assert totp.totp(SEED_SHA1, _at(seconds), digits=8, digest="sha1") == sha1
    assert totp.totp(SEED_SHA256, _at(seconds), digits=8, digest="sha256") == sha256
    assert totp.totp(SEED_SHA512, _at(seconds), digits=8, digest="sha512") == sha512


def test_a_code_is_accepted_one_step_either_side_and_only_once() -> None:
    secret = totp.new_secret()
    key = totp.key_from(secret)
    now = _at(1_800_000_000)
    code = totp.totp(key, now)
    step = totp.verify(key, code, now)
    assert step == totp.time_step(now)
    assert totp.verify(key, code, now + dt.timedelta(seconds=30)) == step, "one step of drift is allowed"
    assert totp.verify(key, code, now + dt.timedelta(seconds=90)) is None, "older codes are refused"
    assert totp.verify(key, code, now, after_step=step) is None, "a used code is refused"
    assert totp.verify(key, "12345", now) is None
    assert totp.verify(key, "abcdef", now) is None


def test_the_provisioning_uri_names_the_issuer_and_account() -> None:
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", account="anna", issuer="Mina sidor")
    assert uri.startswith("otpauth://totp/Mina%20sidor%3Aanna?secret=JBSWY3DPEHPK3PXP&issuer=Mina+sidor")
