"""Fixtures shared by every test in the project."""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import Browser, sync_playwright
from pytest_django.fixtures import Settings

from backoffice.synthetic.demo import demo_persons_create
from kernel import clock
from minasidor.identity.contrib.bankid import connection as bankid_connection
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.minpension import connection as minpension_connection
from minasidor.signing import configured
from minasidor.signing.development_seal import DevelopmentSealFiles, development_seal_files
from simulators.bankid.clock import AdjustableClock
from simulators.bankid.server import SimulatorThread
from simulators.bankid.simulator import Simulator
from simulators.bankid.testing import make_ca
from simulators.minpension.server import SimulatorThread as MinPensionThread

MIN_PENSION_TODAY = dt.date(2026, 11, 28)

# In CI (CI=true) property-based tests draw the same examples every run, so a submission's result does not
# depend on luck; everywhere else they explore new examples each run (and keep failures in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, deadline=None)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _no_permission_marks_from_other_tests() -> None:
    """Each test starts without the marks of live temporary permissions (decision 0172) that an earlier test
    left in the in-memory cache (its database rows are rolled back, the cache is not)."""
    from minasidor.temporary_access.marks import live_marks_forget_all  # noqa: PLC0415

    live_marks_forget_all()


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """Each test starts and ends in the portal's default language: a request of an earlier test in the same
    process (``/en/…``) left English active in the thread, and later ``reverse()`` calls gave English paths."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _cheap_personal_code_hashes(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Argon2id at its smallest cost in tests (the demo persons get codes; the cost is not what is tested),
    and print files in the session's temporary directory."""
    settings.PRINT_DIR = str(tmp_path_factory.getbasetemp() / "print")
    settings.PERSONAL_CODE_ARGON2_TIME_COST = 1
    settings.PERSONAL_CODE_ARGON2_MEMORY_KIB = 64


@pytest.fixture
def frozen_clock() -> Iterator[clock.FrozenClock]:
    """The clock frozen at a fixed instant (2026-11-28 12:00 UTC); move it with ``.advance()``."""
    with clock.frozen(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)) as frozen:
        yield frozen


@pytest.fixture
def citizen_client(client: Client, db: None) -> Client:
    """A test client logged in as Tolvan Tolvansson (BankID's test identity)."""
    log_in(client, make_identity())
    return client


@pytest.fixture
def flushable_access_log(transactional_db: None, request: pytest.FixtureRequest) -> Iterator[None]:
    """Let a transactional test's database flush empty the append-only tables: the portal's access log and
    the back office's case history.

    Their triggers refuse DELETE (and, on the access log, TRUNCATE), which is also how the test framework
    empties the tables after a transactional test. This fixture's teardown runs before that flush: it lifts
    the triggers, and the next test that asks for it puts them back. The triggers' own tests do not use it.
    """
    triggers = importlib.import_module("minasidor.audit.migrations.0002_append_only_triggers")
    case_triggers = importlib.import_module("backoffice.casework.migrations.0002_append_only_triggers")
    marker = request.node.get_closest_marker("django_db")
    databases = (marker.kwargs.get("databases") if marker else None) or ()
    backoffice = connections["backoffice"] if "backoffice" in databases or databases == "__all__" else None
    create, drop = case_triggers.trigger_statements(backoffice.vendor) if backoffice else ([], [])
    with connection.schema_editor() as editor:
        triggers.drop_triggers(None, editor)
        triggers.create_triggers(None, editor)
    if backoffice is not None:
        with backoffice.cursor() as cursor:
            for statement in [*drop, *create]:
                cursor.execute(statement)
    yield
    with connection.schema_editor() as editor:
        triggers.drop_triggers(None, editor)
    if backoffice is not None:
        with backoffice.cursor() as cursor:
            for statement in drop:
                cursor.execute(statement)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium driven by Playwright (which cannot download a browser of its own here),
    one per test session: every browser test in the project shares it."""
    executable = os.environ.get("MINASIDOR_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def bankid_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorThread]:
    """Our BankID test server on loopback, on real time that tests may push forward."""
    bundle = make_ca(tmp_path_factory.mktemp("bankid"))
    simulator = Simulator.create(ca=bundle, clock=AdjustableClock())
    with SimulatorThread(simulator) as thread:
        yield thread


@pytest.fixture
def bankid(bankid_server: SimulatorThread, settings: Settings) -> Iterator[SimulatorThread]:
    """The portal pointed at the BankID test server, which starts with no orders and no faults."""
    bankid_server.sim.reset()
    bundle = bankid_server.sim.ca
    settings.BANKID_BASE_URL = bankid_server.rp_base_url
    settings.BANKID_CERT_FILE = str(bundle.rp_cert_file)
    settings.BANKID_KEY_FILE = str(bundle.rp_key_file)
    settings.BANKID_CA_FILE = str(bundle.ssl_root_file)
    settings.BANKID_SIGNING_ROOT_FILE = str(bundle.signing_root_file)
    bankid_connection.reset()
    cache.clear()
    yield bankid_server
    bankid_connection.reset()


@pytest.fixture(scope="session")
def minpension_server() -> Iterator[MinPensionThread]:
    """The Min Pension test server on loopback, with its demo data, answering as of 2026-11-28."""
    with MinPensionThread(today=lambda: MIN_PENSION_TODAY) as thread:
        yield thread


@pytest.fixture
def minpension(minpension_server: MinPensionThread, settings: Settings) -> Iterator[MinPensionThread]:
    """The portal pointed at the Min Pension test server, which starts from its data file with no faults."""
    minpension_server.control("reset")
    settings.MINPENSION_BASE_URL = minpension_server.api_base_url
    settings.MINPENSION_TIMEOUT_SECONDS = 1.0
    minpension_connection.reset()
    yield minpension_server
    minpension_connection.reset()


@pytest.fixture
def demo_backoffice(frozen_clock: clock.FrozenClock, db: None) -> None:
    """The back office's demo persons, with their incomes, statements, pensions and customer records."""
    demo_persons_create()


@pytest.fixture(scope="module")
def seal_files(tmp_path_factory: pytest.TempPathFactory) -> DevelopmentSealFiles:
    """A development seal (test-only keys), made once a module."""
    return development_seal_files(tmp_path_factory.mktemp("seal") / "test-seal", now=dt.datetime.now(dt.UTC))


@pytest.fixture
def seal(settings: Settings, seal_files: DevelopmentSealFiles) -> Iterator[None]:
    """Receipts and letters are sealed with the module's development seal (no time-stamp authority)."""
    settings.SEAL_CERT_FILE = str(seal_files.cert_file)
    settings.SEAL_KEY_FILE = str(seal_files.key_file)
    settings.SEAL_CHAIN_FILE = str(seal_files.root_file)
    settings.SEAL_ROOT_FILE = str(seal_files.root_file)
    settings.SEAL_TSA_URL = ""
    configured.reset()
    yield
    configured.reset()
