"""Requirement (issue 20.2, decision 0170): the console identifies a caller by personal number + personal code,
checked through the registers doorway with the telephone service's count and lock; a right code gives the fixed
view (overview and cases, 15 minutes) held by the agent, a wrong one nothing; every attempt is in the
citizen's "who has seen my data" with the agent; attempts are limited per agent and per caller; the code is
never logged."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.conf import settings
from django.test import Client

from backoffice.personal_codes.codes import code_derive
from backoffice.register.models import RegisterAccessRecord
from kernel import clock
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.console import services
from minasidor.console.tests.support import agent_log_in
from minasidor.temporary_access.models import TemporaryPermission

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

JOHAN = "198501139995"  # a saver with a statement and a code of the 2025 statement run (demo person)
KARIN = "196201082697"
URL = "/kundservice/identifiera/personlig-kod/"


def code_of(number: str) -> str:
    return code_derive(number, "statement-2025")


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**8:08d}"


def records(number: str) -> list[tuple[str, str, str]]:
    found = AccessRecord.objects.filter(subject_ref=pseudonym_for(f"se:{number}")).order_by("id")
    return list(found.values_list("action", "principal_ref", "purpose"))


def test_the_page_asks_for_number_and_code_in_swedish(client: Client) -> None:
    agent_log_in(client)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="sv"' in html
    assert "Identifiera den som ringer med personlig kod" in html
    assert 'name="personal_code"' in html
    assert page["Cache-Control"] == "no-store"
    assert URL in client.get("/kundservice/").content.decode()  # the console's start page leads here


def test_a_right_code_gives_the_agent_the_fixed_view_of_the_call(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    agent_log_in(client)
    caplog.set_level(logging.DEBUG)
    response = client.post(URL, {"personal_number": "19850113-9995", "personal_code": code_of(JOHAN)})
    assert response.status_code == 302
    permission = TemporaryPermission.objects.get()
    assert response["Location"] == f"/kundservice/behorighet/{permission.reference}/"
    assert permission.scope_list == ("cases", "overview")
    assert permission.expires_at - permission.granted_at == dt.timedelta(minutes=15)
    assert (permission.agent_ref, permission.agent_name) == ("K1001", "Kim Kundberg")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Johan" in page.content.decode()
    assert client.get(f"/kundservice/behorighet/{permission.reference}/arenden/").status_code == 200
    assert client.get(f"/kundservice/behorighet/{permission.reference}/prognos/").status_code == 404
    assert records(JOHAN)[:2] == [
        ("temporary_access.given_by_personal_code", "K1001", "customer_service"),
        ("console.overview_viewed", "K1001", "customer_service"),
    ]
    checked = RegisterAccessRecord.objects.filter(personal_number=JOHAN, action="personal_code.checked")
    assert list(checked.values_list("principal_kind", "principal_ref")) == [("agent", "K1001")]
    assert code_of(JOHAN) not in caplog.text
    assert JOHAN not in caplog.text


def test_another_agent_sees_nothing_through_it(client: Client) -> None:
    agent_log_in(client)
    response = client.post(URL, {"personal_number": JOHAN, "personal_code": code_of(JOHAN)})
    agent_log_in(client, staff_number="K2002", name="Sam Svarsson")
    assert client.get(response["Location"]).status_code == 404


def test_wrong_codes_give_nothing_and_lock_the_code_as_the_phone_service_does(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    agent_log_in(client)
    caplog.set_level(logging.DEBUG)
    limit = settings.PERSONAL_CODE_MAX_ATTEMPTS
    for _attempt in range(limit - 1):
        page = client.post(URL, {"personal_number": JOHAN, "personal_code": wrong(code_of(JOHAN))})
        assert page.status_code == 200
        html = page.content.decode()
        assert "stämmer inte" in html
        assert "Johan" not in html
    page = client.post(URL, {"personal_number": JOHAN, "personal_code": wrong(code_of(JOHAN))})
    assert "låst" in page.content.decode()
    # even the right code is now refused: the caller must order a new one
    page = client.post(URL, {"personal_number": JOHAN, "personal_code": code_of(JOHAN)})
    assert page.status_code == 200
    assert "låst" in page.content.decode()
    assert not TemporaryPermission.objects.exists()
    assert (
        records(JOHAN)
        == [("console.personal_code_wrong", "K1001", "customer_service")] * (limit - 1)
        + [("console.personal_code_locked", "K1001", "customer_service")] * 2
    )
    assert wrong(code_of(JOHAN)) not in caplog.text


def test_the_citizen_sees_the_attempts_in_who_has_seen_my_data(client: Client) -> None:
    from minasidor.identity.tests.factories import log_in, make_identity  # noqa: PLC0415

    agent = Client()
    agent_log_in(agent)
    agent.post(URL, {"personal_number": JOHAN, "personal_code": wrong(code_of(JOHAN))})
    log_in(client, make_identity(JOHAN, given_name="Johan", family_name="Sund"))
    html = client.get("/mina-sidor/vem-har-sett-mina-uppgifter/").content.decode()
    assert "personlig kod" in html
    assert "K1001" in html


def test_an_unknown_person_gets_the_same_answer_as_a_wrong_code(client: Client) -> None:
    agent_log_in(client)
    unknown = client.post(URL, {"personal_number": "189001019802", "personal_code": "12345678"}).content.decode()
    assert "stämmer inte" in unknown
    assert not TemporaryPermission.objects.exists()


def test_bad_input_is_told_politely_and_kept(client: Client) -> None:
    agent_log_in(client)
    page = client.post(URL, {"personal_number": "19850113-0000", "personal_code": ""})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Skriv ett giltigt personnummer" in html
    assert "Ange den personliga kod som den som ringer läser upp" in html
    assert 'value="19850113-0000"' in html
    assert not RegisterAccessRecord.objects.filter(action="personal_code.checked").exists()


def test_an_agent_trying_many_callers_is_limited(client: Client, frozen_clock: clock.FrozenClock) -> None:
    agent_log_in(client)
    numbers = [JOHAN, KARIN, "198501139995"]
    for attempt in range(services.AGENT_CODE_LIMIT):
        number = numbers[attempt % 2]
        client.post(URL, {"personal_number": number, "personal_code": "00000000"})
    checked = RegisterAccessRecord.objects.filter(action="personal_code.checked").count()
    page = client.post(URL, {"personal_number": numbers[2], "personal_code": code_of(JOHAN)})
    assert "För många koder" in page.content.decode()
    assert RegisterAccessRecord.objects.filter(action="personal_code.checked").count() == checked
    assert not TemporaryPermission.objects.exists()
    frozen_clock.advance(dt.timedelta(seconds=services.AGENT_CODE_WINDOW_SECONDS))
    agent_log_in(client)  # the console session's idle limit passed too
    assert client.post(URL, {"personal_number": JOHAN, "personal_code": code_of(JOHAN)}).status_code in (200, 302)


def test_many_agents_trying_one_caller_are_limited(client: Client) -> None:
    for attempt in range(services.CALLER_CODE_LIMIT):
        agent_log_in(client, staff_number=f"K3{attempt:03d}", name="Agent")
        client.post(URL, {"personal_number": KARIN, "personal_code": "00000000"})
    agent_log_in(client, staff_number="K4000", name="Agent")
    page = client.post(URL, {"personal_number": KARIN, "personal_code": code_of(KARIN)})
    assert "För många koder" in page.content.decode()
    assert not TemporaryPermission.objects.exists()


def test_without_the_console_login_the_page_is_not_there(client: Client) -> None:
    response = client.post(URL, {"personal_number": JOHAN, "personal_code": code_of(JOHAN)})
    assert response["Location"] == "/kundservice/logga-in/"
    assert not RegisterAccessRecord.objects.filter(action="personal_code.checked").exists()
