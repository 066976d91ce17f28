"""Who calls the back office, and the back office's own record of each call.

Every read or change through the registers boundary names the service that calls, the channel
(``in_process`` or ``http``) and the principal it acts for (a citizen's pseudonym, a case handler's or
customer-service agent's staff id, a system).
The back office writes a :class:`~backoffice.register.models.RegisterAccessRecord` for each, in its own
database, inside the transaction of the read or change.
"""

from __future__ import annotations

import dataclasses

from backoffice.register.models import RegisterAccessRecord
from kernel import clock

# delegate: decision 0180; third_party (a client of consented sharing): decision 0185
PRINCIPAL_KINDS = ("citizen", "agent", "handler", "system", "delegate", "third_party")
STAFF_KINDS = ("handler",)  # may work on any person's cases (casework's staff calls)
CHANNELS = ("in_process", "http")


class CallerError(ValueError):
    """The call does not say properly who makes it or for whom."""


@dataclasses.dataclass(frozen=True, slots=True)
class Caller:
    """The calling service, the channel, the principal it acts for, and the request id to trace it by."""

    service: str
    channel: str
    principal_kind: str
    principal_ref: str
    request_id: str = ""

    def __post_init__(self) -> None:
        if not self.service or len(self.service) > 32:
            raise CallerError("the calling service must be named (at most 32 characters)")
        if self.channel not in CHANNELS:
            raise CallerError(f"channel must be one of {', '.join(CHANNELS)}")
        if self.principal_kind not in PRINCIPAL_KINDS:
            raise CallerError(f"principal kind must be one of {', '.join(PRINCIPAL_KINDS)}")
        if not self.principal_ref or len(self.principal_ref) > 128:
            raise CallerError("the principal must be named (at most 128 characters)")
        if len(self.request_id) > 64:
            raise CallerError("a request id has at most 64 characters")


def register_access_record_create(*, caller: Caller, personal_number: str, action: str) -> RegisterAccessRecord:
    """Record that ``caller`` did ``action`` on the records of the person with ``personal_number``.

    ``personal_number`` is empty for a read about no one (a case handler's queue, which shows no person).
    """
    return RegisterAccessRecord.objects.create(
        occurred_at=clock.now(),
        service=caller.service,
        channel=caller.channel,
        principal_kind=caller.principal_kind,
        principal_ref=caller.principal_ref,
        personal_number=personal_number,
        action=action,
        request_id=caller.request_id,
    )
