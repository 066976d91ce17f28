"""WebAuthn passkeys for agents (py_webauthn): register one after logging in, use it as the second factor.

The challenge lives in the server-side session; the relying party is the host the console is reached on
(validated by ``ALLOWED_HOSTS``), and user verification is required (decision 0131).
"""

from __future__ import annotations

import structlog
from django.contrib.auth.models import User
from django.http import HttpRequest
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from kernel import clock
from minasidor.console.models import AgentPasskey

CHALLENGE_KEY = "console_webauthn_challenge"
logger = structlog.get_logger(__name__)


def _rp_id(request: HttpRequest) -> str:
    return request.get_host().rsplit(":", 1)[0] if not request.get_host().startswith("[") else request.get_host()


def _origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def registration_options(request: HttpRequest, user: User) -> str:
    options = generate_registration_options(
        rp_id=_rp_id(request),
        rp_name="Kundservice",
        user_name=user.get_username(),
        user_id=str(user.pk).encode(),
        user_display_name=user.first_name or user.get_username(),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.REQUIRED
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id))
            for key in AgentPasskey.objects.filter(user_id=user.pk)
        ],
    )
    request.session[CHALLENGE_KEY] = bytes_to_base64url(options.challenge)
    return str(options_to_json(options))


def registration_finish(request: HttpRequest, user: User, credential: str) -> bool:
    challenge = request.session.pop(CHALLENGE_KEY, None)
    if not challenge or not credential:
        return False
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=_rp_id(request),
            expected_origin=_origin(request),
            require_user_verification=True,
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, KeyError) as error:
        logger.warning("console.passkey_registration_refused", error=str(error)[:200])
        return False
    AgentPasskey.objects.create(
        user_id=user.pk,
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        created_at=clock.now(),
    )
    logger.info("console.passkey_registered", user=user.get_username())
    return True


def authentication_options(request: HttpRequest, user: User) -> str | None:
    keys = list(AgentPasskey.objects.filter(user_id=user.pk))
    if not keys:
        return None
    options = generate_authentication_options(
        rp_id=_rp_id(request),
        allow_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id)) for key in keys],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    request.session[CHALLENGE_KEY] = bytes_to_base64url(options.challenge)
    return str(options_to_json(options))


def authentication_finish(request: HttpRequest, user: User, credential: str) -> bool:
    challenge = request.session.pop(CHALLENGE_KEY, None)
    if not challenge or not credential:
        logger.warning("console.passkey_missing", challenge=bool(challenge), credential=bool(credential))
        return False
    import json  # noqa: PLC0415

    try:
        credential_id = str(json.loads(credential).get("id", ""))
    except (ValueError, AttributeError):
        return False
    key = AgentPasskey.objects.filter(user_id=user.pk, credential_id=credential_id).first()
    if key is None:
        logger.warning("console.passkey_unknown")
        return False
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=_rp_id(request),
            expected_origin=_origin(request),
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
            require_user_verification=True,
        )
    except (InvalidAuthenticationResponse, InvalidJSONStructure, ValueError, KeyError) as error:
        logger.warning("console.passkey_refused", error=str(error)[:200])
        return False
    AgentPasskey.objects.filter(pk=key.pk).update(sign_count=verified.new_sign_count)
    return True
