"""Requirement: a payment account is a Swedish bank account that passes its bank's published rules (Bankgirot's
clearing-number table, the type 1 and type 2 check digits, Swedbank's five-digit clearing numbers), or an IBAN
(with a BIC of the same country) abroad; every refusal carries a reason a page can translate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.bank_accounts import (
    CLEARING_SERIES,
    BankAccountError,
    BankAccountProblem,
    ClearingSeries,
    clearing_series,
    foreign_account,
    luhn_check_digit,
    luhn_holds,
    mod11_holds,
    swedish_account,
)


def _mod11_complete(digits: str) -> str | None:
    """``digits`` with a last digit that makes modulus 11 hold, or None when the remainder asks for 10."""
    for candidate in range(10):
        if mod11_holds(f"{digits}{candidate}"):
            return f"{digits}{candidate}"
    return None


def _valid_account(series: ClearingSeries, body: str) -> tuple[str, str] | None:
    """A clearing number of ``series`` and an account number built from ``body`` that the rules accept."""
    clearing = str(series.first)
    if clearing.startswith("8"):
        clearing += str(luhn_check_digit(clearing))
    body = body[-(series.account_digits - 1) :].rjust(series.account_digits - 1, "1")
    if series.rule == "type1-comment1":
        full = _mod11_complete(clearing[1:4] + body)
        return None if full is None else (clearing, full[3:])
    if series.rule == "type1-comment2":
        full = _mod11_complete(clearing[:4] + body)
        return None if full is None else (clearing, full[4:])
    if series.rule == "type2-comment2":
        full = _mod11_complete(body)
        return None if full is None else (clearing, full)
    return clearing, f"{body}{luhn_check_digit(body)}"


# Published or bank-printed examples: bank, clearing, account as written, normalised clearing and account.
EXAMPLES = [
    ("Swedbank", "8424-4", "983 189 224-6", "84244", "9831892246"),
    ("Swedbank", "8351-9", "392 242 224-5", "83519", "3922422245"),
    ("Swedbank", "8129-9", "043 386 711-6", "81299", "0433867116"),
    ("Nordea", "3300", "000620-5124", "3300", "0006205124"),
    ("Klarna Bank", "9789", "111 1113", "9789", "1111113"),
    ("Handelsbanken", "6789", "123 456 789", "6789", "123456789"),
    ("Multitude Bank", "9071", "417 23 83", "9071", "4172383"),
    ("Länsförsäkringar Bank", "9029", "573 521 1", "9029", "5735211"),
]


@pytest.mark.parametrize(("bank", "clearing", "account", "clearing_out", "account_out"), EXAMPLES)
def test_published_examples_are_accepted_and_normalised(
    bank: str, clearing: str, account: str, clearing_out: str, account_out: str
) -> None:
    result = swedish_account(clearing, account)
    assert (result.bank_name, result.clearing_number, result.account_number) == (bank, clearing_out, account_out)
    assert result.check_digit_verified


@pytest.mark.parametrize("series", CLEARING_SERIES, ids=lambda s: f"{s.bank_name}-{s.first}")
def test_every_series_accepts_its_own_accounts_and_refuses_a_changed_digit(series: ClearingSeries) -> None:
    built = next(a for a in (_valid_account(series, f"{n:09d}") for n in range(123456, 123500)) if a is not None)
    clearing, account = built
    result = swedish_account(clearing, account)
    assert (result.bank_name, result.account_type) == (series.bank_name, series.account_type)
    last = account[-1]
    changed = account[:-1] + str((int(last) + 1) % 10)
    with pytest.raises(BankAccountError) as refused:
        swedish_account(clearing, changed)
    expected = (
        BankAccountProblem.ACCOUNT_CHECK_DIGIT_UNCERTAIN
        if series.rule == "type2-comment3"
        else BankAccountProblem.ACCOUNT_CHECK_DIGIT
    )
    assert refused.value.problem is expected


@given(st.sampled_from(CLEARING_SERIES), st.text("0123456789", min_size=9, max_size=9), st.data())
def test_any_single_digit_error_is_caught(series: ClearingSeries, body: str, data: st.DataObject) -> None:
    built = _valid_account(series, body)
    if built is None:
        return
    clearing, account = built
    position = data.draw(st.integers(0, len(account) - 1))
    new_digit = data.draw(st.sampled_from([d for d in "0123456789" if d != account[position]]))
    typo = account[:position] + new_digit + account[position + 1 :]
    with pytest.raises(BankAccountError):
        swedish_account(clearing, typo)


def _series(bank: str, first: int) -> ClearingSeries:
    return next(row for row in CLEARING_SERIES if (row.bank_name, row.first) == (bank, first))


def test_type_1_comments_weigh_three_or_four_clearing_digits() -> None:
    # SEB (comment 1) weighs the last three digits of 5000, Avanza (comment 2) all four of 9550: the
    # leading digit (weight 1) moves the sum by 5 or 9, so an account number fits one rule or the other.
    seb = _valid_account(_series("SEB", 5000), "123456")
    avanza = _valid_account(_series("Avanza Bank", 9550), "123456")
    assert seb is not None
    assert avanza is not None
    assert swedish_account(*seb).bank_name == "SEB"
    assert swedish_account(*avanza).bank_name == "Avanza Bank"
    assert seb[1] != avanza[1]
    with pytest.raises(BankAccountError, match="account-check-digit"):
        swedish_account("9550", seb[1])
    with pytest.raises(BankAccountError, match="account-check-digit"):
        swedish_account("5000", avanza[1])


def test_swedbank_clearing_check_digit() -> None:
    with pytest.raises(BankAccountError) as refused:
        swedish_account("8424-1", "983 189 224-6")
    assert refused.value.problem is BankAccountProblem.CLEARING_CHECK_DIGIT
    # Four digits of an 8xxx clearing number get their fifth.
    assert swedish_account("8424", "9831892246").clearing_number == "84244"
    with pytest.raises(BankAccountError) as too_long:
        swedish_account("842441", "9831892246")
    assert too_long.value.problem is BankAccountProblem.CLEARING_LENGTH


def test_an_uncertain_swedbank_account_is_accepted_once_confirmed() -> None:
    with pytest.raises(BankAccountError) as refused:
        swedish_account("8424-4", "983 189 224-7")
    assert refused.value.problem is BankAccountProblem.ACCOUNT_CHECK_DIGIT_UNCERTAIN
    confirmed = swedish_account("8424-4", "983 189 224-7", accept_unverifiable=True)
    assert not confirmed.check_digit_verified
    # Confirmation does not excuse other banks' check digits.
    with pytest.raises(BankAccountError, match="account-check-digit"):
        swedish_account("6789", "123456788", accept_unverifiable=True)


def test_nordea_personal_account_takes_the_personal_number() -> None:
    account = swedish_account("3300", "19121212-1212")
    assert (account.bank_name, account.account_number) == ("Nordea", "1212121212")
    with pytest.raises(BankAccountError, match="account-check-digit"):
        swedish_account("3300", "1212121213")
    # 3301 is an ordinary Nordea account (type 1), not a personal account.
    ordinary = _mod11_complete("301" + "012345")
    assert ordinary is not None
    assert swedish_account("3301", ordinary[3:]).account_type == 1


def test_handelsbanken_accepts_eight_digits_and_pads_to_nine() -> None:
    nine = _mod11_complete("01234567")
    assert nine is not None
    assert swedish_account("6000", nine[1:]).account_number == nine


@pytest.mark.parametrize(
    ("clearing", "account", "problem"),
    [
        ("", "1234567", BankAccountProblem.CLEARING_MISSING),
        ("50a0", "1234567", BankAccountProblem.CLEARING_NOT_DIGITS),
        ("５０００", "1234567", BankAccountProblem.CLEARING_NOT_DIGITS),
        ("500", "1234567", BankAccountProblem.CLEARING_LENGTH),
        ("1000", "1234567", BankAccountProblem.CLEARING_UNKNOWN),  # Sveriges Riksbank
        ("9400", "1234567", BankAccountProblem.CLEARING_UNKNOWN),  # Forex Bank, accounts closed
        ("9900", "1234567", BankAccountProblem.CLEARING_UNKNOWN),  # Bankgirot
        ("5000", "", BankAccountProblem.ACCOUNT_MISSING),
        ("5000", "12345x7", BankAccountProblem.ACCOUNT_NOT_DIGITS),
        ("5000", "123456", BankAccountProblem.ACCOUNT_LENGTH),
        ("5000", "12345678", BankAccountProblem.ACCOUNT_LENGTH),
        ("3300", "121212121", BankAccountProblem.ACCOUNT_LENGTH),
        ("6000", "1234567", BankAccountProblem.ACCOUNT_LENGTH),
    ],
)
def test_refusals_name_their_reason(clearing: str, account: str, problem: BankAccountProblem) -> None:
    with pytest.raises(BankAccountError) as refused:
        swedish_account(clearing, account)
    assert refused.value.problem is problem


def test_clearing_series_lookup() -> None:
    assert clearing_series("3300") == CLEARING_SERIES[0]
    found = clearing_series("3301")
    assert found is not None
    assert (found.bank_name, found.account_type) == ("Nordea", 1)
    assert clearing_series("12") is None
    assert clearing_series("9999") is None


def test_the_table_has_no_overlap_except_nordeas_personal_accounts() -> None:
    covered: dict[int, str] = {}
    for row in CLEARING_SERIES:
        for value in range(row.first, row.last + 1):
            if value in covered:
                assert value in (3300, 3782), f"{value} is in two series"
            covered.setdefault(value, row.bank_name)


def test_luhn() -> None:
    assert luhn_holds("1212121212")
    assert not luhn_holds("1212121213")
    assert luhn_check_digit("121212121") == 2


def test_formatted() -> None:
    assert swedish_account("8424-4", "9831892246").formatted() == "8424-4, 9831892246"
    assert swedish_account("9789", "1111113").formatted() == "9789, 1111113"


def test_foreign_iban_with_and_without_bic() -> None:
    account = foreign_account("de89 3704 0044 0532 0130 00")
    assert (account.iban, account.country_code, account.bic) == ("DE89370400440532013000", "DE", "COBADEFFXXX")
    assert account.bank_name == "Commerzbank"
    assert account.formatted() == "DE89 3704 0044 0532 0130 00"
    given = foreign_account("FI21 1234 5600 0007 85", "NDEAFIHH")
    assert (given.country_code, given.bic) == ("FI", "NDEAFIHH")


@pytest.mark.parametrize(
    ("iban", "bic", "problem"),
    [
        ("", "", BankAccountProblem.IBAN_MISSING),
        ("SE45 5000 0000 0583 9825 7466", "", BankAccountProblem.IBAN_SWEDISH),
        ("XX89 3704 0044 0532 0130 00", "", BankAccountProblem.IBAN_COUNTRY),
        ("DE89 3704 0044 0532 0130", "", BankAccountProblem.IBAN_LENGTH),
        ("DE88 3704 0044 0532 0130 00", "", BankAccountProblem.IBAN_CHECK_DIGITS),
        ("DE89 3704 0044 0532 0130 00", "NOTABIC", BankAccountProblem.BIC_INVALID),
        ("DE89 3704 0044 0532 0130 00", "NDEAFIHH", BankAccountProblem.BIC_COUNTRY),
    ],
)
def test_foreign_refusals_name_their_reason(iban: str, bic: str, problem: BankAccountProblem) -> None:
    with pytest.raises(BankAccountError) as refused:
        foreign_account(iban, bic)
    assert refused.value.problem is problem
