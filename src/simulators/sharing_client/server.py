"""Running the demo third party: as a process (`make run`) or on a background thread (tests)."""

from __future__ import annotations

import uvicorn

from simulators.serving import LOOPBACK, ServersThread, bind
from simulators.sharing_client.app import DemoClient, build_app


class DemoClientThread(ServersThread):
    """The demo client on a free loopback port, on a daemon thread, talking to the portal at ``portal_url``."""

    def __init__(self, *, portal_url: str) -> None:
        sock = bind(0)
        self.port = sock.getsockname()[1]
        self.base_url = f"http://{LOOPBACK}:{self.port}"
        self.client = DemoClient(portal_url=portal_url, base_url=self.base_url)
        config = uvicorn.Config(build_app(self.client), log_level="warning", lifespan="off")
        super().__init__([uvicorn.Server(config)], [sock], name="sharing demo client")
