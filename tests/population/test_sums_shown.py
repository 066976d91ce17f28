"""Requirement (issue 14.2): every table of the statement adds up as shown, on the page and in the PDF.

A property over the synthetic population and the demo persons: each account's value at the start plus its
items shown equals its value at the end shown, no item moves more than a krona from its exact amount, and the
accounts' total is the sum of the accounts shown. The overview page and the PDF print exactly those figures.
"""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from backoffice.register.models import Person
from backoffice.statements.run import run_statements
from backoffice.synthetic.demo import LATEST_STATEMENT_YEAR
from backoffice.synthetic.seed import population_seed
from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.pensions import pdf
from minasidor.pensions.shown import CHANGES, ShownAccount, statement_shown
from minasidor.registers import registers
from minasidor.registers.types import AccountYear, PersonSnapshot
from minasidor.ui.formatting import money

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

AMIR = "195901022995"
JOHAN = "198501139995"
KARIN = "196201082697"


def _snapshot(number: str) -> PersonSnapshot:
    personal_number = PersonalNumber.parse(number, today=clock.today())
    return registers().person_snapshot(citizen_principal(f"se:{number}"), personal_number)


def _assert_adds_up(exact: AccountYear, shown: ShownAccount) -> None:
    changes = [getattr(shown, item) for item in CHANGES]
    assert shown.opening_value + sum(changes) == shown.closing_value, shown
    for item in (*CHANGES, "opening_value", "closing_value"):
        assert abs(getattr(exact, item) - getattr(shown, item)) < 1, (item, exact, shown)


def test_every_statement_of_the_population_adds_up_as_shown() -> None:
    population_seed(300, 41)
    run_statements(LATEST_STATEMENT_YEAR)
    numbers = list(Person.objects.filter(date_of_death=None).values_list("personal_number", flat=True))
    checked = rounded_differently = 0
    for number in numbers:
        snapshot = _snapshot(number)
        statement = snapshot.latest_statement
        shown = statement_shown(statement)
        if statement is None or shown is None:
            continue
        for exact, account in zip(statement.accounts, shown.accounts, strict=True):
            _assert_adds_up(exact, account)
            checked += 1
            naive = sum(round(getattr(exact, item)) for item in CHANGES) + round(exact.opening_value)
            rounded_differently += naive != round(exact.closing_value)
        assert shown.total_closing_value == sum(account.closing_value for account in shown.accounts)
        rows = pdf._statement_rows(pdf._statement_accounts(shown), shown.year)
        for row in rows:
            assert row.total == sum(row.amounts)
        assert sum(row.amounts[0] for row in rows[1:-1]) + rows[0].amounts[0] == rows[-1].amounts[0]
    assert checked > 300
    assert rounded_differently > 0  # the population has accounts that rounding item by item would break


def _amounts(html: str, element_id: str) -> list[int]:
    """The amounts in kronor of the element ``element_id`` of the page, in order."""
    start = html.index(f'id="{element_id}"')
    block = html[start : html.index("</table>" if "statement-" in element_id else "</dl>", start)]
    found = re.findall(r"(\u2212?[\d\u00a0]+)\u00a0kr", block)
    return [int(text.replace("\u00a0", "").replace("\u2212", "-")) for text in found]


@pytest.mark.parametrize("number", [AMIR, JOHAN, KARIN])
def test_the_overview_shows_sums_that_add_up(client: Client, number: str) -> None:
    log_in(client, make_identity(number))
    html = client.get("/mina-sidor/").content.decode()
    income, premium, together = _amounts(html, "earned-pension")
    assert income + premium == together
    for account in ("income_pension", "premium_pension"):
        opening, *changes, closing = _amounts(html, f"statement-{account}")
        assert opening + sum(changes) == closing
    assert "Indexering" not in html  # one name for one line, as in the PDF: Värdeförändring


@pytest.mark.parametrize("number", [AMIR, JOHAN])
def test_the_pdf_prints_the_accounts_and_their_total_as_shown(number: str) -> None:
    snapshot = _snapshot(number)
    statement = statement_shown(snapshot.latest_statement)
    assert statement is not None
    reader = PdfReader(io.BytesIO(pdf.statement_pdf(snapshot, language="sv")))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " "))
    with translation.override("sv"):
        closing = [money(account.closing_value) for account in statement.accounts]
        total = money(statement.total_closing_value)
    assert " ".join([*closing, total]).replace("\u00a0", " ") in text
    assert sum(account.closing_value for account in statement.accounts) == statement.total_closing_value


@pytest.mark.parametrize("number", [KARIN, "199101012384", "198001139297"])
def test_no_page_of_the_statement_holds_only_the_rounding_note(number: str) -> None:
    """Issue 14.8: the note on rounding stands with the accounts it explains, not alone on a page."""
    reader = PdfReader(io.BytesIO(pdf.statement_pdf(_snapshot(number), language="sv")))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    note = next(index for index, text in enumerate(pages) if "Beloppen är avrundade till hela kronor" in text)
    assert "Värde 31 december" in pages[note]
