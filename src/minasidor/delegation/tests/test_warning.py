"""Requirement (issue 22.3): where the portal warns against logging in for someone else, it says what to do
instead, with links: grant a power of attorney; give an adviser consented access (issue 22.2's page)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from minasidor.identity.tests.factories import log_in, make_identity

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "words"), [("/", "Gör så här i stället"), ("/en/", "Do this instead")])
def test_the_start_pages_warning_says_what_to_do_instead(client: Client, path: str, words: str) -> None:
    page = client.get(path).content.decode()
    found = re.search(r'<p class="govuk-body" id="instead-of-logging-in-for-someone">(.*?)</p>', page, re.S)
    assert found is not None
    assert words in found[1]
    prefix = path.rstrip("/")
    links = re.findall(r'href="([^"]+)"', found[1])
    assert links == [f"{prefix}/mina-sidor/fullmakter/", f"{prefix}/mina-sidor/dela/"]


def test_the_permission_pages_warning_leads_to_the_power_of_attorney(client: Client) -> None:
    log_in(client, make_identity())
    page = client.get("/en/mina-sidor/tillfallig-behorighet/").content.decode()
    assert "never ask you to log in for someone else" in page
    assert 'href="/en/mina-sidor/fullmakter/">give them a power of attorney</a> instead' in page
    assert 'href="/en/mina-sidor/dela/">shared access</a>' in page
