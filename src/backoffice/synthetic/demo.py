"""The demo persons that `make run` always creates, each with a story to try the portal with.

Their personal numbers are taken from Skatteverket's published list of test personal identity numbers
(testpersonnummer, open data), which are never assigned to real people; 191212121212 is BankID's own
well-known test identity. No real person's number is used.

Each story is a working life written out year by year (income relative to the year's average PGI), turned
into pensionable income and rights by the engine, with ten years of statements for the savers and
decisions and payments for the pensioners (see ``backoffice.synthetic.seed``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import cast

import numpy as np
from django.db import connections, transaction
from django.db.models import Model

from backoffice.register.models import ContactDetails, Person
from backoffice.statements.bulk import ALIAS
from backoffice.statements.run import statements_for_persons
from backoffice.synthetic.population import (
    HISTORY_FIRST_YEAR,
    LAST_INCOME_YEAR,
    SyntheticPopulation,
    decide_incomes,
)
from backoffice.synthetic.seed import PersonRows, cases_erase, next_person_id, write_persons
from kernel.personal_number import PersonalNumber
from pension_engine.parameters import load_parameters

LATEST_STATEMENT_YEAR = 2025
STATEMENT_HISTORY_YEARS = 10


@dataclasses.dataclass(frozen=True)
class DemoPerson:
    """A named test person and the situation they are meant to show."""

    personal_number: str
    given_name: str
    family_name: str
    story: str
    civil_status: str = "unmarried"
    residence_years: float = 40.0
    work_from_age: int = 21
    income_level: float = 1.0  # times the year's average PGI
    retirement_year: int | None = None  # drawing pension from January of this year
    still_working: bool = False
    arrived_in_sweden: int | None = None
    children: tuple[int, ...] = ()
    gap_years: tuple[int, ...] = ()  # unemployment: no income
    min_pension_user: bool = False
    special_postal_address: tuple[str, str, str, str] | None = None


DEMO_PERSONS: tuple[DemoPerson, ...] = (
    DemoPerson(
        "196201082697", "Karin", "Lindqvist", "64 years old and about to retire",
        civil_status="married", work_from_age=20, income_level=1.15,
    ),
    DemoPerson(
        "199101012384", "Sara", "Nilsson", "35 years old, a parent of young children",
        civil_status="partner", work_from_age=25, income_level=0.95, children=(2019, 2022),
    ),
    DemoPerson(
        "195801082743", "Bengt", "Ek", "a pensioner who still works",
        civil_status="married", work_from_age=19, income_level=1.3, retirement_year=2023, still_working=True,
        special_postal_address=("Calle del Sol 12", "29600", "Marbella", "Spanien"),
    ),
    DemoPerson(
        "195901022995", "Amir", "Haddad", "moved to Sweden late; gets guarantee pension",
        residence_years=21.0, income_level=0.45, retirement_year=2025, arrived_in_sweden=2004,
        gap_years=(2009, 2010, 2016),
    ),
    DemoPerson(
        "198001139297", "Lena", "Berg", "a registered Min Pension user",
        civil_status="married", work_from_age=24, income_level=1.9, children=(2012,), min_pension_user=True,
    ),
    DemoPerson(
        "198501139995", "Johan", "Sund", "not a Min Pension user",
        work_from_age=20, income_level=0.7, gap_years=(2008, 2009, 2020),
    ),
    DemoPerson("191212121212", "Tolvan", "Tolvansson", "BankID's own test identity", income_level=0.0),
)  # fmt: skip


def birth_date_of(person: DemoPerson) -> dt.date:
    """The date of birth encoded in the demo person's number."""
    return PersonalNumber(person.personal_number).birth_date


