"""Console staff accounts: made for an agent ahead of their first login, with the second factor's secret."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from minasidor.staff.models import StaffTotpDevice
from minasidor.staff.services import totp_device_create


def agent_account_create(*, staff_number: str, name: str) -> tuple[User, StaffTotpDevice]:
    """The account ``oidc:<staff number>`` (no password: the IdP logs them in) with a new TOTP secret."""
    with transaction.atomic(using="default"):
        user, _created = User.objects.get_or_create(
            username=f"oidc:{staff_number}", defaults={"first_name": name[:150]}
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user, totp_device_create(user=user)
