"""What the slides and the article share: a render told as steps, one per beat (each script
segment, marks included), each with its exact span of frames, its caption, its spoken text
and the still of its last frame; built from one scene's `Rendered` record or, for the
explainer, from its clips' manifests and their joined video.

A step runs from its segment's first frame to the next segment's first frame (the first step
of a clip from the clip's first frame, the last to the end), so the steps tile the video:
playing a step and holding its last frame never skips a frame of the animation.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..interactive import data_uri, seekable_video
from ..rendered import Rendered
from .base import Output


@dataclass(frozen=True)
class Step:
    beat: str  # "<scene>/<segment id>", or "explainer/<card id>" for a card's
    start: int  # its first frame
    end: int  # one past its last frame
    caption: str
    spoken: str  # what the voice says: the slides' notes, the article's paragraph
    notes: str = ""  # a script's `notes` (the slides add them to the spoken text)
    article: str = ""  # a script's `article` (fuller prose for the article's paragraph)
    chapter: str = ""  # the heading of the chapter it opens (the explainer's cards)
    top: bool = True  # a beat rather than a mark inside one (the outline lists beats)

    @property
    def prose(self) -> str:
        """The article's paragraph: the script's `article`, else the spoken text."""
        return self.article or self.spoken


@dataclass(frozen=True)
class Readouts:
    """The html figure's numbers for frames start … start + len(frames) − 1."""

    start: int
    readouts: list[dict[str, Any]]  # key, name, decimals of each
    frames: list[dict[str, Any]]


@dataclass(frozen=True)
class Story:
    name: str  # the files' stem
    title: str
    alt_text: str
    fps: int
    frames: int
    width: int
    height: int
    background: str  # the render's theme
    text: str
    steps: tuple[Step, ...]
    video: str  # the video as a data: URI
    stills: tuple[str, ...]  # each step's last frame as a data: URI
    readouts: tuple[Readouts, ...] = ()
    lang: str = "en"
    chapters: bool = False  # its steps are grouped under chapter headings (the explainer)

    def state(self) -> str:
        """The page's data: the steps' spans and words, the readouts, as JSON safe inside a
        <script> element."""
        data = {
            "name": self.name,
            "fps": self.fps,
            "frames": self.frames,
            "steps": [
                {"beat": s.beat, "start": s.start, "end": s.end, "caption": s.caption}
                for s in self.steps
            ],
            "readouts": [
                {"start": r.start, "readouts": r.readouts, "frames": r.frames}
                for r in self.readouts
            ],
        }
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.replace("</", "<\\/")


@dataclass(frozen=True)
class Segment:
    """A segment as played: its id, its first frame, its filled line (narration.Line)."""

    beat: str
    start: int
    line: Any
    chapter: str = ""


def steps_of(segments: Sequence[Segment], clip_starts: Sequence[int], frames: int) -> list[Step]:
    """Steps tiling frames 0 … frames − 1: each segment's from its first frame (from its
    clip's first frame when it is the clip's first segment) to the next one's."""
    starts = []
    for seg in segments:
        clip = max((c for c in clip_starts if c <= seg.start), default=0)
        first_of_clip = not starts or starts[-1] < clip
        starts.append(clip if first_of_clip else seg.start)
    ends = [*starts[1:], frames]
    return [
        Step(
            beat=seg.beat,
            start=start,
            end=max(end, start + 1),
            caption=seg.line.caption,
            spoken=seg.line.spoken,
            notes=seg.line.notes,
            article=seg.line.article,
            chapter=seg.chapter,
            top="." not in seg.beat.split("/", 1)[1],
        )
        for seg, start, end in zip(segments, starts, ends, strict=True)
    ]


STILLS_AT_ONCE = 24
"""Frames one ffmpeg picks (its expression parser refuses much longer selections)."""


