"""Withdrawal (uttag) of the income pension: conversion by the divisor, partial withdrawal, indexation.

Legal reference: SFB 56 kap. (uttag, lägsta ålder, partial withdrawal of 25, 50, 75 or 100 %), 62 kap.
(inkomstpension = behållning / delningstal; följsamhetsindexering each January by the index change / 1.016).
``Withdrawal`` says, per person, when the pension began to be paid and how much of it; the account
histories pay out from that month on (docs/decisions/0075).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pension_engine.annuity_divisor import income_pension_divisor
from pension_engine.arrays import BoolArray, FloatArray, IntArray, as_float, as_int
from pension_engine.indexation import in_payment_factor
from pension_engine.parameters import FIRST_YEAR, ParameterError, ParameterSet
from pension_engine.retirement_ages import lowest_withdrawal_age
from pension_engine.rounding import round_kronor

WITHDRAWAL_SHARES = (0.25, 0.5, 0.75, 1.0)
NOT_DRAWING = 9999  # the start year of someone who has not begun to draw
MONTHS_IN_YEAR = 12


class WithdrawalError(ParameterError):
    """A withdrawal the rules do not allow (too early, or an unknown share)."""


def check_withdrawal(birth_year: npt.ArrayLike, age: npt.ArrayLike, share: npt.ArrayLike = 1.0) -> None:
    """Raise WithdrawalError if anyone would withdraw below the cohort's lowest age or with a bad share."""
    born = as_int(birth_year)
    ages = as_int(age)
    lowest = lowest_withdrawal_age(born)
    too_early = ages < lowest
    if np.any(too_early):
        first = int(np.flatnonzero(too_early)[0])
        raise WithdrawalError(
            f"age {int(ages[first])} is below the lowest withdrawal age {int(lowest[first])} "
            f"for people born {int(born[first])}"
        )
    if not np.all(np.isin(as_float(share), WITHDRAWAL_SHARES)):
        raise WithdrawalError("withdrawal share must be 25, 50, 75 or 100 %")


def income_pension_annual(
    balance: npt.ArrayLike,
    birth_year: npt.ArrayLike,
    age: npt.ArrayLike,
    months: npt.ArrayLike = 0,
    share: npt.ArrayLike = 1.0,
) -> FloatArray:
    """Yearly income pension at the start of withdrawal: share · balance / divisor(cohort, age + months)."""
    check_withdrawal(birth_year, age, share)
    divisor = income_pension_divisor(birth_year, age, months)
    return np.asarray(as_float(share) * as_float(balance) / divisor)


def monthly_amount(annual: npt.ArrayLike) -> FloatArray:
    """Monthly payment in whole kronor (the yearly amount / 12, rounded half up)."""
    return round_kronor(as_float(annual) / 12.0)


def index_in_payment(
    annual: npt.ArrayLike, first_year: int, to_year: int, parameters: ParameterSet | None = None
) -> FloatArray:
    """A pension first paid in ``first_year`` as it stands in ``to_year`` after each January's indexation."""
    factors = in_payment_factor(parameters)[first_year + 1 - FIRST_YEAR : to_year + 1 - FIRST_YEAR]
    return np.asarray(as_float(annual) * float(np.prod(factors)))


@dataclass(frozen=True)
class Withdrawal:
    """When each person began to draw the income-based pension, and what share of it (struct of arrays).

    ``start_year`` and ``start_month`` name the first month paid (``NOT_DRAWING`` for a saver); ``share`` is
    the uttagsandel (0.25, 0.5, 0.75 or 1) and is ignored for savers. The share applies to both accounts.
    """

    start_year: IntArray
    start_month: IntArray
    share: FloatArray

    def __post_init__(self) -> None:
        size = self.start_year.shape[0]
        if self.start_month.shape != (size,) or self.share.shape != (size,):
            raise WithdrawalError("start_year, start_month and share need one value per person")
        drawing = self.start_year != NOT_DRAWING
        if np.any((self.start_month < 1) | (self.start_month > MONTHS_IN_YEAR)):
            raise WithdrawalError("start_month must be 1–12")
        if not np.all(np.isin(self.share[drawing], WITHDRAWAL_SHARES)):
            raise WithdrawalError("withdrawal share must be 25, 50, 75 or 100 %")

    @classmethod
    def of(cls, start_year: npt.ArrayLike, start_month: npt.ArrayLike = 1, share: npt.ArrayLike = 1.0) -> Withdrawal:
        """Withdrawals from arrays (or scalars, broadcast to the persons of ``start_year``)."""
        years = as_int(start_year)
        months = np.broadcast_to(as_int(start_month), years.shape).copy()
        shares = np.broadcast_to(as_float(share), years.shape).copy()
        return cls(start_year=years, start_month=months, share=shares)

    @classmethod
    def none(cls, size: int) -> Withdrawal:
        """``size`` savers: nobody draws."""
        return cls.of(np.full(size, NOT_DRAWING, dtype=np.int64))

    @property
    def size(self) -> int:
        """Number of persons."""
        return int(self.start_year.shape[0])

    def drawing(self, year: int) -> BoolArray:
        """Who is paid pension in some month of ``year``."""
        return np.asarray(self.start_year <= year)

    def months_paid(self, year: int) -> FloatArray:
        """Months of ``year`` with a payment: 12 after the start year, from the start month in it, else 0."""
        first_year = MONTHS_IN_YEAR + 1 - self.start_month
        return np.where(
            self.start_year < year, float(MONTHS_IN_YEAR), np.where(self.start_year == year, first_year, 0)
        ).astype(np.float64)

    def share_drawn(self, year: int) -> FloatArray:
        """The share each person draws in ``year`` (0 before the start)."""
        return np.where(self.drawing(year), self.share, 0.0)
