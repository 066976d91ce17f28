"""Requirement: the yearly statement run gives every saver — and every pensioner who still earns rights —
exactly one statement per account, is idempotent and restartable (a run killed mid-way resumes with no
duplicate and none lost), and its figures, the pension paid out included, equal what the engine computes
for the same person alone (decisions 0033, 0075).
"""

from __future__ import annotations

import io
import random
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import call_command
from django.db.models import Count, Min

from backoffice.register.models import (
    AccountStatement,
    PensionDecision,
    Person,
    StatementPartition,
    StatementRun,
)
from backoffice.statements import run as statements
from backoffice.statements.bulk import is_postgresql
from backoffice.statements.funds import portfolio_returns
from backoffice.synthetic.seed import population_seed
from pension_engine.income_pension_account import income_pension_statements
from pension_engine.pension_rights import pension_rights
from pension_engine.pensionable_income import pensionable_income
from pension_engine.premium_pension import premium_pension_statements
from pension_engine.withdrawal import Withdrawal

pytestmark = pytest.mark.django_db(databases=["backoffice"])
YEAR = 2025
WITHDRAWAL_BENEFITS = ("income_pension", "premium_pension")


class KilledError(Exception):
    """Stands in for the process being killed."""


def withdrawal_start(person: Person) -> tuple[int, int, int] | None:
    """(year, month, share %) of the person's earliest income- or premium-pension decision, if any."""
    decisions = PensionDecision.objects.filter(person=person, benefit__in=WITHDRAWAL_BENEFITS)
    first = decisions.aggregate(first=Min("payable_from"))["first"]
    if first is None:
        return None
    share = max(d.withdrawal_share for d in decisions)
    return first.year, first.month, share


def expected_stated(year: int) -> set[int]:
    """Alive at the end of the year with a right before it; a pensioner before the start or still earning."""
    alive = Person.objects.exclude(date_of_death__lte=f"{year}-12-31")
    with_rights = alive.filter(incomes__income_year__lt=year, incomes__income_pension_right__gt=0).distinct()
    chosen = set()
    for person in with_rights:
        if not person.drawing_pension:
            chosen.add(person.id)
            continue
        start = withdrawal_start(person)
        earned = person.incomes.filter(income_year=year - 1, income_pension_right__gt=0).exists()
        if start is not None and (start[0] > year or earned):
            chosen.add(person.id)
    return chosen


def test_a_killed_run_resumes_without_duplicates_or_losses(monkeypatch: pytest.MonkeyPatch) -> None:
    population_seed(600, 11)
    written: list[int] = []

    def die_in_the_fourth(partition: StatementPartition) -> None:
        written.append(partition.number)
        if len(written) == 4:
            raise KilledError  # after the statements are written, before the partition is marked done

    monkeypatch.setattr(statements, "after_partition_written", die_in_the_fourth)
    with pytest.raises(KilledError):
        statements.run_statements(YEAR, partition_size=100)
    run = StatementRun.objects.get(year=YEAR)
    assert run.finished_at is None
    assert run.partitions.exclude(done_at=None).count() == 3
    partly = AccountStatement.objects.filter(year=YEAR).values("person").distinct().count()

    monkeypatch.setattr(statements, "after_partition_written", lambda partition: None)
    report = statements.run_statements(YEAR, partition_size=100)
    assert report.partitions == run.partitions.count() - 3
    assert StatementRun.objects.get(year=YEAR).finished_at is not None
    per_person = AccountStatement.objects.filter(year=YEAR).values("person", "account").annotate(n=Count("id"))
    assert {row["n"] for row in per_person} == {1}
    stated = set(AccountStatement.objects.filter(year=YEAR).values_list("person_id", flat=True))
    assert stated == expected_stated(YEAR)
    assert Person.objects.filter(id__in=stated, drawing_pension=True).exists()
    assert 0 < partly < len(stated)
    assert report.persons == len(stated) - partly


def test_running_again_changes_nothing_and_a_rerun_of_a_partition_replaces_its_rows() -> None:
    population_seed(300, 12)
    statements.run_statements(YEAR, partition_size=100)
    before = sorted(AccountStatement.objects.filter(year=YEAR).values_list("person_id", "account", "closing_value"))
    again = statements.run_statements(YEAR, partition_size=100)
    assert again.partitions == 0
    StatementPartition.objects.filter(number=1).update(done_at=None)
    statements.run_statements(YEAR)
    after = sorted(AccountStatement.objects.filter(year=YEAR).values_list("person_id", "account", "closing_value"))
    assert after == before