def stills(video: Path, frames: Sequence[int], work: Path) -> list[str]:
    """Frames `frames` (indices) of `video` as WebP data: URIs (quality 90: as sharp as the
    VP9 the explainer's are taken from, a quarter of the lossless bytes)."""
    folder = work / "stills"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    wanted = sorted(set(frames))
    uris = {}
    for at in range(0, len(wanted), STILLS_AT_ONCE):
        group = wanted[at : at + STILLS_AT_ONCE]
        pick = "+".join(f"eq(n\\,{n})" for n in group)
        cmd = ["ffmpeg", "-v", "error", "-y", "-i", str(video), "-vf", f"select='{pick}'"]
        cmd += ["-fps_mode", "passthrough", "-frames:v", str(len(group)), "-c:v", "libwebp"]
        cmd += ["-quality", "90", "-compression_level", "4", str(folder / f"{at:04d}-%04d.webp")]
        done = subprocess.run(cmd, capture_output=True, text=True)
        made = sorted(folder.glob(f"{at:04d}-*.webp"))
        if done.returncode != 0 or len(made) != len(group):
            why = done.stderr.strip().splitlines()[-1:] or [f"{len(made)} of {len(group)} frames"]
            raise RuntimeError(f"taking the steps' stills failed: {why[0]}")
        uris.update((n, data_uri(path, "image/webp")) for n, path in zip(group, made, strict=True))
    return [uris[n] for n in frames]


def scene_story(rendered: Rendered) -> Story:
    """One scene's steps: its segments as they played (`rendered.timeline`)."""
    fps, count = rendered.moving.fps, rendered.moving.count
    scene = rendered.name.split(".")[0].removesuffix("-light")
    segments = [
        Segment(f"{scene}/{s.id}", round(s.start * fps), rendered.lines[s.id])
        for s in rendered.timeline
        if s.id in rendered.lines
    ]
    steps = steps_of(segments, [0], count)
    height, width = _size(rendered)
    readouts = ()
    if rendered.scrubbed and len(rendered.frames.readouts) == count:
        readouts = (Readouts(0, rendered.scrubbed, rendered.readouts),)
    story = Story(
        name=rendered.name,
        title=rendered.title,
        alt_text=rendered.alt_text,
        fps=fps,
        frames=count,
        width=width,
        height=height,
        background=rendered.theme.background,
        text=rendered.theme.text,
        steps=tuple(steps),
        video=seekable_video(rendered.moving, rendered.seekable),
        stills=tuple(stills(rendered.moving.video, [s.end - 1 for s in steps], rendered.work)),
        readouts=readouts,
        lang=rendered.lang,
    )
    return story


def _size(rendered: Rendered) -> tuple[int, int]:
    """(height, width) of the frames, from the poster."""
    from PIL import Image

    with Image.open(rendered.frames.poster) as image:
        return image.height, image.width


@dataclass
class Clips:
    """The explainer's clips as they are joined, gathered one after another (`add`)."""

    fps: int
    segments: list[Segment] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    readouts: list[Readouts] = field(default_factory=list)
    frames: int = 0

    def add(self, prefix: str, manifest: Any, lines: dict, chapter: str = "") -> None:
        """A clip (its manifest and filled lines) after those added so far; `prefix` names
        its beats (the scene, or "explainer" for a card); `chapter`: the heading it opens."""
        self.starts.append(self.frames)
        seen = set()
        for cue in manifest.cues:
            if cue["id"] in seen or cue["id"] not in lines:
                continue
            seen.add(cue["id"])
            start = self.frames + round(cue["start"] * self.fps)
            opens = chapter if len(seen) == 1 else ""  # on the clip's first segment
            self.segments.append(Segment(f"{prefix}/{cue['id']}", start, lines[cue["id"]], opens))
        scrub = manifest.scrub
        if scrub and len(scrub.get("frames", ())) == manifest.frames:
            self.readouts.append(Readouts(self.frames, scrub["readouts"], scrub["frames"]))
        self.frames += manifest.frames


def clips_story(clips: Clips, video: Path, work: Path, **about: Any) -> Story:
    """The explainer's steps over its joined `video` (silent, every clip one after
    another); `about`: the Story's name, title, alt_text, width, height, background, text
    and lang."""
    steps = steps_of(clips.segments, clips.starts, clips.frames)
    return Story(
        fps=clips.fps,
        frames=clips.frames,
        steps=tuple(steps),
        video=data_uri(video, "video/webm"),
        stills=tuple(stills(video, [s.end - 1 for s in steps], work)),
        readouts=tuple(clips.readouts),
        chapters=True,
        **about,
    )


@dataclass(frozen=True)
class StoryOutput(Output):
    """An output written from a `Story`: for a scene from its `Rendered` record, for the
    explainer from its clips (studio.explainer calls `write`)."""

    def encode(self, rendered: Rendered, target: Path) -> dict[str, Any]:
        self.write(scene_story(rendered), target)
        return {}

    def write(self, story: Story, target: Path) -> None:
        target.write_text(self.page(story), encoding="utf-8")

    def page(self, story: Story) -> str:
        raise NotImplementedError
