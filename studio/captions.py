"""Captions from the scene's own clock: one cue per script segment, starting on the frame its
beat started, written as WebVTT and SRT (and ASS, to burn them in), and checked against the
limits every render keeps (narration.script: line length, lines, duration, reading speed, no
overlaps, script order)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from narration import MAX_CUE, MAX_LINE, MAX_LINES, MIN_CUE, READING_CPS, Line


class CaptionError(ValueError):
    """Cues that break the caption limits; the message lists every problem."""


@dataclass(frozen=True)
class Cue:
    id: str  # the script segment
    start: float  # seconds, on a frame
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def make_cues(
    timeline: Sequence, lines: Mapping[str, Line], fps: int, duration: float, offset: float = 0.0
) -> list[Cue]:
    """A cue for each segment that played (`timeline`: Spoken records, in order): from the
    frame its segment started for as long as it lasted, at most MAX_CUE seconds, cut at the
    end of the video (`duration` seconds); `offset` shifts every cue (a chapter's start)."""
    cues = []
    for spoken in timeline:
        start = round(spoken.start * fps) / fps
        end = min(round(spoken.end * fps) / fps, start + MAX_CUE, duration)
        cues.append(Cue(spoken.id, offset + start, offset + end, lines[spoken.id].lines))
    return cues


def problems(cues: Sequence[Cue], order: Sequence[str]) -> list[str]:
    """Every way `cues` break the limits; `order` is the script's order of segment ids."""
    found = []
    for cue in cues:
        length = cue.end - cue.start
        if len(cue.lines) > MAX_LINES or any(len(x) > MAX_LINE for x in cue.lines):
            found.append(f"{cue.id}: more than {MAX_LINES} lines of {MAX_LINE} characters")
        if not MIN_CUE - 1e-6 <= length <= MAX_CUE + 1e-6:
            found.append(f"{cue.id}: on screen {length:.2f} s, not {MIN_CUE}–{MAX_CUE} s")
        if len(cue.text) > READING_CPS * length + 1e-6:
            found.append(f"{cue.id}: {len(cue.text) / length:.1f} characters a second")
    for a, b in itertools.pairwise(cues):
        if b.start < a.end - 1e-6:
            found.append(f"{a.id} and {b.id} overlap")
        if order.index(b.id) <= order.index(a.id):
            found.append(f"{b.id} comes after {a.id}, against the script's order")
    return found


def check(cues: Sequence[Cue], order: Sequence[str]) -> None:
    found = problems(cues, order)
    if found:
        raise CaptionError("captions break the limits: " + "; ".join(found))


def _clock(seconds: float, separator: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def to_vtt(cues: Sequence[Cue]) -> str:
    blocks = ["WEBVTT", ""]
    for cue in cues:
        blocks += [cue.id, f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}", *cue.lines, ""]
    return "\n".join(blocks)


def to_srt(cues: Sequence[Cue]) -> str:
    blocks = []
    for i, cue in enumerate(cues, 1):
        blocks += [str(i), f"{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}", *cue.lines, ""]
    return "\n".join(blocks)


def band_height(height: int) -> int:
    """Rows added below the picture to burn two caption lines into (even, for the codecs)."""
    return 2 * round(0.085 * height)


def _ass_colour(hex_colour: str) -> str:
    """#RRGGBB → &H00BBGGRR (ASS colours are alpha, blue, green, red)."""
    rgb = hex_colour.lstrip("#")
    return f"&H00{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}".upper()


def to_ass(cues: Sequence[Cue], width: int, height: int, text: str, background: str) -> str:
    """The cues as an ASS script for libass, laid out in a band of `band_height(height)` rows
    below a `width`×`height` picture: DejaVu Sans in the theme's `text` colour on its
    `background`."""
    band = band_height(height)
    size = round(0.34 * band)
    fore, back = _ass_colour(text), _ass_colour(background)
    newline = "\\N"

    def at(seconds: float) -> str:  # h:mm:ss.cc
        cs = round(seconds * 100)
        return f"{cs // 360000}:{cs // 6000 % 60:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"

    head = [
        "[Script Info]",
        "ScriptType: v4.00+",
        f"PlayResX: {width}",
        f"PlayResY: {height + band}",
        "WrapStyle: 2",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, OutlineColour, BackColour, Bold, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV",
        f"Style: Caption, DejaVu Sans, {size}, {fore}, {back}, {back}, 0, 3, 0, 0, 2, "
        f"8, 8, {round(0.08 * band)}",
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Text",
    ]
    events = [
        f"Dialogue: 0, {at(c.start)}, {at(c.end)}, Caption, {newline.join(c.lines)}" for c in cues
    ]
    return "\n".join([*head, *events, ""])
