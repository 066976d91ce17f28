"""What granting an old-age pension application pays: the decisions per part and the payment plan.

The amounts are the engine's rules for pensions in payment (``pension_engine.in_payment``), the same the
synthetic pensioners are paid by (docs/decisions/0076), on the person's decided incomes and rights in the
register and the choices of the application (docs/decisions/0039), through ``pension_engine.applied`` — the
functions the portal's preliminary calculation calls too, so a person is shown before signing what a grant
the same month pays:

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
kept with the case and shown in the decision). A change of withdrawal after the start is granted by
:func:`withdrawal_change_grant` (decisions 0150, 0151).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal

from backoffice.casework.applications import (
    CivilStatusAnswer,
    HousingSupplementApplication,
    OldAgePensionApplication,
    WithdrawalChange,
    WithdrawalChangeKind,
)
from backoffice.register.models import BenefitKind, PensionableIncome, PensionDecision, Person, TaxSettings
from backoffice.register.payments import next_payment_date, payment_date
from backoffice.register.services import DecisionRow, PaymentRow
from pension_engine.applied import (
    EEA_AND_SWITZERLAND,
    GUARANTEE_PARTS,
    INCOME_BASED,
    INCOME_PENSION,
    SUPPLEMENTARY_PENSION,
    ApplicationError,
    IncomeHistory,
    PartChoice,
    application_amounts,
    application_starts,
    months_after,
    parts_changed,
    withdrawal_amounts,
    withheld_tax,
)
from pension_engine.housing_supplement import HousingApplicants, housing_supplement
from pension_engine.parameters import ParameterError

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


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def income_history(person: Person) -> IncomeHistory:
    """The person's decided incomes and rights in the register, as the engine takes them."""
    rows = PensionableIncome.objects.filter(person=person).order_by("income_year")
    return IncomeHistory.of_years(
        person.birth_date,
        [
            (row.income_year, float(row.income), float(row.income_pension_right), float(row.premium_pension_right))
            for row in rows
        ],
    )


def _in_force(decisions: list[tuple[str, dt.date, float]], day: dt.date) -> float:
    """The sum of each part's latest amount payable from ``day`` or before."""
    latest: dict[str, tuple[dt.date, float]] = {}
    for benefit, payable_from, amount in decisions:
        if payable_from <= day and (benefit not in latest or latest[benefit][0] < payable_from):
            latest[benefit] = (payable_from, amount)
    return sum(amount for _, amount in latest.values())


def _married(application: OldAgePensionApplication) -> bool:
    return application.civil_status in (CivilStatusAnswer.MARRIED, CivilStatusAnswer.COHABITING_AS_MARRIED)


def old_age_pension_grant(
    person: Person, application: OldAgePensionApplication, *, arrived: dt.date, decided: dt.date
) -> Grant:
    """What granting ``application`` pays ``person`` (see the module's docstring); raises :class:`GrantError`."""
    chosen = [PartChoice(p.benefit, p.start_month, p.share) for p in application.parts]
    try:
        starts = application_starts(person.birth_date, chosen, arrived=arrived)
    except ApplicationError as error:
        raise GrantError(str(error)) from None
    first_month = min(choice.start for choice in starts.values())
    next_paid = next_payment_date(max(decided, payment_date(first_month.year, first_month.month) - dt.timedelta(1)))
    last_month = next_paid.replace(day=1)
    years = list(range(first_month.year, max(last_month.year, *(c.start.year for c in starts.values())) + 1))
    settings = TaxSettings.objects.filter(person=person).first()
    rate = float(settings.municipal_tax_rate) / 100 if settings is not None else math.nan
    monthly = application_amounts(
        income_history(person),
        starts,
        years=years,
        married=_married(application),
        residence_years=float(person.residence_years),
        municipal_tax_rate=rate,
        living_in_eea=not application.living_abroad or application.country in EEA_AND_SWITZERLAND,
    )
    income_start = starts.get(BenefitKind.INCOME_PENSION)
    parts: list[PartGranted] = []
    decisions: list[DecisionRow] = []
    for benefit, by_year in monthly.items():
        # tilläggspension follows the income pension's start and share
        choice = starts.get(benefit) or income_start
        assert choice is not None  # noqa: S101 - only the income pension brings a part not applied for
        start, share = choice.start, choice.share
        amount = by_year.get(start.year, 0.0)
        parts.append(PartGranted(benefit, start, share, _money(amount)))
        if amount <= 0:
            continue
        decisions.append(DecisionRow(benefit, decided, start, share, _money(amount)))
        decisions.extend(
            DecisionRow(benefit, decided, dt.date(year, 1, 1), share, _money(by_year[year]))
            for year in years
            if year > start.year
        )
    granted = [(d.benefit, d.payable_from, float(d.monthly_amount)) for d in decisions]
    kept = [
        (d.benefit, d.payable_from, float(d.monthly_amount))
        for d in PensionDecision.objects.filter(person=person).exclude(benefit__in=list(monthly))
    ]
    tax = application.tax_withholding
    gross_total = tax_total = 0.0
    month = first_month
    while month <= last_month:
        day = payment_date(month.year, month.month)
        # A month whose payment day has passed is back pay of the new parts only: the parts the person
        # already had were paid that day.
        gross = _in_force(granted if day <= decided else granted + kept, day)
        gross_total += gross
        tax_total += withheld_tax(
            gross,
            month.year,
            birth_year=person.birth_date.year,
            kind=str(tax.kind),
            extra_per_month=float(tax.extra_per_month),
            municipal_tax_rate=rate,
        )
        month = months_after(month, 1)
    payments: tuple[PaymentRow, ...] = ()
    if gross_total > 0:
        net = _money(gross_total) - _money(tax_total)
        payments = (PaymentRow(next_paid, _money(gross_total), _money(tax_total), net),)
    return Grant(parts=tuple(parts), decisions=tuple(decisions), payments=payments)


