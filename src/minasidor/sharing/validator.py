"""django-oauth-toolkit's validator, narrowed for consented sharing (decisions 0185, 0186).

Every token it issues is bound to the DPoP key the token endpoint checked for this request (``bound_key``,
set by :mod:`minasidor.sharing.views` for the request's duration); without one it issues none. A refresh is
refused when the proof's key is not the refresh token's, or when the citizen's consent has ended. Scopes
are only those of :class:`~minasidor.sharing.types.Scope`, at least one. Lifetimes run on the one clock: the
access token's and the code's, both when they are made and when they are checked.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from oauth2_provider.models import AccessToken, Grant, RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings

from kernel import clock
from minasidor.sharing.models import Consent, TokenBinding
from minasidor.sharing.types import SCOPE_NAMES

_bound_key: contextvars.ContextVar[str | None] = contextvars.ContextVar("sharing_dpop_jkt", default=None)


class UnboundTokenError(RuntimeError):
    """A token was about to be issued without a checked DPoP key; the token endpoint must set one."""


@contextlib.contextmanager
def bound_key(jkt: str) -> Iterator[None]:
    """Within the block, tokens are issued bound to the DPoP key with thumbprint ``jkt``."""
    reset = _bound_key.set(jkt)
    try:
        yield
    finally:
        _bound_key.reset(reset)


def _jkt() -> str:
    jkt = _bound_key.get()
    if not jkt:
        raise UnboundTokenError("no DPoP key checked for this token request")
    return jkt


def consent_live(*, user_id: int, application_id: int) -> Consent | None:
    """The citizen's live consent to this client, if any."""
    return (
        Consent.objects.select_related("account")
        .filter(
            account__user_id=user_id,
            application_id=application_id,
            withdrawn_at__isnull=True,
            expires_at__gt=clock.now(),
        )
        .order_by("-granted_at")
        .first()
    )


class SharingValidator(OAuth2Validator):  # type: ignore[misc]  # the toolkit has no type hints
    def validate_scopes(
        self, client_id: str, scopes: list[str], client: Any, request: Any, *args: Any, **kw: Any
    ) -> bool:
        return bool(scopes) and set(scopes) <= set(SCOPE_NAMES)

    def get_default_scopes(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> list[str]:
        return []

    def validate_refresh_token(self, refresh_token: str, client: Any, request: Any, *args: Any, **kw: Any) -> bool:
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kw):
            return False
        instance: RefreshToken = request.refresh_token_instance
        binding = TokenBinding.objects.filter(refresh_token=instance).first()
        if binding is None or binding.jkt != _bound_key.get():
            return False
        return consent_live(user_id=instance.user_id, application_id=instance.application_id) is not None

    def _create_authorization_code(self, request: Any, code: dict[str, str], expires: Any = None) -> Grant:
        expires = clock.now() + dt.timedelta(seconds=oauth2_settings.AUTHORIZATION_CODE_EXPIRE_SECONDS)
        grant: Grant = super()._create_authorization_code(request, code, expires)
        return grant

    def validate_code(self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any) -> bool:
        """The toolkit's check of a code, with its expiry read on the one clock (the toolkit reads Django's)."""
        grant = Grant.objects.filter(code=code, application=client).select_related("user").first()
        if grant is None or grant.expires is None or grant.expires <= clock.now():
            return False
        request.scopes = grant.scope.split(" ")
        request.user = grant.user
        if grant.nonce:
            request.nonce = grant.nonce
        if grant.claims:
            request.claims = json.loads(grant.claims)
        return True

    def _create_access_token(
        self, expires: dt.datetime, request: Any, token: dict[str, Any], source_refresh_token: Any = None
    ) -> AccessToken:
        jkt = _jkt()
        expires = clock.now() + dt.timedelta(seconds=oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS)
        access_token: AccessToken = super()._create_access_token(expires, request, token, source_refresh_token)
        TokenBinding.objects.create(access_token=access_token, jkt=jkt)
        return access_token

    def _create_refresh_token(
        self, request: Any, refresh_token_code: str, access_token: AccessToken, previous_refresh_token: Any
    ) -> RefreshToken:
        jkt = _jkt()
        refresh_token: RefreshToken = super()._create_refresh_token(
            request, refresh_token_code, access_token, previous_refresh_token
        )
        TokenBinding.objects.create(refresh_token=refresh_token, jkt=jkt)
        return refresh_token
