"""DPoP server nonces (RFC 9449 sections 8 and 9): a value the portal hands out that every proof must carry.

A nonce makes a proof's freshness depend on the portal's clock, not the client's: a proof made before the
nonce existed, or kept past its end, is refused however its ``iat`` reads. The nonces are stateless: one
per period of the clock, the period's number with an HMAC under a key derived from SECRET_KEY, so every
worker of every instance makes and checks the same ones without a store. A nonce is accepted during its
period and the next one (between NONCE_PERIOD and twice that); every answer of the token endpoint and the
read API carries the current nonce in ``DPoP-Nonce``, so a client that keeps the latest rarely has to retry.
Decision 0220.
"""

from __future__ import annotations

import datetime as dt
import hmac

from django.utils.crypto import salted_hmac

from kernel import clock

NONCE_PERIOD = dt.timedelta(seconds=120)
_SALT = "minasidor.sharing.dpop-nonce"
_PERIOD_SECONDS = int(NONCE_PERIOD.total_seconds())


def _period(at: dt.datetime) -> int:
    return int(at.timestamp()) // _PERIOD_SECONDS


def _nonce_for(period: int) -> str:
    return f"{period:x}.{salted_hmac(_SALT, str(period), algorithm='sha256').hexdigest()[:32]}"


def nonce_current() -> str:
    """The nonce of this period: what ``DPoP-Nonce`` says."""
    return _nonce_for(_period(clock.now()))


def nonce_valid(nonce: str) -> bool:
    """Whether ``nonce`` is this period's or the last one's, made by us."""
    period_text, dot, _mac = nonce.partition(".")
    if not dot or not 0 < len(period_text) <= 16:
        return False
    try:
        period = int(period_text, 16)
    except ValueError:
        return False
    now = _period(clock.now())
    return period in (now, now - 1) and hmac.compare_digest(nonce, _nonce_for(period))