def _income_path(demo: DemoPerson) -> np.ndarray:
    """Yearly gross income from 1960 to the last decided income year, as the story tells it."""
    years = np.arange(HISTORY_FIRST_YEAR, LAST_INCOME_YEAR + 1)
    average = load_parameters().series("average_pgi")[years - HISTORY_FIRST_YEAR]
    born = birth_date_of(demo).year
    age = years - born
    shape = np.interp(age, [20, 30, 45, 60, 70], [0.6, 0.9, 1.05, 1.0, 0.9])
    start = max(born + demo.work_from_age, (demo.arrived_in_sweden or 0) + 1)
    working = years >= start
    if demo.retirement_year is not None and not demo.still_working:
        working &= years < demo.retirement_year
    income = average * demo.income_level * shape * working
    if demo.still_working and demo.retirement_year is not None:
        income = np.where(years >= demo.retirement_year, income * 0.5, income)
    for child in demo.children:
        income = np.where((years == child) | (years == child + 1), income * 0.4, income)
    income = np.where(np.isin(years, demo.gap_years), 0.0, income)
    return np.round(income, -2)


def _population(demos: tuple[DemoPerson, ...]) -> SyntheticPopulation:
    births = [birth_date_of(d) for d in demos]
    birth_year = np.array([b.year for b in births])
    income = np.stack([_income_path(d) for d in demos])
    children = np.array([([*list(d.children), 0, 0, 0])[:3] for d in demos])
    return SyntheticPopulation(
        personal_number=[d.personal_number for d in demos],
        birth_date=births,
        given_name=[d.given_name for d in demos],
        family_name=[d.family_name for d in demos],
        civil_status=[d.civil_status for d in demos],
        residence_years=np.array([d.residence_years for d in demos]),
        drawing_pension=np.array([d.retirement_year is not None for d in demos]),
        still_working=np.array([d.retirement_year is None or d.still_working for d in demos]),
        protected_identity=np.zeros(len(demos), dtype=np.bool_),
        date_of_death=[None for _ in demos],
        retirement_year=np.array([d.retirement_year or 9999 for d in demos]),
        birth_year=birth_year,
        income=income,
        decided=decide_incomes(income, birth_year, children),
        city=["Sundsvall", "Göteborg", "Malmö", "Örebro", "Stockholm", "Umeå", "Stockholm"],
        street=[
            "Storgatan 1",
            "Vasagatan 7",
            "Lilla torg 3",
            "Drottninggatan 40",
            "Sveavägen 12",
            "Rådhusesplanaden 4",
            "Tolvgatan 12",
        ],
        postal_code=["85230", "41124", "21134", "70210", "11134", "90328", "11212"],
        municipal_tax_rate=np.array([0.3318, 0.3248, 0.3223, 0.3360, 0.3055, 0.3440, 0.3055]),
    )


def _delete_demo_persons() -> None:
    numbers = [d.personal_number for d in DEMO_PERSONS]
    ids = list(Person.objects.filter(personal_number__in=numbers).values_list("id", flat=True))
    if not ids:
        return
    placeholders = ", ".join(["%s"] * len(ids))
    cases_erase(placeholders, ids)
    with connections[ALIAS].cursor() as cursor:
        for relation in Person._meta.related_objects:
            table = cast(type[Model], relation.related_model)._meta.db_table
            cursor.execute(f"DELETE FROM {table} WHERE {relation.field.column} IN ({placeholders})", ids)  # noqa: S608
    Person.objects.filter(id__in=ids).delete()


@transaction.atomic(using="backoffice")
def demo_persons_create() -> list[Person]:
    """Create (or create anew) the demo persons with their records; running it twice gives the same register."""
    _delete_demo_persons()
    first = next_person_id()
    ids = np.arange(first, first + len(DEMO_PERSONS))
    write_persons(
        PersonRows(
            ids=ids,
            population=_population(DEMO_PERSONS),
            min_pension_user=np.array([d.min_pension_user for d in DEMO_PERSONS]),
            synthetic=False,
        )
    )
    for demo in DEMO_PERSONS:
        if demo.special_postal_address is not None:
            street, postal_code, city, country = demo.special_postal_address
            ContactDetails.objects.filter(person__personal_number=demo.personal_number).update(
                special_street_address=street,
                special_postal_code=postal_code,
                special_city=city,
                special_country=country,
            )
    for year in range(LATEST_STATEMENT_YEAR - STATEMENT_HISTORY_YEARS + 1, LATEST_STATEMENT_YEAR + 1):
        statements_for_persons(ids.tolist(), year)
    return list(Person.objects.filter(id__in=ids.tolist()).order_by("id"))
