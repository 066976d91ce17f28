"""The yearly statement run (årsbesked, the orange envelope): every saver's accounts for one year.

Savers are the living persons (at the end of the year) who do not draw pension and have any pension
right. The run is split into partitions of consecutive personal numbers, fixed when the run is first
started. Each partition is read in bulk (one query for the persons' rights by income year), computed with
the pension engine's population API (``income_pension_statements``, ``premium_pension_statements``) and
written in bulk (COPY on PostgreSQL) in one transaction together with its ``done`` mark. A killed run
therefore resumes at the first partition not done: nothing is written twice (a unique constraint on
person, year and account would refuse it) and nothing is lost.
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

from backoffice.register.bulk import ALIAS, bulk_insert, is_postgresql, money_text, select_matrix
from backoffice.register.models import (
    AccountKind,
    AccountStatement,
    FundHolding,
    PensionableIncome,
    Person,
    StatementPartition,
    StatementRun,
)
from kernel import clock
from pension_engine.arrays import FloatArray, IntArray
from pension_engine.income_pension_account import AccountStatement as EngineStatement
from pension_engine.income_pension_account import income_pension_statements
from pension_engine.premium_pension import premium_pension_statements

HISTORY_FIRST_YEAR = 1960
DEFAULT_PARTITION_SIZE = 20_000
UPPER_BOUND = "A"  # sorts after every string of digits: the last partition is open-ended
STATEMENT_ITEMS = ("opening_value", "new_rights", "inheritance_gains", "value_change", "fees", "closing_value")

# AP7 Såfa, the default alternative of the premium pension: all equities up to 55, then a glide path to one
# third equities at 75 (model figures; unit prices and fees are illustrative, see docs/decisions/0033).
EQUITY_FUND = ("AP7-AKTIE", "AP7 Aktiefond", 350.0, 0.04)
FIXED_INCOME_FUND = ("AP7-RANTA", "AP7 Räntefond", 120.0, 0.03)


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
    ip_rights: FloatArray, pp_rights: FloatArray, birth_year: IntArray, year: int
) -> tuple[EngineStatement, EngineStatement]:
    """Both accounts' statement items of ``year`` from rights by income year (columns from 1960), by the engine."""
    columns = year - HISTORY_FIRST_YEAR
    ip = income_pension_statements(ip_rights[:, :columns], HISTORY_FIRST_YEAR, birth_year)[year]
    pp = premium_pension_statements(pp_rights[:, :columns], HISTORY_FIRST_YEAR, birth_year)[year]
    return ip, pp


def _savers_where(year: int) -> str:
    return f"(p.date_of_death IS NULL OR p.date_of_death > '{year:04d}-12-31') AND p.drawing_pension = %s"


def compute_and_write(selection_sql: str, selection_params: list[Any], year: int) -> int:
    """Compute and store ``year``'s statements for the savers the selection names; returns how many persons.

    Run inside a transaction: it first removes what an earlier attempt may have written for them.
    """
    person_table, income_table = Person._meta.db_table, PensionableIncome._meta.db_table
    savers = f"{selection_sql} AND {_savers_where(year)}"
    params: list[Any] = [*selection_params, False]
    persons = select_matrix(
        f"SELECT p.id, CAST(SUBSTR(p.personal_number, 1, 4) AS INTEGER) "  # noqa: S608
        f"FROM {person_table} p WHERE {savers} ORDER BY p.id",
        params,
        2,
    )
    rights = select_matrix(
        f"SELECT i.person_id, i.income_year, i.income_pension_right, i.premium_pension_right "  # noqa: S608
        f"FROM {income_table} i JOIN {person_table} p ON p.id = i.person_id "
        f"WHERE {savers} AND i.income_year < %s",
        [*params, year],
        4,
    )
    _delete_for(selection_sql, selection_params, year)
    if persons.shape[0] == 0 or rights.shape[0] == 0:
        return 0
    ids = persons[:, 0].astype(np.int64)
    birth_year = persons[:, 1].astype(np.int64)
    rows = np.searchsorted(ids, rights[:, 0].astype(np.int64))
    columns = rights[:, 1].astype(np.int64) - HISTORY_FIRST_YEAR
    width = year - HISTORY_FIRST_YEAR
    ip_rights = np.zeros((ids.size, width))
    pp_rights = np.zeros((ids.size, width))
    ip_rights[rows, columns] = rights[:, 2]
    pp_rights[rows, columns] = rights[:, 3]
    has_rights = (ip_rights.any(axis=1)) | (pp_rights.any(axis=1))
    ids, birth_year = ids[has_rights], birth_year[has_rights]
    ip, pp = statements_of(ip_rights[has_rights], pp_rights[has_rights], birth_year, year)
    _write_statements(ids, year, ip, pp)
    later = select_matrix(
        f"SELECT DISTINCT h.person_id FROM {FundHolding._meta.db_table} h "  # noqa: S608
        f"JOIN {person_table} p ON p.id = h.person_id WHERE {selection_sql} AND h.valued_on > %s",
        [*selection_params, f"{year:04d}-12-31"],
        1,
    )
    keep = ~np.isin(ids, later[:, 0].astype(np.int64))  # holdings valued after this year stay as they are
    _write_holdings(ids[keep], birth_year[keep], year, pp.closing_value[keep])
    return int(ids.size)


