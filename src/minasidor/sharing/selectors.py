"""Reads of consented sharing: the citizen's consents, and what a client reads through the API.

The API's reads get the data from the registers and the engine as the citizen's pages do (the same
snapshot, whole kronor, the forecast of the default choice: the standard assumptions); each names the client
as its principal and writes its access record (purpose: shared access), so the citizen sees every read in
"who has seen my data". Nothing is kept after the request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from django.db import transaction
from django.db.models import Max

from kernel import clock
from kernel.personal_number import PersonalNumber
from minasidor.audit.models import AccessRecord
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Action, PrincipalKind, Purpose
from minasidor.identity.types import Identity
from minasidor.pension_data.forecast import ForecastUnavailableError, age_window, default_choice, forecast_compute
from minasidor.pension_data.types import PensionForecast
from minasidor.registers import registers
from minasidor.registers.types import Payment, PersonSnapshot, RegistersError, Statement
from minasidor.sharing.models import Consent
from minasidor.sharing.resource import ApiCaller
from minasidor.sharing.types import CONSENTS_VIEWED, FORECAST_READ, PAYMENTS_READ, STATEMENT_READ, Scope


class RegisterUnavailableError(Exception):
    """The register did not answer; the API says so and serves nothing rather than something wrong."""


@dataclasses.dataclass(frozen=True, slots=True)
class ConsentRow:
    """One consent as the citizen reads it on "Shared access"."""

    reference: uuid.UUID
    client_name: str
    scopes: tuple[Scope, ...]
    granted_at: dt.datetime
    expires_at: dt.datetime
    withdrawn_at: dt.datetime | None
    last_used_at: dt.datetime | None

    @property
    def live(self) -> bool:
        return self.withdrawn_at is None and self.expires_at > clock.now()


def consents_for_citizen(*, identity: Identity) -> list[ConsentRow]:
    """Every consent the citizen has given, newest first, with each client's last read of their data."""
    with transaction.atomic(using="default"):
        consents = list(
            Consent.objects.filter(account__subject_ref=identity.pseudonym).select_related("application")[:100]
        )
        last_reads = dict(
            AccessRecord.objects.filter(subject_ref=identity.pseudonym, principal_kind=PrincipalKind.THIRD_PARTY)
            .values_list("principal_ref")
            .annotate(last=Max("occurred_at"))
        )
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=CONSENTS_VIEWED,
            purpose=Purpose.SHARED_ACCESS,
        )
    return [
        ConsentRow(
            reference=consent.reference,
            client_name=consent.application.name,
            scopes=tuple(Scope(scope) for scope in consent.scope_list),
            granted_at=consent.granted_at,
            expires_at=consent.expires_at,
            withdrawn_at=consent.withdrawn_at,
            last_used_at=_last_use(last_reads.get(consent.application.client_id), consent),
        )
        for consent in consents
    ]


def _last_use(last_read: dt.datetime | None, consent: Consent) -> dt.datetime | None:
    """The client's last read within this consent's time (an earlier consent's reads are not this one's)."""
    if last_read is None or last_read < consent.granted_at:
        return None
    if consent.withdrawn_at is not None and last_read > consent.withdrawn_at:
        return None
    return last_read


def _snapshot(caller: ApiCaller, action: Action) -> PersonSnapshot:
    number = caller.subject_key.removeprefix("se:")
    try:
        snapshot = registers().person_snapshot(caller.principal, PersonalNumber(number))
    except RegistersError as error:
        raise RegisterUnavailableError(str(error)) from error
    with transaction.atomic(using="default"):
        access_record_create(
            principal=caller.principal, subject_key=caller.subject_key, action=action, purpose=Purpose.SHARED_ACCESS
        )
    return snapshot


def shared_statement_read(*, caller: ApiCaller) -> Statement | None:
    """The citizen's latest statement (None: the register has none yet)."""
    return _snapshot(caller, STATEMENT_READ).latest_statement


def shared_forecast_read(*, caller: ApiCaller) -> PensionForecast | None:
    """The forecast at the standard assumptions: the cohort's target age (or the next age ahead), full
    withdrawal, working at today's level; the public pension only. None when there is none to make."""
    snapshot = _snapshot(caller, FORECAST_READ)
    today = clock.today()
    window = age_window(snapshot, today)
    if window is None or snapshot.person.drawing_pension:
        return None
    try:
        return forecast_compute(snapshot, default_choice(snapshot, today), today=today, window=window)
    except ForecastUnavailableError:
        return None


def shared_payments_read(*, caller: ApiCaller) -> tuple[Payment, ...]:
    """The payments the register has: those paid and the next planned one."""
    return _snapshot(caller, PAYMENTS_READ).payments
