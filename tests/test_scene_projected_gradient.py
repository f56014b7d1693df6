"""projected_gradient: the iterates converge to the marked optimum (within half a blog pixel,
or the last frame says how far), the start and the steps derive from the problem, a projection
too short to see is shown zoomed in, and the fixed point shows ∇f = −λ∇g. The final still is
compared with its reference in tests/test_references.py."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from manim import Dot

import mathcore as mc
from scenes.projected_gradient import ProjectedGradient, ProjectedGradientParams
from tests.problems_grid import PROBLEMS
from tests.scenetools import construct, data_point

DEFAULT = ProjectedGradientParams()
UNTUNED = dataclasses.replace(DEFAULT, H=((3.2, 1.1), (1.1, 0.9)), center=(1.2, -1.6))
SMALL_BALL = dataclasses.replace(DEFAULT, H=((1, 0.2), (0.2, 4)), center=(-0.8, 2.2), k=0.5)


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
    gap = np.linalg.norm(s.projected.iterates[-1] - s.optimum.w)
    assert gap * s.view.unit * ProjectedGradient.blog_px < ProjectedGradient.converged_px
    assert s.converged and s.final_gap == gap
    for walker, plane, point in zip(
        scene.walkers, scene.planes, (s.projected.iterates[-1], s.plain.iterates[-1]), strict=True
    ):
        assert np.linalg.norm(walker.get_center() - plane.axes.c2p(*point)) < scene.pixel
    # every projection is radial: the step, the landing point and the origin are collinear
    for stepped, landed in zip(s.projected.steps, s.projected.iterates[1:], strict=True):
        cross = stepped[0] * landed[1] - stepped[1] * landed[0]
        assert abs(cross) < 1e-12 and stepped @ landed >= 0
    # plain descent heads to ŵ
    gaps = np.linalg.norm(s.plain.iterates - s.view.center, axis=1)
    assert np.all(np.diff(gaps) < 0)


def test_the_last_frame_keeps_the_trail_of_iterates(scene):
    """Every iterate stays on screen to the end as a dot on its plot, joined by the thin
    lines of the way there: w₁ … w_T projected on the left, plain on the right."""
    s = scene.solution
    runs = (s.projected, s.plain)
    for trail, plane, run in zip(scene.trail_lines, scene.planes, runs, strict=True):
        assert trail in scene.mobjects
        dots = [m for m in trail if isinstance(m, Dot)]
        assert len(dots) == len(run.steps)
        for dot, w in zip(dots, run.iterates[1:], strict=True):
            assert np.linalg.norm(dot.get_center() - plane.axes.c2p(*w)) < scene.pixel
            assert dot.get_fill_opacity() > 0.9
        assert len(trail) == 2 * len(run.steps)  # a line and a dot per iteration


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
    n = len(s.projected.steps)
    assert rf"\text{{after {n} steps: }}\|w_{{{n}}} - w^*\|" in scene.marks["gap"].tex_string


@pytest.mark.parametrize(
    "params", [DEFAULT, UNTUNED, SMALL_BALL], ids=["default", "untuned", "small"]
)
def test_the_arrow_at_w_star_is_long_enough_to_see_and_inside_the_plot(params):
    """−∇f(w*)'s arrow is `fixed_arrow` radii long, or `min_fixed` scene units where that is
    longer (a small ball in a wide window), and it ends inside the plot's window."""
    s = ProjectedGradient.solve(params)
    arrow = s.fixed_point.tip - s.optimum.w
    on_screen = np.linalg.norm(arrow) * s.view.unit
    radii = ProjectedGradient.fixed_arrow * math.sqrt(params.k) * s.view.unit
    assert on_screen == pytest.approx(max(radii, ProjectedGradient.min_fixed), rel=1e-9)
    x0, x1, y0, y1 = s.view.box
    assert x0 < s.fixed_point.tip[0] < x1 and y0 < s.fixed_point.tip[1] < y1


