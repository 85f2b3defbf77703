"""The routing engine: outbound sender selection, inbound landing, the trace, the message log."""

from .inbound import route_inbound
from .model import Decision, InboundRequest, OutboundRequest, TraceStep
from .outbound import route_outbound
from .router import Router

__all__ = [
    "Decision",
    "InboundRequest",
    "OutboundRequest",
    "Router",
    "TraceStep",
    "route_inbound",
    "route_outbound",
]
