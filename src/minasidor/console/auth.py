"""Staff identities from the authority's OpenID Connect provider (mozilla-django-oidc), bound to the role.

A staff member is a Django user named ``oidc:<staff number>`` (the provider's ``sub``), made or updated at
each login from the provider's claims; only members with the customer-service role get in (decision 0131).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]

CUSTOMER_SERVICE_ROLE = "customer_service"


def username_of(claims: dict[str, Any]) -> str:
    return f"oidc:{claims.get('staff_number') or claims.get('sub')}"


class ConsoleOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Users by staff number, never by e-mail; the role is required; the claims go with the user to the view."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub")) and CUSTOMER_SERVICE_ROLE in (claims.get("roles") or [])

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        return self.UserModel.objects.filter(username=username_of(claims))  # type: ignore[no-any-return]

    def create_user(self, claims: dict[str, Any]) -> User:
        user = self.UserModel(username=username_of(claims), first_name=str(claims.get("name", ""))[:150])
        user.set_unusable_password()
        user.save()
        user.console_claims = claims
        return user  # type: ignore[no-any-return]

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        name = str(claims.get("name", ""))[:150]
        if user.first_name != name:
            user.first_name = name
            user.save(update_fields=["first_name"])
        user.console_claims = claims  # type: ignore[attr-defined]
        return user
