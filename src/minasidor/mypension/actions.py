"""What the access log says about the citizen's pension data: the actions recorded here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minasidor.audit.types import Action

PENSION_DATA_FETCHED = Action(
    "pension.fetched", _("Fetched your pension, statements and payments from the pension register")
)
