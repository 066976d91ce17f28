"""Requirement (issue 20.3, 20.4): a full call in the phone simulator — a pensioner hears the register's next
payment, a saver the total of the statement the overview shows; a caller orders a paper form, which the back
office keeps and the next print file carries; wrong codes lock the code and the citizen sees every attempt in
"who has seen my data"; the service says nothing before identification and nothing beyond each question,
never the personal number or the address; prompts in Swedish and English.
"""

from __future__ import annotations

import json
import logging
import re
from decimal import ROUND_HALF_UP, Decimal

import httpx
import pytest
from django.apps import apps
from django.conf import settings
from django.db import router
from django.test import Client

from backoffice.paper_forms import printing
from backoffice.paper_forms.models import FormOrder
from backoffice.personal_codes.codes import code_derive
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.registers import registers
from simulators.phone.caller import PhoneCall, Speaker, scripted

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

AMIR = "195901022995"  # a pensioner
KARIN = "196201082697"  # a saver, 64
START = "/talsvar/v1/start"


def code_of(number: str) -> str:
    return code_derive(number, "statement-2025")


def call(client: httpx.Client, keys: list[str]) -> list[str]:
    heard: list[str] = []
    phone = PhoneCall(client, START, settings.TALSVAR_PLATFORM_TOKEN, scripted(keys), Speaker(out=heard.append))
    return phone.run()


def kronor(amount: Decimal) -> str:
    return f"{int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))} kronor"


def said_nothing_personal(transcript: list[str], number: str) -> None:
    text = " ".join(transcript)
    assert number not in text
    assert number[2:] not in text
    assert "Sundsvall" not in text  # the demo persons' city


def test_a_pensioner_hears_the_next_payment_the_register_has(portal_http: httpx.Client) -> None:
    transcript = call(portal_http, ["1", AMIR, code_of(AMIR), "1", "0"])
    snapshot = registers().person_snapshot(citizen_principal(f"se:{AMIR}"), PersonalNumber(AMIR))
    upcoming = min((p for p in snapshot.payments if not p.paid), key=lambda p: p.payment_date)
    answer = next(line for line in transcript if line.startswith("Din nästa utbetalning"))
    assert kronor(upcoming.net) in answer
    assert str(upcoming.payment_date.day) in answer
    assert str(upcoming.payment_date.year) in answer
    assert transcript[-1] == "Tack för att du ringde. Hej då."
    said_nothing_personal(transcript, AMIR)


def test_a_saver_hears_the_statement_total_the_overview_shows_in_english(
    portal_http: httpx.Client, client: Client
) -> None:
    transcript = call(portal_http, ["9", KARIN, code_of(KARIN), "3", "0"])
    answer = next(line for line in transcript if line.startswith("Your pension statement"))
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    overview = client.get("/mina-sidor/").content.decode()
    snapshot = registers().person_snapshot(citizen_principal(f"se:{KARIN}"), PersonalNumber(KARIN))
    statement = snapshot.latest_statement
    assert statement is not None
    total = sum(int(a.closing_value.quantize(Decimal(1), rounding=ROUND_HALF_UP)) for a in statement.accounts)
    assert f"{total} kronor" in answer
    shown = re.search(r'data-amount="total"><strong>([^<]+)</strong>', overview)
    assert shown is not None
    assert int(re.sub(r"\D", "", shown.group(1))) == total  # the overview shows the same total
    assert "Key in your personal identity number" in " ".join(transcript)
    said_nothing_personal(transcript, KARIN)


def test_each_answer_says_only_its_question(portal_http: httpx.Client) -> None:
    transcript = call(portal_http, ["1", AMIR, code_of(AMIR), "2", "0"])
    answers = [line for line in transcript if "kronor" in line]
    assert len(answers) == 1
    assert answers[0].startswith("Din senaste utbetalning")


