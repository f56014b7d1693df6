"""The augmented Lagrangian method: the multiplier λ found by an algorithm, not given.

For the budget written as an equality, g(w) = ½(||w||² − k) = 0 (the scaling of DESIGN.md, so
∇g(w) = w and the multiplier is the λ of every other scene), outer iteration t does

    w_t     = argmin_w L_ρ(w, λ_t),   L_ρ(w, λ) = f(w) + λ g(w) + (ρ/2) g(w)²,
    λ_{t+1} = λ_t + ρ g(w_t),          λ₀ = 0.

The inner problem is solved by Newton's method with a backtracking line search on the 2-D
(or n-D) problem, started from the previous iterate (from c for t = 0), to a gradient norm
below 1e-10. L_ρ is not convex where λ + ρ g(w) < 0 (near the origin, the quartic term bends
down), so the answer is checked: at a stationary point with μ = λ + ρ g(w) ≥ 0, L_ρ equals the
convex function f + (1/2ρ)(max(0, λ + ρ g)² − λ²) ≤ L_ρ there and has its gradient, so the
point is the global minimiser of both.

What makes the pictures: ∇_w L_ρ = H(w − c) + (λ_t + ρ g(w)) w = 0 says w_t is the ridge
solution w(μ) for μ = λ_t + ρ g(w_t) = λ_{t+1}: every iterate lies on the regularisation path.
When ||c||² > k the budget binds, λ_t rises monotonically to λ* (w_t stays outside the circle,
g(w_t) > 0), and the gap shrinks at least as fast as

    λ* − λ_{t+1} ≤ (λ* − λ_t) / (1 + ρ a*),   a* = −d g(w(λ))/dλ at λ* = Σⱼ σⱼ² c̃ⱼ² / (σⱼ + λ*)³,

(mean value theorem on μ = λ_t + ρ g(w(μ)), with a(μ) decreasing). The default ρ = 1/a* at
least halves the gap at every step. A smaller ρ converges more slowly; a larger one makes the
inner Hessian H + μI + ρ w wᵀ ill-conditioned (its condition number grows like ρ k).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import MathcoreError, positive
from .loss import QuadraticLoss
from .ridge import solve_constrained

INNER_TOL = 1e-10
"""The inner solves stop when ||∇_w L_ρ|| falls below this (or below float64's rounding of
the gradient, for problems whose numbers are too large to resolve 1e-10)."""
INNER_MAX = 100  # Newton steps an inner solve may take (2-D Newton needs a handful)
MAX_ITERATIONS = 500  # outer iterations any run may take


@dataclass(frozen=True)
class AugmentedRun:
    """One run of the method. T = `iterations` outer iterations, t = 0 … T − 1:

    (Plain numbers, no methods: a scene reads them while drawing, where no mathcore code
    may run.) `lam_path[t]` = λ_t, the price iteration t minimises with (λ₀ = 0 first); `lam_next` =
    λ_T, the price after the last update; `w_path[t]` = w_t; `violation[t]` = ||w_t||² − k
    (= 2 g(w_t)); `grad_norms[t]` = ||∇_w L_ρ(w_t, λ_t)|| where the inner solve stopped;
    `inner_steps[t]` its Newton steps; `condition[t]` the condition number of the inner
    Hessian ∇²_w L_ρ(w_t, λ_t) = H + λ_{t+1} I + ρ w_t w_tᵀ. `lam_star`, `w_star`: the
    constrained optimum of `solve_constrained`. `reached`: whether the last pair (λ_{T−1},
    w_{T−1}) is within the run's tolerances (see `augmented_lagrangian`)."""

    k: float
    rho: float
    lam_path: np.ndarray
    lam_next: float
    w_path: np.ndarray
    violation: np.ndarray
    grad_norms: np.ndarray
    inner_steps: np.ndarray
    condition: np.ndarray
    lam_star: float
    w_star: np.ndarray
    reached: bool
    iterations: int  # T, the outer iterations run
    lam_gap: float  # |λ_{T−1} − λ*| / λ*: the last price shown, as a fraction of λ*
    w_gap: float  # ||w_{T−1} − w*||: how far the last iterate is from w*


