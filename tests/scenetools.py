"""Helpers for scene tests: build a scene without rendering frames, read positions back in
data units, and compare a rendered still against a stored reference."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from manim import config, tempconfig
from PIL import Image

from scenes import CATALOGUE
from scenes.theme import DARK, Theme
from studio.frames import manim_options
from studio.texcache import install

REFERENCES = Path(__file__).parent / "reference"
TEST_SIZE = (427, 240)  # low quality halved: a pixel is 14.22/427 = 0.033 scene units


def scene_name(scene_class: type) -> str:
    """The catalogue's name for a scene class (reference stills are named by it)."""
    return next(e.name for e in CATALOGUE.values() if e.cls == scene_class.__name__)


def construct(
    scene_class: type,
    params=None,
    theme: Theme = DARK,
    tex_dir: Path | None = None,
    solution=None,
):
    """Run setup() and construct() with every animation skipped (mobjects end in their final
    state), nothing drawn and no output written; returns the scene for inspection. Without a
    `solution`, the scene solves its `params` (default: the defaults) in setup(). LaTeX goes
    through studio's cache, as in a render (Manim's own would sweep other renders' work
    away)."""
    install()
    with tempconfig(manim_options(Path(config.media_dir), "none", (*TEST_SIZE, 5), tex_dir)):
        scene = scene_class(skip_animations=True)
        scene.params, scene.solution, scene.theme = params, solution, theme
        # nothing is looked at: Manim would still draw every play's static layer and poster
        scene.renderer.update_frame = scene.renderer.save_static_frame_data = _draw_nothing
        scene.render()
        scene.pixel = config.frame_width / config.pixel_width
    return scene


def _draw_nothing(*args, **kwargs) -> None:
    return None


def data_point(axes, point) -> np.ndarray:
    """Scene point → data coordinates of `axes`."""
    return np.asarray(axes.p2c(point), dtype=float)[:2]


@dataclass(frozen=True)
class Comparison:
    """A rendered still against its reference: how many pixels differ at all, by how much at
    most, and where (left, top, right, bottom), in the still's pixels."""

    name: str
    pixels: int
    largest: int
    box: tuple[int, int, int, int] | None
    size_ok: bool = True

    @property
    def identical(self) -> bool:
        return self.size_ok and self.pixels == 0

    def describe(self) -> str:
        if not self.size_ok:
            return f"{self.name}: the still and its reference differ in size"
        if self.identical:
            return f"{self.name}: identical"
        return (
            f"{self.name}: {self.pixels} pixels differ (by up to {self.largest} of 255) in "
            f"the box {self.box}"
        )


def _difference(name: str, ours: np.ndarray, ref: np.ndarray | None) -> Comparison:
    if ref is None or ours.shape != ref.shape:
        return Comparison(name, 0, 0, None, size_ok=False)
    diff = np.abs(ours.astype(int) - ref.astype(int)).max(axis=-1)
    ys, xs = np.nonzero(diff)
    box = (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())) if len(xs) else None
    return Comparison(name, len(xs), int(diff.max(initial=0)), box)


def reference_difference(image_path: Path, name: str, update: bool) -> Comparison:
    """Compare a rendered still with tests/reference/<name>.png, exactly: the renderer is
    deterministic here, so any differing pixel is a different picture (a wrong number, a
    missing line, a point moved by a pixel). With `update`, write the still as the new
    reference and, where it changed, a picture of old | new | differences to
    tests/reference/changes/<name>.png, listed at the end of the run (also from pytest-xdist's
    workers: the description goes to <name>.txt beside it)."""
    reference = REFERENCES / f"{name}.png"
    ours = np.asarray(Image.open(image_path).convert("RGB"))
    old = np.asarray(Image.open(reference).convert("RGB")) if reference.exists() else None
    found = _difference(name, ours, old)
    if not update:
        return found
    REFERENCES.mkdir(exist_ok=True)
    Image.fromarray(ours).save(reference, optimize=True)
    if not found.identical:
        changes = REFERENCES / "changes"
        changes.mkdir(exist_ok=True)
        before = old if found.size_ok else np.zeros_like(ours)
        marked = np.where(
            (np.abs(ours.astype(int) - before.astype(int)).max(-1) > 0)[..., None], 255, 0
        )
        strip = np.concatenate([before, ours, np.repeat(marked, 3, -1).astype(np.uint8)], axis=1)
        Image.fromarray(strip).save(changes / f"{name}.png")
        (changes / f"{name}.txt").write_text(found.describe())  # conftest lists these
    return _difference(name, ours, ours)
