"""The DSS core subset and the DSS extension schemas (``minasidor/signing/schemas``), with the SAML assertion,
XML signature and encryption schemas pysaml2 ships, loaded from local files only (tests)."""

from __future__ import annotations

import functools
from pathlib import Path

import saml2
import xmlschema

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
SAML_SCHEMAS = Path(saml2.__file__).resolve().parent / "data" / "schemas"


@functools.cache
def dss_schema() -> xmlschema.XMLSchema:
    locations = [
        ("urn:oasis:names:tc:SAML:2.0:assertion", str(SAML_SCHEMAS / "saml-schema-assertion-2.0.xsd")),
        ("http://www.w3.org/2000/09/xmldsig#", str(SAML_SCHEMAS / "xmldsig-core-schema.xsd")),
        ("http://www.w3.org/2001/04/xmlenc#", str(SAML_SCHEMAS / "xenc-schema.xsd")),
        ("http://id.elegnamnden.se/csig/1.1/dss-ext/ns", str(SCHEMAS / "csig-dss-ext.xsd")),
    ]
    return xmlschema.XMLSchema(str(SCHEMAS / "dss-core-subset.xsd"), locations=locations, allow="local")


def schema_errors(xml: bytes) -> list[str]:
    """What keeps ``xml`` from validating (empty when it validates)."""
    return [str(error.reason) for error in dss_schema().iter_errors(xml.decode("utf-8"))]
