"""Names of the Swedish eID framework used by the SP: attributes, levels, entity categories, statuses."""

from __future__ import annotations

from pathlib import Path

ATTRIBUTE_MAP_DIR = Path(__file__).parent / "attributemaps"

# Attribute Specification for the Swedish eID Framework v1.8, §3.1 (NameFormat uri).
SN = "urn:oid:2.5.4.4"
GIVEN_NAME = "urn:oid:2.5.4.42"
DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"
PERSONAL_IDENTITY_NUMBER = "urn:oid:1.2.752.29.4.13"
DATE_OF_BIRTH = "urn:oid:1.3.6.1.5.5.7.9.1"
COUNTRY = "urn:oid:2.5.4.6"
TRANSACTION_IDENTIFIER = "urn:oid:1.2.752.201.3.2"
PRID = "urn:oid:1.2.752.201.3.4"
PRID_PERSISTENCE = "urn:oid:1.2.752.201.3.5"
PERSONAL_IDENTITY_NUMBER_BINDING = "urn:oid:1.2.752.201.3.6"
EIDAS_PERSON_IDENTIFIER = "urn:oid:1.2.752.201.3.7"
MAPPED_PERSONAL_IDENTITY_NUMBER = "urn:oid:1.2.752.201.3.16"

# Entity categories the SP declares (Entity Categories for the Swedish eID Framework v1.9).
EC_EIDAS_NATURAL_PERSON = "http://id.elegnamnden.se/ec/1.0/eidas-naturalperson"
EC_LOA3_PNR = "http://id.elegnamnden.se/ec/1.0/loa3-pnr"
EC_PUBLIC_SECTOR_SP = "http://id.elegnamnden.se/st/1.0/public-sector-sp"
EC_SWEDEN_CONNECT = "http://id.swedenconnect.se/contract/sc/sweden-connect"
SP_ENTITY_CATEGORIES = (EC_EIDAS_NATURAL_PERSON, EC_LOA3_PNR, EC_PUBLIC_SECTOR_SP, EC_SWEDEN_CONNECT)

# Second-level status codes (Registry for Identifiers §3.1.4).
STATUS_CANCEL = "http://id.elegnamnden.se/status/1.0/cancel"
STATUS_FRAUD = "http://id.elegnamnden.se/status/1.0/fraud"
STATUS_POSSIBLE_FRAUD = "http://id.elegnamnden.se/status/1.0/possibleFraud"
STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"

# Algorithms (Deployment Profile §8): what we accept in responses and declare in our metadata.
ALLOWED_SIGNATURE_METHODS = frozenset(
    {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
        "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
    }
)
ALLOWED_DIGEST_METHODS = frozenset(
    {
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "http://www.w3.org/2001/04/xmlenc#sha512",
    }
)
ALLOWED_BLOCK_ENCRYPTION = (
    "http://www.w3.org/2009/xmlenc11#aes256-gcm",
    "http://www.w3.org/2009/xmlenc11#aes128-gcm",
    "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
    "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
    "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
)
ALLOWED_KEY_TRANSPORT = ("http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p", "http://www.w3.org/2009/xmlenc11#rsa-oaep")
# Inside an OAEP EncryptionMethod: its digest (SHA-1 is the OAEP default the framework mandates) and MGF.
ALLOWED_OAEP_PARAMETERS = frozenset(
    {
        "http://www.w3.org/2000/09/xmldsig#sha1",
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2009/xmlenc11#mgf1sha1",
        "http://www.w3.org/2009/xmlenc11#mgf1sha256",
    }
)
