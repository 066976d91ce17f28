"""Requirement (issue 20.1): a personal code per person with each statement run, in the run's print file and
kept only as an Argon2id hash; a killed run neither loses a code nor issues one twice; a code ordered by the
person voids the old one and goes into the next print file; wrong codes in a row lock the code; every check
is recorded; the clear code is in no database table and no log line (docs/decisions/0140).
"""

from __future__ import annotations

import errno
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import router
from django.db.models import Count

from backoffice.personal_codes import printing, services
from backoffice.personal_codes.codes import code_derive, code_matches
from backoffice.personal_codes.models import PersonalCode
from backoffice.personal_codes.services import CheckOutcome, personal_code_check, personal_code_order
from backoffice.register.access import Caller
from backoffice.register.models import AccountStatement, Person, RegisterAccessRecord
from backoffice.statements.run import run_statements
from backoffice.synthetic.demo import demo_persons_create
from backoffice.synthetic.seed import population_seed

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])
YEAR = 2025
PHONE = Caller(service="talsvar", channel="in_process", principal_kind="system", principal_ref="talsvar")
PORTAL = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="pseudonym-1")


class KilledError(Exception):
    """Stands in for the process being killed."""


def read_print_file(path: Path) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["record"] == "header"
    assert lines[0]["format"] == "minasidor-print-file"
    assert lines[-1] == {"record": "trailer", "letters": len(lines) - 2}
    return lines[1:-1]


def in_force(person: Person) -> PersonalCode:
    return PersonalCode.objects.get(person=person, voided_at=None)


def test_the_run_gives_every_stated_person_one_code_in_its_print_file() -> None:
    population_seed(120, 5)
    run_statements(YEAR, partition_size=50)
    stated = set(AccountStatement.objects.filter(year=YEAR).values_list("person_id", flat=True))
    assert len(stated) > 20
    codes = PersonalCode.objects.filter(issue=f"statement-{YEAR}")
    assert set(codes.values_list("person_id", flat=True)) == stated
    assert not codes.values("person").annotate(n=Count("id")).filter(n__gt=1).exists()
    letters = read_print_file(Path(settings.PRINT_DIR) / f"statements-{YEAR}.jsonl")
    assert len(letters) == len(stated)
    by_number = {code.person.personal_number: code for code in codes.select_related("person")}
    for letter in letters:
        code = by_number[letter["personal_number"]]
        assert code.code_hash.startswith("$argon2id$")
        assert code_matches(code.code_hash, letter["personal_code"])
        assert PersonalCode.objects.get(id=code.id).print_file == f"statements-{YEAR}.jsonl"
        closing = AccountStatement.objects.filter(person=code.person, year=YEAR).values_list("closing_value", flat=True)
        assert letter["total"] == f"{sum(closing):.2f}"


def test_a_run_killed_while_issuing_codes_resumes_without_a_second_or_a_lost_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    population_seed(150, 7)
    monkeypatch.setattr(services, "ISSUE_BATCH", 20)
    batches: list[int] = []

    def die_after_the_second_batch(issued: int) -> None:
        batches.append(issued)
        if len(batches) == 2:
            raise KilledError

    monkeypatch.setattr(services, "after_codes_batch", die_after_the_second_batch)
    with pytest.raises(KilledError):
        run_statements(YEAR)
    first = dict(PersonalCode.objects.values_list("person_id", "code_hash"))
    assert len(first) == 40
    monkeypatch.setattr(services, "after_codes_batch", lambda issued: None)
    run_statements(YEAR)
    stated = set(AccountStatement.objects.filter(year=YEAR).values_list("person_id", flat=True))
    assert PersonalCode.objects.count() == len(stated)
    after = dict(PersonalCode.objects.values_list("person_id", "code_hash"))
    assert all(after[person_id] == code_hash for person_id, code_hash in first.items())  # kept, not issued again
    letters = read_print_file(Path(settings.PRINT_DIR) / f"statements-{YEAR}.jsonl")
    numbers = dict(Person.objects.values_list("personal_number", "id"))
    assert len(letters) == len(stated)
    for letter in letters:
        assert code_matches(after[numbers[letter["personal_number"]]], letter["personal_code"])


def test_writing_the_print_file_again_gives_the_same_codes() -> None:
    demo_persons_create()
    first = read_print_file(printing.statement_print_file_write(YEAR))
    again = read_print_file(printing.statement_print_file_write(YEAR))
    assert [letter["personal_code"] for letter in first] == [letter["personal_code"] for letter in again]
    assert all(letter["personal_code"] for letter in first)


def test_a_protected_identity_has_no_address_in_the_print_file() -> None:
    demo_persons_create()
    Person.objects.filter(personal_number="196201082697").update(protected_identity=True)
    letters = {
        letter["personal_number"]: letter for letter in read_print_file(printing.statement_print_file_write(YEAR))
    }
    assert letters["196201082697"]["address"] is None
    assert letters["196201082697"]["forward_through_tax_agency"] is True
    assert letters["198501139995"]["address"]["street"]
    assert letters["195801082743"]["address"]["city"] == "Marbella"  # the special postal address


