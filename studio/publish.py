"""The last step of a run: the per-run outputs, fed every render of the run or the folder
(the explainer's join of its clips; the gallery of every manifest in the folder), and the
closing table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

import scenes

from .gallery import size_text, write_gallery
from .job import Outcome, disk_full

if TYPE_CHECKING:
    from .pipeline import Run


def publish(run: Run, outcomes: list[Outcome], rendered: list[Outcome]) -> tuple[int, list]:
    """After the renders of `run` (`outcomes` of every job, `rendered` of those rendered
    now): its join, if it has one, then the gallery; returns the exit status and the
    outcomes for the closing table."""
    if run.join is None:
        update_gallery(run.out, run.quiet)
        return (0 if all(o.ok for o in outcomes) else 1), outcomes
    failed = [o for o in rendered if not o.ok]
    if failed:
        return 1, failed
    try:
        joined = run.join()
    except (RuntimeError, ValueError, OSError) as err:
        if disk_full(err, run.out):
            err = f"the disk is full (in {run.out}); free some space and render again"
        click.echo(f"{run.name}: joining the chapters failed: {err}", err=True)
        return 1, []
    update_gallery(run.out, run.quiet)
    return 0, [*rendered, joined]


def update_gallery(out: Path, quiet: bool) -> bool:
    """Write <out>/index.html for what the folder holds; False (and one line) if it could
    not be written."""
    if not out.exists():
        return True
    try:
        gallery, skipped = write_gallery(out, list(scenes.CATALOGUE))
    except OSError as err:
        why = f"the disk is full (in {out})" if disk_full(err, out) else err.strerror or err
        click.echo(f"gallery not written: {why}", err=True)
        return False
    for line in skipped:
        click.echo(f"gallery: skipped {line}", err=True)
    if not quiet and gallery is not None:
        click.echo(f"gallery: {gallery}")
    return True


def print_table(outcomes: list[Outcome]) -> None:
    """The closing table: each render's status, time and file sizes; then each failure."""
    if not outcomes:
        return
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
