"""BankID's XML signature (``completionData.signature``), built in BankID's structure.

An enveloping XMLDSig with two references (``#bidSignedData`` and ``#bidKeyInfo``), inclusive C14N 1.0,
SHA-256 digests and RSA-SHA256, the user's certificate chain in ``KeyInfo``. Like BankID, the XML is
emitted already canonical, with a namespace declaration on each referenced element, so verifiers that
canonicalise and verifiers that hash the raw text both succeed.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
BANKID_NS = "http://www.bankid.com/signature/v1.0.0/types"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"


def b64(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True, kw_only=True)
class SignedContent:
    """What the user's app signs, as BankID puts it into ``bankIdSignedData``."""

    user_visible_data: str | None  # base64, as the RP sent it
    user_non_visible_data: str | None  # base64, as the RP sent it
    rp_subject: str
    rp_display_name: str
    func_id: str  # "Identification" or "Signing"
    uhi: str
    certificate_policy: str = "1.2.3.4.25"


def _signed_data(content: SignedContent, *, nonce: bytes) -> str:
    parts = [f'<bankIdSignedData xmlns="{BANKID_NS}" Id="bidSignedData">']
    if content.user_visible_data:
        parts.append(
            f'<usrVisibleData charset="UTF-8" visible="wysiwys">{escape(content.user_visible_data)}</usrVisibleData>'
        )
    if content.user_non_visible_data:
        parts.append(f"<usrNonVisibleData>{escape(content.user_non_visible_data)}</usrNonVisibleData>")
    parts.append(
        "<srvInfo>"
        f"<name>{b64(content.rp_subject)}</name>"
        f"<nonce>{b64(nonce)}</nonce>"
        f"<displayName>{b64(content.rp_display_name)}</displayName>"
        "</srvInfo>"
        "<clientInfo>"
        f"<funcId>{escape(content.func_id)}</funcId>"
        f"<version>{b64('Personal=8.0.0.1&BankID_exe=8.0.0.1&platform=simulator')}</version>"
        "<env><ai>"
        f"<type>{b64('IOS')}</type>"
        f"<deviceInfo>{b64('17.5')}</deviceInfo>"
        f"<uhi>{escape(content.uhi)}</uhi>"
        "<fsib>0</fsib><utb>cs1</utb>"
        "<requirement><condition><type>CertificatePolicies</type>"
        f"<value>{escape(content.certificate_policy)}</value></condition></requirement>"
        "<uauth>pw</uauth>"
        "</ai></env>"
        "</clientInfo>"
        "</bankIdSignedData>"
    )
    return "".join(parts)


def _key_info(chain: list[x509.Certificate]) -> str:
    certs = "".join(
        f"<X509Certificate>{b64(cert.public_bytes(serialization.Encoding.DER))}</X509Certificate>" for cert in chain
    )
    return f'<KeyInfo xmlns="{DSIG_NS}" Id="bidKeyInfo"><X509Data>{certs}</X509Data></KeyInfo>'


def _reference(uri: str, digest: bytes, *, type_: str | None) -> str:
    type_attr = f' Type="{type_}"' if type_ else ""
    return (
        f'<Reference{type_attr} URI="{uri}">'
        f'<Transforms><Transform Algorithm="{C14N}"></Transform></Transforms>'
        f'<DigestMethod Algorithm="{SHA256}"></DigestMethod>'
        f"<DigestValue>{b64(digest)}</DigestValue>"
        "</Reference>"
    )


def sign_xml(
    *,
    content: SignedContent,
    key: rsa.RSAPrivateKey,
    chain: list[x509.Certificate],
    nonce: bytes,
) -> bytes:
    """The signature document (UTF-8 bytes); ``chain`` starts with the user's certificate."""
    signed_data = _signed_data(content, nonce=nonce)
    key_info = _key_info(chain)
    signed_info = (
        f'<SignedInfo xmlns="{DSIG_NS}">'
        f'<CanonicalizationMethod Algorithm="{C14N}"></CanonicalizationMethod>'
        f'<SignatureMethod Algorithm="{RSA_SHA256}"></SignatureMethod>'
        + _reference(
            "#bidSignedData",
            hashlib.sha256(signed_data.encode("utf-8")).digest(),
            type_=f"{BANKID_NS}",
        )
        + _reference("#bidKeyInfo", hashlib.sha256(key_info.encode("utf-8")).digest(), type_=None)
        + "</SignedInfo>"
    )
    signature_value = key.sign(signed_info.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        f'<Signature xmlns="{DSIG_NS}">'
        f"{signed_info}"
        f"<SignatureValue>{b64(signature_value)}</SignatureValue>"
        f"{key_info}"
        f"<Object>{signed_data}</Object>"
        "</Signature>"
    )
    return document.encode("utf-8")
