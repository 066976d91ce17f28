"""Test persons the virtual BankID app can act as — published test personal numbers only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """A test identity: its BankID as the issuing test bank stores it."""

    personal_number: str
    given_name: str
    surname: str
    bank_id_issue_date: dt.date

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.surname}"


# Only test personal numbers named in the BankID reference (docs/simulators.md): Tolvan is the user
# in BankID's own test signature, 199908072391 is ActiveLogin's simulator default (its name is in
# capitals on purpose: banks may store names that way), 190000000000 is BankID's example number.
TEST_PERSONS: tuple[Person, ...] = (
    Person("191212121212", "Tolvan", "Tolvansson", dt.date(2022, 9, 13)),
    Person("199908072391", "ASTRID", "ANDERSSON", dt.date(2023, 1, 1)),
    Person("190000000000", "Karl", "Karlsson", dt.date(2024, 6, 10)),
)


def find_person(personal_number: str) -> Person | None:
    """The test person with this number, or None."""
    return next((p for p in TEST_PERSONS if p.personal_number == personal_number), None)


def luhn_valid(personal_number: str) -> bool:
    """Whether the last ten digits of a 12-digit personal number pass the Luhn check."""
    digits = personal_number[2:]
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
