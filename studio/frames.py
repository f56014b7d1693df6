"""Render a scene's frames losslessly: every frame Manim draws streams into ffmpeg as FFV1
(lossless RGB), and the last frame is kept as a PNG. Encoders read from that intermediate,
never from a lossy one."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

INTERMEDIATE = "frames.mkv"
POSTER = "poster.png"


@dataclass(frozen=True)
class Frames:
    """What a render left in its work directory."""

    video: Path | None  # lossless FFV1 of every frame (None for a still-only render)
    poster: Path  # the final frame
    count: int  # frames rendered
    fps: int
    loops: bool = False  # the last frame repeats the first (a seamless loop)

    @property
    def played(self) -> int:
        """Frames a looping file shows: all but a last frame that repeats the first."""
        return self.count - 1 if self.loops and self.count > 1 else self.count


def lossless_writer(workdir: Path) -> type:
    """A SceneFileWriter class whose frames go to `workdir`/frames.mkv and whose still goes
    to `workdir`/poster.png (Manim's own testing swaps writers the same way)."""
    from manim.scene.scene_file_writer import SceneFileWriter

    class LosslessFrames(SceneFileWriter):
        encoder: subprocess.Popen | None = None
        count = 0
        last: np.ndarray | None = None

        def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
            if self.encoder is None:
                self.encoder = _start_ffv1(workdir / INTERMEDIATE, pixels.shape)
            data = np.ascontiguousarray(pixels).tobytes()
            for _ in range(repeat):
                self.encoder.stdin.write(data)
            self.count += repeat
            self.last = pixels

        def finish(self) -> None:
            if self.encoder is not None:
                _close(self.encoder)
            if self.last is not None:
                self.save_image(self.last)

        def save_image(self, pixels: np.ndarray) -> None:
            Image.fromarray(np.asarray(pixels)).convert("RGB").save(workdir / POSTER)

        def abort(self) -> None:
            if self.encoder is not None and self.encoder.poll() is None:
                self.encoder.kill()
                self.encoder.wait()

    return LosslessFrames


def _start_ffv1(target: Path, shape: tuple[int, ...]) -> subprocess.Popen:
    from manim import config

    height, width = shape[:2]
    cmd = [
        "ffmpeg",
        "-v",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgba",
        "-s",
        f"{width}x{height}",
        "-r",
        str(config.frame_rate),
        "-i",
        "-",
        "-c:v",
        "ffv1",
        "-level",
        "3",
        "-slices",
        "4",
        "-pix_fmt",
        "bgr0",
        str(target),
    ]
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)


def _close(encoder: subprocess.Popen) -> None:
    encoder.stdin.close()
    err = encoder.stderr.read().decode(errors="replace").strip()
    if encoder.wait() != 0:
        raise RuntimeError(f"ffmpeg could not write the lossless frames: {err.splitlines()[-1:]}")


def manim_options(
    media_dir: Path,
    fmt: str,
    size: tuple[int, int, int],
    tex_dir: Path | None = None,
    verbose: bool = False,
) -> dict[str, Any]:
    """tempconfig options for an uncached Manim render of `fmt` at size = (width, height,
    fps) into `media_dir`, quiet unless `verbose`: the one copy of our Manim settings."""
    options = {
        "media_dir": str(media_dir),
        "format": fmt,
        "pixel_width": size[0],
        "pixel_height": size[1],
        "frame_rate": size[2],
        "disable_caching": True,
        "verbosity": "INFO" if verbose else "ERROR",
        "progress_bar": "display" if verbose else "none",
    }
    if tex_dir is not None:
        options["tex_dir"] = str(tex_dir)
    return options


def render_frames(
    scene_class: type,
    params: Any,
    theme: Any,
    size: tuple[int, int, int],
    workdir: Path,
    tex_dir: Path,
    solution: Any = None,
    still: bool = False,
    verbose: bool = False,
) -> Frames:
    """Render `scene_class` with `params` (and their `solution`; None: the scene solves)
    and `theme` at size = (width, height, fps) into `workdir`, compiling LaTeX in (and
    reusing it from) `tex_dir`. A still renders only the final frame (Manim skips the
    animations)."""
    from manim import tempconfig
    from manim.renderer.cairo_renderer import CairoRenderer

    fmt = "png" if still else "png-sequence"
    with tempconfig(manim_options(workdir / "manim", fmt, size, tex_dir, verbose)):
        writer = lossless_writer(workdir)
        scene = scene_class(renderer=CairoRenderer(file_writer_class=writer))
        scene.params, scene.solution, scene.theme = params, solution, theme
        try:
            scene.render()
        except BaseException:
            started = getattr(scene.renderer, "file_writer", None)
            if started is not None:
                started.abort()
            raise
        count = scene.renderer.file_writer.count
    video = None if still else workdir / INTERMEDIATE
    return Frames(video, workdir / POSTER, max(count, 1), size[2], scene_class.loops)
