"""Every hint code and error maps to BankID's recommended message (RFA), with Swedish and English text."""

from __future__ import annotations

import pytest

from minasidor.identity.contrib.bankid.rp.errors import (
    BankIdApiError,
    BankIdCircuitOpenError,
    BankIdProtocolError,
    BankIdTransportError,
)
from minasidor.identity.contrib.bankid.rp.messages import (
    MESSAGES,
    Rfa,
    message_for_error,
    message_for_failed,
    message_for_pending,
    text,
)


@pytest.mark.parametrize(
    ("hint_code", "autostarted", "on_mobile", "expected"),
    [
        ("outstandingTransaction", True, False, Rfa.RFA13),
        ("outstandingTransaction", False, False, Rfa.RFA1),
        ("noClient", False, False, Rfa.RFA1),
        ("started", True, False, Rfa.RFA15A),
        ("started", True, True, Rfa.RFA15B),
        ("userMrtd", False, False, Rfa.RFA23),
        ("userCallConfirm", False, False, Rfa.RFA21),
        ("userSign", False, True, Rfa.RFA9),
        ("someFutureHint", False, False, Rfa.RFA21),
        (None, False, False, Rfa.RFA21),
    ],
)
def test_pending(hint_code: str | None, autostarted: bool, on_mobile: bool, expected: Rfa) -> None:
    assert message_for_pending(hint_code, autostarted=autostarted, on_mobile=on_mobile) is expected


@pytest.mark.parametrize(
    ("hint_code", "autostarted", "expected"),
    [
        ("expiredTransaction", False, Rfa.RFA8),
        ("certificateErr", False, Rfa.RFA16),
        ("userCancel", False, Rfa.RFA6),
        ("cancelled", False, Rfa.RFA3),
        ("startFailed", True, Rfa.RFA17A),
        ("startFailed", False, Rfa.RFA17B),
        ("userDeclinedCall", False, Rfa.RFA22),
        ("notSupportedByUserApp", False, Rfa.RFA22),
        ("transactionRiskBlocked", False, Rfa.RFA22),
        ("someFutureFailure", False, Rfa.RFA22),
    ],
)
def test_failed(hint_code: str, autostarted: bool, expected: Rfa) -> None:
    assert message_for_failed(hint_code, autostarted=autostarted) is expected


@pytest.mark.parametrize(
    ("error_code", "expected"),
    [
        ("alreadyInProgress", Rfa.RFA4),
        ("requestTimeout", Rfa.RFA5),
        ("internalError", Rfa.RFA5),
        ("maintenance", Rfa.RFA5),
        ("tooManyRequests", Rfa.RFA5),
        ("invalidParameters", Rfa.RFA22),
        ("unauthorized", Rfa.RFA22),
        ("notFound", Rfa.RFA22),
        ("methodNotAllowed", Rfa.RFA22),
        ("unsupportedMediaType", Rfa.RFA22),
        ("brandNewErrorCode", Rfa.RFA22),
    ],
)
def test_errors(error_code: str, expected: Rfa) -> None:
    assert message_for_error(error_code) is expected
    assert BankIdApiError(error_code=error_code, status_code=400).rfa is expected


def test_client_side_failures_ask_to_try_again() -> None:
    assert BankIdTransportError("timeout").rfa is Rfa.RFA5
    assert BankIdCircuitOpenError().rfa is Rfa.RFA5
    assert BankIdProtocolError("garbled").rfa is Rfa.RFA22


def test_every_message_has_both_languages() -> None:
    assert set(MESSAGES) == set(Rfa)
    for rfa, texts in MESSAGES.items():
        assert set(texts) == {"sv", "en"}, rfa
        assert all(value.strip() for value in texts.values())


def test_texts_are_bankids() -> None:
    assert text(Rfa.RFA9) == "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."
    assert text(Rfa.RFA20, language="en") == "Do you want to use BankID on this device or another device?"
    assert text(Rfa.RFA4, language="sv").startswith("En identifiering eller underskrift pågår redan")