def test_the_derived_start_is_a_visible_arc_from_w_star(scene):
    s = scene.solution
    start = s.projected.iterates[0]
    assert np.linalg.norm(start) == pytest.approx(math.sqrt(DEFAULT.k))
    turn = abs(mc.angle_of(start) - mc.angle_of(s.optimum.w))
    assert math.degrees(min(turn, 2 * math.pi - turn)) == pytest.approx(60.0, abs=1e-6)
    assert s.projects.all()  # every step leaves the ball: the walk goes along the circle


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_every_grid_problem_gets_a_start_and_converges(problem):
    values = {
        k: tuple(map(tuple, v)) if k == "H" else tuple(v) for k, v in PROBLEMS[problem].items()
    }
    params = dataclasses.replace(DEFAULT, **values)
    s = ProjectedGradient.solve(params)
    radius = math.sqrt(params.k)
    start = s.projected.iterates[0]
    if s.optimum.active:  # on the circle, where the first step leaves the ball
        assert np.linalg.norm(start) == pytest.approx(radius)
        assert np.linalg.norm(start - s.optimum.w) > 0.3 * radius
        assert s.projects[0]
    else:
        assert np.linalg.norm(start - s.optimum.w) > 0.5 * radius
    assert s.final_gap < 0.02 * radius
    assert 6 <= len(s.projected.steps) <= 60
    if len(s.projected.steps) < 60:  # stopped because it arrived: within half a blog pixel
        assert s.converged
        assert s.final_gap * s.view.unit * ProjectedGradient.blog_px < 0.5
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


def test_inactive_constraint_both_reach_the_fit(tex_cache):
    params = dataclasses.replace(DEFAULT, k=9.0)
    scene = construct(ProjectedGradient, params, tex_dir=tex_cache)
    s = scene.solution
    assert not s.optimum.active and s.fixed_point is None
    assert r"\lambda = 0" in scene.marks["lam"].tex_string
    assert scene.planes[0].center_label[1].tex_string == r"w^* = \hat w"  # one point, one label
    np.testing.assert_allclose(s.projected.iterates[-1], s.plain.iterates[-1], atol=1e-2)


def test_a_long_first_projection_is_drawn_on_the_plot():
    s = ProjectedGradient.solve(dataclasses.replace(DEFAULT, step_scale=1.0))
    i = int(np.flatnonzero(s.projects)[0])
    move = np.linalg.norm(s.projected.steps[i] - s.projected.iterates[i + 1]) * s.view.unit
    assert move >= ProjectedGradient.min_move and s.zoom is None


def test_a_short_first_projection_is_shown_zoomed_in_to_a_visible_length(tex_cache):
    """The untuned problem: the first projection is a few pixels long; the left plot zooms
    in on it until the move is `zoom_move` long."""
    scene = construct(ProjectedGradient, UNTUNED, tex_dir=tex_cache)
    s, z = scene.solution, scene.solution.zoom
    i = int(np.flatnonzero(s.projects)[0])
    stepped, landed = s.projected.steps[i], s.projected.iterates[i + 1]
    assert z is not None and z.step == i
    assert np.linalg.norm(stepped - landed) * s.view.unit < ProjectedGradient.min_move
    assert np.linalg.norm(stepped - landed) * z.unit == pytest.approx(ProjectedGradient.zoom_move)
    assert z.factor == pytest.approx(z.unit / s.view.unit)
    for point in (stepped, landed):  # both ends inside the magnified window
        assert z.x_range[0] < point[0] < z.x_range[1] and z.y_range[0] < point[1] < z.y_range[1]
    np.testing.assert_allclose(np.linalg.norm(z.arc, axis=1), math.sqrt(UNTUNED.k))
    back = scene.marks["zoom_back"]  # drawn that long, from the step's end to the circle
    assert np.linalg.norm(back.get_end() - back.get_start()) == pytest.approx(
        ProjectedGradient.zoom_move, rel=0.02
    )


def test_an_unfinished_run_says_how_far_it_ended(tex_cache):
    params = dataclasses.replace(DEFAULT, steps=2)
    scene = construct(ProjectedGradient, params, tex_dir=tex_cache)
    s = scene.solution
    assert not s.converged
    text = scene.marks["gap"].tex_string
    assert r"\text{after 2 steps: }" in text and r"\text{(not yet at }w^*\text{)}" in text
    assert f"= {s.final_gap:.4f}" in text
