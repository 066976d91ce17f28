"""Make the TLS client certificate visible to the ASGI app.

uvicorn does not pass the peer certificate to applications, so this HTTP protocol copies it into the
per-connection ``state`` that uvicorn puts in every request's scope (``scope["state"]``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

PEER_CERT_KEY = "bankid_simulator_peer_cert_der"


class PeerCertH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, plus the client certificate (DER, or None) in ``scope["state"]``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        ssl_object = transport.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        state: dict[str, Any] = dict(self.app_state)
        state[PEER_CERT_KEY] = der
        self.app_state = state
