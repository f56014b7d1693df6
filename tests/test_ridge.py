"""Ridge, the constrained problem and the eigen view, checked against independent code."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize
from sklearn.linear_model import Ridge

import mathcore as mc
from tests.problems import data_problems, data_with_condition, quadratics

lams = st.floats(-8.0, 3.0).map(lambda e: 10.0**e)


def rel_err(a, b) -> float:
    return float(np.linalg.norm(np.asarray(a) - b) / max(np.linalg.norm(b), 1e-300))


# --- penalised ridge -------------------------------------------------------------------------


@given(data_problems(), lams)
def test_ridge_equals_sklearn(problem, lam_rel):
    """(H + λI)⁻¹Hc is scikit-learn's Ridge(alpha=λ) on the same data, to 1e-8 relative."""
    loss = mc.QuadraticLoss.from_data(problem.X, problem.y)
    lam = lam_rel * loss.sigma[0]
    ours = mc.solve_penalized(loss, lam)
    theirs = Ridge(alpha=lam, fit_intercept=False, solver="svd").fit(problem.X, problem.y).coef_
    assert ours.shape == theirs.T.shape
    assert rel_err(ours, theirs.T) < 1e-8


def test_ridge_lambda_is_seed_000_lambda():
    """mathcore's λ (½-scaled loss, λ/2 penalty) is seed 000's λ in ||Xw − b||² + λ||w||²:
    the minimiser of the seed's objective, found by scipy from its own gradient, is ours."""
    problem = data_with_condition(7, 3, 30.0)
    X, b, lam = problem.X, problem.y, 0.7

    def seed_objective(w):
        return np.sum((X @ w - b) ** 2) + lam * np.sum(w**2), 2 * X.T @ (X @ w - b) + 2 * lam * w

    seed_w = minimize(seed_objective, np.zeros(3), jac=True, method="BFGS", tol=1e-14).x
    ours = mc.solve_penalized(mc.QuadraticLoss.from_data(X, b), lam)
    np.testing.assert_allclose(ours, seed_w, rtol=1e-7)


def test_ridge_limits():
    loss = mc.QuadraticLoss([[3.0, 1.0], [1.0, 1.5]], [2.0, 1.2])
    np.testing.assert_array_equal(mc.solve_penalized(loss, 0.0), loss.center)
    np.testing.assert_array_equal(mc.solve_penalized(loss, math.inf), [0.0, 0.0])
    np.testing.assert_allclose(
        mc.solve_penalized(loss, 2.0),
        np.linalg.solve(loss.H + 2.0 * np.eye(2), loss.H @ loss.center),
    )


@given(quadratics(max_log_cond=6.0), st.lists(lams, min_size=1, max_size=20))
def test_ridge_path_is_a_linear_solve_at_each_lambda(problem, lam_list):
    """Each row of the path against numpy's solve of (H + λI) w = Hc (independent of the
    eigenbasis mathcore broadcasts over), to the accuracy that system's condition allows."""
    H, c = problem
    loss = mc.QuadraticLoss(H, c)
    lams = [lam * loss.sigma[0] for lam in lam_list]
    path = mc.ridge_path(loss, lams)
    assert path.shape == (len(lams), loss.n)
    for lam, w in zip(lams, path, strict=True):
        system = H + lam * np.eye(len(c))
        direct = np.linalg.solve(system, H @ c)
        tol = 1e-13 * np.linalg.cond(system) * np.linalg.norm(c)
        np.testing.assert_allclose(w, direct, rtol=0, atol=tol)


def test_ridge_path_multi_output_shape():
    problem = data_with_condition(3, 4, 10.0, outputs=3)
    loss = mc.QuadraticLoss.from_data(problem.X, problem.y)
    path = mc.ridge_path(loss, [0.0, 1.0, math.inf])
    assert path.shape == (3, 4, 3)
    np.testing.assert_allclose(path[0], loss.center)
    np.testing.assert_array_equal(path[2], 0.0)