def test_an_ordered_code_voids_the_old_and_goes_into_the_next_print_file() -> None:
    (person, *_) = demo_persons_create()
    old_code = code_derive(person.personal_number, f"statement-{YEAR}")
    assert personal_code_check(caller=PHONE, personal_number=person.personal_number, code=old_code) == "accepted"
    assert personal_code_order(caller=PORTAL, personal_number=person.personal_number) is True
    assert personal_code_order(caller=PORTAL, personal_number=person.personal_number) is False  # one on its way
    assert PersonalCode.objects.filter(person=person, issue__startswith="order-").count() == 1
    assert personal_code_check(caller=PHONE, personal_number=person.personal_number, code=old_code) == "wrong"
    path = printing.code_letters_print()
    assert path is not None
    (letter,) = read_print_file(path)
    assert letter["kind"] == "personal_code"
    assert letter["personal_number"] == person.personal_number
    assert personal_code_check(caller=PHONE, personal_number=person.personal_number, code=letter["personal_code"]) == (
        CheckOutcome.ACCEPTED
    )
    assert in_force(person).print_file == path.name
    assert printing.code_letters_print() is None  # nothing left to print
    assert personal_code_order(caller=PORTAL, personal_number=person.personal_number) is True  # printed: a new one


def test_wrong_codes_in_a_row_lock_the_code_and_every_attempt_is_recorded() -> None:
    (person, *_) = demo_persons_create()
    number, right = person.personal_number, code_derive(person.personal_number, f"statement-{YEAR}")
    wrong = f"{(int(right) + 1) % 10**8:08d}"
    assert personal_code_check(caller=PHONE, personal_number=number, code=wrong) == "wrong"
    assert personal_code_check(caller=PHONE, personal_number=number, code=right) == "accepted"  # resets the count
    assert in_force(person).failed_attempts == 0
    limit = settings.PERSONAL_CODE_MAX_ATTEMPTS
    outcomes = [personal_code_check(caller=PHONE, personal_number=number, code=wrong) for _ in range(limit)]
    assert outcomes == ["wrong"] * (limit - 1) + ["locked"]
    assert personal_code_check(caller=PHONE, personal_number=number, code=right) == "locked"
    assert in_force(person).locked_at is not None
    records = RegisterAccessRecord.objects.filter(personal_number=number, action="personal_code.checked")
    assert records.count() == 2 + limit + 1
    assert set(records.values_list("service", flat=True)) == {"talsvar"}
    assert personal_code_order(caller=PORTAL, personal_number=number) is True  # a new code unlocks the phone
    assert in_force(person).locked_at is None


def test_an_unknown_person_or_a_malformed_code_is_just_wrong() -> None:
    (person, *_) = demo_persons_create()
    assert personal_code_check(caller=PHONE, personal_number="190001019999", code="12345678") == "wrong"
    assert personal_code_check(caller=PHONE, personal_number=person.personal_number, code="12ab") == "wrong"
    assert in_force(person).failed_attempts == 1


def test_the_clear_code_is_in_no_table_and_no_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    (person, *_) = demo_persons_create()
    number = person.personal_number
    personal_code_order(caller=PORTAL, personal_number=number)
    path = printing.code_letters_print()
    assert path is not None
    (letter,) = read_print_file(path)
    code = letter["personal_code"]
    statement_code = code_derive(number, f"statement-{YEAR}")
    personal_code_check(caller=PHONE, personal_number=number, code=code)
    personal_code_check(caller=PHONE, personal_number=number, code=statement_code)
    found, searched = [], set()
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        rows = repr(list(model._default_manager.using(router.db_for_read(model)).values_list()))
        searched.add(model.__name__)
        found += [model.__name__ for secret in (code, statement_code) if secret in rows]
        if model is Person:
            assert number in rows  # the search does see the tables' contents
    assert {"PersonalCode", "Person", "RegisterAccessRecord", "AccessRecord"} <= searched
    assert found == []
    assert code not in caplog.text
    assert statement_code not in caplog.text


def test_a_print_file_the_disk_cannot_hold_leaves_nothing_half_written(tmp_path: Path) -> None:
    """Decision 0252: a full disk mid-file fails the run, and the partial file is removed (it would hold space
    and half a print run); the next run, with room again, writes the whole file."""
    path = tmp_path / "statements-2026.jsonl"

    def letters_until_the_disk_is_full() -> Any:
        yield {"personal_number": "191212121212"}
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        printing.print_file_write(path, "statements", {}, letters_until_the_disk_is_full())
    assert list(tmp_path.iterdir()) == []

    assert printing.print_file_write(path, "statements", {}, [{"personal_number": "191212121212"}]) == 1
    assert printing.print_file_complete(path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
