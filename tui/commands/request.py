"""`cpaasx request …`: look up requirements, upload documents, submit, follow and advance requests."""

from __future__ import annotations

import sys

from store.display import markup_safe as safe

from . import LazyConsole

console = LazyConsole(highlight=False)
EXIT_BAD_INPUT = 2


def register(sub) -> None:
    req = sub.add_parser("request", help="resource requests: requirements, documents, submit, review")
    rsub = req.add_subparsers(dest="request_command", metavar="ACTION", required=True)

    p = rsub.add_parser("requirements", help="what a request must provide")
    _what(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_requirements)

    p = rsub.add_parser("submit", help="submit a request (every requirement checked first)")
    _what(p)
    p.add_argument("--sender-name", help="the alphanumeric sender to register")
    p.add_argument("--application", help="application of the new resources (default: default)")
    p.add_argument("--entity", help="entity of the new resources")
    _filled(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_submit)

    p = rsub.add_parser("update", help="send all requirements again after the reviewer asked for an update")
    p.add_argument("id")
    _filled(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_update)

    p = rsub.add_parser("cancel", help="withdraw a request the reviewer sent back")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_cancel)

    p = rsub.add_parser("list", help="requests, newest first")
    p.add_argument("--status", help="one status or several, comma separated")
    p.add_argument("--type", help="NUMBER_PURCHASE or ALPHANUMERIC_REGISTRATION")
    p.add_argument("--country", help="two-letter country code(s)")
    p.add_argument("--page", type=int, default=0)
    p.add_argument("--size", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = rsub.add_parser("show", help="one request with its feedback and events")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = rsub.add_parser("advance", help="the simulated reviewer moves a request one step")
    p.add_argument("id")
    p.add_argument("--to", type=str.upper, help="IN_REVIEW, COMPLETED, REJECTED or UPDATE_REQUESTED (default: the reviewer decides)")
    p.add_argument("--feedback", action="append", default=[], metavar="KEY=TEXT",
                   help="feedback on a requirement (repeatable), for UPDATE_REQUESTED")
    p.add_argument("--note", help="a note, e.g. why the request was rejected")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_advance)

    doc = rsub.add_parser("document", help="supporting documents")
    dsub = doc.add_subparsers(dest="document_command", metavar="ACTION", required=True)
    p = dsub.add_parser("upload", help="upload a file (pdf, png, jpg, doc(x), xls(x), mp4, mov, avi, webm)")
    p.add_argument("path")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_document_upload)
    p = dsub.add_parser("list", help="uploaded documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_document_list)
    p = dsub.add_parser("delete", help="delete an uploaded document")
    p.add_argument("id")
    p.set_defaults(handler=cmd_document_delete)


def _what(p) -> None:
    p.add_argument("--type", default="NUMBER_PURCHASE", help="NUMBER_PURCHASE (default) or ALPHANUMERIC_REGISTRATION")
    p.add_argument("--country", help="two-letter country code")
    p.add_argument("--number-type", type=str.upper, help="SHORT_CODE, VIRTUAL_LONG_NUMBER, TEN_DIGIT_LONG_CODE, TOLL_FREE_NUMBER")
    p.add_argument("--capabilities", type=str.upper, help="comma separated: SMS, MMS, VOICE (default SMS for numbers)")
    p.add_argument("--quantity", help="how many numbers (1–49, default 1)")


def _filled(p) -> None:
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="a requirement value (repeat a key to give several values)")
    p.add_argument("--requirements", metavar="FILE",
                   help="requirements as JSON or YAML: {key: value} or [{key, value}]; - for standard input")


def _store(args):
    from ..cli import open_store

    return open_store(args)


def _spec_args(args) -> dict:
    is_number = (args.type or "").upper() != "ALPHANUMERIC_REGISTRATION"
    capabilities = args.capabilities if args.capabilities is not None else ("SMS" if is_number else None)
    return {
        "type": (args.type or "").upper(),
        "country_code": args.country,
        "number_type": args.number_type,
        "capabilities": capabilities,
        "quantity": args.quantity,
    }


def _pairs(items: list[str], field: str) -> list[tuple[str, str]]:
    from store.errors import InvalidInput

    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"{item!r} is not KEY=VALUE", field)
        out.append((key.strip(), value))
    return out


def read_filled(args) -> dict:
    """Requirements from --requirements FILE, then --set KEY=VALUE (a repeated key makes a list)."""
    from store.errors import InvalidInput
    from store.setup_yaml import REQUIREMENTS_DEPTH, parse_yaml

    filled: dict = {}
    if args.requirements:
        from .setup import read_setup_text

        text = read_setup_text(args.requirements, "requirements")
        data = parse_yaml(text, REQUIREMENTS_DEPTH, "requirements")
        if isinstance(data, list):
            data = {item.get("key"): item.get("value") for item in data if isinstance(item, dict)}
        if not isinstance(data, dict):
            raise InvalidInput("must map requirement keys to values", "requirements")
        filled.update(data)
    seen: set[str] = set()
    for key, value in _pairs(args.set, "set"):
        if key in seen:
            current = filled[key]
            filled[key] = (current if isinstance(current, list) else [current]) + [value]
        else:
            filled[key] = value
            seen.add(key)
    return filled


def _dump(data) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def print_feedback(feedback: list[dict]) -> None:
    console.print("[bold red]not submitted[/]: fix these requirements")
    for item in feedback:
        console.print(f"  [bold]{safe(item['key'])}[/] [dim]{safe(item['code'])}[/] {safe(item['feedback'])}")


