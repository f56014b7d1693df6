"""The augmented Lagrangian method (mathcore.augmented) against independent code: its end
against the secular-equation solver, its whole path against a two-step loop written here
with scipy.optimize.minimize (BFGS) for the inner step, and against the scalar equation each
round solves; every iterate against scikit-learn's Ridge; hypothesis over random problems."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import brentq, minimize, root
from sklearn.linear_model import Ridge

import mathcore as mc

H = np.array([[3.0, 1.2], [1.2, 1.2]])
C = np.array([1.2, 2.0])
K = 1.5
LOSS = mc.QuadraticLoss(H, C)


def scipy_loop(H, c, k, rho, rounds):
    """The two-step loop, written independently: L_ρ and its gradient from their formulas,
    the inner step by scipy's BFGS from the previous iterate (c first), polished by MINPACK's
    root finder on the gradient to below 1e-10."""
    H, c = np.asarray(H, dtype=float), np.asarray(c, dtype=float)

    def parts(w, lam):
        r = w - c
        g = (w @ w - k) / 2
        value = r @ H @ r / 2 + lam * g + rho / 2 * g**2
        return value, H @ r + (lam + rho * g) * w

    def hess(w, lam):
        g = (w @ w - k) / 2
        return H + (lam + rho * g) * np.eye(len(w)) + rho * np.outer(w, w)

    lam, w, lams, ws = 0.0, c.copy(), [], []
    for _ in range(rounds):
        lams.append(lam)
        found = minimize(parts, w, args=(lam,), jac=True, method="BFGS", options={"gtol": 1e-12})
        # BFGS stops where L_ρ's rounding hides progress: polish ∇L_ρ = 0 with MINPACK
        polished = root(
            lambda v, lam=lam: parts(v, lam)[1],
            found.x,
            jac=lambda v, lam=lam: hess(v, lam),
            tol=1e-15,
        )
        w = polished.x
        assert np.linalg.norm(parts(w, lam)[1]) < 1e-10
        assert np.linalg.norm(w - found.x) < 1e-6  # the same minimiser, only polished
        ws.append(w)
        lam = lam + rho * (w @ w - k) / 2
    return np.array(lams), np.array(ws), lam


def scalar_loop(H, c, k, rho, rounds):
    """Each round as the scalar equation its minimiser satisfies: ∇L_ρ = 0 makes w the ridge
    solution (H + μI)⁻¹Hc with μ = λ + ρ g(w); μ is the root of μ − λ − ρ g(w(μ)), found by
    Brent's method to 1e-15, with w(μ) from numpy's solve."""
    H, c = np.asarray(H, dtype=float), np.asarray(c, dtype=float)

    def w_of(mu):
        return np.linalg.solve(H + mu * np.eye(2), H @ c)

    lam, lams, ws = 0.0, [], []
    for _ in range(rounds):
        lams.append(lam)

        def gap(mu, lam=lam):
            w = w_of(mu)
            return mu - lam - rho * (w @ w - k) / 2

        hi = lam + rho * (c @ c) + 1.0
        mu = brentq(gap, lam, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps)
        ws.append(w_of(mu))
        lam = mu
    return np.array(lams), np.array(ws), lam


def test_the_default_run_lands_on_the_solver_optimum():
    best = mc.solve_constrained(LOSS, K)
    run = mc.augmented_lagrangian(LOSS, K, w_tol=1e-9, lam_rtol=1e-10)
    assert run.reached
    assert run.lam_path[0] == 0.0
    assert run.lam_path[-1] == pytest.approx(best.lam, rel=1e-10)
    np.testing.assert_allclose(run.w_path[-1], best.w, atol=1e-9)
    assert run.lam_star == best.lam and np.array_equal(run.w_star, best.w)
    assert run.lam_star == pytest.approx(2.316321579, rel=1e-9)


def test_the_whole_path_matches_an_independent_two_step_loop():
    run = mc.augmented_lagrangian(LOSS, K, iterations=12)
    lams, ws, lam_next = scipy_loop(H, C, K, run.rho, 12)
    np.testing.assert_allclose(run.lam_path, lams, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.w_path, ws, rtol=1e-9, atol=1e-10)
    assert run.lam_next == pytest.approx(lam_next, rel=1e-9)
    lams, ws, lam_next = scalar_loop(H, C, K, run.rho, 12)
    np.testing.assert_allclose(run.lam_path, lams, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(run.w_path, ws, rtol=1e-10, atol=1e-11)
    np.testing.assert_allclose(run.violation, np.sum(ws**2, axis=1) - K, atol=1e-12)


def test_every_iterate_is_scikit_learns_ridge_at_the_updated_price():
    """∇L_ρ(w_t) = H(w_t − c) + λ_{t+1} w_t = 0: w_t is Ridge(alpha=λ_{t+1}) on data with
    XᵀX = H and least-squares solution c."""
    X = np.linalg.cholesky(H).T  # XᵀX = H
    b = X @ C
    run = mc.augmented_lagrangian(LOSS, K, iterations=8)
    prices = [*run.lam_path[1:], run.lam_next]
    for w, lam in zip(run.w_path, prices, strict=True):
        coef = Ridge(alpha=lam, fit_intercept=False, solver="cholesky", tol=1e-12).fit(X, b).coef_
        np.testing.assert_allclose(w, coef, atol=1e-10)


def test_inner_gradients_are_below_1e_10_and_the_hessian_is_as_stated():
    run = mc.augmented_lagrangian(LOSS, K, iterations=10)
    assert np.all(run.grad_norms < 1e-10)
    for lam, w in zip(run.lam_path, run.w_path, strict=True):
        g = (w @ w - K) / 2
        grad = H @ (w - C) + (lam + run.rho * g) * w
        assert np.linalg.norm(grad) < 1e-10
        eig = np.linalg.eigvalsh(H + (lam + run.rho * g) * np.eye(2) + run.rho * np.outer(w, w))
        assert eig[0] > 0  # a strict local minimum
    kappa = [
        np.linalg.cond(H + nxt * np.eye(2) + run.rho * np.outer(w, w))
        for nxt, w in zip([*run.lam_path[1:], run.lam_next], run.w_path, strict=True)
    ]
    np.testing.assert_allclose(run.condition, kappa, rtol=1e-9)


def test_the_inner_problem_is_solved_where_it_is_not_convex():
    """Started near the origin, where λ + ρ g < 0 and the quartic term bends L_ρ down (its
    Hessian there has a negative eigenvalue), Newton still reaches the global minimiser."""
    rho, lam = 40.0, 0.0
    start = np.array([0.02, -0.01])
    _, _, hess = mc.lagrangian_parts(LOSS, K, lam, rho, start)
    assert np.linalg.eigvalsh(hess)[0] < 0
    w, norm, steps = mc.minimise_lagrangian(LOSS, K, lam, rho, start)
    assert norm < 1e-10 and steps > 1
    _, ws, _ = scalar_loop(H, C, K, rho, 1)
    np.testing.assert_allclose(w, ws[0], atol=1e-10)
    # the global minimum: lower than BFGS from a grid of starts finds anywhere
    value = mc.lagrangian_parts(LOSS, K, lam, rho, w)[0]
    for x in np.linspace(-2.5, 2.5, 7):
        for y in np.linspace(-2.5, 2.5, 7):
            other = minimize(
                lambda v: mc.lagrangian_parts(LOSS, K, lam, rho, v)[0], [x, y], method="BFGS"
            )
            assert other.fun >= value - 1e-9


def test_the_default_rho_halves_the_gap_every_round():
    run = mc.augmented_lagrangian(LOSS, K, iterations=12)
    sigma, rotated = np.linalg.eigvalsh(H)[::-1], None
    Q = np.linalg.eigh(H)[1][:, ::-1]
    rotated = Q.T @ C
    a = np.sum(sigma**2 * rotated**2 / (sigma + run.lam_star) ** 3)
    assert run.rho == pytest.approx(1 / a, rel=1e-12)
    assert mc.default_rho(LOSS, K) == run.rho
    gaps = run.lam_star - np.array([*run.lam_path, run.lam_next])
    assert np.all(gaps > 0)  # λ_t climbs to λ* from below
    assert np.all(gaps[1:] <= 0.5 * gaps[:-1] * (1 + 1e-12))
    assert np.all(run.violation > 0)  # every w_t outside the circle


def test_derived_rounds_stop_at_the_first_pair_within_tolerance():
    tol = 0.01
    run = mc.augmented_lagrangian(LOSS, K, w_tol=tol)
    assert run.reached
    assert run.lam_gap <= 0.005 and run.w_gap <= tol
    shorter = mc.augmented_lagrangian(LOSS, K, iterations=run.iterations - 1, w_tol=tol)
    assert not shorter.reached  # one round fewer is not enough
    np.testing.assert_array_equal(shorter.lam_path, run.lam_path[:-1])


def test_a_too_small_rho_is_slow_and_a_too_large_one_ill_conditioned():
    rho = mc.default_rho(LOSS, K)
    slow, kappa_slow = mc.iterations_needed(LOSS, K, rho / 10, 0.01)
    moderate, kappa = mc.iterations_needed(LOSS, K, rho, 0.01)
    fast, kappa_fast = mc.iterations_needed(LOSS, K, 100 * rho, 0.01)
    assert slow > 3 * moderate > 3 * fast
    assert (slow, moderate, fast) == (51, 9, 3)
    assert kappa_fast > 30 * kappa > 30 * kappa_slow
    # the large ρ's inner Hessian: H + λI + ρ w wᵀ has ρ||w||² ≈ ρk along w
    assert kappa_fast == pytest.approx(
        np.linalg.cond(
            H + 2.3163 * np.eye(2) + 100 * rho * K * np.outer(*[C / np.linalg.norm(C)] * 2)
        ),
        rel=0.3,
    )


def test_too_few_rounds_is_reported_not_hidden():
    run = mc.augmented_lagrangian(LOSS, K, rho=0.01, max_iterations=5)
    assert not run.reached and run.iterations == 5 and run.lam_gap > 0.5
    assert mc.iterations_needed(LOSS, K, 1e-4, 0.01, max_iterations=20)[0] is None


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"k": 6.0}, ["does not bind", "λ* = 0"]),
        ({"k": -1.0}, ["k must be"]),
        ({"k": K, "rho": 0.0}, ["rho must be"]),
        ({"k": K, "iterations": 0}, ["iterations must be between 1"]),
        ({"k": K, "iterations": 2.5}, ["whole number"]),
        ({"k": K, "w_tol": -1.0}, ["w_tol"]),
    ],
)
def test_bad_inputs_are_one_line(kwargs, words):
    with pytest.raises(mc.MathcoreError) as info:
        mc.augmented_lagrangian(LOSS, **kwargs)
    assert "\n" not in str(info.value)
    for word in words:
        assert word in str(info.value)


@st.composite
def problems(draw):
    """Eigenvalue ratio 1–50, eigenvectors at any angle, ŵ in any quadrant, a binding k."""
    ratio = draw(st.floats(1.0, 50.0))
    scale = draw(st.floats(0.2, 20.0))
    turn = draw(st.floats(0.0, math.pi))
    Q = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    H = Q @ np.diag([scale * ratio, scale]) @ Q.T
    angle = draw(st.floats(0.0, 2 * math.pi))
    radius = draw(st.floats(0.3, 5.0))
    c = radius * np.array([math.cos(angle), math.sin(angle)])
    share = draw(st.floats(0.05, 0.9))  # k as a share of ||c||²: binding
    return 0.5 * (H + H.T), c, share * radius**2


@given(problems())
def test_random_problems_converge_to_lambda_star_within_the_derived_rounds(problem):
    H, c, k = problem
    loss = mc.QuadraticLoss(H, c)
    best = mc.solve_constrained(loss, k)
    w_tol = 2e-3 * math.sqrt(k)
    run = mc.augmented_lagrangian(loss, k, w_tol=w_tol)
    assert run.reached and run.iterations <= 20
    assert abs(run.lam_path[-1] - best.lam) <= 0.005 * best.lam
    assert np.linalg.norm(run.w_path[-1] - best.w) <= w_tol
    assert np.all(run.grad_norms < 1e-10)
    lams = np.array([*run.lam_path, run.lam_next])
    assert np.all(np.diff(lams) > 0) and np.all(lams < best.lam * (1 + 1e-12))
    gaps = best.lam - lams
    assert np.all(gaps[1:] <= 0.5 * gaps[:-1] + 1e-12 * best.lam)
    lams_ref, ws_ref, _ = scalar_loop(H, c, k, run.rho, run.iterations)
    np.testing.assert_allclose(run.lam_path, lams_ref, rtol=1e-7, atol=1e-12 * best.lam)
    np.testing.assert_allclose(run.w_path, ws_ref, atol=1e-7 * math.sqrt(k))


@given(problems())
def test_random_problems_a_tenth_of_rho_needs_more_rounds(problem):
    H, c, k = problem
    loss = mc.QuadraticLoss(H, c)
    rho = mc.default_rho(loss, k)
    w_tol = 2e-3 * math.sqrt(k)
    moderate, _ = mc.iterations_needed(loss, k, rho, w_tol)
    slow, _ = mc.iterations_needed(loss, k, rho / 10, w_tol)
    # the inner Hessian H + μI + ρwwᵀ: its largest eigenvalue is at least σ_min + μ + ρ‖w‖²
    # (along w), its smallest at most σ_max + μ (across w), so its condition grows like ρk
    large = mc.augmented_lagrangian(loss, k, 100 * rho, w_tol=w_tol)
    w, mu = large.w_path[-1], large.lam_next
    sigma = np.linalg.eigvalsh(H)
    bound = (sigma[0] + mu + 100 * rho * (w @ w)) / (sigma[-1] + mu)
    assert moderate is not None and slow is not None
    assert slow > moderate
    assert large.condition[-1] >= bound * (1 - 1e-9)
