"""Requirement (issue 20, decision 0140): the personal code through the doorway, the same by both
implementations — a code checked right, wrong, and locked after the limit; a new code ordered voids the old
and is not issued twice while on its way; an unknown person's code is just wrong; the back office records
each call with the principal it was made for.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from backoffice.personal_codes import printing
from backoffice.personal_codes.codes import code_derive
from backoffice.register.models import RegisterAccessRecord
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.audit.types import Principal, PrincipalKind
from minasidor.registers.types import PersonalCodeCheck, PersonNotFoundError, Registers

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_register")]

KARIN = PersonalNumber("196201082697")
UNKNOWN = PersonalNumber("189001019802")
PHONE = Principal(PrincipalKind.SYSTEM, "talsvar")
STATEMENT_YEAR = 2025


def karins_code() -> str:
    return code_derive(KARIN.value, f"statement-{STATEMENT_YEAR}")


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**8:08d}"


def test_the_right_code_is_accepted_and_each_check_recorded(registers: Registers) -> None:
    assert registers.personal_code_check(PHONE, KARIN, karins_code()) == PersonalCodeCheck.ACCEPTED
    assert registers.personal_code_check(PHONE, KARIN, wrong(karins_code())) == PersonalCodeCheck.WRONG
    records = RegisterAccessRecord.objects.filter(personal_number=KARIN.value, action="personal_code.checked")
    assert list(records.values_list("principal_kind", "principal_ref")) == [("system", "talsvar")] * 2


def test_wrong_codes_in_a_row_lock_the_code(registers: Registers) -> None:
    limit = settings.PERSONAL_CODE_MAX_ATTEMPTS
    answers = [registers.personal_code_check(PHONE, KARIN, wrong(karins_code())) for _ in range(limit)]
    assert answers == [PersonalCodeCheck.WRONG] * (limit - 1) + [PersonalCodeCheck.LOCKED]
    assert registers.personal_code_check(PHONE, KARIN, karins_code()) == PersonalCodeCheck.LOCKED


def test_an_unknown_person_or_a_malformed_code_is_just_wrong(registers: Registers) -> None:
    assert registers.personal_code_check(PHONE, UNKNOWN, "12345678") == PersonalCodeCheck.WRONG
    assert registers.personal_code_check(PHONE, KARIN, "x") == PersonalCodeCheck.WRONG


def test_an_ordered_code_voids_the_old_and_comes_by_post(registers: Registers) -> None:
    citizen = citizen_principal(f"se:{KARIN.value}")
    assert registers.personal_code_order(citizen, KARIN) is True
    assert registers.personal_code_order(citizen, KARIN) is False  # one on its way: not issued twice
    assert registers.personal_code_check(PHONE, KARIN, karins_code()) == PersonalCodeCheck.WRONG
    path = printing.code_letters_print()
    assert path is not None
    letter = path.read_text(encoding="utf-8").splitlines()[1]
    new_code = letter.split('"personal_code": "')[1][:8]
    assert registers.personal_code_check(PHONE, KARIN, new_code) == PersonalCodeCheck.ACCEPTED
    ordered = RegisterAccessRecord.objects.filter(personal_number=KARIN.value, action="personal_code.ordered")
    assert set(ordered.values_list("principal_kind", flat=True)) == {"citizen"}
    assert ordered.count() == 2


def test_ordering_for_an_unknown_person_is_refused(registers: Registers) -> None:
    with pytest.raises(PersonNotFoundError):
        registers.personal_code_order(PHONE, UNKNOWN)
