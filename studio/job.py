"""One render job: cache check, render into a temporary folder, encode, write the manifest,
and move everything into place only when all of it succeeded.

Atomicity: outputs are written under <out>/.cache/tmp/ and moved into <out> with os.replace
(atomic on one file system), the manifest last; a failed or interrupted job removes its
temporary folder and leaves the previous files untouched. A manifest names the inputs hash of
exactly the files it lists, so a job cut off between two moves is seen as stale next time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import time
import traceback
import uuid
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mathcore import __file__ as _mathcore_init
from scenes import CATALOGUE, SceneEntry
from scenes import __file__ as _scenes_init

from . import encode as encoders
from .gallery import embed_snippets
from .params import build, to_json

QUALITIES: dict[str, tuple[int, int, int]] = {
    "blog": (768, 432, 20),
    "thumb": (480, 270, 20),
    "draft": (384, 216, 10),
    "low": (854, 480, 15),
    "medium": (1280, 720, 30),
    "high": (1920, 1080, 60),
    "4k": (3840, 2160, 60),
}
"""Presets: (width, height, fps). `blog` is the default: see the README for why."""

DEFAULT_QUALITY = "blog"
CACHE = ".cache"


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
    def manifest_path(self) -> Path:
        return self.out / f"{self.scene}.json"

    def target(self, fmt: str) -> Path:
        return self.out / f"{self.scene}.{fmt}"


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


def _sources(entry: SceneEntry) -> list[Path]:
    """The scene's module and every scenes/ module it imports (read from its `from scenes.x
    import` lines, transitively), the catalogue, and all of mathcore and studio."""
    scenes_dir = Path(_scenes_init).parent
    found, todo = {entry.path, scenes_dir / "__init__.py"}, [entry.path]
    while todo:
        for name in re.findall(r"^from scenes\.(\w+) import", todo.pop().read_text(), re.M):
            module = scenes_dir / f"{name}.py"
            if module not in found:
                found.add(module)
                todo.append(module)
    return [
        *sorted(found),
        *sorted(Path(_mathcore_init).parent.glob("*.py")),
        *sorted(Path(__file__).parent.glob("*.py")),
    ]


def inputs_hash(job: RenderJob) -> str:
    """SHA-256 of everything that decides the output: the scene's source and the shared scene,
    mathcore and encoder sources, the --set values, quality, formats, theme, Manim's version."""
    digest = hashlib.sha256()
    for path in _sources(job.entry):
        digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes())
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
    """An 'up to date' outcome when the manifest matches the inputs and every file exists."""
    if job.force or not job.manifest_path.exists():
        return None
    try:
        manifest = json.loads(job.manifest_path.read_text())
    except (OSError, json.JSONDecodeError):
        return None
    if manifest.get("inputs_hash") != inputs_hash(job):
        return None
    sizes = {}
    for fmt in job.formats:
        path = job.target(fmt)
        if not path.exists() or path.stat().st_size != manifest.get("bytes", {}).get(fmt):
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


def render_scene(job: RenderJob) -> Outcome:
    """Render one scene to every requested format, atomically; never raises for a failed
    render (the outcome says what went wrong, the traceback goes to <out>/.cache/logs/)."""
    cached = up_to_date(job)
    if cached:
        return cached
    from scenes.theme import THEMES

    from .frames import render_frames  # imports Manim: only when something renders

    started = time.perf_counter()
    tmp_root = job.out / CACHE / "tmp"
    work = tmp_root / f"{job.scene}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        tmp_root.mkdir(parents=True, exist_ok=True)
        _sweep_stale(tmp_root)
        work.mkdir()
        scene_class = job.entry.load()
        params, solution = build(scene_class, job.overrides)
        width, height, fps = QUALITIES[job.quality]
        frames = render_frames(
            scene_class,
            params,
            THEMES[job.theme],
            (width, height, fps),
            work,
            tex_dir=job.out / CACHE / "tex" / job.scene,
            still=set(job.formats) == {"png"},
            verbose=job.verbose,
        )
        staged = {}
        for fmt in job.formats:
            staged[fmt] = work / f"{job.scene}.{fmt}"
            encoders.encode(frames, fmt, staged[fmt])
        sizes = {fmt: path.stat().st_size for fmt, path in staged.items()}
        seconds = time.perf_counter() - started
        manifest = {
            "scene": job.scene,
            "title": job.entry.title,
            "description": job.entry.description,
            "module": job.entry.relative_path,
            "class": job.entry.cls,
            "params": {
                f.name: to_json(getattr(params, f.name)) for f in dataclasses.fields(params)
            },
            "overrides": job.overrides,
            "results": scene_class.results(solution),
            "alt_text": scene_class.alt_text(solution),
            "quality": job.quality,
            "width": width,
            "height": height,
            "fps": fps,
            "gif_fps": encoders.gif_fps(fps) if "gif" in job.formats else None,
            "frames": frames.played,
            "duration_s": round(frames.played / fps, 3),
            "loop": frames.loops,
            "theme": job.theme,
            "files": {fmt: job.target(fmt).name for fmt in job.formats},
            "embed": f"{job.scene}.embed.md",
            "bytes": sizes,
            "render_seconds": round(seconds, 2),
            "inputs_hash": inputs_hash(job),
            "manim_version": version("manim"),
        }
        (work / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        )
        (work / "embed.md").write_text(embed_snippets(manifest))
        job.out.mkdir(parents=True, exist_ok=True)
        for fmt, path in staged.items():
            os.replace(path, job.target(fmt))
        os.replace(work / "embed.md", job.out / manifest["embed"])
        os.replace(work / "manifest.json", job.manifest_path)
        return Outcome(job.scene, "rendered", seconds, sizes)
    except Exception as err:  # a failed render is reported, the others carry on
        seconds = time.perf_counter() - started
        return Outcome(job.scene, "failed", seconds, message=_failure(job, err))
    finally:
        shutil.rmtree(work, ignore_errors=True)
