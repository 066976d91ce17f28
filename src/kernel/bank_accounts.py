"""Payment accounts (utbetalningskonto): Swedish bank accounts by the banks' published rules, and IBAN abroad.

A Swedish bank account number (bankkontonummer) is a clearing number (clearingnummer, four digits; five for
Swedbank's 8xxx-x series, whose fifth digit is a Luhn check digit of the first four) followed by an account
number (räkningsnummer). Bankgirot's "Bankernas kontonummeruppbyggnad" (the table of clearing-number series,
edition of 2024-02-22) sorts every series into two types:

- **Type 1**: seven account digits, the last a check digit by modulus 11 with the weights 1, 10, 9, …, 2, 1
  taken over the clearing number and the account number together: over the last three digits of the
  clearing number (comment 1) or all four (comment 2).
- **Type 2**: a longer account number, with its check digit by modulus 10 (Luhn) over the ten-digit
  account number (comments 1 and 3) or by modulus 11 over Handelsbanken's nine digits (comment 2). For
  comment 3 (Swedbank's 8xxx-x series, and Plusgirot's accounts in Nordea's series) the document warns
  that some genuine accounts do not satisfy the check; such a number is refused as *uncertain* until the
  person confirms it (``accept_unverifiable=True``).

Series that hold no customer accounts (Sveriges Riksbank, Bankgirot, the technical series 99xx) and the
banks that have closed their accounts (Forex Bank, MedMera Bank) are unknown here: pension cannot be paid
into them. Decision 0103 says why this module is ours and not a library's.

Accounts abroad are an IBAN, checked with ``schwifty`` (structure per country, ISO 7064 check digits, the
national check digits where schwifty knows them), with an optional BIC that must be well formed and of the
IBAN's country.

Every refusal is a :class:`BankAccountError` whose ``problem`` (:class:`BankAccountProblem`) a page turns
into a sentence in the person's language. An account number is personal data: it goes into no log line.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from typing import Literal

from schwifty import BIC, IBAN
from schwifty.exceptions import (
    InvalidBBANChecksum,
    InvalidChecksumDigits,
    InvalidCountryCode,
    InvalidLength,
    InvalidStructure,
    SchwiftyException,
)

AccountType = Literal[1, 2]
CheckRule = Literal["type1-comment1", "type1-comment2", "type2-comment1", "type2-comment2", "type2-comment3"]

_SEPARATORS = re.compile(r"[\s\-.,]")
_SWEDBANK_FIVE_DIGIT_SERIES = "8"
_TYPE1_ACCOUNT_DIGITS = 7
_PERSONAL_ACCOUNT_SERIES = ("3300", "3782")  # Nordea personkonto: the account number is the personal number


class BankAccountProblem(enum.StrEnum):
    """Why an account was refused; a page translates each into a sentence for the person."""

    CLEARING_MISSING = "clearing-missing"
    CLEARING_NOT_DIGITS = "clearing-not-digits"
    CLEARING_LENGTH = "clearing-length"  # four digits, or five for Swedbank's 8xxx-x
    CLEARING_UNKNOWN = "clearing-unknown"  # no bank with customer accounts has this clearing number
    CLEARING_CHECK_DIGIT = "clearing-check-digit"  # the fifth digit of a Swedbank 8xxx-x clearing number
    ACCOUNT_MISSING = "account-missing"
    ACCOUNT_NOT_DIGITS = "account-not-digits"
    ACCOUNT_LENGTH = "account-length"
    ACCOUNT_CHECK_DIGIT = "account-check-digit"
    ACCOUNT_CHECK_DIGIT_UNCERTAIN = "account-check-digit-uncertain"  # comment 3: ask the person to confirm
    IBAN_MISSING = "iban-missing"
    IBAN_COUNTRY = "iban-country"  # not a country that uses IBAN
    IBAN_SWEDISH = "iban-swedish"  # a Swedish IBAN: give the Swedish clearing and account number instead
    IBAN_LENGTH = "iban-length"
    IBAN_STRUCTURE = "iban-structure"
    IBAN_CHECK_DIGITS = "iban-check-digits"
    BIC_INVALID = "bic-invalid"
    BIC_COUNTRY = "bic-country"  # the BIC's country is not the IBAN's


class BankAccountError(ValueError):
    """The account was refused; ``problem`` says why."""

    def __init__(self, problem: BankAccountProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclasses.dataclass(frozen=True, slots=True)
class ClearingSeries:
    """One row of Bankgirot's table: a bank's clearing-number series and the rule of its account numbers."""

    bank_name: str
    first: int
    last: int
    account_type: AccountType
    rule: CheckRule
    account_digits: int  # the account number's length, zeros added in front up to it (type 2)
    shortest: int  # the fewest digits a person may write (type 2; zeros are added in front)


def _type1(bank: str, first: int, last: int, comment: Literal[1, 2]) -> ClearingSeries:
    rule: CheckRule = "type1-comment1" if comment == 1 else "type1-comment2"
    return ClearingSeries(bank, first, last, 1, rule, _TYPE1_ACCOUNT_DIGITS, _TYPE1_ACCOUNT_DIGITS)


_TYPE2_RULES: dict[int, CheckRule] = {1: "type2-comment1", 2: "type2-comment2", 3: "type2-comment3"}


def _type2(bank: str, first: int, last: int, comment: Literal[1, 2, 3], *, shortest: int) -> ClearingSeries:
    return ClearingSeries(bank, first, last, 2, _TYPE2_RULES[comment], 9 if comment == 2 else 10, shortest)


# Bankgirot, "Bankernas kontonummeruppbyggnad", 2024-02-22. The type 2 rows come first: Nordea's personal
# accounts (3300, 3782) sit inside ranges that are otherwise type 1.
CLEARING_SERIES: tuple[ClearingSeries, ...] = (
    _type2("Nordea", 3300, 3300, 1, shortest=10),  # personkonto
    _type2("Nordea", 3782, 3782, 1, shortest=10),  # personkonto
    _type2("Danske Bank", 9180, 9189, 1, shortest=10),
    _type2("Handelsbanken", 6000, 6999, 2, shortest=8),
    _type2("Nordea (Plusgirot)", 9500, 9549, 3, shortest=2),
    _type2("Nordea (Plusgirot)", 9960, 9969, 3, shortest=2),
    _type2("Riksgälden", 9890, 9899, 1, shortest=10),
    _type2("Sparbanken Syd", 9570, 9579, 1, shortest=10),
    _type2("Swedbank", 8000, 8999, 3, shortest=6),  # "up to ten digits"; shorter ones are written with zeros
    _type2("Swedbank", 9300, 9349, 1, shortest=10),
    _type1("Aion Bank", 9580, 9589, 1),
    _type1("Avanza Bank", 9550, 9569, 2),
    _type1("BlueStep Finans", 9680, 9689, 1),
    _type1("BNP Paribas", 9470, 9479, 2),
    _type1("Citibank", 9040, 9049, 2),
    _type1("Danske Bank", 1200, 1399, 1),
    _type1("Danske Bank", 2400, 2499, 1),
    _type1("DNB Bank", 9190, 9199, 2),
    _type1("DNB Bank", 9260, 9269, 2),
    _type1("Ekobanken", 9700, 9709, 2),
    _type1("Erik Penser", 9590, 9599, 2),
    _type1("ICA Banken", 9270, 9279, 1),
    _type1("IKANO Bank", 9170, 9179, 1),
    _type1("JAK Medlemsbank", 9670, 9679, 2),
    _type1("Klarna Bank", 9780, 9789, 2),
    _type1("Landshypotek", 9390, 9399, 2),
    _type1("Lunar Bank", 9710, 9719, 2),
    _type1("Lån & Spar Bank Sverige", 9630, 9639, 1),
    _type1("Länsförsäkringar Bank", 3400, 3409, 1),
    _type1("Länsförsäkringar Bank", 9020, 9029, 2),
    _type1("Länsförsäkringar Bank", 9060, 9069, 1),
    _type1("Marginalen Bank", 9230, 9239, 1),
    _type1("Multitude Bank", 9070, 9079, 1),
    _type1("NOBA Bank Group", 9640, 9649, 2),
    _type1("Nordea", 1100, 1199, 1),
    _type1("Nordea", 1400, 2099, 1),
    _type1("Nordea", 3000, 3399, 1),
    _type1("Nordea", 3410, 3999, 1),
    _type1("Nordea", 4000, 4999, 2),
    _type1("Nordnet Bank", 9100, 9109, 2),
    _type1("Northmill Bank", 9750, 9759, 2),
    _type1("Resurs Bank", 9280, 9289, 1),
    _type1("Riksgälden", 9880, 9889, 2),
    _type1("Santander Consumer Bank", 9460, 9469, 1),
    _type1("SBAB", 9250, 9259, 1),
    _type1("SEB", 5000, 5999, 1),
    _type1("SEB", 9120, 9124, 1),
    _type1("SEB", 9130, 9149, 1),
    _type1("Skandiabanken", 9150, 9169, 2),
    _type1("Svea Bank", 9660, 9669, 2),
    _type1("Swedbank", 7000, 7999, 1),
    _type1("Ålandsbanken", 2300, 2399, 2),
)


@dataclasses.dataclass(frozen=True, slots=True)
class SwedishBankAccount:
    """A Swedish bank account that passed its bank's rules, in normalised digits."""

    bank_name: str
    clearing_number: str  # four digits, or five for Swedbank's 8xxx-x
    account_number: str  # type 1: seven digits; type 2: the bank's full length, zeros in front
    account_type: AccountType
    check_digit_verified: bool  # False only for a comment-3 account the person confirmed

    def formatted(self) -> str:
        """``CCCC, NNNNNNN`` (``CCCC-C, NNNNNNNNNN`` for Swedbank's five-digit clearing numbers)."""
        clearing = self.clearing_number
        if len(clearing) == 5:
            clearing = f"{clearing[:4]}-{clearing[4]}"
        return f"{clearing}, {self.account_number}"


