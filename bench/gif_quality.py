"""GIF encoders compared: ours (from lossless frames) against Manim's own `--format gif`, and
the palette/dither settings we tried, on every scene.

    .venv/bin/python bench/gif_quality.py [--variants] [--budget KB] [--sizes blog,low] [scene ...]

For each scene and size (the blog preset, and `low`'s 854×480, both at 20 fps, the GIF rate),
the scene is rendered once losslessly (FFV1) and once by Manim to a GIF; each GIF's SSIM is
measured against the lossless frames (mean over frames and the worst frame), with its bytes
and encode seconds. `--variants` also runs every candidate encoder setting on the blog size;
`--budget KB` adds our GIF fitted in that many KB (`--gif-max-kb`: the settings chosen and the
SSIM at the GIF's own size and rate), written to gif_budget.json. `--webp` puts our animated
WebP (`-f webp` with its default 1024 KB budget: the settings chosen, its SSIM at its own
size and rate) beside our GIF instead of Manim's, written to webp_quality.json.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from _table import report

from scenes import CATALOGUE
from scenes.theme import DARK
from studio.encode import encode_gif, fit_gif, gif_rate
from studio.frames import manim_options, render_frames
from studio.outputs.webp import DEFAULT_KB, fit_webp

SIZES = {"blog": (768, 432, 20), "low": (854, 480, 20)}

VARIANTS = {  # name: (palettegen options, paletteuse options, gifsicle options)
    "bayer5 full": ("stats_mode=full", "dither=bayer:bayer_scale=5:diff_mode=rectangle", ["-O3"]),
    "bayer4 full": ("stats_mode=full", "dither=bayer:bayer_scale=4:diff_mode=rectangle", ["-O3"]),
    "none full": ("stats_mode=full", "dither=none:diff_mode=rectangle", ["-O3"]),
    "sierra2_4a full": ("stats_mode=full", "dither=sierra2_4a:diff_mode=rectangle", ["-O3"]),
    "none diff": ("stats_mode=diff", "dither=none:diff_mode=rectangle", ["-O3"]),
    "none full 128": ("stats_mode=full:max_colors=128", "dither=none:diff_mode=rectangle", ["-O3"]),
    "none full lossy30": (
        "stats_mode=full",
        "dither=none:diff_mode=rectangle",
        ["-O3", "--lossy=30"],
    ),
    "bayer5 full lossy30": (
        "stats_mode=full",
        "dither=bayer:bayer_scale=5:diff_mode=rectangle",
        ["-O3", "--lossy=30"],
    ),
}


def ssim(candidate: Path, reference: Path, fps: int, frames: int) -> tuple[float, float]:
    """Mean and worst-frame SSIM (all planes, yuv444p) of `candidate` against `reference`,
    both sampled at `fps`, over the first `frames` frames."""
    graph = (
        f"[0:v]fps={fps},format=yuv444p,trim=end_frame={frames}[a];"
        f"[1:v]fps={fps},format=yuv444p,trim=end_frame={frames}[b];"
        "[a][b]ssim=stats_file=-"
    )
    out = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(candidate),
            "-i",
            str(reference),
            "-lavfi",
            graph,
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = [float(v) for v in re.findall(r"All:([0-9.]+)", out)]
    return sum(values) / len(values), min(values)


def encode_variant(frames, target: Path, palette: str, use: str, gifsicle: list[str]) -> None:
    rate = gif_rate(frames.fps)
    graph = (
        f"fps={rate},split[a][b];"
        f"[a]palettegen={palette}:reserve_transparent=0[p];[b][p]paletteuse={use}"
    )
    raw = target.with_suffix(".raw.gif")
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(frames.video),
            "-lavfi",
            graph,
            "-loop",
            "0",
            str(raw),
        ],
        check=True,
    )
    subprocess.run(
        ["gifsicle", *gifsicle, "--no-warnings", str(raw), "-o", str(target)], check=True
    )


def manim_gif(scene_class, size, workdir: Path) -> Path:
    from manim import tempconfig

    with tempconfig(manim_options(workdir, "gif", size)):
        scene = scene_class()
        scene.params, scene.theme = scene_class.Params(), DARK
        scene.render()
    return next(workdir.rglob("*.gif"))


def measure(
    name: str,
    size_name: str,
    variants: bool,
    tmp: Path,
    budget: int | None = None,
    webp: bool = False,
) -> list[dict]:
    scene_class = CATALOGUE[name].load()
    size = SIZES[size_name]
    work = tmp / f"{name}-{size_name}"
    work.mkdir()
    frames = render_frames(scene_class, scene_class.Params(), DARK, size, work, tmp / "tex")
    rows = []

    def row(encoder: str, path: Path, seconds: float) -> dict:
        mean, worst = ssim(path, frames.video, gif_rate(size[2]), frames.count)
        return {
            "scene": name,
            "size": size_name,
            "encoder": encoder,
            "kb": round(path.stat().st_size / 1024),
            "ssim_mean": round(mean, 4),
            "ssim_worst": round(worst, 4),
            "encode_s": round(seconds, 1),
        }

    started = time.perf_counter()
    ours = work / "ours.gif"
    encode_gif(frames, ours)
    rows.append(row("ours", ours, time.perf_counter() - started))
    if budget is not None:
        started = time.perf_counter()
        fitted = fit_gif(frames, work / "fitted.gif", budget * 1024)
        choice = f"{fitted['colors']} colours, lossy {fitted['lossy']}, "
        choice += f"{fitted['fps'] or gif_rate(size[2])} fps, {round(100 * fitted['scale'])}%"
        rows.append(
            {
                "scene": name,
                "size": size_name,
                "encoder": f"ours in {budget} KB: {choice}",
                "kb": round(fitted["bytes"] / 1024),
                "ssim_mean": fitted["ssim"],
                "ssim_worst": "",
                "encode_s": round(time.perf_counter() - started, 1),
            }
        )
    if webp:
        started = time.perf_counter()
        fitted = fit_webp(frames, work / "ours.webp", DEFAULT_KB * 1024)
        kind = "lossless" if fitted["lossless"] else f"quality {fitted['quality']}"
        rate = fitted["fps"] or gif_rate(size[2])
        choice = f"{kind}, {rate} fps, {round(100 * fitted['scale'])}%"
        rows.append(
            {
                "scene": name,
                "size": size_name,
                "encoder": f"WebP in {DEFAULT_KB} KB: {choice}",
                "kb": round(fitted["bytes"] / 1024),
                "ssim_mean": fitted["ssim"],
                "ssim_worst": "",
                "encode_s": round(time.perf_counter() - started, 1),
            }
        )
    else:
        started = time.perf_counter()
        theirs = manim_gif(scene_class, size, work / "manim")
        seconds = time.perf_counter() - started
        rows.append(row("manim --format gif (render+encode)", theirs, seconds))
    if variants:
        for label, settings in VARIANTS.items():
            started = time.perf_counter()
            target = work / f"{label.replace(' ', '_')}.gif"
            encode_variant(frames, target, *settings)
            rows.append(row(label, target, time.perf_counter() - started))
    shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", action="store_true")
    parser.add_argument("--budget", type=int, default=None)
    parser.add_argument("--webp", action="store_true")
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("scenes", nargs="*", default=list(CATALOGUE))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.scenes:
            for size_name in args.sizes.split(","):
                variants = args.variants and size_name == "blog"
                rows += measure(name, size_name, variants, Path(tmp), args.budget, args.webp)
    columns = ["scene", "size", "encoder", "kb", "ssim_mean", "ssim_worst", "encode_s"]
    name = "gif_variants" if args.variants else "gif_budget" if args.budget else "gif_quality"
    name = "webp_quality" if args.webp else name
    report(name, columns, rows)


if __name__ == "__main__":
    main()
