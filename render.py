"""Render the ridge-regression scenes to files a blog can use.

    python render.py tangency                 # media/tangency.gif (+ media/tangency.json)
    python render.py --all -f gif -f mp4      # every scene, two formats, in parallel
    python render.py tangency --set k=0.8 --theme light
    python render.py --list                   # what there is
    python render.py tangency --help-params   # what --set can change

Exit status: 0 every scene rendered or up to date, 1 a render failed, 2 a usage error.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import click

from scenes import CATALOGUE
from studio.formats import DEFAULT_FORMATS, FORMATS, missing_tools
from studio.gallery import size_text, write_gallery
from studio.job import Outcome, Plan, RenderJob, plan, render_scene, up_to_date
from studio.params import ParamError, describe, parse_assignments
from studio.presets import DEFAULT_QUALITY, QUALITIES


@dataclass(frozen=True)
class Request:
    """What the command line asked for (one field per option)."""

    names: tuple[str, ...]
    list_scenes: bool
    as_json: bool
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


def make_jobs(names: list[str], r: Request) -> list[RenderJob]:
    try:
        overrides = parse_assignments(r.assignments)
    except ParamError as err:
        raise click.UsageError(str(err)) from None
    formats = tuple(dict.fromkeys(r.formats or DEFAULT_FORMATS))
    return [
        RenderJob(
            scene=name,
            overrides=overrides,
            quality=r.quality or CATALOGUE[name].quality or DEFAULT_QUALITY,
            formats=formats,
            theme=r.theme,
            out=r.out,
            force=r.force,
            verbose=r.verbose,
        )
        for name in names
    ]


def plan_all(jobs: list[RenderJob]) -> list[Plan]:
    """Validate and solve every job before anything renders; raises UsageError."""
    plans = []
    for job in jobs:
        try:
            plans.append(plan(job))
        except ParamError as err:
            raise click.UsageError(f"{job.scene}: {err}") from None
    return plans


def _announce(job: RenderJob) -> None:
    click.echo(f"▶ {job.scene}: rendering {job.preset} → {', '.join(job.formats)}")


def _render_in_worker(p: Plan, quiet: bool) -> Outcome:
    """render_scene in a worker process: say when it starts; on Ctrl-C (the render has
    already removed its temporary folder) leave quietly, the main process reports it."""
    try:
        if not quiet:
            _announce(p.job)
        return render_scene(p)
    except KeyboardInterrupt:
        sys.exit(130)


def render_all(plans: list[Plan], workers: int, quiet: bool) -> list[Outcome]:
    """Render `plans`, `workers` at a time. Ctrl-C (or SIGTERM) stops every worker: each
    removes its temporary folder, and no further job starts."""
    outcomes = []

    def finished(o: Outcome) -> None:
        outcomes.append(o)
        if not quiet:
            mark = "✓" if o.ok else "✗"
            click.echo(f"{mark} {o.scene}: {o.status} in {o.seconds:.1f} s")

    if workers == 1 or len(plans) <= 1:
        for p in plans:
            if not quiet:
                _announce(p.job)
            finished(render_scene(p))
        return outcomes
    # On Ctrl-C, the Pool's exit terminates its workers (SIGTERM, which they turn into
    # KeyboardInterrupt); when all is done they are closed and joined, and leave quietly.
    with multiprocessing.get_context("fork").Pool(min(workers, len(plans))) as pool:
        for outcome in pool.imap_unordered(partial(_render_in_worker, quiet=quiet), plans):
            finished(outcome)
        pool.close()
        pool.join()
    order = [p.job.scene for p in plans]
    return sorted(outcomes, key=lambda o: order.index(o.scene))


def update_gallery(out: Path, quiet: bool) -> None:
    if not out.exists():
        return
    try:
        gallery = write_gallery(out, list(CATALOGUE))
    except OSError as err:
        click.echo(f"gallery not written: {err}", err=True)
        return
    if not quiet and gallery is not None:
        click.echo(f"gallery: {gallery}")


def print_table(outcomes: list[Outcome]) -> None:
    rows = [
        (
            o.scene,
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
            click.echo(f"{o.scene}: {o.message}", err=True)


def run(r: Request) -> int:
    """Render what `r` asks for; returns the exit status."""
    jobs = make_jobs(selected_scenes(r), r)
    # Up-to-date scenes need nothing else (not even Manim); the rest are validated first.
    outcomes: dict[str, Outcome | None] = {j.scene: up_to_date(j) for j in jobs}
    plans = plan_all([j for j in jobs if outcomes[j.scene] is None])
    if plans:
        missing = missing_tools(jobs[0].formats)
        if missing:
            click.echo(
                f"missing system tools: {'; '.join(missing)}; or run ./run.sh setup", err=True
            )
            return 1
    if not r.quiet:
        for job in jobs:
            if outcomes[job.scene] is not None:
                click.echo(f"✓ {job.scene}: up to date")
    try:
        rendered = render_all(plans, r.jobs or os.cpu_count() or 1, r.quiet)
    except KeyboardInterrupt:
        click.echo("\ninterrupted: previous outputs are untouched", err=True)
        return 130
    outcomes.update((o.scene, o) for o in rendered)
    update_gallery(r.out, r.quiet)
    ordered = [outcomes[j.scene] for j in jobs]
    print_table(ordered)
    return 0 if all(o.ok for o in ordered) else 1


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("names", nargs=-1)
@click.option("--list", "list_scenes", is_flag=True, help="List the scenes and exit.")
@click.option("--json", "as_json", is_flag=True, help="With --list: print JSON.")
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
@click.option("--theme", type=click.Choice(["dark", "light"]), default="dark", show_default=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("media"),
    show_default=True,
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
@click.pass_context
def main(ctx: click.Context, **options: Any) -> None:
    """Render scenes to media/<name>.<format> with a manifest media/<name>.json."""
    r = Request(**options)
    if r.list_scenes:
        list_scenes(r.as_json)
    elif r.help_params:
        print_params(selected_scenes(r))
    else:
        ctx.exit(run(r))


def _terminate(signum, frame) -> None:
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    main()