def engine_alone(person: Person) -> dict[str, object]:
    """The person's statements of YEAR computed by the engine from their own incomes and decisions only."""
    incomes = person.incomes.filter(income_year__lt=YEAR).order_by("income_year")
    first = incomes[0].income_year
    ip_rights = np.zeros((1, YEAR - first))
    pp_rights = np.zeros((1, YEAR - first))
    for row in incomes:
        # The person alone: their own income through the engine's rules, year by year.
        decided = pensionable_income(float(row.income), row.income_year)
        assert Decimal(f"{decided.pensionable_income[0]:.2f}") == row.pensionable_income
        rights = pension_rights(
            decided.pensionable_income, row.income_year, float(row.child_year_credit), birth_year=person.birth_date.year
        )
        ip_rights[0, row.income_year - first] = rights.income_pension_right[0]
        pp_rights[0, row.income_year - first] = rights.premium_pension_right[0]
    born = np.array([person.birth_date.year])
    start = withdrawal_start(person) if person.drawing_pension else None
    withdrawal = None if start is None else Withdrawal.of(start[0], start[1], start[2] / 100)
    # The premium pension follows the person's own funds (the default alternative where NaN).
    own = portfolio_returns(np.array([int(person.personal_number)]), first + 1, YEAR)
    return {
        "income_pension": income_pension_statements(ip_rights, first, born, withdrawal=withdrawal)[YEAR],
        "premium_pension": premium_pension_statements(pp_rights, first, born, withdrawal=withdrawal, fund_returns=own)[
            YEAR
        ],
    }


def test_register_figures_equal_the_engine_for_the_person_alone() -> None:
    population_seed(400, 13)
    statements.run_statements(YEAR, partition_size=150)
    stated = AccountStatement.objects.filter(year=YEAR)
    drawing = sorted(set(stated.filter(paid_out__lt=0).values_list("person_id", flat=True)))
    saving = sorted(set(stated.values_list("person_id", flat=True)) - set(drawing))
    chooser = random.Random(4)  # noqa: S311 - picking test persons, not a secret
    picked = chooser.sample(saving, 12) + chooser.sample(drawing, min(len(drawing), 6))
    assert len(picked) > 12, "the population must hold pensioners who still earn"
    for person_id in picked:
        person = Person.objects.get(id=person_id)
        engine = engine_alone(person)
        for stored in AccountStatement.objects.filter(person=person, year=YEAR):
            for item in statements.STATEMENT_ITEMS:
                expected = Decimal(str(round(float(getattr(engine[stored.account], item)[0]), 2)))
                assert getattr(stored, item) == expected, (stored.account, item)
        if person.drawing_pension:
            assert AccountStatement.objects.filter(person=person, year=YEAR, paid_out__lt=0).count() >= 1


def test_a_pensioner_who_has_stopped_earning_gets_statements_only_from_before_the_start() -> None:
    population_seed(400, 16)
    retired = [
        person
        for person in Person.objects.filter(drawing_pension=True, date_of_death=None, still_working=False)
        if (start := withdrawal_start(person)) is not None and 2010 < start[0] <= YEAR - 2
    ]
    assert retired
    person = retired[0]
    start_year = withdrawal_start(person)[0]  # type: ignore[index]
    statements.statements_for_persons([person.id], start_year - 1)
    statements.statements_for_persons([person.id], YEAR)
    years = set(AccountStatement.objects.filter(person=person).values_list("year", flat=True))
    assert years == {start_year - 1}
    assert not AccountStatement.objects.filter(person=person, paid_out__lt=0).exists()


def test_the_command_reports_persons_per_second() -> None:
    population_seed(200, 14)
    out = io.StringIO()
    call_command("run_statements", "--year", str(YEAR), "--quiet", stdout=out)
    assert "persons/s" in out.getvalue()
    assert StatementRun.objects.get(year=YEAR).finished_at is not None


@pytest.mark.django_db(databases=["backoffice"], transaction=True)
def test_worker_processes_give_the_same_statements_as_one_process() -> None:
    if not is_postgresql():
        pytest.skip("worker processes run on PostgreSQL only (SQLite takes one writer at a time)")
    population_seed(500, 15)
    statements.run_statements(YEAR, workers=3, partition_size=100)
    parallel = sorted(AccountStatement.objects.filter(year=YEAR).values_list("person_id", "account", "closing_value"))
    StatementRun.objects.all().delete()
    AccountStatement.objects.all().delete()
    statements.run_statements(YEAR, workers=1, partition_size=100)
    serial = sorted(AccountStatement.objects.filter(year=YEAR).values_list("person_id", "account", "closing_value"))
    assert parallel == serial
    assert parallel
