"""Housing supplement (bostadstillägg) and maintenance support for the elderly (äldreförsörjningsstöd): what the
register can tell the calculator, and the engine's estimate for a household's answers.

The register knows the person's own public pension in payment and civil status; it knows nothing of a spouse,
the rent, occupational pensions, other incomes or savings, which the citizen gives. The estimate is the
engine's rules of the current year (docs/decisions/0124): a preliminary figure, not a decision.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from minasidor.registers.types import PersonSnapshot
from pension_engine.housing_supplement import HousingApplicants, housing_supplement
from pension_engine.parameters import last_actual_year

MONTHS = 12
GUARANTEE_PENSION = "guarantee_pension"


@dataclasses.dataclass(frozen=True, slots=True)
class HousingPrefill:
    """What the register says: civil status and the public pension a month before tax, by kind."""

    married: bool
    guarantee_pension_per_month: int
    income_based_pension_per_month: int
    drawing_pension: bool
    municipal_tax_rate: float | None


@dataclasses.dataclass(frozen=True, slots=True)
class HousingAnswers:
    """A household's answers: monthly amounts before tax, yearly capital income, assets (the couple's together
    for the married)."""

    married: bool
    housing_cost_per_month: int
    guarantee_pension_per_month: int = 0
    income_based_pension_per_month: int = 0
    occupational_pension_per_month: int = 0
    earned_income_per_month: int = 0
    capital_income_per_year: int = 0
    assets: int = 0
    municipal_tax_rate: float | None = None  # a share; None for the national average


@dataclasses.dataclass(frozen=True, slots=True)
class HousingEstimate:
    """The engine's answer per person a month (each spouse's for the married), in whole kronor."""

    year: int
    housing_supplement: Decimal
    maintenance_support: Decimal
    reasonable_living_standard: Decimal

    @property
    def total(self) -> Decimal:
        return self.housing_supplement + self.maintenance_support


def housing_prefill(snapshot: PersonSnapshot, today: dt.date) -> HousingPrefill:
    """The register's part of the answers: the parts of the old-age pension in force today, and civil status."""
    in_force = snapshot.decisions_in_force(today)
    tax = snapshot.customer_records.tax_settings
    guarantee = sum((d.monthly_amount for d in in_force if d.benefit == GUARANTEE_PENSION), Decimal(0))
    other = sum((d.monthly_amount for d in in_force if d.benefit != GUARANTEE_PENSION), Decimal(0))
    return HousingPrefill(
        married=snapshot.person.married,
        guarantee_pension_per_month=round(guarantee),
        income_based_pension_per_month=round(other),
        drawing_pension=snapshot.person.drawing_pension,
        municipal_tax_rate=None if tax is None else float(tax.municipal_tax_rate) / 100,
    )


def housing_estimate(answers: HousingAnswers, today: dt.date) -> HousingEstimate:
    """The engine's housing supplement and maintenance support for ``answers`` under this year's rules (or the
    last year the engine has rules for, early in a year before they are added)."""
    year = min(today.year, last_actual_year())
    applicants = HousingApplicants.of_one(
        married=answers.married,
        housing_cost_per_month=float(answers.housing_cost_per_month),
        guarantee_pension=float(answers.guarantee_pension_per_month * MONTHS),
        income_based_public_pension=float(answers.income_based_pension_per_month * MONTHS),
        occupational_pension=float(answers.occupational_pension_per_month * MONTHS),
        earned_income=float(answers.earned_income_per_month * MONTHS),
        capital_income=float(answers.capital_income_per_year),
        assets=float(answers.assets),
        municipal_tax_rate=answers.municipal_tax_rate,
    )
    result = housing_supplement(applicants, year, month=today.month if year == today.year else MONTHS)
    return HousingEstimate(
        year=year,
        housing_supplement=Decimal(int(result.housing_supplement_per_month[0])),
        maintenance_support=Decimal(int(result.elderly_maintenance_support_per_month[0])),
        reasonable_living_standard=Decimal(int(result.reasonable_living_standard_per_month[0])),
    )
