"""Requirement: the statement and the forecast download as accessible (tagged, PDF/UA-1) PDFs in Swedish or English.

The statement shows the person, the year, every item of both accounts with their total, the funds and, for a
pensioner, the decided parts and the payments; the forecast shows the choices, the parts at the chosen age
before and after tax, the band, the ages side by side, Min Pension's pensions and the assumptions the engine
uses. Amounts are written the Swedish way in Swedish. Rendering fetches nothing from any network.
"""

from __future__ import annotations

import io
import re
import socket
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, StreamObject
from weasyprint import HTML

from kernel import clock
from minasidor.pensions import pdf
from minasidor.pensions.tests.pdf_examples import forecast_example, pensioner_snapshot, saver_snapshot
from minasidor.ui import pdf as ui_pdf

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: clock.FrozenClock) -> None:
    """Every document says the day it was made: 28 November 2026."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any attempt to resolve a host or open a connection while rendering is recorded and fails."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise OSError("network access during a test of the PDF documents")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs WeasyPrint asked the document's fetcher for (it still refuses them)."""
    urls: list[str] = []
    refuse = pdf.RefusingURLFetcher.fetch

    def record(self: pdf.RefusingURLFetcher, url: str, headers: dict[str, str] | None = None) -> Any:
        urls.append(url)
        return refuse(self, url, headers)

    monkeypatch.setattr(pdf.RefusingURLFetcher, "fetch", record)
    return urls


def _reader(document: bytes) -> PdfReader:
    assert document.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(document))


def _dict(value: Any) -> DictionaryObject:
    """A PDF dictionary, through its indirect reference if it has one."""
    value = value.get_object()
    assert isinstance(value, DictionaryObject)
    return value


def _catalog(document: bytes) -> DictionaryObject:
    return _dict(_reader(document).trailer["/Root"])


def _text(document: bytes) -> str:
    """The document's text with no-break spaces as spaces and each run of white space as one space."""
    pages = "\n".join(page.extract_text() for page in _reader(document).pages)
    return re.sub(r"\s+", " ", pages.replace(NBSP, " "))


def _structure_elements(document: bytes) -> list[DictionaryObject]:
    """Every element of the structure tree, depth first."""
    found: list[DictionaryObject] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return  # a marked-content id: the leaf that points into a page
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, ArrayObject) else [kids]:
                walk(kid)

    walk(_catalog(document)["/StructTreeRoot"])
    return found


DOCUMENTS: dict[str, Callable[[str], bytes]] = {
    "statement": lambda language: pdf.statement_pdf(saver_snapshot(), language=language),
    "pensioner": lambda language: pdf.statement_pdf(pensioner_snapshot(), language=language),
    "forecast": lambda language: pdf.forecast_pdf(
        forecast_example(other_pensions=True), name="Tolvan Tolvansson", language=language
    ),
}
TITLES = {
    ("statement", "sv"): "Ditt pensionsbesked 2025",
    ("statement", "en"): "Your pension statement 2025",
    ("pensioner", "sv"): "Ditt pensionsbesked",
    ("pensioner", "en"): "Your pension statement",
    ("forecast", "sv"): "Din pensionsprognos",
    ("forecast", "en"): "Your pension forecast",
}


