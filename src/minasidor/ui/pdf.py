"""Documents as tagged PDF (PDF/UA-1): the pipeline every PDF of the portal is made by (decision 0080).

A template extending ``ui/pdf/base.html`` is rendered to HTML in the chosen language and WeasyPrint lays it
out: the document gets a title, a language, a structure tree built from the HTML (headings, paragraphs,
tables with header cells) and an embedded font. Nothing is fetched while rendering: the style is inside the
document, the font comes from the system through fontconfig, and every URL is refused.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from kernel import clock
from minasidor.ui import formatting

PDF_VARIANT = "pdf/ua-1"
MINUS_SIGN = formatting.MINUS_SIGN


class PdfRenderingError(RuntimeError):
    """The document could not be made (a template asked for something outside the document)."""


class ExternalResourceRefusedError(FatalURLFetchingError):  # type: ignore[misc]  # WeasyPrint is untyped
    """A document asked for a resource by URL; the documents are self-contained and fetch nothing."""


class RefusingURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """WeasyPrint's URL fetcher that fetches nothing: every URL (web, file or data) stops the rendering."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        raise ExternalResourceRefusedError(f"the document asked for {url[:40]!r}; documents fetch nothing")


def language_checked(language: str) -> str:
    """``language`` if the portal has documents in it, else ValueError."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValueError(f"no documents in language {language!r}")
    return language


def percent(value: Decimal) -> str:
    """``1.9`` → ``1,9 %`` in Swedish, ``1.9%`` in English (``minasidor.ui.formatting.percent``)."""
    return formatting.percent(value)


def pdf_render(template_name: str, context: dict[str, Any]) -> bytes:
    """The template as a tagged PDF, in the active language; nothing is fetched."""
    html = render_to_string(
        template_name,
        {
            **context,
            "language": translation.get_language(),
            "authority_name": settings.AUTHORITY_NAME,
            "made_on": clock.today(),
        },
    )
    try:
        pdf: bytes = HTML(string=html, url_fetcher=RefusingURLFetcher()).write_pdf(pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as error:
        raise PdfRenderingError(str(error)) from error
    return pdf
