"""Reading Min Pension's JSON into typed values; anything off-contract is a protocol error."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from minasidor.minpension.errors import MinPensionProtocolError
from minasidor.minpension.types import (
    BenefitKind,
    Category,
    ForecastPoint,
    Payout,
    PensionHoldings,
    PensionItem,
    UserStatus,
)


def json_object(content: bytes) -> dict[str, Any]:
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise MinPensionProtocolError("invalidJson") from None
    if not isinstance(data, dict):
        raise MinPensionProtocolError("notAnObject")
    return data


def _get(data: dict[str, Any], name: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise MinPensionProtocolError(f"field:{name}")
    return value


def _money(data: dict[str, Any], name: str) -> Decimal | None:
    value = _get(data, name, str, optional=True)
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise MinPensionProtocolError(f"field:{name}") from None
    if not amount.is_finite() or amount < 0:
        raise MinPensionProtocolError(f"field:{name}")
    return amount


def _date(data: dict[str, Any], name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_get(data, name, str))
    except ValueError:
        raise MinPensionProtocolError(f"field:{name}") from None


def user_status(data: dict[str, Any]) -> UserStatus:
    return UserStatus(
        registered=_get(data, "registered", bool),
        terms_accepted=_get(data, "termsAccepted", bool),
        terms_version=_get(data, "termsVersion", str, optional=True),
        current_terms_version=_get(data, "currentTermsVersion", str),
    )


def _point(data: Any) -> ForecastPoint:
    if not isinstance(data, dict):
        raise MinPensionProtocolError("field:forecast")
    amount = _money(data, "monthlyAmount")
    if amount is None:
        raise MinPensionProtocolError("field:monthlyAmount")
    return ForecastPoint(
        withdrawal_age=_get(data, "withdrawalAge", int),
        monthly_amount=amount,
        start_age=_get(data, "payoutStartAge", int),
        end_age=_get(data, "payoutEndAge", int, optional=True),
    )


def _item(data: Any) -> PensionItem:
    if not isinstance(data, dict):
        raise MinPensionProtocolError("field:items")
    payout = _get(data, "payout", dict)
    try:
        category = Category(_get(data, "category", str))
        kind = BenefitKind(_get(data, "benefitKind", str))
    except ValueError:
        raise MinPensionProtocolError("field:category") from None
    return PensionItem(
        item_id=_get(data, "id", str),
        category=category,
        agreement=_get(data, "agreement", str, optional=True),
        product_type=_get(data, "productType", str),
        provider=_get(data, "provider", str),
        benefit_kind=kind,
        capital_value=_money(data, "capitalValue"),
        earned_monthly_amount=_money(data, "earnedMonthlyAmount"),
        value_date=_date(data, "valueDate"),
        in_payment=_get(data, "inPayment", bool),
        estimated=data.get("source") == "standard_values",
        payout=Payout(years=_get(payout, "years", int, optional=True), from_age=_get(payout, "fromAge", int)),
        forecast=tuple(sorted((_point(p) for p in _get(data, "forecast", list)), key=lambda p: p.withdrawal_age)),
    )


def pension_holdings(data: dict[str, Any]) -> PensionHoldings:
    return PensionHoldings(as_of=_date(data, "asOf"), items=tuple(_item(item) for item in _get(data, "items", list)))
