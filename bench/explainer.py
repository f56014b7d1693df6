"""The narrated explainer, measured: its length, its render time at `blog` and `medium`
(cold: no clip rendered yet, the machine's LaTeX cache warm; and after editing one caption
of one scene, when only that chapter renders again and the video is re-assembled), the sync
between each caption cue and the onset of its speech (ffmpeg's silencedetect), the caption
figures, the loudness (ffmpeg's ebur128) and the file sizes.

    .venv/bin/python bench/explainer.py [--qualities blog,medium] [--voice espeak]

The edit is made in a copy of the project in a temporary folder, never in this one.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _table import report

from studio.audio import loudness, speech_onsets

ROOT = Path(__file__).resolve().parent.parent
EDITED = "tangency"  # the scene whose first caption the edit changes


def option(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def render(project: Path, out: Path, quality: str, voice: str) -> float:
    cmd = [sys.executable, str(project / "render.py"), "explainer", "-q", quality]
    cmd += ["--out", str(out), "--voice", voice, "--quiet"]
    started = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=project)
    return time.perf_counter() - started


def edit_one_caption(project: Path) -> None:
    script = project / "narration" / f"{EDITED}.toml"
    text = script.read_text()
    first = re.search(r'^caption = "(.*)"$', text, re.M)
    script.write_text(text.replace(first.group(0), f'caption = "{first.group(1)} Look."', 1))


def cue_starts(manifest: dict) -> list[tuple[str, float, float]]:
    return [(c["id"], c["start"], c["end"]) for c in manifest["cues"]]


def sync_errors(cues: list[tuple[str, float, float]], onsets: list[float]) -> list[float]:
    """For each cue, its speech onset minus its start (the first onset within the cue)."""
    errors = []
    for _, start, end in cues:
        inside = [t for t in onsets if start - 0.2 <= t < end]
        if inside:
            errors.append(inside[0] - start)
    return errors


def caption_lines(vtt: Path) -> list[str]:
    """The text lines of a WebVTT file (not its header, cue ids or timings)."""
    blocks = vtt.read_text().split("\n\n")[1:]
    return [line for b in blocks for line in b.splitlines()[2:]]


def main() -> None:
    qualities = option("--qualities", "blog,medium").split(",")
    voice = option("--voice", "espeak")
    rows, details = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(
            ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "media", "__pycache__")
        )
        for quality in qualities:
            out = Path(tmp) / f"out-{quality}"
            cold = render(project, out, quality, voice)
            manifest = json.loads((out / "explainer.json").read_text())
            video = out / "explainer.mp4"
            cues = cue_starts(manifest)
            errors = sync_errors(cues, speech_onsets(video, -40, 0.1, 0.05))
            fps = manifest["fps"]
            lines = caption_lines(out / "explainer.vtt")
            spans = [c["end"] - c["start"] for c in manifest["cues"]]
            cps = [len(c["text"]) / (c["end"] - c["start"]) for c in manifest["cues"]]
            edit_one_caption(project)
            edited = render(project, out, quality, voice)
            shutil.copy2(ROOT / "narration" / f"{EDITED}.toml", project / "narration")
            rows.append(
                {
                    "quality": quality,
                    "length s": round(manifest["duration_s"], 1),
                    "cold s": round(cold, 1),
                    "one edit s": round(edited, 1),
                    "cues": len(cues),
                    "sync max ms": round(1000 * max(abs(e) for e in errors), 1),
                    "sync median ms": round(1000 * statistics.median(abs(e) for e in errors), 1),
                    "frame ms": round(1000 / fps, 1),
                    "LUFS": loudness(video),
                    "mp4 KB": round(manifest["bytes"]["mp4"] / 1024),
                    "webm KB": round(manifest["bytes"]["webm"] / 1024),
                }
            )
            details[quality] = {
                "cues with a speech onset": len(errors),
                "longest caption line": max(len(x) for x in lines),
                "cue seconds min/max": [round(min(spans), 2), round(max(spans), 2)],
                "characters a second max": round(max(cps), 1),
                "chapters": (out / "explainer.chapters.txt").read_text().splitlines(),
            }
    report(
        "explainer",
        list(rows[0]),
        rows,
        {"voice": voice, "edited scene": EDITED, "captions": details},
    )
    print(json.dumps(details, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
