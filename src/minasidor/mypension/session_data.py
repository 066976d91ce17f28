"""The citizen's pension data for one session: fetched at the first page after login, kept nowhere else.

The back office's snapshot and Min Pension's answer are kept in the cache (Redis in a deployment, the
process's memory otherwise), encrypted with a key that lives only in the session, under a random name that
also lives only in the session (docs/decisions/0090). The entry expires after the session's idle time
without use and is deleted when the citizen logs out, times out, or another citizen logs in on the same
browser; nothing of it is written to the portal's database.

A source that fails is remembered as failed and asked again at the next page view; what it gave when it
answered is never replaced by zeros.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle  # nosec B403 - only our own, encrypted and authenticated values are unpickled (decision 0090)
import secrets
from typing import Any

import structlog
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from kernel import clock
from minasidor.audit.pseudonyms import citizen_principal, pseudonym_for
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Purpose
from minasidor.identity.types import Identity
from minasidor.minpension.selectors import MinPensionResult, Outcome, min_pension_get
from minasidor.mypension.actions import PENSION_DATA_FETCHED
from minasidor.mypension.types import ForecastChoice, PensionForecast
from minasidor.registers import registers
from minasidor.registers.types import PersonNotFoundError, PersonSnapshot, RegistersError

SESSION_KEY = "pension_data"
CACHE_PREFIX = "mypension:"

logger = structlog.get_logger(__name__)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PensionData:
    """What the portal knows about the citizen's pension in this session.

    ``snapshot`` is None when the register could not be read (``register_failed``) or knows no such
    person (``not_in_register``). ``min_pension`` is None only when the register could not be read (the
    rules of when Min Pension may be asked need it). ``choice`` is the forecast the citizen last chose.
    """

    subject: str
    fetched_at: dt.datetime
    snapshot: PersonSnapshot | None
    register_failed: bool = False
    not_in_register: bool = False
    min_pension: MinPensionResult | None = None
    choice: ForecastChoice | None = None
    forecast: PensionForecast | None = None

    @property
    def min_pension_failed(self) -> bool:
        return self.min_pension is not None and self.min_pension.outcome is Outcome.UNAVAILABLE

    @property
    def complete(self) -> bool:
        """Every source answered (a failed one is asked again at the next page view)."""
        return not self.register_failed and not self.min_pension_failed


def _idle_seconds() -> int:
    return int(settings.SESSION_IDLE_SECONDS)


def _handle(session: SessionBase, *, create: bool) -> tuple[str, Fernet] | None:
    """The cache name and the cipher of this session's entry, made when ``create`` and missing."""
    stored = session.get(SESSION_KEY)
    if stored is None:
        if not create:
            return None
        stored = {"name": secrets.token_urlsafe(24), "key": Fernet.generate_key().decode()}
        session[SESSION_KEY] = stored
    return CACHE_PREFIX + stored["name"], Fernet(stored["key"].encode())


def _read(session: SessionBase, subject: str) -> PensionData | None:
    handle = _handle(session, create=False)
    if handle is None:
        return None
    name, cipher = handle
    blob = cache.get(name)
    if blob is None:
        return None
    try:
        data = pickle.loads(cipher.decrypt(blob))  # noqa: S301  # nosec B301 - authenticated by the session's key
    except InvalidToken:
        logger.warning("mypension.cache_entry_unreadable")
        return None
    if not isinstance(data, PensionData) or data.subject != subject:
        return None
    cache.touch(name, _idle_seconds())
    return data


def _write(session: SessionBase, data: PensionData) -> None:
    handle = _handle(session, create=True)
    assert handle is not None  # noqa: S101 - created above
    name, cipher = handle
    cache.set(name, cipher.encrypt(pickle.dumps(data)), _idle_seconds())


def pension_data_forget(session: SessionBase) -> None:
    """Delete the session's pension data from the cache (logout, time limit, another citizen)."""
    handle = _handle(session, create=False)
    if handle is not None:
        cache.delete(handle[0])
        del session[SESSION_KEY]


