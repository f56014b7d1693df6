"""One scene across cores: every scene's frames drawn by two processes (blocks of frames
dealt out in turn) and joined are the frames one process draws, poster included: the same
number, at the same times, and the same pixels up to floating-point rounding (a worker that
skips frames does not run their updaters, so a label moved by relative shifts can land an
ulp away, which can flip an antialiased edge pixel: at most 4 levels (of 255) in at most
0.5% of the pixels; measured: 1–3 levels in 0–0.15%)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scenes import CATALOGUE
from scenes.theme import THEMES
from studio.job import draw

SIZE = (192, 108, 10)  # small: the point is which frames, not how many pixels
BLOCK = 7  # many hand-overs between the workers, at odd places


def decoded(video: Path) -> np.ndarray:
    """Every frame of `video` as RGB, shape (frames, height, width, 3)."""
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(done.stdout, dtype=np.uint8).reshape(-1, SIZE[1], SIZE[0], 3)


def render(entry, shares: int, workdir: Path, tex_cache: Path):
    scene_class = entry.load()
    params = scene_class.Params()
    workdir.mkdir()
    return draw(
        scene_class,
        shares,
        BLOCK,
        params=params,
        theme=THEMES["dark"],
        size=SIZE,
        workdir=workdir,
        tex_dir=tex_cache,
        solution=scene_class.solve(params),
    )


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_two_workers_draw_exactly_the_frames_of_one(name, tmp_path, tex_cache):
    entry = CATALOGUE[name]
    one = render(entry, 1, tmp_path / "one", tex_cache)
    two = render(entry, 2, tmp_path / "two", tex_cache)
    assert two.count == one.count > 2 * BLOCK
    assert [s.start for s in two.timeline] == [s.start for s in one.timeline]
    a, b = decoded(one.video).astype(int), decoded(two.video).astype(int)
    assert a.shape == b.shape
    gap = np.abs(a - b).max(axis=-1)
    assert gap.max() <= 4 and (gap > 0).mean() <= 5e-3, (gap.max(), (gap > 0).mean())
    posters = [np.asarray(Image.open(f.poster).convert("RGB"), dtype=int) for f in (one, two)]
    assert np.abs(posters[0] - posters[1]).max() <= 4
