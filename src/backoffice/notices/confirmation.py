"""The link that confirms a new e-mail address (decision 0160): its one-time token and the portal's page for it.

The token is an HMAC (SHA-256, the back office's secret key) of the confirmation row — its id, the address it
confirms and when it was issued — so the dispatcher can put it into the e-mail when it sends, while the
database keeps only the token's SHA-256 (a copy of the database confirms nothing). It is single-use (the row is
marked used), expires after 24 hours, is replaced by a newer one, and confirms only for the logged-in owner.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

from backoffice.notices.models import EmailConfirmation

# The portal's confirmation page (minasidor.details): the token follows as the last part of the path.
CONFIRMATION_PATH = "/mina-sidor/uppgifter/e-post/bekrafta/"
KEY_PREFIX = "email-confirmation:"
_SALT = "backoffice.notices.email-confirmation"


def token_for(row: EmailConfirmation) -> str:
    """The token of a confirmation row (the same every time it is asked)."""
    value = f"{row.pk}:{row.email.lower()}:{row.created_at.isoformat()}"
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()


def notice_key(row: EmailConfirmation) -> str:
    """The key of the notice that carries the row's link."""
    return f"{KEY_PREFIX}{row.pk}"


def link_for_key(key: str) -> str:
    """The confirmation link a notice with ``key`` carries; "" when its row is gone (replaced or used)."""
    if not key.startswith(KEY_PREFIX) or not key[len(KEY_PREFIX) :].isdigit():
        return ""
    row = EmailConfirmation.objects.filter(pk=int(key[len(KEY_PREFIX) :]), used_at__isnull=True).first()
    if row is None:
        return ""
    return f"{settings.PORTAL_URL.rstrip('/')}{CONFIRMATION_PATH}{token_for(row)}/"
