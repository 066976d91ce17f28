"""What granting an old-age pension application pays: the decisions per part and the payment plan.

The amounts are the engine's rules for pensions in payment (``pension_engine.in_payment``), the same the
synthetic pensioners are paid by (docs/decisions/0076), on the person's decided incomes and rights in the
register and the choices of the application (docs/decisions/0039):

- Each part is granted from the later of the month chosen and the month the application arrived (no
  pension is granted for months before the application reached the authority).
- Income pension (with tilläggspension for the cohorts 1938–1953) and premium pension each start at
  their own month and share: the engine is asked once for each, with that part's withdrawal.
- Guarantee pension and the income-pension supplement are only paid with both income and premium
  pension taken whole, from the later of the month chosen, those parts' start and the month the person
  reaches the guarantee-pension age; not to someone living outside the EU/EEA and Switzerland.
  Their level follows the application's civil status (married, or cohabiting as married).
- Each part gets the decision that grants it, and a recalculation from each 1 January after it within
  the plan (as the register keeps them, decision 0076).
- The plan is the next payment after the decision: the payment day of a month whose day has already
  passed when the decision is made is not kept; its amount is paid with the next payment (back pay).
- Tax per month by the choice: the tax table (the engine's estimate, as for every pensioner), the table
  plus the extra amount, 30 %, or SINK: 25 % of what exceeds the monthly free amount (0.77 price base
  amounts / 12; shared reference, services §1.4).

Not modelled by the engine, and so not in the amounts: premium-pension survivor protection (the choice is
kept with the case and shown in the decision), and a change of withdrawal after the start.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal

import numpy as np

from backoffice.casework.applications import CivilStatusAnswer, OldAgePensionApplication, TaxWithholdingKind
from backoffice.register.models import BenefitKind, PensionableIncome, PensionDecision, Person, TaxSettings
from backoffice.register.payments import next_payment_date, payment_date
from backoffice.register.services import DecisionRow, PaymentRow
from pension_engine.in_payment import Pensioners, pensions_in_payment
from pension_engine.parameters import load_parameters
from pension_engine.retirement_ages import guarantee_pension_age, lowest_withdrawal_age
from pension_engine.rounding import round_kronor
from pension_engine.tax import entitled_to_increased_deduction, income_tax
from pension_engine.withdrawal import MONTHS_IN_YEAR, Withdrawal

# The EU and EEA states and Switzerland (ISO 3166-1 alpha-2), where guarantee pension is paid to people
# who live there.
EEA_AND_SWITZERLAND = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "IS",
        "LI",
        "NO",
        "CH",
    ]
)
THIRTY_PERCENT = 0.30
SINK_RATE = 0.25
SINK_FREE_AMOUNT_BASE_AMOUNTS = 0.77
DECIMALS = Decimal("0.01")


class GrantError(ValueError):
    """The application cannot be granted as it stands (e.g. a part starts below the lowest age)."""


@dataclasses.dataclass(frozen=True, slots=True)
class PartGranted:
    """One part as granted: from when, with what share, and its first monthly amount (0: nothing payable)."""

    benefit: str
    payable_from: dt.date
    share: int
    monthly_amount: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class Grant:
    """Everything a grant writes: the parts, the register's decision rows and the planned payments."""

    parts: tuple[PartGranted, ...]
    decisions: tuple[DecisionRow, ...]
    payments: tuple[PaymentRow, ...]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _pensioners(person: Person, married: bool, rate: float, withdrawal: Withdrawal) -> Pensioners:
    rows = list(PensionableIncome.objects.filter(person=person).order_by("income_year"))
    born = person.birth_date.year
    first = rows[0].income_year if rows else born + 16
    last = rows[-1].income_year if rows else first
    width = last - first + 1
    income, ip_rights, pp_rights = (np.zeros((1, width)) for _ in range(3))
    for row in rows:
        column = row.income_year - first
        income[0, column] = float(row.income)
        ip_rights[0, column] = float(row.income_pension_right)
        pp_rights[0, column] = float(row.premium_pension_right)
    return Pensioners(
        birth_year=np.array([born]),
        history_first_year=first,
        income=income,
        income_pension_rights=ip_rights,
        premium_pension_rights=pp_rights,
        withdrawal=withdrawal,
        married=np.array([married]),
        residence_years=np.array([float(person.residence_years)]),
        municipal_tax_rate=np.array([rate]),
    )


