"""Writes of the notices: enqueueing a notice with the event it tells of, and confirming an e-mail address.

Each runs in the back office's transaction (the caller's, when it has one) with the back office's access
record. ``notice_enqueue`` is what casework services call when something starts waiting for a citizen.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from typing import Any

import structlog
from django.db import IntegrityError, transaction

from backoffice.notices.confirmation import notice_key, token_for
from backoffice.notices.models import Channel, EmailConfirmation, Notice, NoticeKind
from backoffice.notices.tasks import notice_deliver
from backoffice.register.access import Caller, register_access_record_create
from backoffice.register.models import ContactDetails, NoticeChoice, Person
from backoffice.register.selectors import (
    ALIAS,
    Data,
    contact_details_data,
    optional_record,
    person_get,
    tax_settings_data,
)
from backoffice.register.services import InvalidChangeError, contact_details_update, tax_settings_update
from kernel import clock

__all__ = [
    "ConfirmationOutcome",
    "contact_details_change",
    "delegate_session_notice_enqueue",
    "email_confirm",
    "email_confirmation_issue",
    "login_notice_enqueue",
    "notice_enqueue",
    "tax_settings_change",
]

logger = structlog.get_logger(__name__)

CONFIRMATION_VALID = dt.timedelta(hours=24)
PREVIOUS_EMAIL_TOLD = dt.timedelta(days=30)  # how long a replaced e-mail address still hears of changes
_SECOND = "#2"
_TOKEN_MAX_LENGTH = 128
_BY_EMAIL = (NoticeChoice.EMAIL, NoticeChoice.EMAIL_AND_SMS)
_BY_SMS = (NoticeChoice.SMS, NoticeChoice.EMAIL_AND_SMS)


def _contact_points(person: Person, details: ContactDetails | None, kind: str) -> list[tuple[str, str]]:
    """The (channel, address) pairs a notice of ``kind`` goes to.

    A notice that details changed, or of a login from a new device, goes to every known contact point
    whatever the choice (it warns of something the person may not have done), the e-mail address replaced in
    the last 30 days included for a change of details; the others by the channels chosen. E-mail only to a
    confirmed address; nothing to a person who has died. The confirmation link goes to the address it
    confirms, and only there.
    """
    if details is None or person.date_of_death is not None:
        return []
    if kind == NoticeKind.EMAIL_CONFIRMATION:
        address = details.pending_email or ("" if details.email_confirmed else details.email)
        return [(Channel.EMAIL.value, address)] if address else []
    every = kind in (NoticeKind.DETAILS_CHANGED, NoticeKind.NEW_DEVICE_LOGIN)
    points = []
    if details.email and details.email_confirmed and (every or details.notice_choice in _BY_EMAIL):
        points.append((Channel.EMAIL.value, details.email))
    previous_in_force = details.previous_email_until is not None and details.previous_email_until > clock.now()
    if (
        kind == NoticeKind.DETAILS_CHANGED
        and details.previous_email
        and previous_in_force
        and details.previous_email.lower() != details.email.lower()
    ):
        points.append((Channel.EMAIL.value, details.previous_email))
    if details.phone and (every or details.notice_choice in _BY_SMS):
        points.append((Channel.SMS.value, details.phone))
    return points


@transaction.atomic(using=ALIAS)
def notice_enqueue(*, person: Person, kind: str, caller: Caller, key: str = "") -> list[Notice]:
    """Put a notice of ``kind`` for ``person`` in the outbox, one row per contact point, with its send task.

    Call it inside the transaction of the event (a case's new status, a message, a completion request, a
    change of details): the notice and its task exist exactly when the event does, and are sent after the
    commit by a worker of the back office's queue. A change of contact details calls it *before* the
    change, so the notice goes to the old contact points. With ``key`` (e.g. ``case:<id>:event:<n>``) the
    same key twice gives the same notices. Returns the rows (none when the person gets no notices).
    """
    if kind not in NoticeKind.values:
        raise ValueError(f"unknown notice kind {kind!r}")
    register_access_record_create(caller=caller, personal_number=person.personal_number, action="notice.enqueue")
    keys = [key, f"{key}{_SECOND}"]
    if key and Notice.objects.filter(key__in=keys).exists():
        return list(Notice.objects.filter(key__in=keys).order_by("id"))
    details: ContactDetails | None = optional_record(person, "contact_details")
    now = clock.now()
    notices = []
    channels_used: set[str] = set()
    for channel, address in _contact_points(person, details, kind):
        assert details is not None  # noqa: S101 - _contact_points gives none without details
        # A second row on one channel (the previous e-mail address) has a key of its own: one per key and channel.
        row_key = f"{key}{_SECOND}" if key and channel in channels_used else key
        channels_used.add(channel)
        try:
            with transaction.atomic(using=ALIAS):
                notice = Notice.objects.create(
                    person=person,
                    kind=kind,
                    key=row_key,
                    channel=channel,
                    address=address,
                    language=details.language,
                    created_at=now,
                    next_attempt_at=now,
                )
        except IntegrityError:  # the same key enqueued at the same moment elsewhere
            notices.append(Notice.objects.get(key=row_key, channel=channel))
            continue
        notice.task_id = str(notice_deliver.enqueue(notice.id).id)
        notice.save(update_fields=["task_id"])
        notices.append(notice)
    logger.info("notice.enqueued", kind=kind, channels=[n.channel for n in notices])
    return notices


_LOGIN_KEY_MAX_LENGTH = 64


def _key_well_formed(key: str) -> bool:
    """A login's or a session's key as the portal sends it: 1 to 64 printable characters (PostgreSQL's text
    refuses a NUL, which answered 500 where 422 is due)."""
    return 0 < len(key) <= _LOGIN_KEY_MAX_LENGTH and key.isprintable()


def login_notice_enqueue(*, caller: Caller, personal_number: str, key: str) -> int:
    """Tell the person of a login from a device they have not used before (issue 12.8); how many notices.

    ``key`` names the login (the portal sends a digest of its order), so the same login told twice gives
    one notice.
    """
    if not _key_well_formed(key):
        raise InvalidChangeError({"key": "a login's key of 1 to 64 characters"})
    with transaction.atomic(using=ALIAS):
        person = person_get(personal_number)
        return len(notice_enqueue(person=person, kind=NoticeKind.NEW_DEVICE_LOGIN, caller=caller, key=f"login:{key}"))


def delegate_session_notice_enqueue(*, caller: Caller, personal_number: str, key: str) -> int:
    """Tell the person that someone they gave a power of attorney began to use My pages for them (decision
    0180), by the channels the person chose; how many notices. ``key`` names the delegate's session (the
    portal sends a digest), so the same session told twice gives one notice."""
    if not _key_well_formed(key):
        raise InvalidChangeError({"key": "a session's key of 1 to 64 characters"})
    with transaction.atomic(using=ALIAS):
        person = person_get(personal_number)
        notices = notice_enqueue(person=person, kind=NoticeKind.DELEGATE_SESSION, caller=caller, key=f"delegate:{key}")
        return len(notices)


class ConfirmationOutcome(enum.StrEnum):
    """What came of a confirmation token."""

    CONFIRMED = "confirmed"
    EXPIRED = "expired"
    INVALID = "invalid"  # unknown, used, another person's, or issued for an address no longer registered


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _address_to_confirm(details: ContactDetails | None) -> str:
    """The new address waiting for its confirmation, else the address in use if nobody confirmed it yet."""
    if details is None:
        return ""
    return details.pending_email or ("" if details.email_confirmed else details.email)


@transaction.atomic(using=ALIAS)
def email_confirmation_issue(*, caller: Caller, personal_number: str) -> str:
    """Send the link that confirms the person's new e-mail address (or the unconfirmed one in use), valid for 24
    hours, to that address; returns the link's token.

    The token is derived from its row (``confirmation.token_for``), only its digest is kept; a new token
    replaces any earlier unused one. Raises ``InvalidChangeError`` when there is no address to confirm.
    """
    person = person_get(personal_number)
    details: ContactDetails | None = optional_record(person, "contact_details")
    address = _address_to_confirm(details)
    if not address:
        raise InvalidChangeError({"email": "there is no e-mail address to confirm"})
    EmailConfirmation.objects.filter(person=person, used_at__isnull=True).delete()
    now = clock.now()
    row = EmailConfirmation.objects.create(
        person=person,
        email=address,
        token_sha256="",  # nosec B106 - filled below with the digest of the token made from the row's id
        created_at=now,
        expires_at=now + CONFIRMATION_VALID,
    )
    token = token_for(row)
    row.token_sha256 = _digest(token)
    row.save(update_fields=["token_sha256"])
    register_access_record_create(
        caller=caller, personal_number=person.personal_number, action="email_confirmation.issue"
    )
    notice_enqueue(person=person, kind=NoticeKind.EMAIL_CONFIRMATION, caller=caller, key=notice_key(row))
    return token


@transaction.atomic(using=ALIAS)
def email_confirm(*, caller: Caller, personal_number: str, token: str) -> ConfirmationOutcome:
    """Confirm the person's new e-mail address by ``token``, once: it becomes the address in use, and the one it
    replaces still hears of changes for 30 days (``previous_email``).

    The token must be the person's own (another person's is refused exactly like an unknown one), unused,
    not expired, and issued for the address still waiting (or in use unconfirmed).
    """
    person = person_get(personal_number)
    register_access_record_create(
        caller=caller, personal_number=person.personal_number, action="email_confirmation.confirm"
    )
    if not token or len(token) > _TOKEN_MAX_LENGTH:
        return ConfirmationOutcome.INVALID
    row = (
        EmailConfirmation.objects.select_for_update()
        .filter(token_sha256=_digest(token), person=person, used_at__isnull=True)
        .first()
    )
    if row is None:
        return ConfirmationOutcome.INVALID
    now = clock.now()
    if row.expires_at <= now:
        return ConfirmationOutcome.EXPIRED
    details: ContactDetails | None = optional_record(person, "contact_details")
    if details is None or _address_to_confirm(details).lower() != row.email.lower():
        return ConfirmationOutcome.INVALID
    row.used_at = now
    row.save(update_fields=["used_at"])
    if details.pending_email:
        if details.email and details.email_confirmed:
            details.previous_email, details.previous_email_until = details.email, now + PREVIOUS_EMAIL_TOLD
        details.email, details.pending_email = details.pending_email, ""
    details.email_confirmed = True
    details.updated_at = now
    details.save()
    return ConfirmationOutcome.CONFIRMED


def _waiting(data: Data) -> str:
    """The address waiting for its confirmation in the data sent (as ``_address_to_confirm``)."""
    return str(data["pending_email"] or ("" if data["email_confirmed"] else data["email"]))


@transaction.atomic(using=ALIAS)
def contact_details_change(*, caller: Caller, personal_number: str, change: Any) -> Data:
    """Change the contact details (``register.services.contact_details_update``) with their notices: that
    details changed, to the contact points known *before* the change (so someone who changes another's phone
    number is not the only one told), and the confirmation link to a new e-mail address. A change that changes
    nothing sends nothing."""
    person = person_get(personal_number)
    before = contact_details_data(person, optional_record(person, "contact_details"))
    with transaction.atomic(using=ALIAS):
        notice_enqueue(person=person, kind=NoticeKind.DETAILS_CHANGED, caller=caller)
        after = contact_details_update(caller=caller, personal_number=personal_number, change=change)
        unchanged = after == before
        if unchanged:
            transaction.set_rollback(True, using=ALIAS)
    if unchanged:
        register_access_record_create(
            caller=caller, personal_number=person.personal_number, action="contact_details.update"
        )
        return after
    new_address = after["pending_email"] if after["pending_email"] else after["email"]
    old_address = before["pending_email"] if before["pending_email"] else before["email"]
    if (
        new_address
        and new_address.lower() != old_address.lower()
        and not (after["email_confirmed"] and not after["pending_email"])
    ):
        email_confirmation_issue(caller=caller, personal_number=personal_number)
    return after


@transaction.atomic(using=ALIAS)
def tax_settings_change(*, caller: Caller, personal_number: str, change: Any) -> Data:
    """Change the tax withholding settings (``register.services.tax_settings_update``) and tell every known
    contact point that details changed, the way a change of contact details or payment account is told (the
    notice names no amount). A change that changes nothing sends nothing."""
    person = person_get(personal_number)
    before = tax_settings_data(optional_record(person, "tax_settings"))
    after = tax_settings_update(caller=caller, personal_number=personal_number, change=change)
    if after != before:
        notice_enqueue(person=person, kind=NoticeKind.DETAILS_CHANGED, caller=caller)
    return after