def forget_on_citizen_change(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Receiver of ``identity.session.session_citizen_changing``."""
    pension_data_forget(request.session)


def _snapshot(identity: Identity) -> tuple[PersonSnapshot | None, bool, bool]:
    """The register's snapshot, whether the register failed, and whether it knows no such person."""
    assert identity.personal_number is not None  # noqa: S101 - callers check
    try:
        return (
            registers().person_snapshot(citizen_principal(identity.subject_key), identity.personal_number),
            False,
            False,
        )
    except PersonNotFoundError:
        return None, False, True
    except RegistersError:
        logger.warning("mypension.register_unavailable")
        return None, True, False


def _min_pension(identity: Identity, snapshot: PersonSnapshot) -> MinPensionResult:
    assert identity.personal_number is not None  # noqa: S101 - callers check
    return min_pension_get(
        principal=citizen_principal(identity.subject_key),
        subject_key=identity.subject_key,
        personal_number=identity.personal_number,
        drawing_pension=snapshot.person.drawing_pension,
        still_working=snapshot.person.still_working,
    )


def _fetch(identity: Identity, earlier: PensionData | None) -> PensionData:
    """Ask the sources that have not answered yet in this session.

    Min Pension is asked only after the register has answered: whether it may be asked at all depends on
    the register's facts (draws pension, still works), so the two cannot run side by side (decision 0090).
    """
    snapshot = earlier.snapshot if earlier is not None else None
    register_failed = not_in_register = False
    if snapshot is None:
        snapshot, register_failed, not_in_register = _snapshot(identity)
        if snapshot is not None:
            with transaction.atomic(using="default"):
                access_record_create(
                    principal=citizen_principal(identity.subject_key),
                    subject_key=identity.subject_key,
                    action=PENSION_DATA_FETCHED,
                    purpose=Purpose.SELF_SERVICE,
                )
    min_pension = earlier.min_pension if earlier is not None and not earlier.min_pension_failed else None
    if min_pension is None and snapshot is not None:
        min_pension = _min_pension(identity, snapshot)
    return PensionData(
        subject=pseudonym_for(identity.subject_key),
        fetched_at=clock.now(),
        snapshot=snapshot,
        register_failed=register_failed,
        not_in_register=not_in_register,
        min_pension=min_pension,
        choice=earlier.choice if earlier is not None else None,
    )


def pension_data_keep(request: HttpRequest, data: PensionData) -> None:
    """Store a changed copy of the session's data (a new choice, a computed forecast)."""
    _write(request.session, data)


def pension_data_get(request: HttpRequest, identity: Identity) -> PensionData | None:
    """The citizen's pension data for this session, fetched now if missing or incomplete.

    None when the citizen has no Swedish personal or coordination number (nothing to fetch by).
    """
    if identity.personal_number is None:
        return None
    subject = pseudonym_for(identity.subject_key)
    data = _read(request.session, subject)
    if data is not None and data.complete:
        return data
    data = _fetch(identity, data)
    _write(request.session, data)
    return data


def pension_data_refresh(request: HttpRequest, identity: Identity) -> PensionData | None:
    """Fetch everything anew (the citizen asked to), keeping only their forecast choice."""
    if identity.personal_number is None:
        return None
    earlier = _read(request.session, pseudonym_for(identity.subject_key))
    data = _fetch(identity, None)
    if earlier is not None and earlier.choice is not None:
        data = dataclasses.replace(data, choice=earlier.choice)
    _write(request.session, data)
    return data


def min_pension_refresh(request: HttpRequest, identity: Identity) -> None:
    """Ask Min Pension again (the citizen has just registered there); the register's data is kept."""
    if identity.personal_number is None:
        return
    earlier = _read(request.session, pseudonym_for(identity.subject_key))
    if earlier is not None:
        _write(request.session, _fetch(identity, dataclasses.replace(earlier, min_pension=None)))
