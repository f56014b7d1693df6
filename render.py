"""Render the ridge-regression scenes to files a blog can use.

    python render.py tangency                 # media/tangency.gif (+ media/tangency.json)
    python render.py explainer                # the narrated, chaptered video of them all
    python render.py --all -f gif -f mp4      # every scene, two formats, in parallel
    python render.py tangency --set k=0.8 --theme light
    python render.py --list                   # what there is
    python render.py tangency --help-params   # what --set can change

Exit status: 0 every scene rendered or up to date, 1 a render failed, 2 a usage error.
"""

from __future__ import annotations

import os
import signal
import sys

if __name__ == "__main__":  # Ctrl-C while the imports below run: one line, exit 130

    def _interrupted_starting(signum, frame) -> None:
        sys.stderr.write("\ninterrupted before anything rendered\n")
        os._exit(130)

    signal.signal(signal.SIGINT, _interrupted_starting)

import dataclasses
import json
import multiprocessing
import shutil
import signal
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import click

from narration import ScriptError
from scenes import CATALOGUE
from studio import explainer
from studio.data import Data, DataError, data_overrides, load
from studio.formats import DEFAULT_FORMATS, FORMATS, missing_tools
from studio.gallery import size_text, write_gallery
from studio.job import (
    CAPTIONS,
    Outcome,
    Plan,
    RenderJob,
    folder_lock,
    free_space_needed,
    in_worker,
    plan,
    quiet_worker,
    render_scene,
    sources_digest,
    up_to_date,
)
from studio.params import ParamError, describe, parse_assignments
from studio.presets import DEFAULT_QUALITY, QUALITIES
from studio.voice import ENGINES, RECORDINGS, VoiceError


@dataclass(frozen=True)
class Request:
    """What the command line asked for (one field per option)."""

    names: tuple[str, ...]
    list_scenes: bool
    as_json: bool
    gallery_only: bool
    all_scenes: bool
    quality: str | None
    formats: tuple[str, ...]
    assignments: tuple[str, ...]
    theme: str
    out: Path
    jobs: int | None
    force: bool
    quiet: bool
    verbose: bool
    help_params: bool
    voice: str | None
    captions: str
    recordings: Path
    data: Path | None
    x: tuple[str, ...]
    y: str | None
    no_intercept: bool
    no_standardize: bool
    gif_max_kb: int | None

    @property
    def chosen_formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.formats or DEFAULT_FORMATS))

    def job(self, scene: str, **fields: Any) -> RenderJob:
        """A RenderJob of `scene` with what every job of this request shares, and `fields`."""
        return RenderJob(
            scene=scene,
            out=self.out,
            force=self.force,
            verbose=self.verbose,
            voice=self.chosen_voice,
            captions=self.captions,
            recordings=self.recordings,
            **fields,
        )

    @property
    def chosen_voice(self) -> str:
        """--voice, else espeak when a format carries sound, else none."""
        if self.voice is not None:
            return self.voice
        return "espeak" if any(FORMATS[f].audio for f in self.chosen_formats) else "none"


def _folder(value: str) -> Path:
    """--out: a folder name; an empty one would mean the current folder by accident."""
    if not value.strip():
        raise click.BadParameter("give a folder name (use --out . for this folder)")
    return Path(value)


def list_scenes(as_json: bool) -> None:
    entries = list(CATALOGUE.values())
    if as_json:
        listing = [
            {
                "name": e.name,
                "title": e.title,
                "description": e.description,
                "module": e.relative_path,
                "scene_class": e.cls,
                "sources": sources_digest(e),
            }
            for e in entries
        ]
        click.echo(json.dumps(listing, indent=2, ensure_ascii=False))
        return
    width = max(len(e.name) for e in entries)
    for e in entries:
        click.echo(f"{e.name.ljust(width)}  {e.title}")


def selected_scenes(r: Request) -> list[str]:
    """The scene names asked for, in order, each once; raises UsageError."""
    if r.all_scenes and r.names:
        raise click.UsageError("give scene names or --all, not both")
    if not r.all_scenes and not r.names:
        raise click.UsageError("name a scene or use --all (see --list)")
    unknown = [n for n in r.names if n not in CATALOGUE]
    if unknown:
        raise click.UsageError(
            f"unknown scene {', '.join(map(repr, unknown))}; known: {', '.join(CATALOGUE)}"
        )
    return list(CATALOGUE) if r.all_scenes else list(dict.fromkeys(r.names))


def print_params(names: list[str]) -> None:
    for name in names:
        click.echo(f"{name}:")
        for key, value, text in describe(CATALOGUE[name].load().Params()):
            click.echo(f"  {key} = {json.dumps(value)}\n      {text}")


