"""The webhook dispatcher: delivery, retries with backoff, the bounded queue, the shutdown report."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import httpx

from api.webhooks import DELIVERED, DROPPED, FAILED, QUEUED, RETRYING, Settings, Webhooks


def _until(check, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def _receiver(codes: list[int]):
    """A mock receiver answering `codes` in turn (then 200), recording each body it gets."""
    got: list[tuple[str, dict]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        got.append((str(request.url), json.loads(request.content)))
        return httpx.Response(codes.pop(0) if codes else 200)

    return got, httpx.MockTransport(handler)


def test_a_report_is_posted_once_with_its_body():
    got, transport = _receiver([])
    hooks = Webhooks(Settings(backoff=0.01), transport=transport).start()
    try:
        body = {"results": [{"messageId": "m-1", "status": {"groupName": "DELIVERED"}}]}
        attempt = hooks.post("http://hooks.test/dlr", body)
        _until(lambda: attempt.state == DELIVERED)
        assert got == [("http://hooks.test/dlr", body)]
        assert (attempt.attempts, attempt.status_code, attempt.error) == (1, 200, None)
        assert hooks.recent()[0] is attempt and hooks.pending() == []
    finally:
        hooks.stop()


def test_a_failing_receiver_is_retried_with_growing_delays_until_it_answers():
    got, transport = _receiver([500, 503])
    hooks = Webhooks(Settings(backoff=0.01), transport=transport).start()
    try:
        attempt = hooks.post("http://hooks.test/in", {"results": []}, kind="INBOUND_MESSAGE")
        _until(lambda: attempt.state == DELIVERED)
        assert len(got) == 3 and (attempt.attempts, attempt.status_code) == (3, 200)
    finally:
        hooks.stop()


def test_a_receiver_that_never_answers_2xx_fails_after_the_last_attempt():
    got, transport = _receiver([500] * 10)
    hooks = Webhooks(Settings(backoff=0.001, max_attempts=3), transport=transport).start()
    try:
        attempt = hooks.post("http://hooks.test/x", {"a": 1})
        _until(lambda: attempt.state == FAILED)
        assert (attempt.attempts, attempt.status_code, attempt.error) == (3, 500, "HTTP 500")
        assert len(got) == 3 and hooks.pending() == []
    finally:
        hooks.stop()


def test_an_unreachable_url_is_recorded_with_its_error_and_retried():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    hooks = Webhooks(Settings(backoff=0.001, max_attempts=2, timeout=1)).start()
    try:
        attempt = hooks.post(f"http://127.0.0.1:{port}/dlr", {"results": []})
        _until(lambda: attempt.state == FAILED)
        assert attempt.attempts == 2 and attempt.status_code is None and "ConnectError" in attempt.error
    finally:
        hooks.stop()


def _blocked_receiver():
    """A receiver that holds every call until released (a slow customer server)."""
    release = asyncio.Event()
    started: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        started.append(str(request.url))
        await release.wait()
        return httpx.Response(200)

    return release, started, httpx.MockTransport(handler)


def test_the_queue_is_bounded_and_posting_never_waits_for_a_slow_receiver():
    release, started, transport = _blocked_receiver()
    hooks = Webhooks(Settings(workers=1, max_queue=3), transport=transport).start()
    try:
        began = time.monotonic()
        calls = [hooks.post(f"http://hooks.test/{i}", {"i": i}) for i in range(5)]
        assert time.monotonic() - began < 1.0  # five posts while the receiver holds the first one
        assert [c.state for c in calls[3:]] == [DROPPED, DROPPED] and calls[3].error == "queue full"
        _until(lambda: started == ["http://hooks.test/0"])
        assert [c.state for c in calls[:3]] == [QUEUED, QUEUED, QUEUED]
        hooks._loop.call_soon_threadsafe(release.set)
        _until(lambda: all(c.state == DELIVERED for c in calls[:3]))
        assert hooks.counts()[DELIVERED] == 3 and hooks.counts()[DROPPED] == 2
    finally:
        hooks.stop()


def test_stop_reports_the_calls_still_queued_or_waiting_for_a_retry():
    got, transport = _receiver([500])
    hooks = Webhooks(Settings(backoff=30), transport=transport).start()
    retried = hooks.post("http://hooks.test/retry", {"n": 1})
    _until(lambda: retried.state == RETRYING)
    left = hooks.stop(grace=0.2)
    assert left == [retried] and retried.attempts == 1 and retried.next_delay == 30
    dropped = hooks.post("http://hooks.test/late", {"n": 2})
    assert dropped.state == DROPPED and dropped.error == "webhooks stopped"
