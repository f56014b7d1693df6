"""Every scene lays itself out for the problem it is given: for the default and for every
problem in tests/problems_grid.py, at the end of every segment of the script, each text on
screen (formula, label, readout) lies inside the frame and no two of them overlap. Read from
the scene's own layout record (RidgeScene.layout), with animations skipped."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from manim import config

from scenes import CATALOGUE
from studio.params import build
from tests.problems_grid import NAMES, overrides
from tests.scenetools import construct

CASES = [(name, "default") for name in CATALOGUE] + [
    (name, problem) for name in CATALOGUE for problem in NAMES
]


def layout_problems(scene) -> list[str]:
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    found = []
    for segment, placed in scene.layout.items():
        for p in placed:
            if p.left < -half_w or p.right > half_w or p.bottom < -half_h or p.top > half_h:
                found.append(f"{segment}: {p.text!r} leaves the frame")
        for a, b in itertools.combinations(placed, 2):
            if a.overlaps(b, margin=0.02):
                found.append(f"{segment}: {a.text!r} overlaps {b.text!r}")
    return found


@pytest.mark.parametrize(("name", "problem"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_texts_stay_in_the_frame_and_apart(name, problem, tex_cache):
    scene_class = CATALOGUE[name].load()
    params, solution = build(scene_class, overrides(problem, scene_class))
    scene = construct(scene_class, params, tex_dir=tex_cache, solution=solution)
    assert scene.layout, "the scene recorded no layout"
    assert layout_problems(scene) == []


def test_the_check_sees_overlaps_and_escapes(tex_cache):
    """The check can fail: a scene whose layout record has two texts at one spot and one
    beyond the frame's edge is flagged."""
    scene = construct(CATALOGUE["tangency"].load(), tex_dir=tex_cache)
    segment, placed = next(iter(scene.layout.items()))
    first = placed[0]
    twin = dataclasses.replace(first, text="twin")
    away = dataclasses.replace(first, text="away", left=20.0, right=21.0)
    scene.layout[segment] = [*placed, twin, away]
    found = layout_problems(scene)
    assert any("twin" in f and "overlaps" in f for f in found)
    assert any("'away' leaves the frame" in f for f in found)
