"""Who may read the metrics: a client in the operators' networks, or one with the metrics token."""

from __future__ import annotations

import functools
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest

MIN_TOKEN_LENGTH = 32


@functools.cache
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def from_operator_network(address: str, cidrs: tuple[str, ...]) -> bool:
    """Whether ``address`` lies in one of the networks ``cidrs``."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(cidrs))


def token_presented(request: HttpRequest, token: str) -> bool:
    """Whether the request carries ``Authorization: Bearer <token>`` (compared in constant time)."""
    if len(token) < MIN_TOKEN_LENGTH:
        return False
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode())


def metrics_allowed(request: HttpRequest) -> bool:
    """The client (its address as our trusted proxies saw it) is an operator's, or it knows the token."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    return from_operator_network(address, tuple(settings.OPERATOR_NETWORKS)) or token_presented(
        request, settings.METRICS_TOKEN
    )
