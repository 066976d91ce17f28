"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

A personal identity number is a birth date, a three-digit birth number and a Luhn check digit
(folkbokföringslagen 18 §). A coordination number has the same shape with 60 added to the day of
birth. We keep every number in the 12-digit canonical form ``YYYYMMDDNNNC``; the 10-digit forms
(``YYMMDD-NNNC``, and ``YYMMDD+NNNC`` for people aged 100 or more) are parsed against a reference
date, because the century follows from the separator and that date.

A personal number is personal data: it never goes into a URL or a log line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

_COORDINATION_DAY_OFFSET = 60
_FORM = re.compile(r"^(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$")


class PersonalNumberError(ValueError):
    """The text is not a valid Swedish personal identity or coordination number."""


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for ``digits`` (the nine digits YYMMDDNNN)."""
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


@dataclasses.dataclass(frozen=True, slots=True)
class PersonalNumber:
    """A validated personal identity number or coordination number in canonical 12-digit form."""

    value: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d{12}", self.value):
            raise PersonalNumberError("A canonical personal number has exactly 12 digits")
        _birth_date_of(self.value)
        if luhn_check_digit(self.value[2:11]) != int(self.value[11]):
            raise PersonalNumberError("The check digit does not match")

    @classmethod
    def parse(cls, text: str, *, today: dt.date) -> PersonalNumber:
        """Parse the forms people write: 12 or 10 digits, with or without ``-``, ``+`` for 100+.

        ``today`` decides the century of a 10-digit form: the most recent century in which the
        person would be under 100 (or, with ``+``, at least 100).
        """
        match = _FORM.fullmatch(text.strip().replace(" ", ""))
        if match is None:
            raise PersonalNumberError("Write the number as YYYYMMDD-NNNN or YYMMDD-NNNN")
        century, yymmdd, sep = match["century"], match["yymmdd"], match["sep"]
        rest = yymmdd + match["serial"] + match["check"]
        if century is not None:
            if sep == "+":
                raise PersonalNumberError("A 12-digit number has no plus sign")
            return cls(century + rest)
        return cls(_infer_century(yymmdd, plus=sep == "+", today=today) + rest)

    @property
    def is_coordination_number(self) -> bool:
        """True for a samordningsnummer (day of birth + 60)."""
        return int(self.value[6:8]) > _COORDINATION_DAY_OFFSET

    @property
    def birth_date(self) -> dt.date:
        """The date of birth the number encodes (for coordination numbers, with 60 taken off the day)."""
        return _birth_date_of(self.value)

    def formatted(self) -> str:
        """The form shown to the person it belongs to: ``YYYYMMDD-NNNN``."""
        return f"{self.value[:8]}-{self.value[8:]}"

    def masked(self) -> str:
        """A form safe to show on a shared screen: ``YYYYMMDD-****``."""
        return f"{self.value[:8]}-****"

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"PersonalNumber({self.masked()!r})"


def _birth_date_of(value: str) -> dt.date:
    day = int(value[6:8])
    if day > _COORDINATION_DAY_OFFSET:
        day -= _COORDINATION_DAY_OFFSET
    try:
        return dt.date(int(value[:4]), int(value[4:6]), day)
    except ValueError as error:
        raise PersonalNumberError("The number does not hold a real date of birth") from error


def _infer_century(yymmdd: str, *, plus: bool, today: dt.date) -> str:
    yy = int(yymmdd[:2])
    year = today.year - (today.year - yy) % 100
    if plus:
        year -= 100
    candidate_month_day = (int(yymmdd[2:4]), int(yymmdd[4:6]) % _COORDINATION_DAY_OFFSET or 1)
    if (year, *candidate_month_day) > (today.year, today.month, today.day):
        year -= 100
    return f"{year // 100:02d}"
