"""A pensioner's withdrawal: the parts drawn, the forecast after payments start, and what a change pays.

For a person whose register has granted parts (decisions), the income-based parts are drawn from the month
each was first paid, with the share of its decision in force (0 when the latest decision pays nothing: the
part is paused or stopped). The forecast and the change's preliminary calculation both call the engine's
:func:`pension_engine.applied.withdrawal_amounts` — the function the back office's grant of a change calls
(``backoffice.casework.grant.withdrawal_change_grant``) — on the register's incomes and rights from the
session's snapshot; the forecast may add the income the person expects to keep earning
(:func:`pension_engine.applied.history_with_work`). Decision 0150.

Pure computation on the session's data: nothing here reads a database or writes anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal

from minasidor.registers.types import PensionPart, PersonSnapshot, WithdrawalChange, WithdrawalChangeKind
from pension_engine.applied import (
    GUARANTEE_PARTS,
    INCOME_BASED,
    SUPPLEMENTARY_PENSION,
    IncomeHistory,
    PartChoice,
    history_with_work,
    month_of,
    months_after,
    parts_changed,
    withdrawal_amounts,
)

CHANGEABLE = (PensionPart.INCOME_PENSION, PensionPart.PREMIUM_PENSION)
MONTHS_AHEAD = 12  # a change may name a month up to a year ahead (decision 0151)
FORECAST_YEARS = 3  # this year and the two after: a right earned this year raises the pension in two years
MARRIED = ("married", "partner")  # the register's civil statuses with the married guarantee-pension level


@dataclasses.dataclass(frozen=True, slots=True)
class PartDrawn:
    """An income-based part as the register pays it: since when, the share now (0: paused or stopped) and
    the monthly amount before tax in force today."""

    part: str
    since: dt.date
    share: int
    monthly_amount: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class YearRow:
    """One part's monthly amount before tax in each year shown, as now and with the other share."""

    part: str
    kept: tuple[Decimal, ...]
    changed: tuple[Decimal, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class WithdrawalForecast:
    """The forecast for a pensioner: the years shown, a row per part, and the totals per year."""

    years: tuple[int, ...]
    income_per_year: int
    shares: Mapping[str, int]
    rows: tuple[YearRow, ...]
    kept_total: tuple[Decimal, ...]
    changed_total: tuple[Decimal, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class ChangedPart:
    """A part before and after a change of withdrawal, from the change's month."""

    part: str
    share_before: int
    share_after: int
    before: Decimal
    after: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class ChangePreview:
    """What a change of withdrawal pays a month before tax from ``from_month``: per part, and in total."""

    from_month: dt.date
    parts: tuple[ChangedPart, ...]
    total_before: Decimal
    total_after: Decimal


def _kronor(value: float) -> Decimal:
    return Decimal(round(value))


def history_of(snapshot: PersonSnapshot) -> IncomeHistory:
    """The register's decided incomes and rights, as the engine takes them."""
    return IncomeHistory.of_years(
        snapshot.person.birth_date,
        [
            (row.year, float(row.income), float(row.income_pension_right), float(row.premium_pension_right))
            for row in snapshot.incomes
        ],
    )


def parts_drawn(snapshot: PersonSnapshot, day: dt.date) -> tuple[PartDrawn, ...]:
    """The income-based parts the register has decided for, with their share on ``day`` (0: not paid)."""
    drawn: list[PartDrawn] = []
    for part in CHANGEABLE:
        decisions = sorted(
            (d for d in snapshot.decisions if d.benefit == part and d.payable_from <= day), key=lambda d: d.payable_from
        )
        if not decisions:
            continue
        latest = decisions[-1]
        paid = latest.monthly_amount > 0
        drawn.append(
            PartDrawn(
                part=str(part),
                since=decisions[0].payable_from,
                share=latest.withdrawal_share if paid else 0,
                monthly_amount=latest.monthly_amount if paid else Decimal(0),
            )
        )
    return tuple(drawn)


def may_change(snapshot: PersonSnapshot | None, day: dt.date) -> bool:
    """Whether the person has a part whose withdrawal can be changed (a pension granted by the register)."""
    return snapshot is not None and bool(parts_drawn(snapshot, day))


def has_guarantee(snapshot: PersonSnapshot) -> bool:
    """Whether guarantee pension or the supplement has been granted (a decision on either)."""
    return any(d.benefit in GUARANTEE_PARTS for d in snapshot.decisions)


def change_months(snapshot: PersonSnapshot, today: dt.date) -> tuple[dt.date, ...]:
    """The months a change sent today may start from (decision 0151): from the first month whose payment is
    not yet made — this month when its payment day is still to come, else the next — up to a year ahead."""
    this_month = month_of(today)
    planned = [p.payment_date for p in snapshot.payments if not p.paid and p.payment_date > today]
    first = this_month if any(month_of(day) == this_month for day in planned) else months_after(this_month, 1)
    return tuple(months_after(first, n) for n in range(MONTHS_AHEAD))


def shares_after(drawn: tuple[PartDrawn, ...], change: WithdrawalChange) -> dict[str, int]:
    """Each drawn part's share after ``change`` (0: paused or stopped)."""
    shares = {p.part: p.share for p in drawn}
    for part in change.parts:
        if str(part) in shares:
            shares[str(part)] = (change.share or 0) if change.change == WithdrawalChangeKind.SHARE else 0
    return shares


def _amounts(
    snapshot: PersonSnapshot,
    history: IncomeHistory,
    drawn: tuple[PartDrawn, ...],
    shares: Mapping[str, int],
    years: list[int],
) -> dict[str, dict[int, float]]:
    tax_settings = snapshot.customer_records.tax_settings
    rate = float(tax_settings.municipal_tax_rate) / 100 if tax_settings is not None else math.nan
    choices = {p.part: PartChoice(p.part, p.since, shares.get(p.part, p.share)) for p in drawn}
    return withdrawal_amounts(
        history,
        choices,
        guarantee=has_guarantee(snapshot),
        years=years,
        married=snapshot.person.civil_status in MARRIED,
        residence_years=float(snapshot.person.residence_years),
        municipal_tax_rate=rate,
    )


def _order(part: str) -> int:
    order = (*INCOME_BASED, SUPPLEMENTARY_PENSION, *GUARANTEE_PARTS)
    return order.index(part) if part in order else len(order)


def withdrawal_forecast(
    snapshot: PersonSnapshot, *, today: dt.date, income_per_year: int, shares: Mapping[str, int]
) -> WithdrawalForecast:
    """The monthly pension before tax this year and the two after, per part, drawn as now and with
    ``shares`` (part → 25, 50, 75 or 100; 0 paused), earning ``income_per_year`` (kronor, each year from the
    first year the register has not decided; 0: no more work)."""
    drawn = parts_drawn(snapshot, today)
    years = [today.year + n for n in range(FORECAST_YEARS)]
    history = history_of(snapshot)
    if income_per_year > 0:
        history = history_with_work(history, income_per_year=float(income_per_year), until_year=years[-1])
    kept = _amounts(snapshot, history, drawn, {}, years)
    changed = _amounts(snapshot, history, drawn, shares, years)
    rows: list[YearRow] = []
    for part in sorted(set(kept) | set(changed), key=_order):
        before, after = kept.get(part, {}), changed.get(part, {})
        if not any(before.values()) and not any(after.values()):
            continue
        rows.append(
            YearRow(
                part=part,
                kept=tuple(_kronor(before.get(y, 0.0)) for y in years),
                changed=tuple(_kronor(after.get(y, 0.0)) for y in years),
            )
        )
    return WithdrawalForecast(
        years=tuple(years),
        income_per_year=income_per_year,
        shares=dict(shares),
        rows=tuple(rows),
        kept_total=tuple(sum((r.kept[i] for r in rows), Decimal(0)) for i in range(len(years))),
        changed_total=tuple(sum((r.changed[i] for r in rows), Decimal(0)) for i in range(len(years))),
    )


def change_preview(snapshot: PersonSnapshot, change: WithdrawalChange, *, today: dt.date) -> ChangePreview:
    """What ``change`` pays a month before tax from its month, by the engine on the register's decided rights
    (no future work: what the grant pays), against what the register pays that month now."""
    drawn = parts_drawn(snapshot, max(change.from_month, today))
    shares = shares_after(drawn, change)
    year = change.from_month.year
    history = history_of(snapshot)
    after = _amounts(snapshot, history, drawn, shares, [year])
    before_decisions = {d.benefit: d for d in snapshot.decisions_in_force(change.from_month)}
    share_before = {p.part: p.share for p in drawn}
    changed = parts_changed({p.part: PartChoice(p.part, p.since, p.share) for p in drawn}, shares)
    parts: list[ChangedPart] = []
    for part in sorted(set(after) | set(before_decisions), key=_order):
        was = before_decisions[part].monthly_amount if part in before_decisions else Decimal(0)
        now = _kronor(after.get(part, {}).get(year, 0.0)) if part in changed else was
        if was == 0 and now == 0:
            continue
        parts.append(
            ChangedPart(
                part=part,
                share_before=share_before.get(part, 100),
                share_after=shares.get(part, 100),
                before=was,
                after=now,
            )
        )
    return ChangePreview(
        from_month=change.from_month,
        parts=tuple(parts),
        total_before=sum((p.before for p in parts), Decimal(0)),
        total_after=sum((p.after for p in parts), Decimal(0)),
    )
