"""Scene parameters from the command line: `--set KEY=VALUE`, typed by the scene's Params
dataclass and validated by constructing it and solving the problem before anything renders."""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from typing import Any

from mathcore import MathcoreError


class ParamError(ValueError):
    """A bad --set: the message says what is wrong and lists the valid keys and values."""


def parse_assignments(items: typing.Iterable[str]) -> dict[str, Any]:
    """KEY=VALUE strings → {key: value}; VALUE is JSON where it parses as JSON, else a string."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParamError(f"--set {item!r}: expected KEY=VALUE, e.g. --set k=1.5")
        if key in out:
            raise ParamError(f"--set {key} given twice; give each parameter once")
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


def to_json(value: Any) -> Any:
    """Parameter values as JSON-ready data (tuples become lists)."""
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    return value


def same_params(
    recorded: dict[str, Any], defaults: dict[str, Any], overrides: dict[str, Any]
) -> bool:
    """Whether `overrides` on top of `defaults` (both as recorded in a manifest) give the
    `recorded` parameters: k=1 and k=1.0, or a default given explicitly, are the same render."""
    if not set(overrides) <= set(defaults):
        return False
    wanted = {**defaults, **{k: _like(v, defaults[k]) for k, v in overrides.items()}}
    return wanted == recorded


def _like(value: Any, default: Any) -> Any:
    """A --set value in the JSON type of its default (an int where a float is expected
    becomes that float)."""
    if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(default, list) and isinstance(value, list) and len(value) == len(default):
        return [_like(v, d) for v, d in zip(value, default, strict=True)]
    if isinstance(default, list) and isinstance(value, list) and default:
        return [_like(v, default[0]) for v in value]
    return value


def describe(params: Any) -> list[tuple[str, Any, str]]:
    """(name, value, help) for every parameter."""
    return [
        (f.name, to_json(getattr(params, f.name)), f.metadata.get("help", ""))
        for f in dataclasses.fields(params)
    ]


def _valid_keys(params: Any) -> str:
    return ", ".join(f"{n}={json.dumps(v)}" for n, v, _ in describe(params))


def _coerce(name: str, value: Any, kind: Any) -> Any:
    """`value` (parsed JSON) as `kind` (float, int, bool, str, nested tuple[float, ...], or
    any of these | None, where JSON null means "derive it from the problem")."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        if value is None and type(None) in typing.get_args(kind):
            return None
        (inner,) = [k for k in typing.get_args(kind) if k is not type(None)]
        return _coerce(name, value, inner)
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError("a number")
        if not math.isfinite(value):
            raise TypeError("a finite number")
        return float(value)
    if kind in (int, bool, str):
        if type(value) is not kind:
            raise TypeError({int: "an integer", bool: "true or false", str: "a string"}[kind])
        return value
    if typing.get_origin(kind) is tuple:
        inner = typing.get_args(kind)[0]
        if not isinstance(value, list):
            raise TypeError("a JSON list, e.g. [1.0, 2.0]")
        return tuple(_coerce(name, v, inner) for v in value)
    raise TypeError(f"a {kind}")  # pragma: no cover


def build(scene_class: type, overrides: dict[str, Any]) -> tuple[Any, Any]:
    """The scene's Params with `overrides` applied, and the scene's solution for them.

    Raises ParamError for an unknown key, a value of the wrong type, or a value the scene or
    mathcore rejects; the message lists the valid keys with their current values."""
    defaults = scene_class.Params()
    hints = typing.get_type_hints(scene_class.Params)
    known = {f.name for f in dataclasses.fields(defaults)}
    typed = {}
    for key, value in overrides.items():
        if key not in known:
            raise ParamError(f"unknown parameter {key!r}; valid keys: {_valid_keys(defaults)}")
        try:
            typed[key] = _coerce(key, value, hints[key])
        except TypeError as err:
            raise ParamError(
                f"{key}={json.dumps(value)}: expected {err}; valid keys: {_valid_keys(defaults)}"
            ) from None
    try:
        params = dataclasses.replace(defaults, **typed)
        solution = scene_class.solve(params)
    except (MathcoreError, ValueError) as err:
        raise ParamError(f"{err}; valid keys: {_valid_keys(defaults)}") from None
    return params, solution
