"""Shared fixtures: a fresh store per test (SQLite file; PostgreSQL where marked)."""

from __future__ import annotations

import pytest

from store.db import Store


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store.open(str(tmp_path / "store.db"))
    yield s
    s.dispose()
