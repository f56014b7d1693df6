"""A scene's script: its beats in words, read from `narration/<scene>.toml`.

    [[beat]]
    id = "touch"
    caption = "∇f and ∇g point in opposite directions: λ = {lam:.2f}."
    say = "The gradient of f is minus lambda times the gradient of g."   # optional

    [[beat.mark]]            # optional sub-steps the scene times inside the beat
    id = "lagrangian"
    caption = "h(w, λ) = f(w) + λ(g(w) − k)"

Each beat (and each mark inside it) is a segment: one caption cue, spoken as `say` (default:
the caption). Numbers are template fields filled from the scene's results, never typed:
`{lam:.2f}`, `{w_star[0]:.2f}`. A segment lasts at least as long as a viewer needs to read its
caption (17 characters a second), and as its speech plus a short pause.
"""

from __future__ import annotations

import math
import string
import textwrap
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent

READING_CPS = 17.0  # characters a second a viewer reads
MAX_LINE = 42  # characters a caption line
MAX_LINES = 2  # lines a cue
MIN_CUE = 0.83  # seconds a cue stays on screen, at least
MAX_CUE = 7.0  # … and at most
SPEECH_PAUSE = 0.4  # seconds after a segment's speech before the next segment starts


class ScriptError(ValueError):
    """A script that cannot be used; the message names the file and the beat."""


def fixed(value: float, decimals: int) -> str:
    """`value` with `decimals` decimals, rounded half up on its shortest decimal form, so
    0.6/1.6 (0.37499999999999994 in binary) shows as 0.38 like the exact 0.375: every label,
    caption and alt text rounds the same way. No '-0.00'."""
    exact = Decimal(f"{value:.12g}").quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{exact:f}"
    return text[1:] if text.startswith("-") and not any(c in text for c in "123456789") else text


class Number(float):
    """A float whose fixed-point formats (`{x:.2f}`) round like `fixed`."""

    def __format__(self, spec: str) -> str:
        if spec.endswith("f") and spec[:-1].startswith(".") and spec[1:-1].isdigit():
            return fixed(float(self), int(spec[1:-1]))
        return format(float(self), spec)


def _numbers(value: Any) -> Any:
    """Results with every float as a Number (lists and dicts followed)."""
    if isinstance(value, float):
        return Number(value)
    if isinstance(value, list | tuple):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return value


def wrap(text: str) -> tuple[str, ...]:
    """`text` in caption lines: see Line.lines."""
    if len(text) <= MAX_LINE:
        return (text,)
    breaks = []
    depth = 0
    for i, char in enumerate(text):
        depth += (char in "([{") - (char in ")]}")
        if char == " " and len(text[:i]) <= MAX_LINE and len(text[i + 1 :]) <= MAX_LINE:
            breaks.append((depth > 0, max(i, len(text) - i - 1), i))
    if not breaks:
        return tuple(textwrap.wrap(text, MAX_LINE, break_on_hyphens=False))
    _, _, at = min(breaks)
    return (text[:at], text[at + 1 :])


@dataclass(frozen=True)
class Segment:
    """One caption cue of a script: a beat (id "touch") or a mark in it ("touch.lagrangian")."""

    id: str
    caption: str  # a template
    say: str | None  # a template; None: say the caption


@dataclass(frozen=True)
class Line:
    """A segment filled in: what is shown and what is said."""

    id: str
    caption: str
    spoken: str

    @property
    def lines(self) -> tuple[str, ...]:
        """The caption in lines of at most MAX_LINE characters: one if it fits, else the most
        balanced break into two that splits no bracket (else any balanced break, else as
        many lines as it takes)."""
        return wrap(self.caption)

    @property
    def reading_time(self) -> float:
        """Seconds a viewer needs to read the caption, and never less than MIN_CUE."""
        return max(len(self.caption) / READING_CPS, MIN_CUE)


