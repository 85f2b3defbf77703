"""Write a new migration from the difference between the models and the newest migrated schema.

    uv run python scripts/new_migration.py 0002 "message statuses and delivery"

Migrates an empty SQLite file to head, compares it with the SQLModel tables and writes
`store/migrations/versions/<rev>_<slug>.py`. Read the result: data changes (filling a new column
for old rows) are yours to add, and SQLite-only or PostgreSQL-only details may need care.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store import schema  # noqa: E402


def main(rev_id: str, message: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/empty.db")
        with engine.begin() as connection:
            command.upgrade(schema._config(connection), "head")
        with engine.begin() as connection:
            command.revision(schema._config(connection), message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
