"""Render a scene's frames: every frame Manim draws streams into ffmpeg, as FFV1 (lossless
RGB) for the encoders that read the frames afterwards (never from a lossy intermediate), and
straight into the videos that need nothing else; the poster frame is kept as a PNG."""

from __future__ import annotations

import bisect
import dataclasses
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

FRAMES = "frames"  # frames.mkv (lossless), frames.mp4, … (studio.frames.render_frames)
BLOCK = "block-{:05d}"  # a block of a shared render's frames (studio.frames.Share): .mkv, …
POSTER = "poster.png"


@dataclass(frozen=True)
class Frames:
    """What a render left in its work directory."""

    video: Path | None  # lossless FFV1 of every frame (None for a still-only render)
    poster: Path  # the final frame
    count: int  # frames rendered
    fps: int
    loops: bool = False  # the frame after the last would be the first (a seamless loop)
    timeline: tuple = ()  # the script segments as they played (scenes.base.Spoken)
    readouts: dict[int, dict] = dataclasses.field(default_factory=dict)  # by frame (-f html)
    layout: dict[str, Any] = dataclasses.field(default_factory=dict)  # the manifest's `layout`
    figure: Any = None  # -f html: studio.interactive.Figure, set by the job before encoding
    streamed: dict[str, Path] = dataclasses.field(default_factory=dict)  # videos, by extension


@dataclass(frozen=True)
class Share:
    """Which frames one of `workers` processes draws: the frames are cut into blocks before
    each frame in `cuts` (ascending; the last block runs to the end), dealt out in turn
    (block b goes to worker b mod workers). Worker 0 of 1 draws all."""

    worker: int = 0
    workers: int = 1
    cuts: tuple[int, ...] = ()

    @classmethod
    def even(cls, worker: int, workers: int, frames: int) -> Share:
        """Worker w of n draws the w-th of n equal runs of `frames` frames."""
        return cls(worker, workers, tuple(frames * w // workers for w in range(1, workers)))

    def block(self, frame: int) -> int:
        return bisect.bisect_right(self.cuts, frame)

    def draws(self, frame: int) -> bool:
        return self.block(frame) % self.workers == self.worker

    def runs(self, start: int, frames: int) -> dict[int, int]:
        """Of the frames start … start + frames − 1, how many this worker draws, by block."""
        found: dict[int, int] = {}
        for i in range(start, start + frames):
            if self.draws(i):
                block = self.block(i)
                found[block] = found.get(block, 0) + 1
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


def frame_writer(outputs: Callable[[int], list[str]], poster: Path) -> type:
    """A SceneFileWriter class whose frames of block b go to the ffmpeg outputs `outputs(b)`
    (one ffmpeg while they stay the same) and whose still goes to `poster` (Manim's own
    testing swaps writers the same way)."""
    from manim import config
    from manim.scene.scene_file_writer import SceneFileWriter

    class FramesToFfmpeg(SceneFileWriter):
        encoder: subprocess.Popen | None = None
        args: list[str] | None = None
        count = 0
        last: np.ndarray | None = None

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.finishing: list[subprocess.Popen] = []  # closed: flushing an earlier block

        def write_frame(self, pixels: np.ndarray, *, repeat: int = 1, block: int = 0) -> None:
            if self.encoder is None or outputs(block) != self.args:
                if self.encoder is not None:  # it finishes while the next block is drawn
                    _close(self.encoder)
                    self.finishing.append(self.encoder)
                self.args = outputs(block)
                self.encoder = _start_ffmpeg(self.args, pixels.shape, config.frame_rate)
            data = np.ascontiguousarray(pixels).tobytes()
            try:
                for _ in range(repeat):
                    self.encoder.stdin.write(data)
            except BrokenPipeError:  # ffmpeg stopped (a full disk, …): say why
                _close(self.encoder)
                _wait(self.encoder)
                raise RuntimeError("ffmpeg stopped taking the frames") from None
            self.count += repeat
            self.last = pixels

        def finish(self) -> None:
            if self.encoder is not None:
                _close(self.encoder)
                self.finishing.append(self.encoder)
            for encoder in self.finishing:
                _wait(encoder)
            if self.last is not None:
                self.save_image(self.last)

        def save_image(self, pixels: np.ndarray) -> None:
            Image.fromarray(np.asarray(pixels)).convert("RGB").save(poster)

        def abort(self) -> None:
            for encoder in [*self.finishing, self.encoder]:
                if encoder is not None and encoder.poll() is None:
                    encoder.kill()
                    encoder.wait()

    return FramesToFfmpeg


def ffv1_output(target: Path) -> list[str]:
    """ffmpeg output arguments for lossless RGB frames (FFV1) in `target` (.mkv)."""
    return ["-c:v", "ffv1", "-level", "3", "-slices", "4", "-pix_fmt", "bgr0", str(target)]


def _start_ffmpeg(outputs: list[str], shape: tuple[int, ...], fps: int) -> subprocess.Popen:
    """An ffmpeg writing RGBA frames of `shape` (height, width, …) at `fps` to `outputs`
    (output arguments, each output ending in its file)."""
    height, width = shape[:2]
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgba"]
    cmd += ["-s", f"{width}x{height}", "-r", str(fps), "-i", "-", *outputs]
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)


def _close(encoder: subprocess.Popen) -> None:
    """Close an ffmpeg's input; if it has stopped reading, `_wait` says why."""
    try:
        encoder.stdin.close()
    except BrokenPipeError:
        pass


def _wait(encoder: subprocess.Popen) -> None:
    """Wait for an ffmpeg whose input is closed; raises with its last line if it failed."""
    err = encoder.stderr.read().decode(errors="replace").strip()
    if encoder.wait() != 0:
        last = err.splitlines()[-1] if err else f"exit status {encoder.returncode}"
        raise RuntimeError(f"ffmpeg could not write the frames: {last}")


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
    streams: dict[str, list[str]] | None = None,
    lossless: bool = True,
) -> Frames:
    """Render `scene_class` with `params` (and their `solution`; None: the scene solves),
    its beats paced by `pacing` (None: by reading time alone) and `theme` at size = (width,
    height, fps) into `workdir`, compiling LaTeX in (and reusing it from) `tex_dir`. A still
    renders only the final frame (Manim skips the animations). The frames go, as they are
    drawn, to an FFV1 file (if `lossless`) and to the videos `streams` (file extension →
    ffmpeg output arguments but the file): `frames.<ext>`. With a `share` of several
    workers, only that worker's frames are drawn, into a set of files per block
    (`block-<n>.<ext>`; the poster into poster-<worker>.png): `join_shares` joins them."""
    from manim import tempconfig

    from .texcache import install

    install()
    alone = share.workers == 1
    poster = workdir / (POSTER if alone else f"poster-{share.worker}.png")
    streams = streams or {}
    if not (lossless or streams or still):
        raise ValueError("render_frames: the frames go nowhere (neither lossless nor streams)")

    def outputs(block: int) -> list[str]:
        stem = workdir / (FRAMES if alone else BLOCK.format(block))
        args = ffv1_output(stem.with_suffix(".mkv")) if lossless else []
        for extension, codec in streams.items():
            args += [*codec, str(stem.with_suffix(f".{extension}"))]
        return args

    fmt = "png" if still else "png-sequence"
    with tempconfig(manim_options(workdir / "manim", fmt, size, tex_dir, verbose)):
        scene = scene_class(renderer=share_renderer(share, frame_writer(outputs, poster))())
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
    timeline, readouts = tuple(scene.timeline), scene.renderer.readouts
    frames = Frames(
        None,
        poster,
        max(count, 1),
        size[2],
        scene_class.loops,
        timeline,
        readouts,
        layout=scene.layout_report(size[0]),
    )
    if still or not alone:  # a share's blocks: join_shares
        return frames
    videos = {extension: workdir / f"{FRAMES}.{extension}" for extension in streams}
    return dataclasses.replace(
        frames, video=workdir / f"{FRAMES}.mkv" if lossless else None, streamed=videos
    )


