"""Every scene's text is legible in a 720 px column: no formula or label smaller than the type
scale's minimum (TEXT.note), and all of it inside the frame, on the final frame."""

from __future__ import annotations

import pytest
from manim import config
from manim.mobject.text.tex_mobject import SingleStringMathTex

from scenes import CATALOGUE
from scenes.theme import TEXT, THEMES
from tests.scenetools import construct


def visible(mob) -> bool:
    return any(m.get_fill_opacity() > 0 for m in mob.family_members_with_points())


def texts(scene) -> list[SingleStringMathTex]:
    """The formulas and labels on screen at the end (visible ones: faded-out text stays in
    some groups at zero opacity)."""
    found = []
    for mob in scene.mobjects:
        for part in mob.get_family():
            if isinstance(part, SingleStringMathTex) and visible(part):
                found.append(part)
    return found


@pytest.fixture(scope="module", params=list(CATALOGUE))
def scene(request, tex_cache):
    return construct(CATALOGUE[request.param].load(), tex_dir=tex_cache)


def test_no_text_below_the_minimum_size(scene):
    small = [
        (t.tex_string, round(t.font_size, 1)) for t in texts(scene) if t.font_size < TEXT.note - 0.5
    ]
    assert small == []


def test_all_text_is_inside_the_frame(scene):
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    outside = [
        t.tex_string
        for t in texts(scene)
        if t.get_left()[0] < -half_w
        or t.get_right()[0] > half_w
        or t.get_bottom()[1] < -half_h
        or t.get_top()[1] > half_h
    ]
    assert outside == []


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two sRGB colours '#RRGGBB'."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))
@pytest.mark.parametrize("role", ["text", "muted", "f", "g", "descent", "optimum"])
def test_every_text_colour_has_aa_contrast_on_the_background_and_the_panel(theme, role):
    colour = getattr(theme, role)
    for under in (theme.background, theme.panel):
        assert contrast(colour, under) >= 4.5, (theme.name, role, under)


def test_the_contrast_formula():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
