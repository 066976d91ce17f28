"""Requirement: the first overview after login shows the same figures however it is made (issue 21).

The overview is made with as little work as the page needs: Min Pension asked alongside the other work, the
engine's forecast for the chosen age only (decision 0246). These tests pin what the demo persons' overviews
show — every figure, in order — and check the overview's forecast against the forecast page's for the
same choice, so that a cheaper way of making the page cannot change what it says.
"""

from __future__ import annotations

import html
import re

import pytest
from django.http import HttpRequest
from django.test import Client, RequestFactory

from kernel import clock
from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.pension_data.forecast import default_choice, forecast_compute
from minasidor.pension_data.session import forecast_window, pension_data_get
from minasidor.ui.templatetags.ui import kronor
from simulators.minpension.server import SimulatorThread

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

HOME = "/mina-sidor/"
FORECAST = "/mina-sidor/pension/prognos/"
NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?")

# The figures of each demo person's first overview (the pension sections, in the order shown), as the page
# showed them before it was made cheaper (2026-12-05, the demo clock's 2026-11-28).
FIGURES: dict[str, str] = {
    "196201082697": (
        "2 989 810; 896 897; 3 886 707; 2025; 2025; 2025; 2 815 233; 61 600; 11 071; 102 938; 1 032; 2025; 2 "
        "989 810; 2025; 852 892; 9 625; 3 319; 31 286; 225; 2025; 896 897; 7; 840,65; 657 724; 0,05; 7; 1 "
        "777,09; 239 172; 0,03; 31; 2025; 67; 21 423; 15 522; 44 166; Vi har hämtat din tjänstepension och "
        "pri; False"
    ),
    "199101012384": (
        "435 586; 102 173; 537 759; 2025; 2025; 2025; 360 210; 60 496; 34; 14 997; 151; 2025; 435 586; 2025; "
        "88 619; 9 453; 8; 4 119; 26; 2025; 102 173; 7; 130,59; 102 173; 0,05; 31; 2025; 69; 16 355; 12 259; "
        "22 577; Vi har hämtat din tjänstepension och pri; False"
    ),
    "195801082743": (
        "3 124 901; 719 148; 3 844 049; 2025; 2025; 2025; 3 191 850; 33 408; 0; 107 589; 206 868; 1 078; "
        "2025; 3 124 901; 2025; 725 070; 5 220; 0; 30 030; 40 992; 180; 2025; 719 148; 662,87; 377 971; 0,45;"
        " 515,90; 178 086; 0,30; 143,73; 163 091; 0,80; 31; 2025; 21 267; 3 494; 17 773; 19; 2026; 17 773; "
        "18; 2026; 17 760; 3 507; 1; 2026; 19; 2026; 21 267; 3 494; 17 773; 19; 2026; 21 267; 3 494; 17 773; "
        "18; 2026; 21 267; 3 494; 17 773; 19; 2026; 21 267; 3 494; 17 773; 17; 2026; 21 267; 3 494; 17 773; "
        "19; 2026; 21 267; 3 494; 17 773; 19; 2026; 21 267; 3 494; 17 773; 17; 2026; 21 267; 3 494; 17 773; "
        "19; 2026; 21 267; 3 494; 17 773; 19; 2026; 21 267; 3 494; 17 773; 19; 2026; 21 267; 3 494; 17 773; "
        "19; 2025; 20 655; 3 438; 17 217; Vi har hämtat din tjänstepension och pri; False"
    ),
    "195901022995": (
        "426 086; 149 617; 575 703; 2025; 2025; 2025; 412 955; 23 376; 0; 14 670; 24 768; 147; 2025; 426 086;"
        " 2025; 149 214; 3 653; 0; 4 912; 8 124; 38; 2025; 149 617; 7; 121,11; 94 757; 0,05; 7; 407,61; 54 "
        "860; 0,03; 31; 2025; 6 655; 291; 6 364; 19; 2026; 6 364; 18; 2026; 2 230; 702; 3 723; 1; 2026; 19; "
        "2026; 6 655; 291; 6 364; 19; 2026; 6 655; 291; 6 364; 18; 2026; 6 655; 291; 6 364; 19; 2026; 6 655; "
        "291; 6 364; 17; 2026; 6 655; 291; 6 364; 19; 2026; 6 655; 291; 6 364; 19; 2026; 6 655; 291; 6 364; "
        "17; 2026; 6 655; 291; 6 364; 19; 2026; 6 655; 291; 6 364; 19; 2026; 6 655; 291; 6 364; 19; 2026; 6 "
        "655; 291; 6 364; 19; 2025; 6 470; 1 366; 5 104; Vi hämtar inte din tjänstepension och pr; False"
    ),
    "198001139297": (
        "1 978 169; 865 211; 2 843 380; 2025; 2025; 2025; 1 818 638; 91 440; 666; 68 108; 683; 2025; 1 978 "
        "169; 2025; 815 969; 14 287; 289; 34 883; 217; 2025; 865 211; 7; 1 105,84; 865 211; 0,05; 31; 2025; "
        "68; 29 398; 20 658; 39 772; Vi har hämtat din tjänstepension och pri; False"
    ),
    "198501139995": (
        "579 866; 166 085; 745 951; 2025; 2025; 2025; 522 113; 37 888; 100; 19 965; 200; 2025; 579 866; 2025;"
        " 153 648; 5 920; 29; 6 530; 42; 2025; 166 085; 93,16; 47 487; 0,20; 43,79; 24 971; 0,45; 37,94; 35 "
        "301; 0,65; 60; 157,50; 58 325; 0,25; 31; 2025; 69; 15 776; 11 885; Du är inte användare av Min "
        "Pension ännu; False"
    ),
    "191212121212": ("Du är inte användare av Min Pension ännu; False"),
}


