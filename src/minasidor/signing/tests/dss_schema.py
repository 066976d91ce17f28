"""The published schemas of a sign request and response, loaded from local files only (tests): OASIS DSS 1.0
core and the Swedish eID framework's DSS extension (``official_schemas/``, where they came from and under
which terms in ``SOURCE.md``), with the SAML 2.0 assertion, XML signature and encryption schemas pysaml2
ships. The principal-selection schema checks the signature service's authentication requests' extension."""

from __future__ import annotations

import functools
from pathlib import Path

import saml2
import xmlschema

OFFICIAL = Path(__file__).resolve().parent / "official_schemas"
SAML_SCHEMAS = Path(saml2.__file__).resolve().parent / "data" / "schemas"
DSS_CORE = OFFICIAL / "oasis-dss-core-schema-v1.0-os.xsd"
DSS_EXTENSION = OFFICIAL / "EidCentralSigDssExt-1.1.3.xsd"
PRINCIPAL_SELECTION = OFFICIAL / "PrincipalSelection-1.0.xsd"
CSIG = "http://id.elegnamnden.se/csig/1.1/dss-ext/ns"
LOCATIONS = [
    ("urn:oasis:names:tc:SAML:2.0:assertion", str(SAML_SCHEMAS / "saml-schema-assertion-2.0.xsd")),
    ("urn:oasis:names:tc:SAML:1.0:assertion", str(OFFICIAL / "oasis-sstc-saml-schema-protocol-1.1.xsd")),
    ("http://www.w3.org/2000/09/xmldsig#", str(SAML_SCHEMAS / "xmldsig-core-schema.xsd")),
    ("http://www.w3.org/2001/04/xmlenc#", str(SAML_SCHEMAS / "xenc-schema.xsd")),
    ("http://www.w3.org/XML/1998/namespace", str(OFFICIAL / "xml.xsd")),
    (CSIG, str(DSS_EXTENSION)),
]


@functools.cache
def dss_schema() -> xmlschema.XMLSchema:
    """DSS core with the extension's namespace loaded beside it (the core's optional inputs and outputs are
    open, ``lax``: an element of a loaded namespace is validated by its declaration, strictly)."""
    schema = xmlschema.XMLSchema(str(DSS_CORE), locations=LOCATIONS, allow="local", build=False)
    schema.import_schema(CSIG, str(DSS_EXTENSION))
    schema.build()
    return schema


def schema_errors(xml: bytes) -> list[str]:
    """What keeps ``xml`` (a DSS SignRequest or SignResponse) from validating (empty when it validates)."""
    return [str(error.reason) for error in dss_schema().iter_errors(xml.decode("utf-8"))]
