"""The server's delivery ticker: every `interval` seconds it delivers what is due by the router's clock
(`store.delivery.advance`) and hands the reports of messages with a notify URL to the webhook
dispatcher, one POST of `{"results": [...]}` per URL and tick; inbound messages whose configuration
forwards (HTTP_FORWARD) go the same way to its URL.

It runs on its own thread and never touches a request: a send only writes its message; a slow or
failing receiver only fills the dispatcher's bounded queue (the ticker takes no more reports than
the queue has room for, so a report is not taken only to be dropped).
"""

from __future__ import annotations

import logging

from store import queues, sms_reads
from store.ticker import Ticker

from .responses import clean
from .webhooks import Webhooks

log = logging.getLogger("cpaasx.api")
MAX_PER_TICK = 1000


class DeliveryPush:
    def __init__(self, store, router, webhooks: Webhooks, interval: float = 0.5, requests=None):
        self.store, self.router, self.webhooks, self.interval = store, router, webhooks, interval
        self.requests = requests  # an api.request_push.RequestPush, ticked after the deliveries
        self._ticker = Ticker("cpaasx-delivery", self.tick, interval, log)
        self.pushed = 0  # reports handed to the dispatcher

    def start(self) -> "DeliveryPush":
        if self.requests is not None:
            self.requests.start()
        self._ticker.start()
        return self

    def tick(self) -> int:
        """Deliver what is due and queue the webhook calls; how many reports were queued."""
        now = self.router.clock()
        sms_reads.deliver(self.store, now, self.router.delivery_profile())
        room = min(MAX_PER_TICK, self.webhooks.room())
        queued = 0
        for url, queue, results in sms_reads.take_pushes(self.store, room, now):
            if queue == queues.REPORTS:
                self.webhooks.post(url, clean({"results": results}), "DELIVERY_REPORT")
            else:  # the platform's inbound webhook body: SmsMoReportResponse
                body = {"results": results, "messageCount": len(results), "pendingMessageCount": 0}
                self.webhooks.post(url, clean(body), "INBOUND_MESSAGE")
            queued += len(results)
        self.pushed += queued
        if self.requests is not None:
            queued += self.requests.tick(now)
        return queued

    def stop(self) -> None:
        """Stop ticking (a tick under way finishes first)."""
        self._ticker.stop()
