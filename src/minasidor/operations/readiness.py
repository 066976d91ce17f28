"""Readiness: can this process serve citizens now? The databases, Redis, and the outside systems' breakers.

A database or Redis that does not answer makes the process not ready (the load balancer sends requests to
another instance). An open circuit breaker to BankID, Min Pension or the back office's API does not: every
instance shares the outside system, so taking them all out would only replace the portal's own clear
message ("BankID cannot be reached just now") with the proxy's error page. It is reported as ``degraded``
with the breaker's state, for the operators' alerts. Nothing here names or reads a person.
"""

from __future__ import annotations

import dataclasses

import structlog
from django.conf import settings
from django.core.cache import cache
from django.db import connections

from minasidor.core import metrics

logger = structlog.get_logger(__name__)

READY, DEGRADED, NOT_READY = "ready", "degraded", "not_ready"
PROBE_KEY = "operations:readiness-probe"


@dataclasses.dataclass(frozen=True)
class Readiness:
    """The overall status and each check's outcome (``ok``/``failed``, or a breaker's state)."""

    status: str
    checks: dict[str, str]

    @property
    def ready(self) -> bool:
        return self.status != NOT_READY


def _database(alias: str) -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure of the database means not ready
        logger.warning("readiness.database_failed", database=alias, error=type(error).__name__)
        return "failed"
    return "ok"


def _redis() -> str:
    try:
        cache.get(PROBE_KEY)
    except Exception as error:  # any failure of Redis means not ready
        logger.warning("readiness.redis_failed", error=type(error).__name__)
        return "failed"
    return "ok"


def readiness() -> Readiness:
    """Check the databases, Redis (when configured) and report the breakers this process has made."""
    checks = {f"database:{alias}": _database(alias) for alias in settings.DATABASES}
    if settings.REDIS_URL:
        checks["redis"] = _redis()
    breakers = {f"breaker:{system}": state for system, state in metrics.breaker_states().items()}
    if any(outcome == "failed" for outcome in checks.values()):
        status = NOT_READY
    elif any(state != "closed" for state in breakers.values()):
        status = DEGRADED
    else:
        status = READY
    return Readiness(status=status, checks=checks | breakers)
