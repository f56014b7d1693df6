"""Where a frame's time goes that need not: Manim's VMobject.get_subpaths_from_points (one
np.allclose per curve, run by every Transform, become() and always_redraw on every frame)
against scenes.base's vectorised one (the same subpaths: tests/test_plane.py). Each scene's
frames are drawn at `draft` (384×216@10, lossless FFV1, no GIF) in a fresh process, the two
versions alternating, median of `--repeats` runs; the frames are identical either way
(compared here, pixel for pixel).

    .venv/bin/python bench/drawing.py [--repeats N] [--scenes a b ...]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _table import report

ROOT = Path(__file__).resolve().parent.parent
SCENES = ["eigen_shrinkage", "tangency", "lambda_sweep", "projected_gradient", "why_ridge"]

DRAW = """
import sys, time
from pathlib import Path
from manim import VMobject
import scenes.base
from scenes import CATALOGUE
from scenes.theme import DARK
from studio.frames import render_frames
from studio.presets import QUALITIES
from studio.texcache import shared_dir

name, manims, work = sys.argv[1], sys.argv[2] == "manim", Path(sys.argv[3])
if manims:
    VMobject.get_subpaths_from_points = scenes.base.MANIM_SUBPATHS
cls = CATALOGUE[name].load()
params = cls.Params()
solution = cls.solve(params)
started = time.perf_counter()
frames = render_frames(cls, params, DARK, QUALITIES["draft"].size, work, shared_dir(), solution)
print(time.perf_counter() - started, frames.count)
"""


def draw(scene: str, version: str) -> tuple[float, int, str]:
    """Seconds to draw `scene`'s frames with `version`'s subpaths, their count, and a digest
    of the decoded frames."""
    with tempfile.TemporaryDirectory() as work:
        done = subprocess.run(
            [sys.executable, "-c", DRAW, scene, version, work],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        seconds, count = done.stdout.split()[-2:]
        pixels = subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(Path(work) / "frames.mkv"), "-f", "rawvideo", "-"],
            check=True,
            capture_output=True,
        ).stdout
    return float(seconds), int(count), hashlib.sha256(pixels).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scenes", nargs="+", default=SCENES)
    args = parser.parse_args()
    rows = []
    for scene in args.scenes:
        times: dict[str, list[float]] = {"manim": [], "ours": []}
        digests = set()
        for _ in range(args.repeats):
            for version in times:
                seconds, count, digest = draw(scene, version)
                times[version].append(seconds)
                digests.add(digest)
        manims, ours = (statistics.median(times[v]) for v in ("manim", "ours"))
        rows.append(
            {
                "scene": scene,
                "frames": count,
                "manim_subpaths_s": round(manims, 2),
                "ours_s": round(ours, 2),
                "ratio": round(ours / manims, 3),
                "identical_frames": len(digests) == 1,
            }
        )
    report(
        "drawing",
        ["scene", "frames", "manim_subpaths_s", "ours_s", "ratio", "identical_frames"],
        rows,
        {"repeats": args.repeats, "quality": "draft"},
    )


if __name__ == "__main__":
    main()
