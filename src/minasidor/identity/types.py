"""The protocol-neutral identity every login method produces."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import models

from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.audit.types import Principal, PrincipalKind

# Levels of assurance of the Swedish eID framework (Tillitsramverket för Svensk e-legitimation).
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA4 = "http://id.elegnamnden.se/loa/1.0/loa4"


class Method(models.TextChoices):
    """How the citizen identified themself."""

    BANKID = "bankid", "BankID"
    SWEDISH_EID = "swedish_eid", "Svensk e-legitimation"
    EIDAS = "eidas", "eIDAS"


@dataclasses.dataclass(frozen=True, slots=True)
class ForeignIdentity:
    """What a foreign eID (through the eIDAS connector) says about the person, besides names."""

    country: str
    prid: str
    prid_persistence: str
    eidas_person_identifier: str
    # The identity-binding processes the connector reported for the mapped Swedish number; empty when no
    # number was shared. ``Identity.personal_number`` holds that number only when every process is one we
    # accept (``MINASIDOR_SAML_ACCEPTED_BINDINGS``).
    binding: tuple[str, ...] = ()
    # The foreign proxy service that authenticated the person (SAML AuthenticatingAuthority), for audit.
    authenticating_authority: str = ""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Acting:
    """A delegate acting for another person with their power of attorney (decision 0180).

    The identity that carries it is the other person's (whose pages are shown); this says who really acts:
    the delegate's access-log pseudonym and name, the power of attorney's reference and what it covers.
    """

    delegate_pseudonym: str
    delegate_name: str
    reference: str
    scopes: tuple[str, ...]
    # The delegate's own number: what they sign under the power is signed with their own e-ID (decision 0216).
    delegate_number: PersonalNumber | None = None

    def covers(self, scope: str) -> bool:
        return scope in self.scopes


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PowerDocument:
    """The signed document of a live power of attorney a delegate acts under, for what they sign under it
    (decision 0216): its canonical bytes, their SHA-256 (hex) and the grantor's signature evidence."""

    canonical: bytes
    sha256: str
    evidence: dict[str, str]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """Who logged in, how, how surely, and when.

    A Swedish personal or coordination number is present only when the method delivered one we accept
    (BankID always; a foreign eID only after an identity binding we trust). Code downstream checks
    :attr:`personal_number` before using it and otherwise works from :attr:`subject_key`.
    """

    method: Method
    provider: str
    level_of_assurance: str
    personal_number: PersonalNumber | None
    foreign: ForeignIdentity | None = None
    given_name: str
    family_name: str
    birth_date: dt.date | None = None
    authenticated_at: dt.datetime
    transaction_id: str
    # Set when a delegate acts for this person: the pages show this person's data, and every access record
    # names the delegate as its principal (never stored with the identity: the session keeps it apart).
    acting: Acting | None = None
    # How the access log names the person (from :attr:`subject_key`) and the citizen as a principal on their
    # own data (from :attr:`principal_key`): worked out once when the identity is made (once per request,
    # from the session), not at every use.
    pseudonym: str = dataclasses.field(init=False, repr=False, compare=False)
    principal: Principal = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.personal_number is None and self.foreign is None:
            raise ValueError("An identity needs a Swedish number or a foreign eID identity")
        if self.authenticated_at.tzinfo is None:
            raise ValueError("The time of authentication must be aware")
        pseudonym = pseudonym_for(self.subject_key)
        object.__setattr__(self, "pseudonym", pseudonym)
        if self.acting is not None:
            principal = Principal(kind=PrincipalKind.DELEGATE, ref=self.acting.delegate_pseudonym)
        else:
            own = pseudonym if self.principal_key == self.subject_key else pseudonym_for(self.principal_key)
            principal = Principal(kind=PrincipalKind.CITIZEN, ref=own)
        object.__setattr__(self, "principal", principal)

    @property
    def subject_key(self) -> str:
        """The stable key of the person: ``se:<number>``, or ``eidas:<country>:<prid>`` without one."""
        if self.personal_number is not None:
            return f"se:{self.personal_number.value}"
        assert self.foreign is not None  # noqa: S101 - guaranteed by __post_init__
        return f"eidas:{self.foreign.country}:{self.foreign.prid}"

    @property
    def principal_key(self) -> str:
        """Who acts, as the access log names them: the subject key, except for a foreign eID bound to a
        Swedish number, which acts on that number's data as itself (``eidas:<country>:<prid>``), so the log
        tells the person's own logins with the foreign eID apart from those with a Swedish e-ID."""
        if self.foreign is not None:
            return f"eidas:{self.foreign.country}:{self.foreign.prid}"
        return self.subject_key

    @property
    def display_name(self) -> str:
        """The name as a person would write it (BankID may deliver names in capitals)."""
        return " ".join(part for part in (_tidy(self.given_name), _tidy(self.family_name)) if part)

    def to_session(self) -> dict[str, Any]:
        """A JSON-safe form for the session store (without ``acting``, which the session keeps apart)."""
        return {
            "method": self.method.value,
            "provider": self.provider,
            "loa": self.level_of_assurance,
            "personal_number": self.personal_number.value if self.personal_number else None,
            "foreign": dataclasses.asdict(self.foreign) if self.foreign else None,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "authenticated_at": self.authenticated_at.isoformat(),
            "transaction_id": self.transaction_id,
        }

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> Identity:
        """The identity stored by :meth:`to_session`."""
        return cls(
            method=Method(data["method"]),
            provider=data["provider"],
            level_of_assurance=data["loa"],
            personal_number=PersonalNumber(data["personal_number"]) if data["personal_number"] else None,
            foreign=_foreign_from_session(data["foreign"]) if data["foreign"] else None,
            given_name=data["given_name"],
            family_name=data["family_name"],
            birth_date=dt.date.fromisoformat(data["birth_date"]) if data["birth_date"] else None,
            authenticated_at=dt.datetime.fromisoformat(data["authenticated_at"]),
            transaction_id=data["transaction_id"],
        )


def _foreign_from_session(data: dict[str, Any]) -> ForeignIdentity:
    values = dict(data)
    values["binding"] = tuple(values.get("binding", ()))
    return ForeignIdentity(**values)


def _tidy(name: str) -> str:
    """``ANNA-KARIN`` → ``Anna-Karin``; names already in mixed case are left as they are."""
    name = name.strip()
    return name.title() if name.isupper() else name
