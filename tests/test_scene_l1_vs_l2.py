"""l1_vs_l2: both optima where mathcore puts them; L1 reaches exact zeros, L2 does not."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from manim import DL, UR

import mathcore as mc
from narration import fixed
from scenes.l1_vs_l2 import L1VsL2, L1VsL2Params
from studio.params import build
from tests.problems_grid import DATA, NAMES, overrides
from tests.scenetools import construct

DEFAULT = L1VsL2Params()
LOSS = mc.QuadraticLoss(DEFAULT.H, DEFAULT.center)
SOLUTION = L1VsL2.solve(DEFAULT)
T_END = SOLUTION.t_values[-1]  # derived: half the corner budget


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(L1VsL2, tex_dir=tex_cache)


def test_final_dots_sit_on_the_mathcore_optima(scene):
    l2 = mc.solve_constrained(LOSS, T_END**2).w
    l1 = mc.solve_constrained_l1(LOSS, T_END).w
    dots = scene.marks["l2_dot"], scene.marks["l1_dot"]
    for pane, dot, w in zip(scene.panes, dots, (l2, l1), strict=True):
        assert np.linalg.norm(dot.get_center() - pane.to_scene([w])[0]) < scene.pixel


def test_l1_has_exact_zeros_below_the_sparse_budget_and_l2_never(scene):
    s = scene.solution
    assert s.t_sparse == pytest.approx(1.2)
    # against a scan of budgets: a zero coordinate up to t_sparse, none beyond
    scan = np.linspace(0.05, 3.1, 300)
    zero = np.array([np.any(mc.solve_constrained_l1(LOSS, t).w == 0.0) for t in scan])
    assert zero[scan <= 1.2].all() and not zero[scan > 1.2 + 1e-9].any()
    below = s.t_values <= s.t_sparse
    assert below.any() and (~below).any()
    assert np.all(np.any(s.l1.points[below] == 0.0, axis=1))
    assert np.all(np.all(s.l1.points[s.t_values > s.t_sparse * 1.001] != 0.0, axis=1))
    assert np.all(s.l2.points != 0.0)
    # on the boundary where the budget binds, at c where it does not (||c||₂ = 2.33 < 2.6)
    np.testing.assert_allclose(np.abs(s.l1.points).sum(axis=1), s.t_values, rtol=1e-10)
    binds = s.t_values < np.linalg.norm(LOSS.center)
    np.testing.assert_allclose(
        np.linalg.norm(s.l2.points[binds], axis=1), s.t_values[binds], rtol=1e-10
    )
    np.testing.assert_array_equal(s.l2.points[~binds], np.tile(LOSS.center, ((~binds).sum(), 1)))


def test_zero_coordinate_is_highlighted(scene):
    l2_readout, l1_readout = scene.marks["l2_readout"], scene.marks["l1_readout"]
    assert l1_readout[0][3].value == 0.0
    assert l1_readout[2].get_stroke_opacity() == 1.0  # the box around w₂ in the L1 panel
    assert l2_readout[1].get_stroke_opacity() == 0.0 and l2_readout[2].get_stroke_opacity() == 0.0
    assert "w_2 = 0" in scene.marks["conclusion"][0].tex_string  # named as its axis is


def test_budgets_beyond_c_start_at_c(tex_cache):
    params = dataclasses.replace(DEFAULT, t_start=4.0)  # ||c||₁ = 3.2, ||c||₂ = 2.33
    s = L1VsL2.solve(params)
    np.testing.assert_array_equal(s.l1.points[0], LOSS.center)
    np.testing.assert_array_equal(s.l2.points[0], LOSS.center)


@pytest.mark.parametrize("problem", ["default", *NAMES])
def test_derived_budgets_cross_the_corner(problem):
    """For any problem the sweep starts with both constraints binding (or at most at ||c||₁)
    and crosses the budget where the L1 optimum reaches a corner, ending well below it."""
    params, s = build(L1VsL2, overrides(problem, L1VsL2))
    loss = params.loss()
    t0, t1 = s.t_values[0], s.t_values[-1]
    assert t1 < s.t_sparse < t0 <= np.abs(loss.center).sum()
    assert t1 == pytest.approx(L1VsL2.end_below * s.t_sparse)
    assert np.all(s.l1.points[-1] == mc.solve_constrained_l1(loss, t1).w)
    assert s.l1.points[-1][s.zero] == 0.0 and s.l1.points[-1][1 - s.zero] != 0.0
    assert np.all(s.l2.points[-1] != 0.0)


def test_results_and_bad_budgets():
    r = L1VsL2.results(SOLUTION)
    assert r["zero"] == 2 and r["zero_sub"] == "₂"
    assert r["t_sparse"] == pytest.approx(1.2) and r["t_end"] == pytest.approx(0.6)
    with pytest.raises(ValueError, match="t_end < t_start"):
        L1VsL2Params(t_start=1.0, t_end=2.0)
    with pytest.raises(ValueError, match=r"reaches a corner at t = 1\.20"):
        L1VsL2.solve(dataclasses.replace(DEFAULT, t_end=1.5))
    with pytest.raises(ValueError, match="on an axis"):
        L1VsL2.solve(dataclasses.replace(DEFAULT, center=(1.5, 0.0)))


def test_tick_values_give_way_to_the_optima_s_paths(tex_cache):
    """An untuned problem whose L1 path runs along w₂ = 2 to the axis: at the end, no tick
    value shown in either pane lies on its optimum's path (the one at 2 gives way)."""
    params = dataclasses.replace(DEFAULT, H=((1.0, 0.2), (0.2, 4.0)), center=(-0.8, 2.2))
    scene = construct(L1VsL2, params, tex_dir=tex_cache)
    s = scene.solution
    hidden = 0
    for pane, side in zip(scene.panes, (s.l2, s.l1), strict=True):
        path = np.array([p for p in side.points if pane.inside(p)])
        trail = pane.to_scene(np.linspace(path[:-1], path[1:], 20).reshape(-1, 2))
        for label in (lab for ticks in pane.ticks for lab in ticks):
            (left, bottom, _), (right, top, _) = label.get_corner(DL), label.get_corner(UR)
            on = (
                (trail[:, 0] > left)
                & (trail[:, 0] < right)
                & (trail[:, 1] > bottom)
                & (trail[:, 1] < top)
            ).any()
            shown = label[1].get_fill_opacity() > 0.05
            assert not (on and shown), label[1].tex_string
            hidden += bool(on)
    assert hidden >= 1  # the path does run over a tick value here
    # the L2 optimum ends 0.10 from the w₂ axis, ~5 px at blog: a lens shows the gap
    lens, dot, frame = s.lens, scene.marks["lens_dot"], scene.marks["lens"]
    end = s.l2.points[-1]
    assert lens is not None and lens.near == 0
    pane = scene.panes[0]
    assert abs(pane.to_scene(end)[0][0] - pane.to_scene([(0.0, 0.0)])[0][0]) < 0.3  # tiny there
    x0, x1, _, _ = lens.box
    axis_x = frame.get_left()[0] + (0.0 - x0) / (x1 - x0) * frame.width
    gap = abs(dot.get_center()[0] - axis_x)  # in the lens: the gap between point and axis
    assert gap == pytest.approx(L1VsL2.lens_gap * L1VsL2.lens_half, rel=1e-6)
    assert lens.times == pytest.approx(gap / abs(end[0]) / (s.view.unit * s.zoom))
    left, bottom, right, top = pane.rect
    assert left <= frame.get_left()[0] and frame.get_right()[0] <= right
    assert bottom <= frame.get_bottom()[1] and frame.get_top()[1] <= top
    assert s.crossing is None and "crossing" not in scene.marks


