"""The client's address behind the deployment's reverse proxies: from ``X-Forwarded-For``, trusted hops only.

Each reverse proxy the deployment runs appends the address it received the request from to
``X-Forwarded-For``. With ``TRUSTED_PROXY_HOPS`` = N, the client is the N-th address from the right: the one
our farthest proxy saw. Anything to its left was written by the client (or proxies we do not run) and is
never believed. With N = 0 (the default) the header is ignored and the peer address stands. A header with
fewer than N addresses, or a value that is not an IP address, leaves the peer address (the request did not
come through every proxy we run). The result replaces ``REMOTE_ADDR`` for everything after this middleware:
BankID's ``endUserIp``, the same-device address check, rate limits. See docs/decisions/0073.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from minasidor.core.middleware import WrappingMiddleware


def client_address(meta: Mapping[str, Any], *, trusted_hops: int) -> str:
    """The client's address from a request's META, believing ``trusted_hops`` proxies and no more."""
    peer = str(meta.get("REMOTE_ADDR", ""))
    if trusted_hops <= 0:
        return peer
    forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < trusted_hops:
        return peer
    try:
        return str(ipaddress.ip_address(forwarded[-trusted_hops]))
    except ValueError:
        return peer


class ClientAddressMiddleware(WrappingMiddleware):
    """Sets ``REMOTE_ADDR`` to the client's address as our trusted proxies saw it (no I/O, no thread)."""

    def enter(self, request: HttpRequest) -> Any:
        hops = settings.TRUSTED_PROXY_HOPS
        if hops > 0:
            request.META["REMOTE_ADDR"] = client_address(request.META, trusted_hops=hops)
