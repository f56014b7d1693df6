"""Render the ridge-regression scenes to files a blog can use.

    python render.py tangency                 # media/tangency.gif (+ media/tangency.json)
    python render.py explainer                # the narrated, chaptered video of them all
    python render.py explainer --chapter 3    # one chapter's clips (--assemble: join them)
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

import json
import signal
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from narration.script import LANGUAGES
from scenes import CATALOGUE
from studio import explainer
from studio.formats import DEFAULT_FORMATS, FORMATS
from studio.job import CAPTIONS, disk_full, sources_digest
from studio.params import describe
from studio.pipeline import check_out, execute
from studio.presets import QUALITIES
from studio.publish import update_gallery
from studio.request import (
    Request,
    explainer_run,
    explainer_template,
    scenes_run,
    selected_scenes,
)
from studio.voice import ENGINES, RECORDINGS


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


def list_chapters(r: Request) -> None:
    """`render.py explainer --list`: the chapters, with --json each one's inputs digest."""
    listing = explainer.listing(explainer_template(r))
    if r.as_json:
        click.echo(json.dumps(listing, indent=2, ensure_ascii=False))
        return
    for c in listing:
        click.echo(f"{c['chapter']:>2}  {c['title']}  ({', '.join(['card', *c['scenes']])})")


def print_params(names: list[str]) -> None:
    for name in names:
        click.echo(f"{name}:")
        for key, value, text in describe(CATALOGUE[name].load().Params()):
            click.echo(f"  {key} = {json.dumps(value)}\n      {text}")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("names", nargs=-1)
@click.option(
    "--list",
    "list_scenes",
    is_flag=True,
    help="List the scenes and exit (render.py explainer --list: its chapters).",
)
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
    "--chapter",
    "chapters",
    type=click.IntRange(min=0),
    multiple=True,
    metavar="N",
    help="With explainer: render only chapter N's clips (repeat for several; numbers as "
    "in --list), into <out>/.cache/clips as the whole render would.",
)
@click.option(
    "--assemble",
    is_flag=True,
    help="With explainer: join the clips rendered so far (by --chapter, on any machine, "
    "with the same options) into the explainer; renders nothing.",
)
@click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default="en",
    show_default=True,
    help="The language of the captions, the voice and every word on screen: "
    "narration/<lang>/<scene>.toml. Files other than English's are <scene>.<lang>.* "
    "(tangency.de.gif), beside the English ones.",
)
@click.option(
    "--voice",
    type=click.Choice(list(ENGINES)),
    default=None,
    help="Narration: none, espeak (espeak-ng: en, de, es) or piper (English only; pip install "
    "-e '.[piper]'). Default: espeak when a format has sound (mp4, webm), else none.",
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
    "--webp-max-kb",
    type=click.IntRange(min=50),
    default=1024,
    show_default=True,
    metavar="KB",
    help="Fit each animated WebP in this many KB: lower quality, then half the frame rate, "
    "then a smaller size, as little as needed; the manifest records the choice and its SSIM.",
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
    if r.list_scenes and explainer.NAME in r.names:
        list_chapters(r)
    elif r.list_scenes:
        list_scenes(r.as_json)
    elif r.help_params:
        print_params(selected_scenes(r))
    elif r.gallery_only:
        check_out(r.out)
        if not r.out.is_dir():
            raise click.UsageError(f"--out {r.out}: no such folder")
        ctx.exit(0 if update_gallery(r.out, r.quiet) else 1)
    else:
        check_out(r.out)
        explicit = ctx.get_parameter_source("recordings") is not ParameterSource.DEFAULT
        if explicit and not r.recordings.is_dir():
            why = "a symlink to no folder" if r.recordings.is_symlink() else "no such folder"
            raise click.UsageError(f"--recordings {r.recordings}: {why}")
        ctx.exit(execute(explainer_run(r) if explainer.NAME in r.names else scenes_run(r)))


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
    except click.UsageError as err:  # one line, not click's usage, hint and error
        click.echo(f"Error: {err.format_message()}", err=True)
        return err.exit_code
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except OSError as err:  # the machine failed us outside a render (which says its own)
        where = Path(err.filename) if err.filename else Path.cwd()
        if disk_full(err, where):
            click.echo(f"the disk is full (in {where}); free some space and try again", err=True)
        else:
            click.echo(f"render.py: {err.strerror or err}: {err.filename or ''}", err=True)
        return 1
    except (click.Abort, KeyboardInterrupt):
        click.echo("\ninterrupted before anything rendered", err=True)
        return 130


if __name__ == "__main__":
    sys.exit(cli())
