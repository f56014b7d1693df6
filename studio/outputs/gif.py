"""The GIF: what a Markdown image embeds; fitted in a budget with --gif-max-kb."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..encode import encode_gif, fit_gif, gif_rate
from ..manifest import Manifest
from ..rendered import Rendered
from .base import Image

HEAVY = 2 * 2**20  # bytes: above this, the snippets point to the video


@dataclass(frozen=True)
class Gif(Image):
    def rate(self, fps: int) -> int:
        return gif_rate(fps)

    def encode(self, rendered: Rendered, target: Path) -> dict[str, Any]:
        fps = rendered.moving.fps
        budget = rendered.budgets.get(self.name)
        if budget is None:
            encode_gif(rendered.moving, target)
            return {"gif_fps": self.rate(fps), "gif_fit": None}
        fit = fit_gif(rendered.moving, target, budget)
        return {"gif_fps": fit.get("fps") or self.rate(fps), "gif_fit": fit}

    def note(self, m: Manifest) -> list[str]:
        parts = []
        if m.bytes.get(self.name, 0) > HEAVY:
            parts += [
                f"Note: this GIF is {m.bytes[self.name] / 2**20:.1f} MB, heavy for a page: embed "
                "the video below (render with -f webm -f mp4), or fit the GIF with --gif-max-kb.",
                "",
            ]
        if m.gif_fit:
            f = m.gif_fit
            parts += [
                f"The GIF was fitted in {f['budget'] // 1024} KB: {f['colors']} colours, lossy "
                f"{f['lossy']}, {m.gif_fps} fps, {round(100 * f['scale'])}% size; SSIM "
                f"{f['ssim']} against the lossless frames.",
                "",
            ]
        return parts


GIF = Gif("gif", "gif", "image/gif", tools=("gifsicle",), universal=True)
