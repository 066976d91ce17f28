"""An application for old-age pension: when each part it asks for starts, and what each part pays a month.

Legal reference: SFB 56 kap. (uttag: the lowest age, shares of 25, 50, 75 or 100 %, income and premium
pension each from its own month), 67 kap. (garantipension: from the guarantee-pension age, only with the whole
income-based pension drawn, to people living in Sweden or elsewhere in the EU/EEA or Switzerland) and 74 a kap.
(inkomstpensionstillägg, paid like the guarantee pension). The Pensions Agency grants a pension at the
earliest from the month the application reached it (no retroactivity; docs/applying.md).

The amounts are the engine's rules for pensions in payment (:mod:`pension_engine.in_payment`), asked once for
the income pension (with tilläggspension for the cohorts 1938–1953) and once for the premium pension, each
with its own start and share; the guarantee pension and the supplement come with the income pension's run,
and only when both parts are drawn whole (SFB 67 kap.). The back office's grant and the portal's preliminary
calculation both call :func:`application_starts` and :func:`application_amounts`, so the figures a person
is shown before signing are those a grant the same month pays.

Not modelled: the premium pension's survivor protection (efterlevandeskydd), which lowers the person's own
premium pension by an amount that depends on both spouses' ages (docs/applying.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np

from pension_engine.in_payment import Pensioners, pensions_in_payment
from pension_engine.parameters import load_parameters
from pension_engine.pension_rights import pension_rights
from pension_engine.pensionable_income import pensionable_income
from pension_engine.retirement_ages import earliest_withdrawal_age, guarantee_pension_age
from pension_engine.rounding import round_kronor
from pension_engine.tax import entitled_to_increased_deduction, income_tax
from pension_engine.withdrawal import MONTHS_IN_YEAR, Withdrawal

INCOME_PENSION = "income_pension"
PREMIUM_PENSION = "premium_pension"
SUPPLEMENTARY_PENSION = "supplementary_pension"
GUARANTEE_PENSION = "guarantee_pension"
INCOME_PENSION_SUPPLEMENT = "income_pension_supplement"
INCOME_BASED = (INCOME_PENSION, PREMIUM_PENSION)
GUARANTEE_PARTS = (GUARANTEE_PENSION, INCOME_PENSION_SUPPLEMENT)
APPLICABLE = (*INCOME_BASED, *GUARANTEE_PARTS)
SHARES = (25, 50, 75, 100)

# The EU and EEA states and Switzerland (ISO 3166-1 alpha-2): guarantee pension and the supplement are paid
# to people who live there (SFB 67 kap. and the EU's coordination regulation 883/2004).
EEA_AND_SWITZERLAND = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO", "CH",
})  # fmt: skip

# Tax withheld from the pension (shared reference services §1.4): the tax table, the table plus an extra
# amount, 30 % (a secondary payer's rate, or chosen), or SINK for people living abroad: 25 % of what exceeds
# a monthly free amount of 0.77 price base amounts / 12 (Skatteverket).
TAX_TABLE = "table"
TAX_EXTRA = "extra"
TAX_THIRTY_PERCENT = "thirty_percent"
TAX_SINK = "sink"
THIRTY_PERCENT = 0.30
SINK_RATE = 0.25
SINK_FREE_AMOUNT_BASE_AMOUNTS = 0.77


class ApplicationError(ValueError):
    """The application asks for something the rules do not allow (a part before the cohort's lowest age)."""


@dataclasses.dataclass(frozen=True, slots=True)
class PartChoice:
    """A part applied for, from the first day of ``start`` (a month), with its share in per cent."""

    benefit: str
    start: dt.date
    share: int


@dataclasses.dataclass(frozen=True, slots=True)
class IncomeHistory:
    """One person's decided incomes and rights by income year from ``first_year`` (as the register keeps them)."""

    birth_date: dt.date
    first_year: int
    income: Sequence[float]
    income_pension_rights: Sequence[float]
    premium_pension_rights: Sequence[float]

    @classmethod
    def of_years(cls, birth_date: dt.date, rows: Sequence[tuple[int, float, float, float]]) -> IncomeHistory:
        """A history from ``(year, income, income-pension right, premium-pension right)`` rows, years missing
        between them counted as nil."""
        if not rows:
            first = birth_date.year + 16
            return cls(birth_date, first, [0.0], [0.0], [0.0])
        by_year = {year: (income, ip, pp) for year, income, ip, pp in rows}
        first, last = min(by_year), max(by_year)
        years = range(first, last + 1)
        return cls(
            birth_date=birth_date,
            first_year=first,
            income=[by_year.get(year, (0.0, 0.0, 0.0))[0] for year in years],
            income_pension_rights=[by_year.get(year, (0.0, 0.0, 0.0))[1] for year in years],
            premium_pension_rights=[by_year.get(year, (0.0, 0.0, 0.0))[2] for year in years],
        )


def month_of(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def months_after(month: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months after ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def reaches(birth_date: dt.date, age: int) -> dt.date:
    """The first month in which a person born on ``birth_date`` has reached ``age`` (their birth month)."""
    return dt.date(birth_date.year + age, birth_date.month, 1)


def earliest_month(birth_date: dt.date) -> dt.date:
    """The first month the cohort may draw income and premium pension (the lowest age, SFB 56 kap.)."""
    return reaches(birth_date, int(earliest_withdrawal_age(np.array([birth_date.year]))[0]))


def guarantee_month(birth_date: dt.date) -> dt.date:
    """The first month guarantee pension and the supplement can be paid (the cohort's guarantee-pension age)."""
    return reaches(birth_date, int(guarantee_pension_age(np.array([birth_date.year]))[0]))


def application_starts(birth_date: dt.date, parts: Sequence[PartChoice], *, arrived: dt.date) -> dict[str, PartChoice]:
    """Each part with the month it is granted from: the later of the month chosen and the month the application
    arrived; the guarantee pension and the supplement also not before the guarantee-pension age nor before the
    income-based parts. Raises :class:`ApplicationError` for an income-based part before the lowest age."""
    arrival = month_of(arrived)
    starts = {p.benefit: dataclasses.replace(p, start=max(month_of(p.start), arrival)) for p in parts}
    lowest = earliest_month(birth_date)
    for benefit in INCOME_BASED:
        if benefit in starts and starts[benefit].start < lowest:
            raise ApplicationError(
                f"{benefit} cannot start before {lowest:%Y-%m}, the lowest age for the person's cohort"
            )
    guarantee_from = max([guarantee_month(birth_date)] + [starts[b].start for b in INCOME_BASED if b in starts])
    for benefit in GUARANTEE_PARTS:
        if benefit in starts:
            starts[benefit] = dataclasses.replace(starts[benefit], start=max(starts[benefit].start, guarantee_from))
    return starts


def _pensioners(
    history: IncomeHistory, withdrawal: Withdrawal, *, married: bool, residence_years: float, municipal_tax_rate: float
) -> Pensioners:
    def row(values: Sequence[float]) -> np.ndarray:
        return np.array([list(values)], dtype=np.float64)

    return Pensioners(
        birth_year=np.array([history.birth_date.year]),
        history_first_year=history.first_year,
        income=row(history.income),
        income_pension_rights=row(history.income_pension_rights),
        premium_pension_rights=row(history.premium_pension_rights),
        withdrawal=withdrawal,
        married=np.array([married]),
        residence_years=np.array([residence_years]),
        municipal_tax_rate=np.array([municipal_tax_rate]),
    )


def application_amounts(
    history: IncomeHistory,
    starts: Mapping[str, PartChoice],
    *,
    years: Sequence[int],
    married: bool,
    residence_years: float,
    municipal_tax_rate: float = math.nan,
    living_in_eea: bool = True,
) -> dict[str, dict[int, float]]:
    """Each part's monthly amount before tax (whole kronor) in each of ``years``, for the parts of ``starts``
    (from :func:`application_starts`) and tilläggspension when the income pension brings one.

    A part paid nothing (the guarantee pension with a partial withdrawal, or to someone living outside the
    EU/EEA and Switzerland) is there with 0. ``municipal_tax_rate`` (a fraction; NaN: the national average)
    only matters to the engine's tax estimate, not to these amounts.
    """
    wanted = sorted(set(years))
    monthly: dict[str, dict[int, float]] = {}
    income_run: dict[int, dict[str, float]] = {}
    runs = {INCOME_PENSION: (INCOME_PENSION, SUPPLEMENTARY_PENSION), PREMIUM_PENSION: (PREMIUM_PENSION,)}
    for benefit, taken in runs.items():
        if benefit not in starts:
            continue
        choice = starts[benefit]
        withdrawal = Withdrawal.of(np.array([choice.start.year]), np.array([choice.start.month]), choice.share / 100)
        pensioners = _pensioners(
            history, withdrawal, married=married, residence_years=residence_years, municipal_tax_rate=municipal_tax_rate
        )
        paid = pensions_in_payment(pensioners, wanted).by_year
        run = {year: {name: float(getattr(paid[year].parts, name)[0]) for name in _PARTS} for year in wanted}
        if benefit == INCOME_PENSION:
            income_run = run
        for name in taken:
            monthly[name] = {year: run[year][name] for year in wanted}
    if SUPPLEMENTARY_PENSION in monthly and not any(monthly[SUPPLEMENTARY_PENSION].values()):
        del monthly[SUPPLEMENTARY_PENSION]
    whole = all(b in starts and starts[b].share == 100 for b in INCOME_BASED)
    payable = whole and living_in_eea and bool(income_run)
    for benefit in GUARANTEE_PARTS:
        if benefit in starts:
            monthly[benefit] = {year: income_run[year][benefit] if payable else 0.0 for year in wanted}
    return monthly


_PARTS = (INCOME_PENSION, PREMIUM_PENSION, SUPPLEMENTARY_PENSION, GUARANTEE_PENSION, INCOME_PENSION_SUPPLEMENT)


def history_with_work(history: IncomeHistory, *, income_per_year: float, until_year: int) -> IncomeHistory:
    """``history`` with every income year after its last, up to ``until_year``, earning ``income_per_year``
    (gross, kronor): its pensionable income and rights by the engine's rules (SFB 59–61 kap.), as a pensioner
    who keeps working earns them. The history itself is kept as decided."""
    last = history.first_year + len(history.income) - 1
    years = np.arange(last + 1, until_year + 1)
    if years.size == 0:
        return history
    income = np.full(years.size, max(float(income_per_year), 0.0))
    base = pensionable_income(income, years).pensionable_income
    rights = pension_rights(base, years, birth_year=np.full(years.size, history.birth_date.year))
    return dataclasses.replace(
        history,
        income=[*history.income, *income.tolist()],
        income_pension_rights=[*history.income_pension_rights, *rights.income_pension_right.tolist()],
        premium_pension_rights=[*history.premium_pension_rights, *rights.premium_pension_right.tolist()],
    )


def withdrawal_amounts(
    history: IncomeHistory,
    drawn: Mapping[str, PartChoice],
    *,
    guarantee: bool,
    years: Sequence[int],
    married: bool,
    residence_years: float,
    municipal_tax_rate: float = math.nan,
    living_in_eea: bool = True,
) -> dict[str, dict[int, float]]:
    """Each part's monthly amount before tax (whole kronor) in each of ``years`` for a pensioner who draws
    the income-based parts as ``drawn`` says: each from the month it was first paid (``start``) with its
    share — the share after a change of withdrawal; 0 for a part paused or stopped, which pays nothing.

    A change of withdrawal is the pension the engine pays for that share from the part's first month: the
    income pension in payment is the share times the pension of a whole withdrawal, recalculated each January
    for the rights earned while drawing (SFB 62 kap.; decisions 0075, 0150); the premium pension is the share
    of the capital over the divisor of each year. ``guarantee``: the person has guarantee pension or the
    supplement granted; they are paid only while both income-based parts are drawn whole (SFB 67 kap.,
    74 a kap.), and are there with 0 otherwise. Tilläggspension follows the income pension's share.
    """
    wanted = sorted(set(years))
    starts = {b: c for b, c in drawn.items() if b in INCOME_BASED and c.share > 0}
    if guarantee and starts:
        guarantee_from = max([guarantee_month(history.birth_date)] + [c.start for c in starts.values()])
        for benefit in GUARANTEE_PARTS:
            starts[benefit] = PartChoice(benefit, guarantee_from, 100)
    monthly = (
        application_amounts(
            history,
            starts,
            years=wanted,
            married=married,
            residence_years=residence_years,
            municipal_tax_rate=municipal_tax_rate,
            living_in_eea=living_in_eea,
        )
        if starts
        else {}
    )
    nothing = dict.fromkeys(wanted, 0.0)
    for benefit, choice in drawn.items():
        if benefit in INCOME_BASED and choice.share == 0:
            monthly[benefit] = dict(nothing)
    if guarantee:
        for benefit in GUARANTEE_PARTS:
            monthly.setdefault(benefit, dict(nothing))
    return monthly


def withheld_tax(
    gross: float,
    year: int,
    *,
    birth_year: int,
    kind: str,
    extra_per_month: float = 0.0,
    municipal_tax_rate: float = math.nan,
) -> float:
    """The preliminary tax withheld from a monthly ``gross`` in ``year`` by the withholding chosen (whole kronor,
    never more than the gross): the engine's tax estimate for the table, plus the extra amount, 30 %, or SINK."""
    if kind == TAX_THIRTY_PERCENT:
        return float(round_kronor(np.array([THIRTY_PERCENT * gross]))[0])
    if kind == TAX_SINK:
        free = SINK_FREE_AMOUNT_BASE_AMOUNTS * load_parameters().at("price_base_amount", year) / MONTHS_IN_YEAR
        return float(round_kronor(np.array([SINK_RATE * max(gross - round(free), 0.0)]))[0])
    increased = entitled_to_increased_deduction(np.array([birth_year]), np.array([year - birth_year]))
    yearly = income_tax(np.array([MONTHS_IN_YEAR * gross]), year, increased, np.array([municipal_tax_rate]))
    tax = float(round_kronor(yearly / MONTHS_IN_YEAR)[0])
    if kind == TAX_EXTRA:
        tax += extra_per_month
    return min(tax, gross)


def parts_changed(drawn: Mapping[str, PartChoice], shares_after: Mapping[str, int]) -> set[str]:
    """The parts a change of withdrawal gives new amounts: each income-based part whose share changes,
    tilläggspension with the income pension, and guarantee pension and the supplement when the change makes
    the income-based parts whole or no longer whole (decision 0150). The other parts are paid as before."""
    changed = {b for b, c in drawn.items() if b in INCOME_BASED and shares_after.get(b, c.share) != c.share}
    if INCOME_PENSION in changed:
        changed.add(SUPPLEMENTARY_PENSION)

    def whole(shares: Mapping[str, int]) -> bool:
        return all(shares.get(b, 0) == 100 for b in INCOME_BASED)

    if whole({b: c.share for b, c in drawn.items()}) != whole(
        {b: shares_after.get(b, c.share) for b, c in drawn.items()}
    ):
        changed.update(GUARANTEE_PARTS)
    return changed
