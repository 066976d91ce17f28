"""From the attributes of a verified assertion to the portal's :class:`Identity`.

A Swedish eID delivers ``personalIdentityNumber``. The eIDAS connector delivers the eIDAS set (prid,
pridPersistence, eidasPersonIdentifier, names, date of birth, country, transaction id) and, when the
person has bound their eID to a Swedish number and agreed to share it, ``mappedPersonalIdentityNumber``
with ``personalIdentityNumberBinding``. That number becomes the identity's ``personal_number`` only when
every binding process named is one we accept; otherwise the person is who their foreign eID says and the
number is dropped. We never look a person up by name and date of birth ourselves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import structlog

from kernel.personal_number import PersonalNumber, PersonalNumberError
from kernel.prid import PridPersistence, is_prid
from minasidor.identity.contrib.saml import attributes as names
from minasidor.identity.contrib.saml.checks import Refusal, ResponseRefusedError
from minasidor.identity.types import ForeignIdentity, Identity, Method

logger = structlog.get_logger(__name__)


def attribute_values(assertion: Any) -> dict[str, list[str]]:
    """The assertion's attributes by their URI names (NameFormat uri), values as text."""
    values: dict[str, list[str]] = {}
    for statement in assertion.attribute_statement:
        for attribute in statement.attribute:
            values.setdefault(attribute.name, []).extend(
                (value.text or "").strip() for value in attribute.attribute_value
            )
    return values


def _one(values: dict[str, list[str]], name: str, *, required: bool = True) -> str:
    found = [value for value in values.get(name, []) if value]
    if len(found) > 1:
        raise ResponseRefusedError(Refusal.ATTRIBUTES, f"{name} has more than one value")
    if not found:
        if required:
            raise ResponseRefusedError(Refusal.ATTRIBUTES, f"{name} is missing")
        return ""
    return found[0]


def _birth_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as error:
        raise ResponseRefusedError(Refusal.ATTRIBUTES, "dateOfBirth is not YYYY-MM-DD") from error


def _authenticating_authority(assertion: Any) -> str:
    for statement in assertion.authn_statement:
        context = statement.authn_context
        if context is not None and context.authenticating_authority:
            return str(context.authenticating_authority[0].text or "").strip()
    return ""


def swedish_eid_identity(assertion: Any, *, idp: str, level: str, authenticated_at: dt.datetime) -> Identity:
    values = attribute_values(assertion)
    try:
        number = PersonalNumber(_one(values, names.PERSONAL_IDENTITY_NUMBER))
    except PersonalNumberError as error:
        raise ResponseRefusedError(Refusal.ATTRIBUTES, "personalIdentityNumber is not valid") from error
    return Identity(
        method=Method.SWEDISH_EID,
        provider=idp,
        level_of_assurance=level,
        personal_number=number,
        given_name=_one(values, names.GIVEN_NAME),
        family_name=_one(values, names.SN),
        birth_date=_birth_date(_one(values, names.DATE_OF_BIRTH, required=False)) or number.birth_date,
        authenticated_at=authenticated_at,
        transaction_id=_one(values, names.TRANSACTION_IDENTIFIER, required=False) or str(assertion.id),
    )


def eidas_identity(
    assertion: Any,
    *,
    idp: str,
    level: str,
    authenticated_at: dt.datetime,
    accepted_bindings: tuple[str, ...],
) -> Identity:
    values = attribute_values(assertion)
    country = _one(values, names.COUNTRY).upper()
    prid = _one(values, names.PRID)
    if not is_prid(prid) or not prid.startswith(f"{country}:"):
        raise ResponseRefusedError(Refusal.ATTRIBUTES, "prid is malformed or not of the authenticating country")
    persistence = _one(values, names.PRID_PERSISTENCE)
    if persistence not in {p.value for p in PridPersistence}:
        raise ResponseRefusedError(Refusal.ATTRIBUTES, "pridPersistence is not A, B or C")
    binding = tuple(
        uri.strip()
        for uri in _one(values, names.PERSONAL_IDENTITY_NUMBER_BINDING, required=False).split(";")
        if uri.strip()
    )
    mapped = _mapped_number(
        _one(values, names.MAPPED_PERSONAL_IDENTITY_NUMBER, required=False), binding, accepted_bindings
    )
    foreign = ForeignIdentity(
        country=country,
        prid=prid,
        prid_persistence=persistence,
        eidas_person_identifier=_one(values, names.EIDAS_PERSON_IDENTIFIER),
        binding=binding if mapped else (),
        authenticating_authority=_authenticating_authority(assertion),
    )
    return Identity(
        method=Method.EIDAS,
        provider=idp,
        level_of_assurance=level,
        personal_number=mapped,
        foreign=foreign,
        given_name=_one(values, names.GIVEN_NAME),
        family_name=_one(values, names.SN),
        birth_date=_birth_date(_one(values, names.DATE_OF_BIRTH)),
        authenticated_at=authenticated_at,
        transaction_id=_one(values, names.TRANSACTION_IDENTIFIER),
    )


def _mapped_number(text: str, binding: tuple[str, ...], accepted: tuple[str, ...]) -> PersonalNumber | None:
    """The mapped Swedish number, only when it came with binding processes we all accept."""
    if not text:
        return None
    if not binding or any(process not in accepted for process in binding):
        logger.warning("saml.mapped_number_ignored", reason="binding_not_accepted", processes=list(binding))
        return None
    try:
        return PersonalNumber(text)
    except PersonalNumberError:
        logger.warning("saml.mapped_number_ignored", reason="invalid_number")
        return None
