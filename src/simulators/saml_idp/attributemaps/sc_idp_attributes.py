"""The attribute names of the Swedish eID framework (Attribute Specification v1.8), for pysaml2."""

from typing import Any

MAP: dict[str, Any] = {
    "identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    "fro": {
        "urn:oid:2.5.4.4": "sn",
        "urn:oid:2.5.4.42": "givenName",
        "urn:oid:2.16.840.1.113730.3.1.241": "displayName",
        "urn:oid:1.2.752.29.4.13": "personalIdentityNumber",
        "urn:oid:1.3.6.1.5.5.7.9.1": "dateOfBirth",
        "urn:oid:2.5.4.6": "c",
        "urn:oid:1.2.752.201.3.2": "transactionIdentifier",
        "urn:oid:1.2.752.201.3.3": "authContextParams",
        "urn:oid:1.2.752.201.3.4": "prid",
        "urn:oid:1.2.752.201.3.5": "pridPersistence",
        "urn:oid:1.2.752.201.3.6": "personalIdentityNumberBinding",
        "urn:oid:1.2.752.201.3.7": "eidasPersonIdentifier",
        "urn:oid:1.2.752.201.3.14": "signMessageDigest",
        "urn:oid:1.2.752.201.3.16": "mappedPersonalIdentityNumber",
    },
}
MAP["to"] = {friendly: uri for uri, friendly in MAP["fro"].items()}