# --- the constrained problem -----------------------------------------------------------------


def assert_kkt(loss: mc.QuadraticLoss, k: float, sol: mc.ConstrainedSolution, tol: float = 1e-9):
    """Stationarity ∇f + λw = 0, feasibility, λ ≥ 0, complementary slackness λ(||w||² − k) = 0."""
    w, lam = sol.w, sol.lam
    grad = loss.grad(w)
    scale = np.linalg.norm(loss.H, 2) * (np.linalg.norm(w) + np.linalg.norm(loss.center)) + 1e-300
    assert np.linalg.norm(grad + lam * w) <= tol * scale
    assert np.sum(w**2) <= k * (1 + tol)
    assert lam >= 0
    assert abs(lam * (np.sum(w**2) - k)) <= tol * max(lam * k, 1e-300)


@given(quadratics(), st.floats(-3.0, 3.0))
def test_constrained_satisfies_kkt(problem, log_k_rel):
    loss = mc.QuadraticLoss(*problem)
    k = np.sum(loss.center**2) * 10.0**log_k_rel
    sol = mc.solve_constrained(loss, k)
    assert_kkt(loss, k, sol)
    c2 = np.sum(loss.center**2)
    if abs(c2 - k) > 1e-13 * k:  # within rounding of the boundary either answer is exact
        assert sol.active == (c2 > k)
    assert (sol.lam == 0.0) == (not sol.active)
    if sol.active:
        assert abs(np.sum(sol.w**2) - k) <= 1e-12 * k


@given(quadratics(singular=True), st.floats(-3.0, 1.0))
def test_constrained_singular_h(problem, log_k_rel):
    loss = mc.QuadraticLoss(*problem)
    k = max(np.sum(loss.center**2), 1e-6) * 10.0**log_k_rel
    assert_kkt(loss, k, mc.solve_constrained(loss, k))


@pytest.mark.parametrize("seed", range(12))
def test_constrained_agrees_with_slsqp(seed):
    rng = np.random.default_rng(seed)
    n = 1 + seed % 4
    problem = data_with_condition(seed, n, 10.0 ** rng.uniform(0, 3))
    loss = mc.QuadraticLoss.from_data(problem.X, problem.y)
    k = float(np.sum(loss.center**2) * rng.uniform(0.05, 1.5))
    sol = mc.solve_constrained(loss, k)
    ref = minimize(
        loss.value,
        0.5 * mc.project_to_ball(loss.center, k),
        jac=loss.grad,
        method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda w: k - w @ w, "jac": lambda w: -2 * w}],
        options={"ftol": 1e-12, "maxiter": 500},
    )
    assert ref.success, ref.message
    np.testing.assert_allclose(sol.w, ref.x, atol=1e-6 * (1 + np.linalg.norm(ref.x)))
    assert loss.value(sol.w) <= loss.value(ref.x) + 1e-9 * abs(loss.value(ref.x))
    # SLSQP's multiplier μ is for k − ||w||² ≥ 0, so ∇f = −2μ w: mathcore's λ is 2μ
    assert sol.lam == pytest.approx(2 * ref.multipliers[0], rel=1e-4, abs=1e-8)


@pytest.mark.parametrize("k", [1e-12, 1e-6, 1.0, 1e6, 1e12])
def test_constrained_extreme_budgets(k):
    loss = mc.QuadraticLoss([[4.0, 1.0], [1.0, 0.5]], [30.0, -40.0])  # ||c||² = 2500
    sol = mc.solve_constrained(loss, k)
    assert_kkt(loss, k, sol)
    assert sol.active == (k < 2500.0)


