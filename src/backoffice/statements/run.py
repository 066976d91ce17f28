"""The yearly statement run (årsbesked, the orange envelope): every saver's accounts for one year.

Who gets a statement for year Y (docs/decisions/0033, 0075): the persons alive at the end of Y with any
pension right before Y who either do not draw pension, or draw it (from the start of their income- or
premium-pension decision) but had not yet started in Y, or still earn — a right credited in Y. For a
pensioner the engine takes the pension paid from the account since the start (the ``paid_out`` item) and
recalculates it for the rights earned while drawing. The run is split into partitions of consecutive
personal numbers, fixed when the run is first started. Each partition is read in bulk (one query for the
persons' rights by income year, one for pensioners' withdrawals), computed with the pension engine's
population API (``income_pension_statements``, ``premium_pension_statements``) and written in bulk (COPY
on PostgreSQL) in one transaction together with its ``done`` mark. A killed run therefore resumes at the
first partition not done: nothing is written twice (a unique constraint on person, year and account would
refuse it) and nothing is lost.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
from django.db import connections, transaction
from tqdm import tqdm

from backoffice.personal_codes.printing import statement_print_file_write
from backoffice.personal_codes.services import codes_issue, codes_issue_for_year, statement_issue
from backoffice.register.models import (
    AccountKind,
    AccountStatement,
    BenefitKind,
    FundHolding,
    PensionableIncome,
    PensionDecision,
    Person,
    StatementPartition,
    StatementRun,
)
from backoffice.statements.bulk import ALIAS, bulk_insert, is_postgresql, money_text, select_matrix
from backoffice.statements.funds import holding_rows, portfolio_returns
from kernel import clock
from pension_engine.arrays import BoolArray, FloatArray, IntArray
from pension_engine.income_pension_account import AccountStatement as EngineStatement
from pension_engine.income_pension_account import income_pension_statements
from pension_engine.premium_pension import premium_pension_statements
from pension_engine.withdrawal import NOT_DRAWING, Withdrawal

HISTORY_FIRST_YEAR = 1960
DEFAULT_PARTITION_SIZE = 20_000
UPPER_BOUND = "A"  # sorts after every string of digits: the last partition is open-ended
STATEMENT_ITEMS = (
    "opening_value", "new_rights", "inheritance_gains", "value_change", "fees", "paid_out", "closing_value",
)  # fmt: skip
WITHDRAWAL_BENEFITS = (BenefitKind.INCOME_PENSION, BenefitKind.PREMIUM_PENSION)
MONTHS = 12


@dataclasses.dataclass(frozen=True)
class RunReport:
    """What a run did: persons given a statement, partitions processed now, seconds, persons per second."""

    persons: int
    partitions: int
    seconds: float

    @property
    def persons_per_second(self) -> float:
        """Throughput of this invocation."""
        return self.persons / self.seconds if self.seconds > 0 else 0.0


def statements_of(
    ip_rights: FloatArray,
    pp_rights: FloatArray,
    birth_year: IntArray,
    year: int,
    withdrawal: Withdrawal | None = None,
    *,
    personal_number: IntArray | None = None,
) -> tuple[EngineStatement, EngineStatement]:
    """Both accounts' statement items of ``year`` from rights by income year (columns from 1960), by the engine.

    With ``personal_number`` the premium pension follows each person's funds (``funds.portfolio_returns``);
    without it everyone is in the default alternative.
    """
    columns, born = year - HISTORY_FIRST_YEAR, birth_year
    ip = income_pension_statements(ip_rights[:, :columns], HISTORY_FIRST_YEAR, born, withdrawal=withdrawal)
    own = None if personal_number is None else portfolio_returns(personal_number, HISTORY_FIRST_YEAR + 1, year)
    pp = premium_pension_statements(
        pp_rights[:, :columns], HISTORY_FIRST_YEAR, born, withdrawal=withdrawal, fund_returns=own
    )
    return ip[year], pp[year]


def _candidates_where(year: int) -> tuple[str, list[Any]]:
    """Alive at the year's end; a pensioner only if they still earn or may not have started (read less).

    A superset of who is stated: ``_stated`` decides exactly, this only spares reading the income history
    of pensioners who neither earned a right credited this year nor started after it.
    """
    income_table, decision_table = PensionableIncome._meta.db_table, PensionDecision._meta.db_table
    sql = (
        f"(p.date_of_death IS NULL OR p.date_of_death > '{year:04d}-12-31') AND (p.drawing_pension = %s "  # noqa: S608
        f"OR EXISTS (SELECT 1 FROM {income_table} e WHERE e.person_id = p.id AND e.income_year = %s "
        f"AND (e.income_pension_right > 0 OR e.premium_pension_right > 0)) "
        f"OR NOT EXISTS (SELECT 1 FROM {decision_table} d WHERE d.person_id = p.id AND d.benefit IN (%s, %s) "
        f"AND d.payable_from <= %s))"
    )
    return sql, [False, year - 1, *(str(benefit) for benefit in WITHDRAWAL_BENEFITS), f"{year:04d}-12-31"]


@dataclasses.dataclass(frozen=True)
class _Persons:
    """The persons a query is about, as SQL on a ``person_id`` column, and its parameters.

    On PostgreSQL it is the list of their ids (``= ANY``), so every table is read through its index on
    ``person_id``: a join on the personal-number range let the planner scan whole tables, which grew with the
    register (27 million income rows at a million persons). SQLite takes no arrays and gets the subquery.
    """

    sql: str
    params: list[Any]

    @classmethod
    def of(cls, ids: IntArray, subquery: str, subquery_params: list[Any]) -> _Persons:
        """``ids`` (sorted) on PostgreSQL; else ``subquery``, which selects the same ids."""
        if is_postgresql():
            return cls("= ANY(%s)", [ids.tolist()])
        return cls(f"IN ({subquery})", subquery_params)

    @classmethod
    def selected_by(cls, subquery: str, subquery_params: list[Any]) -> _Persons:
        """The persons ``subquery`` selects (their ids fetched first on PostgreSQL)."""
        if is_postgresql():
            return cls("= ANY(%s)", [select_matrix(subquery, subquery_params, 1)[:, 0].astype(np.int64).tolist()])
        return cls(f"IN ({subquery})", subquery_params)

    def where(self, column: str) -> str:
        """The condition that ``column`` is one of these persons."""
        return f"{column} {self.sql}"


def _withdrawals(pensioners: _Persons, ids: IntArray) -> Withdrawal:
    """When each person began to draw: the earliest income- or premium-pension decision (``NOT_DRAWING`` if none)."""
    decision_table = PensionDecision._meta.db_table
    start = "CAST(d.payable_from AS VARCHAR(10))"
    rows = select_matrix(
        f"SELECT d.person_id, CAST(SUBSTR({start}, 1, 4) AS INTEGER), CAST(SUBSTR({start}, 6, 2) AS INTEGER), "  # noqa: S608
        f"d.withdrawal_share FROM {decision_table} d "
        f"WHERE {pensioners.where('d.person_id')} AND d.benefit IN (%s, %s)",
        [*pensioners.params, *(str(benefit) for benefit in WITHDRAWAL_BENEFITS)],
        4,
    )
    first_month = np.full(ids.size, NOT_DRAWING * MONTHS, dtype=np.int64)
    share = np.ones(ids.size)
    if rows.shape[0]:
        at = np.searchsorted(ids, rows[:, 0].astype(np.int64))
        known = (at < ids.size) & (ids[np.minimum(at, ids.size - 1)] == rows[:, 0])
        at, rows = at[known], rows[known]
        np.minimum.at(first_month, at, (rows[:, 1] * MONTHS + rows[:, 2] - 1).astype(np.int64))
        share[at] = rows[:, 3] / 100.0
    return Withdrawal.of(first_month // MONTHS, first_month % MONTHS + 1, share)


def compute_and_write(selection_sql: str, selection_params: list[Any], year: int) -> int:
    """Compute and store ``year``'s statements for the persons the selection names; returns how many persons.

    Run inside a transaction: it first removes what an earlier attempt may have written for them.
    """
    person_table, income_table = Person._meta.db_table, PensionableIncome._meta.db_table
    candidates, candidate_params = _candidates_where(year)
    chosen_sql, chosen_params = f"{selection_sql} AND {candidates}", [*selection_params, *candidate_params]
    persons = select_matrix(
        f"SELECT p.id, CAST(SUBSTR(p.personal_number, 1, 4) AS INTEGER), "  # noqa: S608
        f"CAST(p.personal_number AS BIGINT), CASE WHEN p.drawing_pension THEN 1 ELSE 0 END "
        f"FROM {person_table} p WHERE {chosen_sql} ORDER BY p.id",
        chosen_params,
        4,
    )
    ids = persons[:, 0].astype(np.int64)
    candidates_sql = f"SELECT p.id FROM {person_table} p WHERE {chosen_sql}"  # noqa: S608
    candidate_persons = _Persons.of(ids, candidates_sql, chosen_params)
    rights = select_matrix(
        f"SELECT i.person_id, i.income_year, i.income_pension_right, i.premium_pension_right "  # noqa: S608
        f"FROM {income_table} i WHERE {candidate_persons.where('i.person_id')} AND i.income_year < %s",
        [*candidate_persons.params, year],
        4,
    )
    _delete_for(selection_sql, selection_params, year)
    if persons.shape[0] == 0 or rights.shape[0] == 0:
        return 0
    birth_year = persons[:, 1].astype(np.int64)
    rows = np.searchsorted(ids, rights[:, 0].astype(np.int64))
    columns = rights[:, 1].astype(np.int64) - HISTORY_FIRST_YEAR
    width = year - HISTORY_FIRST_YEAR
    ip_rights = np.zeros((ids.size, width))
    pp_rights = np.zeros((ids.size, width))
    ip_rights[rows, columns] = rights[:, 2]
    pp_rights[rows, columns] = rights[:, 3]
    drawing = persons[:, 3] > 0
    pensioners = _Persons.of(ids[drawing], f"{candidates_sql} AND p.drawing_pension = %s", [*chosen_params, True])
    withdrawal = _withdrawals(pensioners, ids)
    chosen = _stated(drawing, withdrawal, ip_rights, pp_rights, year)
    ids, birth_year = ids[chosen], birth_year[chosen]
    drawn = Withdrawal(withdrawal.start_year[chosen], withdrawal.start_month[chosen], withdrawal.share[chosen])
    numbers = persons[chosen, 2].astype(np.int64)
    ip, pp = statements_of(ip_rights[chosen], pp_rights[chosen], birth_year, year, drawn, personal_number=numbers)
    _write_statements(ids, year, ip, pp)
    later = select_matrix(
        f"SELECT DISTINCT h.person_id FROM {FundHolding._meta.db_table} h "  # noqa: S608
        f"WHERE {candidate_persons.where('h.person_id')} AND h.valued_on > %s",
        [*candidate_persons.params, f"{year:04d}-12-31"],
        1,
    )
    keep = ~np.isin(ids, later[:, 0].astype(np.int64))  # holdings valued after this year stay as they are
    bulk_insert(
        FundHolding._meta.db_table,
        ("person_id", "fund_id", "fund_name", "units", "unit_price", "value", "fee_percent", "valued_on"),
        holding_rows(ids[keep], numbers[keep], birth_year[keep], year, pp.closing_value[keep]),
    )
    return int(ids.size)


def _stated(
    drawing_pension: BoolArray, withdrawal: Withdrawal, ip_rights: FloatArray, pp_rights: FloatArray, year: int
) -> BoolArray:
    """Who gets a statement: any right; and a pensioner only before the start or with a right credited this year."""
    has_rights = ip_rights.any(axis=1) | pp_rights.any(axis=1)
    earned = (ip_rights[:, -1] > 0) | (pp_rights[:, -1] > 0)  # the right of income year Y − 1, credited in Y
    known_start = withdrawal.start_year != NOT_DRAWING
    pensioner_stated = known_start & ((withdrawal.start_year > year) | earned)
    return np.asarray(has_rights & np.where(drawing_pension, pensioner_stated, True))


def _delete_for(selection_sql: str, selection_params: list[Any], year: int) -> None:
    """Remove what an earlier attempt may have written for every person of the selection (stated or not)."""
    everyone_sql = f"SELECT p.id FROM {Person._meta.db_table} p WHERE {selection_sql}"  # noqa: S608
    everyone = _Persons.selected_by(everyone_sql, selection_params)
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AccountStatement._meta.db_table} WHERE year = %s AND {everyone.where('person_id')}",  # noqa: S608
            [year, *everyone.params],
        )
        cursor.execute(
            f"DELETE FROM {FundHolding._meta.db_table} WHERE valued_on <= %s AND {everyone.where('person_id')}",  # noqa: S608
            [f"{year:04d}-12-31", *everyone.params],
        )


def _write_statements(ids: IntArray, year: int, ip: EngineStatement, pp: EngineStatement) -> None:
    def rows() -> Iterator[tuple[Any, ...]]:
        for kind, statement in ((AccountKind.INCOME_PENSION, ip), (AccountKind.PREMIUM_PENSION, pp)):
            items = [money_text(getattr(statement, name).tolist()) for name in STATEMENT_ITEMS]
            for index, person_id in enumerate(ids.tolist()):
                yield (person_id, year, str(kind), *(column[index] for column in items))

    bulk_insert(AccountStatement._meta.db_table, ("person_id", "year", "account", *STATEMENT_ITEMS), rows())


def statements_for_persons(person_ids: list[int], year: int) -> int:
    """``year``'s statements for the given persons only (demo persons' history), each with the year's code."""
    if not person_ids:
        return 0
    placeholders = ", ".join(["%s"] * len(person_ids))
    with transaction.atomic(using=ALIAS):
        stated = compute_and_write(f"p.id IN ({placeholders})", list(person_ids), year)
        persons = Person.objects.filter(id__in=person_ids, statements__year=year).distinct()
        codes_issue(persons=list(persons.values_list("id", "personal_number")), issue=statement_issue(year))
        return stated


