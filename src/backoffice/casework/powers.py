"""An application signed by a delegate under the applicant's power of attorney: the checks (decision 0216).

The application's signed content says who signed for whom (``on_behalf``: the delegate's number and name, the
power's reference and the SHA-256 of the document the grantor signed). The submission carries that document
and the grantor's signature evidence (``power_of_attorney``). The back office checks, from the two signed
documents alone, that the power was the applicant's, given to the signer, covered applying, and was in force on
the day of the signature (Swedish time); the portal checks that it had not been ended early (the back office
cannot know that: the portal keeps the powers). The case keeps the power's document with the evidence
(``DelegateSignature``), so a handler can show years later under which power it was signed.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import json
import re
import uuid
import zoneinfo
from collections.abc import Callable
from typing import Any

import rfc8785

POWER_KIND = "power-of-attorney"
APPLY_SCOPE = "apply"
MAX_POWER_BYTES = 8_000
_ZONE = zoneinfo.ZoneInfo("Europe/Stockholm")
_NUMBER = re.compile(r"^\d{12}$")
_POWER_FIELDS = {"reference", "grantor", "grantor_name", "delegate", "scopes", "valid_from", "valid_until", "language"}
_ON_BEHALF_FIELDS = {"delegate", "delegate_name", "power_of_attorney", "power_sha256"}
_EVIDENCE_FIELDS = {
    "method",
    "signer_identifier",
    "signed_at",
    "signature",
    "ocsp_response",
    "sign_response",
    "signer_certificate",
}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class CheckedPower:
    """A power of attorney that covered the signature, as the case keeps it."""

    delegate: str
    delegate_name: str
    reference: uuid.UUID
    canonical_bytes: bytes
    sha256: str
    scopes: str
    valid_from: dt.date
    valid_until: dt.date
    grantor_evidence: dict[str, Any]


def on_behalf_of(canonical: bytes) -> Any:
    """The ``on_behalf`` block of a signed application's content, or None (signed by the applicant)."""
    try:
        envelope = json.loads(canonical)
    except ValueError:
        return None
    content = envelope.get("content") if isinstance(envelope, dict) else None
    return content.get("on_behalf") if isinstance(content, dict) else None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _power_read(proof: dict[str, Any], errors: dict[str, str]) -> tuple[bytes, dict[str, Any]] | None:
    """The canonical bytes and the content of the power's signed document; None with ``errors`` filled."""
    try:
        canonical = base64.b64decode(str(proof["canonical_bytes"])[: MAX_POWER_BYTES * 2], validate=True)
        envelope = json.loads(canonical)
        content = envelope["content"]
        canonical_ok = rfc8785.dumps(envelope) == canonical
    except (binascii.Error, ValueError, TypeError, KeyError, rfc8785.CanonicalizationError):
        errors["power_of_attorney.canonical_bytes"] = "is not a signed power of attorney (base64 of RFC 8785 JSON)"
        return None
    if not canonical_ok or set(envelope) != {"kind", "version", "content"} or envelope["kind"] != POWER_KIND:
        errors["power_of_attorney.canonical_bytes"] = "is not a signed power of attorney"
        return None
    if not isinstance(content, dict) or set(content) != _POWER_FIELDS or None in map(_date, _dates(content)):
        errors["power_of_attorney.content"] = f"must be an object of {', '.join(sorted(_POWER_FIELDS))}"
        return None
    return canonical, content


def _evidence_ok(evidence: Any) -> bool:
    return isinstance(evidence, dict) and set(evidence) <= _EVIDENCE_FIELDS and bool(evidence.get("signature"))


def _dates(content: dict[str, Any]) -> tuple[Any, Any]:
    return content.get("valid_from"), content.get("valid_until")


def power_check(
    *,
    on_behalf: Any,
    proof: Any,
    applicant: str,
    signer: str,
    signed_at: dt.datetime,
    errors: dict[str, str],
) -> CheckedPower | None:
    """The power ``proof`` checked against the signed ``on_behalf`` block, the applicant, the signer (their
    number: BankID's signer) and the time of the signature; None with ``errors`` filled when it does not hold."""
    found: dict[str, str] = {}
    if not isinstance(on_behalf, dict) or set(on_behalf) != _ON_BEHALF_FIELDS:
        found["document.content.on_behalf"] = f"must be an object of {', '.join(sorted(_ON_BEHALF_FIELDS))}"
    if not isinstance(proof, dict) or set(proof) != {"canonical_bytes", "evidence"}:
        found["power_of_attorney"] = "must be an object of canonical_bytes and evidence"
    read = None if found else _power_read(proof, found)
    if read is None:
        errors.update(found)
        return None
    canonical, content = read
    sha256 = hashlib.sha256(canonical).hexdigest()
    valid_from, valid_until = (_date(value) or dt.date.min for value in _dates(content))
    scopes, evidence = content["scopes"], proof["evidence"]
    day = signed_at.astimezone(_ZONE).date()
    checks: tuple[tuple[Callable[[], bool], str, str], ...] = (
        (
            lambda: sha256 != on_behalf["power_sha256"] or content["reference"] != on_behalf["power_of_attorney"],
            "power_of_attorney",
            "is not the power of attorney the application names",
        ),
        (
            lambda: content["grantor"] != applicant,
            "power_of_attorney.content.grantor",
            "is not the person the case is about",
        ),
        (
            lambda: not _NUMBER.fullmatch(str(on_behalf["delegate"])) or content["delegate"] != on_behalf["delegate"],
            "document.content.on_behalf.delegate",
            "is not the person the power of attorney was given to",
        ),
        (
            lambda: signer != on_behalf["delegate"],
            "evidence.signer_identifier",
            "is neither the person the case is about nor their delegate",
        ),
        (
            lambda: not isinstance(scopes, list) or APPLY_SCOPE not in scopes,
            "power_of_attorney.content.scopes",
            "does not cover applying on the person's behalf",
        ),
        (
            lambda: not valid_from <= day <= valid_until,
            "power_of_attorney.content.valid_until",
            "the power of attorney was not in force when it was signed",
        ),
        (
            lambda: (
                not isinstance(evidence, dict) or not set(evidence) <= _EVIDENCE_FIELDS or not evidence.get("signature")
            ),
            "power_of_attorney.evidence",
            "must be the grantor's signature evidence",
        ),
        (
            lambda: evidence.get("signer_identifier") != applicant,
            "power_of_attorney.evidence.signer_identifier",
            "is not the person who gave the power of attorney",
        ),
    )
    for failing, field, message in checks:
        if failing():
            errors[field] = message
            return None
    return CheckedPower(
        delegate=str(on_behalf["delegate"]),
        delegate_name=str(on_behalf["delegate_name"])[:200],
        reference=uuid.UUID(str(content["reference"])),
        canonical_bytes=canonical,
        sha256=sha256,
        scopes=",".join(str(scope) for scope in scopes),
        valid_from=valid_from,
        valid_until=valid_until,
        grantor_evidence=dict(evidence),
    )
