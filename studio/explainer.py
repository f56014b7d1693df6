"""The explainer: the whole story as one narrated, captioned, chaptered video.

Chapters in teaching order (`STORY`): each a card (its heading and, for a statement, a few
formulas) and the scenes that tell it. Every card and scene is an ordinary render job (a
clip) whose files go to a folder named by its own inputs hash under <out>/.cache/clips/, so
clips are cached one by one: after editing one sentence of a scene's script only that clip
renders again. The clips' silent videos are joined by stream copy; the narration is laid on
the joined video as one track (no gaps at the joins), with chapter metadata, captions, a
YouTube-style chapter list, a manifest and snippets like any scene's.

The same two steps run apart (CI renders each chapter on its own machine): `--chapter N`
renders chapter N's clips into that cache (`pick`), `--assemble` joins the clips found there
(`rendered_clips`, then `assemble`), and `--list --json` gives each chapter's inputs digest
to key a cache on (`listing`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from narration import Script, wrap
from scenes import CATALOGUE, EXTRAS

from .audio import mux, speech_track
from .captions import Cue, check, to_srt, to_vtt
from .embed import embed_snippets
from .formats import FORMATS
from .job import (
    Outcome,
    RenderJob,
    _digest,
    claim,
    files_digest,
    inputs_hash,
    plan,
    uninterrupted,
    up_to_date,
)
from .manifest import Manifest
from .outputs.story import Clips, StoryOutput, clips_story
from .params import ParamError
from .sources import ROOT, project_files
from .voice import speak

NAME = "explainer"
TITLE = "Ridge regression through Lagrange multipliers: the whole story"
"""The English title (narration/explainer.toml [words.story] title; `story_words` for
another language's)."""


def story_words(lang: str, key: str, **values: Any) -> str:
    """The explainer's own words (its title, description, alt text) in `lang`, from
    narration/<lang>/explainer.toml [words.story], its fields filled."""
    return _words(lang).word("story", key).format(**values)


def _words(lang: str) -> Script:
    """narration/<lang>/explainer.toml, the cards' script (read without loading a scene)."""
    path = EXTRAS["card"].script_path
    return Script.load(path.stem, path.parent, lang)


@dataclass(frozen=True)
class Part:
    """A chapter of the story: its card (a beat of narration/explainer.toml, whose [words]
    give the chapter's heading) and the scenes it plays after the card."""

    card: str
    scenes: tuple[str, ...] = ()


STORY = (
    Part("title", ("ridge_landscape_thumbnail",)),
    Part("why_ridge", ("why_ridge",)),
    Part("fix"),
    Part("tangency", ("tangency",)),
    Part("lambda_sweep", ("lambda_sweep",)),
    Part("eigen_shrinkage", ("eigen_shrinkage",)),
    Part("choose_lambda", ("choose_lambda",)),
    Part("ridge_trace", ("ridge_trace",)),
    Part("augmented_lagrangian", ("augmented_lagrangian",)),
    Part("l1_vs_l2", ("l1_vs_l2",)),
    Part("price", ("shadow_price", "kkt_slackness")),
    Part("closing"),
)
"""The order, argued in the README: the question over the title picture; the problem ridge
solves (least squares swings along poorly determined directions); the fix stated (a penalty
is a budget, through the Lagrangian); where the optimum sits (tangency) and how λ moves it
(the sweep); which directions shrink (the eigen view); how λ is chosen and what changes with
more weights; how an algorithm finds λ; L1 against L2; an aside on λ as a price and when it is
zero; and the three sentences to keep."""


CLOSING_HOLD = 3.0
"""Seconds the last card stays after its last words (and their pause)."""


def scenes_in_story() -> tuple[str, ...]:
    return tuple(scene for part in STORY for scene in part.scenes)


FORMATS_ALLOWED = ("webm", "mp4", "png", "slides", "article")
DEFAULT_FORMATS = ("webm", "mp4")


@dataclass(frozen=True)
class Chapter:
    title: str  # in the chapter list and the video's chapter metadata
    clips: tuple[RenderJob, ...]  # its card, then its scene


def _clip(template: RenderJob, scene: str, overrides: dict[str, Any]) -> RenderJob:
    """A clip's job: silent video plus a poster, in its own folder named by its inputs and
    its parameters."""
    videos = [f for f in template.formats if FORMATS[f].video]
    if told(template) and "webm" not in videos:  # what the slides and the article join
        videos.append("webm")
    formats = (*videos, "png")
    job = dataclasses.replace(
        template,
        scene=scene,
        overrides=overrides,
        formats=formats,
        sound=False,
        captions=template.captions,
        cache=template.cache_dir,
    )
    key = hashlib.sha256(inputs_hash(job).encode())  # the inputs leave out the parameters
    key.update(json.dumps(overrides, sort_keys=True, default=str).encode())
    return dataclasses.replace(
        job, out=template.cache_dir / "clips" / f"{scene}-{key.hexdigest()[:16]}"
    )


def chapters(template: RenderJob) -> list[Chapter]:
    """The explainer's chapters for `template` (its quality, formats, theme, voice, …; its
    overrides go to every chapter whose scene takes them). Raises ParamError for a --set key
    that no chapter takes."""
    known = set()
    for name in scenes_in_story():
        known |= {f.name for f in dataclasses.fields(CATALOGUE[name].load().Params)}
    unknown = sorted(set(template.overrides) - known)
    if unknown:
        raise ParamError(f"unknown parameter {unknown[0]!r}: no chapter of the explainer takes it")
    words = EXTRAS["card"].load().load_script()

    def scene(name: str) -> RenderJob:
        fields = {f.name for f in dataclasses.fields(CATALOGUE[name].load().Params)}
        return _clip(template, name, {k: v for k, v in template.overrides.items() if k in fields})

    out, number = [], 0
    for part in STORY:
        numbered = part.card not in ("title", "closing")
        number += numbered
        held = {"hold_time": CLOSING_HOLD} if part is STORY[-1] else {}
        card = _clip(
            template, "card", {"card": part.card, "chapter": number if numbered else 0, **held}
        )
        heading = words.word(part.card, "heading")
        out.append(Chapter(heading, (card, *(scene(name) for name in part.scenes))))
    return out


def _own_sources() -> Any:
    """A running SHA-256 of this module's sources and those it imports."""
    digest = hashlib.sha256()
    for path in project_files(["studio.explainer"]):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest


def explainer_hash(template: RenderJob, parts: list[Chapter]) -> str:
    digest = _own_sources()
    for chapter in parts:
        digest.update(chapter.title.encode())
        for clip in chapter.clips:
            digest.update(clip.out.name.encode())
    digest.update(json.dumps([template.formats, template.voice, template.captions]).encode())
    return digest.hexdigest()


def clip_jobs(parts: list[Chapter]) -> list[RenderJob]:
    return [clip for chapter in parts for clip in chapter.clips]


def listing(template: RenderJob) -> list[dict[str, Any]]:
    """The chapters as `render.py explainer --list --json` prints them: the number that
    --chapter takes (its card's number; 0 the title, the last the closing), the heading, the
    card and scenes, and `inputs`: a digest of what the chapter's clips are made from, known
    without Manim or a voice installed (CI keys each chapter's cache on it): this module's
    sources, the card's and the scenes' files (`files_digest`), the chapter's place and the
    options of `template`. Not the versions of Manim and the voice: they are the setup's
    (CI adds its digest of pyproject.toml and run.sh)."""
    own = _own_sources()
    options = [template.quality, template.formats, template.theme, template.voice]
    options += [template.captions, template.lang, template.overrides, template.data]
    own.update(json.dumps(options, sort_keys=True, default=str).encode())
    made = {
        name: files_digest(dataclasses.replace(template, scene=name)).digest()
        for name in ("card", *scenes_in_story())
    }
    words, out = _words(template.lang), []
    for number, part in enumerate(STORY):
        digest = own.copy()
        digest.update(json.dumps([number, part.card, part.scenes]).encode())
        for name in ("card", *part.scenes):
            digest.update(made[name])
        out.append(
            {
                "chapter": number,
                "title": words.word(part.card, "heading"),
                "card": part.card,
                "scenes": list(part.scenes),
                "inputs": digest.hexdigest(),
            }
        )
    return out


def pick(numbers: tuple[int, ...]) -> list[int]:
    """--chapter's numbers (as `listing` numbers the chapters) in the story's order, each
    once. Raises ParamError for a number the story has not."""
    wrong = [n for n in numbers if not 0 <= n < len(STORY)]
    if wrong:
        last = len(STORY) - 1
        raise ParamError(f"--chapter {wrong[0]}: the chapters are 0 to {last} (see --list)")
    return sorted(set(numbers))


def rendered_clips(parts: list[Chapter]) -> list[RenderJob]:
    """Every clip of `parts`, each rendered and intact in its folder: what --assemble joins,
    rendering none. Raises ParamError naming the chapters that miss a clip, and how to
    render them."""
    clips = [[dataclasses.replace(clip, force=False) for clip in c.clips] for c in parts]
    missing = [n for n, own in enumerate(clips) if any(up_to_date(c) is None for c in own)]
    where = clips[0][0].out.parent
    if len(missing) == len(parts):
        raise ParamError(
            f"--assemble: no clips rendered with these options in {where}/; render them "
            "first: render.py explainer --chapter N for each chapter, with the same options"
        )
    if missing:
        named = ", ".join(f"{n} ({STORY[n].card})" for n in missing)
        chapter, it = ("chapter", "it") if len(missing) == 1 else ("chapters", "them")
        again = " ".join(f"--chapter {n}" for n in missing)
        raise ParamError(
            f"--assemble: no clips of {chapter} {named} rendered with these options in "
            f"{where}/; render {it} first: render.py explainer {again}, with the same options"
        )
    return [clip for own in clips for clip in own]


def assemble(template: RenderJob, parts: list[Chapter]) -> Outcome:
    """Join the rendered clips into the explainer's files in `template.out`, atomically."""
    started = time.perf_counter()
    work = template.cache_dir / "tmp" / f"{NAME}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    owner = None
    try:
        work.mkdir(parents=True)
        owner = claim(work)
        staged, sizes = {}, {}
        done, cues, placed, marks, ends = 0, [], [], [], {}  # done: frames of the clips so far
        fps = template.preset.fps

        def at(seconds: float) -> float:
            """A time in the clip as a time in the video, on its frame (the manifest rounds
            times to milliseconds: at 30 fps, one clip's end would pass the next's start)."""
            return (done + round(seconds * fps)) / fps

        story, told_as = Clips(fps), None  # the steps of the slides and the article
        for chapter in parts:
            marks.append((chapter.title, done / fps))
            for clip in chapter.clips:
                m, p = Manifest.read(clip.manifest_path), plan(clip)
                lines = p.lines
                prefix = NAME if clip.scene == "card" else clip.scene
                story.add(prefix, m, lines, chapter.title if clip is chapter.clips[0] else "")
                voice = template.cache_dir / "voice"
                speech = speak(template.voice, lines, p.recordings, voice, template.lang)
                for c in m.cues:
                    cue_id, part = f"{clip.scene}:{c['id']}", c["part"]
                    shown = wrap(c["text"])  # the cue's lines (a part shows one of two)
                    cues.append(Cue(cue_id, at(c["start"]), at(c["end"]), shown, part))
                    if c["id"] in speech and part == 0:
                        placed.append((at(c["start"]), speech[c["id"]].path))
                        ends[cue_id] = at(c["start"]) + speech[c["id"]].seconds
                done += m.frames
        offset = done / fps
        check(cues, list(dict.fromkeys(c.id for c in cues)), ends)
        for kind, text in (("vtt", to_vtt(cues)), ("srt", to_srt(cues))):
            path = work / f"{template.name}.{kind}"
            path.write_text(text, encoding="utf-8")
            staged[template.out / path.name] = path
        chapters_txt = work / f"{template.name}.chapters.txt"
        chapters_txt.write_text("".join(f"{_stamp(at)} {title}\n" for title, at in marks))
        staged[template.out / chapters_txt.name] = chapters_txt
        metadata = work / "chapters.ffmeta"
        metadata.write_text(_ffmetadata(marks, offset, story_words(template.lang, "title")))
        track = work / "speech.wav"
        speech_track(placed, offset, track)
        for fmt in template.formats:
            spec, target = FORMATS[fmt], work / template.target(fmt).name
            if isinstance(spec, StoryOutput):  # the stills taken once for both
                told_as = told_as or _story(template, parts, story, marks, work)
                spec.write(told_as, target)
            elif spec.still:
                shutil.copyfile(parts[0].clips[0].target(fmt), target)
            else:
                joined = work / f"joined.{spec.extension}"
                _concat([clip.target(fmt) for clip in clip_jobs(parts)], joined, work)
                if placed:
                    mux(joined, track, spec.audio, target, metadata)
                else:
                    _with_chapters(joined, metadata, target)
            staged[template.target(fmt)] = target
            sizes[fmt] = target.stat().st_size
        frames = done
        manifest = Manifest(
            scene=NAME,
            title=story_words(template.lang, "title"),
            description=story_words(
                template.lang,
                "description",
                chapters="; ".join(title for title, _ in marks[1:-1]),
            ),
            module="studio/explainer.py",
            scene_class="Explainer",
            params={},  # the explainer's own: none; its chapters' are in its inputs hash
            defaults={},
            overrides=template.overrides,
            results={
                "chapters": [{"title": t, "start": round(at, 3)} for t, at in marks],
                "length_s": round(offset, 3),
            },
            alt_text=story_words(
                template.lang,
                "alt",
                count=len(marks),
                chapters=", ".join(title for title, _ in marks),
            ),
            quality=template.quality,
            width=template.preset.width,
            height=template.preset.height,
            fps=fps,
            gif_fps=None,
            gif_fit=None,
            frames=frames,
            duration_s=round(offset, 3),
            loop=False,
            theme=template.theme,
            pair=None,
            files={fmt: template.target(fmt).name for fmt in template.formats},
            captions={kind: f"{template.name}.{kind}" for kind in ("vtt", "srt")},
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
            voice=template.voice,
            data=template.data,
            scrub=None,
            embed=f"{template.name}.embed.md",
            lang=template.lang,
            bytes=sizes,
            digests={template.target(f).name: _digest(staged[template.target(f)]) for f in sizes},
            render_seconds=round(time.perf_counter() - started, 2),
            inputs_hash=explainer_hash(template, parts),
            manim_version=version("manim"),
        )
        (work / "manifest.json").write_text(manifest.to_json())
        (work / "embed.md").write_text(embed_snippets(manifest))
        template.out.mkdir(parents=True, exist_ok=True)
        with uninterrupted():
            for final, path in staged.items():
                os.replace(path, final)
            os.replace(work / "embed.md", template.out / manifest.embed)
            os.replace(work / "manifest.json", template.manifest_path)
        return Outcome(template.name, "rendered", time.perf_counter() - started, sizes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if owner is not None:
            os.close(owner)


def told(template: RenderJob) -> bool:
    """Whether the run writes the slides or the article (told over the joined WebM)."""
    return any(isinstance(FORMATS[f], StoryOutput) for f in template.formats)


def _story(template: RenderJob, parts: list[Chapter], story: Clips, marks: list, work: Path):
    """The slides' and the article's story: the clips' beats over their joined WebM (silent,
    joined once for both)."""
    from scenes.theme import THEMES

    video = work / "story.webm"
    if not video.exists():
        _concat([clip.target("webm") for clip in clip_jobs(parts)], video, work)
    theme = THEMES[template.theme]
    return clips_story(
        story,
        video,
        work,
        name=template.name,
        title=story_words(template.lang, "title"),
        alt_text=story_words(
            template.lang, "alt_silent", count=len(marks), chapters=", ".join(t for t, _ in marks)
        ),
        width=template.preset.width,
        height=template.preset.height,
        background=theme.background,
        text=theme.text,
        lang=template.lang,
    )


def _stamp(seconds: float) -> str:
    """YouTube's chapter time: m:ss (h:mm:ss past an hour)."""
    s = int(seconds)
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


def _ffmetadata(marks: list[tuple[str, float]], end: float, title: str = TITLE) -> str:
    lines = [";FFMETADATA1", f"title={title}"]
    for (title, start), (_, stop) in zip(marks, [*marks[1:], ("", end)], strict=True):
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(start * 1000)}"]
        lines += [f"END={round(stop * 1000)}", f"title={title}"]
    return "\n".join(lines) + "\n"


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed: {done.stderr.strip()[-300:]}")


def _concat(videos: list[Path], target: Path, work: Path) -> None:
    """The videos one after another, by stream copy (they share codec and settings)."""
    listing = work / f"{target.stem}.txt"
    listing.write_text("".join(f"file '{v.resolve()}'\n" for v in videos))
    _run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(listing),
            "-c",
            "copy",
            str(target),
        ],
        "joining the chapters",
    )


def _with_chapters(video: Path, metadata: Path, target: Path) -> None:
    _run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(video),
            "-i",
            str(metadata),
            "-map",
            "0",
            "-map_chapters",
            "1",
            "-c",
            "copy",
            str(target),
        ],
        "writing the chapters",
    )
