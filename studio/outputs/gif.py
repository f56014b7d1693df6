"""The GIF: what a Markdown image embeds; fitted in a budget with --gif-max-kb."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narration.script import page_words

from ..encode import encode_gif, fit_gif, gif_rate
from ..manifest import Manifest
from ..rendered import Rendered
from .base import Image, size_text

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
            size = size_text(m.bytes[self.name])
            parts += [page_words(m.lang, "picture", "heavy", size=size), ""]
        if m.gif_fit:
            f = m.gif_fit
            fields = {k: f[k] for k in ("colors", "lossy", "ssim")}
            fields |= {"budget": f["budget"] // 1024, "scale": round(100 * f["scale"])}
            parts += [page_words(m.lang, "picture", "gif_fit", fps=m.gif_fps, **fields), ""]
        return parts


GIF = Gif("gif", "gif", "image/gif", tools=("gifsicle",), universal=True)
