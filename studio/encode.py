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

import shutil
import subprocess
from pathlib import Path

from .frames import Frames


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


def _played(frames: Frames) -> str:
    """The filter that keeps the frames a file should show (drops a looping scene's repeat)."""
    return f"trim=end_frame={frames.played},setpts=PTS-STARTPTS"


def encode_gif(frames: Frames, target: Path) -> None:
    rate = gif_rate(frames.fps)
    graph = (
        f"{_played(frames)},fps={rate},split[a][b];"
        "[a]palettegen=max_colors=256:stats_mode=full:reserve_transparent=0[p];"
        "[b][p]paletteuse=dither=none:diff_mode=rectangle"
    )
    raw = target.with_suffix(".raw.gif")
    _run(_ffmpeg("-i", str(frames.video), "-lavfi", graph, "-loop", "0", str(raw)), "GIF encoding")
    _run(["gifsicle", "-O3", "--no-warnings", str(raw), "-o", str(target)], "gifsicle")
    raw.unlink()


def _encode_video(frames: Frames, target: Path, codec: list[str], what: str) -> None:
    """Every played frame, even-sized and yuv420p (what every browser decodes)."""
    scale = "scale=trunc(iw/2)*2:trunc(ih/2)*2"
    _run(
        _ffmpeg(
            "-i",
            str(frames.video),
            "-vf",
            f"{_played(frames)},{scale}",
            *codec,
            "-pix_fmt",
            "yuv420p",
            str(target),
        ),
        what,
    )


def encode_mp4(frames: Frames, target: Path) -> None:
    """H.264, tuned for animation, with the index up front so playback starts at once."""
    codec = ["-c:v", "libx264", "-preset", "slow", "-tune", "animation", "-crf", "20"]
    _encode_video(frames, target, [*codec, "-movflags", "+faststart"], "MP4 encoding")


def encode_webm(frames: Frames, target: Path) -> None:
    """VP9 at constant quality."""
    codec = ["-c:v", "libvpx-vp9", "-crf", "34", "-b:v", "0", "-row-mt", "1", "-cpu-used", "4"]
    _encode_video(frames, target, [*codec, "-deadline", "good"], "WebM encoding")


def encode_png(frames: Frames, target: Path) -> None:
    shutil.copyfile(frames.poster, target)
