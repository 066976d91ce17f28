"""Requirement (issue 20.3): every document the telephone service serves is VoiceXML 2.1 that validates against
the W3C's VoiceXML 2.1 XML Schema (tests/vxml21-schema/, decision 0173) and against the schema of the part of the
standard it uses (tests/vxml21-subset.rng, decision 0141), in both languages, and the API as described in its
OpenAPI document gives no 5xx to generated requests (schemathesis).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from lxml import etree
from schemathesis.checks import not_a_server_error

from backoffice.personal_codes.codes import code_derive
from minasidor.talsvar.views import OPENAPI_FILE

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("demo_backoffice")]

SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("vxml21-subset.rng"))))
W3C_SCHEMA_DIR = Path(__file__).with_name("vxml21-schema")


class _LocalSchemas(etree.Resolver):
    """The one schema the W3C's files import from the network (the ``xml:`` namespace's), read from here."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:  # type: ignore[override]
        if system_url == "http://www.w3.org/2001/xml.xsd":
            # lxml's stubs lack Resolver.resolve_filename, which lxml has
            return self.resolve_filename(str(W3C_SCHEMA_DIR / "xml.xsd"), context)  # type: ignore[attr-defined]
        return None


def _w3c_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(W3C_SCHEMA_DIR / "vxml.xsd"), parser))


W3C_SCHEMA = _w3c_schema()
AMIR = "195901022995"


def valid(response: httpx.Response) -> etree._Element:
    assert response.headers["content-type"].startswith("application/voicexml+xml")
    document = etree.fromstring(response.content)
    assert W3C_SCHEMA.validate(document), W3C_SCHEMA.error_log
    assert SCHEMA.validate(document), SCHEMA.error_log
    return document


def test_every_document_of_a_call_validates(portal_http: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {settings.TALSVAR_PLATFORM_TOKEN}"}
    start = portal_http.get("/talsvar/v1/start", headers=auth)
    document = valid(start)
    call = re.search(r"call=([A-Za-z0-9_\-]+)", start.text).group(1)  # type: ignore[union-attr]
    for language in ("sv", "en"):
        form = valid(portal_http.get("/talsvar/v1/identify", params={"call": call, "lang": language}, headers=auth))
        assert form.get("{http://www.w3.org/XML/1998/namespace}lang", "").startswith(language)
    valid(portal_http.post("/talsvar/v1/identify", data={"call": call, "pnr": AMIR, "code": "00000000"}, headers=auth))
    valid(portal_http.get("/talsvar/v1/menu", params={"call": call}, headers=auth))  # 403: not identified
    menu = valid(
        portal_http.post(
            "/talsvar/v1/identify", data={"call": call, "pnr": AMIR, "code": code_derive(AMIR, "statement-2025")},
            headers=auth,
        )
    )  # fmt: skip
    assert menu.find("{http://www.w3.org/2001/vxml}menu") is not None
    for question in ("next-payment", "latest-payment", "statement-total", "application-status", "new-code", "other"):
        valid(portal_http.get(f"/talsvar/v1/answer/{question}", params={"call": call}, headers=auth))
    forms = valid(portal_http.get("/talsvar/v1/forms", params={"call": call}, headers=auth))
    keys = [choice.get("dtmf") for choice in forms.iter("{http://www.w3.org/2001/vxml}choice")]
    assert keys == ["1", "2", "3", "4", "*"]
    for code in ("housing_supplement", "housing_supplement", "no_such_form"):
        valid(portal_http.get(f"/talsvar/v1/forms/{code}", params={"call": call}, headers=auth))
    valid(portal_http.get("/talsvar/v1/end", params={"call": call}, headers=auth))
    valid(portal_http.get("/talsvar/v1/menu", params={"call": call}, headers=auth))  # 404: the call is over
    assert document.get("version") == "2.1"


def test_the_schema_refuses_what_is_not_voicexml() -> None:
    wrong = (
        b'<vxml version="2.0" xmlns="http://www.w3.org/2001/vxml"><form><block><prompt>x</prompt></block></form></vxml>'
    )
    assert not SCHEMA.validate(etree.fromstring(wrong))
    unknown = b'<vxml version="2.1" xmlns="http://www.w3.org/2001/vxml"><form><blink/></form></vxml>'
    assert not SCHEMA.validate(etree.fromstring(unknown))
    assert not W3C_SCHEMA.validate(etree.fromstring(unknown))


def test_the_w3c_schema_is_the_published_one_and_knows_voicexml_2_1() -> None:
    """The files are the W3C's (its notice in each, tests/vxml21-schema/SOURCE.md); 2.1's own elements validate,
    an element of no version and a misplaced one do not."""
    for path in W3C_SCHEMA_DIR.glob("vxml*.xsd"):
        assert "W3C" in path.read_text(encoding="utf-8"), path.name
    v21 = (
        b'<vxml version="2.1" xmlns="http://www.w3.org/2001/vxml"><form><data name="d" src="x.xml"/>'
        b'<block><foreach item="i" array="d"><prompt>x</prompt></foreach></block></form></vxml>'
    )
    assert W3C_SCHEMA.validate(etree.fromstring(v21)), W3C_SCHEMA.error_log
    misplaced = b'<vxml version="2.1" xmlns="http://www.w3.org/2001/vxml"><prompt>x</prompt></vxml>'
    assert not W3C_SCHEMA.validate(etree.fromstring(misplaced))


api = schemathesis.openapi.from_path(str(OPENAPI_FILE))
api.app = WSGIHandler()


@api.parametrize()
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_5xx(case: Any, portal_http: httpx.Client) -> None:
    headers = dict(case.headers or {})
    headers.setdefault("Authorization", f"Bearer {settings.TALSVAR_PLATFORM_TOKEN}")
    case.call_and_validate(headers=headers, checks=[not_a_server_error])


def test_a_call_id_of_any_characters_is_just_an_ended_call(portal_http: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {settings.TALSVAR_PLATFORM_TOKEN}"}
    for call in ("ö\x1b4 ", "x" * 65, "", "../../etc"):
        response = portal_http.get("/talsvar/v1/identify", params={"call": call}, headers=auth)
        assert response.status_code == 404
        valid(response)
