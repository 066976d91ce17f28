"""When pension is paid: the payment day of a month.

Pension is paid on the 19th, or the weekday before when the 19th falls on a weekend. (The authority's
published rule pays people born on day 1–15 on the 18th and the others on the 19th; the register keeps
one day for everyone, a simplification of decision 0076 kept until the payment calendar is modelled.)
"""

from __future__ import annotations

import datetime as dt

PAYMENT_DAY = 19


def payment_date(year: int, month: int) -> dt.date:
    """The day the pension of ``month`` in ``year`` is paid."""
    day = dt.date(year, month, PAYMENT_DAY)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def next_payment_date(after: dt.date) -> dt.date:
    """The first payment day later than ``after``."""
    day = payment_date(after.year, after.month)
    if day > after:
        return day
    following = (after.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return payment_date(following.year, following.month)
