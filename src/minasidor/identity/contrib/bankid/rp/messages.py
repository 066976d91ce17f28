"""BankID's recommended user messages (RFA) and which one to show for a hint code or an error.

Texts are BankID's current wording as in the reference (developers.bankid.com generation), including
BankID's own typos ("gitligt", "you ID document"). Mapping per docs/decisions/0022.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

Language = Literal["sv", "en"]


class Rfa(StrEnum):
    """A recommended user message id."""

    RFA1 = "RFA1"
    RFA2 = "RFA2"
    RFA3 = "RFA3"
    RFA4 = "RFA4"
    RFA5 = "RFA5"
    RFA6 = "RFA6"
    RFA8 = "RFA8"
    RFA9 = "RFA9"
    RFA13 = "RFA13"
    RFA15A = "RFA15A"
    RFA15B = "RFA15B"
    RFA16 = "RFA16"
    RFA17A = "RFA17A"
    RFA17B = "RFA17B"
    RFA19 = "RFA19"
    RFA20 = "RFA20"
    RFA21 = "RFA21"
    RFA22 = "RFA22"
    RFA23 = "RFA23"


MESSAGES: dict[Rfa, dict[Language, str]] = {
    Rfa.RFA1: {"sv": "Starta BankID-appen.", "en": "Start your BankID app."},
    Rfa.RFA2: {
        "sv": "Du verkar inte ha BankID-appen. Installera den och skaffa ett BankID.",
        "en": "You don't seem to have the BankID app. Install the app and get a BankID.",
    },
    Rfa.RFA3: {"sv": "Åtgärden avbröts. Försök igen.", "en": "The action was cancelled. Please try again."},
    Rfa.RFA4: {
        "sv": "En identifiering eller underskrift pågår redan för ditt personnummer. Försök igen.",
        "en": "An identification or signature is already in progress for your personal identity number. "
        "Please try again.",
    },
    Rfa.RFA5: {"sv": "Något gick fel. Försök igen.", "en": "Something went wrong. Please try again."},
    Rfa.RFA6: {"sv": "Åtgärden avbröts.", "en": "The action was cancelled."},
    Rfa.RFA8: {
        "sv": "BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning. "
        "Försök sedan igen.",
        "en": "The BankID app is not responding. Please check that it's started and that you have internet "
        "access. Try again.",
    },
    Rfa.RFA9: {
        "sv": "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under.",
        "en": "Enter your security code in the BankID app and select Identify or Sign.",
    },
    Rfa.RFA13: {"sv": "Försöker starta BankID-appen.", "en": "Trying to start your BankID app."},
    Rfa.RFA15A: {
        "sv": "Söker efter BankID. Säkerställ att du har ett giltigt BankID på den här datorn. Om du har ett "
        "BankID på kort, sätt in kortet i kortläsaren.",
        "en": "Searching for BankID. Make sure you have a valid BankID on this computer. If you have a "
        "BankID on card, please insert the card into your card reader.",
    },
    Rfa.RFA15B: {
        "sv": "Söker efter BankID. Säkerställ att du har ett gitligt BankID på den här enheten.",
        "en": "Searching for BankID. Make sure you have a valid BankID on this device.",
    },
    Rfa.RFA16: {
        "sv": "Ditt BankID är för gammalt eller spärrat. Använd ett annat BankID eller skaffa ett nytt hos din bank.",
        "en": "Your BankID is blocked or too old. Please use another BankID or get a new one from your bank.",
    },
    Rfa.RFA17A: {
        "sv": "Du verkar inte ha BankID-appen/programmet. Installera den och skaffa ett BankID hos din bank.",
        "en": "You don't seem to have the BankID app/program. Please install it and get a BankID from your bank.",
    },
    Rfa.RFA17B: {
        "sv": "Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden.",
        "en": "Failed to scan the QR code. Start the BankID app and scan the QR code.",
    },
    Rfa.RFA19: {
        "sv": "Vill du använda BankID på den här datorn eller ett Mobilt BankID?",
        "en": "Would you like to use BankID on this computer, or a Mobile BankID?",
    },
    Rfa.RFA20: {
        "sv": "Vill du använda BankID på den här enheten eller på en annan enhet?",
        "en": "Do you want to use BankID on this device or another device?",
    },
    Rfa.RFA21: {
        "sv": "En identifiering eller underskrift pågår.",
        "en": "An identification or signing is in progress.",
    },
    Rfa.RFA22: {"sv": "Något gick fel. Försök igen.", "en": "Something went wrong. Please try again."},
    Rfa.RFA23: {
        "sv": "Fotografera och läs av din ID-handling med BankID-appen.",
        "en": "Take a photo of, and scan, you ID document with the BankID app.",
    },
}

_PENDING: dict[str, Rfa] = {
    "noClient": Rfa.RFA1,
    "userMrtd": Rfa.RFA23,
    "userCallConfirm": Rfa.RFA21,
    "userSign": Rfa.RFA9,
}

_FAILED: dict[str, Rfa] = {
    "expiredTransaction": Rfa.RFA8,
    "certificateErr": Rfa.RFA16,
    "userCancel": Rfa.RFA6,
    "cancelled": Rfa.RFA3,
}

_ERRORS: dict[str, Rfa] = {
    "alreadyInProgress": Rfa.RFA4,
    "requestTimeout": Rfa.RFA5,
    "internalError": Rfa.RFA5,
    "maintenance": Rfa.RFA5,
    "tooManyRequests": Rfa.RFA5,
    "transportError": Rfa.RFA5,
    "circuitOpen": Rfa.RFA5,
}


def message_for_pending(hint_code: str | None, *, autostarted: bool, on_mobile: bool) -> Rfa:
    """The message while an order is pending.

    ``autostarted``: the RP tried to start the app on this device (same-device flow).
    ``on_mobile``: the user's browser is on a phone or tablet.
    """
    if hint_code == "outstandingTransaction":
        return Rfa.RFA13 if autostarted else Rfa.RFA1
    if hint_code == "started":
        return Rfa.RFA15B if on_mobile else Rfa.RFA15A
    return _PENDING.get(hint_code or "", Rfa.RFA21)


def message_for_failed(hint_code: str | None, *, autostarted: bool) -> Rfa:
    """The message once an order has failed; unknown hint codes give RFA22."""
    if hint_code == "startFailed":
        return Rfa.RFA17A if autostarted else Rfa.RFA17B
    return _FAILED.get(hint_code or "", Rfa.RFA22)


def message_for_error(error_code: str) -> Rfa:
    """The message for an RP API error code (or our own transport codes); unknown gives RFA22."""
    return _ERRORS.get(error_code, Rfa.RFA22)


def text(rfa: Rfa, *, language: Language = "sv") -> str:
    """The message's text in Swedish or English."""
    return MESSAGES[rfa][language]
