"""Test helpers: a signed power of attorney without a signing (the signing step's own tests sign for real)."""

from __future__ import annotations

import datetime as dt

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.delegation.documents import Terms, power_of_attorney_document
from minasidor.delegation.models import PowerOfAttorney
from minasidor.delegation.services import months_after, power_of_attorney_grant
from minasidor.delegation.types import Scope
from minasidor.identity.types import Identity
from minasidor.registers.types import SignatureEvidence, SignatureMethod
from minasidor.signing.documents import SignableDocument
from minasidor.signing_step.flow import Signature

KARIN = "196201082697"  # the parent (a demo person)
SARA = "199101012384"  # the child (a demo person)
BENGT = "195801082743"
CHILD = "201012849905"  # a made-up coordination number (birth number 990) of a 15-year-old


def signature_of(document: SignableDocument, *, signer: str) -> Signature:
    now = clock.now()
    return Signature(
        method="bankid",
        document=document,
        evidence=SignatureEvidence(
            method=SignatureMethod.BANKID,
            signer_identifier=signer,
            signed_at=now,
            signature="c2lnbmF0dXJl",
            ocsp_response="b2NzcA==",
        ),
        signed_at=now,
        signer=signer,
    )


def terms(
    delegate: str = SARA,
    scopes: tuple[Scope, ...] = (Scope.PENSION, Scope.FORECAST),
    months: int = 12,
    start: dt.date | None = None,
) -> Terms:
    today = start or clock.today()
    return Terms(
        delegate=PersonalNumber(delegate), scopes=scopes, valid_from=today, valid_until=months_after(today, months)
    )


def grant(grantor: Identity, the_terms: Terms | None = None) -> PowerOfAttorney:
    """A power of attorney ``grantor`` signed on these terms (Sara, pension and forecasts, a year)."""
    document = power_of_attorney_document(grantor=grantor, terms=the_terms or terms(), language="sv")
    assert grantor.personal_number is not None
    return power_of_attorney_grant(
        identity=grantor, signature=signature_of(document, signer=grantor.personal_number.value)
    )
