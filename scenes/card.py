"""card — the explainer's title, chapter, statement and closing cards.

A card shows a few words on the background: the title card the question the video answers,
a chapter card its number and heading, a statement card (the fix; the closing recap) its
lines one by one as they are said. Its words come from narration/explainer.toml: the heading
and lines from [words.<card>], what is said from the beat named after the card.

    manim -ql scenes/card.py Card
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from manim import DOWN, UP, VGroup

from narration import Script
from scenes.base import Parameters, RidgeScene, param
from scenes.plane import tex, tex_escape, words_tex
from scenes.theme import SPACE, TEXT

CARDS = tuple(segment.id for segment in Script.load("explainer").segments if "." not in segment.id)
"""Every card the explainer can show, in order: its script's beats."""


@dataclass(frozen=True)
class CardParams(Parameters):
    card: str = param("title", f"which card: {', '.join(CARDS)}")
    chapter: int = param(0, "the chapter's number (0: the title or closing card)")
    hold_time: float = param(0.5, "seconds to hold after the card's words are read or spoken")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.card not in CARDS:
            raise ValueError(f"card = {self.card!r}: not one of {', '.join(CARDS)}")
        if not 0 <= self.chapter <= 99:
            raise ValueError(f"chapter must be 0–99, got {self.chapter}")


@dataclass(frozen=True)
class CardSolution:
    card: str
    chapter: int


class Card(RidgeScene):
    """A title, chapter, statement or closing card: its heading (and the chapter's number)
    from the first frame, then its lines (if any), one with each of its beat's segments. The
    words on the card are the script's [words]; what is said is the beat's captions, so the
    card never repeats the caption under it."""

    Params = CardParams
    plays_one_card = True
    chars = 54  # characters a line at the title size: about 11 scene units

    @classmethod
    def solve(cls, params: CardParams) -> CardSolution:
        return CardSolution(params.card, params.chapter)

    @classmethod
    def results(cls, s: CardSolution) -> dict:
        return {"card": s.card, "chapter": s.chapter}

    @classmethod
    def alt_text(cls, s: CardSolution) -> str:
        """The heading, then what the card says (its lines' formulas in words)."""
        script = cls.load_script()
        said = [
            line.caption
            for key, line in script.fill(cls.results(s)).items()
            if key == s.card or key.startswith(f"{s.card}.")
        ]
        heading = script.word(s.card, "heading")
        chapter = script.word("chapter", "label").format(chapter=s.chapter)
        return (f"{chapter}: " if s.chapter else "") + " ".join([heading, *said])

    @staticmethod
    def lines_of(script: Script, card: str) -> list[str]:
        """The card's lines below its heading (none for a plain chapter card)."""
        entry = script.word(card)
        return list(entry.get("lines", [])) if isinstance(entry, dict) else []

    def construct(self) -> None:
        s, t = self.solution, self.theme
        script = self.load_script()
        segments = [k for k in self.pacing.lines if k == s.card or k.startswith(f"{s.card}.")]
        top = VGroup()
        if s.chapter:
            chapter = words_tex(script.word("chapter", "label"), chapter=s.chapter)
            top.add(tex(chapter, t.muted, TEXT.body))
        top.add(self.paragraph(script.word(s.card, "heading"), t.text, TEXT.title * 1.3))
        lines = [self.paragraph(line, t.text, TEXT.title) for line in self.lines_of(script, s.card)]
        VGroup(*top, *lines).arrange(DOWN, buff=SPACE.section).move_to(0.2 * UP)
        # the heading is there from the first frame (no fade from black at a join); each
        # segment of the beat brings the next line
        self.add(*top, *lines)
        for line in lines:
            line.set_opacity(0.0)
        shown = iter(lines)
        with self.beat(s.card) as b:
            for segment in segments:
                if segment != s.card:
                    b.mark(segment.partition(".")[2])
                line = next(shown, None)
                if line is not None:
                    self.play(line.animate.set_opacity(1.0), run_time=0.6)
        self.wait(self.params.hold_time)

    def paragraph(self, text: str, colour, size: float) -> VGroup:
        """`text` in centred, evenly long lines, as few as fit the card's width (measured in
        characters: `chars` a line at the title size): words with Unicode maths, or a
        formula written in TeX between dollars ("$h(w, \\lambda) = …$"), set as one line."""
        if text.startswith("$") and text.endswith("$"):
            return VGroup(tex(text[1:-1], colour, size))
        limit = int(self.chars * TEXT.title / size)
        words = text.split()
        for count in range(1, len(words) + 1):
            lines = even_lines(words, count)
            if max(len(line) for line in lines) <= limit:
                break
        upright = self.word("letters", "words")
        lines = [tex(text_tex(line, upright), colour, size) for line in lines]
        return VGroup(*lines).arrange(DOWN)


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


MATHS = {  # longest first: the first that matches is used
    "σⱼ/(σⱼ + λ)": r"\sigma_j/(\sigma_j + \lambda)",
    "∇f": r"\nabla f",
    "∇g": r"\nabla g",
    "−λ": r"{-}\lambda",
    "ŵ": r"\hat w",
    "w*": "w^*",
    "λ": r"\lambda",
    "σⱼ": r"\sigma_j",
    "σ": r"\sigma",
    "‖": r"\|",
    "²": "^2",
    "≤": r"\le ",
    "−": "-",
    "⇔": r"\Leftrightarrow ",
    "∞": r"\infty",
}
LETTER = re.compile(r"(?<![\w'])([a-zA-Z])(?![\w'])")
"""A lone Latin letter: a variable, set in maths italic, unless it is a word of the language
(the script's [words.letters] words: English "a", "I", Spanish "y", "o")."""


def text_tex(words: str, upright: Collection[str] = ()) -> str:
    """Plain words with Unicode maths (as the captions have them) as MathTex source: the words
    in \\text{}, each piece of maths (and each lone letter: w, k, H, but not the one-letter
    words in `upright`) in maths mode."""
    pieces, plain = [], ""
    i = 0
    while i < len(words):
        match = next((m for m in MATHS if words.startswith(m, i)), None)
        letter = (
            LETTER.match(words, i)
            if match is None and (i == 0 or not words[i - 1].isalnum())
            else None
        )
        if letter is not None and letter.group(1) in upright:
            letter = None
        if match is None and letter is None:
            plain += words[i]
            i += 1
            continue
        pieces.append(r"\text{" + tex_escape(plain) + "}")
        pieces.append(MATHS[match] if match else letter.group(1))
        plain, i = "", i + len(match or letter.group(1))
    pieces.append(r"\text{" + tex_escape(plain) + "}")
    return "".join(pieces)
