"""The pysaml2 configuration of the portal's SP, from the settings, and the SP's own metadata.

The SP: signs its AuthnRequests, wants signed responses (and refuses unsolicited ones), decrypts with
its encryption key, and declares the framework's entity categories (eIDAS natural person, LoA3 with
personal number, public-sector SP, Sweden Connect contract). Its metadata also carries Swedish and English
display names, a description and a logo (mdui), the organisation, separate signing and encryption keys,
and the algorithms it accepts (and nothing weaker).
"""

from __future__ import annotations

import shutil
import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from lxml import etree
from saml2 import BINDING_HTTP_POST
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor

from minasidor.identity.contrib.saml import attributes as names
from minasidor.identity.contrib.saml.federation import FEDERATION
from minasidor.identity.contrib.saml.keys import ensure_keys

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
ALG = "urn:oasis:names:tc:SAML:metadata:algsupport"
DS = "http://www.w3.org/2000/09/xmldsig#"
ORG_EXT = "http://id.swedenconnect.se/authn/1.0/md-org-ext/ns"


def base_url(request: HttpRequest) -> str:
    """The portal's public address: configured, or (development, tests) the request's own."""
    configured: str = settings.SAML_BASE_URL
    return (configured or f"{request.scheme}://{request.get_host()}").rstrip("/")


def entity_id(base: str) -> str:
    return f"{base}/saml/metadata/"


def acs_url(base: str) -> str:
    return f"{base}/saml/acs/"


def _config_dict(base: str, *, with_federation: bool) -> dict[str, Any]:
    name = settings.AUTHORITY_NAME
    config: dict[str, Any] = {
        "entityid": entity_id(base),
        "name": name,
        "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
        "attribute_map_dir": str(names.ATTRIBUTE_MAP_DIR),
        "allow_unknown_attributes": True,
        "key_file": settings.SAML_KEY_FILE,
        "cert_file": settings.SAML_CERT_FILE,
        "encryption_keypairs": [
            {"key_file": settings.SAML_ENCRYPTION_KEY_FILE, "cert_file": settings.SAML_ENCRYPTION_CERT_FILE}
        ],
        "accepted_time_diff": settings.SAML_CLOCK_SKEW_SECONDS,
        "entity_category": list(names.SP_ENTITY_CATEGORIES),
        "organization": {
            "name": [(name, "sv"), (name, "en")],
            "display_name": [(name, "sv"), (name, "en")],
            "url": [(f"{base}/", "sv"), (f"{base}/en/", "en")],
        },
        "metadata": {"inline": [FEDERATION.xml().decode()]} if with_federation else {},
        "service": {
            "sp": {
                "endpoints": {"assertion_consumer_service": [(acs_url(base), BINDING_HTTP_POST)]},
                "authn_requests_signed": True,
                "want_response_signed": True,
                "want_assertions_signed": False,
                "want_assertions_or_response_signed": True,
                "allow_unsolicited": False,
                "ui_info": {
                    "display_name": [{"text": "Mina sidor", "lang": "sv"}, {"text": "My pages", "lang": "en"}],
                    "description": [
                        {"text": f"{name}: se och hantera din pension", "lang": "sv"},
                        {"text": f"{name}: see and manage your pension", "lang": "en"},
                    ],
                    "logo": [{"text": f"{base}/static/ui/images/favicon.svg", "width": "64", "height": "64"}],
                },
            }
        },
    }
    return config


_clients: dict[tuple[str, int], Saml2Client] = {}
_lock = threading.Lock()


def client(base: str) -> Saml2Client:
    """A pysaml2 client for ``base`` with the current verified federation metadata."""
    FEDERATION.xml()  # fetch or refresh first, so the version below is the one used
    ensure_keys()
    key = (base, FEDERATION.version)
    with _lock:
        if key not in _clients:
            _clients.clear()
            config = SPConfig()
            config.load(_config_dict(base, with_federation=True))
            _clients[key] = Saml2Client(config=config)
        return _clients[key]


def reset() -> None:
    with _lock:
        _clients.clear()
    FEDERATION.reset()


def sp_metadata(base: str) -> bytes:
    """The SP's EntityDescriptor as the framework requires (see the module docstring)."""
    ensure_keys()
    config = SPConfig()
    config.load(_config_dict(base, with_federation=False))
    root = etree.fromstring(str(entity_descriptor(config)).encode())
    extensions = root.find(f"{{{MD}}}Extensions")
    assert extensions is not None  # noqa: S101 - the entity categories are always there
    for element in list(extensions):
        if element.tag.startswith(f"{{{ALG}}}"):
            extensions.remove(element)  # pysaml2 lists every algorithm xmlsec1 knows, SHA-1 too
    for digest in sorted(names.ALLOWED_DIGEST_METHODS):
        etree.SubElement(extensions, f"{{{ALG}}}DigestMethod", Algorithm=digest)
    for method in sorted(names.ALLOWED_SIGNATURE_METHODS):
        etree.SubElement(extensions, f"{{{ALG}}}SigningMethod", Algorithm=method)
    organization = root.find(f"{{{MD}}}Organization")
    if settings.SAML_ORGANIZATION_NUMBER and organization is not None:
        org_extensions = etree.Element(f"{{{MD}}}Extensions")
        organization.insert(0, org_extensions)
        number = etree.SubElement(org_extensions, f"{{{ORG_EXT}}}OrganizationNumber", nsmap={"mdorgext": ORG_EXT})
        number.text = settings.SAML_ORGANIZATION_NUMBER
    for descriptor in root.iter(f"{{{MD}}}KeyDescriptor"):
        if descriptor.get("use") == "encryption":
            for algorithm in (*names.ALLOWED_BLOCK_ENCRYPTION, names.ALLOWED_KEY_TRANSPORT[0]):
                etree.SubElement(descriptor, f"{{{MD}}}EncryptionMethod", Algorithm=algorithm)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
