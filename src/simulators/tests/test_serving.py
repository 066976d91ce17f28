"""Requirement: the simulators answer on kept-alive connections without waiting for the client's delayed ACK:
the sockets their listening socket accepts have Nagle's algorithm off (TCP_NODELAY), as asyncio sets it on
sockets that say they are TCP (decision 0240)."""

from __future__ import annotations

import asyncio
import socket

from simulators.serving import bind


async def _accepted_nodelay(listener: socket.socket) -> int:
    loop = asyncio.get_running_loop()
    seen: asyncio.Future[int] = loop.create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await loop.create_server(Probe, sock=listener)
    try:
        _, writer = await asyncio.open_connection(*listener.getsockname())
        result = await asyncio.wait_for(seen, timeout=5)
        writer.close()
        return result
    finally:
        server.close()
        await server.wait_closed()


def test_accepted_connections_have_nagle_off() -> None:
    listener = bind(0)
    assert listener.proto == socket.IPPROTO_TCP
    assert asyncio.run(_accepted_nodelay(listener)) != 0


def test_a_socket_made_without_the_protocol_would_not_have_it() -> None:
    """The test above can fail: a listener made the old way (protocol 0) gives accepted sockets Nagle on."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    assert asyncio.run(_accepted_nodelay(listener)) == 0