def load_data(r: Request) -> Data | None:
    """The --data problem, or None; raises UsageError in one line."""
    if r.data is None:
        if r.x or r.y:
            raise click.UsageError("--x and --y choose columns of a --data file; give --data")
        return None
    if r.y is None:
        raise click.UsageError("--data needs the response column: --y NAME")
    try:
        return load(r.data, r.x, r.y, not r.no_intercept, not r.no_standardize)
    except DataError as err:
        raise click.UsageError(str(err)) from None


def scene_overrides(name: str, given: dict, data: Data | None) -> dict:
    """The --set values for scene `name`: with --data, its problem and labels, and budgets
    that suit it where --set does not say otherwise."""
    if data is None:
        return given
    fields = {f.name for f in scene_fields(name)}
    try:
        return {**data_overrides(data, fields, given), **given}
    except DataError as err:
        raise click.UsageError(f"{name}: {err}") from None


def scene_fields(name: str) -> tuple:
    return dataclasses.fields(CATALOGUE[name].load().Params)


def make_jobs(names: list[str], r: Request) -> list[RenderJob]:
    try:
        given = parse_assignments(r.assignments)
    except ParamError as err:
        raise click.UsageError(str(err)) from None
    data = load_data(r)
    themes = ("dark", "light") if r.theme == "both" else (r.theme,)
    return [
        r.job(
            name,
            overrides=scene_overrides(name, given, data),
            quality=r.quality or CATALOGUE[name].quality or DEFAULT_QUALITY,
            formats=r.chosen_formats,
            theme=theme,
            data=data.record() if data else None,
            gif_max_kb=r.gif_max_kb,
            paired=len(themes) > 1,
        )
        for name in names
        for theme in themes
    ]


def plan_all(jobs: list[RenderJob]) -> list[Plan]:
    """Validate and solve every job before anything renders; raises UsageError."""
    plans = []
    for job in jobs:
        try:
            plans.append(plan(job))
        except (ParamError, ScriptError, VoiceError) as err:
            raise click.UsageError(f"{job.name}: {err}") from None
    return plans


def _announce(job: RenderJob) -> None:
    click.echo(f"▶ {job.name}: rendering {job.preset} → {', '.join(job.formats)}")


def _render_in_worker(p: Plan, quiet: bool) -> Outcome:
    """render_scene as a pool worker's task; say when it starts."""

    def task() -> Outcome:
        if not quiet:
            _announce(p.job)
        return render_scene(p)

    return in_worker(task)


def render_all(plans: list[Plan], workers: int, quiet: bool, done: list[Outcome]) -> None:
    """Render `plans`, `workers` at a time (a lone scene's frames shared among them),
    appending each outcome to `done` as it comes. Ctrl-C (or SIGTERM) stops every worker:
    each removes its temporary folder, and no further job starts."""

    def finished(o: Outcome) -> None:
        done.append(o)
        if not quiet:
            mark = "✓" if o.ok else "✗"
            click.echo(f"{mark} {o.name}: {o.status} in {o.seconds:.1f} s")

    if workers == 1 or len(plans) <= 1:  # one at a time, each across the workers
        for p in plans:
            if not quiet:
                _announce(p.job)
            finished(render_scene(p, shares=workers))
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(plans)), initializer=quiet_worker) as pool:
        for outcome in pool.imap_unordered(partial(_render_in_worker, quiet=quiet), plans):
            finished(outcome)
        pool.close()
        pool.join()
    order = [p.job.name for p in plans]
    done.sort(key=lambda o: order.index(o.name))


def interrupted(plans: list[Plan]) -> int:
    """Say exactly which scenes' files this run replaced before Ctrl-C, and which kept their
    previous files; returns 130."""
    replaced = [p.job.name for p in plans if up_to_date(p.job) is not None]
    kept = [p.job.name for p in plans if p.job.name not in replaced]
    said = []
    if replaced:
        said.append(f"new files for {', '.join(replaced)}")
    if kept:
        said.append(f"previous files kept for {', '.join(kept)}")
    click.echo(f"\ninterrupted: {'; '.join(said) or 'nothing to render'}", err=True)
    return 130


def check_free_space(plans: list[Plan], workers: int, out: Path) -> None:
    """Raise ClickException when the output folder's disk cannot hold the renders."""
    folder = next(p for p in (out.resolve(), *out.resolve().parents) if p.exists())
    free = shutil.disk_usage(folder).free
    needed = free_space_needed(plans, workers)
    if free < needed:
        raise click.ClickException(
            f"not enough free space in {folder}: these renders need about "
            f"{size_text(needed)}, {size_text(free)} is free"
        )


