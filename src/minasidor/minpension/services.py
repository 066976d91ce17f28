"""Writes: the citizen's consent to Min Pension, recorded with its access-log row, then the registration."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, Principal, Purpose
from minasidor.minpension import connection
from minasidor.minpension.models import MinPensionConsent
from minasidor.minpension.types import Registration, UserStatus

MIN_PENSION_CONSENT_GIVEN = Action("minpension.consent_given", _("Registered you with Min Pension at your request"))


def min_pension_consent_give(
    *, principal: Principal, subject_key: str, personal_number: PersonalNumber, terms_version: str, language: str
) -> tuple[MinPensionConsent, UserStatus]:
    """Record the consent the citizen just gave and register them with Min Pension on their behalf.

    The consent and its access record are written in one transaction before Min Pension is called, so
    the portal keeps proof of what was agreed even if the call fails. The call is never retried
    automatically; a failure raises :class:`~minasidor.minpension.errors.MinPensionError` and the citizen
    may try again (with a new consent record).
    """
    with transaction.atomic(using="default"):
        consent = MinPensionConsent.objects.create(
            subject_ref=pseudonym_for(subject_key),
            terms_version=terms_version,
            assignment_agreement=True,
            power_of_attorney=True,
            personal_data_consent=True,
            language=language,
            given_at=clock.now(),
        )
        access_record_create(
            principal=principal, subject_key=subject_key, action=MIN_PENSION_CONSENT_GIVEN, purpose=Purpose.SELF_SERVICE
        )
    registration = Registration(
        terms_version=terms_version, consent_reference=str(consent.reference), consent_given_at=consent.given_at
    )
    status = connection.client().user_register(personal_number.value, registration)
    consent.registered_at = clock.now()
    consent.save(update_fields=["registered_at"])
    return consent, status
