"""The simulator's own data: which test persons are Min Pension users and what pensions they have.

Test personal numbers only (Skatteverket's testpersonnummer and BankID's 191212121212). The numbers and
stories match the portal's demo persons, but nothing is imported from the portal or the back office:
this file is the simulator's "pension actors". Amounts are in kronor, values as of ``VALUE_DATE``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Literal

Category = Literal["occupational", "private"]
BenefitKind = Literal["defined_contribution", "defined_benefit"]

VALUE_DATE = dt.date(2026, 10, 31)
CURRENT_TERMS_VERSION = "2026-1"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Holding:
    """One pension a pension actor reports: an occupational pension under an agreement, or a private saving.

    Defined contribution (DC): ``capital`` now and ``yearly_premium`` paid while the person works.
    Defined benefit (DB): ``earned_monthly`` earned so far and ``monthly_at_65`` if they work to 65.
    ``payout_years`` None is lifelong; otherwise the payout lasts that many years from withdrawal.
    ``in_payment`` holdings are already paid out; their monthly amount no longer depends on an age.
    """

    key: str
    category: Category
    agreement: str | None
    product: str
    provider: str
    kind: BenefitKind
    capital: Decimal | None = None
    yearly_premium: Decimal = Decimal(0)
    fee_percent: Decimal = Decimal("0.20")
    earned_monthly: Decimal | None = None
    monthly_at_65: Decimal | None = None
    payout_years: int | None = None
    payout_from_age: int = 65
    in_payment: Decimal | None = None
    source: Literal["provider", "standard_values"] = "provider"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Saver:
    """A person Min Pension knows: whether they are registered and accepted the terms, and their holdings."""

    personal_number: str
    registered: bool
    terms_version: str | None
    still_saving: bool
    holdings: tuple[Holding, ...]


D = Decimal

SAVERS: tuple[Saver, ...] = (
    # Karin Lindqvist, born 1962, about to retire: a white-collar career under ITP2 (born before 1979).
    Saver(
        personal_number="196201082697",
        registered=True,
        terms_version=CURRENT_TERMS_VERSION,
        still_saving=True,
        holdings=(
            Holding(
                key="itp2-alecta",
                category="occupational",
                agreement="ITP2",
                product="defined_benefit",
                provider="Alecta",
                kind="defined_benefit",
                earned_monthly=D("11240"),
                monthly_at_65=D("11720"),
            ),
            Holding(
                key="itpk-skandia",
                category="occupational",
                agreement="ITP2",
                product="fund_insurance",
                provider="Skandia",
                kind="defined_contribution",
                capital=D("412500"),
                yearly_premium=D("11800"),
                fee_percent=D("0.35"),
                payout_years=5,
            ),
            Holding(
                key="private-lansforsakringar",
                category="private",
                agreement=None,
                product="pension_insurance",
                provider="Länsförsäkringar",
                kind="defined_contribution",
                capital=D("186300"),
                payout_years=10,
                fee_percent=D("0.60"),
            ),
        ),
    ),
    # Sara Nilsson, born 1991, parent of young children: a municipal job (AKAP-KR) and earlier retail (SAF-LO).
    Saver(
        personal_number="199101012384",
        registered=True,
        terms_version=CURRENT_TERMS_VERSION,
        still_saving=True,
        holdings=(
            Holding(
                key="akapkr-kpa",
                category="occupational",
                agreement="AKAP-KR",
                product="traditional_insurance",
                provider="KPA Pension",
                kind="defined_contribution",
                capital=D("148200"),
                yearly_premium=D("19600"),
                fee_percent=D("0.10"),
            ),
            Holding(
                key="saflo-folksam",
                category="occupational",
                agreement="SAF-LO",
                product="fund_insurance",
                provider="Folksam",
                kind="defined_contribution",
                capital=D("61900"),
                fee_percent=D("0.15"),
            ),
        ),
    ),
    # Bengt Ek, born 1958, a pensioner who still works: his state occupational pension (PA 16) is paid,
    # and he still saves in an IPS that pays out over ten years.
    Saver(
        personal_number="195801082743",
        registered=True,
        terms_version=CURRENT_TERMS_VERSION,
        still_saving=True,
        holdings=(
            Holding(
                key="pa16-spv",
                category="occupational",
                agreement="PA16",
                product="defined_benefit",
                provider="Statens tjänstepensionsverk (SPV)",
                kind="defined_benefit",
                earned_monthly=D("6850"),
                monthly_at_65=D("6850"),
                in_payment=D("6850"),
            ),
            Holding(
                key="pa16-kapan",
                category="occupational",
                agreement="PA16",
                product="traditional_insurance",
                provider="Kåpan Pensioner",
                kind="defined_contribution",
                capital=D("231400"),
                payout_years=5,
                fee_percent=D("0.10"),
                in_payment=D("4010"),
            ),
            Holding(
                key="ips-nordnet",
                category="private",
                agreement=None,
                product="ips",
                provider="Nordnet",
                kind="defined_contribution",
                capital=D("138700"),
                payout_years=10,
                fee_percent=D("0.40"),
            ),
        ),
    ),
    # Amir Haddad, born 1959, moved to Sweden late and has guarantee pension: a little SAF-LO from industry.
    Saver(
        personal_number="195901022995",
        registered=True,
        terms_version=CURRENT_TERMS_VERSION,
        still_saving=False,
        holdings=(
            Holding(
                key="saflo-afa",
                category="occupational",
                agreement="SAF-LO",
                product="traditional_insurance",
                provider="Folksam",
                kind="defined_contribution",
                capital=D("38400"),
                fee_percent=D("0.15"),
                in_payment=D("160"),
            ),
        ),
    ),
    # Lena Berg, born 1980, a registered Min Pension user: ITP1 (born 1979 or later) and a private saving
    # paid over five years, so her total forecast drops at 70.
    Saver(
        personal_number="198001139297",
        registered=True,
        terms_version=CURRENT_TERMS_VERSION,
        still_saving=True,
        holdings=(
            Holding(
                key="itp1-alecta",
                category="occupational",
                agreement="ITP1",
                product="traditional_insurance",
                provider="Alecta",
                kind="defined_contribution",
                capital=D("318600"),
                yearly_premium=D("16800"),
                fee_percent=D("0.09"),
            ),
            Holding(
                key="itp1-amf",
                category="occupational",
                agreement="ITP1",
                product="fund_insurance",
                provider="AMF",
                kind="defined_contribution",
                capital=D("297300"),
                yearly_premium=D("16800"),
                fee_percent=D("0.20"),
            ),
            Holding(
                key="private-swedbank",
                category="private",
                agreement=None,
                product="pension_insurance",
                provider="Swedbank Försäkring",
                kind="defined_contribution",
                capital=D("92800"),
                payout_years=5,
                fee_percent=D("0.55"),
                source="standard_values",
            ),
        ),
    ),
    # Johan Sund, born 1985, not a Min Pension user: his pension actors hold a municipal occupational pension
    # (KAP-KL, born before 1986) and an IPS; Min Pension shows them once he registers.
    Saver(
        personal_number="198501139995",
        registered=False,
        terms_version=None,
        still_saving=True,
        holdings=(
            Holding(
                key="kapkl-kpa",
                category="occupational",
                agreement="KAP-KL",
                product="traditional_insurance",
                provider="KPA Pension",
                kind="defined_contribution",
                capital=D("214700"),
                yearly_premium=D("21900"),
                fee_percent=D("0.10"),
            ),
            Holding(
                key="ips-avanza",
                category="private",
                agreement=None,
                product="ips",
                provider="Avanza",
                kind="defined_contribution",
                capital=D("44600"),
                payout_years=10,
                fee_percent=D("0.30"),
            ),
        ),
    ),
    # Tolvan Tolvansson (BankID's test identity): not registered and no pensions reported.
    Saver(personal_number="191212121212", registered=False, terms_version=None, still_saving=False, holdings=()),
)
