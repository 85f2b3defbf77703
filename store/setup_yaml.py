"""Reading setup (and requirements) files safely: UTF-8 only, bounded size, no aliases, bounded
nesting, no duplicate keys. Every refusal is an InvalidInput naming `file` (exit 2, nothing written).

Aliases are refused outright rather than bounded: a setup file never needs them (`export` writes
none) and a few nested anchors expand to billions of nodes. Nesting is refused past the deepest a
setup file has (root → section → item → list or map → link or priority → value), so a 500-level
list never reaches the recursive constructor.
"""

from __future__ import annotations

import yaml

from . import yaml_fast
from .display import quote
from .errors import InvalidInput

MAX_BYTES = 128 * 1024 * 1024  # 200,000 resources take ~24 MB
SETUP_DEPTH = 6  # root map, section list, item map, field list/map, link/priority map, scalar
REQUIREMENTS_DEPTH = 5  # root map or list, {key, value} map, value list, scalar (+1 spare)


def decode_setup(data: bytes, field: str = "file") -> str:
    """The file's text; refuses a file too big or not UTF-8, naming the first bad byte's offset."""
    check_size(len(data), field)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"must be UTF-8 (byte {exc.start:,} is 0x{data[exc.start]:02x}, not UTF-8; "
                           f"save the file as UTF-8)", field) from None


def check_size(size: int, field: str = "file") -> None:
    if size > MAX_BYTES:
        raise InvalidInput(f"is {size:,} bytes; a setup file is at most {MAX_BYTES:,} bytes", field)


def _mark(node_or_event) -> str:
    mark = node_or_event.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _loader(max_depth: int, field: str):
    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise InvalidInput(f"{_mark(event)}: aliases (*{event.anchor[:40]}) are not allowed; "
                                   f"write the value out", field)
            self.depth += 1
            try:
                if self.depth > max_depth:
                    raise InvalidInput(f"{_mark(self.peek_event())}: nested deeper than a setup file allows "
                                       f"({max_depth - 1} levels)", field)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise InvalidInput(f"{_mark(key_node)}: duplicate key {quote(key_node.value)} in one mapping",
                                           field)
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return Loader


def parse_yaml(text: str, max_depth: int = SETUP_DEPTH, field: str = "file"):
    """`yaml.safe_load` with the refusals above; a YAML syntax error is InvalidInput too.

    With libyaml installed, store/yaml_fast.py reads a plain file (most are) several times faster;
    anything it is unsure of is read again by the careful pure-Python loader, which words the refusal.
    """
    check_size(len(text), field)
    if yaml_fast.AVAILABLE:
        try:
            return yaml_fast.load(text, max_depth)
        except Exception:  # noqa: BLE001  (anything unusual is the careful loader's to word)
            pass
    return _parse_pure(text, max_depth, field)


def _parse_pure(text: str, max_depth: int, field: str):
    try:  # the reader checks every character as the loader is made
        loader = _loader(max_depth, field)(text)
    except yaml.reader.ReaderError as exc:  # a control character: its position, one line
        raise InvalidInput(f"not valid YAML (character {exc.position + 1:,}: U+{exc.character:04X} is not allowed"
                           " in a YAML file)", field) from None
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise InvalidInput(f"not valid YAML ({where}{problem})", field) from None
    except RecursionError:  # a bound above should make this unreachable; never a traceback
        raise InvalidInput("nested too deeply", field) from None
    finally:
        loader.dispose()
