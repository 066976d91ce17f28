"""Requirement (issue 18.5, 16.6): a case handler — a staff member logged in with password and TOTP code —
works the queue of open cases by type and age, opens a case with its history, messages, documents and
signature evidence, and takes it up, answers, asks for a completion, decides or closes it; each action is
made in the handler's name, and the citizen's "who has seen my data" shows the handler's reads.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.test import Client

from kernel import clock, totp
from kernel.personal_number import PersonalNumber
from kernel.tests.sample_files import pdf_bytes
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import citizen_principal, pseudonym_for
from minasidor.audit.types import Principal, PrincipalKind, Purpose
from minasidor.casehandling.decorators import CASE_HANDLERS_GROUP, handler_principal
from minasidor.casehandling.selectors import CASE_READ
from minasidor.cases.tests.factories import question_open
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.registers import registers
from minasidor.registers.tests.test_contract import karins_application, signed
from minasidor.registers.tests.test_on_behalf_contract import on_behalf_submission
from minasidor.registers.types import CaseStatus, Upload
from minasidor.staff.models import StaffTotpDevice
from minasidor.staff.services import totp_device_create

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

PASSWORD = "a-test-only-password-for-a-handler-1"  # test-only
STAFF = "/" + settings.STAFF_ADMIN_PATH
QUEUE = f"{STAFF}arenden/"
KARIN = PersonalNumber("196201082697")


def _handler(username: str = "handlaggare1", *, in_group: bool = True) -> User:
    user: User = get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True)
    if in_group:
        user.groups.add(Group.objects.get_or_create(name=CASE_HANDLERS_GROUP)[0])
    return user


def _logged_in(user: User) -> Client:
    """A client logged in through the staff login itself: password and the authenticator's code."""
    totp_device_create(user=user)
    device = StaffTotpDevice.objects.get(user=user)
    code = totp.totp(totp.key_from(device.secret), clock.now())
    client = Client()
    response = client.post(f"{STAFF}login/", {"username": user.username, "password": PASSWORD, "otp": code})
    assert response.status_code == 302, "the staff login lets the handler in"
    return client


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _karin() -> Any:
    return make_identity(KARIN.value, given_name="Karin", family_name="Test")


def _act(client: Client, case_id: Any, action: str, **fields: str) -> Any:
    data = {f"{action}-{name}": value for name, value in fields.items()} | {"action": action}
    return client.post(f"{QUEUE}{case_id}/", data)


def test_nobody_but_a_logged_in_case_handler_gets_in() -> None:
    assert Client().get(QUEUE)["Location"].startswith(f"{STAFF}login/?next=")
    citizen = Client()
    log_in(citizen, _karin())
    assert citizen.get(QUEUE)["Location"].startswith(f"{STAFF}login/"), "a citizen's session is no staff login"
    other_staff = Client()
    other_staff.force_login(_handler("kundtjanst", in_group=False))
    assert other_staff.get(QUEUE).status_code == 403


def test_the_queue_shows_open_cases_by_type_and_age(frozen_clock: clock.FrozenClock) -> None:
    question = question_open(_karin(), subject="Skatt")
    frozen_clock.advance(dt.timedelta(days=3))
    application = registers().case_submit(_karin().principal, KARIN, signed(karins_application()))
    closed = question_open(_karin(), subject="Gammal")
    client = _logged_in(_handler())
    registers().case_close(
        handler_principal(_handler("x2")),
        closed.case_id,
        "Klar.",
    )
    page = _text(client.get(QUEUE))
    assert "Ärendekö" in page
    assert page.index(str(question.case_id)) < page.index(str(application.case_id))
    assert str(closed.case_id) not in page, "only open cases"
    row = page.split(f'data-case="{question.case_id}"')[1].split("</tr>")[0]
    assert ">3<" in row, "the question is three days old"
    only_questions = _text(client.get(f"{QUEUE}?typ=general_question"))
    assert str(question.case_id) in only_questions
    assert str(application.case_id) not in only_questions


