"""Writes of consented sharing: giving and withdrawing a consent, and remembering (and forgetting) DPoP proofs' ids.

Each consent write is one transaction with its access record. Withdrawing revokes the client's tokens for
the citizen at once: the next request with them is refused (decision 0185).
"""

from __future__ import annotations

import hashlib
import uuid

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from kernel import clock
from minasidor.audit.services import access_record_create
from minasidor.audit.types import Purpose
from minasidor.identity.types import Identity
from minasidor.sharing.models import Consent, ProofSeen, SharingAccount
from minasidor.sharing.types import CONSENT_GIVEN, CONSENT_LIFETIME, CONSENT_WITHDRAWN, PROOF_MAX_AGE, SCOPE_NAMES
from minasidor.temporary_access.codes import seal


def sharing_account_for(identity: Identity) -> SharingAccount:
    """The citizen's account as a resource owner, made the first time they give a consent.

    Its Django user has no password and no staff rights: it can log in nowhere, it only names the citizen
    in the toolkit's grants and tokens.
    """
    with transaction.atomic(using="default"):
        account = SharingAccount.objects.filter(subject_ref=identity.pseudonym).select_related("user").first()
        if account is not None:
            return account
        user = get_user_model()(username=f"sharing-{identity.pseudonym[:40]}", is_active=True)
        user.set_unusable_password()
        user.save()
        return SharingAccount.objects.create(
            user=user, subject_ref=identity.pseudonym, subject_sealed=seal(identity.subject_key)
        )


def consent_give(*, identity: Identity, application: Application, scopes: list[str]) -> Consent:
    """The citizen lets ``application`` read ``scopes`` for CONSENT_LIFETIME; an earlier live consent of the
    same client ends (its tokens go with it)."""
    if not scopes or not set(scopes) <= set(SCOPE_NAMES):
        raise ValueError("unknown or no scopes")
    now = clock.now()
    with transaction.atomic(using="default"):
        account = sharing_account_for(identity)
        earlier = Consent.objects.filter(account=account, application=application, withdrawn_at__isnull=True)
        if earlier.exists():
            earlier.update(withdrawn_at=now)
            _tokens_revoke(account=account, application=application)
        consent = Consent.objects.create(
            account=account,
            application=application,
            scopes=" ".join(scope for scope in SCOPE_NAMES if scope in scopes),
            granted_at=now,
            expires_at=now + CONSENT_LIFETIME,
        )
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=CONSENT_GIVEN,
            purpose=Purpose.SHARED_ACCESS,
        )
    return consent


def consent_withdraw(*, identity: Identity, reference: uuid.UUID) -> bool:
    """The citizen withdraws their consent ``reference``: it ends now and the client's tokens are revoked.

    False when the citizen has no live consent with that reference (someone else's is not found like a
    missing one).
    """
    with transaction.atomic(using="default"):
        consent = (
            Consent.objects.select_for_update()
            .select_related("account", "application")
            .filter(reference=reference, account__subject_ref=identity.pseudonym, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            return False
        consent.withdrawn_at = clock.now()
        consent.save(update_fields=["withdrawn_at"])
        _tokens_revoke(account=consent.account, application=consent.application)
        access_record_create(
            principal=identity.principal,
            subject_key=identity.subject_key,
            action=CONSENT_WITHDRAWN,
            purpose=Purpose.SHARED_ACCESS,
        )
    return True


def _tokens_revoke(*, account: SharingAccount, application: Application) -> None:
    """Every code, access and refresh token of ``application`` for the citizen, gone."""
    RefreshToken.objects.filter(user=account.user, application=application).delete()
    AccessToken.objects.filter(user=account.user, application=application).delete()
    Grant.objects.filter(user=account.user, application=application).delete()


# A proof is accepted up to PROOF_MAX_AGE old and CLOCK_LEEWAY ahead: its id must be kept at least that long.
# Twice the age keeps a margin, and the periodic job's minute between runs only adds to it.
PROOF_KEPT = 2 * PROOF_MAX_AGE


def proof_seen_record(*, jkt: str, jti: str) -> bool:
    """Remember the proof (key, id); False when it was seen before: a replay.

    One insert and nothing else: old entries are deleted by the periodic job (:func:`proofs_seen_expired_delete`),
    not by each request, so concurrent requests never wait on each other's deletes (decision 0222).
    """
    digest = hashlib.sha256(f"{jkt}:{jti}".encode()).hexdigest()
    try:
        with transaction.atomic(using="default"):
            ProofSeen.objects.create(jti_digest=digest, seen_at=clock.now())
    except IntegrityError:
        return False
    return True


def proofs_seen_expired_delete() -> int:
    """Forget the proofs too old to be accepted again (kept PROOF_KEPT); how many were forgotten."""
    deleted, _ = ProofSeen.objects.filter(seen_at__lt=clock.now() - PROOF_KEPT).delete()
    return deleted
