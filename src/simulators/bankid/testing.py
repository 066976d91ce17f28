"""Helpers for tests that need a running BankID test server (ours, or a client's under test)."""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from simulators.bankid import ca
from simulators.bankid.clock import ManualClock, system_now
from simulators.bankid.orders import Timings
from simulators.bankid.server import SimulatorThread
from simulators.bankid.simulator import Simulator

# A fixed start time for state-machine tests that need no valid certificates.
TEST_START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def make_ca(directory: Path, *, now: dt.datetime | None = None) -> ca.CaBundle:
    """A fresh test CA in ``directory``, valid from a day before ``now`` (default: the real time)."""
    return ca.generate(directory=directory, now=now or system_now())


@contextmanager
def running_simulator(
    bundle: ca.CaBundle, *, timings: Timings | None = None, start: dt.datetime | None = None
) -> Iterator[SimulatorThread]:
    """Both servers on free loopback ports, with a manual clock at ``start`` (real time if None)."""
    clock = ManualClock(start or system_now())
    sim = Simulator.create(ca=bundle, clock=clock, timings=timings)
    with SimulatorThread(sim) as thread:
        yield thread


def rp_context(bundle: ca.CaBundle, *, with_cert: bool = True) -> ssl.SSLContext:
    """A TLS context as any RP would build it from the simulator's files."""
    context = ssl.create_default_context(cafile=str(bundle.ssl_root_file))
    if with_cert:
        context.load_cert_chain(str(bundle.rp_cert_file), str(bundle.rp_key_file))
    return context
