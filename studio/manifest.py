"""The render manifest, `<out>/<scene>.json`: one typed record, written by the job, read back
by the cache check and the gallery. A file that does not validate (not JSON, not UTF-8, a
missing or extra key, a value of the wrong type, another schema version) reads as absent.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = 11
"""Bumped whenever a field changes; manifests of another schema are re-rendered."""


class ManifestError(ValueError):
    """A manifest that does not validate; the message says which field."""


@dataclass(frozen=True)
class Manifest:
    scene: str
    title: str
    description: str
    module: str  # the scene's file, relative to the project
    scene_class: str  # the Manim class in it (`manim <module> <scene_class>`)
    params: dict[str, Any]  # every parameter, as rendered
    defaults: dict[str, Any]  # the scene's defaults (params = defaults + overrides)
    overrides: dict[str, Any]  # the --set values
    results: dict[str, Any]  # the numbers the scene draws, from the very solution drawn
    alt_text: str
    quality: str
    width: int
    height: int
    fps: int
    gif_fps: int | None  # the GIF's frame rate (None: no GIF)
    gif_fit: dict[str, Any] | None  # with --gif-max-kb: the settings chosen, bytes, SSIM
    frames: int  # frames played
    duration_s: float
    loop: bool
    theme: str
    pair: str | None  # --theme both: the other theme's render (its files' stem)
    files: dict[str, str]  # format → file name in the output folder
    captions: dict[str, str]  # "vtt"/"srt" → file name (none for a still)
    cues: list[dict[str, Any]]  # id, start, end (seconds), text: the captions as timed
    voice: str  # none, espeak or piper (recordings replace it beat by beat)
    data: dict[str, Any] | None  # with --data: file, sha256, x, y, rows, preparation
    scrub: dict[str, Any] | None  # -f html: {"readouts": [key, name, decimals], "frames": […]}
    embed: str  # the snippets file
    bytes: dict[str, int]  # format → size
    digests: dict[str, str]  # file name → SHA-256 of its content (what the cache compares)
    render_seconds: float
    inputs_hash: str
    manim_version: str
    layout: dict[str, Any] = field(default_factory=dict)  # scenes.base.RidgeScene.layout_report
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)  # output → what it chose
    lang: str = "en"  # the language of its captions, speech and words (--lang: en, de, es)
    schema: int = SCHEMA

    def to_json(self) -> str:
        """JSON; raises ValueError for a non-finite number (none may reach a manifest)."""
        text = json.dumps(dataclasses.asdict(self), indent=2, ensure_ascii=False, allow_nan=False)
        return text + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse and validate; raises ManifestError."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ManifestError(f"not JSON: {err}") from None
        if not isinstance(data, dict):
            raise ManifestError(f"not a JSON object but {type(data).__name__}")
        hints = typing.get_type_hints(cls)
        names = [f.name for f in dataclasses.fields(cls)]
        if set(data) != set(names):
            missing, extra = set(names) - set(data), set(data) - set(names)
            raise ManifestError(f"keys differ: missing {sorted(missing)}, extra {sorted(extra)}")
        if data["schema"] != SCHEMA:
            raise ManifestError(f"schema {data['schema']!r}, expected {SCHEMA}")
        for name in names:
            if not _conforms(data[name], hints[name]):
                raise ManifestError(f"{name}: {data[name]!r:.60} is not {hints[name]}")
        return cls(**data)

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        """The manifest at `path`, or None when it is missing, unreadable or invalid."""
        try:
            return cls.from_json(path.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError, ManifestError):
            return None


def _conforms(value: Any, kind: Any) -> bool:
    """Whether parsed JSON `value` has the annotated type `kind` (str, int, float, bool,
    None, unions, list[X], dict[str, X], Any); numbers are finite, bools are not numbers."""
    if kind is Any:
        return True
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, k) for k in typing.get_args(kind))
    if kind is type(None):
        return value is None
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        )
    if kind is str:
        return isinstance(value, str)
    if origin is list:
        (item_kind,) = typing.get_args(kind)
        return isinstance(value, list) and all(_conforms(v, item_kind) for v in value)
    if origin is dict:
        key_kind, value_kind = typing.get_args(kind)
        return isinstance(value, dict) and all(
            _conforms(k, key_kind) and _conforms(v, value_kind) for k, v in value.items()
        )
    raise TypeError(f"no check for {kind}")  # pragma: no cover