def test_a_handler_works_a_question_to_the_end_and_each_step_names_the_handler(
    frozen_clock: clock.FrozenClock,
) -> None:
    karin = _karin()
    question = question_open(karin, text="<b>Hej</b>", attachments=(Upload("intyg.pdf", pdf_bytes()),))
    client = _logged_in(_handler())
    url = f"{QUEUE}{question.case_id}/"
    page = _text(client.get(url))
    assert "Karin" in page
    assert KARIN.value in page
    assert "&lt;b&gt;Hej&lt;/b&gt;" in page
    link = re.search(rf'href="({url}filer/[^"]+/)"', page)
    assert link is not None
    assert client.get(link.group(1)).content == pdf_bytes()
    assert _act(client, question.case_id, "take_up").status_code == 302
    assert _act(client, question.case_id, "answer", text="Vi tittar på det.").status_code == 302
    due = (clock.today() + dt.timedelta(days=10)).isoformat()
    assert _act(client, question.case_id, "completion", text="Skicka kontoutdrag.", due=due).status_code == 302
    detail = registers().case(karin.principal, KARIN, question.case_id)
    assert detail.summary.status == CaseStatus.AWAITING_COMPLETION
    assert detail.summary.completion_due == dt.date.fromisoformat(due)
    registers().case_completion_answer(karin.principal, KARIN, question.case_id, "Här.")
    assert _act(client, question.case_id, "close", text="Besvarad.").status_code == 302
    handled = registers().case_for_handler(
        handler_principal(_handler("x3")),
        question.case_id,
    )
    assert handled.detail.summary.status == CaseStatus.CLOSED
    by_handler = {e.actor_ref for e in handled.detail.history if e.actor_kind == "handler"}
    assert by_handler == {"staff:handlaggare1"}, "every step names the handler who took it"
    assert "Stäng ärendet" not in _text(client.get(url)), "an ended case offers no actions"


def test_a_completion_day_in_the_past_is_refused_at_its_field(frozen_clock: clock.FrozenClock) -> None:
    question = question_open(_karin())
    client = _logged_in(_handler())
    response = _act(client, question.case_id, "completion", text="Skicka.", due="2020-01-01")
    assert response.status_code == 200
    assert "Sista dagen måste vara efter i dag" in _text(response)


def test_an_application_shows_what_was_signed_and_is_granted(frozen_clock: clock.FrozenClock) -> None:
    karin = _karin()
    application = registers().case_submit(karin.principal, KARIN, signed(karins_application()))
    client = _logged_in(_handler())
    page = _text(client.get(f"{QUEUE}{application.case_id}/"))
    assert "Du ansöker om allmän ålderspension." in page
    assert 'id="evidence-method"' in page
    assert "BankID" in page
    assert _act(client, application.case_id, "decide", outcome="rejected", text="").status_code == 200, (
        "a rejection needs its reasons"
    )
    assert _act(client, application.case_id, "decide", outcome="granted", text="").status_code == 302
    assert registers().case(karin.principal, KARIN, application.case_id).summary.status == CaseStatus.DECIDED


def test_the_citizen_sees_the_handlers_read_in_who_has_seen_my_data(frozen_clock: clock.FrozenClock) -> None:
    karin = _karin()
    question = question_open(karin)
    _logged_in(_handler()).get(f"{QUEUE}{question.case_id}/")
    record = AccessRecord.objects.get(action=CASE_READ.name)
    assert (record.principal_kind, record.principal_ref, record.purpose) == (
        PrincipalKind.HANDLER,
        "staff:handlaggare1",
        Purpose.CASE_HANDLING,
    )
    assert record.subject_ref == pseudonym_for(f"se:{KARIN.value}")
    citizen = Client()
    log_in(citizen, karin)
    page = _text(citizen.get("/mina-sidor/vem-har-sett-mina-uppgifter/"))
    assert "Handläggare på myndigheten" in page
    assert "En handläggare läste ditt ärende" in page


def test_another_case_id_is_not_found() -> None:
    client = _logged_in(_handler())
    assert client.get(f"{QUEUE}00000000-0000-0000-0000-000000000001/").status_code == 404


def test_a_call_noted_by_customer_service_is_in_the_handlers_history() -> None:
    """Issue 19: the agent's note of a call is a case event the handler sees, with the agent's staff number."""
    case = question_open(_karin())
    registers().case_call_note(Principal(PrincipalKind.AGENT, "K1001"), KARIN, case.case_id, "Ringde om intyget.")
    page = _text(_logged_in(_handler()).get(f"{QUEUE}{case.case_id}/"))
    assert "Telefonsamtal med kundservice" in page
    assert "Ringde om intyget." in page
    assert "K1001" in page


def test_the_handler_sees_that_a_delegate_signed_under_which_power() -> None:
    """Decision 0216: an application a delegate signed shows the handler who signed, under which power of
    attorney, what it covered and when it was in force, as the back office checked it."""
    summary = registers().case_submit(citizen_principal(f"se:{KARIN.value}"), KARIN, on_behalf_submission())
    page = _text(_logged_in(_handler()).get(f"{QUEUE}{summary.case_id}/"))
    assert "Underskriven med fullmakt" in page
    assert "Av Sara Nilsson (199101012384) för personen, med fullmakt" in page
    assert (
        "(gäller se pensionen och pensionsbeskeden, ansöka om pension för personens räkning, "
        "från 2026-06-01 till 2027-06-01)"
    ) in page, "the power's scopes in the handler's words, not as codes"
