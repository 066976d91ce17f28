"""Requirement (issue 22.2): the read API is documented in OpenAPI (docs/sharing-openapi.yaml): every route of it
is in the document and nothing more, the answers a client gets match the documented schemas, and generated
requests never get a 5xx (schemathesis)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import pytest
import schemathesis
import yaml
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from tests.security.urlconf import routes

from minasidor.identity.tests.factories import log_in, make_identity
from minasidor.sharing.tests.support import ThirdParty, application_register, tokens_obtained

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

OPENAPI_FILE = Path(settings.PROJECT_ROOT) / "docs" / "sharing-openapi.yaml"
DOCUMENT: dict[str, Any] = yaml.safe_load(OPENAPI_FILE.read_text())
PREFIX = "/api/dela"


def _inlined(node: Any) -> Any:
    """The schema with its ``#/components/...`` references replaced by what they name."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = DOCUMENT
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _inlined(target)
        return {key: _inlined(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_inlined(item) for item in node]
    return node


def _valid(path: str, method: str, status: int, body: Any) -> None:
    response = _inlined(DOCUMENT["paths"][path][method]["responses"][str(status)])
    schema = response["content"]["application/json"]["schema"]
    jsonschema_rs.validate(schema, body)


def test_every_route_of_the_api_is_documented_and_nothing_more() -> None:
    served = {route.url().removeprefix(PREFIX) for route in routes() if route.name.startswith("sharing_api:")}
    assert served == set(DOCUMENT["paths"])


def test_the_answers_match_the_documented_schemas(client: Client) -> None:
    log_in(client, make_identity("198501139995", given_name="Johan", family_name="Sund"))
    application_register("demo-radgivaren")
    party, api = ThirdParty("demo-radgivaren"), Client()
    tokens = tokens_obtained(client, api, party, "statement:read payments:read")
    _valid("/oauth/token/", "post", 200, tokens)
    for what in ("statement", "payments"):
        status, body = party.read(api, what, tokens["access_token"])
        assert status == 200
        _valid(f"/v1/{what}/", "get", 200, body)
    status, body = party.read(api, "forecast", tokens["access_token"])
    assert status == 403
    _valid("/v1/forecast/", "get", 403, body)
    status, body = party.read(api, "statement", tokens["access_token"] + "x")
    assert status == 401
    _valid("/v1/statement/", "get", 401, body)


def test_the_schemas_refuse_what_the_api_must_not_say() -> None:
    schema = _inlined(DOCUMENT["components"]["schemas"]["Tokens"])
    assert not jsonschema_rs.is_valid(schema, {"access_token": "a", "token_type": "Bearer", "expires_in": 300})


@pytest.fixture
def portal_http() -> Iterator[httpx.Client]:
    """An httpx client whose requests the portal answers in-process."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        transport = httpx.WSGITransport(app=WSGIHandler())
        with httpx.Client(transport=transport, base_url="http://testserver" + PREFIX) as client:
            yield client
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


api = schemathesis.openapi.from_dict(DOCUMENT)
api.app = WSGIHandler()


@api.parametrize()
@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_5xx(case: Any, portal_http: httpx.Client) -> None:
    case.call_and_validate(checks=[not_a_server_error])
