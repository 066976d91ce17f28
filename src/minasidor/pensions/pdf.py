"""The two PDF documents of Min pension: the annual statement and the forecast, as tagged PDF (PDF/UA-1).

Pure rendering: each function takes values the pages already hold and returns the bytes of a PDF, made by
the portal's PDF pipeline (``minasidor.ui.pdf``, docs/decisions/0080).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from kernel import clock
from minasidor.minpension.income import IncomeStep
from minasidor.pension_data.types import AgeForecast, PartAmounts, PensionForecast
from minasidor.pensions.assumptions import forecast_assumptions
from minasidor.pensions.charts import chosen_income_over_age_svg, forecast_by_age_svg
from minasidor.pensions.explain import forecast_notes
from minasidor.pensions.selectors import parts_paid_on
from minasidor.pensions.shown import ShownAccount, ShownStatement, statement_shown
from minasidor.pensions.types import PENSION_PARTS
from minasidor.registers.types import PersonSnapshot
from minasidor.ui.pdf import (
    ExternalResourceRefusedError,
    PdfRenderingError,
    RefusingURLFetcher,
    language_checked,
    pdf_render,
    percent,
)
from minasidor.ui.sums import sum_of_shown

# The pipeline's errors and fetcher, named here too for the callers and tests of these two documents.
__all__ = [
    "ExternalResourceRefusedError",
    "PdfRenderingError",
    "RefusingURLFetcher",
    "forecast_pdf",
    "percent",
    "statement_pdf",
]

STATEMENT_TEMPLATE = "pensions/pdf/statement.html"
FORECAST_TEMPLATE = "pensions/pdf/forecast.html"

# The parts every forecast shows; the others only where they are not zero.
ALWAYS_SHOWN_PARTS = ("income_pension", "premium_pension")
# The items of an account in the order opening + rights + gains + change + fees + paid out = closing value.
STATEMENT_ITEMS = (
    "opening_value",
    "new_rights",
    "inheritance_gains",
    "value_change",
    "fees",
    "paid_out",
    "closing_value",
)
# Items shown only where some account has them (pension paid from an account: only a pensioner's).
ITEMS_SHOWN_WHEN_NOT_ZERO = ("paid_out",)


@dataclass(frozen=True)
class StatementRow:
    """One item of the statement: its label, the amount per account shown, and the accounts' total (their sum
    as shown)."""

    label: str
    amounts: tuple[int, ...]
    total: int
    is_result: bool = False


@dataclass(frozen=True)
class _DecidedPart:
    """A part of a pensioner's pension: since when it is paid, the share drawn, and its amount a month today.

    ``amount_from`` is the day that amount applies from (the part's latest recalculation, or its grant).
    """

    label: str
    paid_since: dt.date
    amount_from: dt.date
    share: str
    monthly_amount: Decimal


@dataclass(frozen=True)
class PartRow:
    """One part of the pension at the chosen age and its amount a month before tax."""

    label: str
    amount: Decimal


def statement_pdf(snapshot: PersonSnapshot, *, language: str) -> bytes:
    """The annual statement (the orange envelope) as a PDF in ``language`` ("sv" or "en").

    Every item of both accounts and their total, the premium-pension funds, and for a pensioner the decided
    parts and the payments. A person without a statement yet gets a document that says so.
    """
    person = snapshot.person
    statement = statement_shown(snapshot.latest_statement)
    with translation.override(language_checked(language)):
        accounts = _statement_accounts(statement)
        decided = _decided_parts(snapshot)
        context = {
            "title": _statement_title(statement.year if statement else None),
            "name": f"{person.given_name} {person.family_name}",
            "personal_number": person.personal_number.formatted(),
            "statement": statement,
            "account_labels": [label for label, _account in accounts],
            "rows": _statement_rows(accounts, statement.year) if statement else [],
            "show_total": len(accounts) > 1,
            "funds": [
                (fund, percent(fund.fee_percent))
                for fund in sorted(snapshot.fund_holdings, key=lambda fund: fund.fund_name)
            ],
            "funds_total": sum_of_shown([fund.value for fund in snapshot.fund_holdings]),
            "funds_valued_on": max((fund.valued_on for fund in snapshot.fund_holdings), default=None),
            "is_pensioner": person.drawing_pension or bool(snapshot.decisions or snapshot.payments),
            "decisions": decided,
            "decisions_from": max((part.amount_from for part in decided), default=None),
            "payments": sorted(snapshot.payments, key=lambda payment: payment.payment_date),
            "about_template": f"pensions/pdf/content/statement_about.{language}.html",
        }
        return pdf_render(STATEMENT_TEMPLATE, context)


def forecast_pdf(forecast: PensionForecast, *, name: str, language: str) -> bytes:
    """The forecast as a PDF in ``language`` ("sv" or "en"), for the person called ``name``.

    The choices, the parts at the chosen age before and after tax, the pessimistic and optimistic band, the
    ages side by side (a chart, tagged as a figure whose alternative text is the chart's title, and a
    table), Min Pension's occupational and private pensions when included (a table and the income over
    age, a figure too), and the assumptions.
    """
    with translation.override(language_checked(language)):
        chosen = forecast.chosen
        context = {
            "title": gettext("Your pension forecast"),
            "name": name,
            "forecast": forecast,
            "choice": forecast.choice,
            "share": percent(Decimal(forecast.choice.withdrawal_share)),
            "chosen": chosen,
            "parts": _part_rows(chosen.expected) if chosen and chosen.expected else [],
            "other_rows": _other_pension_rows(chosen) if chosen else [],
            "income_chart": chosen_income_over_age_svg(forecast, language=language, id_prefix="pdf-income-chart"),
            "ages": forecast.ages,
            "notes": forecast_notes(forecast),
            "age_chart": forecast_by_age_svg(forecast, language=language, id_prefix="pdf-age-chart"),
            "assumptions": forecast_assumptions(forecast.birth_year),
            "assumptions_template": f"pensions/pdf/content/forecast_assumptions.{language}.html",
        }
        return pdf_render(FORECAST_TEMPLATE, context)


def _statement_title(year: int | None) -> str:
    if year is None:
        return gettext("Your pension statement")
    return gettext("Your pension statement %(year)s") % {"year": year}


def _statement_accounts(statement: ShownStatement | None) -> list[tuple[str, ShownAccount]]:
    if statement is None:
        return []
    return [(_part_label(account.account), account) for account in statement.accounts]


def _statement_rows(accounts: list[tuple[str, ShownAccount]], year: int) -> list[StatementRow]:
    labels = {
        "opening_value": gettext("Value on 1 January %(year)s") % {"year": year},
        "new_rights": gettext("New pension rights"),
        "inheritance_gains": gettext("Inheritance gains"),
        "value_change": gettext("Change in value"),
        "fees": gettext("Administration fees"),
        "paid_out": gettext("Pension paid out"),
        "closing_value": gettext("Value on 31 December %(year)s") % {"year": year},
    }
    rows = []
    for item in STATEMENT_ITEMS:
        amounts = tuple(getattr(account, item) for _label, account in accounts)
        if item in ITEMS_SHOWN_WHEN_NOT_ZERO and not any(amounts):
            continue
        rows.append(StatementRow(labels[item], amounts, sum(amounts), item == "closing_value"))
    return rows


def _part_label(part: str) -> str:
    """The name of a part of the pension (the words the back office's models use, capitalised)."""
    names = {
        "income_pension": gettext("income pension"),
        "premium_pension": gettext("premium pension"),
        "guarantee_pension": gettext("guarantee pension"),
        "income_pension_supplement": gettext("income pension supplement"),
        "supplementary_pension": gettext("supplementary pension"),
    }
    return capfirst(names.get(part, part))


def _decided_parts(snapshot: PersonSnapshot) -> list[_DecidedPart]:
    """The parts of a pensioner's pension paid today, in the order of the parts."""
    return [
        _DecidedPart(
            label=_part_label(decision.benefit),
            paid_since=snapshot.paid_since(decision.benefit) or decision.payable_from,
            amount_from=decision.payable_from,
            share=percent(Decimal(decision.withdrawal_share)),
            monthly_amount=decision.monthly_amount,
        )
        for decision in parts_paid_on(snapshot, clock.today())
    ]


def _part_rows(amounts: PartAmounts) -> list[PartRow]:
    return [
        PartRow(_part_label(part), getattr(amounts, part))
        for part in PENSION_PARTS
        if part in ALWAYS_SHOWN_PARTS or getattr(amounts, part)
    ]


def _other_pension_rows(chosen: AgeForecast) -> list[tuple[IncomeStep, int, int | None]]:
    """Min Pension's steps at the chosen age, each with its total and with the public pension before tax added
    (when allowed), both as the sums of the amounts shown."""
    public = chosen.expected.total_before_tax if chosen.expected else None
    rows = []
    for step in chosen.other_pensions:
        total = sum_of_shown([step.occupational, step.private])
        rows.append((step, total, None if public is None else total + sum_of_shown([public])))
    return rows
