"""Choosing λ: K-fold cross-validation of ridge against scikit-learn (KFold, StandardScaler,
Ridge, cross_val_score), the one-standard-error rule, and the exact test error against a
Monte Carlo of redrawn data sets and independent closed forms; bad inputs are one line."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import mathcore as mc

DIABETES = Path(__file__).resolve().parent.parent / "data" / "diabetes.csv"


def diabetes(columns: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    with DIABETES.open() as f:
        rows = list(csv.reader(f))
    header, values = rows[0], np.array(rows[1:], dtype=float)
    return values[:, [header.index(c) for c in columns]], values[:, header.index("progression")]


def sklearn_folds(X, y, lams, folds, intercept=True, standardize=True) -> np.ndarray:
    """(K, m): each fold's held-out MSE from scikit-learn, λ = Ridge's alpha exactly (the
    convention's ½‖Xw − y‖² + (λ/2)‖w‖² has the minimiser of ‖Xw − y‖² + λ‖w‖²)."""
    out = []
    for lam in lams:
        model = make_pipeline(
            StandardScaler(with_mean=intercept, with_std=standardize),
            Ridge(alpha=lam, fit_intercept=intercept, solver="svd"),
        )
        scores = cross_val_score(
            model, X, y, cv=KFold(n_splits=folds), scoring="neg_mean_squared_error"
        )
        out.append(-scores)
    return np.array(out).T


# --- cross-validation against scikit-learn ---------------------------------------------------

MAX_DIFF = {}  # the largest |ours − scikit-learn| seen, reported by the last test


@pytest.mark.parametrize(
    ("columns", "folds"),
    [
        (("bmi", "bp", "s1", "s2", "s5"), 10),
        (("bmi", "s5"), 5),
        (("s1", "s2"), 7),
        (("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"), 10),
    ],
)
def test_cv_equals_sklearn_on_the_diabetes_data(columns, folds):
    X, y = diabetes(columns)
    lams = np.geomspace(1e-2, 1e5, 15)
    cv = mc.cross_validate_ridge(X, y, lams, folds)
    theirs = sklearn_folds(X, y, lams, folds)
    diff = float(np.abs(cv.fold_mse - theirs).max())
    MAX_DIFF[(columns, folds)] = diff
    assert diff <= 1e-9 * float(theirs.max())
    np.testing.assert_allclose(cv.cv_mse, theirs.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(cv.cv_se, theirs.std(axis=0, ddof=1) / math.sqrt(folds), rtol=1e-9)
    assert cv.folds == folds


@st.composite
def tables(draw):
    """A random table: 12–80 rows, 2–6 columns on different scales and offsets, some
    correlated, and a response from them plus noise."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    cols = draw(st.integers(2, 6))
    rows = draw(st.integers(3 * (cols + 2), 80))
    base = rng.standard_normal((rows, cols))
    mix = np.eye(cols) + draw(st.floats(0.0, 0.9)) * rng.standard_normal((cols, cols))
    X = (base @ mix) * 10.0 ** rng.uniform(-2, 2, cols) + rng.uniform(-50, 50, cols)
    y = X @ rng.standard_normal(cols) + rng.standard_normal(rows) * 10.0 ** rng.uniform(-1, 1)
    folds = draw(st.integers(2, min(10, rows // (cols + 2))))
    return X, y, folds


@settings(max_examples=25, deadline=None)
@given(tables(), st.booleans(), st.booleans())
def test_cv_equals_sklearn_on_random_tables(table, intercept, standardize):
    X, y, folds = table
    lams = np.geomspace(1e-3, 1e3, 7)
    cv = mc.cross_validate_ridge(X, y, lams, folds, intercept, standardize)
    theirs = sklearn_folds(X, y, lams, folds, intercept, standardize)
    np.testing.assert_allclose(cv.fold_mse, theirs, rtol=1e-7, atol=1e-9 * float(theirs.max()))


def test_folds_are_kfolds_contiguous_unshuffled_blocks():
    for rows, folds in ((442, 10), (23, 5), (10, 10), (7, 2)):
        bounds = mc.kfold_bounds(rows, folds)
        theirs = [test for _, test in KFold(n_splits=folds).split(np.zeros(rows))]
        assert len(bounds) == folds + 1
        for k, test in enumerate(theirs):
            np.testing.assert_array_equal(np.arange(bounds[k], bounds[k + 1]), test)


def test_each_fold_is_prepared_with_its_training_rows_only():
    """A column whose held-out rows sit far from the rest: prepared with all rows, the fold's
    error would differ; prepared with its training rows (as the pipeline does), it equals
    scikit-learn's."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 2))
    X[:8, 0] += 25.0  # fold 1 of 5: far from the other rows
    y = X @ [1.0, -2.0] + rng.standard_normal(40)
    lams = np.array([0.5, 5.0])
    cv = mc.cross_validate_ridge(X, y, lams, 5)
    np.testing.assert_allclose(cv.fold_mse, sklearn_folds(X, y, lams, 5), rtol=1e-9)
    everything = mc.prepare(X, y)  # the leaky way: columns scaled once, with all rows
    leaky = -cross_val_score(
        Ridge(alpha=0.5), everything.X, y, cv=KFold(5), scoring="neg_mean_squared_error"
    )
    assert abs(leaky[0] - cv.fold_mse[0, 0]) > 1e-3 * cv.fold_mse[0, 0]


# --- the one-standard-error rule ---------------------------------------------------------------


def test_one_se_rule_takes_the_largest_lambda_within_one_se():
    cv_mse = np.array([5.0, 4.0, 3.0, 3.5, 3.9, 4.1, 6.0])
    cv_se = np.array([0.5, 0.5, 1.0, 0.5, 0.5, 0.5, 0.5])
    assert mc.one_se_rule(cv_mse, cv_se) == (2, 4)  # 3.9 ≤ 3 + 1 < 4.1
    assert mc.one_se_rule(cv_mse, np.zeros(7)) == (2, 2)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(0.1, 100.0), min_size=1, max_size=30).flatmap(
        lambda m: st.tuples(
            st.just(m), st.lists(st.floats(0.0, 10.0), min_size=len(m), max_size=len(m))
        )
    )
)
def test_one_se_rule_properties(pair):
    cv_mse, cv_se = (np.array(v) for v in pair)
    i_min, i_1se = mc.one_se_rule(cv_mse, cv_se)
    assert cv_mse[i_min] == cv_mse.min() and i_1se >= i_min
    assert cv_mse[i_1se] <= cv_mse[i_min] + cv_se[i_min]
    assert np.all(cv_mse[i_1se + 1 :] > cv_mse[i_min] + cv_se[i_min])