def update_gallery(out: Path, quiet: bool) -> None:
    if not out.exists():
        return
    try:
        gallery, skipped = write_gallery(out, list(CATALOGUE))
    except OSError as err:
        click.echo(f"gallery not written: {err}", err=True)
        return
    for line in skipped:
        click.echo(f"gallery: skipped {line}", err=True)
    if not quiet and gallery is not None:
        click.echo(f"gallery: {gallery}")


def print_table(outcomes: list[Outcome]) -> None:
    rows = [
        (
            o.name,
            o.status,
            f"{o.seconds:.1f}",
            "  ".join(f"{f} {size_text(b)}" for f, b in o.bytes.items()),
        )
        for o in outcomes
    ]
    head = ("scene", "status", "seconds", "outputs")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
    click.echo()
    for row in [head, *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[3])
    for o in outcomes:
        if not o.ok:
            click.echo(f"{o.name}: {o.message}", err=True)


def run_explainer(r: Request) -> int:
    """Render the chaptered explainer (its clips in parallel, then the join); returns the exit
    status."""
    if r.all_scenes or len(r.names) != 1:
        raise click.UsageError("render the explainer on its own: render.py explainer")
    if r.theme == "both":
        raise click.UsageError("--theme both: render the explainer in one theme, dark or light")
    bad = [f for f in r.formats if f not in explainer.FORMATS_ALLOWED]
    if bad:
        raise click.UsageError(f"-f {bad[0]}: the explainer is a video; use -f webm, mp4 or png")
    formats = tuple(dict.fromkeys(r.formats or explainer.DEFAULT_FORMATS))
    r = dataclasses.replace(r, formats=formats)
    try:
        overrides = parse_assignments(r.assignments)
        data = load_data(r)
        if data is not None:
            every = {f.name for n in explainer.CHAPTERS for f in scene_fields(n)}
            overrides = {**data_overrides(data, every, overrides), **overrides}
        template = r.job(
            explainer.NAME,
            overrides=overrides,
            quality=r.quality or DEFAULT_QUALITY,
            formats=formats,
            theme=r.theme,
            data=data.record() if data else None,
        )
        parts = explainer.chapters(template)
    except (ParamError, DataError) as err:
        raise click.UsageError(f"{explainer.NAME}: {err}") from None
    own = dataclasses.replace(template, overrides={})  # the chapters' are in the hash
    cached = up_to_date(own, explainer.explainer_hash(template, parts))
    if cached is not None:
        if not r.quiet:
            click.echo(f"✓ {explainer.NAME}: up to date")
        print_table([cached])
        return 0
    clips = explainer.clip_jobs(parts)
    plans = plan_all([c for c in clips if up_to_date(c) is None])
    missing = missing_tools(formats) if plans else []
    if missing:
        click.echo(f"missing system tools: {'; '.join(missing)}; or run ./run.sh setup", err=True)
        return 1
    workers = r.jobs or os.cpu_count() or 1
    with folder_lock(r.out, lambda: click.echo(f"waiting for another render in {r.out}/ …")):
        plans = [p for p in plans if up_to_date(p.job) is None]
        check_free_space(plans, workers, r.out)
        if not r.quiet:
            click.echo(f"{explainer.NAME}: {len(clips) - len(plans)} of {len(clips)} clips cached")
        rendered: list[Outcome] = []
        try:
            render_all(plans, workers, r.quiet, rendered)
        except KeyboardInterrupt:
            return interrupted(plans)
        failed = [o for o in rendered if not o.ok]
        if failed:
            print_table(failed)
            return 1
        try:
            outcome = explainer.assemble(template, parts)
        except (RuntimeError, ValueError, OSError) as err:
            click.echo(f"{explainer.NAME}: joining the chapters failed: {err}", err=True)
            return 1
        update_gallery(r.out, r.quiet)
    print_table([*rendered, outcome])
    return 0


