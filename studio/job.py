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

import ctypes
import errno
import fcntl
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import time
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from narration import SCRIPTS, Line, Pacing
from narration.script import PAGES, speaking
from scenes import CATALOGUE, EXTRAS, SceneEntry

from . import voice as voices
from .audio import speech_track
from .captions import check, make_cues, to_ass, to_srt, to_vtt
from .data import resolve
from .embed import embed_snippets
from .encode import burn_captions, video_output
from .formats import FORMATS, stills_only
from .manifest import Manifest
from .params import ParamError, build, describe, same_params
from .presets import DEFAULT_QUALITY, QUALITIES, Quality
from .rendered import Rendered
from .sources import ROOT, project_files, translations
from .texcache import shared_dir

CACHE = ".cache"
PIPELINE = (
    "studio.frames",
    "studio.formats",
    "studio.outputs",
    "studio.rendered",
    "studio.embed",
    "studio.manifest",
    "studio.captions",
    "studio.audio",
    "studio.voice",
)
"""The modules that turn a scene into files: their sources are part of every cache key."""
CAPTIONS = ("file", "burn")


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
    voice: str = "none"  # a key of studio.voice.ENGINES
    captions: str = "file"  # "file": .vtt and .srt beside; "burn": also burnt into the frames
    recordings: Path = voices.RECORDINGS  # <recordings>/<scene>/<segment>.wav replace synthesis
    sound: bool = True  # mux the narration into the formats that carry sound
    data: dict[str, Any] | None = None  # with --data: what studio.data.Data.record() says
    cache: Path | None = None  # LaTeX, speech, logs and temporary files (None: <out>/.cache)
    gif_max_kb: int | None = None  # fit the GIF in this many KB (None: the best GIF)
    webp_max_kb: int = 1024  # fit the WebP in this many KB
    paired: bool = False  # --theme both: a dark and a light render, each pointing to the other
    lang: str = "en"  # --lang: the scripts (captions, speech, the words drawn) in this language

    @property
    def entry(self) -> SceneEntry:
        return CATALOGUE[self.scene] if self.scene in CATALOGUE else EXTRAS[self.scene]

    @property
    def words(self) -> tuple[str, str]:
        """The scene's title and description in --lang: its script's [words.scene] (the
        manifest's, and from there the snippets', gallery card's and html figure's)."""
        return self.entry.words(self.lang)

    @property
    def cache_dir(self) -> Path:
        return self.cache or self.out / CACHE

    @property
    def preset(self) -> Quality:
        return QUALITIES[self.quality]

    @property
    def name(self) -> str:
        """The files' stem: the scene, or `<scene>-light` for the light half of a pair; in
        another language than English, `<stem>.<lang>` (tangency.de); a narrated render's,
        `<stem>.<voice>` (tangency.de.espeak: its timing is the voice's, its files and cue
        files stand beside the silent render's, never over them)."""
        stem = f"{self.scene}-light" if self.paired and self.theme == "light" else self.scene
        stem = stem if self.lang == "en" else f"{stem}.{self.lang}"
        return f"{stem}.{self.voice}" if self.narrated else stem

    @property
    def narrated(self) -> bool:
        """A scene's render whose files carry the voice (its frames paced by the speech)."""
        return self.voice != "none" and self.sound and self.scene in CATALOGUE

    @property
    def pair(self) -> str | None:
        """The stem of the other theme's render of a pair (None: rendered alone)."""
        if not self.paired:
            return None
        return replace(self, theme="dark" if self.theme == "light" else "light").name

    @property
    def manifest_path(self) -> Path:
        return self.out / f"{self.name}.json"

    def target(self, fmt: str) -> Path:
        return self.out / f"{self.name}.{FORMATS[fmt].extension}"

    def caption_file(self, kind: str) -> Path:
        return self.out / f"{self.name}.{kind}"

    @property
    def recordings_folder(self) -> Path:
        """Where the author's recordings of this language are: <recordings> for English,
        <recordings>/<lang> for another (each holding <scene>/<segment>.wav)."""
        return self.recordings if self.lang == "en" else self.recordings / self.lang