def test_lam_min_and_lam_1se_are_on_the_grid_and_ordered():
    X, y = diabetes(("bmi", "bp", "s1", "s2", "s5"))
    lams = np.geomspace(0.1, 1e5, 121)
    cv = mc.cross_validate_ridge(X, y, lams, 10)
    assert cv.lam_min == lams[np.argmin(cv.cv_mse)] and cv.lam_1se >= cv.lam_min
    assert cv.cv_mse[cv.i_1se] <= cv.threshold < cv.cv_mse[cv.i_1se + 1]
    assert 1.0 < cv.lam_min < 10.0 and 100.0 < cv.lam_1se < 400.0  # ESL's picture: flat, then up


# --- the exact test error --------------------------------------------------------------------


def independent_risk(H, w_true, noise, lam, rows):
    """bias² = bᵀHb/rows, variance = tr(HC)/rows with b and C by direct matrix algebra."""
    n = len(w_true)
    A = np.linalg.inv(H + lam * np.eye(n))
    b = -lam * A @ w_true
    C = noise**2 * A @ H @ A
    return b @ H @ b / rows, np.trace(H @ C) / rows


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(-3, 3), min_size=n * n, max_size=n * n),
            st.lists(st.floats(-5, 5), min_size=n, max_size=n),
        )
    ),
    st.floats(0.05, 20.0),
    st.floats(-3.0, 3.0),
    st.integers(5, 200),
)
def test_prediction_risk_is_the_closed_form(draw, noise, log_lam, rows):
    entries, w_true = draw
    n = len(w_true)
    B = np.array(entries).reshape(n, n)
    H = B @ B.T + 0.1 * np.eye(n)
    lam = 10.0**log_lam
    r = mc.prediction_risk(H, w_true, noise, [0.0, lam], rows)
    bias2, variance = independent_risk(H, np.array(w_true), noise, lam, rows)
    assert r.bias2[1] == pytest.approx(bias2, rel=1e-7, abs=1e-12)
    assert r.variance[1] == pytest.approx(variance, rel=1e-7)
    assert r.test_mse[1] == pytest.approx(noise**2 + bias2 + variance, rel=1e-7)
    assert r.bias2[0] == 0.0 and r.variance[0] == pytest.approx(noise**2 * n / rows, rel=1e-9)


