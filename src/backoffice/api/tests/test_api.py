"""Requirement: the internal API answers only signed, fresh service tokens for the very request, says clearly
what is wrong with a bad request (4xx with a JSON body), and its OpenAPI document is valid and true; its
casework takes a submission twice as one case, refuses another person's case as a missing one, and lets
only case handlers work on cases, naming the case rather than a person.

Schemathesis generates requests from the OpenAPI document (with valid tokens, so they reach the handlers)
and checks that none gets a 5xx and every answer matches the document.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from backoffice.api import urls as api_urls
from backoffice.api import views
from backoffice.api.handler import InternalApiHandler
from backoffice.api.views import openapi_document
from backoffice.casework.tests.factories import old_age_document, signed_submission
from backoffice.synthetic.demo import demo_persons_create
from kernel import clock
from kernel.service_tokens import private_key, token_sign

# Test-only: the settings' development key pair (production refuses it).
SIGNING_KEY = private_key("0NvzfLWxJjrerYR5Z+1/nyHAdTAHK1pQZh1HwEU9WJ0=")
KARIN = "196201082697"
SNAPSHOT = "/internal/v1/person/snapshot"


def token(method: str, path: str, personal_number: str, *, now: float | None = None, kind: str = "citizen") -> str:
    return token_sign(
        SIGNING_KEY,
        service="portal",
        principal_kind=kind,
        principal_ref="pseudonym",
        method=method,
        path=path,
        personal_number=personal_number,
        now=clock.now().timestamp() if now is None else now,
    )


@pytest.fixture
def api_app() -> Iterator[InternalApiHandler]:
    """The internal API's WSGI app, called in this thread so it sees the test's data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield InternalApiHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api(api_app: InternalApiHandler) -> Iterator[httpx.Client]:
    """An HTTP client for the internal API."""
    with httpx.Client(transport=httpx.WSGITransport(app=api_app), base_url="http://127.0.0.1") as client:
        yield client


pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])


def get(api: httpx.Client, path: str, **headers: str) -> httpx.Response:
    return api.get(path, headers={name.replace("_", "-"): value for name, value in headers.items()})


def test_the_snapshot_needs_a_token(api: httpx.Client) -> None:
    demo_persons_create()
    response = get(api, SNAPSHOT, X_Personal_Number=KARIN)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_a_valid_token_gets_the_snapshot(api: httpx.Client) -> None:
    demo_persons_create()
    response = get(api, SNAPSHOT, X_Personal_Number=KARIN, Authorization=f"Bearer {token('GET', SNAPSHOT, KARIN)}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json()["person"]["given_name"] == "Karin"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: token("GET", SNAPSHOT, KARIN, now=clock.now().timestamp() - 120), "expired"),
        (lambda: token("PUT", SNAPSHOT, KARIN), "another request"),
        (lambda: token("GET", "/internal/v1/person/tax-settings", KARIN), "another request"),
        (lambda: token("GET", SNAPSHOT, "195801082743"), "another subject"),
        (lambda: token("GET", SNAPSHOT, KARIN)[:-4] + "AAAA", "bad signature"),
        (lambda: "not-a-token", "malformed"),
        (lambda: token("GET", SNAPSHOT, KARIN, kind="robot"), "principal kind"),
    ],
)
def test_tokens_are_refused_when_not_good_for_this_request(api: httpx.Client, make: Any, reason: str) -> None:
    response = get(api, SNAPSHOT, X_Personal_Number=KARIN, Authorization=f"Bearer {make()}")
    assert response.status_code == 401
    assert reason in response.json()["message"]


def test_bad_requests_get_clear_4xx(api: httpx.Client) -> None:
    demo_persons_create()
    bad_number = get(
        api, SNAPSHOT, X_Personal_Number="19620108-2697", Authorization=f"Bearer {token('GET', SNAPSHOT, KARIN)}"
    )
    assert bad_number.status_code == 400
    unknown = "189001019802"
    missing = get(api, SNAPSHOT, X_Personal_Number=unknown, Authorization=f"Bearer {token('GET', SNAPSHOT, unknown)}")
    assert missing.status_code == 404
    path = "/internal/v1/person/tax-settings"
    headers = {"X-Personal-Number": KARIN, "Authorization": f"Bearer {token('PUT', path, KARIN)}"}
    headers["Content-Type"] = "application/json"
    not_json = api.put(path, content="{", headers=headers)
    assert not_json.status_code == 422
    assert "body" in not_json.json()["errors"]
    unknown_field = api.put(path, content=json.dumps({"rate": 1}), headers=headers)
    assert unknown_field.status_code == 422
    assert unknown_field.json()["errors"] == {"rate": "is not a known field"}
    assert api.delete(path, headers=headers).status_code == 405
    assert api.get("/internal/v1/nothing-here").json()["error"] == "not_found"


CASES = "/internal/v1/person/cases"


def submit(api: httpx.Client, number: str, submission: dict[str, Any]) -> httpx.Response:
    headers = {"X-Personal-Number": number, "Authorization": f"Bearer {token('POST', CASES, number)}"}
    return api.post(CASES, json=submission, headers=headers)


def staff_call(api: httpx.Client, method: str, path: str, *, kind: str = "handler", **extra: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token(method, path, '', kind=kind)}", **extra.pop("headers", {})}
    return api.request(method, path, headers=headers, **extra)