@pytest.mark.parametrize(("kind", "language"), list(TITLES))
def test_every_document_is_tagged_with_its_language_and_title(kind: str, language: str) -> None:
    document = DOCUMENTS[kind](language)
    catalog = _catalog(document)
    assert _dict(catalog["/MarkInfo"])["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert str(catalog["/Lang"]) == language
    metadata = _reader(document).metadata
    assert metadata is not None
    assert metadata.title == TITLES[kind, language]
    assert _dict(catalog["/ViewerPreferences"])["/DisplayDocTitle"] == BooleanObject(True)
    xmp = catalog["/Metadata"].get_object()
    assert isinstance(xmp, StreamObject)
    assert b'pdfuaid:part="1"' in xmp.get_data()
    assert TITLES[kind, language] in _text(document)


def test_the_structure_tree_has_headings_and_tables_whose_cells_name_their_headers() -> None:
    elements = _structure_elements(DOCUMENTS["statement"]("en"))
    types = [str(element["/S"]) for element in elements]
    assert types.count("/H1") == 1
    assert {"/H2", "/P", "/Table", "/TR", "/TH", "/TD", "/Caption"} <= set(types)
    header_ids = {str(element["/ID"]) for element in elements if str(element["/S"]) == "/TH"}
    cells = [_dict(element["/A"]) for element in elements if str(element["/S"]) == "/TD"]
    assert cells
    headers_per_cell = []
    for cell in cells:
        headers = cell["/Headers"]
        assert isinstance(headers, ArrayObject)
        headers_per_cell.append({str(header) for header in headers})
    assert all(headers and headers <= header_ids for headers in headers_per_cell)
    # an amount in the accounts table belongs to both its row (the item) and its column (the account)
    assert any(len(headers) == 2 for headers in headers_per_cell)


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        (
            "sv",
            [
                "Din inkomst per månad före skatt från 67 års ålder",
                "Allmän pension, tjänstepension och privat pension per månad före skatt, efter den ålder du börjar"
                " ta ut",
            ],
        ),
        (
            "en",
            [
                "Your income a month before tax from age 67",
                "Public, occupational and private pension a month before tax, by the age you start drawing",
            ],
        ),
    ],
)
def test_the_forecast_has_its_charts_as_figures_with_alternative_text(language: str, titles: list[str]) -> None:
    """The income over age follows the table of Min Pension's pensions; the ages chart comes after it."""
    elements = _structure_elements(DOCUMENTS["forecast"](language))
    figures = [element for element in elements if str(element["/S"]) == "/Figure"]
    assert [str(figure["/Alt"]) for figure in figures] == titles


def test_without_min_pension_the_forecast_has_only_the_age_chart() -> None:
    document = pdf.forecast_pdf(forecast_example(keeps_working=False), name="T", language="en")
    figures = [element for element in _structure_elements(document) if str(element["/S"]) == "/Figure"]
    assert [str(figure["/Alt"]) for figure in figures] == [
        "Public pension a month before tax, by the age you start drawing it"
    ]
    assert "The chart shows the amounts of the table above." not in _text(document)


def test_the_fonts_are_embedded_and_come_from_the_system() -> None:
    reader = _reader(DOCUMENTS["forecast"]("sv"))
    fonts = [_dict(font) for page in reader.pages for font in _dict(_dict(page["/Resources"])["/Font"]).values()]
    assert fonts
    for font in fonts:
        assert "DejaVu" in str(font["/BaseFont"])
        descendants = font["/DescendantFonts"]
        assert isinstance(descendants, ArrayObject)
        descriptor = _dict(_dict(descendants[0])["/FontDescriptor"])
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_the_statement_in_swedish_shows_the_person_and_every_item_per_account_with_totals() -> None:
    text = _text(pdf.statement_pdf(saver_snapshot(), language="sv"))
    assert "Tolvan Tolvansson" in text
    assert "Personnummer: 19121212-1212" in text
    assert "Skapad 28 november 2026" in text
    assert "Post Inkomstpension Premiepension Totalt" in text
    assert "Värde 1 januari 2025 1 234 567 kr 345 678 kr 1 580 245 kr" in text
    assert "Ny intjänad pensionsrätt 81 234 kr 12 693 kr 93 927 kr" in text
    assert "Arvsvinster 3 457 kr 987 kr 4 444 kr" in text
    assert "Värdeförändring 45 678 kr \u221223 456 kr 22 222 kr" in text
    assert "Förvaltningsavgifter \u22121 234 kr \u2212567 kr \u22121 801 kr" in text
    assert "Värde 31 december 2025 1 363 702 kr 335 335 kr 1 699 037 kr" in text
    assert "fanns det sammanlagt 1 699 037 kr på dina konton för allmän pension" in text


def test_the_statement_lists_the_premium_pension_funds() -> None:
    text = _text(pdf.statement_pdf(saver_snapshot(), language="sv"))
    assert "Värde den 31 december 2025" in text
    assert "AP7 Aktiefond 812,3456 350,25 284 524 kr 0,04 %" in text
    assert "AP7 Räntefond 422,5900 120,40 50 811 kr 0,03 %" in text
    assert "Totalt 335 335 kr" in text


def test_the_statement_in_english_writes_amounts_the_english_way() -> None:
    document = pdf.statement_pdf(saver_snapshot(), language="en")
    text = _text(document)
    assert "Personal identity number: 19121212-1212" in text
    assert "Value on 31 December 2025 1,363,702 kr 335,335 kr 1,699,037 kr" in text
    assert "Administration fees \u22121,234 kr \u2212567 kr \u22121,801 kr" in text  # the minus sign in English too
    assert "AP7 Aktiefond 812.3456 350.25 284,524 kr 0.04%" in text
    assert "How to read the statement" in text
    assert "Så läser du beskedet" not in text
    assert "1 363 702" not in text