@given(
    quadratics(n_values=(2, 3), max_log_cond=4.0),
    st.floats(-150.0, 150.0),
    st.floats(-100.0, 100.0),
    st.floats(-2.0, 0.0),
)
def test_constrained_is_the_same_problem_at_any_scale(problem, log_h, log_c, log_k_rel):
    """λ scales with H and w with c: (sH, mc, m²k) has λ·s and w·m, for scales float64 holds
    (the secular equation once overflowed for H ~ 1e160 and reported λ = 0)."""
    H, c = problem
    k = float(np.sum(c**2)) * 10.0**log_k_rel
    base = mc.solve_constrained(mc.QuadraticLoss(H, c), k)
    s, m = 10.0**log_h, 10.0**log_c
    scaled = mc.solve_constrained(mc.QuadraticLoss(H * s, c * m), k * m * m)
    assert scaled.active == base.active
    # λ to 1e-9, or (for a budget a hair inside ‖c‖², where λ is a tiny difference of
    # numbers near 1) to a few ulps of H's scale
    tiny = 1e-13 * s * float(np.abs(H).max())
    assert scaled.lam == pytest.approx(base.lam * s, rel=1e-9, abs=tiny)
    np.testing.assert_allclose(scaled.w, base.w * m, rtol=1e-9, atol=1e-12 * m * np.abs(c).max())


@pytest.mark.parametrize(
    ("H", "c", "k"),
    [(1e160, (1.2, 2.0), 1.5), (1e-300, (1.2, 2.0), 1.5), (3.0, (1.2, 2.0), 1e-300)],
)
def test_constrained_extreme_scales_from_the_bug_report(H, c, k):
    loss = mc.QuadraticLoss(np.eye(2) * H, c)
    sol = mc.solve_constrained(loss, k)
    assert sol.active and np.isfinite(sol.lam) and sol.lam > 0
    assert float(np.sum((sol.w / np.abs(sol.w).max()) ** 2)) * np.abs(sol.w).max() ** 2 == (
        pytest.approx(k, rel=1e-12)
    )


def test_a_budget_float64_cannot_carry_is_refused():
    with pytest.raises(mc.MathcoreError, match="too small beside"):
        mc.solve_constrained(mc.QuadraticLoss(np.eye(2), (1e200, 1e200)), 1.5)


def test_constrained_zero_center_is_inactive():
    sol = mc.solve_constrained(mc.QuadraticLoss(np.eye(3), np.zeros(3)), 1e-9)
    assert not sol.active and sol.lam == 0.0
    np.testing.assert_array_equal(sol.w, 0.0)


def test_constrained_boundary_budget_is_inactive():
    """||c||² = k exactly: λ = 0, and the solution is c."""
    sol = mc.solve_constrained(mc.QuadraticLoss(np.eye(2), [3.0, 4.0]), 25.0)
    assert not sol.active and sol.lam == 0.0


def test_constrained_multi_output_uses_frobenius_norm():
    problem = data_with_condition(11, 3, 20.0, outputs=2)
    loss = mc.QuadraticLoss.from_data(problem.X, problem.y)
    k = 0.25 * float(np.sum(loss.center**2))
    sol = mc.solve_constrained(loss, k)
    assert sol.w.shape == (3, 2)
    assert abs(np.sum(sol.w**2) - k) <= 1e-12 * k
    np.testing.assert_allclose(loss.grad(sol.w), -sol.lam * sol.w, atol=1e-10)


def test_seed_002_disk_example():
    """Seed 002: min (x−2)² + (y−3)² s.t. x² + y² ≤ 4 is (1.1094, 1.6641), λ = √13/2 − 1."""
    loss = mc.QuadraticLoss(np.eye(2), [2.0, 3.0])  # ½||w − c||²: the seed's f up to a factor 2
    sol = mc.solve_constrained(loss, 4.0)
    np.testing.assert_allclose(sol.w, [1.1094, 1.6641], atol=5e-5)
    assert sol.lam == pytest.approx(math.sqrt(13) / 2 - 1, rel=1e-12)


