"""mathcore.sampling: the least-squares and ridge fits over redrawn data, checked against
independent code — numpy's inverse and solve for the closed forms, scikit-learn's Ridge and
numpy's lstsq for every simulated fit, Monte Carlo over many data sets for the covariances,
the bias and the error, scipy for the best λ and the χ² radius — and properties
(hypothesis): covariances symmetric positive semidefinite, λ = 0 is least squares, error =
trace + bias², the best λ a minimum; bad inputs are refused with one line."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from scipy.stats import chi2
from sklearn.linear_model import Ridge

import mathcore as mc
from tests.problems import orthogonal

H2 = np.array([[3.0, 1.2], [1.2, 1.2]])  # the default problem: eigenvalues 3.6 and 0.6
W2 = np.array([1.2, 2.0])


@st.composite
def problems(draw, n_values=(1, 2, 3, 5)):
    """(H, w_true, noise): H positive definite with condition number up to 10⁴ and scale
    10⁻² … 10², w_true of any size (not 0), noise 10⁻² … 10²."""
    n = draw(st.sampled_from(n_values))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scale = 10.0 ** draw(st.floats(-2.0, 2.0))
    sigma = scale * np.geomspace(1.0, 10.0 ** draw(st.floats(0.0, 4.0)), n)
    Q = orthogonal(rng, n)
    H = Q @ np.diag(sigma) @ Q.T
    H = 0.5 * (H + H.T)
    w = rng.standard_normal(n) * 10.0 ** draw(st.floats(-1.0, 1.0))
    if not np.any(np.abs(w) > 1e-3):
        w[0] = 1.0
    return H, w, 10.0 ** draw(st.floats(-2.0, 2.0))


lams = st.floats(0.0, 1e3)


def independent_ridge_cov(H, noise, lam):
    A = np.linalg.inv(H + lam * np.eye(len(H)))
    return noise**2 * A @ H @ A


def independent_mse(H, w, noise, lam):
    """E‖w(λ) − w_true‖² written out: trace of the covariance plus the squared bias."""
    bias = np.linalg.solve(H + lam * np.eye(len(H)), H @ w) - w
    return float(np.trace(independent_ridge_cov(H, noise, lam)) + bias @ bias)


# --- the closed forms ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(problem=problems(), lam=lams)
def test_covariances_and_bias_equal_their_matrix_formulas(problem, lam):
    H, w, noise = problem
    scale = noise**2 / np.linalg.eigvalsh(H)[0]  # the largest entry's size
    np.testing.assert_allclose(
        mc.ols_cov(H, noise), noise**2 * np.linalg.inv(H), rtol=1e-7, atol=1e-9 * scale
    )
    np.testing.assert_allclose(
        mc.ridge_cov(H, noise, lam),
        independent_ridge_cov(H, noise, lam),
        rtol=1e-7,
        atol=1e-9 * scale,
    )
    expected = -lam * np.linalg.solve(H + lam * np.eye(len(H)), w)
    np.testing.assert_allclose(
        mc.ridge_bias(H, w, lam), expected, rtol=1e-7, atol=1e-9 * np.abs(w).max()
    )


@settings(max_examples=60, deadline=None)
@given(problem=problems(), lam=lams)
def test_covariances_are_symmetric_positive_semidefinite(problem, lam):
    H, _, noise = problem
    for cov in (mc.ols_cov(H, noise), mc.ridge_cov(H, noise, lam)):
        np.testing.assert_allclose(cov, cov.T, rtol=0, atol=1e-12 * np.abs(cov).max())
        eig = np.linalg.eigvalsh(cov)
        assert eig.min() >= -1e-12 * eig.max()
    # ridge never spreads more than least squares, in any direction: C(0) − C(λ) ⪰ 0
    gap = np.linalg.eigvalsh(mc.ols_cov(H, noise) - mc.ridge_cov(H, noise, lam))
    assert gap.min() >= -1e-9 * np.abs(mc.ols_cov(H, noise)).max()


@settings(max_examples=40, deadline=None)
@given(problem=problems())
def test_lambda_zero_is_least_squares(problem):
    H, w, noise = problem
    ols = mc.ols_cov(H, noise)
    np.testing.assert_allclose(
        mc.ridge_cov(H, noise, 0.0), ols, rtol=1e-12, atol=1e-13 * np.abs(ols).max()
    )
    np.testing.assert_array_equal(mc.ridge_bias(H, w, 0.0), np.zeros(len(w)))
    risk = mc.ridge_risk(H, w, noise, [0.0])
    assert risk.bias2[0] == 0.0
    assert risk.spread[0] == pytest.approx(noise**2 * np.trace(np.linalg.inv(H)), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(problem=problems(), grid=st.lists(lams, min_size=1, max_size=6))
def test_the_error_is_the_trace_plus_the_squared_bias(problem, grid):
    H, w, noise = problem
    risk = mc.ridge_risk(H, w, noise, grid)
    np.testing.assert_array_equal(risk.lams, grid)
    for i, lam in enumerate(grid):
        cov, bias = mc.ridge_cov(H, noise, lam), mc.ridge_bias(H, w, lam)
        assert risk.spread[i] == pytest.approx(np.trace(cov), rel=1e-9)
        assert risk.bias2[i] == pytest.approx(bias @ bias, rel=1e-9, abs=1e-300)
        np.testing.assert_allclose(risk.bias[i], bias, rtol=1e-9, atol=1e-12 * np.abs(w).max())
        assert risk.mse[i] == risk.spread[i] + risk.bias2[i]
        assert risk.mse[i] == pytest.approx(independent_mse(H, w, noise, lam), rel=1e-7)
        # split along H's eigenvectors: qⱼᵀ C qⱼ and (qⱼᵀ b)²
        for j, q in enumerate(risk.Q.T):
            assert risk.spread_along[i, j] == pytest.approx(q @ cov @ q, rel=1e-7, abs=1e-300)
            assert risk.bias2_along[i, j] == pytest.approx(
                (q @ bias) ** 2, rel=1e-7, abs=1e-12 * (bias @ bias + 1e-300)
            )
    np.testing.assert_allclose(risk.sigma, np.sort(np.linalg.eigvalsh(H))[::-1], rtol=1e-9)


def test_the_default_problems_numbers():
    """By hand for H = [[3, 1.2], [1.2, 1.2]] (σ = 3.6, 0.6): σ²H⁻¹ = σ²/2.16 [[1.2, −1.2],
    [−1.2, 3]], and the spread along q₂ is σ²/0.6, six times that along q₁."""
    noise = 1.5
    np.testing.assert_allclose(
        mc.ols_cov(H2, noise), noise**2 / 2.16 * np.array([[1.2, -1.2], [-1.2, 3.0]]), rtol=1e-12
    )
    risk = mc.ridge_risk(H2, W2, noise, [0.0, 1.0])
    np.testing.assert_allclose(risk.spread_along[0], [noise**2 / 3.6, noise**2 / 0.6], rtol=1e-12)
    np.testing.assert_allclose(
        risk.spread_along[1], [noise**2 * 3.6 / 4.6**2, noise**2 * 0.6 / 1.6**2], rtol=1e-12
    )


# --- the simulated fits ----------------------------------------------------------------------


def test_every_simulated_fit_is_least_squares_and_scikit_learns_ridge():
    lams_ = np.array([0.0, 0.3, 2.0])
    fits = mc.simulate_fits(H2, W2, 0.8, 25, lams_, seed=3, rows=12)
    assert fits.X.shape == (12, 2) and fits.y.shape == (25, 12)
    np.testing.assert_allclose(fits.X.T @ fits.X, H2, atol=1e-12)
    np.testing.assert_allclose(fits.y, fits.X @ W2 + fits.noise_draws, atol=1e-12)
    for s in range(25):
        ols = np.linalg.lstsq(fits.X, fits.y[s], rcond=None)[0]
        np.testing.assert_allclose(fits.ols[s], ols, atol=1e-10)
        np.testing.assert_allclose(fits.ridge[0, s], ols, atol=1e-10)
        for m, lam in enumerate(lams_[1:], start=1):
            model = Ridge(alpha=lam, fit_intercept=False, solver="cholesky", tol=1e-12)
            coef = model.fit(fits.X, fits.y[s]).coef_
            np.testing.assert_allclose(fits.ridge[m, s], coef, atol=1e-10)


def test_the_same_seed_gives_the_same_fits_and_another_seed_others():
    a = mc.simulate_fits(H2, W2, 1.0, 40, [0.0, 1.0], seed=7)
    b = mc.simulate_fits(H2, W2, 1.0, 40, [0.0, 1.0], seed=7)
    c = mc.simulate_fits(H2, W2, 1.0, 40, [0.0, 1.0], seed=8)
    np.testing.assert_array_equal(a.ridge, b.ridge)
    np.testing.assert_array_equal(a.ols, b.ols)
    assert not np.allclose(a.ols, c.ols)
    # the first data sets do not depend on how many are drawn
    d = mc.simulate_fits(H2, W2, 1.0, 10, [0.0, 1.0], seed=7)
    np.testing.assert_allclose(d.ols, a.ols[:10], rtol=1e-12)


@pytest.mark.parametrize(
    ("H", "w", "noise", "lam"),
    [
        (H2, W2, 1.355, 0.92),  # the scene's default
        (np.array([[3.2, 1.1], [1.1, 0.9]]), np.array([1.2, -1.6]), 1.0, 0.29),
        (np.diag([5.0, 2.0, 0.05]), np.array([0.5, -1.0, 2.0]), 0.3, 0.1),
    ],
    ids=["default", "untuned", "three weights"],
)
def test_monte_carlo_agrees_with_the_exact_mean_covariance_and_error(H, w, noise, lam):
    """Over 40 000 data sets the fits' mean, covariance and mean squared error match the
    closed forms within a few standard errors (the seed is fixed: this cannot flake)."""
    n = 40_000
    fits = mc.simulate_fits(H, w, noise, n, [0.0, lam], seed=11, rows=9)
    for m, fit in enumerate(fits.ridge):
        cov = mc.ridge_cov(H, noise, fits.lams[m])
        mean = w + mc.ridge_bias(H, w, fits.lams[m])
        sd = np.sqrt(np.diag(cov))
        assert np.all(np.abs(fit.mean(axis=0) - mean) < 5 * sd / math.sqrt(n))
        sample = np.cov(fit.T)
        # a covariance entry's standard error is at most √((C_ii C_jj + C_ij²)/n)
        se = np.sqrt((np.outer(sd**2, sd**2) + cov**2) / n)
        assert np.all(np.abs(sample - cov) < 5 * se)
        errors = np.sum((fit - w) ** 2, axis=1)
        mse = mc.ridge_risk(H, w, noise, [fits.lams[m]]).mse[0]
        assert abs(errors.mean() - mse) < 5 * errors.std() / math.sqrt(n)
    np.testing.assert_array_equal(fits.ridge[0], fits.ols)


# --- the best λ, the noise for a λ, the visible noise ------------------------------------------


def test_best_lambda_of_an_isotropic_h_is_the_closed_form():
    """H = sI: error (nσ²s + λ²‖w‖²)/(s + λ)², least at λ = nσ²/‖w‖² (Hoerl & Kennard)."""
    for s, w, noise in ((2.0, np.array([1.0, -0.5]), 0.7), (0.1, np.array([3.0, 0.0, 1.0]), 2.0)):
        H = s * np.eye(len(w))
        expected = len(w) * noise**2 / (w @ w)
        assert mc.best_lambda(H, w, noise) == pytest.approx(expected, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_best_lambda_is_a_minimum_of_the_error(problem):
    H, w, noise = problem
    best = mc.best_lambda(H, w, noise)
    assert 0 < best < math.inf
    at_best = independent_mse(H, w, noise, best)
    grid = np.concatenate([[0.0], np.geomspace(best * 1e-4, best * 1e4, 801)])
    errors = np.array([independent_mse(H, w, noise, lam) for lam in grid])
    assert at_best <= errors.min() * (1 + 1e-9)
    assert at_best < independent_mse(H, w, noise, 0.0)  # a little ridge beats least squares
    # scipy, on log λ around it, finds no lower error
    found = minimize_scalar(
        lambda x: independent_mse(H, w, noise, math.exp(x)),
        bounds=(math.log(best) - 5, math.log(best) + 5),
        method="bounded",
        options={"xatol": 1e-10},
    )
    assert at_best <= found.fun * (1 + 1e-9)


@settings(max_examples=40, deadline=None)
@given(problem=problems(n_values=(2, 3)), lam_rel=st.floats(-2.0, 2.0))
def test_noise_for_lambda_makes_that_lambda_stationary(problem, lam_rel):
    H, w, _ = problem
    lam = float(np.mean(np.linalg.eigvalsh(H))) * 10.0**lam_rel
    noise = mc.noise_for_lambda(H, w, lam)
    assert noise > 0

    def error(x):
        return independent_mse(H, w, noise, x)

    h = 1e-4 * lam
    slope = (error(lam + h) - error(lam - h)) / (2 * h)
    curvature_scale = abs(error(lam) - error(0.0)) / lam + abs(error(2 * lam) - error(lam)) / lam
    assert abs(slope) <= 1e-5 * curvature_scale + 1e-12 * error(lam) / lam


def test_noise_for_lambda_in_two_weights_gives_that_best_lambda():
    noise = mc.noise_for_lambda(H2, W2, 0.9)
    assert mc.best_lambda(H2, W2, noise) == pytest.approx(0.9, rel=1e-7)


def test_visible_noise_spreads_the_fits_that_far_along_the_small_direction():
    noise = mc.visible_noise(H2, W2, 0.75)
    along_q2 = mc.ridge_risk(H2, W2, noise, [0.0]).spread_along[0, 1]
    assert math.sqrt(along_q2) == pytest.approx(0.75 * np.linalg.norm(W2), rel=1e-12)


# --- the 90% ellipse ---------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0.5, 0.9, 0.99])
def test_coverage_radius_is_the_chi_square_quantile(level):
    assert mc.coverage_radius(level) ** 2 == pytest.approx(chi2.ppf(level, 2), rel=1e-12)


def test_the_ellipse_holds_its_share_of_simulated_fits():
    cov, center = mc.ols_cov(H2, 1.0), np.array([0.5, -1.0])
    ring = mc.covariance_ellipse(cov, center, 0.9, num=200)
    assert ring.shape == (201, 2) and np.array_equal(ring[0], ring[-1])
    d = ring - center
    radius2 = np.einsum("ij,jk,ik->i", d, np.linalg.inv(cov), d)
    np.testing.assert_allclose(radius2, chi2.ppf(0.9, 2), rtol=1e-9)
    fits = mc.simulate_fits(H2, center, 1.0, 20_000, [0.0], seed=5).ols - center
    inside = np.einsum("ij,jk,ik->i", fits, np.linalg.inv(cov), fits) <= chi2.ppf(0.9, 2)
    assert abs(inside.mean() - 0.9) < 5 * math.sqrt(0.9 * 0.1 / len(fits))


# --- bad inputs ------------------------------------------------------------------------------

RNG = np.random.default_rng(0)
SINGULAR = np.array([[1.0, 1.0], [1.0, 1.0]])


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: mc.ols_cov(SINGULAR, 1.0), "H must be positive definite"),
        (lambda: mc.ols_cov(np.array([[1.0, np.nan], [np.nan, 1.0]]), 1.0), "H"),
        (lambda: mc.ols_cov(H2, 0.0), "noise must be a finite number > 0"),
        (lambda: mc.ols_cov(H2, math.inf), "noise must be a finite number > 0"),
        (lambda: mc.ridge_cov(H2, 1.0, -1.0), "lam must be >= 0"),
        (lambda: mc.ridge_cov(H2, 1.0, math.inf), "lam must be >= 0 and finite"),
        (lambda: mc.ridge_bias(H2, [1.0, 2.0, 3.0], 1.0), "w_true must have 2 entries"),
        (lambda: mc.ridge_bias(H2, [1.0, math.nan], 1.0), "w_true must be finite"),
        (lambda: mc.ridge_risk(H2, W2, 1.0, [[1.0]]), "lams must be a non-empty 1-D array"),
        (lambda: mc.ridge_risk(H2, W2, 1.0, [1.0, -2.0]), "lams must all be >= 0 and finite"),
        (lambda: mc.ridge_risk(H2, W2, 1.0, ["a"]), "lams must be numbers"),
        (lambda: mc.best_lambda(H2, [0.0, 0.0], 1.0), "w_true is 0"),
        (lambda: mc.noise_for_lambda(H2, [0.0, 0.0], 1.0), "w_true is 0"),
        (lambda: mc.noise_for_lambda(H2, W2, 0.0), "lam must be a finite number > 0"),
        (lambda: mc.visible_noise(H2, [0.0, 0.0], 0.75), "w_true is 0"),
        (lambda: mc.coverage_radius(1.0), "level must be a share between 0 and 1"),
        (lambda: mc.coverage_radius(0.0), "level must be a share between 0 and 1"),
        (lambda: mc.covariance_ellipse([[1.0, 0.5], [0.0, 1.0]], [0, 0]), "symmetric 2×2"),
        (lambda: mc.covariance_ellipse([[1.0, 0.0], [0.0, -1.0]], [0, 0]), "semidefinite"),
        (lambda: mc.covariance_ellipse(np.eye(3), [0, 0, 0]), "symmetric 2×2"),
        (lambda: mc.design(H2, 1, RNG), "rows must be a whole number >= 2"),
        (lambda: mc.design(H2, 2.5, RNG), "rows must be a whole number >= 2"),
        (lambda: mc.simulate_fits(H2, W2, 1.0, 0, [0.0]), "samples must be a whole number"),
        (lambda: mc.simulate_fits(H2, W2, 1.0, 2.5, [0.0]), "samples must be a whole number"),
        (lambda: mc.simulate_fits(H2, W2, 1.0, 10**7, [0.0]), "samples must be a whole number"),
        (lambda: mc.simulate_fits(H2, W2, 1.0, 5, [0.0], seed=-1), "seed must be a whole"),
        (lambda: mc.simulate_fits(H2, W2, -1.0, 5, [0.0]), "noise must be a finite number"),
    ],
)
def test_bad_inputs_are_refused_in_one_line(call, words):
    with pytest.raises(mc.MathcoreError) as info:
        call()
    message = str(info.value)
    assert words in message, message
    assert "\n" not in message
