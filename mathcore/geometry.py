"""The geometry the scenes draw, as numpy arrays: level sets, circles, tangent directions,
surfaces, the L1 diamond, and gradient iterations.

The constraint function is g(w) = ½||w||² (so ∇g(w) = w) and the budget is ||w||² ≤ k: the
circle of radius √k. Curves are closed (last point equals the first).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import MathcoreError, finite_array, positive
from .loss import QuadraticLoss
from .ridge import solve_constrained


def _planar(loss: QuadraticLoss, definite: bool = False) -> None:
    if loss.n != 2 or loss.multi_output:
        raise MathcoreError(
            f"this picture needs a 2-D single-output loss, got center {loss.center.shape}"
        )
    if definite and loss.sigma[-1] <= 0:
        raise MathcoreError(
            f"H must be positive definite for closed level sets (eigenvalues {loss.sigma.tolist()})"
        )


def _point(w) -> np.ndarray:
    return finite_array("w", w)


def level_set(loss: QuadraticLoss, level: float, num: int = 240, start: float = 0.0) -> np.ndarray:
    """The ellipse {w : f(w) = level} as (num + 1, 2) points, closed:
    w(t) = c + Q diag(√(2(level − f₀)/σⱼ)) (cos t, sin t), t from `start` to `start` + 2π."""
    _planar(loss, definite=True)
    level = float(finite_array("level", level, ndim=0))
    if level < loss.f_min:
        raise MathcoreError(f"level must be >= the minimum f(c) = {loss.f_min:.6g}, got {level!r}")
    radii = np.sqrt(2.0 * (level - loss.f_min) / loss.sigma)
    t = start + np.linspace(0.0, 2.0 * np.pi, num + 1)
    unit = np.stack([np.cos(t), np.sin(t)], axis=-1)
    pts = loss.center + (unit * radii) @ loss.Q.T
    pts[-1] = pts[0]
    return pts


def level_set_through(loss: QuadraticLoss, w, num: int = 240) -> np.ndarray:
    """The level set of f through the point w, starting and ending at w (closed, (num + 1, 2))."""
    _planar(loss, definite=True)
    w = loss._points(w)
    local = loss.Q.T @ (w - loss.center) * np.sqrt(loss.sigma)  # ∝ (cos t₀, sin t₀)
    pts = level_set(loss, loss.value(w), num, start=float(np.arctan2(local[1], local[0])))
    pts[0] = pts[-1] = w
    return pts


def level_values(loss: QuadraticLoss, through, count: int) -> np.ndarray:
    """`count` levels f₀ + (f(through) − f₀)·(i/count)², i = 1..count: ellipses evenly spaced
    in 'radius' from c out to the one through the point `through`."""
    top = loss.value(_point(through)) - loss.f_min
    return loss.f_min + top * (np.arange(1, count + 1) / count) ** 2


def circle(k: float, num: int = 240) -> np.ndarray:
    """The constraint circle ||w||² = k (radius √k), closed, (num + 1, 2)."""
    return point_on_circle(k, np.linspace(0.0, 2.0 * np.pi, num + 1))


def point_on_circle(k: float, angle) -> np.ndarray:
    """√k (cos θ, sin θ), shape (..., 2) for an array of angles."""
    r = math.sqrt(positive("k", k))
    angle = np.asarray(angle, dtype=float)
    return r * np.stack([np.cos(angle), np.sin(angle)], axis=-1)


def angle_of(w) -> np.ndarray | float:
    """The polar angle atan2(w₂, w₁) of points (..., 2)."""
    w = _point(w)
    out = np.arctan2(w[..., 1], w[..., 0])
    return float(out) if np.ndim(out) == 0 else out


def constraint_grad(w) -> np.ndarray:
    """∇g(w) = w for g(w) = ½||w||²."""
    return _point(w).copy()


def circle_tangent(w) -> np.ndarray:
    """The unit tangent of the circle through w, counter-clockwise: (−w₂, w₁)/||w||."""
    w = _point(w)
    norm = np.linalg.norm(w, axis=-1, keepdims=True)
    if np.any(norm == 0):
        raise MathcoreError("w must not be the origin: the circle through it has no tangent")
    return np.stack([-w[..., 1], w[..., 0]], axis=-1) / norm


def tangential_gradient(loss: QuadraticLoss, w) -> np.ndarray | float:
    """∇f(w)·τ(w): the component of ∇f along the counter-clockwise tangent of the circle
    through w. Zero exactly where ∇f is parallel to ∇g, i.e. at a stationary point on it."""
    _planar(loss)
    out = np.sum(loss.grad(w) * circle_tangent(w), axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def tangential_share(loss: QuadraticLoss, w) -> np.ndarray | float:
    """(∇f·τ)/||∇f||: the tangential component of the unit gradient, i.e. the sine of the
    angle between ∇f and the circle's normal. Unchanged when f is scaled (||Xw − b||² or
    ½||Xw − b||² give the same value); 0 exactly where ∇f = −λ∇g for some λ."""
    norm = np.linalg.norm(loss.grad(w), axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(norm > 0, tangential_gradient(loss, w) / norm, 0.0)
    return float(out) if np.ndim(out) == 0 else out


def descent_direction(loss: QuadraticLoss, w) -> np.ndarray:
    """The unit tangent of the circle through w along which f decreases: −sign(∇f·τ) τ
    (the zero vector where the tangential component vanishes)."""
    return -np.sign(tangential_gradient(loss, w))[..., None] * circle_tangent(w)


def f_on_circle(loss: QuadraticLoss, k: float, angle) -> np.ndarray:
    """f restricted to the circle: f(√k (cos θ, sin θ))."""
    _planar(loss)
    return loss.value(point_on_circle(k, angle))


def descent_arc(loss: QuadraticLoss, k: float, start_angle: float, num: int = 200) -> np.ndarray:
    """Angles (num + 1,) from `start_angle` to the angle of w*(k), travelling along the circle
    in the direction in which f decreases, with f strictly decreasing along the way.

    Raises MathcoreError when the constraint is inactive or when descent from this start
    reaches another local minimum of f on the circle (or starts at a stationary point).
    """
    _planar(loss)
    sol = solve_constrained(loss, k)
    if not sol.active:
        raise MathcoreError(f"k = {k!r}: the constraint is inactive (||c||² <= k); no arc to w*")
    start_angle = float(finite_array("start_angle", start_angle, ndim=0))
    start = point_on_circle(k, start_angle)
    turn = -np.sign(tangential_gradient(loss, start))  # +1 counter-clockwise, −1 clockwise
    target = angle_of(sol.w)
    sweep = (turn * (target - start_angle)) % (2.0 * np.pi)  # angle to travel, in [0, 2π)
    angles = start_angle + turn * sweep * np.linspace(0.0, 1.0, num + 1)
    values = f_on_circle(loss, k, angles)
    if turn == 0 or sweep < 1e-9 or np.any(np.diff(values) >= 0):
        raise MathcoreError(
            f"start_angle = {start_angle!r}: descending along the circle from there does not "
            f"lead to w* = {np.round(sol.w, 4).tolist()}; choose another start angle"
        )
    return angles


def descent_start(
    loss: QuadraticLoss, k: float, arc: float = math.radians(60), outward: bool = False
) -> float:
    """A start angle `arc` radians from w*(k) along the circle, on the side where f keeps
    rising for longer (so the slide back to w* is the longer one), or 80% of that rise when
    it is shorter than `arc`: descent_arc from the result leads to w*. With `outward`, the
    rise counts only while −∇f(w) = H(c − w) also points out of the ball (w · H(c − w) > 0),
    so that a gradient step from anywhere on the arc leaves the ball and its projection
    back is seen (projected gradient descent then walks along the circle to w*).

    The rise on each side is measured on a 0.25° grid up to half a turn."""
    _planar(loss)
    sol = solve_constrained(loss, k)
    if not sol.active:
        raise MathcoreError(f"k = {k!r}: the constraint is inactive (||c||² <= k); no arc to w*")
    arc = float(finite_array("arc", arc, ndim=0))
    target = angle_of(sol.w)
    steps = np.radians(np.arange(0.25, 180.0 + 1e-9, 0.25))
    best_side, best_reach = 1.0, 0.0
    for side in (1.0, -1.0):
        points = point_on_circle(k, target + side * np.concatenate([[0.0], steps]))
        values = loss.value(points)
        stops = np.diff(values) <= 0  # where f stops rising
        if outward:
            stops |= np.einsum("ij,ij->i", points, loss.grad(points))[1:] >= 0
        ends = np.flatnonzero(stops)
        reach = steps[ends[0] - 1] if len(ends) else steps[-1]
        if ends.size and ends[0] == 0:
            reach = 0.0
        if reach > best_reach:
            best_side, best_reach = side, float(reach)
    return float(target + best_side * min(arc, 0.8 * best_reach))


def loss_surface(loss: QuadraticLoss, xlim, ylim, num: int = 40):
    """The graph z = f(w) on a (num, num) grid over xlim × ylim: arrays W1, W2, Z."""
    _planar(loss)
    limits = [finite_array(name, lim, ndim=1) for name, lim in (("xlim", xlim), ("ylim", ylim))]
    for name, lim in zip(("xlim", "ylim"), limits, strict=True):
        if lim.shape != (2,) or not lim[0] < lim[1]:
            raise MathcoreError(f"{name} must be [low, high] with low < high, got {lim.tolist()}")
    if int(num) < 2:
        raise MathcoreError(f"num must be at least 2, got {num!r}")
    w1, w2 = np.meshgrid(np.linspace(*limits[0], int(num)), np.linspace(*limits[1], int(num)))
    return w1, w2, loss.value(np.stack([w1, w2], axis=-1))


def l1_ball(t: float) -> np.ndarray:
    """The diamond ||w||₁ = t: its 4 corners, closed, (5, 2)."""
    t = positive("t", t)
    return np.array([[t, 0.0], [0.0, t], [-t, 0.0], [0.0, -t], [t, 0.0]])


def project_to_ball(w, k: float) -> np.ndarray:
    """The closest point of the ball ||w||² ≤ k: w · min(1, √k/||w||)."""
    w = _point(w)
    norm = np.linalg.norm(w, axis=-1, keepdims=True)
    r = math.sqrt(positive("k", k))
    return w * np.minimum(1.0, r / np.maximum(norm, np.finfo(float).tiny))


@dataclass(frozen=True)
class GradientRun:
    """Iterates of (projected) gradient descent: `iterates[i + 1]` comes from `iterates[i]` by
    the gradient step to `steps[i]` and then (if projected) the radial move onto the ball."""

    iterates: np.ndarray
    steps: np.ndarray
    step_size: float


def _step_size(loss: QuadraticLoss, step_size: float | None) -> float:
    if step_size is None:
        if loss.sigma[0] <= 0:
            raise MathcoreError("H is zero: there is no gradient to follow")
        return 1.0 / float(loss.sigma[0])
    return positive("step_size", step_size)


def gradient_descent(
    loss: QuadraticLoss,
    start,
    num_steps: int,
    step_size: float | None = None,
    k: float | None = None,
) -> GradientRun:
    """w ← w − η ∇f(w) (default η = 1/σ_max), then onto the ball ||w||² ≤ k when k is given:
    plain gradient descent heads to c, projected gradient descent to w*(k)."""
    _planar(loss)
    eta = _step_size(loss, step_size)
    w = finite_array("start", start, ndim=1)
    iterates, steps = [w], []
    for _ in range(int(num_steps)):
        stepped = w - eta * loss.grad(w)
        w = stepped if k is None else project_to_ball(stepped, k)
        steps.append(stepped)
        iterates.append(w)
    return GradientRun(np.array(iterates), np.array(steps).reshape(-1, 2), eta)
