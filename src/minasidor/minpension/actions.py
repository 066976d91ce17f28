"""What the access log says about Min Pension: the actions its selectors and services record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minasidor.audit.types import Action

MIN_PENSION_VIEWED = Action("minpension.viewed", _("Fetched your occupational and private pensions from Min Pension"))
MIN_PENSION_STATUS_CHECKED = Action("minpension.status_checked", _("Asked Min Pension whether you are a user"))
MIN_PENSION_CONSENT_GIVEN = Action("minpension.consent_given", _("Registered you with Min Pension at your request"))