@dataclasses.dataclass(frozen=True, slots=True)
class ForeignBankAccount:
    """An account abroad: an IBAN (compact, upper case), its country, and the BIC if one was given or known."""

    iban: str
    country_code: str
    bic: str | None
    bank_name: str | None  # from schwifty's bank registry where it knows the bank

    def formatted(self) -> str:
        """The IBAN in groups of four, as printed on statements."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


def clearing_series(clearing_number: str) -> ClearingSeries | None:
    """The row of Bankgirot's table for a four-digit clearing number (the first four of a five-digit one)."""
    if not re.fullmatch(r"\d{4,5}", clearing_number):
        return None
    value = int(clearing_number[:4])
    return next((row for row in CLEARING_SERIES if row.first <= value <= row.last), None)


def swedish_account(
    clearing_number: str, account_number: str, *, accept_unverifiable: bool = False
) -> SwedishBankAccount:
    """Check a clearing number and account number as a person typed them (spaces, dashes and dots allowed).

    A Swedbank 8xxx clearing number given with four digits gets its fifth (check) digit; a Nordea personal
    account given as the 12-digit personal number loses its century. ``accept_unverifiable`` lets through
    a comment-3 account whose check digit does not match, after the person has confirmed the number.
    """
    clearing = _digits(
        clearing_number, missing=BankAccountProblem.CLEARING_MISSING, bad=BankAccountProblem.CLEARING_NOT_DIGITS
    )
    account = _digits(
        account_number, missing=BankAccountProblem.ACCOUNT_MISSING, bad=BankAccountProblem.ACCOUNT_NOT_DIGITS
    )
    clearing = _checked_clearing(clearing)
    series = clearing_series(clearing)
    if series is None:
        raise BankAccountError(BankAccountProblem.CLEARING_UNKNOWN)
    if clearing[:4] in _PERSONAL_ACCOUNT_SERIES and len(account) == 12 and account[:2] in ("19", "20"):
        account = account[2:]
    if not series.shortest <= len(account) <= series.account_digits:
        raise BankAccountError(BankAccountProblem.ACCOUNT_LENGTH)
    account = account.rjust(series.account_digits, "0")
    verified = _check_digit_holds(series.rule, clearing[:4], account)
    if not verified:
        if series.rule != "type2-comment3":
            raise BankAccountError(BankAccountProblem.ACCOUNT_CHECK_DIGIT)
        if not accept_unverifiable:
            raise BankAccountError(BankAccountProblem.ACCOUNT_CHECK_DIGIT_UNCERTAIN)
    return SwedishBankAccount(
        bank_name=series.bank_name,
        clearing_number=clearing,
        account_number=account,
        account_type=series.account_type,
        check_digit_verified=verified,
    )