@dataclass(frozen=True)
class Plan:
    """A validated job: the parameters, the one solution that the scene draws and the
    manifest reports, its script filled in from that solution, and the recordings found."""

    job: RenderJob
    params: Any
    solution: Any
    lines: dict[str, Line]
    recordings: dict[str, Path]


def plan(job: RenderJob) -> Plan:
    """Validate `job`, solve its problem once and fill its script (in the job's language);
    raises ParamError, ScriptError or VoiceError (one line each) before anything renders."""
    with speaking(job.lang):
        return _plan(job)


def _plan(job: RenderJob) -> Plan:
    scene_class = job.entry.load()
    for fmt in job.formats:
        refused = FORMATS[fmt].refuses(scene_class)
        if refused:
            raise ParamError(f"-f {fmt}: {job.scene} {refused}")
    params, solution = build(scene_class, job.overrides)
    script = scene_class.load_script()
    lines = script.fill(scene_class.results(solution))
    voices.check(job.voice, lines, script.where, job.lang)
    found = voices.recordings_for(job.recordings_folder, scene_class.script, lines)
    return Plan(job, params, solution, lines, found if job.voice != "none" else {})


@dataclass
class Outcome:
    name: str  # the files' stem: the scene, or <scene>-light (--theme both)
    status: str  # "rendered", "up to date" or "failed"
    seconds: float = 0.0
    bytes: dict[str, int] = field(default_factory=dict)
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def sources_digest(entry: SceneEntry) -> str:
    """SHA-256 of the project sources the scene imports, those of the pipeline, its
    script and narration/pages.toml with their translations (narration/<lang>/) and the data
    files it reads by default: what `render.py --list --json` reports,
    so CI re-renders only changed scenes."""
    digest = hashlib.sha256()
    for path in project_files([entry.module, *PIPELINE]):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    pages = SCRIPTS / f"{PAGES}.toml"  # the words around the render: snippets, pages, cards
    for script in (entry.script_path, pages):
        digest.update(b"script\0" + script.read_bytes())
        for path in translations(script):  # a German-only edit changes it too
            digest.update(path.parent.name.encode() + b"\0" + path.read_bytes())
    for name in entry.reads:
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    return digest.hexdigest()


def inputs_hash(job: RenderJob) -> str:
    """SHA-256 of everything but the parameters that decides the output: the sources
    (`sources_digest`), a data file given to a table scene, recordings, quality, theme,
    voice, budgets, Manim's version. Not the formats: renders of the same inputs in other
    formats add to one folder entry (`accumulate`).
    (The parameters are compared as values: `up_to_date`.)"""
    digest = files_digest(job)
    engine = voices.ENGINES[job.voice]
    settings = {
        "scene": job.scene,
        "quality": job.quality,
        "theme": job.theme,
        "manim": version("manim"),
        "voice": engine.identity(job.lang) if engine else None,
        "captions": job.captions,
        "sound": job.sound,
        "data": job.data,
        "gif_max_kb": job.gif_max_kb,
        "webp_max_kb": job.webp_max_kb,
        "pair": job.pair,
        "lang": job.lang,
    }
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return digest.hexdigest()


def files_digest(job: RenderJob) -> Any:
    """The files `inputs_hash` starts from, as a running SHA-256: the sources
    (`sources_digest`), the author's recordings, a data file given to a table scene. Known
    without Manim or a voice installed (CI's list job keys the explainer's chapters on it)."""
    digest = hashlib.sha256(sources_digest(job.entry).encode())
    folder = job.recordings_folder / job.scene
    recordings = sorted(folder.glob("*.wav")) if job.voice != "none" else []
    for path in recordings:
        try:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:  # a folder, a symlink loop, unreadable: planning the job says so
            digest.update(path.name.encode() + b"\0unreadable")
    table = job.overrides.get("data")  # a table scene's data file, named by --data or --set
    if isinstance(table, str):
        try:
            digest.update(b"data\0" + resolve(table).read_bytes())
        except OSError:
            pass  # planning the job says what is wrong with it
    return digest


