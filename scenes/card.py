"""card — the explainer's title, chapter and closing cards.

A card shows a few words on the background: the title card the question the video answers,
a chapter card its number and what the chapter shows, the closing card the whole idea. Its
words come from narration/explainer.toml (the beat named after the card); the chapter's title
from the catalogue. One beat per card.

    manim -ql scenes/card.py Card
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import DOWN, UP, FadeIn, VGroup

from narration import Script
from scenes.base import Problem, RidgeScene, param
from scenes.plane import tex, tex_escape
from scenes.theme import TEXT

CARDS = tuple(segment.id for segment in Script.load("explainer").segments)
"""Every card the explainer can show, in order: its script's beats."""


@dataclass(frozen=True)
class CardParams(Problem):
    card: str = param("title", f"which card: {', '.join(CARDS)}")
    chapter: int = param(0, "the chapter's number (0: the title or closing card)")
    heading: str = param(
        "Ridge regression through Lagrange multipliers", "the card's heading, in words"
    )
    hold_time: float = param(0.5, "seconds to hold after the card's words are read or spoken")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.card not in CARDS:
            raise ValueError(f"card = {self.card!r}: not one of {', '.join(CARDS)}")


@dataclass(frozen=True)
class CardSolution:
    card: str
    chapter: int
    heading: str


class Card(RidgeScene):
    """A title, chapter or closing card."""

    Params = CardParams
    script = "explainer"
    beats = CARDS
    chars = 54  # characters a line at the title size: about 11 scene units

    @classmethod
    def solve(cls, params: CardParams) -> CardSolution:
        return CardSolution(params.card, params.chapter, params.heading)

    @classmethod
    def results(cls, s: CardSolution) -> dict:
        return {"card": s.card, "chapter": s.chapter, "heading": s.heading}

    @classmethod
    def alt_text(cls, s: CardSolution) -> str:
        return f"{'Chapter ' + str(s.chapter) + ': ' if s.chapter else ''}{s.heading}"

    def construct(self) -> None:
        s, t = self.solution, self.theme
        segments = [k for k in self.pacing.lines if k == s.card or k.startswith(f"{s.card}.")]
        words = VGroup()
        if s.chapter:
            words.add(tex(rf"\text{{Chapter {s.chapter}}}", t.text, TEXT.body))
        words.add(self.paragraph(s.heading, t.text, TEXT.title * 1.3))
        sayings = [
            self.paragraph(self.pacing.lines[k].caption, t.text, TEXT.title) for k in segments
        ]
        words.add(*sayings)
        words.arrange(DOWN, buff=0.45).move_to(0.2 * UP)
        for saying in sayings[1:]:
            saying.set_opacity(0.0)
        with self.beat(s.card) as b:
            self.play(FadeIn(VGroup(*words[: len(words) - len(sayings) + 1]), shift=0.2 * UP))
            for segment, saying in zip(segments[1:], sayings[1:], strict=True):
                b.mark(segment.partition(".")[2])
                self.play(saying.animate.set_opacity(1.0), run_time=0.5)
            self.wait(self.params.hold_time)

    def paragraph(self, text: str, colour, size: float) -> VGroup:
        """`text` (words and Unicode maths) in centred, evenly long lines, as few as fit the
        card's width (measured in characters: `chars` a line at the title size)."""
        limit = int(self.chars * TEXT.title / size)
        words = text.split()
        for count in range(1, len(words) + 1):
            lines = even_lines(words, count)
            if max(len(line) for line in lines) <= limit:
                break
        return VGroup(*(tex(text_tex(line), colour, size) for line in lines)).arrange(DOWN)


def even_lines(words: list[str], count: int) -> list[str]:
    """`words` in `count` lines whose longest is as short as possible (exhaustive: a card has
    a dozen words)."""
    if count == 1 or len(words) <= 1:
        return [" ".join(words)]
    best = None
    for cut in range(1, len(words) - count + 2):
        rest = even_lines(words[cut:], count - 1)
        lines = [" ".join(words[:cut]), *rest]
        if best is None or max(map(len, lines)) < max(map(len, best)):
            best = lines
    return best


MATHS = {
    "x*_free": r"x^*_{\mathrm{free}}",
    "w*": "w^*",
    "θ̂": r"\hat\theta",
    "λ": r"\lambda",
    "σⱼ": r"\sigma_j",
    "σ": r"\sigma",
    "∇": r"\nabla ",
    "‖": r"\|",
    "²": "^2",
    "≤": r"\le ",
    "−": "-",
    "⇔": r"\Leftrightarrow ",
    "∞": r"\infty",
}


def text_tex(words: str) -> str:
    """Plain words with Unicode maths (as the captions have them) as MathTex source: the words
    in \\text{}, each piece of maths in maths mode."""
    pieces, plain = [], ""
    i = 0
    while i < len(words):
        match = next((m for m in MATHS if words.startswith(m, i)), None)
        if match is None:
            plain += words[i]
            i += 1
            continue
        pieces.append(r"\text{" + tex_escape(plain) + "}")
        pieces.append(MATHS[match])
        plain, i = "", i + len(match)
    pieces.append(r"\text{" + tex_escape(plain) + "}")
    return "".join(pieces)
