"""The portal's record of a citizen's consent to Min Pension (the portal owns the consents it collects).

Only the consent is stored, never anything fetched from Min Pension. The person is named by the access
log's keyed pseudonym, not by their personal number (decision 0004).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class MinPensionConsent(models.Model):
    """Samtycke: the citizen asked Mina sidor to register them with Min Pension on their behalf.

    Giving it accepts Min Pension's terms of ``terms_version``: the uppdragsavtal (Min Pension may fetch
    their data from connected pension actors), the fullmakt (Min Pension may ask for it) and the consent to
    the processing of personal data. ``registered_at`` is set once Min Pension confirmed the registration.
    """

    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    subject_ref = models.CharField(_("whose consent (pseudonym)"), max_length=64, db_index=True)
    terms_version = models.CharField(_("version of Min Pension's terms"), max_length=20)
    assignment_agreement = models.BooleanField(_("accepted the assignment agreement (uppdragsavtal)"))
    power_of_attorney = models.BooleanField(_("gave the power of attorney (fullmakt)"))
    personal_data_consent = models.BooleanField(_("consented to the processing of personal data"))
    language = models.CharField(_("language of the consent page"), max_length=8)
    given_at = models.DateTimeField(_("given"))
    registered_at = models.DateTimeField(_("registration confirmed by Min Pension"), null=True, blank=True)

    class Meta:
        verbose_name = _("Min Pension consent")
        verbose_name_plural = _("Min Pension consents")
        ordering = ("-given_at",)

    def __str__(self) -> str:
        return f"{self.reference} ({self.terms_version})"
