"""Test persons the virtual BankID app can act as — published test personal numbers only."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path


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


_extra: list[Person] = []


def all_persons() -> tuple[Person, ...]:
    """The built-in test persons and those added with :func:`add_persons`."""
    return (*TEST_PERSONS, *_extra)


def add_persons(path: Path) -> int:
    """Add test persons from a JSON file: ``[{"personalNumber", "givenName", "surname"}, ...]``.

    The file is the operator's (e.g. the portal's demo persons, which use Skatteverket's published test
    numbers); the simulator takes the numbers as given. Returns how many were added.
    """
    entries = json.loads(path.read_text())
    known = {person.personal_number for person in all_persons()}
    added = [
        Person(entry["personalNumber"], entry["givenName"], entry["surname"], dt.date(2024, 1, 1))
        for entry in entries
        if entry["personalNumber"] not in known
    ]
    _extra.extend(added)
    return len(added)


def find_person(personal_number: str) -> Person | None:
    """The test person with this number, or None."""
    return next((p for p in all_persons() if p.personal_number == personal_number), None)


def luhn_valid(personal_number: str) -> bool:
    """Whether the last ten digits of a 12-digit personal number pass the Luhn check."""
    digits = personal_number[2:]
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