# --- The partitioned, restartable run ----------------------------------------------------------------


def run_prepare(year: int, partition_size: int = DEFAULT_PARTITION_SIZE) -> StatementRun:
    """The run of ``year``: created with its partitions the first time, found again on a restart."""
    with transaction.atomic(using=ALIAS):
        run, created = StatementRun.objects.get_or_create(year=year, defaults={"started_at": clock.now()})
        if not created and run.partitions.exists():
            return run
        numbers = list(Person.objects.order_by("personal_number").values_list("personal_number", flat=True))
        starts = list(range(0, len(numbers), partition_size)) or [0]
        bounds = ["", *(numbers[start] for start in starts[1:]), UPPER_BOUND]
        StatementPartition.objects.bulk_create(
            StatementPartition(
                run=run,
                number=index,
                from_personal_number=bounds[index],
                to_personal_number=bounds[index + 1],
                candidates=min(partition_size, max(len(numbers) - start, 0)),
            )
            for index, start in enumerate(starts)
        )
    return run


def partition_process(partition_id: int) -> int:
    """Compute and store one partition in one transaction with its done mark; a done partition is skipped.

    Returns the partition's id (so that worker processes can say which one they finished).
    """
    with transaction.atomic(using=ALIAS):
        partition = StatementPartition.objects.select_related("run").get(id=partition_id)
        if partition.done_at is not None:
            return partition_id
        persons = compute_and_write(
            "p.personal_number >= %s AND p.personal_number < %s",
            [partition.from_personal_number, partition.to_personal_number],
            partition.run.year,
        )
        after_partition_written(partition)
        partition.persons = persons
        partition.done_at = clock.now()
        partition.save(update_fields=["persons", "done_at"])
    return partition_id


