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
import shutil
import signal
import sys
from functools import partial
from pathlib import Path

import click

from scenes import CATALOGUE
from studio.encode import FORMATS
from studio.gallery import size_text, write_gallery
from studio.job import DEFAULT_QUALITY, QUALITIES, Outcome, RenderJob, render_scene, up_to_date
from studio.params import ParamError, build, describe, parse_assignments

TOOLS = {
    "ffmpeg": "ffmpeg",
    "latex": "texlive-latex-base texlive-latex-recommended texlive-latex-extra",
    "dvisvgm": "dvisvgm",
}


def _missing_tools(formats: tuple[str, ...]) -> list[str]:
    needed = dict(TOOLS, **({"gifsicle": "gifsicle"} if "gif" in formats else {}))
    return [
        f"{tool} (apt-get install {pkg})" for tool, pkg in needed.items() if not shutil.which(tool)
    ]


def _print_table(outcomes: list[Outcome]) -> None:
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


def _announce(job: RenderJob) -> None:
    w, h, fps = QUALITIES[job.quality]
    click.echo(f"▶ {job.scene}: rendering {w}×{h}@{fps} → {', '.join(job.formats)}")


def _render_in_worker(job: RenderJob, quiet: bool) -> Outcome:
    """render_scene in a worker process: say when it starts; on Ctrl-C (the render has
    already removed its temporary folder) leave quietly, the main process reports it."""
    try:
        if not quiet:
            _announce(job)
        return render_scene(job)
    except KeyboardInterrupt:
        sys.exit(130)


def _render_all(jobs: list[RenderJob], workers: int, quiet: bool) -> list[Outcome]:
    """Render `jobs`, `workers` at a time. Ctrl-C (or SIGTERM) stops every worker: each
    removes its temporary folder, and no further job starts."""
    outcomes = []

    def finished(o: Outcome) -> None:
        outcomes.append(o)
        if not quiet:
            mark = "✓" if o.ok else "✗"
            click.echo(f"{mark} {o.scene}: {o.status} in {o.seconds:.1f} s")

    if workers == 1 or len(jobs) <= 1:
        for job in jobs:
            if not quiet:
                _announce(job)
            finished(render_scene(job))
        return outcomes
    # a Pool's exit terminates its workers (SIGTERM, which they turn into KeyboardInterrupt)
    with multiprocessing.get_context("fork").Pool(min(workers, len(jobs))) as pool:
        for outcome in pool.imap_unordered(partial(_render_in_worker, quiet=quiet), jobs):
            finished(outcome)
    order = [j.scene for j in jobs]
    return sorted(outcomes, key=lambda o: order.index(o.scene))


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
    help="blog 768×432@20 (the default), thumb 480×270@20 (the default of thumbnail scenes), "
    "draft 384×216@10, low 854×480@15, medium 1280×720@30, high 1920×1080@60, "
    "4k 3840×2160@60.",
)
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Output format (repeat for several). Default: gif.",
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
def main(
    ctx,
    names,
    list_scenes,
    as_json,
    all_scenes,
    quality,
    formats,
    assignments,
    theme,
    out,
    jobs,
    force,
    quiet,
    verbose,
    help_params,
) -> None:
    """Render scenes to media/<name>.<format> with a manifest media/<name>.json."""
    if list_scenes:
        entries = list(CATALOGUE.values())
        if as_json:
            listing = [
                {
                    "name": e.name,
                    "title": e.title,
                    "description": e.description,
                    "module": e.relative_path,
                    "class": e.cls,
                }
                for e in entries
            ]
            click.echo(json.dumps(listing, indent=2, ensure_ascii=False))
        else:
            width = max(len(e.name) for e in entries)
            for e in entries:
                click.echo(f"{e.name.ljust(width)}  {e.title}")
        return
    if all_scenes and names:
        raise click.UsageError("give scene names or --all, not both")
    if not all_scenes and not names:
        raise click.UsageError("name a scene or use --all (see --list)")
    unknown = [n for n in names if n not in CATALOGUE]
    if unknown:
        raise click.UsageError(
            f"unknown scene {', '.join(map(repr, unknown))}; known: {', '.join(CATALOGUE)}"
        )
    selected = list(CATALOGUE) if all_scenes else list(dict.fromkeys(names))
    if help_params:
        for name in selected:
            click.echo(f"{name}:")
            for key, value, text in describe(CATALOGUE[name].load().Params()):
                click.echo(f"  {key} = {json.dumps(value)}\n      {text}")
        return
    try:
        overrides = parse_assignments(assignments)
    except ParamError as err:
        raise click.UsageError(str(err)) from None
    chosen = tuple(dict.fromkeys(formats or ("gif",)))
    todo = [
        RenderJob(
            name,
            overrides,
            quality or CATALOGUE[name].quality or DEFAULT_QUALITY,
            chosen,
            theme,
            out,
            force,
            verbose,
        )
        for name in selected
    ]

    # Up-to-date scenes need nothing else (not even Manim); the rest are validated first.
    outcomes = {j.scene: up_to_date(j) for j in todo}
    pending = [j for j in todo if outcomes[j.scene] is None]
    for job in pending:
        try:
            build(job.entry.load(), job.overrides)
        except ParamError as err:
            raise click.UsageError(f"{job.scene}: {err}") from None
    if pending:
        missing = _missing_tools(tuple(formats or ("gif",)))
        if missing:
            click.echo(
                f"missing system tools: {'; '.join(missing)}; or run ./run.sh setup", err=True
            )
            ctx.exit(1)
    if not quiet:
        for job in todo:
            if outcomes[job.scene] is not None:
                click.echo(f"✓ {job.scene}: up to date")
    workers = jobs or os.cpu_count() or 1
    try:
        rendered = _render_all(pending, workers, quiet)
    except KeyboardInterrupt:
        click.echo("\ninterrupted: previous outputs are untouched", err=True)
        ctx.exit(130)
    for outcome in rendered:
        outcomes[outcome.scene] = outcome
    if out.exists():
        try:
            gallery = write_gallery(out, list(CATALOGUE))
        except OSError as err:
            click.echo(f"gallery not written: {err}", err=True)
        else:
            if not quiet and gallery is not None:
                click.echo(f"gallery: {gallery}")
    ordered = [outcomes[j.scene] for j in todo]
    _print_table(ordered)
    ctx.exit(0 if all(o.ok for o in ordered) else 1)


def _terminate(signum, frame) -> None:
    """SIGTERM unwinds like Ctrl-C, so temporary files are removed."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    main()