def print_request(data: dict, events: list[dict] | None = None) -> None:
    what = data.get("senderName") or f"{data.get('quantity')} × {data.get('numberType')} {','.join(data.get('capabilities', []))}"
    console.print(f"[bold]{safe(data['id'])}[/] {safe(data['type'])} {safe(data['countryCode'])} {safe(what)}")
    platform = data["platform"]
    console.print(f"  status: [bold]{safe(data['status'])}[/]  platform: {safe(platform['applicationId'])}/{safe(platform['entityId'] or '-')}")
    if data.get("note"):
        console.print(f"  note: {safe(data['note'])}")
    for item in data["requirementsFeedback"]:
        console.print(f"  feedback [bold]{safe(item['key'])}[/] [dim]{safe(item['code'])}[/] {safe(item['feedback'])}")
    for resource in data["resources"]:
        console.print(f"  [green]created[/] {safe(resource)}")
    for event in events or []:
        c = event["content"]
        console.print(f"  {safe(event['receivedAt'])} {safe(event['event'])} {safe(event['previousStatus'] or '-')} → {safe(c['status'])}")


def _result(args, result) -> int:
    from store.requests import views

    if not result.ok:
        if args.json:
            _dump({"requirementsFeedback": result.feedback})
        else:
            print_feedback(result.feedback)
        return EXIT_BAD_INPUT
    data = views.request(result.request)
    if args.json:
        _dump(data)
    else:
        print_request(data)
    return 0


def cmd_requirements(args) -> int:
    from store.requests import lookup_requirements

    reqs = lookup_requirements(**_spec_args(args))
    if args.json:
        _dump({"requirements": reqs})
        return 0
    if not reqs:
        console.print("no requirements: this resource needs no additional data")
    for r in reqs:
        rules = r.get("validation") or {}
        extra = ", ".join(f"{k} {v}" for k, v in rules.items())
        if r.get("options"):
            extra = (extra + ", " if extra else "") + "one of " + " | ".join(r["options"])
        flag = "required" if r["required"] else "optional"
        console.print(f"[bold]{safe(r['key'])}[/] {safe(r['type'])} {flag} [dim]{safe(r['category'])}[/] {safe(r['name'])}{' — ' + safe(extra) if extra else ''}")
    return 0


def cmd_submit(args) -> int:
    from store.requests import submit_request

    filled = read_filled(args)
    with _store(args).write() as session:
        result = submit_request(
            session, **_spec_args(args), sender_name=args.sender_name, requirements=filled,
            application_id=args.application, entity_id=args.entity,
        )
        return _result(args, result)


def cmd_update(args) -> int:
    from store.requests import update_request

    filled = read_filled(args)
    with _store(args).write() as session:
        return _result(args, update_request(session, args.id, filled))


def cmd_cancel(args) -> int:
    from store.requests import cancel_request, views

    with _store(args).write() as session:
        data = views.request(cancel_request(session, args.id))
    _dump(data) if args.json else print_request(data)
    return 0


def cmd_list(args) -> int:
    from store.requests import list_requests, views

    with _store(args).read() as session:
        page = list_requests(session, args.status, args.type, args.country, args.page, args.size)
        rows = [views.request(r) for r in page.results]
    if args.json:
        _dump({"results": rows, "paging": page.paging})
        return 0
    for r in rows:
        what = r.get("senderName") or f"{r['quantity']} × {r['numberType']}"
        console.print(f"{safe(r['id'])}  {r['status']:<16} {r['type']:<25} {safe(r['countryCode'])} {safe(what)}")
    from store.words import count

    console.print(f"[dim]{count(page.total_results, 'request')}[/]")
    return 0


def cmd_show(args) -> int:
    from store.requests import get_request, list_events, views

    with _store(args).read() as session:
        data = views.request(get_request(session, args.id))
        events = [views.event(e) for e in list_events(session, args.id, size=1000).results]
    if args.json:
        _dump({**data, "events": events})
    else:
        print_request(data, events)
    return 0


def cmd_advance(args) -> int:
    from store.requests import advance, views

    feedback = [{"key": k, "feedback": v} for k, v in _pairs(args.feedback, "feedback")] or None
    with _store(args).write() as session:
        data = views.request(advance(session, args.id, to=args.to.upper() if args.to else None, feedback=feedback, note=args.note))
    _dump(data) if args.json else print_request(data)
    return 0


def cmd_document_upload(args) -> int:
    from store.requests import upload_document, views

    with _store(args).write() as session:
        data = views.document(upload_document(session, args.path))
    if args.json:
        _dump(data)
    else:
        from store.words import count

        console.print(f"[green]uploaded[/] {safe(data['fileName'])} ({count(data['size'], 'byte')}): documentId {safe(data['documentId'])}")
    return 0


def cmd_document_list(args) -> int:
    from store.requests import list_documents, views
    from store.words import count

    with _store(args).read() as session:
        page = list_documents(session, size=1000)
        rows = [views.document(d) for d in page.results]
    if args.json:
        _dump({"results": rows, "paging": page.paging})
        return 0
    for d in rows:
        console.print(f"{safe(d['documentId'])}  {safe(d['fileName'])}  {safe(d['contentType'])}  {count(d['size'], 'byte')}")
    console.print(f"[dim]{count(len(rows), 'document')}[/]")
    return 0


def cmd_document_delete(args) -> int:
    from store.requests import delete_document

    with _store(args).write() as session:
        delete_document(session, args.id)
    console.print(f"[green]deleted[/] document {safe(args.id)}")
    return 0
