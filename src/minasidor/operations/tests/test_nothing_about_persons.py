"""Requirement (issue 21): the health endpoints and the metrics reveal nothing about persons, and the metrics
are not reachable from outside. After a citizen has used the portal (the overview, the access log, a case's
address with its id, a PDF), liveness, readiness and the metrics hold no personal number (in any of its
written forms), no name, no session key and no object id from an address; and the nginx site a deployment
uses keeps /-/metrics to the operators' network.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from minasidor.identity.tests.factories import log_in, make_identity

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

PERSONAL_NUMBER = "191212121212"
NGINX_SITE = Path(settings.PROJECT_ROOT) / "deploy" / "nginx" / "minasidor.conf"


def _forms(personal_number: str) -> list[str]:
    """The ways a personal number is written: 12 digits, with the hyphen, and the 10-digit forms."""
    return [
        personal_number,
        f"{personal_number[:8]}-{personal_number[8:]}",
        personal_number[2:],
        f"{personal_number[2:8]}-{personal_number[8:]}",
    ]


def test_health_and_metrics_hold_nothing_about_the_person_who_used_the_portal() -> None:
    citizen = Client()
    log_in(citizen, make_identity(PERSONAL_NUMBER))
    case_id = str(uuid.uuid4())
    for path in ("/mina-sidor/", "/mina-sidor/vem-har-sett/", f"/mina-sidor/arenden/{case_id}/", "/en/mina-sidor/"):
        citizen.get(path)
    session_key = citizen.cookies[settings.SESSION_COOKIE_NAME].value
    operator = Client(REMOTE_ADDR="127.0.0.1")
    pages = {path: operator.get(path) for path in ("/-/live", "/-/ready", "/-/metrics")}
    assert all(response.status_code == 200 for response in pages.values()), {p: r.status_code for p, r in pages.items()}
    metrics = pages["/-/metrics"].content.decode()
    assert "minasidor_http_requests_total" in metrics, "the visits were counted"
    for path, response in pages.items():
        text = response.content.decode()
        for written in _forms(PERSONAL_NUMBER):
            assert written not in text, f"{path} holds the personal number ({written})"
        assert not re.search(r"tolvan", text, re.IGNORECASE), f"{path} holds the name"
        assert session_key not in text, f"{path} holds a session key"
        assert case_id not in text, f"{path} holds an object id from an address"
        assert not response.cookies, f"{path} sets a cookie"
    routes = set(re.findall(r'route="([^"]*)"', metrics))
    assert routes, "requests are labelled by route"
    assert all("/" not in route for route in routes), f"routes are URL names, never paths: {sorted(routes)}"


def test_the_nginx_site_keeps_the_metrics_to_the_operators_network() -> None:
    site = NGINX_SITE.read_text()
    block = re.search(r"location = /-/metrics \{(.*?)\}", site, re.S)
    assert block is not None, "the site has its own location for /-/metrics"
    rules = [line.strip() for line in block.group(1).splitlines() if line.strip().startswith(("allow", "deny"))]
    assert rules[-1] == "deny all;", "everyone else is refused"
    assert all(rule.startswith("allow") for rule in rules[:-1])
    assert "allow all;" not in rules
