"""What the forecast assumes, read from the engine and written for the reader: the page and the PDF say the same.

The percentages are the forecast standard's (``pension_engine.forecast.band_scenarios``, the fund fee), the
guarantee-pension age is the person's own cohort's (``pension_engine.retirement_ages``).
"""

from __future__ import annotations

from decimal import Decimal

from minasidor.ui.formatting import percent
from pension_engine.forecast import band_scenarios
from pension_engine.parameters import forecast_standard
from pension_engine.retirement_ages import guarantee_pension_age


def forecast_assumptions(birth_year: int) -> dict[str, str | int]:
    """The economic assumptions as percentages in the active language, and the person's guarantee-pension age.

    Keys: ``fund_fee``, ``<case>_wage_growth`` and ``<case>_return`` for the pessimistic, expected and
    optimistic cases, ``guarantee_age``.
    """
    fee = forecast_standard().premium_pension_fund_fee.value
    values: dict[str, str | int] = {"fund_fee": percent(_as_percent(fee))}
    for name, scenario in band_scenarios().items():
        values[f"{name}_wage_growth"] = percent(_as_percent(scenario.real_wage_growth))
        values[f"{name}_return"] = percent(_as_percent(scenario.premium_pension_real_return))
    values["guarantee_age"] = guarantee_age(birth_year)
    return values


def guarantee_age(birth_year: int) -> int:
    """The age from which the person's cohort can have guarantee pension and the income-pension supplement."""
    return int(guarantee_pension_age([birth_year])[0])


def _as_percent(fraction: float) -> Decimal:
    return Decimal(str(round(fraction * 100, 4)))
