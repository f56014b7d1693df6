"""tangency: the objects sit where mathcore puts them, and the final still matches its reference."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import mathcore as mc
from scenes.tangency import Tangency, TangencyParams
from tests.scenetools import compare_to_reference, construct, data_point

DEFAULT = TangencyParams()


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(Tangency, tex_dir=tex_cache)


def test_solution_comes_from_mathcore(scene):
    s = scene.solution
    ref = mc.solve_constrained(mc.QuadraticLoss(DEFAULT.H, DEFAULT.center), DEFAULT.k)
    np.testing.assert_allclose(s.w_star, ref.w, rtol=1e-14)
    assert s.lam == pytest.approx(ref.lam, rel=1e-14)
    start = mc.descent_start(mc.QuadraticLoss(DEFAULT.H, DEFAULT.center), DEFAULT.k)
    np.testing.assert_allclose(s.slide.points[0], mc.point_on_circle(DEFAULT.k, start), atol=1e-14)
    results = Tangency.results(s)
    assert set(results) == {"w_star", "lam", "k", "radius", "x1_start", "share_start", "active"}
    assert results["radius"] == pytest.approx(math.sqrt(DEFAULT.k))
    assert results["active"] is True and results["k"] == DEFAULT.k


def test_optimum_dot_is_at_w_star_within_a_pixel(scene):
    expected = scene.axes.c2p(*scene.solution.w_star)
    assert np.linalg.norm(scene.marks["w_star"].get_center() - expected) < scene.pixel


def test_moving_point_ends_on_the_optimum(scene):
    expected = scene.axes.c2p(*scene.solution.w_star)
    assert np.linalg.norm(scene.marks["x1"].get_center() - expected) < scene.pixel


def test_slide_samples_are_fine_enough_for_60_fps():
    """x₁ moves less than 0.5° between samples: at most a pixel at 4k."""
    s = Tangency.solve(DEFAULT)
    steps = np.degrees(np.abs(np.diff(mc.angle_of(s.slide.points))))
    assert steps.max() < 0.5 and len(s.slide.points) >= 60 * DEFAULT.slide_time


def test_circle_radius_is_sqrt_k_in_axis_units(scene):
    anchors = np.array([data_point(scene.axes, p) for p in scene.marks["circle"].get_anchors()])
    np.testing.assert_allclose(np.linalg.norm(anchors, axis=1), math.sqrt(DEFAULT.k), rtol=1e-9)


def test_arrows_end_anti_parallel(scene):
    grad_f, grad_g = scene.marks["grad_f"], scene.marks["grad_g"]
    f_vec = grad_f.get_end() - grad_f.get_start()
    g_vec = grad_g.get_end() - grad_g.get_start()
    cos = f_vec @ g_vec / (np.linalg.norm(f_vec) * np.linalg.norm(g_vec))
    assert math.acos(np.clip(cos, -1, 1)) == pytest.approx(math.pi, abs=1e-6)
    # both start at the optimum
    expected = scene.axes.c2p(*scene.solution.w_star)
    assert np.linalg.norm(grad_f.get_start() - expected) < scene.pixel


def test_lambda_label_shows_the_mathcore_value(scene):
    assert scene.marks["lam"].tex_string == rf"\lambda = {scene.solution.lam:.2f}"
    assert "2.32" in scene.marks["lam"].tex_string


def test_tangential_readout_reaches_zero(scene):
    assert scene.share.value == pytest.approx(0.0, abs=1e-9)


def test_inactive_constraint_shows_c_with_lambda_zero(tex_cache):
    params = dataclasses.replace(DEFAULT, k=6.0)  # ||c||² = 5.44 <= 6
    scene = construct(Tangency, params, tex_dir=tex_cache)
    assert not scene.solution.active and scene.solution.slide is None
    expected = scene.axes.c2p(*DEFAULT.center)
    assert np.linalg.norm(scene.marks["w_star"].get_center() - expected) < scene.pixel
    assert r"\lambda = 0" in scene.marks["lam"].tex_string
    # the grown window still shows the whole circle
    x_range, y_range = scene.solution.view.x_range, scene.solution.view.y_range
    assert x_range[0] < -math.sqrt(6.0) and y_range[0] < -math.sqrt(6.0)


def test_an_explicit_start_is_honoured():
    s = Tangency.solve(dataclasses.replace(DEFAULT, start_angle=115.0))
    expected = mc.point_on_circle(DEFAULT.k, math.radians(115.0))
    np.testing.assert_allclose(s.slide.points[0], expected, atol=1e-14)


@pytest.mark.parametrize(
    ("H", "center"),
    [(((2.0, 0.0), (0.0, 2.0)), (-1.0, 1.8)), (((2.0, 0.05), (0.05, 1.9)), (-1.5, 1.6))],
)
def test_the_derived_start_works_for_problems_unlike_the_default(H, center):
    """The start the scene derives is 60° from w* and slides down to it (issue: the old
    fixed 115° start was within 10° of the optimum for these)."""
    s = Tangency.solve(dataclasses.replace(DEFAULT, H=H, center=center))
    w_star = mc.solve_constrained(mc.QuadraticLoss(H, center), DEFAULT.k).w
    np.testing.assert_allclose(s.slide.points[-1], w_star, atol=1e-9)
    turn = np.degrees(abs(mc.angle_of(s.slide.points[0]) - mc.angle_of(w_star)))
    assert min(turn, 360 - turn) == pytest.approx(60.0, abs=1e-6)


def test_a_start_that_descends_elsewhere_is_rejected():
    w_star = mc.solve_constrained(DEFAULT.loss(), DEFAULT.k).w
    params = dataclasses.replace(DEFAULT, start_angle=math.degrees(mc.angle_of(w_star)))
    with pytest.raises(mc.MathcoreError, match="start_angle"):
        Tangency.solve(params)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_final_still_matches_its_reference_and_not_the_other(still, update_references, theme):
    image = still(Tangency, theme=theme)
    other = "light" if theme == "dark" else "dark"
    diff = compare_to_reference(image, f"tangency_{theme}", update_references)
    assert diff["mean"] < 1.5 and diff["changed"] < 0.002, diff
    wrong = compare_to_reference(image, f"tangency_{other}", update=False)
    assert wrong["changed"] > 0.1, wrong  # the comparison can tell two stills apart


def test_hold_is_long_enough_to_read_and_inactive_has_no_start():
    with pytest.raises(ValueError, match="hold_time"):
        TangencyParams(hold_time=0.5)
    inactive = Tangency.solve(dataclasses.replace(DEFAULT, k=6.0))
    assert inactive.slide is None and Tangency.results(inactive)["x1_start"] is None
