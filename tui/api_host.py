"""The HTTP API served from inside the dashboard: uvicorn on a thread, watched by the API area.

`ApiHost` owns the server thread and what the dashboard shows about it: the address, the sandbox
key's name, requests per second, and which messages were sent over HTTP (by which key), read from
the recorded send responses so the Traffic area can mark them. Stopping asks uvicorn to finish the
requests in flight (graceful shutdown) and waits for it.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict, deque

SENDS = ("/sms/2/text/advanced", "/sms/3/messages", "/sms/1/text/query", "/sms/3/text/query")
MESSAGES_KEPT = 20_000


class ApiHost:
    def __init__(self, app, sock, address: str, key_name: str | None):
        self.app = app  # the FastAPI app (its state holds the recorder and the webhooks)
        self.sock = sock
        self.address = address
        self.key_name = key_name
        self.server = None
        self.thread: threading.Thread | None = None
        self._times: deque[float] = deque(maxlen=5_000)
        self._messages: OrderedDict[str, str | None] = OrderedDict()
        self._lock = threading.Lock()
        app.state.recorder.subscribe(self._seen)

    @property
    def recorder(self):
        return self.app.state.recorder

    @property
    def webhooks(self):
        return getattr(self.app.state, "webhooks", None)

    def start(self) -> None:
        import uvicorn

        from api.protocol import JoinedWrites

        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="on",
                                timeout_graceful_shutdown=10, http=JoinedWrites, ws="none")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, name="cpaasx-api", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.server.run(sockets=[self.sock])
        finally:
            self.sock.close()

    def stop(self, timeout: float = 15.0) -> None:
        if self.server is not None:
            self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout)

    @property
    def running(self) -> bool:
        return bool(self.thread and self.thread.is_alive() and self.server and self.server.started)

    def rate(self, now: float | None = None, span: float = 5.0) -> float:
        """Requests per second over the last `span` seconds."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = sum(1 for t in self._times if t >= now - span)
        return recent / span

    def sent_with(self, message_id: str) -> tuple[bool, str | None]:
        """(sent over HTTP by this server, the key's name)."""
        with self._lock:
            if message_id in self._messages:
                return True, self._messages[message_id]
        return False, None

    def _seen(self, record) -> None:
        """On the serving thread: count it and remember the messages a send answered with."""
        with self._lock:
            self._times.append(time.monotonic())
        if record.path not in SENDS or record.status >= 300 or record.response_truncated:
            return
        try:
            body = json.loads(record.response_body or b"{}")
        except ValueError:
            return
        ids = [m.get("messageId") for m in body.get("messages") or [] if isinstance(m, dict)]
        with self._lock:
            for message_id in ids:
                if message_id:
                    self._messages[message_id] = record.key_name
            while len(self._messages) > MESSAGES_KEPT:
                self._messages.popitem(last=False)
