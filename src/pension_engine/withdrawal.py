"""Withdrawal (uttag) of the income pension: conversion by the divisor, partial withdrawal, indexation.

Legal reference: SFB 56 kap. (uttag, lägsta ålder, partial withdrawal of 25, 50, 75 or 100 %), 62 kap.
(inkomstpension = behållning / delningstal; följsamhetsindexering each January by the index change / 1.016).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pension_engine.annuity_divisor import income_pension_divisor
from pension_engine.arrays import FloatArray, as_float, as_int
from pension_engine.indexation import in_payment_factor
from pension_engine.parameters import FIRST_YEAR, ParameterError, ParameterSet
from pension_engine.retirement_ages import lowest_withdrawal_age
from pension_engine.rounding import round_kronor

WITHDRAWAL_SHARES = (0.25, 0.5, 0.75, 1.0)


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
