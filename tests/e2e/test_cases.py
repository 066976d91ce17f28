"""Requirement (issue 18.1, 18.2): My cases in a browser — a citizen asks a question with a PDF, sees the case
with its timeline and the file, at 320 px without sideways scrolling and with zero axe violations, in Swedish
and English; then a case handler answers and asks for a completion, and the citizen answers with a document.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kernel.tests.sample_files import pdf_bytes
from minasidor.cases.tests.factories import HANDLER
from minasidor.identity.tests.factories import make_identity
from minasidor.registers import registers
from tests.e2e.conftest import browser_log_in, fits_and_clean

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "backoffice"]),
    pytest.mark.usefixtures("demo_backoffice"),
]

KARIN = "196201082697"
TEXTS = {
    "sv": ("", "Ställ en fråga till oss", "Skicka frågan", "Frågan har skickats", "Skicka ditt svar"),
    "en": ("/en", "Ask us a question", "Send the question", "Your question has been sent", "Send your answer"),
}


@pytest.mark.parametrize("language", list(TEXTS))
def test_a_question_with_a_file_then_a_completion_answered_with_a_document(
    page: Page, live_server: Any, tmp_path: Path, language: str
) -> None:
    prefix, ask, send, sent, answer = TEXTS[language]
    certificate = tmp_path / "intyg.pdf"
    certificate.write_bytes(pdf_bytes())
    page.set_viewport_size({"width": 320, "height": 800})
    browser_log_in(page, live_server, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    page.goto(f"{live_server.url}{prefix}/mina-sidor/arenden/")
    fits_and_clean(page)
    page.get_by_role("button", name=ask).click()
    fits_and_clean(page)
    page.locator('input[name="subject"]').fill("Intyg")
    page.locator('textarea[name="message"]').fill("Här är mitt intyg.")
    page.locator('input[name="attachment"]').set_input_files(str(certificate))
    page.get_by_role("button", name=send).click()
    expect(page.get_by_text(sent)).to_be_visible()
    expect(page.get_by_role("link", name="intyg.pdf")).to_be_visible()
    fits_and_clean(page)

    case_id = page.url.rstrip("/").rsplit("/", 1)[1]
    registers().case_handling_start(HANDLER, uuid.UUID(case_id))
    registers().case_message_answer(HANDLER, uuid.UUID(case_id), "Tack, vi behöver ett till.")
    registers().case_completion_request(HANDLER, uuid.UUID(case_id), "Skicka beslutet.", dt.date(2026, 12, 20))
    page.reload()
    expect(page.locator("#completion-request")).to_contain_text("Skicka beslutet.")
    fits_and_clean(page)
    page.locator('textarea[name="completion-text"]').fill("Bifogat.")
    page.locator('input[name="completion-attachment"]').set_input_files(str(certificate))
    page.get_by_role("button", name=answer).click()
    expect(page.locator("#status")).to_have_attribute("data-status", "in_progress")
    expect(page.locator("#timeline li")).to_have_count(
        8
    )  # received, question, taken up, answer, request, waiting, answered, handled
    fits_and_clean(page)
