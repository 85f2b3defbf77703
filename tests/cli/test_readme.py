"""The README starts with the two commands and says in one line what they need (issue 12 item 24)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_opens_with_the_two_commands_and_what_they_need():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines.index("```")
    assert lines[block + 1:block + 3] == ["uv run cpaasx demo", "uv run pytest"]
    after = lines[lines.index("```", block + 1) + 1:]
    needs = next(line for line in after if line.strip())
    assert needs == "On a fresh machine they need Python ≥ 3.11 and `uv` (`pip install uv`); `uv` fetches everything else."
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert requires == ">=3.11"  # what the line says