def after_partition_written(partition: StatementPartition) -> None:
    """A seam for tests: called after a partition's statements are written, before it is marked done."""


def run_statements(
    year: int,
    *,
    workers: int = 1,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    progress: bool = False,
    personal_codes: bool = True,
) -> RunReport:
    """Run (or resume) the statement run of ``year``; ``workers`` > 1 uses processes on PostgreSQL.

    With ``personal_codes`` (the default) everyone stated then gets the run's personal code, and the run's
    print file is written with the statements and the codes (docs/decisions/0140); both steps are restartable.
    """
    run = run_prepare(year, partition_size)
    pending = dict(run.partitions.filter(done_at=None).order_by("number").values_list("id", "candidates"))
    began = time.perf_counter()
    with tqdm(total=sum(pending.values()), unit="persons", disable=not progress, desc=f"statements {year}") as bar:
        if workers > 1 and is_postgresql():
            connections.close_all()  # the workers are forked: none may share this process's connection
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for partition_id in pool.imap(partition_process, pending):
                    bar.update(pending[partition_id])
        else:
            for partition_id, candidates in pending.items():
                partition_process(partition_id)
                bar.update(candidates)
    seconds = time.perf_counter() - began
    processed = run.partitions.filter(id__in=list(pending)).exclude(done_at=None)
    if not run.partitions.filter(done_at=None).exists():
        if personal_codes:
            codes_issue_for_year(year)
            statement_print_file_write(year)
        StatementRun.objects.filter(id=run.id, finished_at=None).update(finished_at=clock.now())
    return RunReport(
        persons=sum(processed.values_list("persons", flat=True)), partitions=processed.count(), seconds=seconds
    )
