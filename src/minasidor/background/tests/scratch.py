"""Scratch databases for tests that run the workers and schedulers as separate processes.

The test run's own databases live in memory (SQLite) or inside a test transaction, out of other processes'
reach; these are real files (SQLite) or real databases on the same PostgreSQL server as the test run, made
for one test, migrated for the task queue and job slots only, and removed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connections

PROJECT_ROOT = Path(settings.PROJECT_ROOT)
QUEUE_APPS = ("django_tasks_database", "background")


def _postgres_url(name: str) -> str:
    params = connections["default"].settings_dict
    user = params.get("USER") or "postgres"
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


@contextlib.contextmanager
def _postgres_databases(count: int) -> Iterator[list[str]]:
    params = connections["default"].settings_dict
    names = [f"ms_scratch_{uuid.uuid4().hex[:12]}" for _ in range(count)]
    admin = psycopg.connect(
        host=params.get("HOST") or "127.0.0.1",
        port=params.get("PORT") or 5432,
        user=params.get("USER") or "postgres",
        password=params.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield [_postgres_url(name) for name in names]
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextlib.contextmanager
def scratch_environment(folder: Path) -> Iterator[dict[str, str]]:
    """The environment of processes working on scratch databases of the test run's kind, migrated."""
    with contextlib.ExitStack() as stack:
        if connections["default"].vendor == "postgresql":
            portal, backoffice = stack.enter_context(_postgres_databases(2))
        else:
            portal, backoffice = f"sqlite:///{folder}/portal.sqlite3", f"sqlite:///{folder}/backoffice.sqlite3"
        inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        environment = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "minasidor.conf.settings",
            "DATABASE_URL": portal,
            "BACKOFFICE_DATABASE_URL": backoffice,
            "MINASIDOR_VAR_DIR": str(folder),
        }
        finish(
            python(
                environment,
                "from django.core.management import call_command\n"
                f"for database in ('default', 'backoffice'):\n"
                f"    for app in {QUEUE_APPS!r}:\n"
                "        call_command('migrate', app, database=database, verbosity=0)\n",
            )
        )
        yield environment


def manage(environment: dict[str, str], *arguments: str, timeout: float = 120) -> str:
    """Run ``manage.py`` with ``arguments`` in ``environment``; its output (it must succeed)."""
    result = subprocess.run(  # noqa: S603 - this interpreter and manage.py, with the tests' arguments
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def worker(environment: dict[str, str], *arguments: str) -> subprocess.Popen[str]:
    """Start ``manage.py run_tasks arguments`` (the portal's queue unless ``--backend`` says otherwise)."""
    return subprocess.Popen(  # noqa: S603 - this interpreter and manage.py, with the tests' arguments
        [sys.executable, "manage.py", "run_tasks", "--no-startup-delay", *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def python(environment: dict[str, str], code: str, *arguments: str) -> subprocess.Popen[str]:
    """Start ``python -c code arguments`` with Django set up on ``environment``'s databases."""
    prelude = "import django; django.setup()\n"
    return subprocess.Popen(  # noqa: S603 - this interpreter running the tests' own code
        [sys.executable, "-c", prelude + code, *arguments],
        cwd=PROJECT_ROOT,
        env={**environment, "PYTHONPATH": str(PROJECT_ROOT / "src")},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def ready(process: subprocess.Popen[str]) -> None:
    """Wait until ``process`` prints ``ready`` (it then waits for :func:`go`)."""
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.strip() == "ready", line


def go(process: subprocess.Popen[str]) -> None:
    """Let a process that is :func:`ready` go on."""
    assert process.stdin is not None
    process.stdin.write("go\n")
    process.stdin.flush()


def finish(process: subprocess.Popen[str], timeout: float = 60) -> str:
    """Wait for ``process``; its output (it must succeed)."""
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return out
