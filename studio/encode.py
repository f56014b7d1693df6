"""Encoders: from the lossless frames to the files a blog embeds (`studio.formats` lists
them as formats).

GIF: one 256-colour palette computed from all the frames, applied without dithering (flat
vector art needs none: measured in bench/gif_quality.py against Bayer and Sierra dithering,
diff statistics, 128 colours and gifsicle --lossy), then gifsicle -O3; at a frame rate whose
GIF delay is a whole number of centiseconds (browsers round other delays, and turn delays
<= 1 cs into 10 cs). MP4 (H.264, yuv420p,
+faststart) and WebM (VP9) for <video>. PNG: the final frame.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

from .captions import band_height
from .frames import Frames, ffv1_output


class EncodeError(RuntimeError):
    """An encoder failed; the message carries its last line of output."""


def same_rate(fps: int) -> int:
    """Videos play every frame at the render's rate."""
    return fps


def gif_rate(fps: int) -> int:
    """20 or 25 fps (GIF delays of exactly 5 or 4 cs): 20 where it divides the source rate
    (60 → every third frame) or the source is slower, else 25 (30 → drop one frame in six)."""
    return 20 if fps % 20 == 0 or fps < 20 else 25


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(no output)"]
        raise EncodeError(f"{what} failed: {last[0]}")


def _ffmpeg(*args: str) -> list[str]:
    return ["ffmpeg", "-v", "error", "-y", *args]


@dataclasses.dataclass(frozen=True)
class GifSettings:
    """How a GIF is made: palette size, gifsicle's lossy level (0: lossless LZW), frame rate
    (None: `gif_rate` of the render's) and size (a share of the render's width)."""

    colors: int = 256
    lossy: int = 0
    fps: int | None = None
    scale: float = 1.0

    def describe(self) -> dict:
        return dataclasses.asdict(self)

    def filters(self, fps: int) -> str:
        """ffmpeg filters of the frames: the GIF's rate, then its size."""
        rate = f"fps={self.fps or gif_rate(fps)}"
        if self.scale == 1:
            return rate
        return f"{rate},scale=trunc(iw*{self.scale}/2)*2:-2:flags=lanczos"


# From the best picture down, each step giving up a little more (measured on the 3D spin and
# kkt_slackness in bench/gif_budget.py): lossy LZW first (barely visible on flat art), then
# fewer colours, then half the frame rate (10 fps: 10 cs delays, still exact), then size.
GIF_LADDER = (
    GifSettings(),
    GifSettings(lossy=30),
    GifSettings(lossy=60),
    GifSettings(colors=128, lossy=80),
    GifSettings(colors=128, lossy=80, fps=10),
    GifSettings(colors=128, lossy=100, fps=10, scale=0.75),
    GifSettings(colors=64, lossy=120, fps=10, scale=0.75),
    GifSettings(colors=64, lossy=150, fps=10, scale=0.5),
)


def encode_gif(frames: Frames, target: Path, settings: GifSettings = GifSettings()) -> None:
    graph = (
        f"{settings.filters(frames.fps)},split[a][b];"
        f"[a]palettegen=max_colors={settings.colors}:stats_mode=full:reserve_transparent=0[p];"
        "[b][p]paletteuse=dither=none:diff_mode=rectangle"
    )
    raw = target.with_suffix(".raw.gif")
    _run(_ffmpeg("-i", str(frames.video), "-lavfi", graph, "-loop", "0", str(raw)), "GIF encoding")
    lossy = [f"--lossy={settings.lossy}"] if settings.lossy else []
    _run(["gifsicle", "-O3", *lossy, "--no-warnings", str(raw), "-o", str(target)], "gifsicle")
    raw.unlink()


def gif_ssim(frames: Frames, gif: Path, settings: GifSettings) -> float:
    """Mean SSIM of `gif` against the lossless frames it was made from (at the GIF's rate
    and size)."""
    reference = f"[1:v]{settings.filters(frames.fps)},format=rgb24[ref]"
    graph = f"{reference};[0:v]format=rgb24[gif];[gif][ref]ssim"
    cmd = ["ffmpeg", "-i", str(gif), "-i", str(frames.video), "-lavfi", graph, "-f", "null", "-"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    found = [line for line in done.stderr.splitlines() if "SSIM" in line and "All:" in line]
    if done.returncode != 0 or not found:
        raise EncodeError("measuring the GIF's SSIM failed")
    return float(found[-1].split("All:")[1].split()[0])


def fit_gif(frames: Frames, target: Path, max_bytes: int) -> dict:
    """The best GIF of `frames` that fits in `max_bytes`: the first settings of GIF_LADDER
    whose file does; returns what was chosen, its size and its SSIM (for the manifest).
    Raises EncodeError when even the smallest does not fit."""
    for settings in GIF_LADDER:
        encode_gif(frames, target, settings)
        size = target.stat().st_size
        if size <= max_bytes:
            ssim = round(gif_ssim(frames, target, settings), 4)
            return {**settings.describe(), "bytes": size, "ssim": ssim, "budget": max_bytes}
    raise EncodeError(
        f"no GIF of this scene fits in {max_bytes // 1024} KB (the smallest tried is "
        f"{size // 1024} KB): raise --gif-max-kb, or embed the WebM/MP4"
    )


# x264's medium preset: measured against slow on the 3D turn (low) and tangency (blog), the
# same SSIM (0.9927, 0.9851) and size (+1.6 %, −0.7 %) in 70–88 % of the encoding time
MP4 = ("-c:v", "libx264", "-preset", "medium", "-tune", "animation", "-crf", "20")
MP4 += ("-movflags", "+faststart")  # the index up front: playback starts at once
WEBM = ("-c:v", "libvpx-vp9", "-crf", "34", "-b:v", "0", "-row-mt", "1", "-cpu-used", "4")
WEBM += ("-deadline", "good")


def video_output(codec: tuple[str, ...]) -> list[str]:
    """ffmpeg output arguments (but the file) for a browser video: the frames even-sized and
    yuv420p (what every browser decodes), encoded with `codec`."""
    return ["-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", *codec, "-pix_fmt", "yuv420p"]


def encode_video(frames: Frames, target: Path, codec: tuple[str, ...], what: str) -> None:
    """Every frame of `frames` as a browser video."""
    _run(_ffmpeg("-i", str(frames.video), *video_output(codec), str(target)), what)


def encode_mp4(frames: Frames, target: Path) -> None:
    """H.264, tuned for animation."""
    encode_video(frames, target, MP4, "MP4 encoding")


def encode_webm(frames: Frames, target: Path) -> None:
    """VP9 at constant quality."""
    encode_video(frames, target, WEBM, "WebM encoding")


def encode_png(frames: Frames, target: Path) -> None:
    shutil.copyfile(frames.poster, target)


def burn_captions(frames: Frames, ass: Path, height: int, background: str, target: Path) -> Frames:
    """`frames` (`height` rows) with a band below the picture, in the scene's background
    colour, and the captions of the ASS script `ass` burnt into it (libass); still lossless."""
    band = f"pad=iw:ih+{band_height(height)}:0:0:color=0x{background.lstrip('#')}"
    escaped = str(ass).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")
    _run(
        _ffmpeg(
            *("-i", str(frames.video), "-vf", f"{band},ass='{escaped}'"),
            *ffv1_output(target),
        ),
        "burning in the captions",
    )
    return dataclasses.replace(frames, video=target)
