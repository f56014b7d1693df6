"""The outputs a scene render can write, one module each, behind one registry.

An `Output` owns everything about its format: how it is encoded from the `Rendered`
record (`encode(rendered, target)`), the snippet that embeds it, its card in the gallery and
its place in a `<picture>` or `<video>`. `studio.embed` and `studio.gallery` loop over
`OUTPUTS` and never name a format.

Adding a format: one module here defining an `Output` (or a `Video`), listed in `OUTPUTS`
below, plus its tests.
"""

from __future__ import annotations

from collections.abc import Iterable

from .article import ARTICLE
from .base import ROLES, Image, Output, Video, other_theme
from .gif import GIF
from .html import HTML
from .mp4 import MP4
from .png import PNG
from .slides import SLIDES
from .webm import WEBM
from .webp import WEBP

OUTPUTS: dict[str, Output] = {o.name: o for o in (GIF, WEBM, MP4, PNG, HTML, WEBP, SLIDES, ARTICLE)}
"""By -f name; within a role in the order they are offered (a <video>'s sources, smallest
first)."""


def rendered_outputs(files: Iterable[str]) -> list[Output]:
    """The outputs among `files` (a manifest's format names), in registry order."""
    return [o for name, o in OUTPUTS.items() if name in files]


__all__ = ["OUTPUTS", "ROLES", "Image", "Output", "Video", "other_theme", "rendered_outputs"]
