"""Requirement (issue 16.1): the application offers the months the rules allow — from the cohort's lowest age,
never before the month it arrives, at most a year ahead — and guarantee pension only when its age is within
reach; the preliminary calculation is the engine's, by the choices made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from kernel.personal_number import PersonalNumber
from minasidor.pension_data.application import (
    PreviewUnavailableError,
    application_preview,
    application_window,
)
from minasidor.registers.tests.factories import make_snapshot
from minasidor.registers.types import (
    CivilStatusAnswer,
    OldAgePensionApplication,
    PartChoice,
    PensionPart,
    SwedishAccount,
    TaxWithholding,
    TaxWithholdingKind,
)

TODAY = dt.date(2026, 11, 28)


def test_the_first_month_is_the_later_of_the_lowest_age_and_this_month() -> None:
    born_1962 = application_window(dt.date(1962, 1, 8), TODAY)  # lowest age 63: January 2025
    assert born_1962.lowest_month == dt.date(2025, 1, 1)
    assert born_1962.first_month == dt.date(2026, 11, 1), "no month before the application arrives"
    assert born_1962.last_month == dt.date(2027, 11, 1), "at most a year ahead"
    assert len(born_1962.months) == 13
    assert born_1962.open


def test_a_person_further_than_a_year_from_the_lowest_age_cannot_apply_yet() -> None:
    born_1985 = application_window(dt.date(1985, 1, 13), TODAY)
    assert not born_1985.open
    assert born_1985.months == ()
    assert born_1985.opens_on == dt.date(born_1985.lowest_month.year - 1, 1, 1)


def test_a_person_reaching_the_lowest_age_within_a_year_gets_the_months_from_then() -> None:
    window = application_window(dt.date(1963, 6, 15), TODAY)  # lowest age 64 for 1963: June 2027
    assert window.first_month == dt.date(2027, 6, 1)
    assert window.months[0] == dt.date(2027, 6, 1)


def test_guarantee_pension_is_possible_only_when_its_age_is_within_the_months_open() -> None:
    assert not application_window(dt.date(1962, 1, 8), TODAY).guarantee_possible  # 67 in 2029
    born_1960 = application_window(dt.date(1960, 3, 2), TODAY)  # 67 in March 2027
    assert born_1960.guarantee_from == dt.date(2027, 3, 1)
    assert born_1960.guarantee_possible


def _application(snapshot_number: str, **overrides: object) -> OldAgePensionApplication:
    values: dict[str, object] = {
        "applicant": PersonalNumber(snapshot_number),
        "parts": (
            PartChoice(PensionPart.INCOME_PENSION, dt.date(2027, 1, 1), 100),
            PartChoice(PensionPart.PREMIUM_PENSION, dt.date(2027, 1, 1), 100),
        ),
        "survivor_protection": False,
        "civil_status": CivilStatusAnswer.SINGLE,
        "living_abroad": False,
        "country": "",
        "tax_withholding": TaxWithholding(TaxWithholdingKind.TABLE),
        "payment_account": SwedishAccount("SEB", "5000", "1000004"),
    }
    values.update(overrides)
    return OldAgePensionApplication(**values)  # type: ignore[arg-type]


def test_the_preview_pays_each_part_and_withholds_tax_by_the_choice() -> None:
    snapshot = make_snapshot("196201082697")
    table = application_preview(snapshot, _application("196201082697"), today=TODAY)
    assert {p.part for p in table.parts} >= {"income_pension", "premium_pension"}
    assert table.total_before_tax > 0
    assert table.total_before_tax == sum(p.monthly_amount for p in table.parts)
    thirty = application_preview(
        snapshot,
        _application("196201082697", tax_withholding=TaxWithholding(TaxWithholdingKind.THIRTY_PERCENT)),
        today=TODAY,
    )
    assert thirty.tax == round(Decimal("0.30") * thirty.total_before_tax)
    half = application_preview(
        snapshot,
        _application(
            "196201082697",
            parts=(PartChoice(PensionPart.INCOME_PENSION, dt.date(2027, 1, 1), 50),),
        ),
        today=TODAY,
    )
    full_income = next(p for p in table.parts if p.part == "income_pension").monthly_amount
    assert 0 < next(p for p in half.parts if p.part == "income_pension").monthly_amount < full_income


def test_the_preview_refuses_a_month_below_the_lowest_age() -> None:
    snapshot = make_snapshot("196201082697")
    young = dataclasses.replace(snapshot, person=dataclasses.replace(snapshot.person, birth_date=dt.date(1970, 1, 1)))
    with pytest.raises(PreviewUnavailableError):
        application_preview(young, _application("196201082697"), today=TODAY)