def test_a_submission_sent_twice_is_one_case_and_is_read_back(api: httpx.Client) -> None:
    demo_persons_create()
    submission = signed_submission(old_age_document())
    first, again = submit(api, KARIN, submission), submit(api, KARIN, submission)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    case_id = first.json()["case_id"]
    path = f"{CASES}/{case_id}"
    detail = get(api, path, X_Personal_Number=KARIN, Authorization=f"Bearer {token('GET', path, KARIN)}")
    assert detail.status_code == 200
    assert detail.json()["documents"][0]["canonical_bytes"] == submission["document"]["canonical_bytes"]
    assert KARIN not in path


def test_another_persons_case_and_a_malformed_id_are_not_found(api: httpx.Client) -> None:
    demo_persons_create()
    case_id = submit(api, KARIN, signed_submission(old_age_document())).json()["case_id"]
    path = f"{CASES}/{case_id}"
    other = "195801082743"
    refused = get(api, path, X_Personal_Number=other, Authorization=f"Bearer {token('GET', path, other)}")
    assert (refused.status_code, refused.json()["error"]) == (404, "case_not_found")
    missing = f"{CASES}/{uuid.uuid4()}"
    unknown = get(api, missing, X_Personal_Number=KARIN, Authorization=f"Bearer {token('GET', missing, KARIN)}")
    assert unknown.json() == refused.json()
    assert get(api, f"{CASES}/not-a-uuid").status_code == 404


def test_bad_submissions_get_clear_4xx(api: httpx.Client) -> None:
    demo_persons_create()
    submission = signed_submission(old_age_document())
    submission["document"]["sha256"] = "0" * 64
    refused = submit(api, KARIN, submission)
    assert refused.status_code == 422
    assert "document.sha256" in refused.json()["errors"]
    too_much = views.MAX_SUBMISSION_BYTES + views.MAX_MESSAGE_BYTES  # a question with three files at most
    huge = submit(api, KARIN, {"case_type": "general_question", "idempotency_key": "x" * 20, "message": "x" * too_much})
    assert (huge.status_code, huge.json()["errors"]) == (422, {"body": "is too large"})
    assert api.delete(CASES, headers={"X-Personal-Number": KARIN}).status_code == 405


def test_the_case_handlers_calls_name_a_case_and_need_a_handler(api: httpx.Client) -> None:
    demo_persons_create()
    case_id = submit(api, KARIN, signed_submission(old_age_document())).json()["case_id"]
    queue = "/internal/v1/casework/queue"
    answered = staff_call(api, "GET", queue)
    assert [item["case_id"] for item in answered.json()] == [case_id]
    assert staff_call(api, "GET", queue, kind="citizen").status_code == 403
    assert staff_call(api, "GET", queue, headers={"X-Personal-Number": KARIN}).status_code == 400
    for_a_subject = get(api, queue, Authorization=f"Bearer {token('GET', queue, KARIN, kind='handler')}")
    assert (for_a_subject.status_code, for_a_subject.json()["message"]) == (401, "token made for another subject")
    decision = f"/internal/v1/casework/cases/{case_id}/decision"
    decided = staff_call(api, "POST", decision, json={"outcome": "rejected", "text": "Skäl."})
    assert decided.status_code == 200
    assert decided.json()["person"]["personal_number"] == KARIN
    again = staff_call(api, "POST", decision, json={"outcome": "granted"})
    assert (again.status_code, again.json()["error"]) == (409, "case_state")
    withdrawal = f"{CASES}/{case_id}/withdrawal"
    headers = {"X-Personal-Number": KARIN, "Authorization": f"Bearer {token('POST', withdrawal, KARIN)}"}
    assert api.post(withdrawal, json={}, headers=headers).status_code == 409


def test_the_openapi_document_is_valid_and_served(api: httpx.Client) -> None:
    response = api.get("/internal/v1/openapi.json")
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.validate()
    paths = set(response.json()["paths"])
    assert {SNAPSHOT, "/internal/v1/person/contact-details", "/internal/v1/person/payment-account"} <= paths
    routes = {re.sub(r"<uuid:(\w+)>", r"{\1}", f"/{p.pattern}") for p in api_urls.urlpatterns}
    assert paths == routes, "every route of the API is in the document, and nothing else"


schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = InternalApiHandler()


@pytest.fixture
def demo_register(api_app: InternalApiHandler) -> None:
    """The demo persons in the register, so some generated requests find a person."""
    demo_persons_create()


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_5xx(case: Any, demo_register: None) -> None:
    """Generated requests, signed for themselves, never make the API fail; answers conform to the document.

    A schema-valid request may still be refused with 400 (twelve digits that are no valid personal number)
    or 422 (a change the register refuses), so "positive data acceptance" is not among the checks.
    """
    headers = dict(case.headers or {})
    path = case.formatted_path
    if path == "/internal/v1/forms":
        # The catalogue is about no person: a token for the empty subject.
        headers["Authorization"] = f"Bearer {token(case.method, path, '')}"
    elif path.startswith("/internal/v1/casework/"):
        # A case handler's call names a case, not a person: a handler's token for the empty subject.
        headers["Authorization"] = f"Bearer {token(case.method, path, '', kind='handler')}"
    elif case.path != "/internal/v1/openapi.json":
        # Twelve random digits are almost never a valid number; half the cases use a person in the register
        # so that the bodies reach the register's validation.
        if hash(repr(case.body)) % 2 == 0:
            headers["X-Personal-Number"] = KARIN
        number = str(headers.get("X-Personal-Number", KARIN))
        headers["Authorization"] = f"Bearer {token(case.method, path, number)}"
    case.call_and_validate(
        headers=headers,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
