"""Running the two servers: the RP API (HTTPS, mutual TLS) and the virtual app (plain HTTP).

Both listen on loopback only. :class:`SimulatorThread` runs them in a background thread (for tests);
:func:`serve_forever` runs them in the foreground (for ``python -m simulators.bankid serve``).
"""

from __future__ import annotations

import asyncio
import socket
import ssl

import uvicorn

from simulators.bankid.control_api import build_app_server_app
from simulators.bankid.peer_cert import PeerCertH11Protocol
from simulators.bankid.rp_api import API_PREFIX, build_rp_app
from simulators.bankid.simulator import Simulator
from simulators.serving import LOOPBACK, ServersThread, bind


def build_servers(sim: Simulator, *, log_level: str = "warning") -> tuple[uvicorn.Server, uvicorn.Server]:
    """The RP API server (client certificate optional at TLS level, required by the app: 401)."""
    rp_config = uvicorn.Config(
        build_rp_app(sim),
        http=PeerCertH11Protocol,
        ssl_certfile=str(sim.ca.server_cert_file),
        ssl_keyfile=str(sim.ca.server_key_file),
        ssl_ca_certs=str(sim.ca.rp_ca_file),
        ssl_cert_reqs=ssl.CERT_OPTIONAL,
        log_level=log_level,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    app_config = uvicorn.Config(
        build_app_server_app(sim),
        http="h11",
        log_level=log_level,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    return uvicorn.Server(rp_config), uvicorn.Server(app_config)


def rp_base_url(sock: socket.socket) -> str:
    return f"https://localhost:{sock.getsockname()[1]}{API_PREFIX}"


def app_base_url(sock: socket.socket) -> str:
    return f"http://{LOOPBACK}:{sock.getsockname()[1]}"


async def _serve(servers: tuple[uvicorn.Server, uvicorn.Server], sockets: tuple[socket.socket, socket.socket]) -> None:
    await asyncio.gather(
        servers[0].serve(sockets=[sockets[0]]),
        servers[1].serve(sockets=[sockets[1]]),
    )


def serve_forever(sim: Simulator, *, rp_socket: socket.socket, app_socket: socket.socket) -> None:
    """Serve both until interrupted (Ctrl-C)."""
    servers = build_servers(sim, log_level="info")
    asyncio.run(_serve(servers, (rp_socket, app_socket)))


class SimulatorThread(ServersThread):
    """Both servers on free loopback ports in a background thread; use as a context manager."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.rp_socket = bind(0)
        self.app_socket = bind(0)
        super().__init__(build_servers(sim), (self.rp_socket, self.app_socket), name="BankID test server")

    @property
    def rp_base_url(self) -> str:
        return rp_base_url(self.rp_socket)

    @property
    def app_base_url(self) -> str:
        return app_base_url(self.app_socket)
