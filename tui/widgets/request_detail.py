"""A request's detail: status, note, feedback per field, the created resources (jump targets), events."""

from __future__ import annotations

from rich.text import Text

from store.display import visible

from .relations import RelationsPane

STATUS_STYLES = {
    "PENDING": "#f6ae2d",
    "IN_REVIEW": "#56b6e8",
    "UPDATE_REQUESTED": "bold #ee6352",
    "COMPLETED": "bold #59cd90",
    "REJECTED": "#ee6352",
    "CANCELED": "#7a8896",
}
NUMBER_TYPE_LABELS = {
    "TEN_DIGIT_LONG_CODE": "10DLC",
    "TOLL_FREE_NUMBER": "toll-free",
    "SHORT_CODE": "short code",
    "VIRTUAL_LONG_NUMBER": "long number",
}


def status_text(status: str) -> Text:
    return Text(visible(status), style=STATUS_STYLES.get(status, ""))


def describe(data: dict) -> str:
    """`2 × 10DLC SMS,MMS` or `sender BigCola`."""
    if data.get("senderName"):
        return f"sender {data['senderName']}"
    kind = NUMBER_TYPE_LABELS.get(data["numberType"], data["numberType"])
    return f"{data['quantity']} × {kind} {','.join(data['capabilities'])}"


class RequestDetail(RelationsPane):
    """The side pane of the Requests area."""

    def show_request(self, data: dict, events: list[dict]) -> None:
        """Every value the requester or reviewer wrote is shown as typed (`visible`: no markup, no escapes)."""
        v = visible
        title = Text.assemble((v(f"{data['type']} {data['countryCode']}"), "bold"), "\n", (v(data["id"]), "#7a8896"))
        summary = Text()
        summary.append(v(describe(data)) + "\n")
        summary.append("status ").append(status_text(data["status"]))
        platform = data["platform"]
        summary.append(f"\nplatform {v(platform['applicationId'])} / {v(platform['entityId'] or '—')}")
        if data.get("note"):
            summary.append(f"\nnote: {v(data['note'])}", style="italic")
        for item in data["requirementsFeedback"]:
            summary.append(f"\n✗ {v(item['key'])} ", style="bold #ee6352")
            summary.append(f"{v(item['code'])}\n  {v(item['feedback'])}")
        lines: list[tuple[Text | str, object]] = []
        if data["resources"]:
            lines.append((Text("Created resources (enter: open)", style="bold"), None))
            for resource in data["resources"]:
                lines.append((Text(f"  {v(resource)}", style="#59cd90"), ("resources", resource)))
        lines.append((Text("Events", style="bold"), None))
        for event in events:
            content = event["content"]
            line = Text(f"  {event['receivedAt'][11:19]} ")
            line.append(f"{event['previousStatus'] or '—'} → ").append(status_text(content["status"]))
            lines.append((line, None))
        lines.append((Text("Requirements", style="bold"), None))
        for item in data["requirements"]:
            lines.append((Text(f"  {v(item['key'])}: {v(item['value'])}", style="#7a8896"), None))
        self.show(title, summary, lines)