def test_seed_002_line_example():
    """Seed 002: min x² + y² on x + y = 1 is (0.5, 0.5): the minimum-norm solution of the
    underdetermined system [1 1] w = 1, which from_data takes as the centre."""
    loss = mc.QuadraticLoss.from_data([[1.0, 1.0]], [1.0])
    np.testing.assert_allclose(loss.center, [0.5, 0.5], rtol=1e-14)
    assert loss.f_min == pytest.approx(0.0, abs=1e-28)


# --- the map between the problems, the shadow price, tangency ---------------------------------


@given(quadratics(n_values=(2, 3, 5)), lams)
def test_budget_of_lambda_round_trip(problem, lam_rel):
    """k(λ) = ||w(λ)||², and solving the constrained problem at k(λ) gives back λ."""
    loss = mc.QuadraticLoss(*problem)
    lam = lam_rel * max(loss.sigma[0], 1e-12)
    k = mc.budget_of_lambda(loss, lam)
    if k == 0 or k >= np.sum(loss.center**2) * (1 - 1e-9):
        return  # λ too small to move w measurably, or w(λ) = 0
    sol = mc.solve_constrained(loss, k)
    assert sol.lam == pytest.approx(lam, rel=1e-6)


@pytest.mark.parametrize("k", [0.2, 1.0, 3.0, 5.0, 10.0])
def test_shadow_price_is_minus_half_lambda(k):
    """df*/dk = −λ/2 for mathcore's ½-scaled f (−λ for the unscaled ||Xw − y||²)."""
    loss = mc.QuadraticLoss([[3.0, 1.0], [1.0, 1.5]], [2.0, 1.2], offset=0.3)  # ||c||² = 5.44
    h = 1e-5 * k
    curve = mc.optimal_value_curve(loss, [k - h, k, k + h])
    finite_diff = (curve.f_star[2] - curve.f_star[0]) / (2 * h)
    assert finite_diff == pytest.approx(curve.slope[1], rel=1e-6, abs=1e-9)
    w = curve.w[1]  # λ from the KKT condition ∇f(w*) = −λ w*, computed here
    kkt = -float(loss.grad(w) @ w) / float(w @ w) if k < 5.44 else 0.0
    assert curve.lam[1] == pytest.approx(kkt, rel=1e-9, abs=1e-12)
    assert finite_diff == pytest.approx(-0.5 * kkt, rel=1e-6, abs=1e-9)
    assert (curve.lam[1] == 0) == (k >= 5.44)
    # for the unscaled loss ||Xw − y||² = 2f the slope is −λ itself (seeds 000 and 002)
    unscaled = mc.optimal_value_curve(loss, [k - h, k, k + h], scale=2.0)
    np.testing.assert_allclose(unscaled.f_star, 2 * curve.f_star)
    assert (unscaled.f_star[2] - unscaled.f_star[0]) / (2 * h) == pytest.approx(
        -curve.lam[1], rel=1e-6, abs=1e-9
    )


@given(quadratics(n_values=(2,), max_log_cond=4.0), lams)
def test_level_set_through_w_lambda_is_tangent_to_its_circle(problem, lam_rel):
    """At w(λ) the level set's normal ∇f and the circle's normal w are anti-parallel."""
    loss = mc.QuadraticLoss(*problem)
    w = mc.solve_penalized(loss, lam_rel * loss.sigma[0])
    grad = loss.grad(w)
    cross = grad[0] * w[1] - grad[1] * w[0]
    rounding = 1e-14 * np.linalg.norm(loss.H) * np.linalg.norm(loss.center)  # in H(w − c)
    assert abs(cross) <= (1e-10 * np.linalg.norm(grad) + rounding) * np.linalg.norm(w)
    assert grad @ w <= 0


# --- the eigen view ----------------------------------------------------------------------------