def _binding(loss: QuadraticLoss, k: float):
    """The constrained optimum, refusing a budget that does not bind: for ||c||² ≤ k the
    ridge answer is w* = c, λ* = 0, while the equality g(w) = 0 this method enforces would
    pull w onto the circle with a negative multiplier (another problem's answer)."""
    if loss.multi_output:
        raise MathcoreError("the augmented Lagrangian needs a single-output loss")
    k = positive("k", k)
    best = solve_constrained(loss, k)
    if not best.active:
        raise MathcoreError(
            f"||c||² = {float(loss.center @ loss.center):.6g} <= k = {k:g}: the budget does "
            "not bind, λ* = 0 and w* = c; there is no price to find"
        )
    return k, best


def default_rho(loss: QuadraticLoss, k: float) -> float:
    """ρ = 1/a*, a* = −d g(w(λ))/dλ at λ* = Σⱼ σⱼ² c̃ⱼ² / (σⱼ + λ*)³ (c̃ = Qᵀc): the penalty
    weight at which every outer step at least halves the gap λ* − λ_t. It scales with the
    problem (units of λ per unit of ||w||²), so the method takes the same few steps on any
    problem, however H and c are scaled."""
    k, best = _binding(loss, k)
    a = float(np.sum(loss.sigma**2 * loss.rotated_center**2 / (loss.sigma + best.lam) ** 3))
    return 1.0 / a


def lagrangian_parts(loss: QuadraticLoss, k: float, lam: float, rho: float, w):
    """(L_ρ(w, λ), ∇_w L_ρ, ∇²_w L_ρ) at the point w, for g(w) = ½(||w||² − k):
    L_ρ = f + λ g + (ρ/2) g², ∇L_ρ = H(w − c) + (λ + ρ g) w, ∇²L_ρ = H + (λ + ρ g) I + ρ w wᵀ."""
    w = np.asarray(w, dtype=float)
    g = 0.5 * (float(w @ w) - k)
    mu = lam + rho * g
    value = loss.value(w) + lam * g + 0.5 * rho * g * g
    grad = loss.grad(w) + mu * w
    hess = loss.H + mu * np.eye(len(w)) + rho * np.outer(w, w)
    return value, grad, hess


def minimise_lagrangian(
    loss: QuadraticLoss, k: float, lam: float, rho: float, start, tol: float = INNER_TOL
) -> tuple[np.ndarray, float, int]:
    """argmin_w L_ρ(w, λ) by Newton's method from `start`: each step solves with the Hessian
    (shifted to be positive definite where L_ρ is not convex) and backtracks until L_ρ falls
    by Armijo's rule (or, within rounding of L_ρ, its gradient halves). Stops when ||∇L_ρ||
    < `tol` (or float64's rounding floor of the gradient, if that is larger). Returns (w,
    ||∇L_ρ(w)||, Newton steps); raises MathcoreError if the point is not the global minimiser
    certified by λ + ρ g(w) ≥ 0 (see the module's docstring)."""
    w = np.array(start, dtype=float)
    scale = float(loss.sigma[0]) * (float(np.linalg.norm(loss.center)) + math.sqrt(k))
    floor = 64 * np.finfo(float).eps * max(scale, abs(lam) * math.sqrt(k), 1e-300)
    stop = max(tol, floor)
    value, grad, hess = lagrangian_parts(loss, k, lam, rho, w)
    steps = 0
    while np.linalg.norm(grad) >= stop:
        if steps == INNER_MAX:
            raise MathcoreError(
                f"the inner minimisation of L_ρ (λ = {lam:.6g}, ρ = {rho:.6g}) did not converge"
            )
        steps += 1
        low = float(np.linalg.eigvalsh(hess)[0])
        size = float(np.abs(hess).max())
        shift = 0.0 if low > 1e-8 * size else 1e-3 * size - low  # positive definite
        direction = -np.linalg.solve(hess + shift * np.eye(len(w)), grad)
        slope = float(grad @ direction)
        norm = float(np.linalg.norm(grad))
        noise = 1e-13 * (1.0 + abs(value))
        step = 1.0
        while True:
            trial = w + step * direction
            t_value, t_grad, t_hess = lagrangian_parts(loss, k, lam, rho, trial)
            armijo = t_value <= value + 1e-4 * step * slope
            rounding = t_value <= value + noise and np.linalg.norm(t_grad) <= 0.5 * norm
            if armijo or rounding:
                break
            step *= 0.5
            if step < 1e-14:
                raise MathcoreError(
                    f"the line search of the inner minimisation stalled (λ = {lam:.6g})"
                )  # pragma: no cover - a descent direction always decreases L_ρ
        w, value, grad, hess = trial, t_value, t_grad, t_hess
    mu = lam + rho * 0.5 * (float(w @ w) - k)
    if mu < 0:  # pragma: no cover - cannot happen from λ ≥ 0 when the budget binds
        raise MathcoreError(f"the inner minimisation stopped where λ + ρ g(w) = {mu:.3g} < 0")
    return w, float(np.linalg.norm(grad)), steps


