"""Requirement: the public pages are server-rendered in Swedish and English, with a strict CSP and accessible forms."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import html

pytestmark = pytest.mark.django_db


def _doc(content: bytes) -> html.HtmlElement:
    return html.fromstring(content)


def test_start_page_is_swedish_at_the_root(client: Client) -> None:
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    doc = _doc(response.content)
    assert doc.get("lang") == "sv"
    assert doc.findtext(".//h1") == "Mina sidor"
    text = doc.text_content()
    assert "andrahandsinloggning" in text
    assert "personuppgiftsansvarig" in text
    assert "BankID på en annan enhet" in text


def test_start_page_in_english(client: Client) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    doc = _doc(response.content)
    assert doc.get("lang") == "en"
    assert doc.findtext(".//h1") == "My pages"
    assert "data controller" in doc.text_content()


def test_language_navigation_links_to_the_same_page(client: Client) -> None:
    doc = _doc(client.get("/personuppgifter/").content)
    english = doc.xpath("//nav[contains(@class,'govuk-language-navigation')]//a[@hreflang='en']")
    assert [link.get("href") for link in english] == ["/en/personuppgifter/"]
    current = doc.xpath("//nav[contains(@class,'govuk-language-navigation')]//*[@aria-current='true']")
    assert current[0].get("lang") == "sv"


def test_every_page_has_a_skip_link_and_one_main(client: Client) -> None:
    for url in ("/", "/en/", "/logga-in/", "/personuppgifter/", "/tillganglighet/", "/en/tillganglighet/"):
        doc = _doc(client.get(url).content)
        assert doc.xpath("//a[@class='govuk-skip-link']/@href") == ["#main-content"], url
        assert len(doc.xpath("//main[@id='main-content']")) == 1, url
        assert len(doc.xpath("//h1")) == 1, url


def test_the_citizens_and_the_staffs_pages_share_one_head_and_only_the_staffs_are_not_indexed(client: Client) -> None:
    citizen, staff = (_doc(client.get(url).content) for url in ("/en/", "/kundservice/logga-in/"))
    for doc in (citizen, staff):
        assert doc.xpath("//head/link[@rel='stylesheet']/@href") == ["/static/ui/build/main.css"]
        assert doc.xpath("//head/link[@rel='icon']/@href") == ["/static/ui/images/favicon.svg"]
        assert doc.xpath("//head/meta[@name='viewport']")
        assert doc.xpath("//body/*[1][self::script]/@src") == ["/static/ui/js/enable-js.js"]
        assert doc.xpath("//body/*[2]/@href") == ["#main-content"]
        assert doc.xpath("//header//*[contains(@class,'govuk-generic-header__homepage-link')]/text()")
    assert staff.xpath("//head/meta[@name='robots']/@content") == ["noindex"]
    assert not citizen.xpath("//head/meta[@name='robots']")
    assert citizen.xpath("//header//a[@class='govuk-generic-header__homepage-link']/@href") == ["/en/"]
    assert not staff.xpath("//header//a[@class='govuk-generic-header__homepage-link']"), "no link out of the console"
    assert citizen.xpath("//a[@class='govuk-skip-link']/text()") == ["Skip to main content"]
    assert staff.xpath("//a[@class='govuk-skip-link']/text()") == ["Till huvudinnehållet"], "staff: Swedish only"


def test_csp_forbids_inline_code_and_framing(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'none'" in policy
    doc = _doc(response.content)
    assert all(script.get("src") for script in doc.xpath("//script")), "inline script found"
    assert not doc.xpath("//*[@style]"), "inline style found"
    assert not doc.xpath("//style")
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert all(script.get("nonce") == nonce for script in doc.xpath("//script"))


def test_head_is_answered_like_get(client: Client) -> None:
    assert client.head("/").status_code == 200
