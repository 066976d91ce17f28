"""Registering a staff member's authenticator app, checking its codes, and the per-account failure limit."""

from __future__ import annotations

import datetime as dt

import structlog
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils.crypto import salted_hmac

from kernel import clock, totp
from minasidor.staff.demo import (
    CASE_HANDLERS_GROUP,
    DEMO_HANDLER_PASSWORD,
    DEMO_HANDLER_TOTP_SECRET,
    DEMO_HANDLER_USERNAME,
)
from minasidor.staff.models import StaffLoginFailure, StaffTotpDevice

logger = structlog.get_logger(__name__)

FAILURE_WINDOW = dt.timedelta(hours=1)


def totp_device_create(*, user: User) -> StaffTotpDevice:
    """Give ``user`` a new TOTP secret, replacing any earlier one."""
    with transaction.atomic(using="default"):
        StaffTotpDevice.objects.filter(user=user).delete()
        return StaffTotpDevice.objects.create(user=user, secret=totp.new_secret(), created_at=clock.now())


class DemoAccountRefusedError(RuntimeError):
    """The demo case handler is made only while the simulators are enabled (never in production)."""


def demo_handler_create() -> tuple[User, StaffTotpDevice]:
    """The demo case handler with its published, test-only password and authenticator secret (staff.demo),
    in the case handlers' group; made again from scratch if it exists. Refused unless the simulators are on."""
    if not settings.SIMULATORS_ENABLED:
        raise DemoAccountRefusedError("the demo case handler exists only beside the simulators")
    with transaction.atomic(using="default"):
        user, _ = User.objects.get_or_create(username=DEMO_HANDLER_USERNAME)
        user.is_staff = True
        user.is_active = True
        user.is_superuser = False
        user.first_name, user.last_name = "Demo", "Handläggare"
        user.set_password(DEMO_HANDLER_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get_or_create(name=CASE_HANDLERS_GROUP)[0])
        StaffTotpDevice.objects.filter(user=user).delete()
        device = StaffTotpDevice.objects.create(user=user, secret=DEMO_HANDLER_TOTP_SECRET, created_at=clock.now())
    return user, device


def totp_code_check(*, user: User, code: str, use: bool) -> bool:
    """Whether ``code`` is ``user``'s current code, not used before; with ``use`` accepting it uses it up."""
    device = StaffTotpDevice.objects.filter(user=user).first()
    if device is None:
        return False
    if device.secret == DEMO_HANDLER_TOTP_SECRET and not settings.SIMULATORS_ENABLED:
        logger.warning("staff.demo_secret_refused")
        return False
    step = totp.verify(totp.key_from(device.secret), code.strip(), clock.now(), after_step=device.last_used_step)
    if step is None:
        return False
    if not use:
        return True
    # Only one request can move the step forward: a code raced in twice is accepted once.
    updated = StaffTotpDevice.objects.filter(pk=device.pk, last_used_step=device.last_used_step).update(
        last_used_step=step
    )
    return updated == 1


def _account(username: str) -> str:
    return salted_hmac("minasidor.staff.login-failure", username).hexdigest()


def staff_login_locked(*, username: str) -> bool:
    """Whether the account named ``username`` has had ``STAFF_LOGIN_FAILURES_PER_HOUR`` failures in the last
    hour (from any session and any address): then no login to it is tried until the oldest one ages out."""
    since = clock.now() - FAILURE_WINDOW
    failures = StaffLoginFailure.objects.filter(account=_account(username), at__gt=since).count()
    return failures >= settings.STAFF_LOGIN_FAILURES_PER_HOUR


def staff_login_failure_record(*, username: str) -> None:
    """Record a failed login to the account named ``username`` (existing or not), and forget failures that
    are older than the window."""
    now = clock.now()
    account = _account(username)
    with transaction.atomic(using="default"):
        StaffLoginFailure.objects.filter(at__lte=now - FAILURE_WINDOW).delete()
        StaffLoginFailure.objects.create(account=account, at=now)
    logger.warning("staff.login_failed", account=account[:16])
