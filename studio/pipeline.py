"""One run of the command line, for scene renders and the explainer alike:

    plan → check → render → publish

`plan` validates and solves every job that is not up to date (usage errors before anything
renders); `check` the system tools, the output folder (its lock) and its free space;
`render` the plans in parallel (Ctrl-C stops every worker; each removes its temporary
folder); `publish` the per-run outputs fed every manifest: the explainer's join (when the
run has one) and the folder's gallery (`studio.publish`).
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import click

from narration import ScriptError

from .formats import missing_tools
from .gallery import size_text
from .job import (
    FolderError,
    Outcome,
    Plan,
    RenderJob,
    folder_lock,
    free_space_needed,
    in_worker,
    plan,
    quiet_worker,
    render_scene,
    uninterrupted,
    up_to_date,
)
from .params import ParamError
from .publish import print_table, publish, update_gallery
from .voice import VoiceError


@dataclass(frozen=True)
class Run:
    """What one command renders: scene jobs, and (the explainer) a join of them."""

    jobs: list[RenderJob]
    out: Path
    formats: tuple[str, ...]  # what the system tools are checked for
    workers: int
    quiet: bool
    join: Callable[[], Outcome] | None = None  # after every job rendered: one more output
    name: str = ""  # the explainer's: what its clips make (for messages)
    cached: Outcome | None = None  # the join's output is up to date: nothing to do


def execute(run: Run) -> int:
    """Plan, check, render and publish `run`; returns the exit status."""
    if run.cached is not None:
        if not run.quiet:
            click.echo(f"✓ {run.cached.name}: up to date")
        print_table([run.cached])
        return 0
    plans = plan_all([j for j in run.jobs if up_to_date(j) is None])  # plan
    missing = missing_tools(run.formats) if plans or run.join is not None else []  # check
    if missing:
        click.echo(f"missing system tools: {'; '.join(missing)}; or run ./run.sh setup", err=True)
        return 1
    with output_folder(run.out):
        # again: another render may have made them meanwhile (by position: the explainer's
        # clips share names, its cards all being "card")
        cached = [up_to_date(j) for j in run.jobs]
        stale = [j for j, c in zip(run.jobs, cached, strict=True) if c is None]
        plans = [p for p in plans if any(p.job is j for j in stale)]
        check_free_space(plans, run.workers, run.out)
        if not run.quiet:
            _announce_cached(run, cached)
        rendered: list[Outcome] = []
        try:  # render
            render_all(plans, run.workers, run.quiet, rendered)
        except KeyboardInterrupt:
            status = interrupted(plans)
            with uninterrupted():  # the gallery shows what finished
                update_gallery(run.out, run.quiet)
            return status
        now = {o.name: o for o in rendered}
        outcomes = [c or now[j.name] for j, c in zip(run.jobs, cached, strict=True)]
        status, table = publish(run, outcomes, rendered)
    print_table(table)
    return status


def _announce_cached(run: Run, cached: list[Outcome | None]) -> None:
    """What needs no rendering: the explainer's count of cached clips, or each scene."""
    if run.name:
        count = sum(c is not None for c in cached)
        click.echo(f"{run.name}: {count} of {len(cached)} clips cached")
        return
    for job, outcome in zip(run.jobs, cached, strict=True):
        if outcome is not None:
            click.echo(f"✓ {job.name}: up to date")


def plan_all(jobs: list[RenderJob]) -> list[Plan]:
    """Validate and solve every job before anything renders; raises UsageError."""
    plans = []
    for job in jobs:
        try:
            plans.append(plan(job))
        except (ParamError, ScriptError, VoiceError) as err:
            raise click.UsageError(f"{job.name}: {err}") from None
    return plans


def check_out(out: Path) -> None:
    """--out, before anything renders: a folder, or one that can be made, that this process
    can write in; raises UsageError in one line (a symlink loop, a symlink to nothing, a
    file, a read-only file system, no permission)."""
    path = out
    while True:  # the folder, else the nearest folder above it that exists
        try:
            found = os.stat(path)
        except FileNotFoundError:
            if path.is_symlink():
                raise click.UsageError(
                    f"--out {out}: {path} is a symlink to {os.readlink(path)}, which does not exist"
                ) from None
            path = path.parent
            continue
        except OSError as err:
            if err.errno == errno.ELOOP:
                raise click.UsageError(f"--out {out}: a symlink loop") from None
            if err.errno == errno.ENOTDIR:
                file = next((p for p in (*reversed(out.parents), out) if p.is_file()), out)
                raise click.UsageError(f"--out {out}: {file} is a file, not a folder") from None
            raise click.UsageError(f"--out {out}: {err.strerror or err}") from None
        break
    if not stat.S_ISDIR(found.st_mode):
        raise click.UsageError(f"--out {out}: {path} is not a folder")
    if not os.access(path, os.W_OK | os.X_OK):
        read_only = os.statvfs(path).f_flag & os.ST_RDONLY
        why = "on a read-only file system" if read_only else "not writable by you"
        raise click.UsageError(f"--out {out}: {path} is {why}; choose another folder")


@contextmanager
def output_folder(out: Path) -> Iterator[None]:
    """folder_lock for the command line: a folder that cannot be used is one line, exit 1."""
    with ExitStack() as stack:
        try:
            stack.enter_context(
                folder_lock(out, lambda: click.echo(f"waiting for another render in {out}/ …"))
            )
        except FolderError as err:
            raise click.ClickException(str(err)) from None
        yield


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
