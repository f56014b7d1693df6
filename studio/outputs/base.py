"""What every output is (`Output`), what moving images (`Image`) and browser videos (`Video`)
share, and the tags that several outputs fill together (<picture>, <video>)."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narration.script import LANGUAGE_NAMES, page_words

from ..audio import mux
from ..encode import encode_video, same_rate
from ..manifest import Manifest
from ..rendered import Rendered

ROLES = ("image", "video", "page", "still")
"""What an output is to a page, in the order the snippets offer them: a moving image
(<img>), a video (<video>), a page of its own (<iframe>), a still (the poster)."""
REDUCED = "(prefers-reduced-motion: reduce)"
FIT = "max-width:100%;height:auto"  # a snippet's picture never overflows its column


def size_text(n: int) -> str:
    """Bytes as KB or MB."""
    return f"{n / 1024:.0f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"


@dataclass(frozen=True)
class Output:
    name: str  # what -f takes
    extension: str  # the file is <stem>.<extension>
    mime: str
    role: str  # one of ROLES
    tools: tuple[str, ...] = ()  # system programs beyond studio.formats.RENDER_TOOLS
    card_rank: int = 9  # the gallery shows the card of the lowest rank rendered
    audio: tuple[str, ...] | None = None  # ffmpeg codec arguments for narration (None: silent)
    stream: tuple[str, ...] | None = None  # codec arguments to encode it while drawing

    @property
    def still(self) -> bool:
        """One frame (the poster) rather than the animation."""
        return self.role == "still"

    @property
    def video(self) -> bool:
        """Embedded with <video> (rather than <img>)."""
        return self.role == "video"

    def rate(self, fps: int) -> int:
        """The file's frame rate, from the render's."""
        return same_rate(fps)

    def encode(self, rendered: Rendered, target: Path) -> dict[str, Any]:
        """Write the file `target` from `rendered`; returns manifest fields it sets."""
        raise NotImplementedError

    def refuses(self, scene_class: type) -> str | None:
        """Why a scene cannot have this output (None: it can)."""
        return None

    def snippet(self, m: Manifest) -> list[str]:
        """Lines of the embed snippets (Markdown) for this output of render `m`."""
        return []

    def card(self, m: Manifest) -> str:
        """The gallery card's media for render `m` (when this output's rank is lowest)."""
        e = html.escape
        return f'<img src="{e(m.files[self.name])}" alt="{e(m.alt_text)}">'

    def sources(self, m: Manifest, other: tuple[str, dict[str, str]] | None) -> list[tuple]:
        """(srcset, media) entries this output adds to a <picture> of render `m`."""
        return []


@dataclass(frozen=True)
class Video(Output):
    """A browser video: encoded from the frames (or while drawing them), with the
    narration muxed in when the render has it."""

    role: str = "video"
    card_rank: int = 2
    codec: tuple[str, ...] = ()
    what: str = "video encoding"

    def encode(self, rendered: Rendered, target: Path) -> dict[str, Any]:
        speech = rendered.speech if self.audio else None
        if self.name in rendered.streamed:  # encoded while drawing
            made = rendered.frames.streamed[self.extension]
        else:
            made = target if speech is None else rendered.work / f"silent.{self.extension}"
            encode_video(rendered.moving, made, self.codec, self.what)
        if speech is not None:
            mux(made, speech, self.audio, target)
        elif made != target:
            os.replace(made, target)
        return {}

    def snippet(self, m: Manifest) -> list[str]:
        videos = [o for o in _outputs(m) if o.video]
        if videos[0] is not self:  # one <video> for them all
            return []
        sizes = ", ".join(f"{o.name.upper()} {size_text(m.bytes[o.name])}" for o in videos)
        images = [o for o in _outputs(m) if o.role == "image" and o.name in m.bytes]
        also = [(o.name.upper(), size_text(m.bytes[o.name])) for o in images]
        sizes += "".join(page_words(m.lang, "video", "also", name=n, size=s) for n, s in also)
        if m.voice == "none":
            intro = page_words(m.lang, "video", "silent", sizes=sizes)
            return [intro, "", "```html", video_tag(m), "```", ""]
        return [
            page_words(m.lang, "video", "narrated", sizes=sizes),
            "",
            "```html",
            video_tag(m, narrated=True),
            "```",
            "",
            page_words(m.lang, "video", "loop"),
            "",
            "```html",
            video_tag(m),
            "```",
            "",
        ]

    def card(self, m: Manifest) -> str:
        return video_tag(m, captions=False)


@dataclass(frozen=True)
class Image(Output):
    """A moving image (<img>): Markdown embeds it; a <picture> offers the stills for
    reduced motion, the other theme's files and the images some browsers lack, with the
    `universal` one (every browser shows it) as the <img> they fall back to."""

    role: str = "image"
    card_rank: int = 1
    universal: bool = False

    def snippet(self, m: Manifest) -> list[str]:
        if fallback(m) is not self:  # one <picture> for every image rendered
            return []
        parts = [
            page_words(m.lang, "embed", "markdown"),
            "",
            "```markdown",
            f"![{m.alt_text}]({m.files[self.name]})",
            "```",
            "",
            picture_intro(m),
            "",
            "```html",
            image_tag(m, self),
            "```",
            "",
        ]
        for image in _outputs(m):
            if image.role == "image":
                parts += image.note(m)
        return parts

    def note(self, m: Manifest) -> list[str]:
        """Lines after the <picture> snippet about this image (its size, its fitting)."""
        return []

    def card(self, m: Manifest) -> str:
        e = html.escape
        return (
            f'<img src="{e(m.files[self.name])}" width="{e(str(m.width))}" '
            f'height="{e(str(m.height))}" alt="{e(m.alt_text)}">'
        )

    def sources(self, m: Manifest, other: tuple[str, dict[str, str]] | None) -> list[tuple]:
        kind = None if fallback(m) is self else self.mime  # the <img> itself needs no type
        found = (
            [(other[1][self.name], f"(prefers-color-scheme: {other[0]})", kind)] if other else []
        )
        return found if kind is None else [*found, (m.files[self.name], None, kind)]


def fallback(m: Manifest) -> Output:
    """The image a <picture> of render `m` falls back to: a universal one, else the last."""
    images = [o for o in _outputs(m) if o.role == "image"]
    return next((o for o in images if getattr(o, "universal", False)), images[-1])


def picture_intro(m: Manifest) -> str:
    """What the <picture> snippet does for the reader."""
    if not any(o.still for o in _outputs(m)):
        return page_words(m.lang, "picture", "no_still")
    other = other_theme(m)
    prefers = page_words(m.lang, "picture", f"prefers_{other[0]}") if other else ""
    return page_words(m.lang, "picture", "still", prefers=prefers)


def _outputs(m: Manifest) -> list[Output]:
    from . import rendered_outputs

    return rendered_outputs(m.files)


def other_theme(m: Manifest) -> tuple[str, dict[str, str]] | None:
    """With --theme both: the other theme's name and its files (format → file name)."""
    from . import OUTPUTS

    if m.pair is None:
        return None
    theme = "light" if m.theme == "dark" else "dark"
    return theme, {name: f"{m.pair}.{OUTPUTS[name].extension}" for name in m.files}


