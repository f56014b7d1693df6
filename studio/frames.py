"""Render a scene's frames losslessly: every frame Manim draws streams into ffmpeg as FFV1
(lossless RGB), and the last frame is kept as a PNG. Encoders read from that intermediate,
never from a lossy one."""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

INTERMEDIATE = "frames.mkv"
BLOCK = "block-{:05d}.mkv"  # one block of a shared render's frames (studio.frames.Share)
POSTER = "poster.png"


@dataclass(frozen=True)
class Frames:
    """What a render left in its work directory."""

    video: Path | None  # lossless FFV1 of every frame (None for a still-only render)
    poster: Path  # the final frame
    count: int  # frames rendered
    fps: int
    loops: bool = False  # the last frame repeats the first (a seamless loop)
    timeline: tuple = ()  # the script segments as they played (scenes.base.Spoken)
    readouts: dict[int, dict] = dataclasses.field(default_factory=dict)  # by frame (-f html)
    figure: Any = None  # -f html: studio.interactive.Figure, set by the job before encoding

    @property
    def played(self) -> int:
        """Frames a looping file shows: all but a last frame that repeats the first."""
        return self.count - 1 if self.loops and self.count > 1 else self.count


@dataclass(frozen=True)
class Share:
    """Which frames one of `workers` processes draws: blocks of `block` consecutive frames,
    dealt out in turn (block b goes to worker b mod workers). Worker 0 of 1 draws all."""

    worker: int = 0
    workers: int = 1
    block: int = 24

    def draws(self, frame: int) -> bool:
        return (frame // self.block) % self.workers == self.worker

    def runs(self, start: int, frames: int) -> dict[int, int]:
        """Of the frames start … start + frames − 1, how many this worker draws, by block."""
        found: dict[int, int] = {}
        for i in range(start, start + frames):
            if self.draws(i):
                found[i // self.block] = found.get(i // self.block, 0) + 1
        return found


def share_renderer(share: Share, writer: type):
    """A Cairo renderer that draws only `share`'s frames and counts the others: its clock
    (`time`) is frames so far / fps, exact whatever it draws. With scenes.base's play loop,
    frames it does not draw cost neither updates nor drawing."""
    from manim.renderer.cairo_renderer import CairoRenderer

    class ShareRenderer(CairoRenderer):
        def __init__(self):
            super().__init__(file_writer_class=writer)
            self.frame = 0
            self.share = share
            self.readouts: dict[int, dict] = {}  # of the frames drawn here, when the scene has them

        def init_scene(self, scene, *args) -> None:
            super().init_scene(scene, *args)
            self.scene = scene

        def draws_next(self) -> bool:
            return self.share.draws(self.frame)

        def render(self, scene, time, moving_mobjects=None) -> None:
            if self.draws_next():
                super().render(scene, time, moving_mobjects)
            else:
                self.add_frame(None)

        def add_frame(self, frame, num_frames: int = 1) -> None:
            if self.skip_animations:
                return
            runs = self.share.runs(self.frame, num_frames)
            for block, run in runs.items():
                self.file_writer.write_frame(frame, repeat=run, block=block)
            if runs:
                if self.scene.scrub:
                    now = self.scene.frame_readouts()
                    drawn = range(self.frame, self.frame + num_frames)
                    self.readouts.update((i, now) for i in drawn if self.share.draws(i))
            self.frame += num_frames
            self.time = self.frame / self.camera.frame_rate

    return ShareRenderer


def lossless_writer(
    video: Callable[[int], Path | None], poster: Path, streams: tuple[list[str], ...] = ()
) -> type:
    """A SceneFileWriter class whose frames go to `video(block)` (FFV1: one file while that
    path stays the same; None: none), and to the ffmpeg outputs `streams` too, and whose
    still goes to `poster` (Manim's own testing swaps writers the same way)."""
    from manim import config
    from manim.scene.scene_file_writer import SceneFileWriter

    class LosslessFrames(SceneFileWriter):
        encoder: subprocess.Popen | None = None
        path: Path | None = None
        started = False
        count = 0
        last: np.ndarray | None = None

        def write_frame(self, pixels: np.ndarray, *, repeat: int = 1, block: int = 0) -> None:
            if not self.started or video(block) != self.path:
                if self.encoder is not None:
                    _close(self.encoder)
                self.path, self.started = video(block), True
                self.encoder = _start_ffv1(self.path, pixels.shape, config.frame_rate, streams)
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
            Image.fromarray(np.asarray(pixels)).convert("RGB").save(poster)

        def abort(self) -> None:
            if self.encoder is not None and self.encoder.poll() is None:
                self.encoder.kill()
                self.encoder.wait()

    return LosslessFrames


def _start_ffv1(
    target: Path | None, shape: tuple[int, ...], fps: int, streams: tuple[list[str], ...] = ()
) -> subprocess.Popen:
    """An ffmpeg writing RGBA frames of `shape` (height, width, …) at `fps` as FFV1 to
    `target` (None: not at all) and to the further outputs `streams` (ffmpeg output
    arguments, each ending in its file)."""
    lossless = ["-c:v", "ffv1", "-level", "3", "-slices", "4", "-pix_fmt", "bgr0", str(target)]
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
        str(fps),
        "-i",
        "-",
        *(lossless if target is not None else []),
        *(arg for stream in streams for arg in stream),
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
    pacing: Any = None,
    still: bool = False,
    verbose: bool = False,
    share: Share = Share(),
    streams: tuple[list[str], ...] = (),
    lossless: bool = True,
) -> Frames:
    """Render `scene_class` with `params` (and their `solution`; None: the scene solves),
    its beats paced by `pacing` (None: by reading time alone) and `theme` at size = (width,
    height, fps) into `workdir`, compiling LaTeX in (and reusing it from) `tex_dir`. A still
    renders only the final frame (Manim skips the animations). With a `share` of several
    workers, only that worker's frames are drawn, a file per block (`BLOCK`; the poster into
    poster-<worker>.png): `join_shares` puts the blocks together. Drawn alone, the frames
    also go to the ffmpeg outputs `streams` as they are drawn (videos encoded meanwhile),
    and without `lossless` only there (no FFV1 file: `Frames.video` is None)."""
    from manim import tempconfig

    from .texcache import install

    install()
    alone = share.workers == 1
    poster = workdir / (POSTER if alone else f"poster-{share.worker}.png")

    lossless = lossless or not alone or not streams

    def video(block: int) -> Path | None:
        if not lossless:
            return None
        return workdir / (INTERMEDIATE if alone else BLOCK.format(block))

    fmt = "png" if still else "png-sequence"
    with tempconfig(manim_options(workdir / "manim", fmt, size, tex_dir, verbose)):
        writer = lossless_writer(video, poster, streams if alone else ())
        scene = scene_class(renderer=share_renderer(share, writer)())
        scene.params, scene.solution, scene.pacing, scene.theme = params, solution, pacing, theme
        try:
            scene.render()
        except BaseException:
            started = getattr(scene.renderer, "file_writer", None)
            if started is not None:
                started.abort()
            raise
        count = scene.renderer.frame
    if scene.poster is not None:  # the frame the scene chose
        Image.fromarray(scene.poster).convert("RGB").save(poster)
    frames = None if still or not alone else video(0)  # a share's blocks: join_shares
    timeline, readouts = tuple(scene.timeline), scene.renderer.readouts
    return Frames(frames, poster, max(count, 1), size[2], scene_class.loops, timeline, readouts)


def _remux(*args: str) -> None:
    """ffmpeg copying streams (nothing decoded); raises CalledProcessError."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, capture_output=True)


def join_shares(parts: list[Frames], share: Share, workdir: Path) -> Frames:
    """The workers' blocks (parts[w] from Share(w, len(parts), share.block), each block a
    file in `workdir`) as one lossless video, frame for frame what one worker would have
    drawn, without decoding: stream copy in block order, every timestamp set to frame / fps
    as one writer would have stamped it. The poster is the last block's worker's."""
    first = parts[0]
    fps, total, n = first.fps, first.count, len(parts)
    blocks = -(-total // share.block)
    order = [workdir / BLOCK.format(b) for b in range(blocks)]
    missing = [path for path in order if not path.exists()]
    if missing:
        raise RuntimeError(f"joining the workers' frames failed: {missing[0].name} is missing")
    listing = workdir / "blocks.txt"
    listing.write_text("".join(f"file '{path.name}'\n" for path in order))
    target = workdir / INTERMEDIATE
    stamps = f"setts=ts=round(N/({fps}*TB)):duration=0"
    _remux("-f", "concat", "-i", str(listing), "-c", "copy", "-bsf:v", stamps, str(target))
    for path in order:
        path.unlink()
    last = parts[(blocks - 1) % n]
    readouts = {i: now for part in parts for i, now in part.readouts.items()}
    return dataclasses.replace(first, video=target, poster=last.poster, readouts=readouts)