def foreign_account(iban: str, bic: str = "") -> ForeignBankAccount:
    """Check an IBAN (and a BIC, when given) for an account abroad. A Swedish IBAN is refused: Swedish
    accounts are given by clearing and account number, which are checked by the banks' rules."""
    text = _SEPARATORS.sub("", iban).upper()
    if not text:
        raise BankAccountError(BankAccountProblem.IBAN_MISSING)
    if text.startswith("SE"):
        raise BankAccountError(BankAccountProblem.IBAN_SWEDISH)
    try:
        parsed = IBAN(text)
    except InvalidCountryCode as error:
        raise BankAccountError(BankAccountProblem.IBAN_COUNTRY) from error
    except InvalidLength as error:
        raise BankAccountError(BankAccountProblem.IBAN_LENGTH) from error
    except (InvalidChecksumDigits, InvalidBBANChecksum) as error:
        raise BankAccountError(BankAccountProblem.IBAN_CHECK_DIGITS) from error
    except (InvalidStructure, SchwiftyException) as error:
        raise BankAccountError(BankAccountProblem.IBAN_STRUCTURE) from error
    given_bic = _SEPARATORS.sub("", bic).upper()
    bic_text: str | None = None
    if given_bic:
        try:
            parsed_bic = BIC(given_bic)
        except SchwiftyException as error:
            raise BankAccountError(BankAccountProblem.BIC_INVALID) from error
        if parsed_bic.country_code != parsed.country_code:
            raise BankAccountError(BankAccountProblem.BIC_COUNTRY)
        bic_text = str(parsed_bic.compact)
    elif parsed.bic is not None:
        bic_text = str(parsed.bic.compact)
    bank = parsed.bank
    return ForeignBankAccount(
        iban=str(parsed.compact),
        country_code=str(parsed.country_code),
        bic=bic_text,
        bank_name=str(bank.name) if bank is not None else None,
    )


