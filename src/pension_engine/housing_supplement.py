"""Bostadstillägg (housing supplement) and äldreförsörjningsstöd (maintenance support for the elderly).

Legal reference: SFB 101–102 kap. (bostadstillägg till pensionärer; 102 kap. 22 § the housing-cost bands and
the add-on, 26–28 §§ särskilt bostadstillägg and skälig levnadsnivå), SFB 74 kap. (äldreförsörjningsstöd).
Levels and rates are rules.yaml's ``housing_supplement`` (docs/decisions/0124). Per person, yearly amounts:

- **Counted housing cost**: of the monthly cost, each band's share (since 2022: 100 % up to 3 000, 90 % to
  5 000, 70 % to 7 000, 50 % to 7 500 kr, the ceiling); plus the add-on (konsumtionsstöd, 840 kr since
  August 2022). Married or cohabiting: half the joint cost each, the band limits and the add-on halved.
- **Reduction income** (bidragsgrundande inkomst): the guarantee pension in full; the income-based public
  pension, occupational pension and earned income — income from one's own work — at 93 %; capital income
  in full; 15 % of the assets above 100 000 kr (200 000 kr for a couple together). Married: half the couple's.
- **Housing supplement** = 12 × (counted cost + add-on) − 62 % × (reduction income − free amount), never
  below 0; the free amount is 2.43 price base amounts for a single person, 2.20 for each spouse (2022-08→).
- **Särskilt bostadstillägg** (SBTP): what is still missing for the reasonable living standard (skälig
  levnadsnivå, 1.5357 / 1.2353 PBB a year) after tax and the reasonable housing cost (up to 7 500 kr, or
  3 750 each for spouses), the income taken as at least a full guarantee pension after tax — it tops up
  housing costs, not a short residence. Paid as part of the housing supplement.
- **Äldreförsörjningsstöd** (ÄFS): the reasonable living standard plus the reasonable housing cost, less the
  income after tax (earned income above 24 000 kr a year, capital income after 30 % tax, the asset part) and
  the housing supplement; never below 0.

Tax is the engine's estimate (``tax.income_tax``) on pensions and earned income with the increased basic
deduction for those entitled, at the municipal rate given or the national average. Monthly amounts are
whole kronor (rounded half up); the reasonable living standard a month is rounded down, as the Agency
publishes it (6 181 kr for 2022). Amounts for a married person are each spouse's, computed from the couple's
joint housing cost, incomes and assets.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from pension_engine.arrays import BoolArray, FloatArray, as_float
from pension_engine.guarantee_pension import scaled_levels
from pension_engine.parameters import ParameterError, ParameterSet, load_parameters, rules
from pension_engine.parameters.rule_types import HousingSupplementPeriod
from pension_engine.rounding import round_kronor
from pension_engine.tax import income_tax

MONTHS = 12


@dataclass(frozen=True)
class HousingApplicants:
    """Applicants as parallel arrays: what the register knows and what the citizen adds.

    Amounts are yearly kronor, except ``housing_cost_per_month``. For a married (or cohabiting) applicant
    every amount is the couple's together: the joint housing cost, both spouses' incomes and assets.
    ``guarantee_pension`` and ``income_based_public_pension`` (income, premium and supplementary pension and
    the income-pension supplement) come from the register; housing cost, occupational pension, earned and
    capital income and assets from the citizen. ``municipal_tax_rate`` NaN means the national average;
    ``increased_deduction`` says who has the increased basic deduction (pensioners of that age).
    """

    married: BoolArray
    housing_cost_per_month: FloatArray
    guarantee_pension: FloatArray
    income_based_public_pension: FloatArray
    occupational_pension: FloatArray
    earned_income: FloatArray
    capital_income: FloatArray
    assets: FloatArray
    municipal_tax_rate: FloatArray
    increased_deduction: BoolArray

    def __post_init__(self) -> None:
        size = self.married.shape[0]
        for name, values in vars(self).items():
            if values.shape != (size,):
                raise ParameterError(f"{name} needs one value per applicant")
            if name not in ("married", "increased_deduction", "municipal_tax_rate") and np.any(values < 0):
                raise ParameterError(f"{name} must not be negative")

    @classmethod
    def of_one(
        cls,
        *,
        married: bool,
        housing_cost_per_month: float,
        guarantee_pension: float = 0.0,
        income_based_public_pension: float = 0.0,
        occupational_pension: float = 0.0,
        earned_income: float = 0.0,
        capital_income: float = 0.0,
        assets: float = 0.0,
        municipal_tax_rate: float | None = None,
        increased_deduction: bool = True,
    ) -> HousingApplicants:
        """One applicant (yearly incomes; for a married applicant the couple's together)."""
        return cls(
            married=np.array([married]),
            housing_cost_per_month=as_float(housing_cost_per_month),
            guarantee_pension=as_float(guarantee_pension),
            income_based_public_pension=as_float(income_based_public_pension),
            occupational_pension=as_float(occupational_pension),
            earned_income=as_float(earned_income),
            capital_income=as_float(capital_income),
            assets=as_float(assets),
            municipal_tax_rate=as_float(np.nan if municipal_tax_rate is None else municipal_tax_rate),
            increased_deduction=np.array([increased_deduction]),
        )


@dataclass(frozen=True)
class HousingSupplementResult:
    """Per applicant (each spouse's for the married): monthly amounts in whole kronor, and the yearly base."""

    housing_supplement_per_month: FloatArray
    elderly_maintenance_support_per_month: FloatArray
    reasonable_living_standard_per_month: FloatArray
    reduction_base_per_year: FloatArray


@functools.cache
def _period(year: int, month: int) -> HousingSupplementPeriod:
    key = year * 100 + month
    periods = rules().housing_supplement.periods
    if key < periods[0].start:
        raise ParameterError(f"housing-supplement rules exist from {periods[0].start_month}")
    return [period for period in periods if period.start <= key][-1]


def counted_housing_cost(cost_per_month: FloatArray, married: BoolArray, period: HousingSupplementPeriod) -> FloatArray:
    """The monthly housing cost the supplement covers, per person, before the add-on."""
    per_person = np.where(married, cost_per_month / 2.0, cost_per_month)
    scale = np.where(married, 0.5, 1.0)
    counted = np.zeros_like(per_person)
    lower = np.zeros_like(per_person)
    for upper_single, share in period.bands:
        upper = upper_single * scale
        counted += share * np.clip(per_person - lower, 0.0, upper - lower)
        lower = upper
    return counted


def _reasonable_housing_cost(applicants: HousingApplicants, period: HousingSupplementPeriod) -> FloatArray:
    """The yearly housing cost the reasonable living standard adds, per person (up to the ceiling)."""
    married = applicants.married
    per_person = np.where(married, applicants.housing_cost_per_month / 2.0, applicants.housing_cost_per_month)
    ceiling = np.where(married, period.reasonable_housing_cost_single / 2.0, period.reasonable_housing_cost_single)
    return np.minimum(per_person, ceiling) * MONTHS


def _asset_income(applicants: HousingApplicants) -> FloatArray:
    rule = rules().housing_supplement
    free = np.where(applicants.married, rule.assets_free_couple, rule.assets_free_single)
    part = rule.asset_rate.value * np.maximum(applicants.assets - free, 0.0)
    return np.where(applicants.married, part / 2.0, part)


def _per_person(applicants: HousingApplicants, amount: FloatArray) -> FloatArray:
    return np.where(applicants.married, amount / 2.0, amount)


def reduction_income(applicants: HousingApplicants) -> FloatArray:
    """The yearly income that reduces the supplement (before the free amount), per person."""
    rule = rules().housing_supplement
    own_work = applicants.income_based_public_pension + applicants.occupational_pension + applicants.earned_income
    counted = applicants.guarantee_pension + rule.own_work_income_share.value * own_work + applicants.capital_income
    return np.asarray(_per_person(applicants, counted) + _asset_income(applicants))


def _after_tax(applicants: HousingApplicants, taxed: FloatArray, year: int, parameters: ParameterSet) -> FloatArray:
    """Each person's income ``taxed`` (yearly, per person) after the engine's tax estimate."""
    tax = income_tax(taxed, year, applicants.increased_deduction, applicants.municipal_tax_rate, parameters)
    return np.asarray(taxed - tax)


def housing_supplement(
    applicants: HousingApplicants, year: int, parameters: ParameterSet | None = None, *, month: int = 12
) -> HousingSupplementResult:
    """Housing supplement (with särskilt bostadstillägg) and äldreförsörjningsstöd for each applicant.

    ``month`` chooses the rules in force that month of ``year`` (default December, as for a calendar year).
    """
    params = parameters or load_parameters()
    rule = rules().housing_supplement
    period = _period(year, month)
    pbb = params.at("price_base_amount", year)
    married = applicants.married
    add_on = np.where(married, period.add_on_single / 2.0, period.add_on_single)
    highest = MONTHS * (counted_housing_cost(applicants.housing_cost_per_month, married, period) + add_on)
    base = reduction_income(applicants)
    free = pbb * np.where(married, period.free_amount.married, period.free_amount.single)
    supplement = np.maximum(highest - rule.reduction_rate.value * np.maximum(base - free, 0.0), 0.0)

    standard = pbb * np.where(
        married, period.reasonable_living_standard.married, period.reasonable_living_standard.single
    )
    standard_per_month = np.floor(standard / MONTHS + 1e-9)
    standard = standard_per_month * MONTHS
    housing = _reasonable_housing_cost(applicants, period)
    pensions = _per_person(applicants, applicants.guarantee_pension + applicants.income_based_public_pension)
    pensions = pensions + _per_person(applicants, applicants.occupational_pension)
    earned = _per_person(applicants, applicants.earned_income)
    capital_after_tax = _per_person(applicants, applicants.capital_income) * (1.0 - rule.capital_income_tax_rate.value)
    assets = _asset_income(applicants)
    # Särskilt bostadstillägg: the income taken as at least a full guarantee pension after tax.
    floor = scaled_levels(year, married, np.full(married.shape, 40.0), params)["full"]
    income_at_least = _after_tax(applicants, np.maximum(pensions + earned, floor), year, params)
    special = np.maximum(standard + housing - (income_at_least + capital_after_tax + assets + supplement), 0.0)
    supplement_total = supplement + special
    # Äldreförsörjningsstöd: actual income, earned income above the free amount.
    counted_earned = np.maximum(earned - rule.earned_income_free_amount.value, 0.0)
    income_now = _after_tax(applicants, pensions + counted_earned, year, params)
    support = np.maximum(standard + housing - (income_now + capital_after_tax + assets + supplement_total), 0.0)
    return HousingSupplementResult(
        housing_supplement_per_month=round_kronor(supplement_total / MONTHS),
        elderly_maintenance_support_per_month=round_kronor(support / MONTHS),
        reasonable_living_standard_per_month=np.asarray(standard_per_month),
        reduction_base_per_year=round_kronor(base),
    )
