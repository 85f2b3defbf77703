"""The outermost layer: refuses bodies over 10 MB (413) and records each request and its answer."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from . import errors, spec
from .errors import ApiFailure
from .recording import BODY_KEPT, Recorder, RequestRecord

MAX_BODY = 10 * 1024 * 1024


class Watch:
    """Pure ASGI (no per-request Starlette objects): the body is read once here and replayed to the app."""

    def __init__(self, app, recorder: Recorder, max_body: int = MAX_BODY):
        self.app = app
        self.recorder = recorder
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status, kept, truncated, recorded = [500], bytearray(), [False], [False]
        body = b""

        def record_once():
            if not recorded[0]:
                recorded[0] = True
                self._record(scope, started, status[0], body, bytes(kept), truncated[0])

        async def watched_send(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body":
                chunk = message.get("body", b"")
                room = BODY_KEPT - len(kept)
                if room > 0:
                    kept.extend(chunk[:room])
                if len(chunk) > max(room, 0):
                    truncated[0] = True
                if not message.get("more_body", False):
                    # Recorded before the last chunk goes out, so whoever has the answer can find its record.
                    record_once()
            await send(message)

        read = await self._read(scope, receive)
        try:
            if read is None:
                await self._too_large(scope, watched_send)
            else:
                body = read
                await self.app(scope, _replay(body, receive), watched_send)
        finally:
            record_once()

    def _record(self, scope, started: float, status: int, body: bytes, kept: bytes, truncated: bool) -> None:
        caller = scope.get("state", {}).get("caller")
        self.recorder.record(
            RequestRecord(
                at=datetime.now(UTC),
                method=scope["method"],
                path=scope["path"],
                query=scope.get("query_string", b"").decode("latin-1"),
                status=status,
                duration_ms=(time.perf_counter() - started) * 1000,
                key_name=caller.name if caller else None,
                request_body=body[:BODY_KEPT],
                response_body=kept,
                request_truncated=len(body) > BODY_KEPT,
                response_truncated=truncated,
                client=scope["client"][0] if scope.get("client") else None,
            )
        )

    async def _read(self, scope, receive) -> bytes | None:
        """The whole body, or None when it is over the limit (by its Content-Length or as it arrives)."""
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_body:
                return None
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _too_large(self, scope, send) -> None:
        failure = ApiFailure(413, f"Request body too large: at most {self.max_body} bytes", "REQUEST_TOO_LARGE",
                             [("body", f"must be at most {self.max_body} bytes")])
        payload = json.dumps(errors.body(spec.envelope_of(scope["method"], scope["path"]), failure)).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": payload})


def _replay(body: bytes, receive):
    """A `receive` that hands the app the body already read, then waits for the client as usual."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