def _section(page: str, start: str, end: str) -> str:
    """The text between the element with id ``start`` and the one with id ``end``, tags and UUIDs removed."""
    part = page[page.index(f'id="{start}"') : page.index(f'id="{end}"')]
    part = part[part.index(">") + 1 : part.rindex("<")]  # from the end of the start's tag to the end's tag
    text = html.unescape(re.sub(r"<[^>]+>", "|", part))
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", text)
    return re.sub(r"\s+", " ", text)


def _numbers(text: str) -> list[str]:
    return [re.sub(r"[ \u00a0\u202f]", " ", figure) for figure in NUMBER.findall(text)]


def _figures(page: str) -> list[str]:
    """Every figure of the pension sections in order, then what the page says of Min Pension, and whether
    it links the decision letter."""
    min_pension = _section(page, "tjanstepension", "arenden").strip(" |").split("|")[2].strip()
    return [
        *_numbers(_section(page, "intjanad-pension", "tjanstepension")),
        min_pension[:40],
        str('id="decision-letter-link"' in page),
    ]


def _first_overview(client: Client, number: str) -> str:
    log_in(client, make_identity(number, given_name="Test", family_name="Person"))
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("number", sorted(FIGURES))
def test_the_first_overview_shows_the_same_figures_as_before(
    client: Client, minpension: SimulatorThread, number: str
) -> None:
    figures = _figures(_first_overview(client, number))
    assert "; ".join(figures) == FIGURES[number]


@pytest.mark.parametrize("number", ["196201082697", "199101012384", "198001139297", "198501139995"])
def test_the_overviews_forecast_is_the_forecast_pages_at_the_chosen_age(
    client: Client, minpension: SimulatorThread, number: str
) -> None:
    """The overview's sentence names the age, the public pension before and after tax and, with Min Pension's
    pensions, the total: each as the full forecast (every age, with the band) has it at that age."""
    page = _first_overview(client, number)
    data = pension_data_get(_request(client), make_identity(number, given_name="Test", family_name="Person"))
    assert data is not None
    assert data.snapshot is not None
    today = clock.today()
    full = forecast_compute(
        data.snapshot, default_choice(data.snapshot, today), today=today, other_pensions=data.other_pensions
    )
    chosen = full.chosen
    assert chosen is not None
    assert chosen.expected is not None
    assert len(full.ages) > 1, "the full forecast, every age"
    wanted = [str(chosen.age), kronor(chosen.expected.total_before_tax), kronor(chosen.expected.total_after_tax)]
    if data.other_pensions is not None and chosen.other_pensions:
        wanted.append(kronor(chosen.total_with_other_pensions))
    assert _numbers(_section(page, "prognos", "tjanstepension")) == _numbers(" | ".join(wanted))


def _request(client: Client) -> HttpRequest:
    request = RequestFactory().get(HOME)
    request.session = client.session
    return request


def test_the_forecast_page_after_the_overview_makes_every_age_with_its_band(
    client: Client, minpension: SimulatorThread
) -> None:
    number = "196201082697"
    identity = make_identity(number, given_name="Test", family_name="Person")
    _first_overview(client, number)
    data = pension_data_get(_request(client), identity)
    assert data is not None
    window = forecast_window(data)
    assert window is not None
    assert data.forecast is not None
    assert [row.age for row in data.forecast.ages] == [data.forecast.choice.withdrawal_age], "the overview's only"
    page = client.get(FORECAST).content.decode()
    assert all(f'data-age="{age}"' in page for age in window.ages)
    data = pension_data_get(_request(client), identity)
    assert data is not None
    assert data.forecast is not None
    assert data.forecast.covers(window)
    assert all(row.pessimistic_total is not None for row in data.forecast.ages if row.allowed)
    assert _figures(client.get(HOME).content.decode()) == FIGURES[number].split("; "), "the overview again, the same"
