"""The id of the request being served, for log lines and access-log records.

Every request gets an id: the one the reverse proxy sent in ``X-Request-ID`` when it is well-formed, or a
new random one. It is bound to the structlog context, returned in the response header, and read by the
access log through :func:`current`.
"""

from __future__ import annotations

import contextvars
import re
import uuid

import structlog

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def accept_or_create(offered: str | None) -> str:
    """The proxy's id when it is well-formed (so one id follows a request through every hop), else a new one."""
    if offered and _WELL_FORMED.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def current() -> str:
    """The id of the request being served, or ``"-"`` outside a request (commands, background work)."""
    return _current.get() or "-"


def bind(request_id: str) -> contextvars.Token[str | None]:
    """Make ``request_id`` current; undo with :func:`reset`."""
    return _current.set(request_id)


def reset(token: contextvars.Token[str | None]) -> None:
    """Restore the id that was current before :func:`bind`."""
    _current.reset(token)


def enter(offered: str | None) -> tuple[str, contextvars.Token[str | None]]:
    """Give the request being served its id (:func:`accept_or_create`), bound to the log context and made
    current; what :func:`leave` needs. Every request passes here (the middleware, the lean status poll)."""
    rid = accept_or_create(offered)
    structlog.contextvars.bind_contextvars(request_id=rid)
    return rid, bind(rid)


def leave(state: tuple[str, contextvars.Token[str | None]]) -> None:
    """Undo :func:`enter` once the response is sent."""
    structlog.contextvars.unbind_contextvars("request_id")
    reset(state[1])
