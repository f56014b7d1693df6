"""kkt_slackness, shadow_price and projected_gradient: objects where mathcore puts them."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import mathcore as mc
from scenes.kkt_slackness import KktParams, KktSlackness
from scenes.projected_gradient import ProjectedGradient, ProjectedGradientParams
from scenes.shadow_price import ShadowPrice, ShadowPriceParams
from tests.scenetools import compare_to_reference, construct, scene_name

H = ((3.0, 1.2), (1.2, 1.2))


# --- kkt_slackness -------------------------------------------------------------------------------


def test_kkt_lambda_switches_with_the_side_of_the_circle():
    s = KktSlackness.solve(KktParams())
    inside = np.sum(s.centers**2, axis=1) <= s.k
    assert inside.any() and (~inside).any()  # the loop crosses the circle
    np.testing.assert_array_equal(s.active, ~inside)
    assert np.all(s.lams[inside] == 0) and np.all(s.lams[~inside] > 0)
    np.testing.assert_array_equal(s.optima[inside], s.centers[inside])
    np.testing.assert_allclose(np.sum(s.optima[~inside] ** 2, axis=1), s.k, rtol=1e-12)
    assert np.max(np.abs(s.lams * s.slack)) < 1e-12  # complementary slackness
    for c, lam in zip(s.centers[::40], s.lams[::40], strict=True):
        assert lam == mc.solve_constrained(mc.QuadraticLoss(H, c), s.k).lam
    np.testing.assert_allclose(s.centers[0], s.centers[-1], atol=1e-12)  # a closed loop


def test_kkt_scene_markers_and_readouts(tex_cache):
    scene = construct(KktSlackness, tex_dir=tex_cache)
    s = scene.solution
    w_star, c = scene.marks["w_star"], scene.marks["c"]
    assert np.linalg.norm(w_star.get_center() - scene.axes.c2p(*s.optima[-1])) < scene.pixel
    assert np.linalg.norm(c.get_center() - scene.axes.c2p(*s.centers[-1])) < scene.pixel
    lam, slack, product = (row[1].value for row in scene.marks["readouts"])
    assert lam == s.lams[-1] and slack == s.slack[-1]
    assert abs(product) < 1e-12
    assert KktSlackness.loops


# --- shadow_price --------------------------------------------------------------------------------


def test_shadow_price_slope_is_minus_lambda_of_the_plotted_loss():
    s = ShadowPrice.solve(ShadowPriceParams())
    curve = s.curve
    loss = mc.QuadraticLoss(H, (1.2, 2.0))
    np.testing.assert_allclose(curve.f_star, [2 * loss.value(w) for w in curve.w], rtol=1e-12)
    np.testing.assert_allclose(curve.slope, -curve.lam)
    # the plotted curve's own finite differences agree with −λ where it is smooth
    fd = np.gradient(curve.f_star, curve.k)
    inner = slice(5, -5)
    np.testing.assert_allclose(fd[inner], curve.slope[inner], rtol=0.02, atol=0.02)
    flat = curve.k >= s.c_norm2
    assert flat.any() and np.all(curve.lam[flat] == 0) and np.all(curve.slope[flat] == 0)


def test_shadow_price_scene_objects(tex_cache):
    scene = construct(ShadowPrice, tex_dir=tex_cache)
    s = scene.solution
    end = (s.curve.k[-1], s.curve.f_star[-1])
    plot_dot, w_star = scene.marks["plot_dot"], scene.marks["w_star"]
    assert np.linalg.norm(plot_dot.get_center() - scene.value_axes.c2p(*end)) < scene.pixel
    assert np.linalg.norm(w_star.get_center() - scene.axes.c2p(*s.curve.w[-1])) < scene.pixel
    k, lam, slope = (row[1].value for row in scene.marks["readouts"])
    assert k == s.curve.k[-1] and lam == s.curve.lam[-1] and slope == -lam


# --- projected_gradient --------------------------------------------------------------------------


def test_projected_gradient_converges_to_the_marked_optimum(tex_cache):
    scene = construct(ProjectedGradient, tex_dir=tex_cache)
    s = scene.solution
    left = scene.planes[0]
    target = scene.marks["target"]
    assert np.linalg.norm(target.get_center() - left.axes.c2p(*s.optimum.w)) < scene.pixel
    assert np.linalg.norm(s.projected.iterates[-1] - s.optimum.w) < 1e-2
    for walker, plane, point in zip(
        scene.walkers, scene.planes, (s.projected.iterates[-1], s.plain.iterates[-1]), strict=True
    ):
        assert np.linalg.norm(walker.get_center() - plane.axes.c2p(*point)) < scene.pixel
    # every projection is radial: the step, the landing point and the origin are collinear
    for stepped, landed in zip(s.projected.steps, s.projected.iterates[1:], strict=True):
        cross = stepped[0] * landed[1] - stepped[1] * landed[0]
        assert abs(cross) < 1e-12 and stepped @ landed >= 0
    # plain descent heads to c
    gaps = np.linalg.norm(s.plain.iterates - s.view.center, axis=1)
    assert np.all(np.diff(gaps) < 0)


def test_projected_gradient_rejects_bad_settings():
    with pytest.raises(ValueError, match="step_scale"):
        ProjectedGradientParams(step_scale=2.5)
    with pytest.raises(ValueError, match="start"):
        ProjectedGradientParams(start=(1.0,))
    s = ProjectedGradient.solve(dataclasses.replace(ProjectedGradientParams(), k=9.0))
    assert not s.optimum.active  # c inside the ball: both descents head to c


@pytest.mark.parametrize("scene_class", [KktSlackness, ShadowPrice, ProjectedGradient])
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_final_still_matches_reference(still, update_references, scene_class, theme):
    name = f"{scene_name(scene_class)}_{theme}"
    diff = compare_to_reference(still(scene_class, theme=theme), name, update_references)
    assert diff["mean"] < 1.5 and diff["changed"] < 0.002, diff


def test_shadow_price_when_the_constraint_never_binds(tex_cache):
    params = dataclasses.replace(ShadowPriceParams(), center=(0.0, 0.0))  # f* ≡ 0 for every k
    scene = construct(ShadowPrice, params, tex_dir=tex_cache)
    assert np.all(scene.solution.curve.f_star == 0) and np.all(scene.solution.curve.lam == 0)
