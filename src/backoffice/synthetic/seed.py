"""Writing people into the register: the synthetic population and the pensioners' decisions and payments.

Used by ``seed_population`` and by the demo persons. Everything is written with bulk inserts (COPY on
PostgreSQL). What a pensioner is paid comes from the engine's rules for pensions in payment
(``pension_engine.in_payment``, docs/decisions/0076): income and premium pension from the accounts with
payouts since the start (indexed each January, recalculated for rights earned while drawing),
tilläggspension for the cohorts 1938–1953, guarantee pension and income-pension supplement from the
guarantee-pension age, and the tax estimate of each payment's year. A decision records each part's first
monthly amount; payments carry the amounts of their own year.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
from django.db import connections, transaction
from django.db.models import Max, Model
from tqdm import tqdm

from backoffice.register.models import (
    BenefitKind,
    ContactDetails,
    PaymentAccount,
    PensionableIncome,
    PensionDecision,
    PensionPayment,
    Person,
    PopulationSeed,
    StatementRun,
    TaxSettings,
)
from backoffice.register.payments import next_payment_date, payment_date
from backoffice.statements.bulk import ALIAS, bulk_insert, money_text, reset_sequence, skip_foreign_key_checks
from backoffice.statements.funds import portfolio_returns
from backoffice.synthetic.population import HISTORY_FIRST_YEAR, TODAY, SyntheticPopulation, generate
from kernel import clock
from pension_engine.arrays import BoolArray, FloatArray, IntArray
from pension_engine.in_payment import BENEFITS, PaymentHistory, Pensioners, pensions_in_payment
from pension_engine.withdrawal import Withdrawal

SUPPLEMENT_FIRST_DAY = dt.date(2021, 9, 1)  # inkomstpensionstillägg is paid from September 2021
PAST_PAYMENT_MONTHS = 12
DECIDED_BEFORE = dt.timedelta(days=45)  # a decision is made this long before the day it applies from
BANKS = (("Swedbank", "8327"), ("Handelsbanken", "6789"), ("SEB", "5201"), ("Nordea", "3300"), ("Danske Bank", "1200"))


def payment_dates(first_month: dt.date, today: dt.date) -> list[dt.date]:
    """Monthly payment dates from ``first_month``: the last twelve up to today and the next one.

    Pension is paid on the 19th, or the weekday before when the 19th falls on a weekend (``payment_date``).
    """
    dates = []
    year, month = today.year, today.month
    for _ in range(PAST_PAYMENT_MONTHS + 2):
        day = payment_date(year, month)
        if day >= first_month:
            dates.append(day)
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    dates.sort()
    past = [d for d in dates if d <= today][-PAST_PAYMENT_MONTHS:]
    upcoming = [d for d in dates if d > today]
    if not upcoming:
        upcoming = [next_payment_date(today)]
    return [*past, upcoming[0]]


@dataclasses.dataclass(frozen=True)
class PersonRows:
    """Everything to write about a set of persons whose ids are already chosen."""

    ids: IntArray
    population: SyntheticPopulation
    min_pension_user: BoolArray
    synthetic: bool


def write_persons(rows: PersonRows) -> None:
    """Insert the persons and all their records (incomes, customer records, pensioners' decisions)."""
    pop, ids = rows.population, rows.ids
    birth_dates = pop.birth_date
    bulk_insert(
        Person._meta.db_table,
        (
            "id", "personal_number", "given_name", "family_name", "birth_date", "civil_status", "residence_years",
            "drawing_pension", "still_working", "protected_identity", "date_of_death", "min_pension_user", "synthetic",
        ),
        (
            (
                int(ids[i]), pop.personal_number[i], pop.given_name[i], pop.family_name[i], birth_dates[i],
                pop.civil_status[i], f"{pop.residence_years[i]:.1f}", bool(pop.drawing_pension[i]),
                bool(pop.still_working[i]), bool(pop.protected_identity[i]), pop.date_of_death[i],
                bool(rows.min_pension_user[i]), rows.synthetic,
            )
            for i in range(pop.size)
        ),
    )  # fmt: skip
    reset_sequence(Person._meta.db_table)
    _write_incomes(ids, pop)
    _write_customer_records(ids, pop)
    _write_pensions(ids, pop)


def _write_incomes(ids: IntArray, pop: SyntheticPopulation) -> None:
    decided = pop.decided
    recorded = (pop.income > 0) | (decided.pensionable_income > 0) | (decided.child_year_credit > 0)
    person_rows, columns = np.nonzero(recorded)

    def text(matrix: FloatArray) -> list[str]:
        return money_text(matrix[person_rows, columns].tolist())

    income, fee, pgi = text(pop.income), text(decided.general_pension_fee), text(decided.pensionable_income)
    credit, ip, pp = (
        text(decided.child_year_credit),
        text(decided.income_pension_right),
        text(decided.premium_pension_right),
    )
    years = (columns + HISTORY_FIRST_YEAR).tolist()
    person_ids = ids[person_rows].tolist()
    # Decided on 20 November of the year after, written as ISO text (adapting a date object per row is slow).
    decided_on = {year: dt.date(year + 1, 11, 20).isoformat() for year in set(years)}
    bulk_insert(
        PensionableIncome._meta.db_table,
        (
            "person_id", "income_year", "income", "general_pension_fee", "pensionable_income", "child_year_credit",
            "study_credit", "military_service_credit", "income_pension_right", "premium_pension_right", "decided_on",
        ),
        (
            (person_ids[k], years[k], income[k], fee[k], pgi[k], credit[k], "0.00", "0.00", ip[k], pp[k],
             decided_on[years[k]])
            for k in range(len(years))
        ),
    )  # fmt: skip


def _alive(pop: SyntheticPopulation) -> list[int]:
    return [i for i in range(pop.size) if pop.date_of_death[i] is None]


def _write_customer_records(ids: IntArray, pop: SyntheticPopulation) -> None:
    alive = _alive(pop)
    bulk_insert(
        ContactDetails._meta.db_table,
        (
            "person_id", "street_address", "postal_code", "city", "special_street_address", "special_postal_code",
            "special_city", "special_country", "email", "phone", "updated_at",
        ),
        (
            (int(ids[i]), pop.street[i], pop.postal_code[i], pop.city[i], "", "", "", "",
             f"person{int(ids[i])}@example.se" if i % 3 else "", f"070-{int(ids[i]) % 10_000_000:07d}" if i % 2 else "",
             None)
            for i in alive
        ),
    )  # fmt: skip
    paid = [i for i in alive if pop.drawing_pension[i] or i % 4 == 0]
    bulk_insert(
        PaymentAccount._meta.db_table,
        ("person_id", "bank_name", "clearing_number", "account_number", "updated_at"),
        (
            (
                int(ids[i]),
                BANKS[i % len(BANKS)][0],
                BANKS[i % len(BANKS)][1],
                f"{(int(ids[i]) * 7919) % 10**10:010d}",
                None,
            )
            for i in paid
        ),
    )
    pensioners = [i for i in alive if pop.drawing_pension[i]]
    bulk_insert(
        TaxSettings._meta.db_table,
        ("person_id", "municipal_tax_rate", "tax_table", "extra_withholding", "adjusted_percent", "updated_at"),
        (
            (
                int(ids[i]),
                f"{pop.municipal_tax_rate[i] * 100:.2f}",
                round(pop.municipal_tax_rate[i] * 100),
                "0.00",
                None,
                None,
            )
            for i in pensioners
        ),
    )


def pensioners_of(pop: SyntheticPopulation, rows: IntArray) -> Pensioners:
    """The engine's view of the chosen persons as pensioners: full withdrawal from their birth month."""
    births = [pop.birth_date[i] for i in rows.tolist()]
    numbers = np.array([int(pop.personal_number[i]) for i in rows.tolist()], dtype=np.int64)
    return Pensioners(
        birth_year=pop.birth_year[rows],
        history_first_year=HISTORY_FIRST_YEAR,
        income=pop.income[rows],
        income_pension_rights=pop.decided.income_pension_right[rows],
        premium_pension_rights=pop.decided.premium_pension_right[rows],
        pensionable_income=pop.decided.pensionable_income[rows],
        premium_pension_returns=portfolio_returns(numbers, HISTORY_FIRST_YEAR + 1, TODAY.year),
        withdrawal=Withdrawal.of(pop.retirement_year[rows], np.array([b.month for b in births]), 1.0),
        married=np.isin(np.array(pop.civil_status)[rows], ["married", "partner"]),
        residence_years=pop.residence_years[rows],
        municipal_tax_rate=pop.municipal_tax_rate[rows],
    )


def payable_from(benefit: str, first_year: int, start: dt.date) -> dt.date:
    """The first day of a part: the start of withdrawal, or 1 January of a later first year."""
    day = start if first_year == start.year else dt.date(first_year, 1, 1)
    if benefit == BenefitKind.INCOME_PENSION_SUPPLEMENT:
        day = max(day, SUPPLEMENT_FIRST_DAY)
    return day


def _decision_rows(person_id: int, history: PaymentHistory, k: int, start: dt.date) -> list[Sequence[Any]]:
    """Per part: the decision that granted it, and each January's recalculation within the years of payments.

    The register holds the payments of the last twelve months and the next, so it holds the decisions those
    payments were made by: each payment's gross is the sum of the parts' decisions in force on its date.
    """
    rows: list[Sequence[Any]] = []
    for benefit in BENEFITS:
        first_year = int(history.first_year[benefit][k])
        if first_year > TODAY.year:
            continue
        amounts = [(payable_from(benefit, first_year, start), float(history.first_monthly[benefit][k]))]
        for year in sorted(history.by_year):
            monthly = float(getattr(history.by_year[year].parts, benefit)[k])
            if first_year < year <= TODAY.year and (monthly > 0 or amounts[-1][1] > 0):
                amounts.append((dt.date(year, 1, 1), monthly))  # 0 kr: the part is no longer paid
        for day, monthly in amounts:
            rows.append((person_id, benefit, day - DECIDED_BEFORE, day, 100, f"{monthly:.2f}"))
    return rows


def _write_pensions(ids: IntArray, pop: SyntheticPopulation) -> None:
    chosen = np.array([i for i in _alive(pop) if pop.drawing_pension[i]], dtype=np.int64)
    if chosen.size == 0:
        return
    dates_by_start: dict[dt.date, list[dt.date]] = {}
    years = sorted({day.year for day in payment_dates(dt.date.min, TODAY)})
    history = pensions_in_payment(pensioners_of(pop, chosen), years)
    gross = {year: history.by_year[year].total_before_tax.tolist() for year in years}
    tax = {year: history.by_year[year].tax.tolist() for year in years}
    decisions: list[Sequence[Any]] = []
    payments: list[Sequence[Any]] = []
    for k, i in enumerate(chosen.tolist()):
        person_id = int(ids[i])
        start = dt.date(int(pop.retirement_year[i]), pop.birth_date[i].month, 1)
        decisions.extend(_decision_rows(person_id, history, k, start))
        if start not in dates_by_start:
            dates_by_start[start] = payment_dates(start, TODAY)
        for day in dates_by_start[start]:
            paid, withheld = gross[day.year][k], tax[day.year][k]
            payments.append((person_id, day, f"{paid:.2f}", f"{withheld:.2f}", f"{paid - withheld:.2f}"))
    bulk_insert(
        PensionDecision._meta.db_table,
        ("person_id", "benefit", "decided_on", "payable_from", "withdrawal_share", "monthly_amount"),
        decisions,
    )
    bulk_insert(PensionPayment._meta.db_table, ("person_id", "payment_date", "gross", "tax", "net"), payments)


def next_person_id() -> int:
    """The first free person id (persons are inserted with ids chosen here, for their records' keys)."""
    return int(Person.objects.aggregate(top=Max("id"))["top"] or 0) + 1


# The cases' rows in the order they can be deleted, each with how it reaches the case's person.
_CASE_ROWS = (
    ("casework_attachment", "message_id IN (SELECT id FROM casework_message WHERE case_id IN ({cases}))"),
    ("casework_message", "case_id IN ({cases})"),
    (
        "casework_signatureevidence",
        "document_id IN (SELECT id FROM casework_signeddocument WHERE case_id IN ({cases}))",
    ),
    ("casework_signeddocument", "case_id IN ({cases})"),
    ("casework_caseevent", "case_id IN ({cases})"),
    ("casework_case", "id IN ({cases})"),
)


def cases_erase(persons: str, parameters: Sequence[Any]) -> None:
    """Erase the cases of the persons the SQL subquery ``persons`` selects, with their whole history.

    A case's history is append-only (database triggers refuse deletes, docs/decisions/0039); only the
    tools that create made-up people anew erase theirs, lifting the triggers inside their transaction.
    """
    cases = f"SELECT id FROM casework_case WHERE person_id IN ({persons})"  # noqa: S608 - our own tables
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({cases}) AS c", parameters)  # noqa: S608
        if not cursor.fetchone()[0]:
            return
    triggers = importlib.import_module("backoffice.casework.migrations.0002_append_only_triggers")
    create, drop = triggers.trigger_statements(connections[ALIAS].vendor)
    with connections[ALIAS].cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
        for table, where in _CASE_ROWS:
            cursor.execute(f"DELETE FROM {table} WHERE {where.format(cases=cases)}", parameters)  # noqa: S608
        for statement in create:
            cursor.execute(statement)


def synthetic_population_delete() -> None:
    """Remove the synthetic population, everything recorded about it, and the statement runs over it."""
    person_table = Person._meta.db_table
    synthetic = f"SELECT id FROM {person_table} WHERE synthetic = %s"  # noqa: S608
    cases_erase(synthetic, [True])
    with connections[ALIAS].cursor() as cursor:
        for model in Person._meta.related_objects:
            table = cast(type[Model], model.related_model)._meta.db_table
            cursor.execute(f"DELETE FROM {table} WHERE {model.field.column} IN ({synthetic})", [True])  # noqa: S608
        cursor.execute(f"DELETE FROM {person_table} WHERE synthetic = %s", [True])  # noqa: S608
    PopulationSeed.objects.all().delete()
    StatementRun.objects.all().delete()  # the runs covered the old population: the next run starts anew


def population_seed(persons: int, seed: int, *, progress: bool = False) -> bool:
    """Create the synthetic population of ``persons`` for ``seed``; False when exactly it exists already."""
    current = PopulationSeed.objects.first()
    if current is not None and (current.persons, current.seed) == (persons, seed):
        return False
    with transaction.atomic(using=ALIAS):
        synthetic_population_delete()
        skip_foreign_key_checks()  # every record refers to a person inserted just before it
        first_id = next_person_id()
        with tqdm(total=persons, unit="persons", disable=not progress, desc="population") as bar:
            for chunk in generate(persons, seed):
                ids = np.arange(first_id, first_id + chunk.size)
                first_id += chunk.size
                write_persons(PersonRows(ids=ids, population=chunk, min_pension_user=ids % 5 == 0, synthetic=True))
                bar.update(chunk.size)
        PopulationSeed.objects.create(persons=persons, seed=seed, seeded_at=clock.now())
    return True