def _monthly_by_year(
    person: Person, application: OldAgePensionApplication, *, start: dt.date, share: int, years: list[int], rate: float
) -> dict[int, dict[str, float]]:
    married = application.civil_status in (CivilStatusAnswer.MARRIED, CivilStatusAnswer.COHABITING_AS_MARRIED)
    withdrawal = Withdrawal.of(np.array([start.year]), np.array([start.month]), share / 100)
    history = pensions_in_payment(_pensioners(person, married, rate, withdrawal), years)
    return {
        year: {name: float(getattr(paid.parts, name)[0]) for name in BenefitKind.values}
        for year, paid in history.by_year.items()
    }


def _monthly_tax(gross: float, year: int, person: Person, application: OldAgePensionApplication, rate: float) -> float:
    kind = application.tax_withholding.kind
    if kind == TaxWithholdingKind.THIRTY_PERCENT:
        return float(round_kronor(np.array([THIRTY_PERCENT * gross]))[0])
    if kind == TaxWithholdingKind.SINK:
        free = SINK_FREE_AMOUNT_BASE_AMOUNTS * load_parameters().at("price_base_amount", year) / MONTHS_IN_YEAR
        return float(round_kronor(np.array([SINK_RATE * max(gross - round(free), 0.0)]))[0])
    born = person.birth_date.year
    increased = entitled_to_increased_deduction(np.array([born]), np.array([year - born]))
    yearly = income_tax(np.array([MONTHS_IN_YEAR * gross]), year, increased, np.array([rate]))
    tax = float(round_kronor(yearly / MONTHS_IN_YEAR)[0])
    if kind == TaxWithholdingKind.EXTRA:
        tax += float(application.tax_withholding.extra_per_month)
    return min(tax, gross)


def _in_force(decisions: list[tuple[str, dt.date, float]], day: dt.date) -> float:
    """The sum of each part's latest amount payable from ``day`` or before."""
    latest: dict[str, tuple[dt.date, float]] = {}
    for benefit, payable_from, amount in decisions:
        if payable_from <= day and (benefit not in latest or latest[benefit][0] < payable_from):
            latest[benefit] = (payable_from, amount)
    return sum(amount for _, amount in latest.values())


def _reaches(person: Person, age: int) -> dt.date:
    """The first month in which the person has reached ``age`` (their birth month in that year)."""
    return dt.date(person.birth_date.year + age, person.birth_date.month, 1)


@dataclasses.dataclass(frozen=True, slots=True)
class _Plan:
    """The months each part starts from and its share, the years the engine is asked for, and the rate."""

    starts: dict[str, dt.date]
    shares: dict[str, int]
    years: list[int]
    first_month: dt.date
    last_month: dt.date
    next_paid: dt.date
    rate: float


def _plan(person: Person, application: OldAgePensionApplication, *, arrived: dt.date, decided: dt.date) -> _Plan:
    earliest = _month(arrived)
    starts = {part.benefit: max(part.start_month, earliest) for part in application.parts}
    shares = {part.benefit: part.share for part in application.parts}
    born = np.array([person.birth_date.year])
    lowest = _reaches(person, int(lowest_withdrawal_age(born)[0]))
    income_based = (BenefitKind.INCOME_PENSION, BenefitKind.PREMIUM_PENSION)
    for benefit in income_based:
        if benefit in starts and starts[benefit] < lowest:
            raise GrantError(f"{benefit} cannot start before {lowest:%Y-%m}, the lowest age for the person's cohort")
    guarantee_from = max(
        [_reaches(person, int(guarantee_pension_age(born)[0]))] + [starts.get(b, earliest) for b in income_based]
    )
    for benefit in (BenefitKind.GUARANTEE_PENSION, BenefitKind.INCOME_PENSION_SUPPLEMENT):
        if benefit in starts:
            starts[benefit] = max(starts[benefit], guarantee_from)
    first_month = min(starts.values())
    next_paid = next_payment_date(max(decided, payment_date(first_month.year, first_month.month) - dt.timedelta(1)))
    last_month = _month(next_paid)
    last_year = max(last_month.year, *(start.year for start in starts.values()))
    settings = TaxSettings.objects.filter(person=person).first()
    return _Plan(
        starts=starts,
        shares=shares,
        years=list(range(first_month.year, last_year + 1)),
        first_month=first_month,
        last_month=last_month,
        next_paid=next_paid,
        rate=float(settings.municipal_tax_rate) / 100 if settings is not None else math.nan,
    )