def _digits(text: str, *, missing: BankAccountProblem, bad: BankAccountProblem) -> str:
    value = _SEPARATORS.sub("", text)
    if not value:
        raise BankAccountError(missing)
    if not value.isascii() or not value.isdigit():
        raise BankAccountError(bad)
    return value


def _checked_clearing(clearing: str) -> str:
    """Four digits, or Swedbank's five with a Luhn fifth digit (added when only four were given)."""
    if clearing.startswith(_SWEDBANK_FIVE_DIGIT_SERIES):
        if len(clearing) == 4:
            return clearing + str(luhn_check_digit(clearing))
        if len(clearing) != 5:
            raise BankAccountError(BankAccountProblem.CLEARING_LENGTH)
        if not luhn_holds(clearing):
            raise BankAccountError(BankAccountProblem.CLEARING_CHECK_DIGIT)
        return clearing
    if len(clearing) != 4:
        raise BankAccountError(BankAccountProblem.CLEARING_LENGTH)
    return clearing


def _check_digit_holds(rule: CheckRule, clearing: str, account: str) -> bool:
    if rule == "type1-comment1":
        return mod11_holds(clearing[1:] + account)
    if rule == "type1-comment2":
        return mod11_holds(clearing + account)
    if rule == "type2-comment2":
        return mod11_holds(account)
    return luhn_holds(account)


def luhn_holds(digits: str) -> bool:
    """Modulus 10 (Luhn) over ``digits``, check digit last: every second digit from the right doubled."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        product = int(char) * (2 if position % 2 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0


def luhn_check_digit(digits: str) -> int:
    """The Luhn digit that makes ``digits`` followed by it hold."""
    return next(candidate for candidate in range(10) if luhn_holds(f"{digits}{candidate}"))


def mod11_holds(digits: str) -> bool:
    """Modulus 11 over ``digits``, check digit last, with the weights 1, 2, …, 10, 1, 2, … from the right
    (Bankgirot writes them left to right: …, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)."""
    total = sum(int(char) * (position % 10 + 1) for position, char in enumerate(reversed(digits)))
    return total % 11 == 0
