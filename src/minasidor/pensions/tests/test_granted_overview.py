"""Requirement (issue 16.6, brief of 2026-12-05): after a grant whose first month is still ahead, the overview says
plainly "granted, starts in …" with each part's amount a month as the register has it, the next payment is that
first payment, and the decision letter is linked; in Swedish and English. A back office that does not answer
for the letter is said so.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kernel.personal_number import PersonalNumber
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.registers import registers
from minasidor.registers.tests.casework import application_decided
from minasidor.registers.types import RegistersUnavailableError
from simulators.minpension.server import SimulatorThread

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

KARIN = "196201082697"  # 64 on the frozen day (28 November 2026); her pension is granted from January 2027
AMIR = "195901022995"  # a pensioner from before the portal: decisions without a case, so without a letter here


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def _karin_granted(client: Client) -> tuple[str, object]:
    karin = make_identity(KARIN, given_name="Karin", family_name="Lindqvist")
    case = application_decided(karin)
    log_in(client, karin)
    return KARIN, case


def test_a_grant_ahead_of_its_first_month_says_granted_starts_in_with_the_registers_amounts(
    client: Client, minpension: SimulatorThread
) -> None:
    _, case = _karin_granted(client)
    snapshot = registers().person_snapshot(make_identity(KARIN).principal, PersonalNumber(KARIN))
    first = {d.benefit: d for d in sorted(snapshot.decisions, key=lambda d: d.payable_from, reverse=True)}
    page = _text(client.get("/en/mina-sidor/"))
    assert 'id="granted-starting"' in page
    assert "Granted, starts in January 2027" in page
    starting = page[page.index('id="starting"') : page.index("</table>", page.index('id="starting"'))]
    assert "Income pension" in starting
    assert "January 2027" in starting
    assert "Premium pension" in starting
    assert "March 2027" in starting
    income = f"{int(first['income_pension'].monthly_amount.quantize(1)):,} kr"
    assert income in starting, (income, starting)
    payment = next(p for p in snapshot.payments if not p.paid)
    assert payment.payment_date.year == 2027
    assert payment.payment_date.month == 1
    assert 'id="next-payment"' in page
    assert "January 2027" in page[page.index('id="next-payment"') :]
    assert f'href="/en/mina-sidor/arenden/{case.case_id}/beslut.pdf"' in page  # type: ignore[attr-defined]
    swedish = _text(client.get("/mina-sidor/"))
    assert "Beviljad, börjar i januari 2027" in swedish


def test_a_pensioner_without_a_case_gets_no_letter_link_and_no_starts_in(
    client: Client, minpension: SimulatorThread
) -> None:
    log_in(client, make_identity(AMIR))
    page = _text(client.get("/en/mina-sidor/"))
    assert 'id="decisions"' in page
    assert 'id="granted-starting"' not in page
    assert 'id="decision-letter-link"' not in page


def test_a_back_office_that_does_not_answer_for_the_letter_is_said_so(
    client: Client, minpension: SimulatorThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    _karin_granted(client)
    client.get("/en/mina-sidor/")  # the session's pension data is fetched

    def down(self: object, *args: object) -> object:
        raise RegistersUnavailableError("down")

    monkeypatch.setattr(type(registers()), "cases", down)
    page = _text(client.get("/en/mina-sidor/"))
    assert 'id="decision-letter-unavailable"' in page
    assert 'id="granted-starting"' in page, "what the session already has is still shown"
