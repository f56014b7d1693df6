"""shadow_price: the tangent's slope is −λ of the plotted loss, and the sweep fits the problem."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import mathcore as mc
from scenes.shadow_price import ShadowPrice, ShadowPriceParams
from tests.problems_grid import PROBLEMS
from tests.scenetools import compare_to_reference, construct, data_point

DEFAULT = ShadowPriceParams()


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(ShadowPrice, tex_dir=tex_cache)


def test_shadow_price_slope_is_minus_lambda_of_the_plotted_loss():
    s = ShadowPrice.solve(DEFAULT)
    curve = s.curve
    loss = mc.QuadraticLoss(DEFAULT.H, DEFAULT.center)
    np.testing.assert_allclose(curve.f_star, [2 * loss.value(w) for w in curve.w], rtol=1e-12)
    np.testing.assert_allclose(curve.slope, -curve.lam)
    # the plotted curve's own finite differences agree with −λ where it is smooth
    binding = slice(5, s.binding_end - 5)
    fd = np.gradient(curve.f_star, curve.k)
    np.testing.assert_allclose(fd[binding], curve.slope[binding], rtol=0.02, atol=0.02)
    flat = curve.k >= s.c_norm2
    assert flat.any() and np.all(curve.lam[flat] == 0) and np.all(curve.slope[flat] == 0)
    assert np.all(curve.lam[: s.binding_end] > 0)
    # the whole drawn curve starts at f*(0) = ||Xw − b||² at w = 0
    assert s.graph[0] == pytest.approx((0.0, 2 * loss.value(np.zeros(2))))


@pytest.mark.parametrize("problem", ["default", *PROBLEMS])
def test_the_sweep_derives_from_the_problem(problem):
    """k runs from 5% of ||c||² to 15% past it, whatever c is; most of the sweep's samples
    (so most of its time) are where the constraint binds and λ changes."""
    params = dataclasses.replace(DEFAULT, **PROBLEMS.get(problem, {}))
    s = ShadowPrice.solve(params)
    c_norm2 = float(np.sum(np.asarray(params.center) ** 2))
    assert s.c_norm2 == pytest.approx(c_norm2)
    assert s.curve.k[0] == pytest.approx(0.05 * c_norm2)
    assert s.curve.k[-1] == pytest.approx(1.15 * c_norm2)
    assert s.binding_end > 0.75 * len(s.curve.k)
    assert s.curve.k[s.binding_end] == pytest.approx(c_norm2)
    assert 0 < s.focus < s.binding_end


def test_explicit_budgets_are_honoured_and_checked():
    s = ShadowPrice.solve(dataclasses.replace(DEFAULT, k_min=0.5, k_max=3.0))  # all binding
    assert s.curve.k[0] == 0.5 and s.curve.k[-1] == 3.0 and np.all(s.curve.lam > 0)
    with pytest.raises(ValueError, match="k_min < k_max"):
        ShadowPriceParams(k_min=3.0, k_max=2.0)
    with pytest.raises(ValueError, match="k_max"):
        ShadowPrice.solve(dataclasses.replace(DEFAULT, k_max=0.2, k_min=0.3))


def test_shadow_price_scene_objects(scene):
    s = scene.solution
    at = s.focus  # the scene ends back on the middle of the binding part
    end = (s.curve.k[at], s.curve.f_star[at])
    plot_dot, w_star = scene.marks["plot_dot"], scene.marks["w_star"]
    assert np.linalg.norm(plot_dot.get_center() - scene.value_axes.c2p(*end)) < scene.pixel
    assert np.linalg.norm(w_star.get_center() - scene.axes.c2p(*s.curve.w[at])) < scene.pixel
    k, lam, slope = (row[1].value for row in scene.marks["readouts"])
    assert k == s.curve.k[at] and lam == s.curve.lam[at] and slope == -lam


def test_the_triangle_rises_lambda_per_unit_run(scene):
    """Rise over run of the drawn triangle, read back in the plot's units, is −λ."""
    s, axes = scene.solution, scene.value_axes
    run_leg, rise_leg = scene.marks["triangle"].submobjects
    start, corner = (data_point(axes, p) for p in (run_leg.get_start(), run_leg.get_end()))
    bottom = data_point(axes, rise_leg.get_end())
    assert start == pytest.approx((s.curve.k[s.focus], s.curve.f_star[s.focus]), rel=1e-6)
    assert corner[1] == pytest.approx(start[1], abs=1e-9)
    slope = (bottom[1] - corner[1]) / (corner[0] - start[0])
    assert slope == pytest.approx(-s.curve.lam[s.focus], rel=1e-6)


def test_shadow_price_when_the_constraint_never_binds(tex_cache):
    params = dataclasses.replace(DEFAULT, center=(0.0, 0.0))  # f* ≡ 0 for every k
    scene = construct(ShadowPrice, params, tex_dir=tex_cache)
    assert np.all(scene.solution.curve.f_star == 0) and np.all(scene.solution.curve.lam == 0)
    assert [seg.id for seg in scene.timeline] == ["problem", "flat", "price"]


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_final_still_matches_reference(still, update_references, theme):
    diff = compare_to_reference(
        still(ShadowPrice, theme=theme), f"shadow_price_{theme}", update_references
    )
    assert diff["mean"] < 1.5 and diff["changed"] < 0.002, diff


def test_the_interactive_figure_prints_k_and_lambda_as_the_frames_do():
    """Small budgets get more decimals on screen (`places`); the page's readouts follow."""
    for center, more in (((1.2, 2.0), False), ((0.12, 0.2), True)):
        s = ShadowPrice.solve(ShadowPrice.Params(center=center))
        decimals = {r.key: r.decimals for r in ShadowPrice.scrubbed(s)}
        assert decimals["k"] == decimals["lam"] == ShadowPrice.places(s)
        assert (ShadowPrice.places(s) > 2) == more
        assert decimals["w_star"] == 2