def image_tag(m: Manifest, image: Output) -> str:
    """`image` as an <img>; inside a <picture> when there is a choice: what each output
    offers (the still for readers whose system asks for reduced motion, since a looping
    image cannot be paused; with --theme both the other theme's files for readers whose
    system prefers it)."""
    e = html.escape
    img = (
        f'<img src="{e(m.files[image.name])}" width="{m.width}" height="{m.height}" '
        f'alt="{e(m.alt_text)}" loading="lazy" style="{FIT}">'
    )
    other = other_theme(m)
    # stills first, then the images some browsers lack; the first source that matches wins
    order = sorted(
        _outputs(m),
        key=lambda o: (-ROLES.index(o.role), getattr(o, "universal", False)),
    )
    sources = [s for o in order for s in o.sources(m, other)]
    if not sources:
        return img
    lines = [
        f'  <source srcset="{e(src)}"'
        + (f' type="{kind}"' if kind else "")
        + (f' media="{media}"' if media else "")
        + ">"
        for src, media, kind in sources
    ]
    return "\n".join(["<picture>", *lines, f"  {img}", "</picture>"])


def video_tag(m: Manifest, captions: bool = True, narrated: bool = False) -> str:
    """<video> with a source per video output rendered (in registry order; with --theme
    both, each preceded by the other theme's for readers whose system prefers it), the
    poster, controls (a reader can pause it) and (with `captions`) the WebVTT track. A page
    opened from disk cannot load a track (browsers treat file: URLs as separate origins), so
    the gallery leaves it out. `narrated`: played with its sound on the reader's click, not
    a muted loop."""
    e = html.escape
    stills = [o for o in _outputs(m) if o.still]
    poster = f' poster="{e(m.files[stills[0].name])}"' if stills else ""
    how = (
        'controls playsinline preload="metadata"'
        if narrated
        else "autoplay loop muted playsinline controls"
    )
    style = f' style="{FIT}"' if captions else ""  # a snippet's, not the gallery's
    lines = [
        f'<video {how} width="{m.width}" height="{m.height}"'
        f'{poster} aria-label="{e(m.alt_text)}"{style}>'
    ]
    other = other_theme(m)
    for fmt in _outputs(m):
        if fmt.video:
            if other:
                lines.append(
                    f'  <source src="{e(other[1][fmt.name])}" type="{fmt.mime}" '
                    f'media="(prefers-color-scheme: {other[0]})">'
                )
            lines.append(f'  <source src="{e(m.files[fmt.name])}" type="{fmt.mime}">')
    if captions and "vtt" in m.captions:
        label = LANGUAGE_NAMES.get(m.lang, m.lang)
        lines.append(
            f'  <track kind="captions" srclang="{e(m.lang)}" label="{e(label)}" '
            f'src="{e(m.captions["vtt"])}" default>'
        )
    lines.append("</video>")
    return "\n".join(lines)
