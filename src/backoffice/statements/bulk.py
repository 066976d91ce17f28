"""Bulk reads and writes on the back office's database: COPY on PostgreSQL, batched inserts on SQLite.

The statement run and the population seeding move millions of rows; row-by-row ORM calls would make the
database the bottleneck. Values are written as text the database parses (money as ``"1234.56"``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import psycopg
from django.db import connections

from pension_engine.arrays import FloatArray

ALIAS = "backoffice"
SQLITE_BATCH = 5000


def is_postgresql() -> bool:
    """Whether the back office's database is PostgreSQL (else SQLite)."""
    return connections[ALIAS].vendor == "postgresql"


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` into ``table``; COPY FROM STDIN on PostgreSQL, executemany in batches on SQLite."""
    connection = connections[ALIAS]
    column_list = ", ".join(columns)
    count = 0
    with connection.cursor() as cursor:
        if is_postgresql():
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def select_matrix(sql: str, params: Sequence[Any], columns: int) -> FloatArray:
    """A query's numeric rows as a rows × ``columns`` float matrix; on PostgreSQL through COPY TO STDOUT."""
    connection = connections[ALIAS]
    with connection.cursor() as cursor:
        if is_postgresql():
            raw = cursor.cursor
            query = psycopg.ClientCursor(raw.connection).mogrify(sql, params)
            buffer = io.BytesIO()
            with raw.copy(f"COPY ({query}) TO STDOUT") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            if buffer.tell() == 0:
                return np.zeros((0, columns))
            buffer.seek(0)
            return np.loadtxt(buffer, delimiter="\t", dtype=np.float64, ndmin=2)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        return np.array(rows, dtype=np.float64).reshape(len(rows), columns)


def skip_foreign_key_checks() -> bool:
    """For a bulk load whose keys are right by construction: skip PostgreSQL's per-row foreign-key triggers.

    Django's foreign keys on PostgreSQL are checked by a trigger per inserted row, deferred to the commit;
    for tens of millions of rows that check dominates the load. ``session_replication_role = replica``
    (for the current transaction only) skips those triggers. It needs a superuser; otherwise nothing
    changes and the checks run as usual. Returns whether they are skipped. Only callers that insert rows
    referring to ids they have just read or written in the same transaction may use it.
    """
    if not is_postgresql():
        return False
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if not row or not row[0]:
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def money_text(values: Iterable[float]) -> list[str]:
    """Amounts as exact decimal text with öre: the same rounding as ``Decimal(str(round(x, 2)))``."""
    return [f"{value:.2f}" for value in values]


def reset_sequence(table: str) -> None:
    """After inserts with explicit ids, move PostgreSQL's id sequence past the highest id."""
    if is_postgresql():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"  # noqa: S608
            )