def _remux(*args: str) -> None:
    """ffmpeg copying streams (nothing decoded); raises CalledProcessError."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, capture_output=True)


def join_shares(
    parts: list[Frames], share: Share, workdir: Path, streams=(), lossless: bool = True
) -> Frames:
    """The workers' blocks (parts[w] drawn with `share` for worker w, each block a set of
    files in `workdir`: FFV1 if `lossless`, and a video of each extension in `streams`) as
    one file of each, frame for frame what one worker would have written, without decoding:
    stream copy in block order (FFV1's timestamps set to frame / fps as one writer would
    have stamped them). The poster is the last block's worker's."""
    first = parts[0]
    fps, n = first.fps, len(parts)
    blocks = sorted({share.block(i) for i in range(first.count)})
    joined = {}
    for extension in (["mkv"] if lossless else []) + list(streams):
        order = [workdir / f"{BLOCK.format(b)}.{extension}" for b in blocks]
        missing = [path for path in order if not path.exists()]
        if missing:
            raise RuntimeError(f"joining the workers' frames failed: {missing[0].name} is missing")
        listing = workdir / f"blocks-{extension}.txt"
        listing.write_text("".join(f"file '{path.name}'\n" for path in order))
        joined[extension] = target = workdir / f"{FRAMES}.{extension}"
        if extension == "mkv":  # intra-only: packet n is frame n
            flags = ["-bsf:v", f"setts=ts=round(N/({fps}*TB)):duration=0"]
        else:  # the encoders' own timestamps; an MP4's index up front again
            flags = ["-movflags", "+faststart"] if extension == "mp4" else []
        _remux("-f", "concat", "-i", str(listing), "-c", "copy", *flags, str(target))
        for path in order:
            path.unlink()
    readouts = {i: now for part in parts for i, now in part.readouts.items()}
    return dataclasses.replace(
        first,
        video=joined.pop("mkv", None),
        streamed=joined,
        poster=parts[blocks[-1] % n].poster,
        readouts=readouts,
    )
