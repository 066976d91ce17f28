"""The citizen's consents to third parties, the keys their tokens are bound to, and the DPoP proofs seen.

django-oauth-toolkit keeps the registered clients (``Application``) and the grants and tokens; a token's
user is the citizen's account of this app (``SharingAccount``: a Django user with no password that cannot
log in anywhere, named by the access log's pseudonym; decision 0185). The person's subject key is kept only
sealed, for the reads through the registers while a consent is live.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AccessToken, Application, RefreshToken


class SharingAccount(models.Model):
    """The citizen as a resource owner of OAuth: the user tokens name, with the person it stands for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_account")
    subject_ref = models.CharField(_("whose data (pseudonym)"), max_length=64, unique=True)
    subject_sealed = models.TextField(_("whose data (sealed)"))

    class Meta:
        verbose_name = _("sharing account")
        verbose_name_plural = _("sharing accounts")

    def __str__(self) -> str:
        return self.subject_ref[:12]


class Consent(models.Model):
    """Samtycke: a citizen lets one registered client read the scopes named, from when until when.

    At most one live consent per citizen and client: giving it anew ends the earlier one. A withdrawn
    consent stays as a record; its tokens are gone. Its last use is read from the access log.
    """

    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(SharingAccount, on_delete=models.CASCADE, related_name="consents")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    scopes = models.CharField(_("what may be read"), max_length=128)
    granted_at = models.DateTimeField(_("given"))
    expires_at = models.DateTimeField(_("ends"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ("-granted_at",)

    def __str__(self) -> str:
        return f"{self.reference} ({self.scopes})"

    @property
    def scope_list(self) -> tuple[str, ...]:
        return tuple(self.scopes.split())


class TokenBinding(models.Model):
    """The DPoP key (its RFC 7638 thumbprint) an access or refresh token was issued to; no binding, no use."""

    access_token = models.OneToOneField(
        AccessToken, on_delete=models.CASCADE, null=True, blank=True, related_name="dpop_binding"
    )
    refresh_token = models.OneToOneField(
        RefreshToken, on_delete=models.CASCADE, null=True, blank=True, related_name="dpop_binding"
    )
    jkt = models.CharField(_("key thumbprint"), max_length=64)

    class Meta:
        verbose_name = _("token binding")
        verbose_name_plural = _("token bindings")

    def __str__(self) -> str:
        return self.jkt


class ProofSeen(models.Model):
    """A DPoP proof's jti, kept while a proof of its age could still be accepted: a second use is a replay."""

    jti_digest = models.CharField(_("proof id (digest)"), max_length=64, unique=True)
    seen_at = models.DateTimeField(_("seen"), db_index=True)

    class Meta:
        verbose_name = _("DPoP proof seen")
        verbose_name_plural = _("DPoP proofs seen")

    def __str__(self) -> str:
        return self.jti_digest[:12]