def run(r: Request) -> int:
    """Render what `r` asks for; returns the exit status."""
    jobs = make_jobs(selected_scenes(r), r)
    # Up-to-date scenes need nothing else (not even Manim); the rest are validated first.
    plans = plan_all([j for j in jobs if up_to_date(j) is None])
    if plans:
        missing = missing_tools(jobs[0].formats)
        if missing:
            click.echo(
                f"missing system tools: {'; '.join(missing)}; or run ./run.sh setup", err=True
            )
            return 1
    workers = r.jobs or os.cpu_count() or 1
    with folder_lock(r.out, lambda: click.echo(f"waiting for another render in {r.out}/ …")):
        outcomes = {j.name: up_to_date(j) for j in jobs}  # again: it may have rendered them
        plans = [p for p in plans if outcomes[p.job.name] is None]
        check_free_space(plans, workers, r.out)
        if not r.quiet:
            for job in jobs:
                if outcomes[job.name] is not None:
                    click.echo(f"✓ {job.name}: up to date")
        rendered: list[Outcome] = []
        try:
            render_all(plans, workers, r.quiet, rendered)
        except KeyboardInterrupt:
            return interrupted(plans)
        outcomes.update((o.name, o) for o in rendered)
        update_gallery(r.out, r.quiet)
    ordered = [outcomes[j.name] for j in jobs]
    print_table(ordered)
    return 0 if all(o.ok for o in ordered) else 1


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("names", nargs=-1)
@click.option("--list", "list_scenes", is_flag=True, help="List the scenes and exit.")
@click.option("--json", "as_json", is_flag=True, help="With --list: print JSON.")
@click.option(
    "--gallery",
    "gallery_only",
    is_flag=True,
    help="Only rebuild <out>/index.html from the manifests in --out (e.g. after merging folders).",
)
@click.option("--all", "all_scenes", is_flag=True, help="Render every scene.")
@click.option(
    "-q",
    "--quality",
    type=click.Choice(list(QUALITIES)),
    default=None,
    help=", ".join(q.describe() for q in QUALITIES.values()) + ".",
)
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    help=f"Output format (repeat for several). Default: {', '.join(DEFAULT_FORMATS)}.",
)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a scene parameter; VALUE is JSON (k=1.5, center=[2,1]) or text.",
)
@click.option(
    "--theme",
    type=click.Choice(["dark", "light", "both"]),
    default="dark",
    show_default=True,
    help="both: also <scene>-light.*, and snippets that serve each reader their system's theme.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default="media",
    show_default=True,
    callback=lambda ctx, param, value: _folder(value),
    help="Output folder.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Scenes rendered in parallel. Default: number of cores.",
)
@click.option("--force", is_flag=True, help="Render even when the outputs are up to date.")
@click.option("--quiet", is_flag=True, help="Only the closing table and errors.")
@click.option("--verbose", is_flag=True, help="Show Manim's log and progress bars.")
@click.option("--help-params", is_flag=True, help="List the scenes' parameters and exit.")
@click.option(
    "--voice",
    type=click.Choice(list(ENGINES)),
    default=None,
    help="Narration: none, espeak (espeak-ng) or piper (pip install -e '.[piper]'). "
    "Default: espeak when a format has sound (mp4, webm), else none.",
)
@click.option(
    "--captions",
    type=click.Choice(CAPTIONS),
    default="file",
    show_default=True,
    help="file: <scene>.vtt and .srt beside every moving format; burn: also burnt into them.",
)
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A CSV file (with a header row) to build the problem from: H = XᵀX and c the "
    "least-squares solution of the --x columns against --y.",
)
@click.option(
    "--x",
    "x",
    multiple=True,
    metavar="COLUMN",
    help="A feature column of --data: two for the 2-weight scenes, any number for "
    "ridge_trace and choose_lambda (none: every column but --y).",
)
@click.option("--y", "y", default=None, metavar="COLUMN", help="The response column of --data.")
@click.option("--no-intercept", is_flag=True, help="With --data: do not centre the columns.")
@click.option(
    "--no-standardize", is_flag=True, help="With --data: do not scale the columns to unit spread."
)
@click.option(
    "--gif-max-kb",
    type=click.IntRange(min=50),
    default=None,
    metavar="KB",
    help="Fit each GIF in this many KB: lossy LZW, then fewer colours, then half the frame "
    "rate, then a smaller size, as little as needed; the manifest records the choice and its "
    "SSIM.",
)
@click.option(
    "--recordings",
    type=click.Path(file_okay=False, path_type=Path),
    default=RECORDINGS,
    help="Your own voice: <DIR>/<scene>/<beat>.wav replaces synthesis for that beat. "
    "Default: narration/voice.",
)
@click.pass_context
def main(ctx: click.Context, **options: Any) -> None:
    """Render scenes to media/<name>.<format> with a manifest media/<name>.json."""
    r = Request(**options)
    if r.list_scenes:
        list_scenes(r.as_json)
    elif r.help_params:
        print_params(selected_scenes(r))
    elif r.gallery_only:
        if not r.out.is_dir():
            raise click.UsageError(f"--out {r.out}: no such folder")
        update_gallery(r.out, r.quiet)
    elif explainer.NAME in r.names:
        ctx.exit(run_explainer(r))
    else:
        ctx.exit(run(r))


def _terminate(signum, frame) -> None:
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed."""
    raise KeyboardInterrupt


def cli() -> int:
    """main() for the shell: usage errors exit 2, Ctrl-C at any moment (even while starting
    up) exits 130 with one line, never a traceback."""
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # started: Ctrl-C unwinds
    try:
        return main(standalone_mode=False) or 0
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("\ninterrupted before anything rendered", err=True)
        return 130


if __name__ == "__main__":
    sys.exit(cli())
