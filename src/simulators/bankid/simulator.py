"""One BankID test server's state: its CA, clock, order book and injected faults."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulators.bankid.ca import CaBundle
from simulators.bankid.clock import AdjustableClock
from simulators.bankid.completion import SignedCompletion
from simulators.bankid.faults import FaultPlan
from simulators.bankid.orders import OrderBook, Timings


@dataclass(kw_only=True)
class Simulator:
    """Everything both servers (RP API and virtual app) share."""

    ca: CaBundle
    clock: AdjustableClock
    book: OrderBook
    faults: FaultPlan = field(default_factory=FaultPlan)
    check_luhn: bool = False

    @classmethod
    def create(
        cls,
        *,
        ca: CaBundle,
        clock: AdjustableClock,
        timings: Timings | None = None,
        check_luhn: bool = False,
    ) -> Simulator:
        book = OrderBook(clock=clock, timings=timings, completion=SignedCompletion(ca=ca))
        return cls(ca=ca, clock=clock, book=book, check_luhn=check_luhn)

    def reset(self) -> None:
        """Forget all orders and faults."""
        self.book.clear()
        self.faults.clear()
