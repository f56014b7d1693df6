"""Which size and frame rate the default `blog` preset should use: render a scene at several
candidates and compare render time and GIF size.

    .venv/bin/python bench/blog_preset.py [scene]

A post's content column is about 700–740 px wide, so a GIF narrower than ~720 px gets
upscaled (blurry); wider ones cost bytes and render time. GIF delays are whole centiseconds,
so only 20 fps (5 cs) and 25 fps (4 cs) play at their true speed among the usual rates.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from _table import report

from scenes import CATALOGUE
from scenes.theme import DARK
from studio.encode import encode_gif
from studio.frames import render_frames

CANDIDATES = [(640, 360, 20), (768, 432, 20), (768, 432, 25), (960, 540, 20), (1280, 720, 20)]


def main(scene: str = "tangency") -> None:
    scene_class = CATALOGUE[scene].load()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tex = Path(tmp) / "tex"
        for size in CANDIDATES:
            work = Path(tmp) / "x".join(map(str, size))
            work.mkdir()
            started = time.perf_counter()
            frames = render_frames(scene_class, scene_class.Params(), DARK, size, work, tex)
            rendered = time.perf_counter() - started
            started = time.perf_counter()
            encode_gif(frames, work / "out.gif")
            encoded = time.perf_counter() - started
            rows.append(
                {
                    "size": f"{size[0]}×{size[1]}@{size[2]}",
                    "frames": frames.count,
                    "render_s": round(rendered, 1),
                    "gif_encode_s": round(encoded, 1),
                    "gif_kb": round((work / "out.gif").stat().st_size / 1024),
                }
            )
    report(
        f"blog_preset_{scene}",
        ["size", "frames", "render_s", "gif_encode_s", "gif_kb"],
        rows,
        {"scene": scene},
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
