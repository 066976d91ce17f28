"""How a payment account is shown: masked, so that a glance over the shoulder (or a screenshot) does not give
the whole number away, yet the person recognises their own account."""

from __future__ import annotations

from minasidor.registers.types import PaymentAccount

SHOWN_DIGITS = 4
MASK = "••••"


def account_masked(account: PaymentAccount) -> str:
    """The bank, the clearing number and the account number's last four digits, e.g. ``Swedbank 8327-9,
    •••• 7890``."""
    clearing = account.clearing_number
    if len(clearing) == 5:  # Swedbank's five-digit clearing numbers are written 8xxx-x
        clearing = f"{clearing[:4]}-{clearing[4]}"
    last = account.account_number[-SHOWN_DIGITS:]
    return f"{account.bank_name} {clearing}, {MASK} {last}".strip()
