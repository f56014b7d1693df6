"""Every scene draws only what its `solve` returned: once `solve` is done, no mathcore code
runs, not in `results`, `alt_text`, `setup`, `construct` or any frame's updaters.

A profile hook records every Python call whose code lives in mathcore/ while the rest of a
render runs, frames included (at a tiny size and frame rate)."""

from __future__ import annotations

import dataclasses
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

import mathcore as mc
from scenes import CATALOGUE
from scenes.theme import DARK
from studio.frames import render_frames

MATHCORE = str(Path(mc.__file__).parent) + "/"


@contextmanager
def mathcore_calls():
    """Yield a list that fills with every mathcore function called inside the block."""
    calls: list[str] = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.startswith(MATHCORE):
            calls.append(f"{Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}")

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


VARIANTS = {  # beyond the defaults: the other branches of a scene
    "tangency inactive": ("tangency", {"k": 6.0}),
    "lambda_sweep straight": ("lambda_sweep", {"H": ((2.0, 0.0), (0.0, 2.0))}),
    "eigen_shrinkage isotropic": ("eigen_shrinkage", {"H": ((2.0, 0.0), (0.0, 2.0))}),
}
CASES = {name: (name, {}) for name in CATALOGUE} | VARIANTS


@pytest.mark.parametrize("case", list(CASES))
def test_after_solve_the_scene_only_draws(case, tmp_path, tex_cache):
    name, changes = CASES[case]
    scene_class = CATALOGUE[name].load()
    params = dataclasses.replace(scene_class.Params(), **changes)
    solution = scene_class.solve(params)
    with mathcore_calls() as calls:
        scene_class.results(solution)
        scene_class.alt_text(solution)
        frames = render_frames(
            scene_class, params, DARK, (128, 72, 2), tmp_path, tex_cache, solution=solution
        )
    assert frames.count > 10  # the animation did run, frame by frame
    assert calls == [], sorted(set(calls))


def test_the_hook_sees_mathcore_calls():
    """The check can fail: calls into mathcore, direct or through a method, are recorded."""
    loss = mc.QuadraticLoss([[2.0, 0.0], [0.0, 1.0]], [1.0, 1.0])
    with mathcore_calls() as calls:
        mc.circle(1.0)
        loss.value([0.0, 0.0])
    assert "geometry.py:circle" in calls and "loss.py:value" in calls
