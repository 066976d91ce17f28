"""What a third party may be given (scopes), for how long (lifetimes), and the access log's words for it.

Decision 0187 says why these scopes and these lifetimes.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from minasidor.audit.types import Action

# An access token lives five minutes: long enough for one read, short enough that a leaked one is soon
# worthless; the refresh token (rotated at every use, bound to the same key) carries the consent until it
# ends or is withdrawn.
ACCESS_TOKEN_SECONDS = 300
# A consent lasts 90 days at most; the citizen gives it anew after that.
CONSENT_DAYS = 90
CONSENT_LIFETIME = dt.timedelta(days=CONSENT_DAYS)
# A DPoP proof is accepted for a minute after it was made; its jti is remembered at least that long.
PROOF_MAX_AGE = dt.timedelta(seconds=60)


class Scope(models.TextChoices):
    """What a third party may read; each is one narrow question, the consent page's words in its label."""

    STATEMENT = "statement:read", _("your latest pension statement (orange envelope): the earned pension per account")
    FORECAST = "forecast:read", _("your pension forecast at the standard assumptions")
    PAYMENTS = "payments:read", _("the pension payments you have received and the next one")


SCOPE_NAMES = tuple(scope.value for scope in Scope)

CONSENT_GIVEN = Action("sharing.consent_given", _("You gave a service access to your data"))
CONSENT_WITHDRAWN = Action("sharing.consent_withdrawn", _("You withdrew a service's access to your data"))
CONSENTS_VIEWED = Action("sharing.consents_viewed", _("Looked at the services you share your data with"))
STATEMENT_READ = Action("sharing.statement_read", _("A service you gave access read your latest statement"))
FORECAST_READ = Action("sharing.forecast_read", _("A service you gave access read your pension forecast"))
PAYMENTS_READ = Action("sharing.payments_read", _("A service you gave access read your pension payments"))
