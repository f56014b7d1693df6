"""Every scene lays itself out for the problem it is given: for the default, for every
problem in tests/problems_grid.py and for random problems from the drawable range, at the
end of every segment of the script: nothing outside the frame, no two texts overlapping, no
text on a point or an arrowhead, text and ticks legible and arrows long enough at the blog
size. Read from the scene's own layout record (RidgeScene.layout, the manifest's `layout`),
with animations skipped."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import fields

import pytest
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st

from scenes import CATALOGUE
from scenes.base import MIN_ARROW_PX, MIN_TEXT_PX, MIN_TICK_PX
from studio.params import build
from tests.problems_grid import at_distance, overrides, problems_of, rotated
from tests.scenetools import construct

CASES = [(name, "default") for name in CATALOGUE] + [
    (name, problem) for name in CATALOGUE for problem in problems_of(CATALOGUE[name].load())
]


BLOG_WIDTH = 768  # the checks hold at the blog size, whatever size the test renders at


def layout_problems(scene) -> list[str]:
    """Every broken layout rule, beat by beat, read from the manifest's record of the scene:
    overlaps (two texts, a text on a point or an arrowhead), anything outside the frame, a
    label or readout under MIN_TEXT_PX cap height at the blog size, a tick value under
    MIN_TICK_PX, an arrow shorter than MIN_ARROW_PX."""
    found = []
    for beat in scene.layout_report(BLOG_WIDTH)["beats"]:
        where = beat["beat"]
        found += [f"{where}: {a!r} overlaps {b!r}" for a, b in beat["overlaps"]]
        found += [f"{where}: {name!r} leaves the frame" for name in beat["outside"]]
        for key, least in (
            ("min_text_px", MIN_TEXT_PX),
            ("min_tick_px", MIN_TICK_PX),
            ("min_arrow_px", MIN_ARROW_PX),
        ):
            if beat[key] is not None and beat[key] < least:
                found.append(f"{where}: {key} {beat[key]} < {least}")
    return found


@pytest.mark.parametrize(("name", "problem"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_texts_stay_in_the_frame_and_apart(name, problem, tex_cache):
    scene_class = CATALOGUE[name].load()
    params, solution = build(scene_class, overrides(problem, scene_class))
    scene = construct(scene_class, params, tex_dir=tex_cache, solution=solution)
    assert scene.layout, "the scene recorded no layout"
    assert layout_problems(scene) == []


def test_the_check_sees_overlaps_escapes_small_text_and_short_arrows(tex_cache):
    """The check can fail: a scene whose layout record has two texts at one spot, a text on
    a point, one beyond the frame's edge, a tiny label and a short arrow is flagged."""
    scene = construct(CATALOGUE["tangency"].load(), tex_dir=tex_cache)
    assert layout_problems(scene) == []
    segment, lay = next(iter(scene.layout.items()))
    first = lay.texts[0]
    twin = dataclasses.replace(first, text="twin")
    away = dataclasses.replace(first, text="away", left=20.0, right=21.0)
    tiny = dataclasses.replace(
        first, text="tiny", left=-7, right=-6.9, top=-3, bottom=-3.1, cap=0.1
    )
    dot = dataclasses.replace(first, text="a point", cap=0.0)
    scene.layout[segment] = dataclasses.replace(
        lay, texts=(*lay.texts, twin, away, tiny), points=(*lay.points, dot), arrows=(0.2,)
    )
    found = layout_problems(scene)
    assert any("'twin' overlaps" in f for f in found)
    assert any(f"{first.text!r} overlaps 'a point'" in f for f in found)
    assert any("'away' leaves the frame" in f for f in found)
    assert any("min_text_px 5.4 < 9" in f for f in found)
    assert any("min_arrow_px 10.8 < 20" in f for f in found)


NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
"""A scene takes seconds to build: a failing problem is reported as drawn, not shrunk."""
PLANAR = [n for n, e in CATALOGUE.items() if "H" in {f.name for f in fields(e.load().Params)}]


@st.composite
def random_problems(draw) -> dict:
    """A problem from the drawable range: H with eigenvalue ratio 1–50 at any angle, ŵ in any
    quadrant with ‖ŵ‖² from 0.3 to 20 times the default budget k = 1.5."""
    ratio = draw(st.floats(1.0, 50.0))
    big = 10 ** draw(st.floats(-0.3, 0.7))
    H = rotated(big, big / ratio, draw(st.floats(0.0, 180.0)))
    radius2 = 1.5 * 10 ** draw(st.floats(math.log10(0.3), math.log10(20.0)))
    return {
        "H": [list(row) for row in H],
        "center": list(at_distance(radius2, draw(st.floats(0, 360)))),
    }


@pytest.mark.parametrize("name", PLANAR)
@settings(max_examples=4, derandomize=True, deadline=None, phases=NO_SHRINK)
@given(problem=random_problems())
def test_layouts_hold_on_random_problems(name, problem, tex_cache):
    """Problems nobody tuned for: every beat of every planar scene lays out cleanly."""
    scene_class = CATALOGUE[name].load()
    if name == "l1_vs_l2":  # a ŵ on an axis is refused there (sparse at every budget)
        assume(0.0 not in problem["center"])
    params, solution = build(scene_class, problem)
    scene = construct(scene_class, params, tex_dir=tex_cache, solution=solution)
    assert layout_problems(scene) == [], problem
