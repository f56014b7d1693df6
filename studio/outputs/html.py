"""The interactive figure: one HTML page with the video and a slider over the scene's
readouts, embedded with an <iframe>."""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narration.script import page_words

from ..interactive import Figure, encode_html
from ..manifest import Manifest
from ..rendered import Rendered
from .base import Output, other_theme

CONTROLS = 130  # px below the picture in the interactive figure: slider, readouts, caption


@dataclass(frozen=True)
class Html(Output):
    def encode(self, rendered: Rendered, target: Path) -> dict[str, Any]:
        figure = Figure(
            title=rendered.title,
            alt_text=rendered.alt_text,
            readouts=rendered.scrubbed,
            frames=rendered.readouts,
            background=rendered.theme.background,
            text=rendered.theme.text,
            lang=rendered.lang,
            scheme=rendered.theme.name,
            other=f"{rendered.pair}.{self.extension}" if rendered.pair else None,
        )
        encode_html(dataclasses.replace(rendered.moving, figure=figure), target, rendered.seekable)
        return {"scrub": {"readouts": figure.readouts, "frames": figure.frames}}

    def refuses(self, scene_class: type) -> str | None:
        return None if scene_class.scrub else "has no interactive figure yet"

    def snippet(self, m: Manifest) -> list[str]:
        other = other_theme(m)
        prefers = page_words(m.lang, "figure", f"prefers_{other[0]}") if other else ""
        return [
            page_words(
                m.lang,
                "figure",
                "snippet",
                slider=slider_name(m),
                link=link(m, m.files[self.name]),
                prefers=prefers,
            ),
            "",
            "```html",
            f'<div style="container-type:inline-size;max-width:{m.width}px">',
            iframe_tag(m, style=f"border:0;width:100%;{fit_height(m)}"),
            "</div>",
            "```",
            "",
        ]

    def card(self, m: Manifest) -> str:
        # as tall as its picture at the card's width, plus the controls
        return f'<div class="fit">{iframe_tag(m, style=fit_height(m))}</div>'


def fit_height(m: Manifest) -> str:
    """CSS: as tall as the picture at the container's width, plus the controls (the page
    lays itself out to the width it gets)."""
    return f"height: calc(100cqw * {m.height} / {m.width} + {CONTROLS}px)"


def link(m: Manifest, file: str) -> str:
    """The figure's URL with its hash key named, and an example state."""
    try:
        first = m.scrub["readouts"][0]
        key, frames = str(first["key"]), m.scrub["frames"]
        value = frames[len(frames) // 2][key]
        shown = f"{value:.{int(first.get('decimals', 2))}f}"
    except (TypeError, KeyError, IndexError, ValueError):
        return f"{file}#<key>=<value>"
    return page_words(
        m.lang, "figure", "example", link=f"{file}#{key}=<value>", state=f"{file}#{key}={shown}"
    )


def slider_name(m: Manifest) -> str:
    """What the interactive figure's slider moves through (its first readout's name, else
    the words for the slider)."""
    try:
        return str(m.scrub["readouts"][0]["name"])
    except (TypeError, KeyError, IndexError):
        return page_words(m.lang, "figure", "slider")


def iframe_tag(m: Manifest, style: str = "border: 0") -> str:
    """The interactive figure in an <iframe>: the picture plus room for its controls."""
    e = html.escape
    return (
        f'<iframe src="{e(m.files["html"])}" width="{m.width}" height="{m.height + CONTROLS}" '
        f'title="{e(m.title)}: {e(page_words(m.lang, "figure", "title"))}" loading="lazy" '
        f'style="{e(style)}"></iframe>'
    )


HTML = Html("html", "html", "text/html", "page", card_rank=0)