def _monthly(person: Person, application: OldAgePensionApplication, plan: _Plan) -> dict[str, dict[int, float]]:
    """Each part's monthly amount in each year of the plan, by the engine."""
    monthly: dict[str, dict[int, float]] = {}
    runs = {
        BenefitKind.INCOME_PENSION: (BenefitKind.INCOME_PENSION, BenefitKind.SUPPLEMENTARY_PENSION),
        BenefitKind.PREMIUM_PENSION: (BenefitKind.PREMIUM_PENSION,),
    }
    income_run: dict[int, dict[str, float]] = {}
    for benefit, taken in runs.items():
        if benefit not in plan.starts:
            continue
        run = _monthly_by_year(
            person,
            application,
            start=plan.starts[benefit],
            share=plan.shares[benefit],
            years=plan.years,
            rate=plan.rate,
        )
        if benefit == BenefitKind.INCOME_PENSION:
            income_run = run
        for name in taken:
            monthly[name] = {year: run[year][name] for year in plan.years}
    supplementary = monthly.get(BenefitKind.SUPPLEMENTARY_PENSION)
    if supplementary is not None and any(supplementary.values()):  # tilläggspension follows the income pension
        plan.starts[BenefitKind.SUPPLEMENTARY_PENSION] = plan.starts[BenefitKind.INCOME_PENSION]
        plan.shares[BenefitKind.SUPPLEMENTARY_PENSION] = plan.shares[BenefitKind.INCOME_PENSION]
    elif supplementary is not None:
        del monthly[BenefitKind.SUPPLEMENTARY_PENSION]
    whole = all(plan.shares.get(b) == 100 for b in (BenefitKind.INCOME_PENSION, BenefitKind.PREMIUM_PENSION))
    resident = not application.living_abroad or application.country in EEA_AND_SWITZERLAND
    payable = whole and resident and bool(income_run)
    for benefit in (BenefitKind.GUARANTEE_PENSION, BenefitKind.INCOME_PENSION_SUPPLEMENT):
        if benefit in plan.starts:
            monthly[benefit] = {year: income_run[year][benefit] if payable else 0.0 for year in plan.years}
    return monthly


def old_age_pension_grant(
    person: Person, application: OldAgePensionApplication, *, arrived: dt.date, decided: dt.date
) -> Grant:
    """What granting ``application`` pays ``person`` (see the module's docstring); raises :class:`GrantError`."""
    plan = _plan(person, application, arrived=arrived, decided=decided)
    monthly = _monthly(person, application, plan)
    parts: list[PartGranted] = []
    decisions: list[DecisionRow] = []
    for benefit, by_year in monthly.items():
        start, share = plan.starts[benefit], plan.shares[benefit]
        amount = by_year.get(start.year, 0.0)
        parts.append(PartGranted(benefit, start, share, _money(amount)))
        if amount <= 0:
            continue
        decisions.append(DecisionRow(benefit, decided, start, share, _money(amount)))
        decisions.extend(
            DecisionRow(benefit, decided, dt.date(year, 1, 1), share, _money(by_year[year]))
            for year in plan.years
            if year > start.year
        )
    granted = [(d.benefit, d.payable_from, float(d.monthly_amount)) for d in decisions]
    kept = [
        (d.benefit, d.payable_from, float(d.monthly_amount))
        for d in PensionDecision.objects.filter(person=person).exclude(benefit__in=list(monthly))
    ]
    gross_total = tax_total = 0.0
    month = plan.first_month
    while month <= plan.last_month:
        day = payment_date(month.year, month.month)
        # A month whose payment day has passed is back pay of the new parts only: the parts the person
        # already had were paid that day.
        gross = _in_force(granted if day <= decided else granted + kept, day)
        gross_total += gross
        tax_total += _monthly_tax(gross, month.year, person, application, plan.rate)
        month = _next_month(month)
    payments: tuple[PaymentRow, ...] = ()
    if gross_total > 0:
        net = _money(gross_total) - _money(tax_total)
        payments = (PaymentRow(plan.next_paid, _money(gross_total), _money(tax_total), net),)
    return Grant(parts=tuple(parts), decisions=tuple(decisions), payments=payments)