def augmented_lagrangian(
    loss: QuadraticLoss,
    k: float,
    rho: float | None = None,
    iterations: int | None = None,
    w_tol: float | None = None,
    lam_rtol: float = 0.005,
    max_iterations: int = 60,
) -> AugmentedRun:
    """The augmented Lagrangian method for min f(w) s.t. g(w) = ½(||w||² − k) = 0, with
    λ₀ = 0 (see the module's docstring for the two steps and their convergence).

    `rho`: the penalty weight ρ > 0 (None: `default_rho`). `iterations`: run exactly this
    many outer iterations; None: run until the last pair is within tolerance, |λ_t − λ*| ≤
    `lam_rtol`·λ* and ||w_t − w*|| ≤ `w_tol` (None: 1e-3·√k), or `max_iterations` are done
    (`reached` says which). Raises MathcoreError when the budget does not bind (||c||² ≤ k)."""
    k, best = _binding(loss, k)
    rho = default_rho(loss, k) if rho is None else positive("rho", rho)
    limit = max_iterations if iterations is None else iterations
    if isinstance(limit, bool) or not isinstance(limit, int | np.integer):
        raise MathcoreError(f"iterations must be a whole number, got {limit!r}")
    if not 1 <= limit <= MAX_ITERATIONS:
        raise MathcoreError(f"iterations must be between 1 and {MAX_ITERATIONS}, got {limit}")
    w_tol = 1e-3 * math.sqrt(k) if w_tol is None else positive("w_tol", w_tol)
    lam_rtol = positive("lam_rtol", lam_rtol)

    def close(lam: float, w: np.ndarray) -> bool:
        return abs(lam - best.lam) <= lam_rtol * best.lam and bool(
            np.linalg.norm(w - best.w) <= w_tol
        )

    lams, ws, norms, steps, conditions = [0.0], [], [], [], []
    w = loss.center.copy()
    for _ in range(limit):
        lam = lams[-1]
        w, norm, taken = minimise_lagrangian(loss, k, lam, rho, w)
        lam_next = lam + rho * 0.5 * (float(w @ w) - k)
        _, _, hess = lagrangian_parts(loss, k, lam, rho, w)
        eig = np.linalg.eigvalsh(hess)
        ws.append(w)
        norms.append(norm)
        steps.append(taken)
        conditions.append(float(eig[-1] / eig[0]))
        lams.append(lam_next)
        if iterations is None and close(lam, w):
            break
    w_path = np.array(ws)
    reached = close(lams[-2], w_path[-1])
    return AugmentedRun(
        k=k,
        rho=float(rho),
        lam_path=np.array(lams[:-1]),
        lam_next=float(lams[-1]),
        w_path=w_path,
        violation=np.sum(w_path**2, axis=1) - k,
        grad_norms=np.array(norms),
        inner_steps=np.array(steps),
        condition=np.array(conditions),
        lam_star=float(best.lam),
        w_star=best.w.copy(),
        reached=bool(reached),
        iterations=len(w_path),
        lam_gap=abs(lams[-2] - best.lam) / best.lam,
        w_gap=float(np.linalg.norm(w_path[-1] - best.w)),
    )


def iterations_needed(
    loss: QuadraticLoss,
    k: float,
    rho: float,
    w_tol: float | None = None,
    lam_rtol: float = 0.005,
    max_iterations: int = MAX_ITERATIONS,
) -> tuple[int | None, float]:
    """For the penalty weight ρ: the outer iterations the method needs to bring (λ_t, w_t)
    within tolerance (None if `max_iterations` are not enough) and the condition number of
    the inner Hessian at the last iterate it computed: Part 7's trade-off in two numbers."""
    run = augmented_lagrangian(
        loss, k, rho, w_tol=w_tol, lam_rtol=lam_rtol, max_iterations=max_iterations
    )
    return (run.iterations if run.reached else None), float(run.condition[-1])
