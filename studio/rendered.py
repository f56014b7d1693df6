"""What one scene render hands to its outputs: the `Rendered` record every output's
`encode(rendered, target)` reads (frames, timeline, cues, the script's lines, per-frame
readouts, theme), so an output needs nothing from the job beyond it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .frames import Frames


@dataclass(frozen=True)
class Rendered:
    name: str  # the files' stem: the scene, or <scene>-light (--theme both)
    title: str
    alt_text: str
    frames: Frames  # as drawn: the lossless frames and the poster
    moving: Frames  # what moving outputs encode (with --captions burn, the captions burnt in)
    cues: list = field(default_factory=list)  # studio.captions.Cue, as timed in the frames
    lines: dict[str, Any] = field(default_factory=dict)  # the script's lines, filled in
    scrubbed: list[dict] = field(default_factory=list)  # the interactive figure's readouts
    theme: Any = None  # scenes.theme.Theme
    speech: Path | None = None  # the narration track to mux into outputs with sound
    streamed: frozenset[str] = frozenset()  # outputs encoded while the frames were drawn
    work: Path = Path(".")  # the render's temporary folder
    pair: str | None = None  # --theme both: the other theme's render (its files' stem)
    budgets: dict[str, int] = field(default_factory=dict)  # output → most bytes (--gif-max-kb)
    lang: str = "en"  # the language of its words (--lang): the html figure's <html lang>

    @property
    def seekable(self) -> Path:
        """Where the pages of this render (figure, slides, article) keep their shared video
        (studio.interactive.seekable_video)."""
        return self.work / "seekable.webm"

    @property
    def timeline(self) -> tuple:
        return self.frames.timeline

    @property
    def readouts(self) -> list[dict]:
        """The scene's readouts of every frame, in order."""
        return [self.frames.readouts[i] for i in range(self.frames.count)]