def test_a_saver_shows_no_payments_and_a_pensioner_shows_the_parts_paid_today_and_payments_in_date_order() -> None:
    saver = _text(pdf.statement_pdf(saver_snapshot(), language="en"))
    assert "Your payments" not in saver
    text = _text(pdf.statement_pdf(pensioner_snapshot(), language="sv"))
    assert "Din pension per månad" in text
    assert "Inkomstpension 1 februari 2020 100 % 14 321 kr" in text
    assert "Premiepension 1 februari 2020 100 % 2 345 kr" in text
    assert text.index("Inkomstpension 1 februari") < text.index("Premiepension 1 februari")
    assert "Garantipension" not in text  # no longer paid
    assert "12 800 kr" not in text  # the amount first granted, before the recalculations
    assert "Beloppen gäller från 1 januari 2026. De räknas om varje januari." in text
    october = "19 oktober 2026 16 555 kr 3 190 kr 13 365 kr Utbetald"
    november = "19 november 2026 16 666 kr 3 210 kr 13 456 kr Utbetald"
    december = "18 december 2026 16 666 kr 3 210 kr 13 456 kr Planerad"
    assert text.index(october) < text.index(november) < text.index(december)
    assert "inget årsbesked" not in text


def test_the_pension_paid_out_from_an_account_is_an_item_only_where_there_is_some() -> None:
    saver = _text(pdf.statement_pdf(saver_snapshot(), language="en"))
    assert "Pension paid out" not in saver
    text = _text(pdf.statement_pdf(pensioner_snapshot(statement=True), language="en"))
    assert "Item Income pension Value on 1 January 2025 2,500,000 kr" in text  # one account: no total column
    assert (
        "Administration fees \u22121,300 kr Pension paid out \u2212171,852 kr Value on 31 December 2025 2,388,048 kr"
        in text
    )


def test_a_saver_without_a_statement_is_told_so() -> None:
    text = _text(pdf.statement_pdf(saver_snapshot(statement=False), language="en"))
    assert "There is no annual statement of your pension accounts yet." in text
    assert "Your premium pension funds" not in text


def test_the_forecast_shows_the_choices_and_the_parts_at_the_chosen_age_before_and_after_tax() -> None:
    text = _text(pdf.forecast_pdf(forecast_example(), name="Tolvan Tolvansson", language="sv"))
    assert "Namn: Tolvan Tolvansson" in text
    assert "prisnivån år 2026" in text
    assert "Ålder när du börjar ta ut din pension 67 år" in text
    assert "Hur stor del av pensionen du tar ut 100 %" in text
    assert "Fortsätter du att arbeta fram till dess? Ja" in text
    assert "Inkomst per år fram till dess 456 000 kr" in text
    assert "Din allmänna pension om du börjar vid 67" in text
    assert "Inkomstpension 21 511 kr" in text
    assert "Premiepension 2 000 kr" in text
    assert "Inkomstpensionstillägg 1 000 kr" in text
    assert "Garantipension" not in text.split("Så har vi räknat")[0]  # a part that is zero is left out
    assert "Totalt före skatt 24 511 kr" in text
    assert "Totalt efter skatt 18 383 kr" in text
    assert "Pessimistiskt 22 411 kr" in text
    assert "Förväntat 24 511 kr" in text
    assert "Optimistiskt 28 811 kr" in text


def test_the_forecast_compares_every_age_and_marks_the_chosen_one_in_words() -> None:
    text = _text(pdf.forecast_pdf(forecast_example(withdrawal_age=66), name="T", language="en"))
    assert "63 Not possible at this age" in text
    assert "64 20,011 kr 15,008 kr 17,911 kr 24,311 kr" in text
    assert "66 (your choice) 23,011 kr 17,258 kr 20,911 kr 27,311 kr" in text
    assert "70 29,011 kr 21,758 kr 26,911 kr 33,311 kr" in text
    assert "67 (your choice)" not in text


def test_the_forecast_below_the_lowest_age_says_why_and_shows_no_amounts_for_it() -> None:
    text = _text(pdf.forecast_pdf(forecast_example(withdrawal_age=63), name="T", language="en"))
    assert "You cannot start drawing your pension at 63. The lowest age for you is 64." in text
    assert "Total before tax" not in text