# --- A change of withdrawal ---------------------------------------------------------------------------


def change_start(change: WithdrawalChange, *, decided: dt.date) -> dt.date:
    """The month a granted change applies from: the month asked for, but never one whose payment day has come
    when the decision is made (a payment made is not changed afterwards; decision 0151)."""
    first_unpaid = next_payment_date(decided).replace(day=1)
    return max(change.from_month, first_unpaid)


def drawn_on(person: Person, day: dt.date) -> dict[str, PartChoice]:
    """The income-based parts the register has decided for, each from its first month paid with its share on
    ``day`` (0: the latest decision pays nothing, the part is paused or stopped)."""
    drawn: dict[str, PartChoice] = {}
    rows = PensionDecision.objects.filter(person=person, benefit__in=list(INCOME_BASED), payable_from__lte=day)
    for row in rows.order_by("payable_from"):
        since = drawn[row.benefit].start if row.benefit in drawn else row.payable_from
        drawn[row.benefit] = PartChoice(row.benefit, since, row.withdrawal_share if row.monthly_amount > 0 else 0)
    return drawn


def _tax_kind(settings: TaxSettings | None) -> tuple[str, float]:
    """The register's withholding as the engine's kinds: 30 %, the table plus an extra amount, or the table."""
    if settings is not None and settings.adjusted_percent is not None and settings.adjusted_percent == 30:
        return "thirty_percent", 0.0
    if settings is not None and settings.extra_withholding > 0:
        return "extra", float(settings.extra_withholding)
    return "table", 0.0


