"""Who reads or changes a person's data (principals), what they do (actions) and why (purposes)."""

from __future__ import annotations

import dataclasses
import re

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_ACTION_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class PrincipalKind(models.TextChoices):
    """The kinds of principal that may read or change a person's data."""

    CITIZEN = "citizen", _("You")
    AGENT = "agent", _("Customer service")
    HANDLER = "handler", _("A case handler at the authority")
    SYSTEM = "system", _("The authority's systems")
    # A person acting for the data's owner with the owner's power of attorney (decision 0180): the record's
    # principal names the delegate (their pseudonym), its subject the owner, so it holds both identities.
    DELEGATE = "delegate", _("A person you gave a power of attorney")
    THIRD_PARTY = "third_party", _("A service you gave access")


class Purpose(models.TextChoices):
    """Why a person's data was read or changed; shown to the person in their access log."""

    SELF_SERVICE = "self_service", _("You used Mina sidor")
    CUSTOMER_SERVICE = "customer_service", _("Customer service helped you, with your permission")
    CASE_HANDLING = "case_handling", _("Handling of your case")
    STATEMENT_RUN = "statement_run", _("The yearly pension statement")
    TELEPHONE_SERVICE = "telephone_service", _("The telephone service (talsvar)")
    POWER_OF_ATTORNEY = "power_of_attorney", _("Someone used Mina sidor for you with your power of attorney")
    SHARED_ACCESS = "shared_access", _("You gave a service access to your data")


@dataclasses.dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting. ``ref`` is an opaque reference: a pseudonym for a citizen, a staff id, a system name."""

    kind: PrincipalKind
    ref: str

    def __post_init__(self) -> None:
        if not self.ref:
            raise ValueError("A principal needs a reference")


@dataclasses.dataclass(frozen=True, slots=True)
class Action:
    """A named kind of read or change, e.g. ``overview.viewed``, with the sentence the person reads."""

    name: str
    label: str | Promise

    def __post_init__(self) -> None:
        if not _ACTION_NAME.fullmatch(self.name):
            raise ValueError(f"An action is named area.verb in lower case, not {self.name!r}")
        if ACTIONS.setdefault(self.name, self) is not self:
            raise ValueError(f"The action {self.name!r} is declared twice")


ACTIONS: dict[str, Action] = {}

ACCESS_LOG_VIEWED = Action("access_log.viewed", _("Looked at who has seen your data"))