def _delete_for(selection_sql: str, selection_params: list[Any], year: int) -> None:
    chosen = f"SELECT p.id FROM {Person._meta.db_table} p WHERE {selection_sql}"  # noqa: S608
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AccountStatement._meta.db_table} WHERE year = %s AND person_id IN ({chosen})",  # noqa: S608
            [year, *selection_params],
        )
        cursor.execute(
            f"DELETE FROM {FundHolding._meta.db_table} WHERE valued_on <= %s AND person_id IN ({chosen})",  # noqa: S608
            [f"{year:04d}-12-31", *selection_params],
        )


def _write_statements(ids: IntArray, year: int, ip: EngineStatement, pp: EngineStatement) -> None:
    def rows() -> Iterator[tuple[Any, ...]]:
        for kind, statement in ((AccountKind.INCOME_PENSION, ip), (AccountKind.PREMIUM_PENSION, pp)):
            items = [money_text(getattr(statement, name).tolist()) for name in STATEMENT_ITEMS]
            for index, person_id in enumerate(ids.tolist()):
                yield (person_id, year, str(kind), *(column[index] for column in items))

    bulk_insert(AccountStatement._meta.db_table, ("person_id", "year", "account", *STATEMENT_ITEMS), rows())


def equity_share(age: IntArray) -> FloatArray:
    """AP7 Såfa's share in equities by age: 1 up to 55, falling evenly to 1/3 at 75."""
    return np.asarray(np.clip(1.0 - (age - 55) * (2.0 / 3.0) / 20.0, 1.0 / 3.0, 1.0))


def _write_holdings(ids: IntArray, birth_year: IntArray, year: int, capital: FloatArray) -> None:
    """The fund holdings at the year's end (AP7 Såfa's split by age)."""
    total_ore = np.rint(np.maximum(capital, 0.0) * 100.0)
    equity_ore = np.rint(total_ore * equity_share(year - birth_year))
    valued_on = f"{year:04d}-12-31"

    def rows() -> Iterator[tuple[Any, ...]]:
        for (fund_id, name, price, fee), amounts in (
            (EQUITY_FUND, equity_ore),
            (FIXED_INCOME_FUND, total_ore - equity_ore),
        ):
            for person_id, ore in zip(ids.tolist(), amounts.tolist(), strict=True):
                if ore > 0:
                    value = ore / 100.0
                    yield (
                        person_id,
                        fund_id,
                        name,
                        f"{value / price:.4f}",
                        f"{price:.4f}",
                        f"{value:.2f}",
                        f"{fee:.3f}",
                        valued_on,
                    )

    bulk_insert(
        FundHolding._meta.db_table,
        ("person_id", "fund_id", "fund_name", "units", "unit_price", "value", "fee_percent", "valued_on"),
        rows(),
    )


def statements_for_persons(person_ids: list[int], year: int) -> int:
    """``year``'s statements for the given persons only (demo persons' history)."""
    if not person_ids:
        return 0
    placeholders = ", ".join(["%s"] * len(person_ids))
    with transaction.atomic(using=ALIAS):
        return compute_and_write(f"p.id IN ({placeholders})", list(person_ids), year)


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
    year: int, *, workers: int = 1, partition_size: int = DEFAULT_PARTITION_SIZE, progress: bool = False
) -> RunReport:
    """Run (or resume) the statement run of ``year``; ``workers`` > 1 uses processes on PostgreSQL."""
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
        StatementRun.objects.filter(id=run.id, finished_at=None).update(finished_at=clock.now())
    return RunReport(
        persons=sum(processed.values_list("persons", flat=True)), partitions=processed.count(), seconds=seconds
    )