@given(quadratics(), lams)
def test_eigen_shrinkage_reproduces_ridge(problem, lam_rel):
    loss = mc.QuadraticLoss(*problem)
    lam = lam_rel * loss.sigma[0]
    view = mc.eigen_shrinkage(loss, lam)
    np.testing.assert_allclose(view.Q @ view.Q.T, np.eye(loss.n), atol=1e-12)
    assert np.linalg.det(view.Q) == pytest.approx(1.0, abs=1e-12)
    assert np.all(np.diff(view.sigma) <= 0)
    np.testing.assert_allclose(
        view.Q @ np.diag(view.sigma) @ view.Q.T, loss.H, atol=1e-12 * np.linalg.norm(loss.H)
    )
    eigenvalues = np.sort(np.linalg.eigvalsh(np.asarray(problem[0])))[::-1]  # numpy's own
    np.testing.assert_allclose(view.sigma, eigenvalues, rtol=1e-10, atol=1e-12 * eigenvalues[0])
    # σ/(σ + λ) moves by λΔσ/(σ + λ)² ≤ Δσ/(4λ): the factors inherit σ's tolerance above
    np.testing.assert_allclose(
        view.factors,
        eigenvalues / (eigenvalues + lam),
        rtol=1e-9,
        atol=max(1e-13, 1e-12 * eigenvalues[0] / lam),
    )
    size = np.abs(loss.center).max()
    np.testing.assert_allclose(view.Q @ view.rotated, loss.center, atol=1e-12 * size)  # Qᵀ undone
    np.testing.assert_allclose(np.linalg.norm(view.rotated), np.linalg.norm(loss.center))
    np.testing.assert_allclose(view.result, mc.solve_penalized(loss, lam), rtol=1e-12, atol=1e-300)
    np.testing.assert_array_equal(view.partway(0.0), view.Q @ view.rotated)
    np.testing.assert_allclose(view.partway(1.0), view.result, rtol=1e-12, atol=1e-300)


@given(quadratics(max_log_cond=4.0), lams)
def test_eigen_view_equals_a_direct_linear_solve(problem, lam_rel):
    """Q(Σ + λI)⁻¹ΣQᵀθ̂ against numpy's solve of (H + λI) x = Hθ̂ (independent code)."""
    H, c = problem
    loss = mc.QuadraticLoss(H, c)
    lam = lam_rel * loss.sigma[0]
    direct = np.linalg.solve(H + lam * np.eye(len(c)), H @ c)
    view = mc.eigen_shrinkage(loss, lam)
    np.testing.assert_allclose(view.result, direct, rtol=1e-8, atol=1e-10 * np.abs(c).max())


@pytest.mark.parametrize(
    ("H", "c", "straight"),
    [
        ([[3.0, 1.2], [1.2, 1.2]], [1.2, 2.0], False),
        ([[2.0, 0.0], [0.0, 2.0]], [1.2, 2.0], True),  # H = σI
        ([[3.0, 0.0], [0.0, 1.0]], [1.5, 0.0], True),  # c along an eigenvector
        ([[3.0, 0.0], [0.0, 1.0]], [1.5, 0.1], False),
        ([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], True),
    ],
)
def test_path_is_straight_exactly_when_the_path_is_a_segment(H, c, straight):
    loss = mc.QuadraticLoss(H, c)
    assert mc.path_is_straight(loss) is straight
    path = mc.ridge_path(loss, np.geomspace(1e-3, 1e3, 50))
    cross = path[:, 0] * c[1] - path[:, 1] * c[0]
    assert bool(np.max(np.abs(cross)) < 1e-12) == straight


