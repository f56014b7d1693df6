"""From the command line to a run: what was asked for (`Request`, one field per option),
the jobs it makes (scenes in their themes, or the explainer's clips and their join), each
validated here in one line (a usage error) before `studio.pipeline` plans and renders them.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

import scenes
from narration import Script, ScriptError
from narration.script import speaking

from . import explainer
from .data import Data, DataError, data_overrides, load
from .formats import DEFAULT_FORMATS, FORMATS, with_poster
from .job import RenderJob, up_to_date
from .params import ParamError, parse_assignments
from .pipeline import Run
from .presets import DEFAULT_QUALITY
from .voice import ENGINES


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
    webp_max_kb: int
    lang: str = "en"
    chapters: tuple[int, ...] = ()  # --chapter: the explainer's chapters whose clips to render
    assemble: bool = False  # --assemble: join the explainer's clips already rendered

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
            lang=self.lang,
            **fields,
        )

    @property
    def chosen_voice(self) -> str:
        """--voice, else espeak when a format carries sound, else none."""
        if self.voice is not None:
            return self.voice
        return "espeak" if any(FORMATS[f].audio for f in self.chosen_formats) else "none"

    def check_voice(self) -> None:
        """The voice speaks --lang (piper has only an English voice here); raises
        UsageError in one line."""
        engine = ENGINES[self.chosen_voice]
        refused = engine.speaks(self.lang) if engine is not None else None
        if refused:
            raise click.UsageError(f"{refused}; use --voice espeak")


def selected_scenes(r: Request) -> list[str]:
    """The scene names asked for, in order, each once; raises UsageError."""
    if r.all_scenes and r.names:
        raise click.UsageError("give scene names or --all, not both")
    if not r.all_scenes and not r.names:
        raise click.UsageError("name a scene or use --all (see --list)")
    unknown = [n for n in r.names if n not in scenes.CATALOGUE]
    if unknown:
        raise click.UsageError(
            f"unknown scene {', '.join(map(repr, unknown))}; known: {', '.join(scenes.CATALOGUE)}"
        )
    return list(scenes.CATALOGUE) if r.all_scenes else list(dict.fromkeys(r.names))


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


def scene_overrides(name: str, given: dict, data: Data | None, lang: str) -> dict:
    """The --set values for scene `name`: with --data, its problem and labels (the line
    saying where the data came from in `lang`), and budgets that suit it where --set does not
    say otherwise."""
    if data is None:
        return given
    fields = {f.name for f in scene_fields(name)}
    try:
        return {**data_overrides(data, fields, given, scene_script(name, lang)), **given}
    except (DataError, ScriptError) as err:
        raise click.UsageError(f"{name}: {err}") from None


def scene_fields(name: str) -> tuple:
    return dataclasses.fields(scenes.CATALOGUE[name].load().Params)


def scene_script(name: str, lang: str) -> Script:
    """Scene `name`'s script in `lang` (its words); raises ScriptError."""
    with speaking(lang):
        return scenes.CATALOGUE[name].load().load_script()


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
            overrides=scene_overrides(name, given, data, r.lang),
            quality=r.quality or scenes.CATALOGUE[name].quality or DEFAULT_QUALITY,
            formats=with_poster(r.chosen_formats),
            theme=theme,
            data=data.record() if data else None,
            gif_max_kb=r.gif_max_kb,
            webp_max_kb=r.webp_max_kb,
            paired=len(themes) > 1,
        )
        for name in names
        for theme in themes
    ]


def explainer_template(r: Request) -> RenderJob:
    """The explainer's job as asked for (quality, formats, theme, voice, --set values, …);
    raises UsageError in one line."""
    if r.all_scenes or len(r.names) != 1:
        raise click.UsageError("render the explainer on its own: render.py explainer")
    if r.theme == "both":
        raise click.UsageError("--theme both: render the explainer in one theme, dark or light")
    bad = [f for f in r.formats if f not in explainer.FORMATS_ALLOWED]
    if bad:
        raise click.UsageError(f"-f {bad[0]}: the explainer is a video; use -f webm, mp4 or png")
    formats = tuple(dict.fromkeys(r.formats or explainer.DEFAULT_FORMATS))
    r = dataclasses.replace(r, formats=formats)
    r.check_voice()
    try:
        overrides = parse_assignments(r.assignments)
        data = load_data(r)
        if data is not None:
            story = explainer.scenes_in_story()
            every = {f.name for n in story for f in scene_fields(n)}
            noted = next(n for n in story if "data_note" in {f.name for f in scene_fields(n)})
            words = scene_script(noted, r.lang)  # the data's line on screen, in its language
            overrides = {**data_overrides(data, every, overrides, words), **overrides}
        return r.job(
            explainer.NAME,
            overrides=overrides,
            quality=r.quality or DEFAULT_QUALITY,
            formats=formats,
            theme=r.theme,
            data=data.record() if data else None,
        )
    except (ParamError, DataError, ScriptError) as err:
        raise click.UsageError(f"{explainer.NAME}: {err}") from None


def explainer_run(r: Request) -> Run:
    """The chaptered explainer: its clips rendered in parallel, then joined; with --chapter
    only those chapters' clips, with --assemble only the join of the clips already there."""
    if r.chapters and r.assemble:
        raise click.UsageError("--chapter renders clips and --assemble joins them: give one")
    template = explainer_template(r)
    formats, workers = template.formats, r.jobs or os.cpu_count() or 1
    try:
        picked = explainer.pick(r.chapters)
        with speaking(r.lang):  # the cards' headings in the chosen language
            parts = explainer.chapters(template)
        if picked:
            clips = explainer.clip_jobs([parts[n] for n in picked])
            name = f"{explainer.NAME} chapter {', '.join(map(str, picked))}"
            return Run(clips, r.out, formats, workers, r.quiet, name=name)
        own = dataclasses.replace(template, overrides={})  # the chapters' are in the hash
        cached = up_to_date(own, explainer.explainer_hash(template, parts))
        clips = [] if cached is not None else explainer.clip_jobs(parts)
        if r.assemble and cached is None:
            clips = explainer.rendered_clips(parts)
    except (ParamError, ScriptError) as err:
        raise click.UsageError(f"{explainer.NAME}: {err}") from None
    return Run(
        clips,
        r.out,
        formats,
        workers,
        r.quiet,
        join=lambda: explainer.assemble(template, parts),
        name=explainer.NAME,
        cached=cached,
    )


def scenes_run(r: Request) -> Run:
    """The scenes `r` names, each in its theme(s)."""
    if r.chapters or r.assemble:
        raise click.UsageError("--chapter and --assemble are the explainer's: render.py explainer")
    names = selected_scenes(r)
    r.check_voice()
    jobs = make_jobs(names, r)
    return Run(jobs, r.out, r.chosen_formats, r.jobs or os.cpu_count() or 1, r.quiet)