def test_prediction_risk_matches_redrawn_data_sets():
    """Monte Carlo: fits of 20 000 data sets drawn with a design X (XᵀX = H), each scored on
    a new observation drawn like X's rows, average to the exact bias², variance and test
    error."""
    rng = np.random.default_rng(11)
    rows, noise, lam = 15, 1.3, 2.0
    H = np.array([[6.0, 3.5], [3.5, 3.0]])
    w_true = np.array([1.0, -0.5])
    fits = mc.simulate_fits(H, w_true, noise, 20000, [lam], seed=5, rows=rows)
    w = fits.ridge[0]  # (samples, 2)
    mean = w.mean(axis=0)
    r = mc.prediction_risk(H, w_true, noise, [lam], rows)
    new_rows = fits.X[rng.integers(0, rows, len(w))]  # x₀ drawn like X's rows: E x₀x₀ᵀ = H/rows
    y0 = new_rows @ w_true + noise * rng.standard_normal(len(w))
    test = np.mean((y0 - np.sum(new_rows * w, axis=1)) ** 2)
    bias2 = (mean - w_true) @ H @ (mean - w_true) / rows
    variance = np.trace(H @ np.cov(w.T)) / rows
    assert bias2 == pytest.approx(r.bias2[0], rel=0.05)
    assert variance == pytest.approx(r.variance[0], rel=0.05)
    assert test == pytest.approx(r.test_mse[0], rel=0.03)


def test_the_best_lambda_minimises_the_exact_test_error():
    H = np.array([[6.0, 3.5], [3.5, 3.0]])
    w_true, noise, rows = np.array([1.0, -0.5]), 1.3, 15
    lams = np.geomspace(1e-3, 1e3, 61)
    best = mc.best_prediction_lambda(H, w_true, noise, rows, lams)
    fine = np.geomspace(best / 1.5, best * 1.5, 2001)
    errors = mc.prediction_risk(H, w_true, noise, fine, rows).test_mse
    at_best = mc.prediction_risk(H, w_true, noise, [best], rows).test_mse[0]
    assert at_best <= errors.min() + 1e-12
    # one direction: the closed form λ* = σ²/a² (rows and σⱼ drop out)
    one = mc.best_prediction_lambda([[4.0]], [2.0], 3.0, 10, lams)
    assert one == pytest.approx(9.0 / 4.0, rel=1e-6)


def test_residual_noise_is_the_least_squares_residual():
    X, y = diabetes(("bmi", "s5"))
    p = mc.prepare(X, y)
    w = np.linalg.lstsq(np.column_stack([np.ones(len(y)), X]), y, rcond=None)[0]
    residual = y - np.column_stack([np.ones(len(y)), X]) @ w
    expected = math.sqrt(residual @ residual / (len(y) - 3))
    assert mc.residual_noise(p.X, p.y) == pytest.approx(expected, rel=1e-10)


# --- bad inputs: one line ----------------------------------------------------------------------


def one_line(call, *words):
    with pytest.raises(mc.MathcoreError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_bad_inputs_are_refused_in_one_line():
    X = np.random.default_rng(0).standard_normal((30, 2))
    y = X @ [1.0, 2.0]
    lams = [0.1, 1.0]
    one_line(lambda: mc.cross_validate_ridge(X[:4], y[:4], lams, 5), "folds = 5", "4 rows")
    one_line(lambda: mc.cross_validate_ridge(X, y, lams, 1), "folds must be from 2")
    one_line(lambda: mc.cross_validate_ridge(X, y, lams, 2.5), "folds must be a whole number")
    one_line(lambda: mc.cross_validate_ridge(X, y, [1.0, 0.5], 5), "increasing")
    one_line(lambda: mc.cross_validate_ridge(X, y, [0.0, 1.0], 5), "> 0")
    one_line(lambda: mc.cross_validate_ridge(X, y[:-1], lams, 5), "y must have 30 rows")
    one_line(
        lambda: mc.cross_validate_ridge(X[:3], y[:3], lams, 3), "fold 1 of 3", "2 training rows"
    )
    # a column constant on one fold's training rows (it varies only in the held-out rows)
    Z = X.copy()
    Z[:, 1] = 0.0
    Z[:6, 1] = np.arange(1, 7)
    one_line(
        lambda: mc.cross_validate_ridge(Z, y, lams, 5),
        "fold 1 of 5",
        "all but 1–6",
        "column 1 is constant",
    )
    H = np.array([[2.0, 0.5], [0.5, 1.0]])
    one_line(lambda: mc.prediction_risk(H, [1.0, 1.0], 0.0, lams, 10), "noise")
    one_line(lambda: mc.prediction_risk(H, [1.0, 1.0], -1.0, lams, 10), "noise")
    one_line(lambda: mc.prediction_risk(H, [1.0, 1.0], 1.0, lams, 0), "rows")
    one_line(lambda: mc.prediction_risk(H, [1.0], 1.0, lams, 10), "w_true")
    one_line(lambda: mc.one_se_rule([1.0, 2.0], [0.1]), "one length")


def test_the_agreement_with_sklearn_is_reported():
    """Runs last in this file: the largest absolute difference from scikit-learn, printed."""
    if MAX_DIFF:
        print(f"\nmax |ours − scikit-learn| over the diabetes cases: {max(MAX_DIFF.values()):.3g}")
