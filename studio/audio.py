"""The narration track: every segment's speech placed where its beat started on the scene's
clock, then muxed into the video with ffmpeg (the video stream copied, the audio encoded by
the format's codec). Manim's own add_sound is never used."""

from __future__ import annotations

import re
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


def _filter_log(path: Path, audio_filter: str) -> str:
    """What ffmpeg's `audio_filter` says (on stderr) about `path`'s sound."""
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", audio_filter]
    return subprocess.run([*cmd, "-f", "null", "-"], capture_output=True, text=True).stderr


def loudness(path: Path) -> float:
    """Integrated loudness (LUFS) of `path` by ffmpeg's EBU R128 meter."""
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", _filter_log(path, "ebur128"))[-1])


def silences(path: Path, noise_db: float, min_silence: float) -> list[tuple[float, float]]:
    """The silences in `path` (below `noise_db` for at least `min_silence` s), as (start,
    end) seconds; one that runs to the end of the file ends at its duration."""
    log = _filter_log(path, f"silencedetect=noise={noise_db:g}dB:d={min_silence:g}")
    starts = [float(x) for x in re.findall(r"silence_start: (-?[\d.]+)", log)]
    ends = [float(x) for x in re.findall(r"silence_end: ([\d.]+)", log)]
    if len(ends) < len(starts):
        probe = subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "csv=p=0",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        ends.append(float(probe.stdout))
    return list(zip(starts, ends, strict=True))


def speech_onsets(path: Path, noise_db: float, min_silence: float, lead: float) -> list[float]:
    """Where speech starts in `path` (seconds): the ends of silences (below `noise_db` for at
    least `min_silence` s), and 0 when the sound starts within `lead` s."""
    log = _filter_log(path, f"silencedetect=noise={noise_db:g}dB:d={min_silence:g}")
    starts = [float(x) for x in re.findall(r"silence_start: ([\d.]+)", log)]
    ends = [float(x) for x in re.findall(r"silence_end: ([\d.]+)", log)]
    return ([0.0] if not starts or starts[0] > lead else []) + ends
