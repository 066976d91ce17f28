"""The typed shape of rules.yaml and annuity_divisors.yaml: frozen records, validated when the file is read.

Each section of rules.yaml is one record; a period (``from`` in the file, ``start`` here) applies from its
year until the next period starts. The records forbid unknown keys and check every value's type, so a
missing, misspelt or mistyped key fails when the file is loaded, with the file and the key's path in the
message (docs/decisions/0078), never later as a ``KeyError`` in the middle of a forecast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal, Protocol

import msgspec

Confidence = Literal["confirmed", "model", "unconfirmed"]
# A deduction segment: [upper bound of income / PBB (None: no bound), intercept, slope], in price base amounts.
Segment = tuple[float | None, float, float]


class Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A frozen record of a parameter file: every key required unless it has a default, no unknown keys."""


class Sourced(Record, frozen=True):
    """One dated value with where it comes from and how sure we are of it."""

    value: float
    source: str
    confidence: Confidence


class Dated(Protocol):
    """A rule period: it applies from ``start`` (a year, or a birth year) until the next period starts."""

    @property
    def start(self) -> int: ...


def _check_order(periods: Sequence[Dated]) -> None:
    starts = [period.start for period in periods]
    if not starts:
        raise ValueError("needs at least one period")
    if starts != sorted(set(starts)):
        raise ValueError(f"periods must be ordered by their start, each start once (got {starts})")


class PensionableIncomePeriod(Record, frozen=True):
    """Pensionsgrundande inkomst in one period: fee rate, ceiling, floor and rounding (SFB 59 kap.)."""

    start: int = msgspec.field(name="from")
    fee_rate: float
    income_ceiling_factor: float
    floor_factor: float
    floor_base: Literal["price_base_amount", "increased_price_base_amount"]
    pgi_rounding: float
    source: str
    confidence: Confidence


class PensionableIncomeRules(Record, frozen=True):
    pgi_ceiling_factor: Sourced
    periods: tuple[PensionableIncomePeriod, ...]

    def __post_init__(self) -> None:
        _check_order(self.periods)


class PensionRightsPeriod(Record, frozen=True):
    """Shares of the pension base credited to the income and premium pension in one period (SFB 61 kap.)."""

    start: int = msgspec.field(name="from")
    income_pension_rate: float
    premium_pension_rate: float
    source: str
    confidence: Confidence


class PensionRightsRules(Record, frozen=True):
    periods: tuple[PensionRightsPeriod, ...]

    def __post_init__(self) -> None:
        _check_order(self.periods)


class TransitionCohorts(Record, frozen=True):
    """Born 1938–1953 earn (born − offset) / denominator of their rights in the new system."""

    first_new_system_cohort: int
    first_full_new_system_cohort: int
    offset: int
    denominator: int
    source: str
    confidence: Confidence


class ChildYears(Record, frozen=True):
    count: int
    average_pgi_share: float
    flat_income_base_amounts: float
    first_birth_year: int
    source: str
    confidence: Confidence


class Studies(Record, frozen=True):
    study_grant_factor: float
    source: str
    confidence: Confidence


class MilitaryService(Record, frozen=True):
    average_pgi_share: float
    days_per_year: int
    minimum_days: int
    last_year: int
    source: str
    confidence: Confidence


class EarningsCondition(Record, frozen=True):
    years: int
    income_base_amounts: float
    source: str
    confidence: Confidence


class PensionCreditRules(Record, frozen=True):
    """Pensionsgrundande belopp (SFB 60 kap.)."""

    child_years: ChildYears
    studies: Studies
    military_service: MilitaryService
    earnings_condition: EarningsCondition


class GuaranteeLevels(Record, frozen=True):
    """Full level, threshold and the level at the threshold, in price base amounts a year."""

    full: float
    threshold: float
    rest: float


class GuaranteePensionPeriod(Record, frozen=True):
    """Guarantee-pension levels from a month (``YYYY-MM``) on; a year uses the levels in force in December."""

    start_month: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] = msgspec.field(name="from")
    single: GuaranteeLevels
    married: GuaranteeLevels
    source: str
    confidence: Confidence

    @property
    def start(self) -> int:
        """The first calendar year the period counts for (the year of its start month)."""
        return int(self.start_month[:4])


class GuaranteePensionRules(Record, frozen=True):
    """Garantipension (SFB 67 kap.)."""

    reduction_rate: float
    full_residence_years: int
    minimum_residence_years: int
    first_cohort: int
    periods: tuple[GuaranteePensionPeriod, ...]

    def __post_init__(self) -> None:
        _check_order(self.periods)

    @property
    def first_year(self) -> int:
        """The first calendar year with guarantee-pension levels."""
        return self.periods[0].start


class IncomePensionSupplementRules(Record, frozen=True):
    """Inkomstpensionstillägg: brackets of the yearly income-based pension in ``base_year`` money."""

    from_year: int
    base_year: int
    lower: float
    ramp_end: float
    plateau_end: float
    upper: float
    ramp_rate: float
    maximum: float
    taper_rate: float
    full_years_with_income: int
    source: str
    confidence: Confidence


class SupplementaryPensionRules(Record, frozen=True):
    """Tilläggspension (ATP, SFB 63 kap.)."""

    replacement_rate: float
    best_years: int
    full_years: int
    maximum_points: float
    ceiling_base_amounts: float
    normal_age: int
    early_reduction_per_month: float
    late_increase_per_month: float
    source: str
    confidence: Confidence


