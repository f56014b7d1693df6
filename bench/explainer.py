"""The narrated explainer, measured per voice: its length and chapters, its pace (spoken
words a minute over the time speech is heard, the share of pauses of 0.3 s or more, how many
last a second or more), how its captions keep up with the speech (the worst margin between a
caption leaving and its speech ending; the caption's lead over its speech onset), how long
the last frame is held after the last word, the render time at `blog` (cold: no clip rendered
yet, the machine's LaTeX cache warm; and after editing one caption of one scene, when only
that chapter renders again and the video is re-assembled), loudness and sizes.

    .venv/bin/python bench/explainer.py [--voices espeak,piper] [--quality blog] [--keep DIR]

The edit is made in a copy of the project in a temporary folder, never in this one. --keep
copies each voice's explainer files, as rendered before the edit, into DIR/<voice>/ (to watch
what was measured).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _table import report

from studio import explainer
from studio.audio import loudness, silences
from studio.job import RenderJob, plan

ROOT = Path(__file__).resolve().parent.parent
EDITED = "tangency"  # the scene whose first caption the edit changes
PAUSE = 0.3  # seconds of silence that count as a pause
QUIET_DB = -40  # below this the voice is silent


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


def spoken_words(quality: str, voice: str, out: Path) -> int:
    """Words the voice says over the whole explainer rendered into `out`: each clip's spoken
    lines of the segments it played (its manifest's cues; a card clip plays one card of
    the script, a scene may skip a beat its problem does not reach)."""
    template = RenderJob(explainer.NAME, quality=quality, formats=("mp4",), voice=voice, out=out)
    parts = explainer.chapters(template)
    words = 0
    for clip in explainer.clip_jobs(parts):
        played = {c["id"] for c in json.loads(clip.manifest_path.read_text())["cues"]}
        lines = plan(dataclasses.replace(clip, voice="none")).lines
        words += sum(len(line.spoken.split()) for i, line in lines.items() if i in played)
    return words


def sounds(video: Path, length: float) -> list[tuple[float, float]]:
    """The stretches where the voice is heard: between the pauses."""
    gaps = silences(video, QUIET_DB, PAUSE)
    edges = [0.0, *(t for gap in gaps for t in gap), length]
    pairs = list(zip(edges[::2], edges[1::2], strict=False))
    return [(a, b) for a, b in pairs if b - a > 1e-3]


def caption_margins(cues: list[dict], heard: list[tuple[float, float]]) -> tuple[float, float]:
    """(worst: the smallest time a caption stays after its speech ends — negative if it leaves
    early; the smallest lead of a caption over its speech's onset)."""
    by_segment: dict[str, list[dict]] = {}
    for cue in cues:
        by_segment.setdefault(cue["id"], []).append(cue)
    starts = sorted(c[0]["start"] for c in by_segment.values())
    margins, leads = [], []
    for parts in by_segment.values():
        start, end = parts[0]["start"], parts[-1]["end"]
        later = [s for s in starts if s > start + 1e-6]
        until = later[0] if later else float("inf")
        inside = [(a, b) for a, b in heard if start - 0.05 <= a < until]
        if inside:
            margins.append(end - max(b for _, b in inside))
            leads.append(inside[0][0] - start)
    return min(margins), min(leads)


def main() -> None:
    voices = option("--voices", "espeak,piper").split(",")
    quality = option("--quality", "blog")
    keep = option("--keep", "")
    rows, details = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(
            ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "media", "__pycache__")
        )
        for voice in voices:
            out = Path(tmp) / f"out-{voice}"
            cold = render(project, out, quality, voice)
            m = json.loads((out / "explainer.json").read_text())
            video, length = out / "explainer.mp4", m["duration_s"]
            heard = sounds(video, length)
            speech = sum(b - a for a, b in heard)
            words = spoken_words(quality, voice, out)
            pauses = [b - a for a, b in silences(video, QUIET_DB, PAUSE)]
            worst, lead = caption_margins(m["cues"], heard)
            marks = [c["start"] for c in m["results"]["chapters"]] + [length]
            if keep:
                kept = Path(keep) / voice
                kept.mkdir(parents=True, exist_ok=True)
                for file in out.glob(f"{explainer.NAME}*"):
                    if file.is_file():
                        shutil.copy2(file, kept)
            chapters = [round(b - a, 1) for a, b in itertools.pairwise(marks)]
            edit_one_caption(project)
            edited = render(project, out, quality, voice)
            shutil.copy2(ROOT / "narration" / f"{EDITED}.toml", project / "narration")
            rows.append(
                {
                    "voice": voice,
                    "length": f"{int(length // 60)}:{round(length % 60):02d}",
                    "words/min spoken": round(words / (speech / 60)),
                    "pauses ≥0.3 s": f"{100 * sum(pauses) / length:.0f} %",
                    "pauses ≥1 s": sum(p >= 1.0 for p in pauses),
                    "caption after speech, worst s": round(worst, 2),
                    "caption lead min s": round(lead, 2),
                    "held after last word s": round(length - heard[-1][1], 1),
                    "shortest chapter s": min(chapters),
                    "cold s": round(cold, 1),
                    "one edit s": round(edited, 1),
                    "LUFS": loudness(video),
                    "mp4 MB": round(m["bytes"]["mp4"] / 2**20, 1),
                }
            )
            details[voice] = {
                "spoken words": words,
                "speech seconds": round(speech, 1),
                "chapters": dict(
                    zip((c["title"] for c in m["results"]["chapters"]), chapters, strict=True)
                ),
            }
    report(
        "explainer",
        list(rows[0]),
        rows,
        {"quality": quality, "edited scene": EDITED, "details": details},
    )
    print(json.dumps(details, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
