"""Delivery profiles: what becomes of a routed message, and after how long (docs/delivery.md).

A profile is a small YAML file: a default `mix` of final statuses (DELIVERED, UNDELIVERABLE,
EXPIRED) with their shares and delays, and `rules` that give another mix to some destination
countries and/or sender types (the first rule that matches wins). Its `seed` makes every draw
reproducible: a message's outcome depends only on the seed and its message id.

Every refusal is an InvalidInput naming the field (`mix[1].share`, `rules[0].senderType`), so the
command line exits 2 before anything is written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta
from hashlib import blake2b
from importlib import resources as package_files
from pathlib import Path
from typing import NamedTuple

from .enums import NumberType, SenderType
from .errors import InvalidInput
from .message_status import (
    DELIVERED_TO_HANDSET,
    ERRORS_BY_NAME,
    EXPIRED_EXPIRED,
    NO_ERROR,
    UNDELIVERABLE_NOT_DELIVERED,
    MessageError,
    MessageStatus,
)

DEFAULT_PROFILE = "delivery_default.yaml"
MAX_BYTES = 1024 * 1024
MAX_DELAY = 7 * 24 * 3600.0  # a week: longer than any validity period the platform allows
FINAL_STATUSES: dict[str, MessageStatus] = {
    "DELIVERED": DELIVERED_TO_HANDSET,
    "UNDELIVERABLE": UNDELIVERABLE_NOT_DELIVERED,
    "EXPIRED": EXPIRED_EXPIRED,
}
# The errors each final status may carry; the first is what it carries when the file names none.
STATUS_ERRORS: dict[str, tuple[str, ...]] = {
    "DELIVERED": ("NO_ERROR",),
    "UNDELIVERABLE": ("EC_ABSENT_SUBSCRIBER", "EC_ABSENT_SUBSCRIBER_SM", "EC_UNKNOWN_SUBSCRIBER"),
    "EXPIRED": ("NO_ERROR",),
}
SENDER_TYPES = tuple(sorted({*SenderType, *NumberType}))
_SHARE_SLACK = 1e-6
_MASK, _SCALE = 2**64 - 1, 1 / 2**64


@dataclass(frozen=True, slots=True)
class Outcome:
    """One entry of a mix: `share` of the messages end in `status` after `delay_min`…`delay_max` s."""

    status: MessageStatus
    share: float
    delay_min: float
    delay_max: float
    errors: tuple[tuple[MessageError, float], ...]  # (error, share) summing to 1


@dataclass(frozen=True, slots=True)
class Rule:
    countries: frozenset[str] | None  # None: any
    sender_types: frozenset[str] | None
    mix: tuple[Outcome, ...]

    def matches(self, country: str | None, sender_type: str | None) -> bool:
        if self.countries is not None and country not in self.countries:
            return False
        return self.sender_types is None or sender_type in self.sender_types


class Plan(NamedTuple):
    """What a message will become: its final status and error, `delay_ms` after it was sent."""

    status: MessageStatus
    error: MessageError
    delay_ms: int

    @property
    def delay(self) -> timedelta:
        return timedelta(milliseconds=self.delay_ms)


_new_plan = tuple.__new__  # a Plan without NamedTuple's Python-level __new__: one per routed message


@dataclass(frozen=True)
class DeliveryProfile:
    name: str
    seed: int
    mix: tuple[Outcome, ...]
    rules: tuple[Rule, ...] = ()
    _mixes: dict = field(default_factory=dict, compare=False, repr=False)  # (country, sender type) → draws; hasher

    def mix_for(self, country: str | None, sender_type: str | None) -> tuple[Outcome, ...]:
        return next((rule.mix for rule in self.rules if rule.matches(country, sender_type)), self.mix)

    def plan(self, message_id: str, country: str | None, sender_type: str | None) -> Plan:
        """The outcome of one message: the same seed and message id always give the same plan.

        A keyed hash of the message id gives two uniform draws: the first picks the outcome (and,
        where it lands inside that outcome's share, the error), the second the delay."""
        draws = self._mixes.get((country, sender_type)) or self._draws(country, sender_type)
        hasher = draws[0].copy()
        hasher.update(message_id.encode())
        number = int.from_bytes(hasher.digest(), "big")
        pick = (number >> 64) * _SCALE
        for draw in draws[1]:
            if pick < draw[0]:
                break
        else:  # past every share (they may sum to a hair under 1): the last, as if below were their sum
            draw = draws[2]
        _, below, share, status, error, errors, low, span = draw
        if error is None:
            error = _pick_error(errors, (pick - below) / share if share else 0.0)
        return _new_plan(Plan, (status, error, round((low + (number & _MASK) * _SCALE * span) * 1000)))

    def _draws(self, country: str | None, sender_type: str | None) -> tuple:
        """The hasher and, per outcome of the mix that applies, what `plan` reads: the running sum of
        the shares up to and past it, its status, its error if it has one alone, its delays. Computed
        once per (country, sender type): the routing thread draws a plan per message."""
        hasher = self._mixes.get("hasher")
        if hasher is None:
            hasher = self._mixes["hasher"] = blake2b(digest_size=16, key=self.seed.to_bytes(8, "big", signed=True))
        rows, below = [], 0.0
        for o in self.mix_for(country, sender_type):
            single = o.errors[0][0] if len(o.errors) == 1 else None
            rows.append((below + o.share, below, o.share, o.status, single, o.errors, o.delay_min, o.delay_max - o.delay_min))
            below += o.share
        last = rows[-1]
        draws = (hasher, tuple(rows), (last[0], below, *last[2:]))
        if len(self._mixes) < 10_000:
            self._mixes[(country, sender_type)] = draws
        return draws

    def describe(self) -> str:
        """One line: `default (seed 7): DELIVERED 94% 1-4 s, …; 2 rules`."""
        parts = [f"{o.status.group_name} {o.share:.0%} {_delay_text(o)}" for o in self.mix]
        rules = f"; {len(self.rules)} rule{'s' if len(self.rules) != 1 else ''}" if self.rules else ""
        return f"{self.name} (seed {self.seed}): {', '.join(parts)}{rules}"


def _delay_text(o: Outcome) -> str:
    if o.delay_min == o.delay_max:
        return f"{o.delay_min:g} s"
    return f"{o.delay_min:g}-{o.delay_max:g} s"


def _pick_error(errors, u: float) -> MessageError:
    total = 0.0
    for error, share in errors:
        total += share
        if u < total:
            return error
    return errors[-1][0]


# -- reading -------------------------------------------------------------------------------------
SHIPPED = ("default", "reliable", "flaky")  # store/data/delivery_NAME.yaml


def default_profile() -> DeliveryProfile:
    return shipped_profile("default")


def shipped_profile(name: str) -> DeliveryProfile:
    """One of the profiles shipped with the program (`SHIPPED`)."""
    if name not in SHIPPED:
        raise InvalidInput(f"unknown profile {name!r} (shipped: {', '.join(SHIPPED)})", "delivery")
    text = package_files.files("store.data").joinpath(f"delivery_{name}.yaml").read_text(encoding="utf-8")
    return profile_from(_shipped_data(name, text), name)


def _shipped_data(name: str, text: str):
    """A shipped profile's YAML as data, kept as JSON in the user's cache directory beside the text it
    was read from: a single `cpaasx send` then never imports PyYAML (a tenth of what it costs)."""
    import json
    import os

    from platformdirs import user_cache_dir

    path = Path(user_cache_dir("cpaasx", appauthor=False)) / f"delivery_{name}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(cached, dict) and cached.get("text") == text and "data" in cached:
            return cached["data"]
    except (OSError, ValueError):
        pass
    data = _yaml_data(text)
    try:
        kept = json.dumps({"text": text, "data": data})
        if json.loads(kept)["data"] != data:  # only what JSON gives back unchanged (no number keys)
            return data
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(kept, encoding="utf-8")
        os.replace(partial, path)  # whole or not at all, whoever else writes it at once
    except (OSError, TypeError, ValueError):
        pass  # not JSON (a date), or a read-only home: parsed again next time
    return data


def load_profile(path: str | Path | None, field: str = "--delivery") -> DeliveryProfile:
    """The profile in `path` (the shipped default when None, a shipped one by its name when no such
    file exists); an unreadable or invalid file names `field`."""
    if path is None:
        return default_profile()
    if str(path) in SHIPPED and not Path(path).exists():  # `--delivery flaky`: a shipped profile by name
        return shipped_profile(str(path))
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", field) from None
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{path} is {len(data):,} bytes; a delivery profile is at most {MAX_BYTES:,}", field)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path} must be UTF-8 (byte {exc.start:,} is not)", field) from None
    try:
        return parse_profile(text, path.stem)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, f"{field} {path}: {exc.field}" if exc.field else f"{field} {path}") from None


