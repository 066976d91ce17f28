"""How the portal writes amounts, percentages, dates and countries, in the reader's language (decision 0084).

One module for the pages, the charts and the PDF documents, so a figure reads the same everywhere:

- Swedish: ``12 346 kr``, ``1,9 %``, ``−0,5 %`` (no-break spaces, a decimal comma, the minus sign U+2212),
  ``19 oktober 2026`` or ``19 okt. 2026``, country names (``Frankrike``).
- English: ``12,346 kr``, ``1.9%``, ``−0.5%`` (the minus sign too), ``19 October 2026`` or ``19 Oct 2026``.

Each function reads the active language (``django.utils.translation``); documents are rendered inside
``translation.override``. Numbers use Django's own localisation of separators; the rest is written here.
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.utils import dateformat, formats, translation

MINUS_SIGN = "\u2212"
NO_BREAK_SPACE = "\u00a0"

# Swedish abbreviations of the months as Swedes write them (Språkrådet): a full stop after a shortened name,
# none after the short ones written in full.
_SWEDISH_MONTHS_SHORT = (
    "jan.",
    "feb.",
    "mars",
    "apr.",
    "maj",
    "juni",
    "juli",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
)


def _language() -> str:
    return "en" if translation.get_language() == "en" else "sv"


def _with_minus(text: str) -> str:
    return text.replace("-", MINUS_SIGN)


def whole_kronor(value: Decimal | int) -> int:
    """``value`` to whole kronor, half away from zero (the way every amount on a page is rounded)."""
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def number(value: Decimal | int | float, *, decimals: int | None = None) -> str:
    """``value`` grouped and with the language's decimal mark: ``−1 234,5`` / ``−1,234.5``.

    ``decimals`` None writes the value without trailing zeros (``2.50`` → ``2,5``).
    """
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if decimals is None:
        amount = _plain(amount)
    else:
        amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = formats.number_format(amount, decimals, use_l10n=True, force_grouping=True)
    return _with_minus(text)


def money(value: Decimal | int | None) -> str:
    """``12345.60`` → ``12 346 kr`` in Swedish, ``12,346 kr`` in English; a true minus sign; None → empty."""
    if value is None:
        return ""
    return f"{number(whole_kronor(value), decimals=0)}{NO_BREAK_SPACE}kr"


def percent(value: Decimal | int | float, *, decimals: int | None = None) -> str:
    """``1.9`` (already in percent) → ``1,9 %`` in Swedish, ``1.9%`` in English; ``−0,5 %`` with the minus sign."""
    text = number(value, decimals=decimals)
    return f"{text}%" if _language() == "en" else f"{text}{NO_BREAK_SPACE}%"


def date_long(value: dt.date | None) -> str:
    """``19 oktober 2026`` / ``19 October 2026``; None → empty."""
    if value is None:
        return ""
    with translation.override(_language()):
        return dateformat.format(value, "j F Y")


def date_short(value: dt.date | None) -> str:
    """``19 okt. 2026`` / ``19 Oct 2026`` (for tables); None → empty."""
    if value is None:
        return ""
    if _language() == "en":
        with translation.override("en"):
            return dateformat.format(value, "j M Y")
    return f"{value.day} {_SWEDISH_MONTHS_SHORT[value.month - 1]} {value.year}"


def time_of_day(value: dt.datetime | dt.time) -> str:
    """``14.05`` in Swedish (Språkrådet's full stop), ``14:05`` in English."""
    separator = ":" if _language() == "en" else "."
    return f"{value.hour:02d}{separator}{value.minute:02d}"


def country_name(code: str) -> str:
    """The country of an ISO 3166-1 alpha-2 code in the reader's language (``FR`` → ``Frankrike``).

    Names come from ISO 3166's own translations (pycountry's catalogues); an unknown code is shown as it is.
    """
    import pycountry  # noqa: PLC0415 - loaded on first use only

    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if country is None:
        return code
    if _language() == "en":
        return str(getattr(country, "common_name", None) or country.name)
    return _iso3166_catalogue("sv").gettext(str(country.name))


@cache
def _iso3166_catalogue(language: str) -> gettext_module.NullTranslations:
    import pycountry  # noqa: PLC0415 - loaded on first use only

    return gettext_module.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (``2.00`` → ``2``, ``100`` stays)."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    return normal.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else normal
