"""One render: a job is validated into a plan (parameters and the one solution the scene
draws), rendered into a temporary folder, encoded, described by its manifest, and moved into
place only when all of it succeeded.

One solve per render: `plan` solves; the scene draws that solution and the manifest's
`results` are computed from the same object.

Atomicity: outputs are written under <out>/.cache/tmp/ and moved into <out> with os.replace
(atomic on one file system), the manifest last; a failed or interrupted job removes its
temporary folder and leaves the previous files untouched. A manifest names the inputs hash of
exactly the files it lists, so a job cut off between two moves is seen as stale next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import traceback
import uuid
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from scenes import CATALOGUE, SceneEntry

from .embed import embed_snippets
from .formats import FORMATS, stills_only
from .manifest import Manifest
from .params import build, describe
from .presets import DEFAULT_QUALITY, QUALITIES, Quality
from .sources import ROOT, project_files

CACHE = ".cache"
PIPELINE = ("studio.frames", "studio.formats", "studio.embed", "studio.manifest")
"""The modules that turn a scene into files: their sources are part of every cache key."""


@dataclass(frozen=True)
class RenderJob:
    scene: str
    overrides: dict[str, Any] = field(default_factory=dict)  # parsed --set values
    quality: str = DEFAULT_QUALITY
    formats: tuple[str, ...] = ("gif",)
    theme: str = "dark"
    out: Path = Path("media")
    force: bool = False
    verbose: bool = False

    @property
    def entry(self) -> SceneEntry:
        return CATALOGUE[self.scene]

    @property
    def preset(self) -> Quality:
        return QUALITIES[self.quality]

    @property
    def manifest_path(self) -> Path:
        return self.out / f"{self.scene}.json"

    def target(self, fmt: str) -> Path:
        return self.out / f"{self.scene}.{FORMATS[fmt].extension}"


@dataclass(frozen=True)
class Plan:
    """A validated job: the parameters and the one solution that the scene draws and the
    manifest reports."""

    job: RenderJob
    params: Any
    solution: Any


def plan(job: RenderJob) -> Plan:
    """Validate `job` and solve its problem once; raises ParamError for bad parameters."""
    params, solution = build(job.entry.load(), job.overrides)
    return Plan(job, params, solution)


@dataclass
class Outcome:
    scene: str
    status: str  # "rendered", "up to date" or "failed"
    seconds: float = 0.0
    bytes: dict[str, int] = field(default_factory=dict)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def inputs_hash(job: RenderJob) -> str:
    """SHA-256 of everything that decides the output: the project sources the scene imports
    and those of the pipeline, the --set values, quality, formats, theme, Manim's version."""
    digest = hashlib.sha256()
    for path in project_files([job.entry.module, *PIPELINE]):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    settings = {
        "scene": job.scene,
        "overrides": job.overrides,
        "quality": job.quality,
        "formats": sorted(job.formats),
        "theme": job.theme,
        "manim": version("manim"),
    }
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return digest.hexdigest()


def up_to_date(job: RenderJob) -> Outcome | None:
    """An 'up to date' outcome when a valid manifest matches the inputs and every file it
    lists for the requested formats is there with its recorded size."""
    if job.force:
        return None
    manifest = Manifest.read(job.manifest_path)
    if manifest is None or manifest.inputs_hash != inputs_hash(job):
        return None
    sizes = {}
    for fmt in job.formats:
        path = job.target(fmt)
        if not path.exists() or path.stat().st_size != manifest.bytes.get(fmt):
            return None
        sizes[fmt] = path.stat().st_size
    return Outcome(job.scene, "up to date", bytes=sizes)


def _sweep_stale(tmp_root: Path) -> None:
    """Remove temporary folders left by processes that no longer exist (killed with -9)."""
    for folder in tmp_root.glob("*-*-*"):
        pid = int(folder.name.split("-")[-2]) if folder.name.split("-")[-2].isdigit() else 0
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (PermissionError, OverflowError, ValueError):
            pass


def _failure(job: RenderJob, err: Exception) -> str:
    """One line about `err`; the traceback goes to <out>/.cache/logs/<scene>.log if it can."""
    first = str(err).strip().splitlines()[0] if str(err).strip() else ""
    message = f"{type(err).__name__}: {first}"
    log = job.out / CACHE / "logs" / f"{job.scene}.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc())
    except OSError:
        return message
    return f"{message} (traceback: {log})"


def _manifest(plan: Plan, played: int, loops: bool, sizes: dict[str, int], seconds: float):
    job, entry, preset = plan.job, plan.job.entry, plan.job.preset
    scene_class = entry.load()
    return Manifest(
        scene=job.scene,
        title=entry.title,
        description=entry.description,
        module=entry.relative_path,
        scene_class=entry.cls,
        params={name: value for name, value, _ in describe(plan.params)},
        overrides=job.overrides,
        results=scene_class.results(plan.solution),
        alt_text=scene_class.alt_text(plan.solution),
        quality=job.quality,
        width=preset.width,
        height=preset.height,
        fps=preset.fps,
        gif_fps=FORMATS["gif"].rate(preset.fps) if "gif" in job.formats else None,
        frames=played,
        duration_s=round(played / preset.fps, 3),
        loop=loops,
        theme=job.theme,
        files={fmt: job.target(fmt).name for fmt in job.formats},
        embed=f"{job.scene}.embed.md",
        bytes=sizes,
        render_seconds=round(seconds, 2),
        inputs_hash=inputs_hash(job),
        manim_version=version("manim"),
    )


def render_scene(plan: Plan) -> Outcome:
    """Render one plan to every requested format, atomically; never raises for a failed
    render (the outcome says what went wrong, the traceback goes to <out>/.cache/logs/)."""
    from scenes.theme import THEMES

    from .frames import render_frames  # imports Manim: only when something renders

    job = plan.job
    started = time.perf_counter()
    tmp_root = job.out / CACHE / "tmp"
    work = tmp_root / f"{job.scene}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        tmp_root.mkdir(parents=True, exist_ok=True)
        _sweep_stale(tmp_root)
        work.mkdir()
        frames = render_frames(
            job.entry.load(),
            plan.params,
            THEMES[job.theme],
            job.preset.size,
            work,
            tex_dir=job.out / CACHE / "tex" / job.scene,
            solution=plan.solution,
            still=stills_only(job.formats),
            verbose=job.verbose,
        )
        staged = {}
        for fmt in job.formats:
            staged[fmt] = work / job.target(fmt).name
            FORMATS[fmt].encoder(frames, staged[fmt])
        sizes = {fmt: path.stat().st_size for fmt, path in staged.items()}
        manifest = _manifest(
            plan, frames.played, frames.loops, sizes, time.perf_counter() - started
        )
        (work / "manifest.json").write_text(manifest.to_json())
        (work / "embed.md").write_text(embed_snippets(manifest))
        job.out.mkdir(parents=True, exist_ok=True)
        for fmt, path in staged.items():
            os.replace(path, job.target(fmt))
        os.replace(work / "embed.md", job.out / manifest.embed)
        os.replace(work / "manifest.json", job.manifest_path)
        return Outcome(job.scene, "rendered", time.perf_counter() - started, sizes)
    except Exception as err:  # a failed render is reported, the others carry on
        seconds = time.perf_counter() - started
        return Outcome(job.scene, "failed", seconds, message=_failure(job, err))
    finally:
        shutil.rmtree(work, ignore_errors=True)
