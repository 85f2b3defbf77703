"""Build hook: an editable install byte-compiles the project's own packages in place.

`[tool.uv] compile-bytecode` compiles what is installed into the environment, but an editable
install leaves the sources here, and where PYTHONDONTWRITEBYTECODE is set Python would compile
them again on every start. py_compile writes the __pycache__ files whatever that variable says;
Python still reads them, and one whose source has changed since is simply not used.
"""

from __future__ import annotations

import compileall
import py_compile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGES = ("store", "tui", "api")


class CompileSources(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if version != "editable":
            return
        for package in PACKAGES:
            compileall.compile_dir(Path(self.root) / package, quiet=1, workers=1,
                                   invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