def test_the_forecast_adds_min_pensions_pensions_and_shows_the_drop_when_a_payout_ends() -> None:
    text = _text(pdf.forecast_pdf(forecast_example(other_pensions=True), name="T", language="en"))
    assert "From 67 until 72 7,650 kr 870 kr 8,520 kr 33,031 kr" in text
    assert "From 72, for life 4,320 kr 870 kr 5,190 kr 29,701 kr" in text
    assert "At 72 the payments from Alecta end, so the amount goes down." in text
    assert "67 (your choice) 24,511 kr 18,383 kr 22,411 kr 28,811 kr 33,031 kr" in text
    assert "Occupational and private pensions come from Min Pension" in text


def test_a_forecast_without_min_pension_says_it_covers_only_the_public_pension() -> None:
    text = _text(pdf.forecast_pdf(forecast_example(keeps_working=False), name="T", language="en"))
    assert "This forecast covers only your public pension." in text
    assert "Do you keep working until then? No" in text
    assert "Income a year until then" not in text
    assert "Until your pension we count on no income." in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            [
                "lönerna ändras med 0 % per år utöver inflationen",
                "premiepensionens fonder ger 1,9 % per år",
                "Fondavgiften är 0,14 % per år",
                "Pessimistiskt utfall: lönerna ändras med \u22120,5 % per år och fonderna ger 0 % per år",
                "Optimistiskt utfall: lönerna ändras med 2 % per år och fonderna ger 3,9 % per år",
                "från 67 års ålder",
            ],
        ),
        (
            "en",
            [
                "wages change by 0% a year above inflation",
                "funds return 1.9% a year above inflation before fees",
                "The fund fee is 0.14% a year",
                "Pessimistic outcome: wages change by \u22120.5% a year and the funds return 0% a year",
                "Optimistic outcome: wages change by 2% a year and the funds return 3.9% a year",
                "can be paid from age 67",
            ],
        ),
    ],
)
def test_the_forecast_states_the_engines_assumptions_in_plain_words(language: str, expected: list[str]) -> None:
    text = _text(pdf.forecast_pdf(forecast_example(), name="T", language=language))
    for words in expected:
        assert words in text


def test_the_network_guard_of_these_tests_sees_what_weasyprints_own_fetcher_would_do(no_network: list[str]) -> None:
    """Without our fetcher WeasyPrint would open a connection for an image (here to this machine only)."""
    HTML(string='<html lang="en"><title>T</title><img src="http://127.0.0.1:9/x.png" alt="x"></html>').write_pdf()
    assert no_network


def test_rendering_fetches_nothing(fetched: list[str], no_network: list[str]) -> None:
    for render in DOCUMENTS.values():
        render("sv")
    assert fetched == []
    assert no_network == []


def test_markup_in_a_name_is_text_and_fetches_nothing(fetched: list[str], no_network: list[str]) -> None:
    name = '<img src="https://example.org/a.png"><link rel="stylesheet" href="http://example.org/s.css">Eve'
    statement = _text(pdf.statement_pdf(saver_snapshot(given_name=name), language="en"))
    forecast = _text(pdf.forecast_pdf(forecast_example(), name=name, language="en"))
    assert '<img src="https://example.org/a.png">' in statement
    assert '<img src="https://example.org/a.png">' in forecast
    assert fetched == []
    assert no_network == []


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="https://example.org/logo.png" alt="">',
        '<link rel="stylesheet" href="http://example.org/style.css">',
        "<style>@import url(https://example.org/more.css);</style>",
        '<img src="file:///etc/hostname" alt="">',
    ],
)
def test_a_template_that_asks_for_a_url_fails_without_fetching_it(
    monkeypatch: pytest.MonkeyPatch, no_network: list[str], markup: str
) -> None:
    monkeypatch.setattr(
        ui_pdf, "render_to_string", lambda *args, **kwargs: f"<html lang='en'><title>T</title>{markup}<p>Text</p>"
    )
    with pytest.raises(pdf.PdfRenderingError, match="documents fetch nothing"):
        pdf.statement_pdf(saver_snapshot(), language="en")
    assert no_network == []


def test_only_the_portals_languages_are_offered() -> None:
    with pytest.raises(ValueError, match="no documents in language"):
        pdf.statement_pdf(saver_snapshot(), language="de")
    with pytest.raises(ValueError, match="no documents in language"):
        pdf.forecast_pdf(forecast_example(), name="T", language="sv-fi")
