"""The formats the CLI offers (`FORMATS`: the output registry of `studio.outputs`) and the
system programs they need.

Adding a format: one module in `studio/outputs/` (see its docstring).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable

from .outputs import OUTPUTS, Output

TOOLS: dict[str, str] = {
    "ffmpeg": "ffmpeg",
    "latex": "texlive-latex-base texlive-latex-recommended texlive-latex-extra",
    "dvisvgm": "dvisvgm",
    "gifsicle": "gifsicle",
}
"""Every system program the pipeline runs, with the Debian packages that provide it."""

RENDER_TOOLS = ("ffmpeg", "latex", "dvisvgm")
"""What every render needs: MathTex (LaTeX → SVG) and the lossless frames (ffmpeg)."""

Format = Output
FORMATS: dict[str, Output] = OUTPUTS
DEFAULT_FORMATS = ("gif",)


def stills_only(formats: Iterable[str]) -> bool:
    """Whether every format wants only the poster frame (the render skips the animation)."""
    return all(FORMATS[name].still for name in formats)


def with_poster(formats: Iterable[str]) -> tuple[str, ...]:
    """`formats`, and a still when they move but have none: the poster costs one frame
    already drawn, and gives the snippets' <picture> its reduced-motion still."""
    formats = tuple(dict.fromkeys(formats))
    if stills_only(formats) or any(FORMATS[name].still for name in formats):
        return formats
    return (*formats, next(name for name, o in FORMATS.items() if o.still))


def missing_tools(formats: Iterable[str]) -> list[str]:
    """The programs a render of `formats` needs that are not installed, with their packages."""
    needed = dict.fromkeys(RENDER_TOOLS)
    for name in formats:
        needed.update(dict.fromkeys(FORMATS[name].tools))
    return [f"{tool} (apt-get install {TOOLS[tool]})" for tool in needed if not shutil.which(tool)]
