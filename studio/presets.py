"""Quality presets: the one table of sizes and frame rates. The CLI's help, the job and the
README's table all come from (or are tested against) `QUALITIES`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quality:
    name: str
    width: int
    height: int
    fps: int
    note: str = ""  # shown in the help after the size

    @property
    def size(self) -> tuple[int, int, int]:
        """(width, height, fps), what `studio.frames.render_frames` takes."""
        return (self.width, self.height, self.fps)

    def __str__(self) -> str:
        return f"{self.width}×{self.height}@{self.fps}"

    def describe(self) -> str:
        """'blog 768×432@20 (the default)', as in the help text."""
        return f"{self.name} {self}" + (f" ({self.note})" if self.note else "")


QUALITIES: dict[str, Quality] = {
    q.name: q
    for q in (
        Quality("blog", 768, 432, 20, "the default"),
        Quality("thumb", 480, 270, 20, "the default of thumbnail scenes"),
        Quality("draft", 384, 216, 10),
        Quality("low", 854, 480, 15),
        Quality("medium", 1280, 720, 30),
        Quality("high", 1920, 1080, 60),
        Quality("4k", 3840, 2160, 60),
    )
}
"""`blog` is the default: see the README for why 768×432 at 20 fps."""

DEFAULT_QUALITY = "blog"
