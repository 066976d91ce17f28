"""How long to wait before trying again: doubling from a first delay, capped, with a little jitter.

Used by the outboxes of the background tasks (docs/decisions/0110): the n-th failed attempt waits about
``first * 2**(n-1)``, never more than ``cap``, each delay moved by up to ±``jitter`` of itself so that many
rows failing together do not all come back at the same instant.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

_random = random.Random()  # noqa: S311 # nosec B311 - jitter spreads retries; it guards nothing


def retry_delay(
    attempt: int,
    *,
    first: dt.timedelta,
    cap: dt.timedelta,
    jitter: float = 0.1,
    uniform: Callable[[float, float], float] = _random.uniform,
) -> dt.timedelta:
    """The wait after failed attempt number ``attempt`` (1 for the first failure)."""
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    if not 0 <= jitter < 1:
        raise ValueError("jitter is a fraction below 1")
    seconds = min(first.total_seconds() * 2.0 ** min(attempt - 1, 64), cap.total_seconds())
    return dt.timedelta(seconds=seconds * (1 + uniform(-jitter, jitter)))
