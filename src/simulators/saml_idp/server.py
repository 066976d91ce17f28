"""Serving the test identity providers on loopback: in a background thread (tests) or in the foreground."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from pathlib import Path

import uvicorn

from simulators.saml_idp.keys import all_key_pairs
from simulators.saml_idp.web import IdentityProviders, build_app
from simulators.serving import LOOPBACK, ServersThread, bind


def base_url(sock: socket.socket) -> str:
    return f"http://{LOOPBACK}:{sock.getsockname()[1]}"


def providers_for(directory: Path, sock: socket.socket, *, sp_metadata_url: str | None) -> IdentityProviders:
    """Both IdPs with the TEST-ONLY keys in ``directory`` (generated when missing)."""
    keys = all_key_pairs(directory, now=dt.datetime.now(dt.UTC))
    return IdentityProviders(keys=keys, base_url=base_url(sock), sp_metadata_url=sp_metadata_url)


def _server(providers: IdentityProviders, *, log_level: str) -> uvicorn.Server:
    config = uvicorn.Config(
        build_app(providers), http="h11", log_level=log_level, lifespan="off", timeout_graceful_shutdown=1
    )
    return uvicorn.Server(config)


def serve_forever(providers: IdentityProviders, *, sock: socket.socket) -> None:
    asyncio.run(_server(providers, log_level="info").serve(sockets=[sock]))


class IdpThread(ServersThread):
    """The test IdPs on a free loopback port in a background thread; use as a context manager."""

    def __init__(self, directory: Path, *, sp_metadata_url: str | None = None) -> None:
        self.socket = bind(0)
        self.providers = providers_for(directory, self.socket, sp_metadata_url=sp_metadata_url)
        super().__init__([_server(self.providers, log_level="warning")], [self.socket], name="test identity providers")

    @property
    def base_url(self) -> str:
        return base_url(self.socket)

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/federation/metadata.xml"