def withdrawal_change_grant(person: Person, change: WithdrawalChange, *, decided: dt.date) -> Grant:
    """What granting ``change`` writes (decision 0150): from :func:`change_start`, each part the change gives
    new amounts (``applied.parts_changed``) gets a decision with the engine's amount
    (``applied.withdrawal_amounts``, the register's decided rights) and one each January after it that the
    register already plans; a paused or stopped part 0 kr (its share kept, as the register keeps shares).
    The next payment is planned anew when the change reaches it. Raises :class:`GrantError`."""
    start = change_start(change, decided=decided)
    drawn = drawn_on(person, start)
    asked = [part for part in change.parts if part in drawn]
    if not asked:
        raise GrantError("the change names no part the person has been granted")
    shares = {benefit: choice.share for benefit, choice in drawn.items()}
    for part in asked:
        shares[part] = (change.share or 0) if change.change == WithdrawalChangeKind.SHARE else 0
    changed = parts_changed(drawn, shares)
    if not changed:
        raise GrantError("the change leaves every part as it is")
    existing = list(PensionDecision.objects.filter(person=person).order_by("payable_from"))
    next_paid = next_payment_date(decided)
    last_year = max([start.year, next_paid.year] + [d.payable_from.year for d in existing if d.benefit in changed])
    years = list(range(start.year, last_year + 1))
    settings = TaxSettings.objects.filter(person=person).first()
    rate = float(settings.municipal_tax_rate) / 100 if settings is not None else math.nan
    monthly = withdrawal_amounts(
        income_history(person),
        {benefit: dataclasses.replace(choice, share=shares[benefit]) for benefit, choice in drawn.items()},
        guarantee=any(d.benefit in GUARANTEE_PARTS for d in existing),
        years=years,
        married=person.married,
        residence_years=float(person.residence_years),
        municipal_tax_rate=rate,
    )
    latest_share = {d.benefit: d.withdrawal_share for d in existing if d.payable_from <= start}
    parts: list[PartGranted] = []
    decisions: list[DecisionRow] = []
    for benefit in sorted(changed):
        by_year = monthly.get(benefit, {})
        if benefit not in latest_share and not any(by_year.values()):
            continue  # a part never granted that the change does not pay either
        after = shares.get(INCOME_PENSION if benefit == SUPPLEMENTARY_PENSION else benefit, 100)
        share = after or latest_share.get(benefit, 100)
        amount = by_year.get(start.year, 0.0)
        parts.append(PartGranted(benefit, start, after, _money(amount)))
        decisions.append(DecisionRow(benefit, decided, start, share, _money(amount)))
        decisions.extend(
            DecisionRow(benefit, decided, dt.date(year, 1, 1), share, _money(by_year.get(year, 0.0)))
            for year in years
            if year > start.year
        )
    payments: tuple[PaymentRow, ...] = ()
    paid_month = next_paid.replace(day=1)
    if start <= paid_month:
        granted = [(d.benefit, d.payable_from, float(d.monthly_amount)) for d in decisions]
        kept = [(d.benefit, d.payable_from, float(d.monthly_amount)) for d in existing if d.benefit not in changed]
        gross = _in_force(granted + kept, paid_month)
        kind, extra = _tax_kind(settings)
        tax = withheld_tax(
            gross,
            paid_month.year,
            birth_year=person.birth_date.year,
            kind=kind,
            extra_per_month=extra,
            municipal_tax_rate=rate,
        )
        payments = (PaymentRow(next_paid, _money(gross), _money(tax), _money(gross) - _money(tax)),)
    return Grant(parts=tuple(parts), decisions=tuple(decisions), payments=payments)


# --- Housing supplement ---------------------------------------------------------------------------------

GUARANTEE_PENSION = str(BenefitKind.GUARANTEE_PENSION)
MONTHS = 12


@dataclasses.dataclass(frozen=True, slots=True)
class HousingSupplementGrant:
    """What granting a housing-supplement application pays a month from ``payable_from``, by the engine's
    rules of that month, on the register's pension in payment and the household's signed amounts."""

    payable_from: dt.date
    housing_supplement_per_month: Decimal
    maintenance_support_per_month: Decimal


def housing_supplement_grant(
    person: Person, application: HousingSupplementApplication, *, arrived: dt.date
) -> HousingSupplementGrant:
    """The amounts a grant of ``application`` pays (docs/decisions/0124); raises :class:`GrantError`.

    Paid from the month applied for, but at most three months before the month the application arrived
    (shared reference, services §2.7); only to someone who draws old-age pension (the register's decisions).
    The public pension counted is the person's own in force that month; for a couple the spouse's is not in
    the register and is taken as included in the household's other amounts only as the applicant gave them —
    a case handler checks it (the decision says the amounts are the applicant's).
    """
    earliest = months_after(arrived.replace(day=1), -3)
    start = max(application.from_month, earliest)
    in_force: dict[str, float] = {}
    for decision in PensionDecision.objects.filter(person=person, payable_from__lte=start).order_by("payable_from"):
        in_force[decision.benefit] = float(decision.monthly_amount)
    if not any(amount > 0 for amount in in_force.values()):
        raise GrantError("housing supplement is only paid to someone who draws old-age pension")
    guarantee = in_force.get(GUARANTEE_PENSION, 0.0)
    income_based = sum(amount for benefit, amount in in_force.items() if benefit != GUARANTEE_PENSION)
    settings = TaxSettings.objects.filter(person=person).first()
    applicants = HousingApplicants.of_one(
        married=application.married,
        housing_cost_per_month=float(application.housing_cost_per_month),
        guarantee_pension=guarantee * MONTHS,
        income_based_public_pension=income_based * MONTHS,
        occupational_pension=float(application.occupational_pension_per_month * MONTHS),
        earned_income=float(application.earned_income_per_month * MONTHS),
        capital_income=float(application.capital_income_per_year),
        assets=float(application.assets),
        municipal_tax_rate=None if settings is None else float(settings.municipal_tax_rate) / 100,
    )
    try:
        result = housing_supplement(applicants, start.year, month=start.month)
    except ParameterError as error:
        raise GrantError(str(error)) from None
    return HousingSupplementGrant(
        payable_from=start,
        housing_supplement_per_month=_money(float(result.housing_supplement_per_month[0])),
        maintenance_support_per_month=_money(float(result.elderly_maintenance_support_per_month[0])),
    )
