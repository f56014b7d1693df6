"""Helpers for scene tests: build a scene without rendering frames, read positions back in
data units, and compare a rendered still against a stored reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from manim import config, tempconfig
from PIL import Image

from scenes import CATALOGUE
from scenes.theme import DARK, Theme
from studio.frames import manim_options

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
    state) and no output written; returns the scene for inspection. Without a `solution`,
    the scene solves its `params` (default: the defaults) in setup()."""
    with tempconfig(manim_options(Path(config.media_dir), "none", (*TEST_SIZE, 5), tex_dir)):
        scene = scene_class(skip_animations=True)
        scene.params, scene.solution, scene.theme = params, solution, theme
        scene.render()
        scene.pixel = config.frame_width / config.pixel_width
    return scene


def data_point(axes, point) -> np.ndarray:
    """Scene point → data coordinates of `axes`."""
    return np.asarray(axes.p2c(point), dtype=float)[:2]


def compare_to_reference(image_path: Path, name: str, update: bool) -> dict:
    """Compare a rendered PNG to tests/reference/<name>.png (writing it when `update`).

    Returns mean and 99.9th-percentile absolute differences (0–255) over all pixels and
    channels and the fraction of pixels that differ by more than 64 in some channel."""
    reference = REFERENCES / f"{name}.png"
    if update:
        REFERENCES.mkdir(exist_ok=True)
        Image.open(image_path).convert("RGB").save(reference, optimize=True)
    ours = np.asarray(Image.open(image_path).convert("RGB"), dtype=float)
    ref = np.asarray(Image.open(reference).convert("RGB"), dtype=float)
    assert ours.shape == ref.shape, (ours.shape, ref.shape)
    diff = np.abs(ours - ref)
    return {
        "mean": float(diff.mean()),
        "p999": float(np.percentile(diff, 99.9)),
        "changed": float(np.mean(diff.max(axis=-1) > 64)),
    }
