"""uvicorn's HTTP protocol (httptools) with each answer's header and body written to the socket together.

uvicorn writes an answer's status line and headers, then its body, as two writes: two system calls
and two TCP segments (the socket has TCP_NODELAY), so the client wakes twice per answer. Here a
write is held until the next one or the end of the event loop's step, whichever comes first: the
header and the body that follows it go out as one write (one system call, about a fifth of the
server's time per small request), and nothing waits longer than the step that made it.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class _Joined:
    """A transport whose writes made in one loop step are sent as one; the rest is the transport's."""

    __slots__ = ("_transport", "_loop", "_held")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        if self._held is None:
            self._held = bytes(data)
            self._loop.call_soon(self.flush)
        else:
            held, self._held = self._held, None
            self._transport.write(held + data)

    def flush(self) -> None:
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


class JoinedWrites(HttpToolsProtocol):
    """`uvicorn.Config(http=JoinedWrites, ws="none")`: the server's protocol (no WebSocket upgrades,
    which would hand the wrapped transport on)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_Joined(transport, self.loop))
