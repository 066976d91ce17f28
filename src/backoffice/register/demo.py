"""The demo persons that `make run` always creates, each with a story to try the portal with.

Their personal numbers are taken from Skatteverket's published list of test personal identity numbers
(testpersonnummer, open data), which are never assigned to real people; 191212121212 is BankID's own
well-known test identity. No real person's number is used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import transaction

from backoffice.register.models import Person
from kernel.personal_number import PersonalNumber


@dataclasses.dataclass(frozen=True)
class DemoPerson:
    """A named test person and the situation they are meant to show."""

    personal_number: str
    given_name: str
    family_name: str
    story: str


DEMO_PERSONS: tuple[DemoPerson, ...] = (
    DemoPerson("196201082697", "Karin", "Lindqvist", "64 years old and about to retire"),
    DemoPerson("199101012384", "Sara", "Nilsson", "35 years old, a parent of young children"),
    DemoPerson("195801082743", "Bengt", "Ek", "a pensioner who still works"),
    DemoPerson("195901022995", "Amir", "Haddad", "moved to Sweden late; gets guarantee pension"),
    DemoPerson("198001139297", "Lena", "Berg", "a registered Min Pension user"),
    DemoPerson("198501139995", "Johan", "Sund", "not a Min Pension user"),
    DemoPerson("191212121212", "Tolvan", "Tolvansson", "BankID's own test identity"),
)


def birth_date_of(person: DemoPerson) -> dt.date:
    """The date of birth encoded in the demo person's number."""
    return PersonalNumber(person.personal_number).birth_date


@transaction.atomic(using="backoffice")
def demo_persons_create() -> list[Person]:
    """Create or refresh the demo persons; running it twice changes nothing."""
    created = []
    for demo in DEMO_PERSONS:
        person, _ = Person.objects.update_or_create(
            personal_number=demo.personal_number,
            defaults={
                "given_name": demo.given_name,
                "family_name": demo.family_name,
                "birth_date": birth_date_of(demo),
            },
        )
        created.append(person)
    return created
