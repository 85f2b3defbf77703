"""Hypothesis throws arbitrary text at every dashboard form's save (the function the form runs when
ctrl+s is pressed, with the values its fields can hold): it either saves, or refuses with a store error
that names one of the form's fields and writes nothing — never another exception."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from store import api
from store.keys import get_api_key, key_links
from store.errors import StoreError
from store.setup_export import export_setup
from store.tables import Application, Entity, Resource, SendingStrategy
from tui.screens.api_key_form import KeyForm, LinkChoices
from tui.screens.platform import ApplicationsScreen, EntitiesScreen
from tui.screens.resources import association_form, inbound_form, resource_form
from tui.screens.strategies import strategy_form
from tui.widgets.fields import field_for_error, text_or_none
from tui.widgets.form_modal import FormModal

HOSTILE = ["[/x]", "[bold]x", "\x1b[2J", "a\nb", "\x00", "' OR 1=1 --", "x" * 300, "☎ é", "%s", "{0}", "..", "-1",
           "1e999", "NaN", "2026-02-30", "2026-01-31T09:00", "9999-12-31T23:59", "+14155550100", "+1415555010",
           "12345", "InfoSMS", "mail.example.com", "US", "us", "GB, HR", ",,", "shop", "bigcola", "JOIN", "default",
           "http://127.0.0.1:9/in", "ftp://x", "http://a b"]
TEXT = st.one_of(st.none(), st.sampled_from(HOSTILE), st.text(max_size=30),
                 st.text(alphabet="abcXYZ019+-._~ ,", max_size=12))


def _edit_row(session, kind: str) -> dict:
    if kind == "application":
        return api.application(session.get(Application, "shop"))
    if kind == "entity":
        return api.entity(session.get(Entity, "bigcola"))
    if kind == "resource":
        return api.resource(session.get(Resource, "+14155550100"))
    if kind == "strategy":
        return api.strategy(session.exec(select(SendingStrategy).where(
            SendingStrategy.sending_strategy_id == "0000000000000000000000000000000A")).one())
    return api.api_key(get_api_key(session, "bigcola-prod"), key_links(session, "bigcola-prod"))


FORMS: dict[str, Callable] = {
    "new application": lambda s, store: ApplicationsScreen.form(ApplicationsScreen, s, None),
    "edit application": lambda s, store: ApplicationsScreen.form(ApplicationsScreen, s, _edit_row(s, "application")),
    "new entity": lambda s, store: EntitiesScreen.form(EntitiesScreen, s, None),
    "edit entity": lambda s, store: EntitiesScreen.form(EntitiesScreen, s, _edit_row(s, "entity")),
    "new resource": lambda s, store: resource_form(s, store, None),
    "edit resource": lambda s, store: resource_form(s, store, _edit_row(s, "resource")),
    "new association": lambda s, store: association_form(s, store, "+14155550100", None),
    "new inbound": lambda s, store: inbound_form(s, store, "+14155550100", None),
    "new strategy": lambda s, store: strategy_form(s, store, None),
    "edit strategy": lambda s, store: strategy_form(s, store, _edit_row(s, "strategy")),
    "new key": lambda s, store: KeyForm(LinkChoices.read(s, store), None),
    "edit key": lambda s, store: KeyForm(LinkChoices.read(s, store), _edit_row(s, "key")),
}


def values_for(form: FormModal, data) -> dict:
    """What the form's fields could hold: typed text (stripped, as the form reads it), one of a choice's
    options, a tick; read-only fields keep their value."""
    out = {}
    for f in form.fields:
        if f.kind == "note":
            continue
        if f.readonly:
            out[f.name] = f.value
        elif f.kind == "select":
            options = [value for _, value in f.options]
            out[f.name] = data.draw(st.sampled_from(options + [None] if f.allow_blank else options or [None]))
        elif f.kind == "check":
            out[f.name] = data.draw(st.booleans())
        elif f.kind == "multi":
            out[f.name] = data.draw(st.lists(st.sampled_from(list(f.options)), unique=True)) if f.options else []
        else:
            out[f.name] = text_or_none(data.draw(TEXT))
    return out


@pytest.mark.parametrize("name", list(FORMS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_form_saves_or_names_a_field_and_writes_nothing(tui_store, name, data):
    with tui_store.read() as session:
        form = FORMS[name](session, tui_store)
        before = export_setup(session)
    values = values_for(form, data)
    try:
        with tui_store.write() as session:
            form.save_job(session, values)
    except StoreError as error:
        target = field_for_error(form.fields, error.field)
        assert target is not None, f"{error.field!r} ({error}) names no field of {name}: {values}"
        with tui_store.read() as session:
            assert export_setup(session) == before


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), inbound=st.booleans())
def test_the_send_one_form_routes_or_names_a_field_and_logs_nothing(tui_store, data, inbound):
    """What the Traffic area's send-one form hands on (it checks, then the area routes what passes)."""
    from sqlalchemy import func

    from store.routing import InboundRequest, OutboundRequest, Router
    from store.routing.router import check_inbound, check_outbound
    from store.tables import MessageLog
    from tui.widgets.traffic_send import ERROR_FIELDS, IN_CHANNELS, OUT_CHANNELS

    def text():
        return text_or_none(data.draw(TEXT))

    if inbound:
        request = InboundRequest(from_=text() or "", to=text() or "", channel=data.draw(st.sampled_from(IN_CHANNELS))[1],
                                 text=data.draw(TEXT) or "")
    else:
        request = OutboundRequest(to=text() or "", channel=data.draw(st.sampled_from(OUT_CHANNELS))[1],
                                  application_id=data.draw(st.sampled_from(["default", "shop", "alerts"])),
                                  entity_id=text(), sender=text(), api_key=text(), text=data.draw(TEXT) or "")
    with tui_store.read() as session:
        logged = session.exec(select(func.count()).select_from(MessageLog)).one()
    router = Router(tui_store)
    try:
        if inbound:
            check_inbound(request)
            decision = router.receive(request)
        else:
            check_outbound(request)
            decision = router.send(request)
    except StoreError as error:
        assert (error.field or "") in ERROR_FIELDS["INBOUND" if inbound else "OUTBOUND"], (error.field, str(error))
        with tui_store.read() as session:
            assert session.exec(select(func.count()).select_from(MessageLog)).one() == logged
        return
    assert decision.status in ("ROUTED", "REJECTED")
    with tui_store.read() as session:
        assert session.exec(select(func.count()).select_from(MessageLog)).one() == logged + 1


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_request_form_submits_or_names_a_field_and_stores_nothing(tui_store, data):
    """The guided request form: look the requirements up, fill them with anything, submit (what its job runs)."""
    from store.enums import Channel, NumberType
    from store.requests import REQUEST_TYPES, ResourceRequest, lookup_requirements, submit_request
    from tui.widgets.request_form import WHAT_FIELDS

    def where(error: StoreError) -> str:
        return (error.field or "").split("[")[0]

    what = {
        "type": data.draw(st.sampled_from(list(REQUEST_TYPES))),
        "countryCode": data.draw(st.one_of(st.sampled_from(["US", "GB", "HR", "DE", "us"]), TEXT)),
        "numberType": data.draw(st.sampled_from([None, *NumberType])),
        "capabilities": data.draw(st.lists(st.sampled_from([c.value for c in Channel]), unique=True)) or None,
        "quantity": text_or_none(data.draw(st.one_of(st.sampled_from(["1", "2", "0", "-3", "1000", "x"]), TEXT))),
        "senderName": text_or_none(data.draw(TEXT)),
        "applicationId": data.draw(st.sampled_from([None, "default", "shop"])),
        "entityId": data.draw(st.sampled_from([None, "bigcola"])),
    }
    try:
        requirements = lookup_requirements(what["type"], what["countryCode"], what["numberType"],
                                           what["capabilities"], what["quantity"])
    except StoreError as error:
        assert where(error) in WHAT_FIELDS, (error.field, str(error))
        return
    filled = {r["key"]: text_or_none(data.draw(TEXT)) for r in requirements}
    filled = {k: v for k, v in filled.items() if v}
    with tui_store.read() as session:
        before = len(session.exec(select(ResourceRequest)).all())
    try:
        with tui_store.write() as session:
            result = submit_request(session, what["type"], what["countryCode"], what["numberType"], what["capabilities"],
                                    what["quantity"], what["senderName"], filled, what["applicationId"], what["entityId"])
    except StoreError as error:
        assert where(error) in WHAT_FIELDS or where(error).startswith("requirements."), (error.field, str(error))
        result = None
    if result is None or not result.ok:
        keys = {r["key"] for r in requirements}
        assert result is None or {item["key"] for item in result.feedback} <= keys
        with tui_store.read() as session:
            assert len(session.exec(select(ResourceRequest)).all()) == before
