"""Registering a staff member's authenticator app and checking its codes."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from kernel import clock, totp
from minasidor.staff.models import StaffTotpDevice


def totp_device_create(*, user: User) -> StaffTotpDevice:
    """Give ``user`` a new TOTP secret, replacing any earlier one."""
    with transaction.atomic(using="default"):
        StaffTotpDevice.objects.filter(user=user).delete()
        return StaffTotpDevice.objects.create(user=user, secret=totp.new_secret(), created_at=clock.now())


def totp_code_accept(*, user: User, code: str) -> bool:
    """Whether ``code`` is ``user``'s current code, not used before; accepting it uses it up."""
    device = StaffTotpDevice.objects.filter(user=user).first()
    if device is None:
        return False
    step = totp.verify(totp.key_from(device.secret), code.strip(), clock.now(), after_step=device.last_used_step)
    if step is None:
        return False
    # Only one request can move the step forward: a code raced in twice is accepted once.
    updated = StaffTotpDevice.objects.filter(pk=device.pk, last_used_step=device.last_used_step).update(
        last_used_step=step
    )
    return updated == 1
