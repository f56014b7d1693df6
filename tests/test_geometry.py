"""The geometry scenes draw: every curve and vector checked against its defining property."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mathcore as mc
from tests.problems import quadratics

TILTED = mc.QuadraticLoss([[3.0, 1.0], [1.0, 1.5]], [2.0, 1.2], offset=0.25)
angles = st.floats(-math.pi, math.pi)


@given(quadratics(n_values=(2,), max_log_cond=3.0), st.floats(0.01, 100.0))
def test_level_set_points_have_that_level(problem, height):
    loss = mc.QuadraticLoss(*problem, offset=-2.0)
    pts = mc.level_set(loss, -2.0 + height, num=64)
    assert pts.shape == (65, 2)
    np.testing.assert_array_equal(pts[0], pts[-1])
    np.testing.assert_allclose(
        loss.value(pts), -2.0 + height, rtol=1e-10, atol=1e-12 * (2 + height)
    )
    np.testing.assert_allclose(pts[:-1].mean(axis=0), loss.center, atol=1e-9 * (1 + height))


def test_level_set_through_a_point_passes_through_it():
    w = np.array([-0.4, 1.7])
    pts = mc.level_set_through(TILTED, w, num=2000)
    np.testing.assert_allclose(TILTED.value(pts), TILTED.value(w), rtol=1e-12)
    np.testing.assert_array_equal(pts[0], w)  # it starts (and ends) at w
    np.testing.assert_allclose(pts[1], w, atol=0.02)  # the next point is one small step on


def test_level_values_space_the_ellipses_out_to_a_point():
    levels = mc.level_values(TILTED, [0.0, 0.0], 4)
    assert levels[-1] == pytest.approx(TILTED.value([0.0, 0.0]))
    radii = np.sqrt(levels - TILTED.f_min)
    np.testing.assert_allclose(np.diff(radii), radii[0])  # evenly spaced "radii"


def test_circle_and_points_on_it():
    pts = mc.circle(2.25, num=90)
    np.testing.assert_allclose(np.linalg.norm(pts, axis=1), 1.5)
    np.testing.assert_allclose(mc.point_on_circle(4.0, math.pi / 2), [0.0, 2.0], atol=1e-15)
    assert mc.angle_of([0.0, -3.0]) == pytest.approx(-math.pi / 2)


@given(angles, st.floats(0.2, 4.0))
def test_descent_direction_is_tangent_and_decreases_f(angle, k):
    w = mc.point_on_circle(k, angle)
    d = mc.descent_direction(TILTED, w)
    tangential = mc.tangential_gradient(TILTED, w)
    if abs(tangential) < 1e-9:
        return
    assert abs(d @ w) < 1e-12 and np.linalg.norm(d) == pytest.approx(1.0)
    assert TILTED.grad(w) @ d == pytest.approx(-abs(tangential), rel=1e-12)
    # moving a little along the circle in that direction lowers f
    step = 1e-4 / math.sqrt(k)
    sign = np.sign(w[0] * d[1] - w[1] * d[0])  # +1: d points counter-clockwise
    assert mc.f_on_circle(TILTED, k, angle + sign * step) < TILTED.value(w)


def test_gradients():
    w = np.array([0.3, -0.8])
    np.testing.assert_allclose(TILTED.grad(w), TILTED.H @ (w - TILTED.center))
    np.testing.assert_array_equal(mc.constraint_grad(w), w)
    np.testing.assert_allclose(mc.circle_tangent(w), np.array([0.8, 0.3]) / np.hypot(0.3, 0.8))


@pytest.mark.parametrize("k", [0.3, 1.5, 4.0])
def test_tangential_gradient_vanishes_at_w_star_and_arrows_are_antiparallel(k):
    sol = mc.solve_constrained(TILTED, k)
    assert abs(mc.tangential_gradient(TILTED, sol.w)) < 1e-12
    grad_f, grad_g = TILTED.grad(sol.w), mc.constraint_grad(sol.w)
    np.testing.assert_allclose(grad_f, -sol.lam * grad_g, atol=1e-12)


@pytest.mark.parametrize("start", [2.6, 3.14, -2.5, -1.6])
def test_descent_arc_runs_downhill_to_w_star(start):
    k = 1.5
    arc = mc.descent_arc(TILTED, k, start, num=300)
    assert arc[0] == start
    sol = mc.solve_constrained(TILTED, k)
    np.testing.assert_allclose(mc.point_on_circle(k, arc[-1]), sol.w, atol=1e-12)
    assert np.all(np.diff(mc.f_on_circle(TILTED, k, arc)) < 0)
    # it travels in the descent direction at the start
    first_step = mc.point_on_circle(k, arc[1]) - mc.point_on_circle(k, arc[0])
    assert first_step @ mc.descent_direction(TILTED, mc.point_on_circle(k, start)) > 0


@given(quadratics(n_values=(2,), max_log_cond=2.0), st.floats(0.05, 0.9))
def test_an_outward_descent_start_has_minus_grad_f_pointing_out_all_the_way(problem, share):
    """descent_start(outward=True): on the whole arc from the start to w*, f falls towards
    w* and −∇f(w) = H(c − w) points out of the ball (checked on a fine grid of the arc)."""
    H, c = problem
    k = share * float(c @ c)  # ||c||² > k: the constraint is active
    loss = mc.QuadraticLoss(H, c)
    w_star = mc.solve_constrained(loss, k).w
    start = mc.descent_start(loss, k, math.radians(60), outward=True)
    turn = (start - mc.angle_of(w_star) + math.pi) % (2 * math.pi) - math.pi
    assert abs(turn) <= math.radians(60) + 1e-9
    angles = mc.angle_of(w_star) + turn * np.linspace(1.0, 0.0, 400)[:-1]
    points = math.sqrt(k) * np.column_stack([np.cos(angles), np.sin(angles)])
    outward = np.einsum("ij,ij->i", points, (c - points) @ H)  # w · H(c − w), H symmetric
    assert np.all(outward > 0)
    values = np.einsum("ij,jk,ik->i", points - c, H, points - c) / 2
    assert np.all(np.diff(values) < 0)


def test_descent_arc_rejects_a_start_at_w_star():
    w_star = mc.solve_constrained(TILTED, 1.5).w
    with pytest.raises(mc.MathcoreError, match="start_angle"):
        mc.descent_arc(TILTED, 1.5, mc.angle_of(w_star))


@given(st.floats(0.05, 5.0))
def test_w_star_is_the_lowest_point_of_f_on_the_circle(k):
    """The constrained minimum (for an active constraint) is the minimum of f restricted to the
    circle over a dense sampling."""
    sol = mc.solve_constrained(TILTED, k)
    theta = np.linspace(-math.pi, math.pi, 20001)
    sampled = mc.f_on_circle(TILTED, k, theta)
    f_star = TILTED.value(sol.w)
    if sol.active:
        assert f_star <= sampled.min() + 1e-12
        assert f_star == pytest.approx(sampled.min(), abs=1e-6)
    else:
        assert f_star <= sampled.min()


def test_loss_surface_is_f_on_the_grid():
    w1, w2, z = mc.loss_surface(TILTED, (-1, 3), (-2, 2), num=11)
    assert w1.shape == w2.shape == z.shape == (11, 11)
    H, c = np.array([[3.0, 1.0], [1.0, 1.5]]), np.array([2.0, 1.2])
    by_hand = (
        0.5
        * np.einsum("...i,ij,...j->...", np.stack([w1, w2], -1) - c, H, np.stack([w1, w2], -1) - c)
        + 0.25
    )
    np.testing.assert_allclose(z, by_hand, rtol=1e-12)  # f = ½(w − c)ᵀH(w − c) + f₀ everywhere
    assert w1[0, 0] == -1 and w2[-1, -1] == 2


def test_l1_ball_corners():
    ball = mc.l1_ball(1.5)
    np.testing.assert_array_equal(ball[0], ball[-1])
    np.testing.assert_allclose(np.abs(ball).sum(axis=1), 1.5)
    assert sorted(map(tuple, ball[:4])) == sorted([(1.5, 0), (0, 1.5), (-1.5, 0), (0, -1.5)])


@pytest.mark.parametrize("k", [0.5, 1.5, 20.0])
def test_projected_gradient_converges_to_the_solver(k):
    sol = mc.solve_constrained(TILTED, k)
    run = mc.gradient_descent(TILTED, [-1.0, 1.0], num_steps=400, k=k)
    assert run.step_size == pytest.approx(1 / 3.5)
    assert np.all(np.sum(run.iterates[1:] ** 2, axis=1) <= k * (1 + 1e-12))
    np.testing.assert_allclose(run.iterates[-1], sol.w, atol=1e-9)
    # each iterate is the projection of the gradient step before it
    norms = np.linalg.norm(run.steps, axis=1, keepdims=True)
    projected = run.steps * np.minimum(1.0, math.sqrt(k) / norms)  # w·min(1, √k/‖w‖)
    np.testing.assert_allclose(run.iterates[1:], projected, rtol=1e-12)
    np.testing.assert_allclose(run.steps[0], [-1.0, 1.0] - run.step_size * TILTED.grad([-1.0, 1.0]))


def test_plain_gradient_descent_heads_to_c():
    run = mc.gradient_descent(TILTED, [-1.0, 1.0], num_steps=400)
    np.testing.assert_allclose(run.iterates[-1], TILTED.center, atol=1e-9)
    np.testing.assert_array_equal(run.iterates[1:], run.steps)