def test_a_path_that_crosses_an_axis_says_so(tex_cache):
    """The diabetes problem's L2 path crosses the w₂ axis once (sign(ŵ₂) ≠ sign((Hŵ)₂)): the
    scene finds where, against a scan of the ridge path solved with numpy, and its words say
    it crosses rather than that it meets no axis."""
    params, s = build(L1VsL2, overrides(DATA, L1VsL2))
    H, c = np.array(params.H, float), np.array(params.center, float)
    lams = np.geomspace(1e-6, 1e6, 20001) * np.linalg.eigvalsh(H).max()
    path = np.array([np.linalg.solve(H + lam * np.eye(2), H @ c) for lam in lams])
    flips = np.flatnonzero(np.diff(np.sign(path), axis=0).any(axis=1))
    assert len(flips) == 1
    j = int(np.flatnonzero(np.sign(path[flips[0]]) != np.sign(path[flips[0] + 1]))[0])
    t_scan = np.linalg.norm(path[flips[0]])
    assert s.crossing is not None and s.crossing[0] == j
    assert s.crossing[1] == pytest.approx(t_scan, rel=1e-3)
    assert s.crossing[2][j] == 0.0  # the point the ring marks: on the path, on the axis
    np.testing.assert_allclose(s.crossing[2], path[flips[0]], atol=2e-3 * t_scan)
    assert s.t_values[-1] < s.crossing[1] < s.t_values[0]  # crossed on screen
    r = L1VsL2.results(s)
    assert r["crosses"] and r["cross_sub"] == "₁₂"[j]
    lines = L1VsL2.load_script().fill(r)
    assert f"crosses an axis once, at t = {fixed(s.crossing[1], 2)}: w₂ = 0" in " ".join(
        lines["below.crossing"].lines
    )
    assert "meets no axis" not in L1VsL2.alt_text(s)
    assert L1VsL2.results(SOLUTION)["crosses"] is False
