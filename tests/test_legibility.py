"""Every scene's text is legible in a 720 px column: no formula or label smaller than the type
scale's minimum (TEXT.note), and all of it inside the frame, on the final frame."""

from __future__ import annotations

import pytest
from manim import config
from manim.mobject.text.tex_mobject import SingleStringMathTex

from scenes import CATALOGUE
from scenes.theme import TEXT
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
