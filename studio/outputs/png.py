"""The PNG: the poster, the frame that sums the scene up; the still of reduced motion."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narration.script import page_words

from ..manifest import Manifest
from ..rendered import Rendered
from .base import REDUCED, Output


@dataclass(frozen=True)
class Png(Output):
    def encode(self, rendered: Rendered, target: Path) -> dict[str, Any]:
        shutil.copyfile(rendered.frames.poster, target)
        return {}

    def snippet(self, m: Manifest) -> list[str]:
        parts = [page_words(m.lang, "embed", "still"), "", "```markdown"]
        return [*parts, f"![{m.alt_text}]({m.files[self.name]})", "```", ""]

    def sources(self, m: Manifest, other: tuple[str, dict[str, str]] | None) -> list[tuple]:
        mine = [(m.files[self.name], REDUCED, None)]
        if other:
            return [
                (other[1][self.name], f"{REDUCED} and (prefers-color-scheme: {other[0]})", None),
                *mine,
            ]
        return mine


PNG = Png("png", "png", "image/png", "still", card_rank=3)
