"""The public pages: the start page and the information pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe


def _localized(name: str) -> str:
    """The content template ``name`` in the reader's language (long prose is written per language)."""
    return f"ui/content/{name}.{get_language() or 'sv'}.html"


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """What Mina sidor is, how to log in, and how personal data is handled."""
    return render(request, "ui/page.html", {"content_template": _localized("start"), "page_title": ""})


@require_safe
def personal_data(request: HttpRequest) -> HttpResponse:
    """How the portal handles personal data."""
    context = {"content_template": _localized("personal_data"), "page_title": _("Your personal data")}
    return render(request, "ui/page.html", context)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement the law requires of public e-services (DOS-lagen)."""
    context = {"content_template": _localized("accessibility"), "page_title": _("Accessibility statement")}
    return render(request, "ui/page.html", context)


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """Help and contact: customer service's number and hours, and answers to the common questions."""
    context = {"content_template": _localized("help"), "page_title": _("Help and contact")}
    return render(request, "ui/page.html", context)
