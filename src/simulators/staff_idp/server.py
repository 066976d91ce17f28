"""Running the staff identity provider: as a process (`make run`) or on a background thread (tests)."""

from __future__ import annotations

import uvicorn

from simulators.serving import LOOPBACK, ServersThread, bind
from simulators.staff_idp.provider import Client, Provider, build_app

# Development only: the console's client secret at the test provider; production refuses it.
DEVELOPMENT_CLIENT_ID = "minasidor-console"
DEVELOPMENT_CLIENT_SECRET = "development-only-console-secret"  # noqa: S105  # nosec B105 - test-only


def development_client(redirect_uris: tuple[str, ...]) -> Client:
    return Client(DEVELOPMENT_CLIENT_ID, DEVELOPMENT_CLIENT_SECRET, redirect_uris)


class StaffIdpThread(ServersThread):
    """The provider on a free loopback port, on a daemon thread (tests)."""

    def __init__(self, *, redirect_uris: tuple[str, ...]) -> None:
        sock = bind(0)
        self.port = sock.getsockname()[1]
        self.issuer = f"http://{LOOPBACK}:{self.port}"
        self.provider = Provider(issuer=self.issuer, client=development_client(redirect_uris))
        config = uvicorn.Config(build_app(self.provider), log_level="warning", lifespan="off")
        super().__init__([uvicorn.Server(config)], [sock], name="staff identity provider")
