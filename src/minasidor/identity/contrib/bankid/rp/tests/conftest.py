"""Fixtures for the BankID client's tests: anyio on asyncio, and our BankID test server on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from minasidor.identity.contrib.bankid.rp.client import BankIdClient
from minasidor.identity.contrib.bankid.rp.tests.support import settings_for
from simulators.bankid.ca import CaBundle
from simulators.bankid.server import SimulatorThread
from simulators.bankid.testing import make_ca, running_simulator


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> CaBundle:
    return make_ca(tmp_path_factory.mktemp("bankid-ca"))


@pytest.fixture(scope="session")
def server(bundle: CaBundle) -> Iterator[SimulatorThread]:
    """One server for the session; each test resets it."""
    with running_simulator(bundle) as thread:
        yield thread


@pytest.fixture
def simulator(server: SimulatorThread) -> SimulatorThread:
    server.sim.reset()
    return server


@pytest.fixture
async def client(simulator: SimulatorThread, bundle: CaBundle) -> AsyncIterator[BankIdClient]:
    async with BankIdClient(settings=settings_for(simulator.rp_base_url, bundle)) as bankid:
        yield bankid
