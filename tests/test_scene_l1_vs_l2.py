"""l1_vs_l2: both optima where mathcore puts them; L1 reaches exact zeros, L2 does not."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import mathcore as mc
from scenes.l1_vs_l2 import L1VsL2, L1VsL2Params
from tests.scenetools import compare_to_reference, construct

DEFAULT = L1VsL2Params()
LOSS = mc.QuadraticLoss(DEFAULT.H, DEFAULT.center)


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(L1VsL2, tex_dir=tex_cache)


def test_final_dots_sit_on_the_mathcore_optima(scene):
    l2 = mc.solve_constrained(LOSS, DEFAULT.t_end**2).w
    l1 = mc.solve_constrained_l1(LOSS, DEFAULT.t_end).w
    dots = scene.marks["l2_dot"], scene.marks["l1_dot"]
    for plane, dot, w in zip(scene.planes, dots, (l2, l1), strict=True):
        assert np.linalg.norm(dot.get_center() - plane.axes.c2p(*w)) < scene.pixel


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
    assert "w_2 = 0" in scene.marks["conclusion"][1].tex_string


def test_budgets_beyond_c_start_at_c(tex_cache):
    params = dataclasses.replace(DEFAULT, t_start=4.0)  # ||c||₁ = 3.2, ||c||₂ = 2.33
    s = L1VsL2.solve(params)
    np.testing.assert_array_equal(s.l1.points[0], LOSS.center)
    np.testing.assert_array_equal(s.l2.points[0], LOSS.center)


def test_results_and_bad_budgets():
    r = L1VsL2.results(L1VsL2.solve(DEFAULT))
    assert set(r) == {"t_values", "l1_points", "l2_points", "t_sparse"}
    with pytest.raises(ValueError, match="t_end < t_start"):
        L1VsL2Params(t_start=1.0, t_end=2.0)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_final_still_matches_reference(still, update_references, theme):
    diff = compare_to_reference(still(L1VsL2, theme=theme), f"l1_vs_l2_{theme}", update_references)
    assert diff["mean"] < 1.5 and diff["changed"] < 0.002, diff
