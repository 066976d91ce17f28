"""The test persons of the test identity providers.

Swedish numbers are Skatteverket's published test numbers (never a real person's) or, for coordination
numbers, test numbers made the same way (day of birth + 60, valid check digit). Foreign identifiers are
invented. Each eIDAS person has a country, a PersonIdentifier addressed to Sweden, the prid algorithm and
persistence class the connector's policy gives that country, and optionally an identity binding.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from kernel.prid import PridAlgorithm, PridPersistence, prid_for

BINDING_POPULATION_REGISTER = "http://id.swedenconnect.se/id-binding/process/populationregister"
BINDING_SWEDISH_EID = "http://id.swedenconnect.se/id-binding/process/swedish-eid"


@dataclasses.dataclass(frozen=True)
class ForeignPerson:
    """A holder of a foreign eID, as the eIDAS connector would describe them."""

    key: str
    country: str
    person_identifier: str
    given_name: str
    family_name: str
    birth_date: dt.date
    algorithm: PridAlgorithm
    persistence: PridPersistence
    bound_number: str | None = None
    binding: tuple[str, ...] = ()
    note: str = ""

    @property
    def prid(self) -> str:
        return prid_for(self.person_identifier, self.algorithm)


@dataclasses.dataclass(frozen=True)
class SwedishPerson:
    """A holder of a Swedish eID at LoA3."""

    personal_number: str
    given_name: str
    family_name: str

    @property
    def birth_date(self) -> dt.date:
        number = self.personal_number
        return dt.date(int(number[:4]), int(number[4:6]), int(number[6:8]) % 60)


FOREIGN_PERSONS: tuple[ForeignPerson, ...] = (
    ForeignPerson(
        "no-bound-pnr",
        "NO",
        "NO/SE/02015912345",
        "Amir",
        "Haddad",
        dt.date(1959, 1, 2),
        PridAlgorithm.DEFAULT,
        PridPersistence.A,
        bound_number="195901022995",
        binding=(BINDING_POPULATION_REGISTER,),
        note="bound to a personal identity number (population register)",
    ),
    ForeignPerson(
        "fi-bound-pnr",
        "FI",
        "FI/SE/080162-952R",
        "Karin",
        "Lindqvist",
        dt.date(1962, 1, 8),
        PridAlgorithm.DEFAULT,
        PridPersistence.A,
        bound_number="196201082697",
        binding=(BINDING_POPULATION_REGISTER,),
        note="a Finnish eID bound to a demo person about to retire (she applies for pension with it)",
    ),
    ForeignPerson(
        "de-bound-coordination",
        "DE",
        "DE/SE/(1980 01 12-4711)",
        "Hans",
        "Müller",
        dt.date(1980, 1, 12),
        PridAlgorithm.DEFAULT,
        PridPersistence.B,
        bound_number="198001721235",
        binding=(BINDING_SWEDISH_EID,),
        note="bound to a coordination number (attested with a Swedish eID)",
    ),
    ForeignPerson(
        "fr-unbound",
        "FR",
        "FR/SE/7c1bd2f6a0e94b6e8d3f5a2c9e1b4d7f0a6c3e8b5d2f9a1c",
        "Camille",
        "Dubois",
        dt.date(1971, 6, 30),
        PridAlgorithm.COLRESIST,
        PridPersistence.B,
        note="no binding",
    ),
    ForeignPerson(
        "at-unbound",
        "AT",
        "AT/SE/Zk2ME2pjxwzQOjVeFGeqSIage34=",
        "Anna",
        "Gruber",
        dt.date(1966, 3, 14),
        PridAlgorithm.SPECIAL_CHARACTERS,
        PridPersistence.A,
        note="no binding",
    ),
)

SWEDISH_PERSONS: tuple[SwedishPerson, ...] = (
    SwedishPerson("196201082697", "Karin", "Lindqvist"),
    SwedishPerson("199101012384", "Sara", "Nilsson"),
    SwedishPerson("191212121212", "Tolvan", "Tolvansson"),
)


def foreign_person(key: str) -> ForeignPerson:
    for person in FOREIGN_PERSONS:
        if person.key == key:
            return person
    raise KeyError(key)


def swedish_person(personal_number: str) -> SwedishPerson:
    for person in SWEDISH_PERSONS:
        if person.personal_number == personal_number:
            return person
    raise KeyError(personal_number)
