"""Serving the test signature service on loopback in a background thread (tests)."""

from __future__ import annotations

import uvicorn

from simulators.serving import LOOPBACK, ServersThread, bind
from simulators.sigservice.web import SignatureService, build_app


class SigServiceThread(ServersThread):
    """The test signature service on a free loopback port; use as a context manager."""

    def __init__(self, service: SignatureService) -> None:
        self.socket = bind(0)
        self.service = service
        config = uvicorn.Config(build_app(service), http="h11", log_level="warning", lifespan="off")
        super().__init__([uvicorn.Server(config)], [self.socket], name="test signature service")

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.socket.getsockname()[1]}"
