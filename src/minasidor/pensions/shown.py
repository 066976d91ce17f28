"""The annual statement as the page and the PDF show it: whole kronor whose items add up (decision 0084).

The register keeps each item to the öre. Each account's values at the start and the end of the year are
rounded as usual (the one at the end comes back next year as the one at the start); the items between them
are rounded so that they add up to the difference (largest remainders, ``minasidor.ui.sums``); the
accounts' total is the sum of the accounts as shown.
"""

from __future__ import annotations

import dataclasses

from minasidor.registers.types import AccountYear, Statement
from minasidor.ui.formatting import whole_kronor
from minasidor.ui.sums import apportioned

# The items between the value at the start and at the end of the year, in the order they are listed.
CHANGES = ("new_rights", "inheritance_gains", "value_change", "fees", "paid_out")


@dataclasses.dataclass(frozen=True, slots=True)
class ShownAccount:
    """One account of the statement in whole kronor: opening + the changes = closing, as shown."""

    account: str
    year: int
    opening_value: int
    new_rights: int
    inheritance_gains: int
    value_change: int
    fees: int
    paid_out: int
    closing_value: int


@dataclasses.dataclass(frozen=True, slots=True)
class ShownStatement:
    """The statement's accounts as shown, and their total: the sum of the shown values at the end of the year."""

    year: int
    accounts: tuple[ShownAccount, ...]

    @property
    def total_closing_value(self) -> int:
        """The accounts' values at the end of the year, together, as shown."""
        return sum(account.closing_value for account in self.accounts)

    def account(self, name: str) -> ShownAccount | None:
        """The account ``name`` (income_pension or premium_pension), if the statement has it."""
        return next((account for account in self.accounts if account.account == name), None)

    @property
    def income_pension(self) -> ShownAccount | None:
        """The income-pension account as shown."""
        return self.account("income_pension")

    @property
    def premium_pension(self) -> ShownAccount | None:
        """The premium-pension account as shown."""
        return self.account("premium_pension")


def account_shown(account: AccountYear) -> ShownAccount:
    """``account`` in whole kronor whose changes add up from the value at the start to the value at the end."""
    opening = whole_kronor(account.opening_value)
    closing = whole_kronor(account.closing_value)
    rights, gains, value_change, fees, paid_out = apportioned(
        [getattr(account, item) for item in CHANGES], total=closing - opening
    )
    return ShownAccount(
        account=account.account,
        year=account.year,
        opening_value=opening,
        new_rights=rights,
        inheritance_gains=gains,
        value_change=value_change,
        fees=fees,
        paid_out=paid_out,
        closing_value=closing,
    )


def statement_shown(statement: Statement | None) -> ShownStatement | None:
    """The statement as the page and the PDF show it; None without a statement."""
    if statement is None:
        return None
    return ShownStatement(statement.year, tuple(account_shown(account) for account in statement.accounts))
