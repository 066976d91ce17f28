"""The federation's metadata aggregate: downloaded, its signature verified, then (and only then) used.

pysaml2 accepts an *unsigned* aggregate even when a certificate is configured (pysaml2 issue #1037), so
the portal verifies the ``ds:Signature`` itself (signxml, with the configured certificate only) and hands
pysaml2 nothing but the element that signature covers. An aggregate past its ``validUntil`` is refused.
The local test aggregate (on loopback, or signed with a key under ``var/simulators/``) is trusted only
while ``MINASIDOR_SIMULATORS_ENABLED`` is true.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import structlog
from django.conf import settings
from lxml import etree
from signxml import XMLVerifier  # type: ignore[attr-defined]
from signxml.exceptions import InvalidInput, InvalidSignature

from kernel import clock

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

logger = structlog.get_logger(__name__)


class MetadataError(Exception):
    """The federation metadata cannot be trusted or fetched."""


def verified_aggregate(document: bytes, *, cert_pem: str, now: dt.datetime) -> bytes:
    """The aggregate's signed EntitiesDescriptor (signature removed), or :class:`MetadataError`."""
    try:
        root = etree.fromstring(document, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        raise MetadataError("the aggregate is not well-formed XML") from error
    if root.tag != f"{{{MD}}}EntitiesDescriptor":
        raise MetadataError("the document is not an EntitiesDescriptor")
    if root.find(f"{{{DS}}}Signature") is None:
        raise MetadataError("the aggregate is not signed")
    try:
        result = XMLVerifier().verify(root, x509_cert=cert_pem)
    except (InvalidSignature, InvalidInput) as error:
        raise MetadataError(f"the aggregate's signature does not verify: {error}") from error
    if isinstance(result, list):
        raise MetadataError("the aggregate must carry exactly one signature")
    signed = result.signed_xml
    if signed is None or signed.tag != root.tag or signed.get("ID") != root.get("ID"):
        raise MetadataError("the signature does not cover the whole aggregate")
    valid_until = signed.get("validUntil")
    if valid_until and dt.datetime.fromisoformat(valid_until.replace("Z", "+00:00")) < now:
        raise MetadataError("the aggregate has expired (validUntil)")
    return etree.tostring(signed)


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_test_federation(url: str, cert_file: str) -> bool:
    """Whether these settings point at the local test federation (not for production)."""
    simulators = Path(settings.VAR_DIR) / "simulators"
    return _is_loopback(url) or Path(cert_file).resolve().is_relative_to(simulators.resolve())


def _download(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        response = httpx.get(source, timeout=10, follow_redirects=False)
        response.raise_for_status()
        return response.content
    return Path(source).read_bytes()


class Federation:
    """The verified aggregate, kept in memory and fetched again every ``SAML_METADATA_REFRESH_SECONDS``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._xml: bytes | None = None
        self._key: tuple[str, str] | None = None
        self._fetched_at: dt.datetime | None = None
        self.version = 0

    def reset(self) -> None:
        with self._lock:
            self._xml, self._key, self._fetched_at = None, None, None

    def xml(self) -> bytes:
        """The verified aggregate (downloaded when missing or due); :class:`MetadataError` when untrusted."""
        source, cert_file = settings.SAML_METADATA_URL, settings.SAML_METADATA_CERT_FILE
        if is_test_federation(source, cert_file) and not settings.SAML_TRUST_TEST_FEDERATION:
            raise MetadataError("the local test federation is trusted only while the simulators are enabled")
        now = clock.now()
        refresh = dt.timedelta(seconds=settings.SAML_METADATA_REFRESH_SECONDS)
        with self._lock:
            fresh = self._fetched_at is not None and now - self._fetched_at < refresh
            if self._xml is not None and self._key == (source, cert_file) and fresh:
                return self._xml
            try:
                document = _download(source)
                cert_pem = Path(cert_file).read_text()
            except (OSError, httpx.HTTPError) as error:
                if self._xml is not None and self._key == (source, cert_file):
                    logger.warning("saml.metadata_refresh_failed", error=str(error))
                    return self._xml
                raise MetadataError(f"the aggregate cannot be fetched: {error}") from error
            self._xml = verified_aggregate(document, cert_pem=cert_pem, now=now)
            self._key, self._fetched_at = (source, cert_file), now
            self.version += 1
            logger.info("saml.metadata_loaded", source=source)
            return self._xml


FEDERATION = Federation()


def display_name(entity_id: str, language: str) -> str:
    """The identity provider's mdui DisplayName in ``language`` (or English, or its entityID)."""
    root = etree.fromstring(FEDERATION.xml(), parser=_PARSER)
    names: dict[str, str] = {}
    for entity in root.iter(f"{{{MD}}}EntityDescriptor"):
        if entity.get("entityID") == entity_id:
            for element in entity.iter("{urn:oasis:names:tc:SAML:metadata:ui}DisplayName"):
                names[element.get("{http://www.w3.org/XML/1998/namespace}lang", "")] = (element.text or "").strip()
    return names.get(language) or names.get("en") or entity_id
