"""How fast the spinning 3D scene renders, by surface resolution and quality preset.

    .venv/bin/python bench/landscape_speed.py

Target (issue 6): the default (resolution 26) at `low` in under 30 s on 2 cores. The last
row renders the same surface with Manim's own ThreeDScene/Surface for comparison.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from pathlib import Path

from _table import report

from scenes.ridge_landscape import RidgeLandscape
from scenes.theme import DARK
from studio.frames import manim_options, render_frames
from studio.presets import QUALITIES

CASES = [("low", 16), ("low", 26), ("low", 40), ("blog", 26), ("high", 26)]


def manim_surface_seconds(resolution: int, size: tuple[int, int, int], seconds: float) -> float:
    """The same bowl with Manim's ThreeDScene and Surface (no cylinder, curve or labels)."""
    import numpy as np
    from manim import DEGREES, Surface, ThreeDAxes, ThreeDScene, tempconfig

    loss = RidgeLandscape.Params().loss()

    class Bowl(ThreeDScene):
        def construct(self):
            axes = ThreeDAxes(x_range=[-2, 3], y_range=[-2, 4], z_range=[0, 20])
            surface = Surface(
                lambda u, v: axes.c2p(u, v, min(loss.value(np.array([u, v])), 20)),
                u_range=[-2, 3],
                v_range=[-2, 4],
                resolution=(resolution, resolution),
                fill_opacity=0.82,
                checkerboard_colors=False,
            )
            self.set_camera_orientation(phi=60 * DEGREES, theta=-110 * DEGREES)
            self.add(axes, surface)
            self.begin_ambient_camera_rotation(rate=2 * np.pi / seconds)
            self.wait(seconds)

    with (
        tempfile.TemporaryDirectory() as tmp,
        tempconfig(manim_options(Path(tmp), "png-sequence", size)),
    ):
        started = time.perf_counter()
        Bowl().render()
        return time.perf_counter() - started


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tex = Path(tmp) / "tex"
        for quality, resolution in CASES:
            work = Path(tmp) / f"{quality}-{resolution}"
            work.mkdir()
            params = dataclasses.replace(RidgeLandscape.Params(), resolution=resolution)
            started = time.perf_counter()
            size = QUALITIES[quality].size
            frames = render_frames(RidgeLandscape, params, DARK, size, work, tex)
            seconds = time.perf_counter() - started
            rows.append(
                {
                    "technique": "painter (ours)",
                    "quality": quality,
                    "resolution": resolution,
                    "frames": frames.count,
                    "seconds": round(seconds, 1),
                    "frames_per_s": round(frames.count / seconds, 1),
                }
            )
    size = QUALITIES["low"].size
    seconds = manim_surface_seconds(26, size, 2.0)
    rows.append(
        {
            "technique": "Manim ThreeDScene (surface only, 2 s)",
            "quality": "low",
            "resolution": 26,
            "frames": int(2.0 * size[2]),
            "seconds": round(seconds, 1),
            "frames_per_s": round(2.0 * size[2] / seconds, 1),
        }
    )
    columns = ["technique", "quality", "resolution", "frames", "seconds", "frames_per_s"]
    report("landscape_speed", columns, rows)


if __name__ == "__main__":
    main()
