"""The narration track: every segment's speech placed where its beat started on the scene's
clock, then muxed into the video with ffmpeg (the video stream copied, the audio encoded by
the format's codec). Manim's own add_sound is never used."""

from __future__ import annotations

import subprocess
import wave
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .voice import RATE


def speech_track(placed: Iterable[tuple[float, Path]], seconds: float, target: Path) -> None:
    """A 48 kHz mono 16-bit WAV `seconds` long with each (start, clip) at its start."""
    track = np.zeros(round(seconds * RATE), dtype=np.int32)
    for start, clip in placed:
        with wave.open(str(clip)) as w:
            samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        at = round(start * RATE)
        piece = samples[: max(len(track) - at, 0)]
        track[at : at + len(piece)] += piece
    with wave.open(str(target), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.clip(track, -32768, 32767).astype("<i2").tobytes())


def mux(
    video: Path, track: Path, codec: tuple[str, ...], target: Path, chapters: Path | None = None
) -> None:
    """`video` with `track` as its sound, the picture copied as it is; with an FFMETADATA
    file `chapters`, its chapters too."""
    inputs = ["-i", str(video), "-i", str(track)]
    if chapters is not None:
        inputs += ["-i", str(chapters)]
    cmd = [
        *("ffmpeg", "-v", "error", "-y", *inputs),
        *("-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", *codec),
        *("-map_chapters", "2" if chapters is not None else "0", "-shortest", str(target)),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"muxing the narration failed: {done.stderr.strip()[-300:]}")
