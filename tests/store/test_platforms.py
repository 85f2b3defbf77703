"""Applications and entities: id rules, duplicates, not found, rename, list with paging."""

import pytest

from store.db import Store
from store.errors import DuplicateId, InvalidId, InvalidInput, NotFound
from store.platforms import (
    check_platform,
    create_application,
    create_entity,
    ensure_entity,
    get_application,
    get_entity,
    list_applications,
    list_entities,
    rename_application,
    rename_entity,
)

GOOD_IDS = ["a", "A-Z.az_09~", "x" * 255, "shop.prod-1", "~"]
BAD_IDS = ["", "x" * 256, "has space", "slash/", "percent%20", "ümlaut", "tab\t", "line\n", None, 42]


@pytest.mark.parametrize("ident", GOOD_IDS)
def test_valid_ids_are_accepted(store: Store, ident):
    with store.write() as session:
        create_application(session, ident, "App")
        create_entity(session, ident, "Entity")
    with store.read() as session:
        assert get_application(session, ident).application_name == "App"
        assert get_entity(session, ident).entity_name == "Entity"


@pytest.mark.parametrize("ident", BAD_IDS)
@pytest.mark.parametrize(("create", "field"), [(create_application, "applicationId"), (create_entity, "entityId")])
def test_invalid_ids_are_refused_naming_the_field(store: Store, ident, create, field):
    with pytest.raises(InvalidId) as caught, store.write() as session:
        create(session, ident, "Name")
    assert caught.value.code == "INVALID_ID"
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_name_defaults_to_id_and_is_at_most_255(store: Store):
    with store.write() as session:
        assert create_entity(session, "bigcola").entity_name == "bigcola"
        create_application(session, "long", "n" * 255)
    with pytest.raises(InvalidInput) as caught, store.write() as session:
        create_application(session, "longer", "n" * 256)
    assert caught.value.field == "applicationName"
    with pytest.raises(InvalidInput) as caught, store.write() as session:
        rename_entity(session, "bigcola", "   ")
    assert caught.value.field == "entityName"


def test_duplicate_ids_are_refused(store: Store):
    with store.write() as session:
        create_application(session, "shop", "Shop")
        create_entity(session, "shop", "Shop entity")  # applications and entities are separate namespaces
    with pytest.raises(DuplicateId) as caught, store.write() as session:
        create_application(session, "shop", "Other")
    assert (caught.value.code, caught.value.field) == ("DUPLICATE_ID", "applicationId")
    with pytest.raises(DuplicateId) as caught, store.write() as session:
        create_application(session, "default", "Again")
    with pytest.raises(DuplicateId) as caught, store.write() as session:
        create_entity(session, "shop")
    assert caught.value.field == "entityId"
    with store.read() as session:
        assert get_application(session, "shop").application_name == "Shop"


def test_unknown_ids_are_not_found(store: Store):
    with store.read() as session:
        for call, field in ((get_application, "applicationId"), (get_entity, "entityId")):
            with pytest.raises(NotFound) as caught:
                call(session, "ghost")
            assert (caught.value.code, caught.value.field) == ("NOT_FOUND", field)
    with pytest.raises(NotFound), store.write() as session:
        rename_application(session, "ghost", "Ghost")
    with pytest.raises(NotFound), store.write() as session:
        rename_entity(session, "ghost", "Ghost")


def test_rename_changes_the_name_never_the_id(store: Store):
    with store.write() as session:
        create_application(session, "shop", "Shop")
        create_entity(session, "bigcola", "BigCola")
    with store.write() as session:
        rename_application(session, "shop", "The Shop")
        rename_entity(session, "bigcola", "Big Cola Inc.")
        rename_application(session, "default", "Default app")
    with store.read() as session:
        assert get_application(session, "shop").application_name == "The Shop"
        assert get_entity(session, "bigcola").entity_name == "Big Cola Inc."
        assert get_application(session, "default").application_name == "Default app"


def test_ensure_entity_creates_unknown_entities_named_after_their_id(store: Store):
    with store.write() as session:
        row, created = ensure_entity(session, "newco")
        assert (row.entity_name, created) == ("newco", True)
        row, created = ensure_entity(session, "newco")
        assert created is False


def test_check_platform_names_the_missing_half(store: Store):
    with store.write() as session:
        create_application(session, "shop")
    with store.read() as session:
        check_platform(session, "shop", None)
        with pytest.raises(NotFound) as caught:
            check_platform(session, "ghost", None, "platform.")
        assert caught.value.field == "platform.applicationId"
        with pytest.raises(NotFound) as caught:
            check_platform(session, "shop", "ghost")
        assert caught.value.field == "entityId"
        with pytest.raises(InvalidId) as caught:
            check_platform(session, None, None)
        assert caught.value.field == "applicationId"


def _ids(page) -> list[str]:
    return [row.application_id for row in page.results]


def test_applications_list_in_id_order_with_paging(store: Store):
    with store.write() as session:
        for ident in ("e", "b", "d", "a", "c"):
            create_application(session, ident, f"App {ident.upper()}")
    with store.read() as session:
        first = list_applications(session, page=0, size=4)
        assert _ids(first) == ["a", "b", "c", "d"]
        assert first.paging == {"page": 0, "size": 4, "totalPages": 2, "totalResults": 6}
        last = list_applications(session, page=1, size=4)
        assert _ids(last) == ["default", "e"]
        beyond = list_applications(session, page=7, size=4)
        assert beyond.results == []
        assert beyond.paging == {"page": 7, "size": 4, "totalPages": 2, "totalResults": 6}
        ones = list_applications(session, page=5, size=1)
        assert _ids(ones) == ["e"]
        assert ones.paging["totalPages"] == 6
        everything = list_applications(session, size=1000)
        assert len(everything.results) == 6 and everything.paging["totalPages"] == 1
        assert list_applications(session).paging["size"] == 20


def test_list_filters_by_id_or_name_case_insensitively(store: Store):
    with store.write() as session:
        create_entity(session, "bigcola", "BigCola")
        create_entity(session, "acme", "Acme Cola")
        create_entity(session, "zeta", "Zeta")
    with store.read() as session:
        assert [e.entity_id for e in list_entities(session, query="COLA").results] == ["acme", "bigcola"]
        none = list_entities(session, query="nothing-matches")
        assert none.results == []
        assert none.paging == {"page": 0, "size": 20, "totalPages": 0, "totalResults": 0}


def test_empty_list_has_zero_pages(store: Store):
    with store.read() as session:
        page = list_entities(session)
    assert page.paging == {"page": 0, "size": 20, "totalPages": 0, "totalResults": 0}


@pytest.mark.parametrize(("page", "size", "field"), [(0, 0, "size"), (0, 1001, "size"), (-1, 20, "page"),
                                                     (0, -5, "size")])
def test_paging_out_of_range_is_refused(store: Store, page, size, field):
    with store.read() as session:
        for lister in (list_applications, list_entities):
            with pytest.raises(InvalidInput) as caught:
                lister(session, page=page, size=size)
            assert caught.value.field == field
