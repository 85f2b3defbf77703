from store.db import Store
from store.platforms import get_application


def test_default_application_exists(store: Store):
    with store.read() as session:
        assert get_application(session, "default").application_name == "Default"
