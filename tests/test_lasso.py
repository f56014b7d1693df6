"""L1: the lasso and the L1-ball constraint, checked by subgradient optimality and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize
from sklearn.linear_model import Lasso

import mathcore as mc
from tests.problems import data_problems, data_with_condition

lam_fractions = st.floats(-4.0, 0.5).map(lambda e: 10.0**e)  # λ / λ_max


def columns(a: np.ndarray) -> list[np.ndarray]:
    return [a] if a.ndim == 1 else list(a.T)


def assert_subgradient_optimal(loss: mc.QuadraticLoss, w: np.ndarray, lam: float, tol=1e-9):
    """0 ∈ ∇f(w) + λ∂||w||₁: r = −∇f(w) equals λ sign(wⱼ) on the support, |rⱼ| ≤ λ off it."""
    for wc, r in zip(columns(w), columns(-loss.grad(w)), strict=True):
        scale = tol * (lam + np.linalg.norm(loss.H, 2) * np.abs(wc).sum() + np.abs(r).max())
        on = wc != 0
        assert np.all(np.abs(r[on] - lam * np.sign(wc[on])) <= scale)
        assert np.all(np.abs(r[~on]) <= lam + scale)


def lam_max(loss: mc.QuadraticLoss) -> float:
    """The smallest λ with solution 0: ||Hc||_∞."""
    return float(np.abs(loss.b).max())


@given(data_problems(), lam_fractions)
def test_lasso_is_subgradient_optimal(problem, frac):
    loss = mc.QuadraticLoss.from_data(problem.X, problem.y)
    lam = frac * lam_max(loss)
    w = mc.solve_lasso(loss, lam)
    assert w.shape == loss.center.shape
    assert_subgradient_optimal(loss, w, lam)


@given(data_problems(max_n=20, max_log_cond=2.0), st.floats(-2.0, -0.1).map(lambda e: 10.0**e))
def test_lasso_equals_sklearn_on_well_conditioned(problem, frac):
    """argmin ½||Xw − y||² + λ||w||₁ is Lasso(alpha=λ/d) (sklearn divides the loss by d)."""
    loss = mc.QuadraticLoss.from_data(problem.X, problem.y)
    lam = frac * lam_max(loss)
    ours = mc.solve_lasso(loss, lam)
    ref = Lasso(alpha=lam / problem.d, fit_intercept=False, tol=1e-12, max_iter=200_000)
    theirs = ref.fit(problem.X, problem.y).coef_.T
    np.testing.assert_allclose(ours, theirs, atol=1e-6 * (1 + np.abs(theirs).max()))


def test_lasso_zeros_are_exact():
    loss = mc.QuadraticLoss([[3.0, 1.0], [1.0, 1.5]], [2.0, 1.2])
    w = mc.solve_lasso(loss, 4.0)  # b = Hc = (7.2, 3.8): only the first coordinate survives
    assert w[1] == 0.0
    assert w[0] == pytest.approx((7.2 - 4.0) / 3.0, rel=1e-14)
    np.testing.assert_array_equal(mc.solve_lasso(loss, 7.2), [0.0, 0.0])
    np.testing.assert_array_equal(mc.solve_lasso(loss, 0.0), loss.center)
    np.testing.assert_array_equal(mc.solve_lasso(loss, np.inf), [0.0, 0.0])


@given(data_problems(max_n=8, max_log_cond=3.0, multi=False), st.floats(0.05, 0.95))
def test_constrained_l1_is_the_lasso_at_its_multiplier(problem, t_frac):
    loss = mc.QuadraticLoss.from_data(problem.X, problem.y)
    t = t_frac * float(np.abs(loss.center).sum())
    sol = mc.solve_constrained_l1(loss, t)
    assert sol.active and sol.lam > 0
    assert np.abs(sol.w).sum() == pytest.approx(t, rel=1e-10)
    assert_subgradient_optimal(loss, sol.w, sol.lam)
    np.testing.assert_allclose(sol.w, mc.solve_lasso(loss, sol.lam), atol=1e-9 * (1 + t))


@pytest.mark.parametrize("seed", range(8))
def test_constrained_l1_agrees_with_slsqp(seed):
    problem = data_with_condition(seed, 2 + seed % 3, 10.0)
    loss = mc.QuadraticLoss.from_data(problem.X, problem.y)
    t = 0.4 * float(np.abs(loss.center).sum())
    sol = mc.solve_constrained_l1(loss, t)
    # the L1 ball as linear constraints on w = u − v with u, v ≥ 0 (smooth for SLSQP)
    n = loss.n
    ref = minimize(
        lambda uv: loss.value(uv[:n] - uv[n:]),
        np.full(2 * n, t / (4 * n)),
        jac=lambda uv: np.concatenate([loss.grad(uv[:n] - uv[n:]), -loss.grad(uv[:n] - uv[n:])]),
        method="SLSQP",
        bounds=[(0, None)] * (2 * n),
        constraints=[{"type": "ineq", "fun": lambda uv: t - uv.sum()}],
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    assert ref.success, ref.message
    np.testing.assert_allclose(sol.w, ref.x[:n] - ref.x[n:], atol=1e-5)


@given(st.integers(0, 2**32 - 1), st.floats(0.0, 2.0))
def test_sparse_budget_is_the_largest_budget_with_a_zero(seed, log_cond):
    """Against a scan of budgets: no zero beyond t_sparse, an exact zero at t_sparse itself.
    (Zeros need not fill an interval below it: a coordinate can cross 0 with a sign change,
    so the last zero may be a single budget.) Every example is a 2-weight problem (60 run)."""
    problem = data_with_condition(seed, 2, 10.0**log_cond)
    loss = mc.QuadraticLoss.from_data(problem.X, problem.y)
    assert loss.n == 2 and np.all(loss.center != 0)
    t_sparse = mc.sparse_budget(loss)
    ts = np.linspace(1e-3, np.abs(loss.center).sum() * 0.999, 400)
    zero = np.array([np.any(mc.solve_constrained_l1(loss, t).w == 0.0) for t in ts])
    assert not zero[ts > t_sparse * (1 + 1e-9)].any()
    if t_sparse > 0:
        assert np.any(mc.solve_constrained_l1(loss, t_sparse).w == 0.0)


def test_sparse_budget_when_a_coordinate_leaves_the_path():
    """The support can shrink as t grows: t_sparse is the last budget with a zero."""
    loss = mc.QuadraticLoss([[1.0, 0.5], [0.5, 0.3]], [-0.5, 3.0])
    t_sparse = mc.sparse_budget(loss)
    assert mc.solve_constrained_l1(loss, 1.8).w[0] == 0.0
    assert np.all(mc.solve_constrained_l1(loss, t_sparse * 1.01).w != 0.0)
    assert mc.solve_constrained_l1(loss, t_sparse).w[0] == pytest.approx(0.0, abs=1e-12)


def test_constrained_l1_with_singular_h():
    """Rank-deficient data (2 rows, 4 unknowns): the homotopy stops at the budget."""
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((2, 4)), np.array([1.0, -0.5])
    loss = mc.QuadraticLoss.from_data(X, y)
    for t in (0.18, 0.5, 1.0):
        sol = mc.solve_constrained_l1(loss, t)
        assert sol.active and np.abs(sol.w).sum() == pytest.approx(t, rel=1e-10)
        assert_subgradient_optimal(loss, sol.w, sol.lam)


def test_constrained_l1_inactive_and_multi_output():
    loss = mc.QuadraticLoss([[3.0, 1.0], [1.0, 1.5]], [2.0, 1.2])
    sol = mc.solve_constrained_l1(loss, 3.2)  # ||c||₁ = 3.2
    assert not sol.active and sol.lam == 0.0
    np.testing.assert_array_equal(sol.w, loss.center)
    corner = mc.solve_constrained_l1(loss, 1.0)
    np.testing.assert_array_equal(corner.w, [1.0, 0.0])  # on the corner, exactly
    assert corner.lam == pytest.approx(4.2, rel=1e-12)

    data = data_with_condition(5, 3, 10.0, outputs=2)
    multi = mc.QuadraticLoss.from_data(data.X, data.y)
    t = 0.5 * float(np.abs(multi.center).sum())
    msol = mc.solve_constrained_l1(multi, t)
    assert msol.w.shape == (3, 2)
    assert np.abs(msol.w).sum() == pytest.approx(t, rel=1e-10)
    assert_subgradient_optimal(multi, msol.w, msol.lam)
