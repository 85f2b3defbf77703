"""Schema migrations (Alembic). Every change to the tables is a new file in `versions/`.

`HEAD` names the newest revision, so opening a current store costs one small query and never
imports Alembic; a test checks that it matches the scripts' head.
"""

HEAD = "0013"
