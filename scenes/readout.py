"""A number that changes every frame, drawn from glyphs typeset once."""

from __future__ import annotations

import math

import numpy as np
from manim import RIGHT, MathTex, VGroup, VMobject

from scenes.theme import TEXT


class Readout(VGroup):
    """A number that changes every frame, assembled from glyphs typeset once.

    DecimalNumber deep-copies a MathTex per character on every change (about 20 ms a frame);
    this copies bare glyph outlines, keeping TeX's baseline and spacing. The first submobject
    is an invisible anchor at the start of the baseline, so the number stays put as it changes.
    """

    CHARS = "0123456789.-"

    def __init__(
        self,
        value: float,
        decimals: int = 2,
        color=None,
        font_size: float = TEXT.title,
        significant: int | None = None,
    ):
        """`decimals` after the point; with `significant`, only as many as keep that many
        significant digits (at most `decimals`): 1.23, 12.3, 123, 1000 rather than 1000.00."""
        super().__init__()
        typeset = MathTex(*self.CHARS, font_size=font_size)
        self.glyphs = {c: typeset[i] for i, c in enumerate(self.CHARS)}
        self.gap = float(typeset[1].get_left()[0] - typeset[0].get_right()[0])
        self.origin = np.array([typeset[0].get_left()[0], typeset[0].get_bottom()[1], 0.0])
        self.anchor = VMobject(stroke_opacity=0, fill_opacity=0).set_points(
            np.repeat(self.origin[None], 4, axis=0)
        )
        self.decimals, self.significant, self.fill = decimals, significant, color
        self.set_value(value)

    def set_value(self, value: float) -> Readout:
        decimals = self.decimals
        if self.significant is not None and abs(value) >= 1:
            digits = math.floor(math.log10(abs(value))) + 1  # before the point
            decimals = min(decimals, max(0, self.significant - digits))
        text = f"{value:.{decimals}f}"
        if float(text) == 0:
            text = text.lstrip("-")
        shift = self.anchor.points[0] - self.origin
        pieces, cursor = [], self.origin[0]
        for char in text:
            glyph = self.glyphs[char]
            piece = VGroup(
                *(
                    VMobject(fill_color=self.fill, fill_opacity=1, stroke_width=0).set_points(
                        part.points + shift + (cursor - glyph.get_left()[0]) * RIGHT
                    )
                    for part in glyph.family_members_with_points()
                )
            )
            cursor += glyph.width + self.gap
            pieces.append(piece)
        for old in self.submobjects[1:]:  # Cairo keeps drawing a replaced family: blank it
            for part in old.family_members_with_points():
                part.points[:] = 0
        self.submobjects = [self.anchor, *pieces]
        self.value, self.text = value, text
        return self

    def cap_height(self) -> float:
        """The height of its digits (about a capital letter's), in scene units, as drawn."""
        return max((piece.height for piece in self.submobjects[1:]), default=0.0)