def up_to_date(job: RenderJob, expected_hash: str | None = None) -> Outcome | None:
    """An 'up to date' outcome when a valid manifest matches the inputs (`expected_hash`,
    default the job's inputs hash) and the parameters, and every file it lists for the
    requested formats is there with the content it recorded."""
    if job.force:
        return None
    manifest = Manifest.read(job.manifest_path)
    if manifest is None or manifest.inputs_hash != (expected_hash or inputs_hash(job)):
        return None
    if not same_params(manifest.params, manifest.defaults, job.overrides):
        return None
    sizes = {}
    for fmt in job.formats:
        path = job.target(fmt)
        try:
            if _digest(path) != manifest.digests.get(path.name):
                return None
            sizes[fmt] = path.stat().st_size
        except OSError:  # missing, a folder, unreadable: rendered again (and said)
            return None
    return Outcome(job.name, "up to date", bytes=sizes)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def free_space_needed(plans: list[Plan], workers: int) -> int:
    """Bytes a batch of renders may need at once, with room to spare: the lossless frames
    (FFV1 holds this flat art in 0.2–0.35 bytes a pixel; 0.5 is counted) and the encoded
    files (0.2), for the longest `workers` scenes. A scene's length is taken as its
    script's reading time plus every timing parameter, half again for speech. A still
    keeps no frames."""
    each = []
    for p in plans:
        if stills_only(p.job.formats):
            continue
        seconds = Pacing(p.lines, {}).total() + sum(
            v for k, v, _ in describe(p.params) if k.endswith("_time")
        )
        w, h, fps = p.job.preset.size
        each.append(int(1.5 * seconds * fps * w * h * 0.7))
    return sum(sorted(each, reverse=True)[:workers]) + 16 * 1024**2


class FolderError(Exception):
    """The output folder cannot be used (its lock cannot be made); one line."""

    def __init__(self, out: Path, err: OSError) -> None:
        if err.errno == errno.ENOSPC:
            text = f"the disk is full (in {out}); free some space and render again"
        else:
            text = f"cannot write in {out}: {err.strerror or err}"
            if err.filename:
                text += f" ({err.filename})"
        super().__init__(text)


