"""The explainer: the whole story as one narrated, captioned, chaptered video.

A title card, then each scene in teaching order introduced by a chapter card, then a closing
card. Every card and scene is an ordinary render job (a clip) whose files go to a folder
named by its own inputs hash under <out>/.cache/clips/, so clips are cached one by one:
after editing one sentence of a scene's script only that clip renders again. The clips'
silent videos are joined by stream copy; the narration is laid on the joined video as one
track (no gaps at the joins), with chapter metadata, captions, a YouTube-style chapter list,
a manifest and snippets like any scene's.

The order, argued in the README: the loss as a bowl and the budget as a cylinder (3D), the
same picture from above (tangency, ∇f = −λ∇g), the penalty and the budget as one family
(λ sweep), what λ is worth (shadow price), when it is zero (slackness), which directions
shrink (eigen view), why L1 is different, and how a computer finds w*.
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

from scenes import CATALOGUE, EXTRAS

from .audio import mux, speech_track
from .captions import Cue, check, to_srt, to_vtt
from .embed import embed_snippets
from .formats import FORMATS
from .job import Outcome, RenderJob, _digest, claim, inputs_hash, plan, uninterrupted
from .manifest import Manifest
from .params import ParamError
from .sources import ROOT, project_files
from .voice import speak

NAME = "explainer"
TITLE = "Ridge regression through Lagrange multipliers: the whole story"
CHAPTERS = (
    "ridge_landscape",
    "tangency",
    "lambda_sweep",
    "shadow_price",
    "kkt_slackness",
    "eigen_shrinkage",
    "l1_vs_l2",
    "projected_gradient",
)
FORMATS_ALLOWED = ("webm", "mp4", "png")
DEFAULT_FORMATS = ("webm", "mp4")


@dataclass(frozen=True)
class Chapter:
    title: str  # in the chapter list and the video's chapter metadata
    clips: tuple[RenderJob, ...]  # its card, then its scene


def _clip(template: RenderJob, scene: str, overrides: dict[str, Any]) -> RenderJob:
    """A clip's job: silent video plus a poster, in its own folder named by its inputs and
    its parameters."""
    formats = (*(f for f in template.formats if FORMATS[f].video), "png")
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
    for name in (*CHAPTERS, "card"):
        params = (CATALOGUE.get(name) or EXTRAS[name]).load().Params
        known |= {f.name for f in dataclasses.fields(params)}
    unknown = sorted(set(template.overrides) - known)
    if unknown:
        raise ParamError(f"unknown parameter {unknown[0]!r}: no chapter of the explainer takes it")

    def card(name: str, number: int, heading: str) -> RenderJob:
        shared = {k: v for k, v in template.overrides.items() if k in ("H", "center")}
        return _clip(
            template, "card", {**shared, "card": name, "chapter": number, "heading": heading}
        )

    def scene(name: str) -> RenderJob:
        fields = {f.name for f in dataclasses.fields(CATALOGUE[name].load().Params)}
        return _clip(template, name, {k: v for k, v in template.overrides.items() if k in fields})

    out = [Chapter("Why does ridge shrink weights?", (card("title", 0, TITLE),))]
    for number, name in enumerate(CHAPTERS, 1):
        entry = CATALOGUE[name]
        out.append(Chapter(entry.title, (card(name, number, entry.title), scene(name))))
    out.append(Chapter("The whole idea", (card("closing", 0, "The whole idea"),)))
    return out


def explainer_hash(template: RenderJob, parts: list[Chapter]) -> str:
    digest = hashlib.sha256()
    for path in project_files(["studio.explainer"]):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for chapter in parts:
        digest.update(chapter.title.encode())
        for clip in chapter.clips:
            digest.update(clip.out.name.encode())
    digest.update(json.dumps([template.formats, template.voice, template.captions]).encode())
    return digest.hexdigest()


def clip_jobs(parts: list[Chapter]) -> list[RenderJob]:
    return [clip for chapter in parts for clip in chapter.clips]


def assemble(template: RenderJob, parts: list[Chapter]) -> Outcome:
    """Join the rendered clips into the explainer's files in `template.out`, atomically."""
    started = time.perf_counter()
    work = template.cache_dir / "tmp" / f"{NAME}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    owner = None
    try:
        work.mkdir(parents=True)
        owner = claim(work)
        staged, sizes = {}, {}
        done, cues, placed, marks = 0, [], [], []  # done: frames of the clips so far
        fps = template.preset.fps

        def at(seconds: float) -> float:
            """A time in the clip as a time in the video, on its frame (the manifest rounds
            times to milliseconds: at 30 fps, one clip's end would pass the next's start)."""
            return (done + round(seconds * fps)) / fps

        for chapter in parts:
            marks.append((chapter.title, done / fps))
            for clip in chapter.clips:
                m, p = Manifest.read(clip.manifest_path), plan(clip)
                lines = p.lines
                speech = speak(template.voice, lines, p.recordings, template.cache_dir / "voice")
                for c in m.cues:
                    cue_id = f"{clip.scene}:{c['id']}"
                    cues.append(Cue(cue_id, at(c["start"]), at(c["end"]), lines[c["id"]].lines))
                    if c["id"] in speech:
                        placed.append((at(c["start"]), speech[c["id"]].path))
                done += m.frames
        offset = done / fps
        check(cues, [c.id for c in cues])
        for kind, text in (("vtt", to_vtt(cues)), ("srt", to_srt(cues))):
            path = work / f"{NAME}.{kind}"
            path.write_text(text, encoding="utf-8")
            staged[template.out / path.name] = path
        chapters_txt = work / f"{NAME}.chapters.txt"
        chapters_txt.write_text("".join(f"{_stamp(at)} {title}\n" for title, at in marks))
        staged[template.out / chapters_txt.name] = chapters_txt
        metadata = work / "chapters.ffmeta"
        metadata.write_text(_ffmetadata(marks, offset))
        track = work / "speech.wav"
        speech_track(placed, offset, track)
        for fmt in template.formats:
            spec, target = FORMATS[fmt], work / f"{NAME}.{FORMATS[fmt].extension}"
            if spec.still:
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
            title=TITLE,
            description="The whole story in one narrated, captioned video with chapters: "
            + "; ".join(title for title, _ in marks[1:-1])
            + ".",
            module="studio/explainer.py",
            scene_class="Explainer",
            params={},  # the explainer's own: none; its chapters' are in its inputs hash
            defaults={},
            overrides=template.overrides,
            results={
                "chapters": [{"title": t, "start": round(at, 3)} for t, at in marks],
                "length_s": round(offset, 3),
            },
            alt_text=f"A narrated video in {len(marks)} chapters: "
            + ", ".join(title for title, _ in marks)
            + ".",
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
            captions={kind: f"{NAME}.{kind}" for kind in ("vtt", "srt")},
            cues=[
                {"id": c.id, "start": round(c.start, 3), "end": round(c.end, 3), "text": c.text}
                for c in cues
            ],
            voice=template.voice,
            data=template.data,
            scrub=None,
            embed=f"{NAME}.embed.md",
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
        return Outcome(NAME, "rendered", time.perf_counter() - started, sizes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if owner is not None:
            os.close(owner)


def _stamp(seconds: float) -> str:
    """YouTube's chapter time: m:ss (h:mm:ss past an hour)."""
    s = int(seconds)
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


def _ffmetadata(marks: list[tuple[str, float]], end: float) -> str:
    lines = [";FFMETADATA1", f"title={TITLE}"]
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
