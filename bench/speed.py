"""Speed on every core, measured in one run (wall time of whole command lines, median of
`REPEATS`, the compared commands alternating so that the machine's state is shared):

- one scene across cores: `render.py ridge_landscape -q low -f mp4 -j 1` against `-j 2`
  (target: ≤ 0.6× the serial time on 2 cores), and the explainer at `draft` (its chapters
  side by side; run once);
- our pipeline against Manim's own: the same 854×480@15 MP4 of tangency from
  `render.py tangency -q low -f mp4 --voice none` (serial and on all cores) and from
  `manim -ql --format mp4 scenes/tangency.py Tangency` (target: ≤ 1.0×);
- LaTeX compiled once per machine: the first render with an empty cache against a second
  render into a fresh output folder.

    .venv/bin/python bench/speed.py [--repeats N]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _table import report

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANIM = str(Path(PYTHON).parent / "manim")


def seconds(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=cwd or ROOT)
    return time.perf_counter() - started


def ours(scene: str, out: Path, *args: str) -> list[str]:
    return [PYTHON, str(ROOT / "render.py"), scene, "--out", str(out), "--force", "--quiet", *args]


def row(comparison: str, baseline: float, ours: float, target: str) -> dict:
    """A table row: both medians (seconds, unless the comparison says otherwise) and their
    ratio."""
    return {
        "comparison": comparison,
        "baseline": round(baseline, 2),
        "ours": round(ours, 2),
        "ratio": round(ours / baseline, 3),
        "target": target,
    }


def compare(commands: dict[str, list[str]], repeats: int) -> dict[str, float]:
    """Median wall time of each command, run in turn `repeats` times."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, cmd in commands.items():
            times[name].append(seconds(cmd))
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 3
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # warm the machine's LaTeX cache for both pipelines
        subprocess.run(ours("tangency", tmp / "warm", "-q", "draft", "-f", "png"), check=True)

        low = ["-q", "low", "-f", "mp4", "--voice", "none"]
        t = compare(
            {
                "serial": ours("ridge_landscape", tmp / "a", *low, "-j", "1"),
                "2 cores": ours("ridge_landscape", tmp / "b", *low, "-j", "2"),
            },
            repeats,
        )
        rows.append(
            row("ridge_landscape low mp4: 2 cores vs serial", t["serial"], t["2 cores"], "≤ 0.6")
        )
        kb = [(tmp / d / "ridge_landscape.mp4").stat().st_size / 1024 for d in "ab"]
        rows.append(
            row("ridge_landscape low mp4, KB: 2 cores vs serial", *kb, "(one key frame more)")
        )

        draft = ["-q", "draft", "--voice", "espeak"]  # once: the whole explainer is long
        t = compare(
            {
                "serial": ours("explainer", tmp / "e1", *draft, "-j", "1"),
                "2 cores": ours("explainer", tmp / "e2", *draft, "-j", "2"),
            },
            1,
        )
        rows.append(
            row("explainer draft (once): 2 cores vs serial", t["serial"], t["2 cores"], "≤ 0.6")
        )

        manim = [MANIM, "-ql", "--format", "mp4", "--disable_caching", "--media_dir"]
        t = compare(
            {
                "manim": [*manim, str(tmp / "m"), "scenes/tangency.py", "Tangency"],
                "ours serial": ours("tangency", tmp / "c", *low, "-j", "1"),
                "ours 2 cores": ours("tangency", tmp / "d", *low, "-j", "2"),
            },
            repeats,
        )
        for name in ("ours serial", "ours 2 cores"):
            label = f"tangency 854×480@15 mp4: {name} vs manim -ql"
            rows.append(row(label, t["manim"], t[name], "≤ 1.0"))

        cold, warm = [], []
        for i in range(repeats):
            env = {**os.environ, "XDG_CACHE_HOME": str(tmp / f"xdg{i}")}
            gif = ["-j", "1"]
            cold.append(seconds(ours("tangency", tmp / f"cold{i}", *gif), env))
            warm.append(seconds(ours("tangency", tmp / f"warm{i}", *gif), env))
        label = "tangency blog gif: warm LaTeX cache vs empty"
        cold_s, warm_s = statistics.median(cold), statistics.median(warm)
        rows.append(row(label, cold_s, warm_s, "(new folder, same machine)"))
    report(
        "speed",
        ["comparison", "baseline", "ours", "ratio", "target"],
        rows,
        {"cores": os.cpu_count(), "repeats": repeats},
    )


if __name__ == "__main__":
    main()
