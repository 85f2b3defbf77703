"""The server's protocol: an answer's header and body reach the socket as one write, nothing is held
past the loop step that wrote it, and a close sends what is held first."""

from __future__ import annotations

import asyncio

import httpx

from api.protocol import _Joined


class _Transport:
    def __init__(self):
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name, default=None):
        return ("127.0.0.1", 1) if name == "peername" else default


def test_writes_of_one_step_go_out_as_one_and_a_lone_write_at_the_end_of_its_step():
    async def main():
        raw = _Transport()
        joined = _Joined(raw, asyncio.get_running_loop())
        joined.write(b"HTTP/1.1 200 OK\r\n\r\n")
        joined.write(b"{}")
        assert raw.writes == [b"HTTP/1.1 200 OK\r\n\r\n{}"]
        joined.write(b"chunk")
        assert raw.writes == [b"HTTP/1.1 200 OK\r\n\r\n{}"]  # held until the step ends
        await asyncio.sleep(0)
        assert raw.writes[1:] == [b"chunk"]
        joined.write(b"last")
        joined.close()
        assert raw.writes[2:] == [b"last"] and raw.closed
        assert joined.get_extra_info("peername") == ("127.0.0.1", 1)  # the rest is the transport's
        await asyncio.sleep(0)
        assert len(raw.writes) == 3

    asyncio.run(main())


def test_a_server_with_the_protocol_answers_requests_on_one_connection(tmp_path):
    import socket
    import threading

    import uvicorn
    from fastapi import FastAPI

    from api.protocol import JoinedWrites

    app = FastAPI()

    @app.get("/x")
    async def x():
        return {"n": 1}

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", http=JoinedWrites, ws="none"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for _ in range(50):
                if server.started:
                    break
                threading.Event().wait(0.1)
            answers = [client.get("/x") for _ in range(3)] + [client.get("/missing")]
        assert [(a.status_code, a.text) for a in answers] == [(200, '{"n":1}')] * 3 + [
            (404, '{"detail":"Not Found"}')]
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
