"""Consented sharing's periodic job: the ids of DPoP proofs too old to be accepted again are forgotten."""

from __future__ import annotations

from django_tasks import task

from minasidor.sharing.services import proofs_seen_expired_delete


@task()
def proofs_seen_forget() -> int:
    """Delete the remembered DPoP proofs older than a proof can be accepted; how many."""
    return proofs_seen_expired_delete()
