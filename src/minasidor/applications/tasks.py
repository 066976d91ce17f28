"""Background work of the applications: sending the signed applications the back office has not yet taken."""

from __future__ import annotations

from django_tasks import task

from minasidor.applications.services import signed_applications_send_due


@task()
def signed_applications_send() -> dict[str, int]:
    """Send every kept application whose next attempt is due (idempotent: the back office gives the case it
    already opened for a key it knows, and a sent row is not sent again)."""
    return signed_applications_send_due()
