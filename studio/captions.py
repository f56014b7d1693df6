"""Captions from the scene's own clock: one cue per script segment, starting on the frame its
beat started, written as WebVTT and SRT (and ASS, to burn them in), and checked against the
limits every render keeps (narration.script: line length, lines, duration, reading speed, no
overlaps, script order)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from narration import MAX_CUE, MAX_LINE, MAX_LINES, MIN_CUE, Line, reading_speed


class CaptionError(ValueError):
    """Cues that break the caption limits; the message lists every problem."""


@dataclass(frozen=True)
class Cue:
    id: str  # the script segment
    start: float  # seconds, on a frame
    end: float
    lines: tuple[str, ...]
    part: int = 0  # a segment whose speech outlasts one cue shows its lines one cue each

    @property
    def name(self) -> str:
        """The cue's identifier in WebVTT: the segment, and the part after the first."""
        return self.id if self.part == 0 else f"{self.id}/{self.part + 1}"

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def make_cues(
    timeline: Sequence,
    lines: Mapping[str, Line],
    fps: int,
    duration: float,
    speech: Mapping[str, float] | None = None,
) -> list[Cue]:
    """The cues of the segments that played (`timeline`: Spoken records, in order), on whole
    frames, cut at the end of the video (`duration` seconds). A segment's caption shows from
    the frame it started for as long as it lasted, at most MAX_CUE seconds — unless its
    speech (`speech`: seconds per segment) runs longer: then each of its two lines is a cue
    of its own, timed by its share of the characters, the last one lasting until the speech
    ends (a caption never leaves before its words are said)."""
    speech = speech or {}
    cues = []
    for spoken in timeline:
        start = round(spoken.start * fps) / fps
        end = min(round(spoken.end * fps) / fps, duration)
        said = start + math.ceil(speech.get(spoken.id, 0.0) * fps - 1e-9) / fps  # on a frame
        caption = lines[spoken.id].lines
        if said <= start + MAX_CUE or len(caption) == 1:
            cues.append(
                Cue(spoken.id, start, min(end, start + max(MAX_CUE, said - start)), caption)
            )
            continue
        stay = min(end, max(said, start + 2 * MIN_CUE)) - start  # both lines, on screen
        split = start + round(stay * len(caption[0]) / len("".join(caption)) * fps) / fps
        cues.append(Cue(spoken.id, start, split, caption[:1]))
        cues.append(Cue(spoken.id, split, start + stay, caption[1:], part=1))
    return cues


FRAME_SLACK = 0.1
"""Seconds a cue may outlast its words and still count as staying for them: cues end on a
frame after the words end (a frame lasts 0.1 s at the slowest preset, draft)."""


def problems(
    cues: Sequence[Cue], order: Sequence[str], speech_ends: Mapping[str, float] | None = None
) -> list[str]:
    """Every way `cues` break the limits; `order` is the script's order of segment ids and
    `speech_ends` when each segment's speech ends (its caption must still be on screen, and
    may stay longer than MAX_CUE while its words are being said)."""
    found = []
    speech_ends = speech_ends or {}
    for cue in cues:
        length = cue.end - cue.start
        if len(cue.lines) > MAX_LINES or any(len(x) > MAX_LINE for x in cue.lines):
            found.append(f"{cue.name}: more than {MAX_LINES} lines of {MAX_LINE} characters")
        # longer than MAX_CUE only while its words are still being said
        said = speech_ends.get(cue.id, -math.inf) + FRAME_SLACK
        longest = MAX_CUE if cue.end > said else math.inf
        if not MIN_CUE - 1e-6 <= length <= longest + 1e-6:
            found.append(f"{cue.name}: on screen {length:.2f} s, not {MIN_CUE}–{MAX_CUE} s")
        if len(cue.text) > reading_speed(cue.text) * length + 1e-6:
            found.append(f"{cue.name}: {len(cue.text) / length:.1f} characters a second")
    last = {cue.id: cue.end for cue in cues}
    for segment, said in speech_ends.items():
        if segment in last and last[segment] < said - 1e-6:
            found.append(f"{segment}: the caption leaves {said - last[segment]:.2f} s early")
    for a, b in itertools.pairwise(cues):
        if b.start < a.end - 1e-6:
            found.append(f"{a.name} and {b.name} overlap")
        if (order.index(b.id), b.part) <= (order.index(a.id), a.part):
            found.append(f"{b.name} comes after {a.name}, against the script's order")
    return found


def check(
    cues: Sequence[Cue], order: Sequence[str], speech_ends: Mapping[str, float] | None = None
) -> None:
    found = problems(cues, order, speech_ends)
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
        blocks += [cue.name, f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}", *cue.lines, ""]
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
