"""What the application for old-age pension may ask for, and the preliminary calculation of what it pays.

The months the application may choose follow the rules of the pension (docs/applying.md, with sources):
the income-based parts from the cohort's lowest age (SFB 56 kap.), never before the month the application
arrives (no retroactivity) and at most twelve months ahead (an application may be sent at the earliest a
year before the first month it asks for); guarantee pension and the income-pension supplement from the
cohort's guarantee-pension age, whole, with both income-based parts whole.

The preliminary calculation calls the engine's :mod:`pension_engine.applied` — the functions the back
office's grant calls — on the register's incomes and rights from the session's snapshot, so the figures a
person sees before signing are those a grant the same month pays (tax by the withholding chosen).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal

from minasidor.registers.types import (
    CivilStatusAnswer,
    OldAgePensionApplication,
    PensionPart,
    PersonSnapshot,
)
from pension_engine.applied import (
    EEA_AND_SWITZERLAND,
    ApplicationError,
    IncomeHistory,
    PartChoice,
    application_amounts,
    application_starts,
    earliest_month,
    guarantee_month,
    month_of,
    months_after,
    withheld_tax,
)
from pension_engine.forecast import FIRST_NEW_SYSTEM_COHORT

MONTHS_AHEAD = 12  # an application may reach the authority at the earliest a year before its first month
# Born earlier, a person's pension is folkpension and tilläggspension under the old rules only: no income or
# premium pension to apply for, and nothing the engine can calculate. Such a person applies on paper.
FIRST_APPLYING_COHORT = FIRST_NEW_SYSTEM_COHORT
MARRIED_ANSWERS = (CivilStatusAnswer.MARRIED, CivilStatusAnswer.COHABITING_AS_MARRIED)


@dataclasses.dataclass(frozen=True, slots=True)
class ApplicationWindow:
    """The months an application made today may choose.

    ``lowest_month`` is the cohort's first month of income and premium pension, ``guarantee_from`` its first
    month of guarantee pension; ``first_month``..``last_month`` the months that may be chosen now (empty
    when ``first_month`` is after ``last_month``: the person cannot apply yet, see ``opens_on``).
    """

    today: dt.date
    lowest_month: dt.date
    guarantee_from: dt.date
    first_month: dt.date
    last_month: dt.date

    @property
    def open(self) -> bool:
        """Whether an application can be made today."""
        return self.first_month <= self.last_month

    @property
    def opens_on(self) -> dt.date:
        """The first day an application for the cohort's first month may be sent."""
        return months_after(self.lowest_month, -MONTHS_AHEAD)

    @property
    def months(self) -> tuple[dt.date, ...]:
        """Every month that may be chosen, first to last."""
        months: list[dt.date] = []
        month = self.first_month
        while month <= self.last_month:
            months.append(month)
            month = months_after(month, 1)
        return tuple(months)

    @property
    def guarantee_possible(self) -> bool:
        """Whether guarantee pension and the supplement can start within the months that may be chosen."""
        return self.open and self.guarantee_from <= self.last_month


def application_window(birth_date: dt.date, today: dt.date) -> ApplicationWindow:
    """The months a person born on ``birth_date`` may apply for today."""
    this_month = month_of(today)
    lowest = earliest_month(birth_date)
    return ApplicationWindow(
        today=today,
        lowest_month=lowest,
        guarantee_from=guarantee_month(birth_date),
        first_month=max(lowest, this_month),
        last_month=months_after(this_month, MONTHS_AHEAD),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class PartPreview:
    """One part as a grant this month would pay it: from when, with what share, the first monthly amount
    before tax (0: nothing payable, e.g. guarantee pension with income above its limit)."""

    part: str
    start: dt.date
    share: int
    monthly_amount: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class ApplicationPreview:
    """The preliminary calculation: every part, and once all have started (``full_from``) the month's total
    before tax, the tax withheld by the choice, and what is paid out."""

    parts: tuple[PartPreview, ...]
    full_from: dt.date
    total_before_tax: Decimal
    tax: Decimal
    total_after_tax: Decimal


class PreviewUnavailableError(Exception):
    """No preliminary calculation can be made (no register data, or the rules refuse the choice)."""


def _history(snapshot: PersonSnapshot) -> IncomeHistory:
    return IncomeHistory.of_years(
        snapshot.person.birth_date,
        [
            (row.year, float(row.income), float(row.income_pension_right), float(row.premium_pension_right))
            for row in snapshot.incomes
        ],
    )


def _kronor(value: float) -> Decimal:
    return Decimal(round(value))


def application_preview(
    snapshot: PersonSnapshot, application: OldAgePensionApplication, *, today: dt.date
) -> ApplicationPreview:
    """What ``application`` would pay if granted this month, by the engine's rules for pensions in payment;
    raises :class:`PreviewUnavailableError` when the rules refuse a month chosen."""
    birth_date = snapshot.person.birth_date
    chosen = [PartChoice(str(p.part), p.start_month, p.share) for p in application.parts]
    try:
        starts = application_starts(birth_date, chosen, arrived=today)
    except ApplicationError as error:
        raise PreviewUnavailableError(str(error)) from None
    full_from = max(choice.start for choice in starts.values())
    years = list(range(min(c.start for c in starts.values()).year, full_from.year + 1))
    tax_settings = snapshot.customer_records.tax_settings
    rate = float(tax_settings.municipal_tax_rate) / 100 if tax_settings is not None else math.nan
    monthly = application_amounts(
        _history(snapshot),
        starts,
        years=years,
        married=application.civil_status in MARRIED_ANSWERS,
        residence_years=float(snapshot.person.residence_years),
        municipal_tax_rate=rate,
        living_in_eea=not application.living_abroad or application.country in EEA_AND_SWITZERLAND,
    )
    income_start = starts.get(PensionPart.INCOME_PENSION)
    parts: list[PartPreview] = []
    for benefit, by_year in monthly.items():
        choice = starts.get(benefit) or income_start  # tilläggspension follows the income pension
        if choice is None:
            continue
        parts.append(PartPreview(benefit, choice.start, choice.share, _kronor(by_year.get(choice.start.year, 0.0))))
    gross = sum(float(by_year.get(full_from.year, 0.0)) for by_year in monthly.values())
    tax = application.tax_withholding
    withheld = withheld_tax(
        gross,
        full_from.year,
        birth_year=birth_date.year,
        kind=str(tax.kind),
        extra_per_month=float(tax.extra_per_month),
        municipal_tax_rate=rate,
    )
    total = _kronor(gross)
    withheld_kronor = _kronor(withheld)
    return ApplicationPreview(
        parts=tuple(parts),
        full_from=full_from,
        total_before_tax=total,
        tax=withheld_kronor,
        total_after_tax=total - withheld_kronor,
    )