@contextmanager
def folder_lock(out: Path, on_wait) -> Iterator[None]:
    """Hold the output folder's lock (one render at a time per folder); if another render
    holds it, call `on_wait()` and wait for it. Once held, the temporary folders of renders
    that were killed are swept (an up-to-date run too)."""
    lock = out / CACHE / "lock"
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a")  # closed by the with below
    except OSError as err:
        raise FolderError(out, err) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        if (out / CACHE / "tmp").is_dir():
            _sweep_stale(out / CACHE / "tmp")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while files move into place; they act right after."""
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


PR_SET_PDEATHSIG = 1  # prctl(2)
OWNER = ".owner"  # in a temporary folder: locked by the process working in it


def claim(work: Path) -> int:
    """Lock `work`'s OWNER file for this process (the lock lasts until the returned
    descriptor is closed or the process dies): how `_sweep_stale` tells a live render's
    folder from a killed one's, even after its PID has been given to another process."""
    fd = os.open(work / OWNER, os.O_CREAT | os.O_WRONLY, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _sweep_stale(tmp_root: Path) -> None:
    """Remove temporary folders left by processes that no longer exist (killed with -9):
    those whose OWNER lock is free (or, not claimed yet, whose PID is gone)."""
    for folder in tmp_root.glob("*-*-*"):
        try:
            fd = os.open(folder / OWNER, os.O_RDONLY)
        except FileNotFoundError:
            _sweep_unclaimed(folder)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(folder, ignore_errors=True)
        except BlockingIOError:
            pass  # its render is alive
        finally:
            os.close(fd)


def _sweep_unclaimed(folder: Path) -> None:
    """A folder without an owner lock: remove it if the PID in its name is gone."""
    pid = int(folder.name.split("-")[-2]) if folder.name.split("-")[-2].isdigit() else 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        shutil.rmtree(folder, ignore_errors=True)
    except (PermissionError, OverflowError, ValueError):
        pass


LOW_SPACE = 2**20
"""Bytes free below which a failed render is put down to a full disk (whatever broke first:
an encoder's pipe, gifsicle reading a cut-off file, …)."""


def disk_full(err: BaseException, folder: Path) -> bool:
    """Whether `err` is (or, the disk of `folder` being all but full, comes from) a full
    disk."""
    if (isinstance(err, OSError) and err.errno == errno.ENOSPC) or "No space left" in str(err):
        return True
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    try:
        return existing is not None and shutil.disk_usage(existing).free < LOW_SPACE
    except OSError:
        return False


def _failure(job: RenderJob, err: Exception, full: bool, trace: str) -> str:
    """One line about `err` (`full`: the disk filled up); the traceback `trace` goes to
    <out>/.cache/logs/<scene>.log if it can (written after the temporary folder is gone,
    so a full disk has room for it; never left empty)."""
    if full:
        message = f"the disk is full (in {job.cache_dir.parent}); free some space and render again"
    else:
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        message = f"{type(err).__name__}: {first}"
    log = job.cache_dir / "logs" / f"{job.name}.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(trace)
    except OSError:
        try:
            log.unlink(missing_ok=True)
        except OSError:
            pass
        return message
    return f"{message} (traceback: {log})"


def _manifest(
    plan: Plan, frames, cues, files: dict[str, Path], seconds: float, notes: dict[str, Any]
) -> Manifest:
    """The render's manifest; `notes` are the fields its outputs set (gif_fps, gif_fit,
    scrub)."""
    job, entry, preset = plan.job, plan.job.entry, plan.job.preset
    scene_class = entry.load()
    title, description = job.words
    return Manifest(
        scene=job.scene,
        title=title,
        description=description,
        module=entry.relative_path,
        scene_class=entry.cls,
        params={name: value for name, value, _ in describe(plan.params)},
        defaults={name: value for name, value, _ in describe(type(plan.params)())},
        overrides=job.overrides,
        results=scene_class.results(plan.solution),
        alt_text=scene_class.alt_text(plan.solution),
        quality=job.quality,
        width=preset.width,
        height=preset.height,
        fps=preset.fps,
        gif_fps=notes.get("gif_fps"),
        gif_fit=notes.get("gif_fit"),
        notes=notes.get("notes", {}),
        frames=frames.count,
        duration_s=round(frames.count / preset.fps, 3),
        loop=frames.loops,
        layout=frames.layout,
        theme=job.theme,
        lang=job.lang,
        files={fmt: job.target(fmt).name for fmt in job.formats},
        captions={kind: job.caption_file(kind).name for kind in ("vtt", "srt")} if cues else {},
        cues=[
            {
                "id": c.id,
                "part": c.part,
                "start": round(c.start, 3),
                "end": round(c.end, 3),
                "text": c.text,
            }
            for c in cues
        ],
        voice=job.voice,
        data=job.data,
        pair=job.pair,
        scrub=notes.get("scrub"),
        embed=f"{job.name}.embed.md",
        bytes={fmt: path.stat().st_size for fmt, path in files.items()},
        digests={job.target(fmt).name: _digest(path) for fmt, path in files.items()},
        render_seconds=round(seconds, 2),
        inputs_hash=inputs_hash(job),
        manim_version=version("manim"),
    )


def accumulate(old: Manifest | None, new: Manifest, job: RenderJob) -> tuple[Manifest, list[str]]:
    """The folder entry after render `new` of `job`, where `old` was: with the same inputs
    (and parameters), every file of `old` still intact that `new` did not write again is kept
    beside the new ones; with other inputs, `new` alone, and the names of `old`'s files to
    remove (never a mix of two renders). Returns the manifest and those names."""
    if old is None or old.scene != new.scene:
        return new, []
    mine = set(new.files.values()) | set(new.captions.values())
    same = old.inputs_hash == new.inputs_hash and same_params(
        old.params, old.defaults, job.overrides
    )
    if not same:
        return new, sorted((set(old.files.values()) | set(old.captions.values())) - mine)
    kept = {
        fmt: name
        for fmt, name in old.files.items()
        if fmt not in new.files and _intact(job.out / name, old.digests.get(name))
    }
    if not kept:
        return new, []
    files = {f: n for f, n in {**old.files, **new.files}.items() if f in kept or f in new.files}
    timing = new if not stills_only(new.files) else old  # a still has no timeline
    merged = replace(
        new,
        files=files,
        bytes={f: b for f, b in {**old.bytes, **new.bytes}.items() if f in files},
        digests={**{n: old.digests[n] for n in kept.values()}, **new.digests},
        notes={**{f: v for f, v in old.notes.items() if f in kept}, **new.notes},
        gif_fps=new.gif_fps if new.gif_fps is not None else old.gif_fps,
        gif_fit=new.gif_fit if new.gif_fps is not None else old.gif_fit,
        scrub=new.scrub if new.scrub is not None else old.scrub,
        frames=timing.frames,
        duration_s=timing.duration_s,
        loop=timing.loop,
        layout=timing.layout,
        cues=timing.cues,
        captions=timing.captions,
    )
    return merged, []


def _intact(path: Path, digest: str | None) -> bool:
    try:
        return digest is not None and _digest(path) == digest
    except OSError:
        return False


_busy = False  # in a pool worker: whether it is working on a task now


def quiet_worker() -> None:
    """A pool worker's setup: it leaves Ctrl-C to the main process (which stops the pool);
    the pool's stop (SIGTERM) interrupts a task, which cleans up after itself, and ends an
    idle worker silently (no stray traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the process that forked it dies (a render killed
    with -9 leaves no worker drawing into, and holding the lock of, its temporary folder)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: the sweep waits for the worker instead
    if os.getppid() == 1:  # the parent died before the request
        os._exit(1)


def _stop_worker(signum, frame) -> None:
    if _busy:
        raise KeyboardInterrupt
    os._exit(130)


def in_worker(task):
    """Run `task()` as a pool worker's task (see quiet_worker); Ctrl-C ends it with 130."""
    global _busy
    _busy = True
    try:
        return task()
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        _busy = False


def _draw_share(args: tuple) -> Any:
    from .frames import render_frames

    scene_class, kwargs = args
    return in_worker(lambda: render_frames(scene_class, **kwargs))


def draw(scene_class: type, shares: int, cuts: tuple[int, ...] | None = None, **kwargs):
    """render_frames, its frames shared out among `shares` processes when that helps (a
    moving render, from a process that may start others): each draws the blocks between
    `cuts` dealt to it (None: an equal run each of the frames the scene says it draws, if
    it can tell: RidgeScene.frames_to_share), then joined: frame for frame what one
    process draws."""
    from .frames import Share, join_shares, render_frames

    if cuts is None and shares > 1:
        size, pacing = kwargs["size"], kwargs["pacing"]
        total = scene_class.frames_to_share(kwargs["params"], pacing, size[2])
        cuts = Share.even(0, shares, total).cuts if total else None
    if cuts is None or kwargs.get("still") or multiprocessing.current_process().daemon:
        return render_frames(scene_class, **kwargs)
    tasks = [(scene_class, {**kwargs, "share": Share(w, shares, cuts)}) for w in range(shares)]
    with multiprocessing.get_context("fork").Pool(shares, initializer=quiet_worker) as pool:
        parts = pool.map(_draw_share, tasks)
        pool.close()
        pool.join()
    outputs = {"streams": kwargs.get("streams") or {}, "lossless": kwargs.get("lossless", True)}
    return join_shares(parts, tasks[0][1]["share"], kwargs["workdir"], **outputs)


def render_scene(plan: Plan, shares: int = 1) -> Outcome:
    """Render one plan to every requested format, atomically, its frames drawn by `shares`
    processes, the scene reading its script in the job's language; never raises for a
    failed render (the outcome says what went wrong, the traceback goes to
    <out>/.cache/logs/)."""
    with speaking(plan.job.lang):
        return _render_scene(plan, shares)


def _render_scene(plan: Plan, shares: int) -> Outcome:
    from scenes.theme import THEMES

    job = plan.job
    started = time.perf_counter()
    tmp_root = job.cache_dir / "tmp"
    work = tmp_root / f"{job.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    owner = None
    try:
        tmp_root.mkdir(parents=True, exist_ok=True)
        work.mkdir()
        owner = claim(work)
        scene_class, theme = job.entry.load(), THEMES[job.theme]
        clips = voices.speak(
            job.voice, plan.lines, plan.recordings, job.cache_dir / "voice", job.lang
        )
        # Videos are encoded from the frames as they are drawn, unless the frames change
        # afterwards (burnt captions).
        streamed = []
        if job.captions != "burn" and not stills_only(job.formats):
            streamed = [fmt for fmt in job.formats if FORMATS[fmt].stream]
        frames = draw(
            scene_class,
            shares,
            streams={FORMATS[f].extension: video_output(FORMATS[f].stream) for f in streamed},
            lossless=any(not FORMATS[f].still and f not in streamed for f in job.formats),
            params=plan.params,
            theme=theme,
            size=job.preset.size,
            workdir=work,
            tex_dir=shared_dir(),
            solution=plan.solution,
            pacing=Pacing(plan.lines, {k: c.seconds for k, c in clips.items()}),
            still=stills_only(job.formats),
            verbose=job.verbose,
        )
        staged, cues = {}, []
        if not stills_only(job.formats):
            said = {k: c.seconds for k, c in clips.items()}
            length = frames.count / frames.fps
            cues = make_cues(frames.timeline, plan.lines, frames.fps, length, said)
            ends = {s.id: s.start + said[s.id] for s in frames.timeline if s.id in said}
            check(cues, scene_class.beats, ends)
            for kind, text in (("vtt", to_vtt(cues)), ("srt", to_srt(cues))):
                staged[job.caption_file(kind)] = work / f"captions.{kind}"
                staged[job.caption_file(kind)].write_text(text, encoding="utf-8")
        moving = frames
        if job.captions == "burn" and cues:
            ass = work / "captions.ass"
            ass.write_text(to_ass(cues, *job.preset.size[:2], theme.text, theme.background))
            height = job.preset.height
            moving = burn_captions(frames, ass, height, theme.background, work / "burnt.mkv")
        track = None
        if job.sound and clips and any(FORMATS[f].audio for f in job.formats):
            track = work / "speech.wav"
            placed = [(s.start, clips[s.id].path) for s in frames.timeline if s.id in clips]
            speech_track(placed, frames.count / frames.fps, track)
        rendered = Rendered(
            name=job.name,
            title=job.words[0],
            alt_text=scene_class.alt_text(plan.solution),
            frames=frames,
            moving=moving,
            cues=cues,
            lines=plan.lines,
            scrubbed=[asdict(r) for r in scene_class.scrubbed(plan.solution)],
            theme=theme,
            speech=track,
            streamed=frozenset(streamed),
            work=work,
            pair=job.pair,
            lang=job.lang,
            budgets={"webp": job.webp_max_kb * 1024}
            | ({"gif": job.gif_max_kb * 1024} if job.gif_max_kb is not None else {}),
        )
        encoded, notes = {}, {}
        for fmt in job.formats:
            out = work / job.target(fmt).name
            made = FORMATS[fmt].encode(rendered, out)
            notes.update(made, notes={**notes.get("notes", {}), **made.get("notes", {})})
            staged[job.target(fmt)] = encoded[fmt] = out
        seconds = time.perf_counter() - started
        manifest = _manifest(plan, moving, cues, encoded, seconds, notes)
        manifest, stale = accumulate(Manifest.read(job.manifest_path), manifest, job)
        (work / "manifest.json").write_text(manifest.to_json())
        (work / "embed.md").write_text(embed_snippets(manifest))
        job.out.mkdir(parents=True, exist_ok=True)
        with uninterrupted():  # all of a scene's files are replaced, or none
            for final, path in staged.items():
                os.replace(path, final)
            os.replace(work / "embed.md", job.out / manifest.embed)
            os.replace(work / "manifest.json", job.manifest_path)
            for name in stale:  # the files of a render of other inputs go with it
                (job.out / name).unlink(missing_ok=True)
        return Outcome(job.name, "rendered", time.perf_counter() - started, dict(manifest.bytes))
    except Exception as err:  # a failed render is reported, the others carry on
        failed = (err, disk_full(err, job.cache_dir), traceback.format_exc())
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if owner is not None:
            os.close(owner)
    seconds = time.perf_counter() - started
    return Outcome(job.name, "failed", seconds, message=_failure(job, *failed))
