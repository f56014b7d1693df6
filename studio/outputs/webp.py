"""Animated WebP (ffmpeg's libwebp_anim): true colour where a GIF has 256, served first in a
<picture> with the GIF as the fallback; fitted in a budget (--webp-max-kb, 1 MB unless said).

Settings are tried from the best picture down until the file fits: lossless, lossy quality
90 and 80, then half the frame rate, then a smaller size; the manifest records the choice, its bytes
and its SSIM against the lossless frames (measured at the WebP's rate and size, its frames
decoded by Pillow, since ffmpeg does not decode animated WebP).
"""

from __future__ import annotations

import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from narration.script import page_words

from ..encode import EncodeError, _ffmpeg, _run, gif_rate
from ..frames import Frames
from ..manifest import Manifest
from ..rendered import Rendered
from .base import Image

DEFAULT_KB = 1024


@dataclass(frozen=True)
class WebpSettings:
    quality: int = 90  # libwebp's quality, 0–100 (lossless: how hard it compresses)
    lossless: bool = False
    fps: int | None = None  # None: the GIF's rate (20 or 25)
    scale: float = 1.0

    def filters(self, fps: int) -> str:
        rate = f"fps={self.fps or gif_rate(fps)}"
        if self.scale == 1:
            return rate
        return f"{rate},scale=trunc(iw*{self.scale}/2)*2:-2:flags=lanczos"


LADDER = (
    WebpSettings(75, lossless=True),  # flat vector art: often the smallest, and exact
    WebpSettings(90),
    WebpSettings(80),
    # below quality 80 thin coloured lines blur (4:2:0): half the frame rate first
    WebpSettings(90, fps=10),
    WebpSettings(80, fps=10),
    WebpSettings(70, fps=10),
    WebpSettings(80, fps=10, scale=0.75),
    WebpSettings(60, fps=10, scale=0.75),
    WebpSettings(40, fps=10, scale=0.5),
)
"""Tried in order (bench/gif_quality.py --webp: on eigen_shrinkage quality 60 at 20 fps
keeps SSIM 0.961 in 1087 KB, quality 80 at 10 fps 0.977 in 804 KB)."""


def encode_webp(frames: Frames, target: Path, settings: WebpSettings = WebpSettings()) -> None:
    lossless = "1" if settings.lossless else "0"
    args = ("-c:v", "libwebp_anim", "-lossless", lossless, "-quality", str(settings.quality))
    args += ("-compression_level", "4", "-loop", "0", "-an")
    cmd = _ffmpeg("-i", str(frames.video), "-vf", settings.filters(frames.fps), *args)
    _run([*cmd, "-f", "webp", str(target)], "WebP encoding")


def webp_ssim(frames: Frames, webp: Path, settings: WebpSettings) -> float:
    """Mean SSIM of the animated `webp` against the lossless frames it was made from."""
    from PIL import Image as Pil
    from PIL import ImageSequence

    rate = settings.fps or gif_rate(frames.fps)
    pictures, shown = [], 0.0  # a frame held longer (equal frames merged) is repeated
    with Pil.open(webp) as image:
        size = image.size
        for frame in ImageSequence.Iterator(image):
            pixels = frame.convert("RGB").tobytes()  # loads the frame, and its duration
            shown += frame.info.get("duration", 1000 / rate) * rate / 1000
            while len(pictures) < round(shown):
                pictures.append(pixels)
    reference = f"[1:v]{settings.filters(frames.fps)},format=rgb24[ref]"
    graph = f"{reference};[0:v]format=rgb24[webp];[webp][ref]ssim"
    cmd = ["ffmpeg", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{size[0]}x{size[1]}"]
    cmd += ["-r", str(rate), "-i", "-"]
    cmd += ["-i", str(frames.video), "-lavfi", graph, "-f", "null", "-"]
    done = subprocess.run(cmd, input=b"".join(pictures), capture_output=True)
    text = done.stderr.decode(errors="replace")
    found = [line for line in text.splitlines() if "SSIM" in line and "All:" in line]
    if done.returncode != 0 or not found:
        raise EncodeError("measuring the WebP's SSIM failed")
    return float(found[-1].split("All:")[1].split()[0])


def fit_webp(frames: Frames, target: Path, max_bytes: int) -> dict[str, Any]:
    """The best WebP of `frames` in `max_bytes`: the first settings of LADDER that fit."""
    size = 0
    for settings in LADDER:
        encode_webp(frames, target, settings)
        size = target.stat().st_size
        if size <= max_bytes:
            ssim = round(webp_ssim(frames, target, settings), 4)
            return {**asdict(settings), "bytes": size, "ssim": ssim, "budget": max_bytes}
    raise EncodeError(
        f"no WebP of this scene fits in {max_bytes // 1024} KB (the smallest tried is "
        f"{size // 1024} KB): raise --webp-max-kb, or embed the WebM/MP4"
    )


@dataclass(frozen=True)
class Webp(Image):
    def encode(self, rendered: Rendered, target: Path) -> dict[str, Any]:
        budget = rendered.budgets.get(self.name, DEFAULT_KB * 1024)
        return {"notes": {self.name: fit_webp(rendered.moving, target, budget)}}

    def note(self, m: Manifest) -> list[str]:
        f = m.notes.get(self.name)
        if not f:
            return []
        how = page_words(m.lang, "picture", "lossless" if f["lossless"] else "lossy", **f)
        fields = {"budget": f["budget"] // 1024, "scale": round(100 * f["scale"])}
        fps = f["fps"] or gif_rate(m.fps)
        return [
            page_words(m.lang, "picture", "webp_fit", how=how, fps=fps, ssim=f["ssim"], **fields),
            "",
        ]


WEBP = Webp("webp", "webp", "image/webp", "image", card_rank=1)
