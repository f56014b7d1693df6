"""mathcore.trace: the ridge trace and the effective degrees of freedom, against scikit-learn's
Ridge on the prepared columns (DESIGN.md's λ: Ridge(alpha=λ), no factor 2), against the closed
forms (w(λ) = (XᵀX + λI)⁻¹Xᵀy, df(λ) = tr X(XᵀX + λI)⁻¹Xᵀ), and by their properties: df falls
from the rank to 0, the grid's df is evenly spaced, λ(df) inverts df(λ)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import mathcore as mc
from studio.data import read_table, resolve
from tests.problems import data_problems, quadratics

LAMS = [0.0, 1e-3, 0.5, 3.0, 40.0, 700.0, 1.5e4, 1e6]


@pytest.fixture(scope="module")
def diabetes():
    table = read_table(resolve("data/diabetes.csv"), (), "progression")
    prepared = mc.prepare(table.X, table.response)
    return table, prepared, mc.loss_from_columns(prepared)


def test_every_row_is_scikit_learns_ridge_on_the_prepared_columns(diabetes):
    table, prepared, loss = diabetes
    trace = mc.ridge_trace(loss, LAMS)
    assert trace.coef_path.shape == (len(LAMS), 10)
    worst = 0.0
    for lam, row in zip(LAMS, trace.coef_path, strict=True):
        plain = Ridge(alpha=lam, fit_intercept=False, solver="svd").fit(prepared.X, prepared.y)
        piped = make_pipeline(StandardScaler(), Ridge(alpha=lam, solver="svd"))
        piped.fit(table.X, table.response)  # the raw columns: scaled and centred by sklearn
        for coef in (plain.coef_, piped[-1].coef_):
            worst = max(worst, float(np.max(np.abs(coef - row))))
    assert worst < 1e-9, worst  # the weights are of size 1–40: agreement to ~1e-11 relative


def test_the_closed_forms(diabetes):
    _, prepared, loss = diabetes
    X, y = prepared.X, prepared.y
    trace = mc.ridge_trace(loss, LAMS)
    np.testing.assert_allclose(trace.sigma, np.sort(np.linalg.eigvalsh(X.T @ X))[::-1])
    assert np.all(np.diff(trace.sigma) <= 0)
    for lam, row, df in zip(LAMS, trace.coef_path, trace.df, strict=True):
        inverse = np.linalg.inv(X.T @ X + lam * np.eye(10))
        np.testing.assert_allclose(row, inverse @ X.T @ y, rtol=1e-9, atol=1e-9)
        assert df == pytest.approx(np.trace(X @ inverse @ X.T), rel=1e-10)
    np.testing.assert_allclose(trace.least_squares, np.linalg.lstsq(X, y, rcond=None)[0])
    np.testing.assert_allclose(trace.coef_path[0], trace.least_squares, rtol=1e-12)
    assert trace.df[0] == 10.0 and trace.p == 10


def test_lambda_infinity_is_zero_weights_and_no_freedom(diabetes):
    _, _, loss = diabetes
    trace = mc.ridge_trace(loss, [0.0, math.inf])
    assert trace.df.tolist() == [10.0, 0.0]
    assert np.all(trace.coef_path[1] == 0.0) and np.all(trace.factors[1] == 0.0)


def test_the_grid_spaces_df_evenly_from_p_to_0(diabetes):
    _, _, loss = diabetes
    lams = mc.df_grid(loss.sigma, 41)
    assert lams[0] == 0.0 and lams[-1] == math.inf and np.all(np.diff(lams) > 0)
    np.testing.assert_allclose(
        mc.effective_df(loss.sigma, lams), np.linspace(10, 0, 41), atol=1e-12
    )


def test_two_equal_eigenvalues_in_closed_form():
    """σ = (s, s): df(λ) = 2s/(s + λ), so λ(df) = s(2 − df)/df."""
    sigma = [3.0, 3.0]
    assert mc.lambda_for_df(sigma, 0.5) == pytest.approx(3.0 * 1.5 / 0.5)
    assert mc.effective_df(sigma, [3.0])[0] == pytest.approx(1.0)


@given(quadratics(n_values=(1, 2, 3, 5, 10, 30), max_log_cond=10.0, singular=True))
@settings(max_examples=60, deadline=None)
def test_df_falls_from_the_rank_to_0(problem):
    H, c = problem
    loss = mc.QuadraticLoss(H, c)
    rank = int(np.sum(loss.sigma > 0))
    lams = np.concatenate([[0.0], np.geomspace(1e-8, 1e8, 60) * max(loss.sigma[0], 1e-12)])
    df = mc.effective_df(loss.sigma, [*lams, math.inf])
    assert df[0] == pytest.approx(rank) and df[-1] == 0.0
    assert np.all(np.diff(df) <= 1e-12 * rank)  # never rises
    assert np.all((df >= 0) & (df <= rank + 1e-12))
    factors = mc.shrink_factors(loss.sigma, lams)
    assert np.all((factors >= 0) & (factors <= 1))
    np.testing.assert_allclose(factors.sum(axis=1), df[:-1])


@given(
    quadratics(n_values=(1, 2, 3, 5, 10, 30), max_log_cond=8.0),
    st.floats(0.0, 1.0, exclude_min=True, exclude_max=True),
)
@settings(max_examples=60, deadline=None)
def test_lambda_for_df_inverts_df(problem, share):
    H, c = problem
    sigma = mc.QuadraticLoss(H, c).sigma
    rank = int(np.sum(sigma > 0))
    lam = mc.lambda_for_df(sigma, share * rank)
    assert lam > 0
    assert mc.effective_df(sigma, [lam])[0] == pytest.approx(share * rank, rel=1e-10, abs=1e-12)


@given(data_problems(max_n=12, max_log_cond=6.0, multi=False), st.floats(1e-3, 1e3))
@settings(max_examples=40, deadline=None)
def test_the_path_is_the_linear_solve_and_shrinks_the_whole_vector(problem, lam):
    loss = mc.QuadraticLoss.from_data(problem.X, problem.y)
    trace = mc.ridge_trace(loss, [0.0, lam, 10 * lam])
    H = problem.X.T @ problem.X
    expected = np.linalg.solve(H + lam * np.eye(len(H)), problem.X.T @ problem.y)
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(trace.coef_path[1], expected, atol=1e-8 * scale)
    norms = np.linalg.norm(trace.coef_path, axis=1)
    assert norms[0] >= norms[1] >= norms[2]  # ‖w(λ)‖ falls, even where one w_j grows


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: mc.effective_df([1.0, -2.0], [1.0]), "sigma must be eigenvalues >= 0"),
        (lambda: mc.effective_df([], [1.0]), "at least one eigenvalue"),
        (lambda: mc.effective_df([1.0], [float("nan")]), "lams must all be >= 0"),
        (lambda: mc.effective_df([1.0], [-1.0]), "lams must all be >= 0"),
        (lambda: mc.effective_df([1.0], [[1.0]]), "lams must be a non-empty 1-D"),
        (lambda: mc.effective_df([1.0], ["a"]), "lams must be numbers"),
        (lambda: mc.lambda_for_df([1.0, 2.0], 2.5), "between 0 and the rank 2"),
        (lambda: mc.lambda_for_df([1.0, 2.0], True), "df must be a real number"),
        (lambda: mc.df_grid([1.0, 2.0], 1), "count must be an integer >= 2"),
        (lambda: mc.ridge_trace("H", [1.0]), "loss must be a QuadraticLoss"),
        (
            lambda: mc.ridge_trace(mc.QuadraticLoss(np.eye(2), np.ones((2, 2))), [1.0]),
            "single-output",
        ),
    ],
)
def test_bad_inputs_are_one_line_naming_them(call, words):
    with pytest.raises(mc.MathcoreError) as info:
        call()
    assert words in str(info.value) and "\n" not in str(info.value)


def test_the_ends_of_lambda_for_df():
    assert mc.lambda_for_df([4.0, 1.0], 2.0) == 0.0
    assert mc.lambda_for_df([4.0, 1.0], 0.0) == math.inf
    assert mc.lambda_for_df([4.0, 0.0], 0.5) == pytest.approx(4.0)  # rank 1: 4/(4 + λ) = ½
