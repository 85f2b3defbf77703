"""Resource requests: the requirements catalogue, documents, submit with feedback, the review lifecycle.

Names load lazily: a command that does not use requests (`cpaasx send`) never loads their tables or
rules, and the rules (which import `store.db`) load only once `store.db` has.
"""

from __future__ import annotations

from importlib import import_module

_HOMES = {
    "catalogue": (
        "ALPHANUMERIC_REGISTRATION NUMBER_PURCHASE REQUEST_TYPES RequestSpec lookup_requirements "
        "offered_countries offered_number_types resolve"
    ),
    "documents": "MAX_DOCUMENT_BYTES add_document delete_document get_document list_documents upload_document",
    "lifecycle": "STATUSES OPEN advance auto_review events_after get_request last_event_id list_events review_due reviewer_findings",
    "submit": "SubmitResult cancel_request list_requests submit_request update_request",
    "tables": "RequestDocument RequestEvent ResourceRequest",
}
_EXPORTS = {name: module for module, names in _HOMES.items() for name in names.split()}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
