"""projected_gradient: the iterates converge to the marked optimum, the start and the steps
derive from the problem, and the fixed point shows ∇f = −λ∇g."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import mathcore as mc
from scenes.projected_gradient import ProjectedGradient, ProjectedGradientParams
from tests.problems_grid import PROBLEMS
from tests.scenetools import compare_to_reference, construct, data_point

DEFAULT = ProjectedGradientParams()


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(ProjectedGradient, tex_dir=tex_cache)


def test_projected_gradient_converges_to_the_marked_optimum(scene):
    s = scene.solution
    left = scene.planes[0]
    target = scene.marks["target"]
    ref = mc.solve_constrained(DEFAULT.loss(), DEFAULT.k)
    np.testing.assert_allclose(s.optimum.w, ref.w, rtol=1e-14)
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


def test_the_step_size_is_stable_for_the_largest_eigenvalue(scene):
    s = scene.solution
    sigma_max = float(np.linalg.eigvalsh(np.array(DEFAULT.H)).max())
    assert s.projected.step_size == pytest.approx(DEFAULT.step_scale / sigma_max, rel=1e-12)
    assert s.projected.step_size * sigma_max < 2


def test_the_fixed_point_arrow_points_straight_out_along_w_star(scene):
    s, left = scene.solution, scene.planes[0]
    out = scene.marks["fixed_arrow"]
    start, end = data_point(left.axes, out.get_start()), data_point(left.axes, out.get_end())
    np.testing.assert_allclose(start, s.optimum.w, atol=1e-6)
    direction = (end - start) / np.linalg.norm(end - start)
    np.testing.assert_allclose(direction, s.optimum.w / np.linalg.norm(s.optimum.w), atol=1e-6)
    # the step from w* lands on the ray through w*, so projecting it gives back w*
    stepped = s.optimum.w - s.projected.step_size * DEFAULT.loss().grad(s.optimum.w)
    np.testing.assert_allclose(mc.project_to_ball(stepped, DEFAULT.k), s.optimum.w, atol=1e-12)
    assert scene.marks["lam"].tex_string.endswith(r"\lambda = 2.32")


def test_the_derived_start_is_a_visible_arc_from_w_star(scene):
    s = scene.solution
    start = s.projected.iterates[0]
    assert np.linalg.norm(start) == pytest.approx(math.sqrt(DEFAULT.k))
    turn = abs(mc.angle_of(start) - mc.angle_of(s.optimum.w))
    assert math.degrees(min(turn, 2 * math.pi - turn)) == pytest.approx(60.0, abs=1e-6)
    assert s.projects.any()


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_every_grid_problem_gets_a_start_and_converges(problem):
    values = {
        k: tuple(map(tuple, v)) if k == "H" else tuple(v) for k, v in PROBLEMS[problem].items()
    }
    params = dataclasses.replace(DEFAULT, **values)
    s = ProjectedGradient.solve(params)
    radius = math.sqrt(params.k)
    assert np.linalg.norm(s.projected.iterates[0] - s.optimum.w) > 0.5 * radius
    assert s.final_gap < 0.02 * radius
    assert 6 <= len(s.projected.steps) <= 60
    assert (s.fixed_point is None) == (not s.optimum.active)


def test_explicit_values_are_honoured_and_validated():
    s = ProjectedGradient.solve(dataclasses.replace(DEFAULT, start=(-0.8, 0.7), steps=9))
    np.testing.assert_allclose(s.projected.iterates[0], (-0.8, 0.7))
    assert len(s.projected.steps) == 9
    w_star = mc.solve_constrained(DEFAULT.loss(), DEFAULT.k).w
    with pytest.raises(ValueError, match="start"):
        ProjectedGradient.solve(dataclasses.replace(DEFAULT, start=tuple(w_star)))
    with pytest.raises(ValueError, match="step_scale"):
        ProjectedGradientParams(step_scale=2.5)
    with pytest.raises(ValueError, match="start"):
        ProjectedGradientParams(start=(1.0,))
    with pytest.raises(ValueError, match="steps"):
        ProjectedGradientParams(steps=0)


def test_inactive_constraint_both_reach_c(tex_cache):
    params = dataclasses.replace(DEFAULT, k=9.0)
    scene = construct(ProjectedGradient, params, tex_dir=tex_cache)
    s = scene.solution
    assert not s.optimum.active and s.fixed_point is None
    assert r"\lambda = 0" in scene.marks["lam"].tex_string
    np.testing.assert_allclose(s.projected.iterates[-1], s.plain.iterates[-1], atol=1e-2)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_final_still_matches_reference(still, update_references, theme):
    diff = compare_to_reference(
        still(ProjectedGradient, theme=theme), f"projected_gradient_{theme}", update_references
    )
    assert diff["mean"] < 1.5 and diff["changed"] < 0.002, diff