@pytest.mark.parametrize(
    ("H", "angle"),
    [
        ([[3.0, 1.0], [1.0, 1.5]], 26.565),  # tilted up: q₁ ∝ (2, 1)
        ([[3.0, -1.0], [-1.0, 1.5]], -26.565),  # tilted down
        ([[1.0, 0.0], [0.0, 3.0]], 90.0),  # major axis vertical: +90°, never −90°
        ([[3.0, 0.0], [0.0, 1.0]], 0.0),
        ([[2.0, 0.0], [0.0, 2.0]], 0.0),  # isotropic: no turn
    ],
)
def test_rotation_turns_the_short_way(H, angle):
    view = mc.eigen_shrinkage(mc.QuadraticLoss(H, [1.0, 1.0]), 1.0)
    assert -90.0 < view.rotation_deg <= 90.0
    assert view.rotation_deg == pytest.approx(angle, abs=1e-3)
    # the first column is the eigenvector of the largest eigenvalue
    np.testing.assert_allclose(
        np.asarray(H) @ view.Q[:, 0], view.sigma[0] * view.Q[:, 0], atol=1e-12
    )


def test_eigen_shrinkage_degenerate_cases():
    iso = mc.eigen_shrinkage(mc.QuadraticLoss(2 * np.eye(2), [1.0, 2.0]), 1.0)
    assert iso.isotropic
    np.testing.assert_allclose(iso.factors, [2 / 3, 2 / 3])
    zero = mc.eigen_shrinkage(mc.QuadraticLoss([[3.0, 1.0], [1.0, 1.5]], [1.0, 2.0]), 0.0)
    np.testing.assert_array_equal(zero.factors, [1.0, 1.0])
    np.testing.assert_allclose(zero.result, [1.0, 2.0], rtol=1e-14)


# --- how single coefficients travel -------------------------------------------------------


def _direct_path(H, c, lams) -> np.ndarray:
    """w(λ) by one linear solve per λ, batched (independent of mathcore's eigenbasis)."""
    H, c = np.asarray(H, dtype=float), np.asarray(c, dtype=float)
    systems = H[None] + np.asarray(lams, dtype=float)[:, None, None] * np.eye(len(c))[None]
    return np.linalg.solve(systems, np.broadcast_to(H @ c, (len(lams), len(c)))[..., None])[..., 0]


def test_a_coefficient_that_grows_before_it_shrinks_default_problem():
    """The default problem: w₁ grows from 1.20 to 1.25 at λ ≈ 0.30 before it shrinks."""
    H, c = ((3.0, 1.2), (1.2, 1.2)), (1.2, 2.0)
    turns = mc.coefficient_turns(mc.QuadraticLoss(H, c))
    lams = np.linspace(0.0, 2.0, 200_001)
    w1 = np.abs(_direct_path(H, c, lams)[:, 0])
    assert turns.grows_first.tolist() == [True, False]
    assert turns.peak_lam[0] == pytest.approx(lams[np.argmax(w1)], abs=2e-5)
    assert turns.peak[0] == pytest.approx(w1.max(), rel=1e-9)
    assert turns.peak[1] == 2.0 and [len(x) for x in turns.crossings] == [0, 0]


@given(quadratics(max_log_cond=4.0))
def test_coefficient_turns_match_a_dense_direct_path(problem):
    H, c = problem
    loss = mc.QuadraticLoss(H, c)
    turns = mc.coefficient_turns(loss)
    scale = float(loss.sigma[0])
    lams = np.concatenate([[0.0], np.geomspace(scale * 1e-6, scale * 1e3, 8001)])
    path = _direct_path(H, c, lams)
    for j in range(len(c)):
        size = np.abs(path[:, j])
        assert turns.peak[j] >= size.max() * (1 - 1e-9)  # the refined peak is the top
        direct = np.abs(_direct_path(H, c, [turns.peak_lam[j]])[0, j])
        assert direct == pytest.approx(turns.peak[j], rel=1e-9, abs=1e-12)
        changes = int(np.sum(np.sign(path[1:-1, j]) * np.sign(path[2:, j]) < 0))
        assert len(turns.crossings[j]) == changes
        for root in turns.crossings[j]:
            at = _direct_path(H, c, [root])[0, j]
            assert abs(at) <= 1e-9 * np.abs(path[:, j]).max()
