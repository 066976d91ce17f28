"""The attributes the test IdPs release, by the framework's attribute sets.

``eidas-natural-person-01`` for the connector (plus the mapped number and binding when shared) and
``pnr-01`` (with date of birth) for the Swedish eID. Keys are the friendly names of our attribute map.
"""

from __future__ import annotations

import secrets

from simulators.saml_idp.persons import ForeignPerson, SwedishPerson


def connector_attributes(person: ForeignPerson, *, share_binding: bool) -> dict[str, list[str]]:
    attributes = {
        "prid": [person.prid],
        "pridPersistence": [person.persistence.value],
        "eidasPersonIdentifier": [person.person_identifier],
        "givenName": [person.given_name],
        "sn": [person.family_name],
        "dateOfBirth": [person.birth_date.isoformat()],
        "c": [person.country],
        "transactionIdentifier": [f"_{secrets.token_hex(16)}"],
    }
    if share_binding and person.bound_number:
        attributes["mappedPersonalIdentityNumber"] = [person.bound_number]
        attributes["personalIdentityNumberBinding"] = [";".join(person.binding)]
    return attributes


def swedish_eid_attributes(person: SwedishPerson) -> dict[str, list[str]]:
    return {
        "personalIdentityNumber": [person.personal_number],
        "givenName": [person.given_name],
        "sn": [person.family_name],
        "displayName": [f"{person.given_name} {person.family_name}"],
        "dateOfBirth": [person.birth_date.isoformat()],
        "transactionIdentifier": [f"_{secrets.token_hex(16)}"],
    }
