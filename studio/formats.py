"""What an output format is, in one place: the CLI offers `FORMATS`, the job encodes with
them and names files by them, the snippets and the gallery embed by their MIME types.

Adding a format: write its encoder in `studio/encode.py` and add one `Format` here.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import encode, interactive
from .frames import Frames

TOOLS: dict[str, str] = {
    "ffmpeg": "ffmpeg",
    "latex": "texlive-latex-base texlive-latex-recommended texlive-latex-extra",
    "dvisvgm": "dvisvgm",
    "gifsicle": "gifsicle",
}
"""Every system program the pipeline runs, with the Debian packages that provide it."""

RENDER_TOOLS = ("ffmpeg", "latex", "dvisvgm")
"""What every render needs: MathTex (LaTeX → SVG) and the lossless frames (ffmpeg)."""


@dataclass(frozen=True)
class Format:
    name: str  # what -f takes
    extension: str  # the file is <scene>.<extension>
    mime: str
    encoder: Callable[[Frames, Path], None]
    tools: tuple[str, ...]  # beyond RENDER_TOOLS
    still: bool  # one frame (the poster) rather than the animation
    rate: Callable[[int], int] = encode.same_rate  # the file's frame rate, from the render's
    audio: tuple[str, ...] | None = None  # ffmpeg codec arguments for narration (None: silent)
    stream: tuple[str, ...] | None = None  # codec arguments to encode it while drawing (video)

    @property
    def video(self) -> bool:
        """Embedded with <video> (rather than <img>)."""
        return self.mime.startswith("video/")


AAC = ("aac", "-b:a", "128k", "-ar", "48000")
OPUS = ("libopus", "-b:a", "96k", "-ar", "48000")

FORMATS: dict[str, Format] = {  # in the order a <video> lists its sources: smallest first
    f.name: f
    for f in (
        Format("gif", "gif", "image/gif", encode.encode_gif, ("gifsicle",), False, encode.gif_rate),
        Format(
            "webm",
            "webm",
            "video/webm",
            encode.encode_webm,
            (),
            False,
            audio=OPUS,
            stream=encode.WEBM,
        ),
        Format(
            "mp4", "mp4", "video/mp4", encode.encode_mp4, (), False, audio=AAC, stream=encode.MP4
        ),
        Format("png", "png", "image/png", encode.encode_png, (), True),
        Format("html", "html", "text/html", interactive.encode_html, (), False),
    )
}
DEFAULT_FORMATS = ("gif",)


def stills_only(formats: Iterable[str]) -> bool:
    """Whether every format wants only the poster frame (the render skips the animation)."""
    return all(FORMATS[name].still for name in formats)


def missing_tools(formats: Iterable[str]) -> list[str]:
    """The programs a render of `formats` needs that are not installed, with their packages."""
    needed = dict.fromkeys(RENDER_TOOLS)
    for name in formats:
        needed.update(dict.fromkeys(FORMATS[name].tools))
    return [f"{tool} (apt-get install {TOOLS[tool]})" for tool in needed if not shutil.which(tool)]
