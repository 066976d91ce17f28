"""Values every page template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from kernel import clock
from minasidor.ui.opening_hours import opening_hours_text


def site(request: HttpRequest) -> dict[str, str]:
    """The authority's name, for the header, title and footer, and how to reach customer service."""
    return {
        "authority_name": settings.AUTHORITY_NAME,
        "customer_service_phone": settings.CUSTOMER_SERVICE_PHONE,
        "customer_service_phone_uri": phone_uri(settings.CUSTOMER_SERVICE_PHONE),
        "customer_service_hours": opening_hours_text(settings.CUSTOMER_SERVICE_HOURS, clock.today()),
    }


def phone_uri(number: str) -> str:
    """A ``tel:`` link to a Swedish phone number as written (``0771-776 776`` → ``tel:+46771776776``)."""
    digits = "".join(character for character in number if character.isdigit() or character == "+")
    if digits.startswith("0") and not digits.startswith("00"):
        digits = "+46" + digits[1:]
    return f"tel:{digits}"