def parse_profile(text: str, name: str = "profile") -> DeliveryProfile:
    return profile_from(_yaml_data(text), name)


def _yaml_data(text: str):
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # SafeLoader: no libyaml
    except yaml.reader.ReaderError as exc:  # a control character: PyYAML's words run over two lines
        raise InvalidInput(f"not valid YAML (character {exc.position + 1:,}: U+{exc.character:04X} is not allowed"
                           " in a YAML file)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InvalidInput(f"{where}not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    return data


def profile_from(data, name: str) -> DeliveryProfile:
    """A profile from its parsed YAML, every field checked."""
    if not isinstance(data, dict):
        raise InvalidInput("must be a mapping with `mix` (and optionally `seed`, `rules`)")
    _only(data, ("seed", "mix", "rules", "name"), "")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not -(2**63) <= seed < 2**63:
        raise InvalidInput("must be a whole number", "seed")
    if "mix" not in data:
        raise InvalidInput("is required", "mix")
    mix = _mix(data["mix"], "mix")
    rules_data = data.get("rules") or []
    if not isinstance(rules_data, list):
        raise InvalidInput("must be a list", "rules")
    rules = tuple(_rule(item, f"rules[{i}]") for i, item in enumerate(rules_data))
    title = data.get("name", name)
    if not isinstance(title, str) or not title.strip():
        raise InvalidInput("must be non-empty text", "name")
    return DeliveryProfile(title.strip(), seed, mix, rules)


def _only(data: dict, allowed: tuple[str, ...], at: str) -> None:
    for key in data:
        if key not in allowed:
            where = f"{at}.{key}" if at else str(key)
            raise InvalidInput(f"unknown field (expected one of: {', '.join(allowed)})", where)


def _rule(data, at: str) -> Rule:
    if not isinstance(data, dict):
        raise InvalidInput("must be a mapping with `mix` and `country` and/or `senderType`", at)
    _only(data, ("country", "senderType", "mix"), at)
    countries = _names(data.get("country"), f"{at}.country", None)
    sender_types = _names(data.get("senderType"), f"{at}.senderType", SENDER_TYPES)
    if countries is None and sender_types is None:
        raise InvalidInput("a rule needs `country` or `senderType` (the top-level mix is for everything else)", at)
    if "mix" not in data:
        raise InvalidInput("is required", f"{at}.mix")
    if sender_types is not None and "VIRTUAL_LONG_NUMBER" in sender_types:
        sender_types = sender_types | {"TEN_DIGIT_LONG_CODE"}  # 10DLC counts as a long number (DOMAIN.md)
    return Rule(countries, sender_types, _mix(data["mix"], f"{at}.mix"))


def _names(value, at: str, allowed: tuple[str, ...] | None) -> frozenset[str] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise InvalidInput("must be a name or a non-empty list of names", at)
    out = set()
    for v in values:
        name = v.strip().upper()
        if allowed is None and not (len(name) == 2 and name.isalpha() and name.isascii()):
            raise InvalidInput(f"{v!r} is not a two-letter country code", at)
        if allowed is not None and name not in allowed:
            raise InvalidInput(f"unknown sender type {v!r} (expected one of: {', '.join(allowed)})", at)
        out.add(name)
    return frozenset(out)


def _mix(data, at: str) -> tuple[Outcome, ...]:
    if not isinstance(data, list) or not data:
        raise InvalidInput("must be a non-empty list of {status, share, delay}", at)
    outcomes = tuple(_outcome(item, f"{at}[{i}]") for i, item in enumerate(data))
    seen: set[str] = set()
    for i, o in enumerate(outcomes):
        if o.status.group_name in seen:
            raise InvalidInput(f"{o.status.group_name} is listed twice", f"{at}[{i}].status")
        seen.add(o.status.group_name)
    total = math.fsum(o.share for o in outcomes)
    if abs(total - 1) > _SHARE_SLACK:
        raise InvalidInput(f"the shares sum to {total:g}, not 1", at)
    return outcomes


def _number(value, at: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidInput("must be a number", at)
    if value < low:
        raise InvalidInput(f"must not be negative (got {value:g})" if low == 0 else f"must be at least {low:g}", at)
    if value > high:
        raise InvalidInput(f"must be at most {high:g} (got {value:g})", at)
    return float(value)


def _outcome(data, at: str) -> Outcome:
    if not isinstance(data, dict):
        raise InvalidInput("must be a mapping {status, share, delay}", at)
    _only(data, ("status", "share", "delay", "errors"), at)
    name = data.get("status")
    if not isinstance(name, str) or name.strip().upper() not in FINAL_STATUSES:
        raise InvalidInput(f"unknown status {name!r} (expected one of: {', '.join(FINAL_STATUSES)})", f"{at}.status")
    name = name.strip().upper()
    if "share" not in data:
        raise InvalidInput("is required", f"{at}.share")
    share = _number(data["share"], f"{at}.share", 0, 1)
    delay = data.get("delay", 0)
    if isinstance(delay, dict):
        _only(delay, ("min", "max"), f"{at}.delay")
        if "min" not in delay or "max" not in delay:
            raise InvalidInput("needs both `min` and `max` (seconds)", f"{at}.delay")
        low = _number(delay["min"], f"{at}.delay.min", 0, MAX_DELAY)
        high = _number(delay["max"], f"{at}.delay.max", 0, MAX_DELAY)
        if high < low:
            raise InvalidInput(f"must not be below delay.min ({low:g})", f"{at}.delay.max")
    else:
        low = high = _number(delay, f"{at}.delay", 0, MAX_DELAY)
    return Outcome(FINAL_STATUSES[name], share, low, high, _errors(data.get("errors"), name, f"{at}.errors"))


def _errors(data, status: str, at: str) -> tuple[tuple[MessageError, float], ...]:
    allowed = STATUS_ERRORS[status]
    if data is None:
        if status == "UNDELIVERABLE":  # the platform's usual spread when the file names none
            return ((ERRORS_BY_NAME["EC_ABSENT_SUBSCRIBER"], 0.6), (ERRORS_BY_NAME["EC_ABSENT_SUBSCRIBER_SM"], 0.25),
                    (ERRORS_BY_NAME["EC_UNKNOWN_SUBSCRIBER"], 0.15))
        return ((NO_ERROR, 1.0),)
    if not isinstance(data, dict) or not data:
        raise InvalidInput("must be a mapping of error name to share", at)
    out = []
    for key, share in data.items():
        name = str(key).strip().upper()
        if name not in allowed:
            raise InvalidInput(f"unknown error {key!r} for {status} (expected one of: {', '.join(allowed)})", at)
        out.append((ERRORS_BY_NAME[name], _number(share, f"{at}.{name}", 0, 1)))
    total = math.fsum(s for _, s in out)
    if abs(total - 1) > _SHARE_SLACK:
        raise InvalidInput(f"the shares sum to {total:g}, not 1", at)
    return tuple(out)
