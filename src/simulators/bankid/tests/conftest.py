"""Fixtures for the BankID test server's tests: one test CA per session, a server per test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulators.bankid.ca import CaBundle
from simulators.bankid.clock import ManualClock
from simulators.bankid.orders import OrderBook, Timings
from simulators.bankid.server import SimulatorThread
from simulators.bankid.testing import TEST_START, make_ca, rp_context, running_simulator


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> CaBundle:
    return make_ca(tmp_path_factory.mktemp("bankid-ca"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(TEST_START)


@pytest.fixture
def book(clock: ManualClock) -> OrderBook:
    return OrderBook(clock=clock, timings=Timings())


@pytest.fixture(scope="session")
def running(bundle: CaBundle) -> Iterator[SimulatorThread]:
    with running_simulator(bundle) as thread:
        yield thread


@pytest.fixture
def server(running: SimulatorThread) -> SimulatorThread:
    """The session's server, with no orders and no faults left from other tests."""
    running.sim.reset()
    return running


@pytest.fixture
def rp(server: SimulatorThread, bundle: CaBundle) -> Iterator[httpx.Client]:
    """A plain httpx client with the RP certificate (not our BankID client)."""
    with httpx.Client(base_url=server.rp_base_url, verify=rp_context(bundle), timeout=5) as client:
        yield client


@pytest.fixture
def app(server: SimulatorThread) -> Iterator[httpx.Client]:
    """A client of the virtual app's control API."""
    with httpx.Client(base_url=server.app_base_url, timeout=5) as client:
        yield client
