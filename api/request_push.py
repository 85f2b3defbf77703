"""Resource-request status changes to a webhook, and the time-based reviewer, on the server's ticker.

The platform sends RESOURCE_REQUEST_STATUS_UPDATE events to a subscription made with its
Subscriptions API (not one of the served files), so here the subscription is `serve --request-webhook
URL`. Every event stored after the server started whose status the file's webhook carries
(UPDATE_REQUESTED, REJECTED, COMPLETED) is POSTed there, oldest first, as the file's
`WebhookStatusNotifApiDocRequestBody` (`{"results": [{event, receivedAt, content, platform}]}`), one
POST per tick: changes made over HTTP, in the dashboard, by `cpaasx request` in another process, or by
the reviewer. With `auto_review` the ticker also runs the reviewer, so requests move on by themselves.
"""

from __future__ import annotations

from store import requests
from store.sms_reads import platform_time

from .responses import clean
from .webhooks import Webhooks

MAX_PER_TICK = 100
# The statuses the file's webhook body carries (its content's `status` enum): PENDING, IN_REVIEW and
# CANCELED are kept as events in the store but never POSTed, as on the platform.
POSTED = frozenset({"UPDATE_REQUESTED", "UPDATE_REQUESTED_BY_INTERNAL_REVIEWER", "REJECTED", "COMPLETED"})


def status_event(event, request) -> dict:
    return {
        "event": event.event,
        "receivedAt": platform_time(event.received_at),
        "content": dict(event.content),
        "platform": {"applicationId": request.application_id, "entityId": request.entity_id},
    }


class RequestPush:
    def __init__(self, store, webhooks: Webhooks, url: str | None, auto_review: bool = False):
        self.store, self.webhooks, self.url, self.auto_review = store, webhooks, url, auto_review
        self.after: int | None = None  # the last event handed to the dispatcher
        self.pushed = 0

    def start(self) -> None:
        """Begin after the newest event: what happened before the server started is not sent."""
        if self.url is not None and self.after is None:
            with self.store.read() as session:
                self.after = requests.last_event_id(session)

    def tick(self, now) -> int:
        """Review what is due (with auto_review), then queue the new events; how many were queued."""
        if self.auto_review:
            with self.store.read() as session:
                due = requests.review_due(session, now)
            if due:
                with self.store.write() as session:
                    requests.auto_review(session, now)
        if self.url is None:
            return 0
        self.start()
        room = min(MAX_PER_TICK, self.webhooks.room())
        if room <= 0:
            return 0
        with self.store.read() as session:
            rows = requests.events_after(session, self.after, room)
            results = [status_event(event, request) for event, request in rows if event.status in POSTED]
        if rows:
            self.after = rows[-1][0].id
        if not results:
            return 0
        self.webhooks.post(self.url, clean({"results": results}), "REQUEST_STATUS")
        self.pushed += len(results)
        return len(results)
