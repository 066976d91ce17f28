"""Requirement: the yearly statement run gives every saver exactly one statement per account, is idempotent
and restartable (a run killed mid-way resumes with no duplicate and none lost), and its figures equal what
the engine computes for the same person alone.
"""

from __future__ import annotations

import io
import random
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import call_command
from django.db.models import Count

from backoffice.register import statements
from backoffice.register.bulk import is_postgresql
from backoffice.register.models import AccountStatement, Person, StatementPartition, StatementRun
from backoffice.register.seed import population_seed
from pension_engine.income_pension_account import income_pension_statements
from pension_engine.pension_rights import pension_rights
from pension_engine.pensionable_income import pensionable_income
from pension_engine.premium_pension import premium_pension_statements

pytestmark = pytest.mark.django_db(databases=["backoffice"])
YEAR = 2025


class KilledError(Exception):
    """Stands in for the process being killed."""


def savers(year: int) -> set[int]:
    """Persons alive at the end of the year, not drawing pension, with any right before the year."""
    alive = Person.objects.filter(drawing_pension=False).exclude(date_of_death__lte=f"{year}-12-31")
    with_rights = alive.filter(incomes__income_year__lt=year, incomes__income_pension_right__gt=0)
    return set(with_rights.values_list("id", flat=True).distinct())


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
    assert stated == savers(YEAR)
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


def test_register_figures_equal_the_engine_for_the_person_alone() -> None:
    population_seed(400, 13)
    statements.run_statements(YEAR, partition_size=150)
    stated = sorted(set(AccountStatement.objects.filter(year=YEAR).values_list("person_id", flat=True)))
    for person_id in random.Random(4).sample(stated, 15):  # noqa: S311 - picking test persons, not a secret
        person = Person.objects.get(id=person_id)
        incomes = person.incomes.filter(income_year__lt=YEAR).order_by("income_year")
        years = [i.income_year for i in incomes]
        first = years[0]
        ip_rights = np.zeros((1, YEAR - first))
        pp_rights = np.zeros((1, YEAR - first))
        for row in incomes:
            # The person alone: their own income through the engine's rules, year by year.
            decided = pensionable_income(float(row.income), row.income_year)
            assert Decimal(f"{decided.pensionable_income[0]:.2f}") == row.pensionable_income
            rights = pension_rights(
                decided.pensionable_income,
                row.income_year,
                float(row.child_year_credit),
                birth_year=person.birth_date.year,
            )
            ip_rights[0, row.income_year - first] = rights.income_pension_right[0]
            pp_rights[0, row.income_year - first] = rights.premium_pension_right[0]
        born = np.array([person.birth_date.year])
        engine = {
            "income_pension": income_pension_statements(ip_rights, first, born)[YEAR],
            "premium_pension": premium_pension_statements(pp_rights, first, born)[YEAR],
        }
        for stored in AccountStatement.objects.filter(person=person, year=YEAR):
            for item in statements.STATEMENT_ITEMS:
                expected = Decimal(str(round(float(getattr(engine[stored.account], item)[0]), 2)))
                assert getattr(stored, item) == expected, (stored.account, item)


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
