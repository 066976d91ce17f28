"""A locally signed federation metadata aggregate, shaped like ``md.swedenconnect.se/role/idp.xml``.

An ``md:EntitiesDescriptor`` holding the test IdPs' EntityDescriptors, with ``validUntil`` and an enveloped
RSA-SHA256 signature by the TEST-ONLY federation key (``federation-key.pem``; its certificate
``federation.crt`` is what the portal is configured to trust in development).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from lxml import etree
from signxml import XMLSigner  # type: ignore[attr-defined]
from signxml.algorithms import DigestAlgorithm, SignatureConstructionMethod, SignatureMethod

from simulators.saml_idp.keys import KeyPair

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
VALIDITY = dt.timedelta(days=7)


def aggregate(entities: Iterable[etree._Element], *, now: dt.datetime, name: str) -> etree._Element:
    """The unsigned aggregate of ``entities``."""
    root = etree.Element(f"{{{MD}}}EntitiesDescriptor", nsmap={"md": MD, "ds": DS})
    root.set("ID", f"_{secrets.token_hex(16)}")
    root.set("Name", name)
    root.set("validUntil", (now + VALIDITY).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    for entity in entities:
        root.append(entity)
    return root


def signed_aggregate(entities: Iterable[etree._Element], *, keys: KeyPair, now: dt.datetime, name: str) -> bytes:
    """The aggregate, signed with the federation key (the signature is the first child, as SAML wants)."""
    root = aggregate(entities, now=now, name=name)
    placeholder = etree.Element(f"{{{DS}}}Signature", Id="placeholder")
    root.insert(0, placeholder)
    signer = XMLSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    )
    signed = signer.sign(
        root,
        key=keys.key_file.read_bytes(),
        cert=keys.cert_file.read_text(),
        reference_uri=f"#{root.get('ID')}",
        id_attribute="ID",
    )
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