@dataclass(frozen=True)
class Script:
    name: str  # the scene's name: narration/<name>.toml
    path: Path
    segments: tuple[Segment, ...]  # in order: each beat, then its marks

    @classmethod
    def load(cls, name: str, folder: Path = SCRIPTS) -> Script:
        path = folder / f"{name}.toml"
        where = _shown(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ScriptError(f"{where}: no script for scene {name!r}") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ScriptError(f"{where}: {err}") from None
        beats = data.get("beat")
        if not isinstance(beats, list) or not beats or set(data) != {"beat"}:
            raise ScriptError(f"{where}: expected [[beat]] tables and nothing else")
        segments: list[Segment] = []
        for beat in beats:
            segments.append(_segment(beat, where, prefix=""))
            marks = beat.get("mark", [])
            if not isinstance(marks, list):
                raise ScriptError(f"{where}, beat {segments[-1].id!r}: use [[beat.mark]] tables")
            segments += [_segment(m, where, prefix=f"{segments[-1].id}.") for m in marks]
        ids = [s.id for s in segments]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ScriptError(f"{where}: beat ids used twice: {', '.join(repeated)}")
        return cls(name, path, tuple(segments))

    @property
    def where(self) -> str:
        return _shown(self.path)

    def check_beats(self, declared: Sequence[str]) -> None:
        """The script has exactly the segments the scene declares, in the same order."""
        ids = [s.id for s in self.segments]
        unused = [i for i in ids if i not in declared]
        if unused:
            raise ScriptError(
                f"{self.where}, beat {unused[0]!r}: the scene has no such beat "
                f"(its beats: {', '.join(declared)})"
            )
        missing = [i for i in declared if i not in ids]
        if missing:
            raise ScriptError(f"{self.where}, beat {missing[0]!r}: the scene plays it; add it")
        if ids != list(declared):
            raise ScriptError(
                f"{self.where}: beats must come in the scene's order: {', '.join(declared)}"
            )

    def fill(self, results: Mapping[str, Any]) -> dict[str, Line]:
        """Every segment with its template fields filled from `results`, checked against the
        caption limits; raises ScriptError naming the beat."""
        fields = _numbers(dict(results))
        filled = {}
        for seg in self.segments:
            caption = self._format(seg, "caption", seg.caption, fields)
            spoken = self._format(seg, "say", seg.say, fields) if seg.say else caption
            line = Line(seg.id, caption, spoken)
            if len(line.lines) > MAX_LINES or any(len(x) > MAX_LINE for x in line.lines):
                raise ScriptError(
                    f"{self.where}, beat {seg.id!r}: the caption needs more than {MAX_LINES} "
                    f"lines of {MAX_LINE} characters ({len(caption)} characters): shorten it "
                    "or split it with a [[beat.mark]]"
                )
            filled[seg.id] = line
        return filled

    def _format(self, seg: Segment, key: str, template: str, fields: dict) -> str:
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
            for name in names:
                root = name.split("[")[0].split(".")[0]
                if root not in fields:
                    raise KeyError(root)
            return template.format_map(fields)
        except KeyError as err:
            known = ", ".join(sorted(fields))
            raise ScriptError(
                f"{self.where}, beat {seg.id!r}: unknown field {err.args[0]!r} in its {key} "
                f"(fields: {known})"
            ) from None
        except (IndexError, ValueError, TypeError, AttributeError) as err:
            raise ScriptError(
                f"{self.where}, beat {seg.id!r}: bad field in its {key}: {err}"
            ) from None


def _shown(path: Path) -> str:
    """The path as a user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _segment(table: Any, where: str, prefix: str) -> Segment:
    if not isinstance(table, dict):
        raise ScriptError(f"{where}: a beat must be a table with id and caption")
    beat_id = table.get("id")
    label = f"beat {prefix}{beat_id}" if isinstance(beat_id, str) else "a beat"
    allowed = {"id", "caption", "say"} | ({"mark"} if not prefix else set())
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ScriptError(f"{where}, {label}: unknown key {unknown[0]!r} (use id, caption, say)")
    if not isinstance(beat_id, str) or not beat_id.isidentifier():
        raise ScriptError(f"{where}, {label}: id must be a name like 'touch'")
    caption, say = table.get("caption"), table.get("say")
    if not isinstance(caption, str) or not caption.strip():
        raise ScriptError(f"{where}, {label}: needs a caption")
    if say is not None and (not isinstance(say, str) or not say.strip()):
        raise ScriptError(f"{where}, {label}: say must be text")
    return Segment(prefix + beat_id, " ".join(caption.split()), say and " ".join(say.split()))


@dataclass(frozen=True)
class Pacing:
    """What the scene's beats need: for each segment, its caption and the seconds it must
    last at least (its reading time, and its speech plus a pause)."""

    lines: Mapping[str, Line]
    speech: Mapping[str, float]  # seconds of speech per segment (none: silent)

    def need(self, segment: str) -> float:
        line = self.lines[segment]
        spoken = self.speech.get(segment, 0.0)
        return max(line.reading_time, spoken + SPEECH_PAUSE if spoken else 0.0)

    def total(self) -> float:
        return math.fsum(self.need(s) for s in self.lines)