def test_wrong_codes_lock_the_code_and_the_citizen_sees_every_attempt(
    portal_http: httpx.Client, client: Client
) -> None:
    wrong = f"{(int(code_of(KARIN)) + 1) % 10**8:08d}"
    transcript = call(portal_http, ["1", KARIN, wrong, KARIN, wrong, KARIN, wrong])
    assert "Din personliga kod är spärrad efter för många felaktiga försök." in transcript
    again = call(portal_http, ["1", KARIN, code_of(KARIN)])  # the right code no longer helps
    assert "Din personliga kod är spärrad efter för många felaktiga försök." in again
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    page = client.get("/mina-sidor/vem-har-sett-mina-uppgifter/").content.decode()
    # Identical entries within a minute are one line that says how many times (the access log's rule).
    for what, times in (("koden var fel", 2), ("koden är spärrad", 2)):
        line = re.search(rf"per telefon: {what}( <span[^>]*data-times=\"(\d+)\")?", page)
        assert line is not None, what
        assert int(line.group(2) or 1) == times, what


def test_nothing_is_said_before_identification(portal_http: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {settings.TALSVAR_PLATFORM_TOKEN}"}
    start = portal_http.get(START, headers=headers).text
    call_id = re.search(r"call=([A-Za-z0-9_\-]+)", start)
    assert call_id is not None
    for path in (
        "/talsvar/v1/menu",
        "/talsvar/v1/answer/next-payment",
        "/talsvar/v1/answer/statement-total",
        "/talsvar/v1/forms",
        "/talsvar/v1/forms/housing_supplement",
    ):
        response = portal_http.get(path, params={"call": call_id.group(1)}, headers=headers)
        assert response.status_code == 403
        assert "kronor" not in response.text
        assert "blankett" not in response.text.lower()
    assert not FormOrder.objects.exists()
    assert portal_http.get(START).status_code == 401
    assert portal_http.get(START, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_a_caller_orders_a_form_the_back_office_keeps_and_prints(portal_http: httpx.Client, client: Client) -> None:
    transcript = call(portal_http, ["1", KARIN, code_of(KARIN), "6", "2", "0"])
    listing = next(line for line in transcript if line.startswith("Vilken blankett"))
    assert "För Ansökan om bostadstillägg, tryck 2." in listing
    assert "tryck stjärna" in listing
    answer = "Blanketten Ansökan om bostadstillägg skickas till din registrerade adress inom några dagar."
    assert answer in transcript
    said_nothing_personal(transcript, KARIN)
    (order,) = FormOrder.objects.filter(person__personal_number=KARIN)
    assert (order.form_code, order.channel, order.state) == ("housing_supplement", "phone", "waiting")
    (path,) = printing.form_letters_print()
    letters = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()][1:-1]
    (letter,) = [letter for letter in letters if letter["personal_number"] == KARIN]
    assert [form["code"] for form in letter["forms"]] == ["housing_supplement"]
    assert letter["address"]["street"]  # the registered address, in the letter only
    order.refresh_from_db()
    assert order.state == "printed"
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    page = client.get("/mina-sidor/vem-har-sett-mina-uppgifter/").content.decode()
    assert "Beställde blanketten ”Ansökan om bostadstillägg” per telefon" in page


def test_a_form_ordered_twice_in_english_is_ordered_once(portal_http: httpx.Client) -> None:
    transcript = call(portal_http, ["9", KARIN, code_of(KARIN), "6", "4", "6", "4", "6", "*", "0"])
    assert "The form Power of attorney will be sent to your registered address within a few days." in transcript
    assert "You have already ordered the form Power of attorney. It comes by post within a few days." in transcript
    assert FormOrder.objects.filter(person__personal_number=KARIN).count() == 1
    assert transcript[-1] == "Thank you for calling. Goodbye."


def test_the_keyed_codes_are_in_no_log_line_and_no_table(
    portal_http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    right, wrong = code_of(AMIR), f"{(int(code_of(AMIR)) + 1) % 10**8:08d}"
    call(portal_http, ["1", AMIR, wrong, AMIR, right, "6", "1", "0"])
    assert right not in caplog.text
    assert wrong not in caplog.text
    assert AMIR not in caplog.text
    searched = set()
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        rows = repr(list(model._default_manager.using(router.db_for_read(model)).values_list()))
        searched.add(model.__name__)
        assert right not in rows, model.__name__
        assert wrong not in rows, model.__name__
    assert {"AccessRecord", "RegisterAccessRecord", "PersonalCode", "FormOrder"} <= searched
