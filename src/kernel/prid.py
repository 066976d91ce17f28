"""The provisional identifier (prid) of a foreign eID user, computed as the Swedish eID framework says.

Sweden Connect's eIDAS connector turns the eIDAS ``PersonIdentifier`` (``<issuing country>/<receiving
country>/<id>``) into a ``prid`` of the form ``CC:<10–30 characters>`` with one of three algorithms
("eIDAS Constructed Attributes Specification for the Swedish eID Framework", v1.2, §2): which one a
country gets, and its persistence class (A, B or C), is the connector operator's policy. The portal
receives the prid; it computes nothing itself, but checks the format. The test connector computes it.
"""

from __future__ import annotations

import enum
import hashlib
import re

PRID_FORMAT = re.compile(r"^[A-Z]{2}:[0-9a-z][0-9a-z-]{8,28}[0-9a-z]$")
_PREFIX = re.compile(r"^(?P<country>[A-Za-z]{2})/(SE|se)/")
_NOT_ALLOWED_RUN = re.compile(r"[^0-9a-z]+")
_RADIX36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_MIN_LENGTH = 10
_MAX_LENGTH = 30
_MIN_SIGNIFICANT = 6
_MIN_SPECIAL = 16


class PridAlgorithm(enum.StrEnum):
    """The framework's three algorithms, by their registered names."""

    DEFAULT = "default-eIDAS"
    COLRESIST = "colresist-eIDAS"
    SPECIAL_CHARACTERS = "special-characters-eIDAS"


class PridPersistence(enum.StrEnum):
    """How long a prid is expected to stay the same for one person (§2.2 of the specification)."""

    A = "A"  # at least as stable as a Swedish personal identity number
    B = "B"  # stable until a change of address, name or civil status (not of eID)
    C = "C"  # no expectation: may change with a new eID or provider


class PridError(ValueError):
    """No prid can be computed from this PersonIdentifier with this algorithm."""


def prid_for(person_identifier: str, algorithm: PridAlgorithm) -> str:
    """The prid for an eIDAS ``PersonIdentifier`` addressed to Sweden, e.g. ``NO/SE/05068907693``."""
    match = _PREFIX.match(person_identifier)
    if match is None:
        raise PridError("The PersonIdentifier is not addressed to Sweden (XX/SE/...)")
    country = match["country"].upper()
    stripped = "".join(ch for ch in person_identifier[match.end() :] if ch.isprintable() and not ch.isspace())
    if algorithm is PridAlgorithm.SPECIAL_CHARACTERS:
        if len(stripped) < _MIN_SPECIAL:
            raise PridError("The identifier is too short for the special-characters algorithm")
        return f"{country}:{_radix36_digest(stripped)}"
    normalized = _NOT_ALLOWED_RUN.sub("-", stripped.lower()).strip("-")
    if len(normalized.replace("-", "")) < _MIN_SIGNIFICANT:
        raise PridError("The identifier has fewer than six letters or digits")
    if len(normalized) < _MIN_LENGTH:
        normalized = normalized.rjust(_MIN_LENGTH, "0")
    elif len(normalized) > _MAX_LENGTH:
        if algorithm is PridAlgorithm.DEFAULT:
            normalized = hashlib.sha256(stripped.encode("utf-8")).hexdigest()[:_MAX_LENGTH]
        else:
            normalized = _radix36_digest(stripped)
    return f"{country}:{normalized}"


def _radix36_digest(text: str) -> str:
    """The first 30 base-36 digits of SHA-256(text) read as a big-endian integer."""
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")
    digits = []
    while number:
        number, remainder = divmod(number, 36)
        digits.append(_RADIX36[remainder])
    return "".join(reversed(digits))[:_MAX_LENGTH]


def is_prid(value: str) -> bool:
    """Whether ``value`` has the form of a prid (``CC:`` and 10–30 lower-case letters, digits, hyphens)."""
    return PRID_FORMAT.fullmatch(value) is not None