class BySingleAndMarried(Record, frozen=True):
    """A pair of factors in price base amounts a year: for a single person and for each spouse."""

    single: float
    married: float


class HousingSupplementPeriod(Record, frozen=True):
    """Housing-supplement levels from a month (``YYYY-MM``) on; a year uses the period in force in December."""

    start_month: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] = msgspec.field(name="from")
    bands: tuple[tuple[float, float], ...]  # [upper monthly cost for a single person, share of the band counted]
    add_on_single: float
    free_amount: BySingleAndMarried
    reasonable_living_standard: BySingleAndMarried
    reasonable_housing_cost_single: float
    source: str
    confidence: Confidence

    @property
    def start(self) -> int:
        """The year of the start month (periods are ordered by it)."""
        return int(self.start_month[:4]) * 100 + int(self.start_month[5:])


class HousingSupplementRules(Record, frozen=True):
    """Bostadstillägg, särskilt bostadstillägg and äldreförsörjningsstöd (SFB 101–102 kap., 74 kap.)."""

    reduction_rate: Sourced
    own_work_income_share: Sourced
    asset_rate: Sourced
    assets_free_single: float
    assets_free_couple: float
    earned_income_free_amount: Sourced
    capital_income_tax_rate: Sourced
    periods: tuple[HousingSupplementPeriod, ...]

    def __post_init__(self) -> None:
        _check_order(self.periods)


class DefaultFundRules(Record, frozen=True):
    """The premium pension's default alternative: AP7 Såfa's glide path from equities to fixed income by age."""

    first_year: int
    full_equity_until_age: int
    final_age: int
    final_equity_share: float
    fixed_income_return: Sourced
    source: str
    confidence: Confidence


class IndexationRules(Record, frozen=True):
    """Följsamhetsindexering and the balance ratio (SFB 62 kap.)."""

    norm: Sourced
    first_year: int
    balance_ratio_dampening_from: int
    balance_ratio_dampening_divisor: float
    balancing_start: int
    right_scaling: Sourced


class AgePeriod(Record, frozen=True):
    """An age in force from a calendar year, or for cohorts born from a year, on."""

    start: int = msgspec.field(name="from")
    value: int
    source: str
    confidence: Confidence


AgeTable = tuple[AgePeriod, ...]


class AgeRules(Record, frozen=True):
    """Lägsta uttagsålder, riktålder and the guarantee-pension age, by calendar year and by cohort."""

    lowest_withdrawal_age_by_year: AgeTable
    target_retirement_age_by_year: AgeTable
    lowest_withdrawal_age_by_cohort: AgeTable
    target_retirement_age_by_cohort: AgeTable
    guarantee_pension_age_by_year: AgeTable
    guarantee_pension_age_by_cohort: AgeTable

    def __post_init__(self) -> None:
        for table in msgspec.structs.astuple(self):
            _check_order(table)


class TaxRuleSet(Record, frozen=True):
    """The deduction segments of one year on (inkomstskattelagen 63 kap.)."""

    start: int = msgspec.field(name="from")
    source: str
    confidence: Confidence
    basic_deduction: tuple[Segment, ...]
    increased_deduction: tuple[Segment, ...]


class TaxRules(Record, frozen=True):
    state_tax_rate: Sourced
    taxable_income_rounding: int
    rule_sets: tuple[TaxRuleSet, ...]
    increased_deduction_min_age: AgePeriod

    def __post_init__(self) -> None:
        _check_order(self.rule_sets)


class ScenarioRates(Record, frozen=True):
    """The real wage growth and premium-pension real return of one forecast scenario."""

    real_wage_growth: float
    premium_pension_real_return: float


class ForecastBand(Record, frozen=True):
    """The scenarios of the uncertainty band (docs/decisions/0018)."""

    pessimistic: ScenarioRates
    expected: ScenarioRates
    optimistic: ScenarioRates


class ForecastStandard(Record, frozen=True):
    """Prognosstandard 2022: the economic assumptions of every forecast (docs/decisions/0015)."""

    inflation: Sourced
    real_wage_growth: Sourced
    premium_pension_real_return: Sourced
    premium_pension_fund_fee: Sourced
    balance_ratio: Sourced
    band: ForecastBand


class Rules(Record, frozen=True):
    """Everything in rules.yaml."""

    pensionable_income: PensionableIncomeRules
    pension_rights: PensionRightsRules
    transition_cohorts: TransitionCohorts
    pension_credits: PensionCreditRules
    guarantee_pension: GuaranteePensionRules
    income_pension_supplement: IncomePensionSupplementRules
    supplementary_pension: SupplementaryPensionRules
    housing_supplement: HousingSupplementRules
    default_fund: DefaultFundRules
    indexation: IndexationRules
    ages: AgeRules
    tax: TaxRules
    forecast_standard: ForecastStandard


class AnnuityDivisorTable(Record, frozen=True):
    """Delningstal of annuity_divisors.yaml: by cohort, one value per whole age ``first_age``..``last_age``."""

    source: str
    published_through: int
    first_age: int
    last_age: int
    values: dict[int, tuple[float, ...]]

    def __post_init__(self) -> None:
        width = self.last_age - self.first_age + 1
        cohorts = sorted(self.values)
        if not cohorts or cohorts != list(range(cohorts[0], cohorts[-1] + 1)):
            raise ValueError("values must hold one row for each cohort, with no gap")
        if any(len(row) != width for row in self.values.values()):
            raise ValueError(f"every cohort needs {width} values (ages {self.first_age}–{self.last_age})")
