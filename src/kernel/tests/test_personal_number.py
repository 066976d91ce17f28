"""Requirement: personal and coordination numbers are validated, parsed in common forms, never shown by accident."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.personal_number import PersonalNumber, PersonalNumberError, luhn_check_digit

TODAY = dt.date(2026, 11, 28)


def test_known_test_identity_is_valid() -> None:
    number = PersonalNumber("191212121212")
    assert number.birth_date == dt.date(1912, 12, 12)
    assert not number.is_coordination_number


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("19121212-1212", "191212121212"),
        ("121212+1212", "191212121212"),
        ("121212-1212", "201212121212"),
        (" 201212121212 ", "201212121212"),
    ],
)
def test_parse_forms(text: str, canonical: str) -> None:
    assert PersonalNumber.parse(text, today=TODAY).value == canonical


def test_coordination_number_has_day_plus_sixty() -> None:
    serial = "701063" + "123"
    number = PersonalNumber("19" + serial + str(luhn_check_digit(serial)))
    assert number.is_coordination_number
    assert number.birth_date == dt.date(1970, 10, 3)


@pytest.mark.parametrize("text", ["191212121213", "19121312-1212", "abc", "1912121212", "19121212+1212", ""])
def test_invalid_numbers_are_refused(text: str) -> None:
    with pytest.raises(PersonalNumberError):
        PersonalNumber.parse(text, today=TODAY)


def test_string_form_is_masked() -> None:
    number = PersonalNumber("191212121212")
    assert "1212" not in str(number)[9:]
    assert str(number) == "19121212-****"
    assert "121212121212" not in repr(number)
    assert number.formatted() == "19121212-1212"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 11, 28)), st.integers(0, 999))
def test_every_generated_number_round_trips(birth: dt.date, serial: int) -> None:
    nine = birth.strftime("%y%m%d") + f"{serial:03d}"
    canonical = birth.strftime("%Y") + nine[2:] + str(luhn_check_digit(nine))
    assert PersonalNumber(canonical).birth_date == birth
    ten = f"{nine}{luhn_check_digit(nine)}"
    separator = "+" if (TODAY.year - birth.year) >= 100 and birth.replace(year=birth.year + 100) <= TODAY else "-"
    assert PersonalNumber.parse(f"{ten[:6]}{separator}{ten[6:]}", today=TODAY).value == canonical
