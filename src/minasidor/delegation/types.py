"""What a power of attorney may cover, for how long, and who ended it (decision 0181)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minasidor.registers.types import PowerScope

# The parts of Mina sidor a delegate may use for the grantor; the grantor chooses one or more. The vocabulary is
# the registers' (the back office and the handler's case page read a power's scopes too).
Scope = PowerScope


# The scopes a grantor can choose. Applying on someone's behalf: the delegate signs the application with their
# own e-ID and it says so (decision 0216).
OFFERED_SCOPES = (Scope.PENSION, Scope.FORECAST, Scope.CASES, Scope.APPLY)


class EndedBy(models.TextChoices):
    """Who ended a power of attorney before its time (one that ran out has no one: its date is enough)."""

    GRANTOR = "grantor", _("The person who gave it")
    DELEGATE = "delegate", _("The person who held it")
    REPLACED = "replaced", _("A new power of attorney to the same person replaced it")


# The lengths a grantor can choose, in months; at most three years (decision 0181).
LENGTHS_MONTHS = (6, 12, 36)
MAX_MONTHS = 36
# A delegate must be of age: a power of attorney for a child is a guardian's matter, not ours.
DELEGATE_MIN_AGE = 18
