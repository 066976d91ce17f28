"""What a temporary permission may cover, for how long, and who the agent is."""

from __future__ import annotations

import dataclasses

from django.db import models
from django.utils.translation import gettext_lazy as _

from minasidor.audit.types import Principal, PrincipalKind


class Scope(models.TextChoices):
    """The parts of the citizen's data a permission may cover; the citizen chooses one or more."""

    OVERVIEW = "overview", _("Your pension overview and statements")
    FORECAST = "forecast", _("Your pension forecast")
    CASES = "cases", _("Your cases and messages")


class EndReason(models.TextChoices):
    """Why a permission ended before its time (one that ran out has no reason: its time is enough)."""

    CITIZEN = "citizen", _("You ended it")
    CITIZEN_LOGOUT = "citizen_logout", _("You logged out")
    AGENT_LOGOUT = "agent_logout", _("The customer service agent logged out")
    REPLACED = "replaced", _("You gave a new permission")


# The lengths the citizen can choose, in minutes: a few fixed choices, at most one hour (decision 0126).
DURATIONS_MINUTES = (15, 30, 60)
# A code can be entered for this long after it was given (never after the permission itself ends).
CODE_VALID_SECONDS = 10 * 60
# Wrong codes an agent may enter in CODE_ATTEMPT_WINDOW_SECONDS before every code they enter is refused.
CODE_ATTEMPT_LIMIT = 5
CODE_ATTEMPT_WINDOW_SECONDS = 15 * 60
CODE_DIGITS = 6
# A caller identified in the console by personal number and personal code (issue 20.2, decision 0170): the
# view a right code gives, and for how long. The caller chooses nothing on a screen, so this is fixed: what the
# telephone service itself answers about (payments, statements, cases), never the forecast, for the shortest length.
PERSONAL_CODE_SCOPES = ("overview", "cases")
PERSONAL_CODE_MINUTES = 15


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Agent:
    """A customer-service agent in one console session.

    ``ref`` is the agent's staff number (shown to the citizen), ``name`` their display name, and
    ``session_ref`` an opaque id of this console session: a permission is bound to it and ends with it.
    """

    ref: str
    name: str
    session_ref: str

    def __post_init__(self) -> None:
        if not self.ref or not self.session_ref:
            raise ValueError("An agent needs a staff number and a session")

    @property
    def principal(self) -> Principal:
        return Principal(kind=PrincipalKind.AGENT, ref=self.ref)
