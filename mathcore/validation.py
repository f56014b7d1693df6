"""Choosing λ: K-fold cross-validation of ridge, and the exact test error it estimates.

Cross-validation. The rows are cut into K contiguous folds, in order and unshuffled, as
scikit-learn's KFold(n_splits=K): the first (rows mod K) folds have ⌊rows/K⌋ + 1 rows, the
others ⌊rows/K⌋. For fold k, its training rows (all the others) are prepared as `--data`
prepares a table (`prepare`: centred, and scaled by their own standard deviation), the
held-out rows with the training rows' means and scales, and

    w_k(λ) = (XₖᵀXₖ + λI)⁻¹ Xₖᵀ yₖ,     MSE_k(λ) = mean over the held-out rows of (y − ŷ)²,

with ŷ = x̃ᵀ w_k(λ) + ȳₖ (x̃ the prepared row, ȳₖ the training rows' mean of y). This is the
convention's ridge (½‖Xw − y‖² + (λ/2)‖w‖², the same minimiser as ‖Xw − y‖² + λ‖w‖²), so
MSE_k(λ) is scikit-learn's `cross_val_score(make_pipeline(StandardScaler(), Ridge(alpha=λ)),
X, y, cv=KFold(K), scoring="neg_mean_squared_error")` with the sign turned. Then

    CV(λ) = (1/K) Σₖ MSE_k(λ),     SE(λ) = sd_k(MSE_k(λ)) / √K  (sd with K − 1),

λ_min minimises CV on the grid, and the one-standard-error rule takes the largest λ of the grid
with CV(λ) ≤ CV(λ_min) + SE(λ_min) (ESL §7.10; glmnet's lambda.1se).

The exact test error. Data y = X w_true + ε, ε ~ N(0, σ² I), from a design X with XᵀX = H
and `rows` rows; a new observation (x₀, y₀) drawn like the design's rows (E x₀x₀ᵀ = H/rows).
With the ridge fit w(λ) of sampling.py (bias b(λ) = −λ(H + λI)⁻¹w_true, covariance
C(λ) = σ²(H + λI)⁻¹H(H + λI)⁻¹):

    E(y₀ − x₀ᵀw(λ))² = σ² + b(λ)ᵀHb(λ)/rows + tr(H C(λ))/rows
                     = noise     + bias²          + variance,

in H's eigenbasis (aⱼ = qⱼᵀ w_true) bias² = Σⱼ σⱼ λ² aⱼ² / (σⱼ + λ)² / rows and variance =
Σⱼ σ² σⱼ² / (σⱼ + λ)² / rows: the variance falls as λ grows, the bias² rises, and their sum
has its minimum in between.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from ._validate import MathcoreError, _short, finite_array, lambda_values, positive
from .data import prepare
from .sampling import ridge_risk

MAX_FOLDS = 100
"""The most folds cross-validation takes (leave-one-out on a large table is not this scene)."""


def kfold_bounds(rows: int, folds: int) -> np.ndarray:
    """The row boundaries of K contiguous folds, as scikit-learn's KFold(K): fold k is rows
    bounds[k]:bounds[k + 1]; the first (rows mod K) folds have one row more."""
    if isinstance(folds, bool) or not isinstance(folds, int | np.integer):
        raise MathcoreError(f"folds must be a whole number, got {folds!r}")
    if not 2 <= folds <= MAX_FOLDS:
        raise MathcoreError(f"folds must be from 2 to {MAX_FOLDS}, got {folds}")
    if rows < folds:
        raise MathcoreError(
            f"folds = {folds} needs at least one row per fold, but the table has {rows} rows"
        )
    sizes = np.full(folds, rows // folds)
    sizes[: rows % folds] += 1
    return np.concatenate([[0], np.cumsum(sizes)]).astype(int)


def one_se_rule(cv_mse, cv_se) -> tuple[int, int]:
    """(i_min, i_1se): the index of the smallest CV error (the first, on ties), and the
    largest index whose CV error is at most CV[i_min] + SE[i_min] (λ increasing)."""
    cv_mse = finite_array("cv_mse", cv_mse, ndim=1)
    cv_se = finite_array("cv_se", cv_se, ndim=1)
    if cv_mse.shape != cv_se.shape or cv_mse.size == 0:
        raise MathcoreError(
            f"cv_mse and cv_se must be non-empty and of one length, got {cv_mse.size} and "
            f"{cv_se.size}"
        )
    if np.any(cv_se < 0):
        raise MathcoreError(f"cv_se must be >= 0, got {_short(cv_se)}")
    i_min = int(np.argmin(cv_mse))
    within = np.flatnonzero(cv_mse <= cv_mse[i_min] + cv_se[i_min])
    return i_min, int(within.max())


@dataclass(frozen=True)
class CrossValidation:
    """K-fold cross-validation of ridge over a λ grid (see the module's docstring)."""

    lams: np.ndarray  # (m,) the grid, increasing
    bounds: np.ndarray  # (K + 1,) fold k holds out rows bounds[k]:bounds[k + 1]
    fold_mse: np.ndarray  # (K, m) each fold's held-out mean squared error at each λ
    cv_mse: np.ndarray  # (m,) their mean over the folds
    cv_se: np.ndarray  # (m,) their standard deviation (K − 1) over √K
    i_min: int  # the grid index of λ_min
    i_1se: int  # the grid index of λ_1se

    @property
    def folds(self) -> int:
        return len(self.bounds) - 1

    @property
    def lam_min(self) -> float:
        return float(self.lams[self.i_min])

    @property
    def lam_1se(self) -> float:
        return float(self.lams[self.i_1se])

    @property
    def threshold(self) -> float:
        """CV(λ_min) + SE(λ_min): the one-standard-error rule's ceiling."""
        return float(self.cv_mse[self.i_min] + self.cv_se[self.i_min])


def cross_validate_ridge(
    X, y, lams, folds: int = 10, intercept: bool = True, standardize: bool = True
) -> CrossValidation:
    """K-fold cross-validated mean squared error of ridge at every λ of `lams` (> 0,
    increasing), each fold prepared with its training rows only (`prepare`); raises
    MathcoreError when there are fewer rows than folds, when a fold's training rows are no
    more than the columns, or when a column is constant on a fold's training rows (the
    message names the fold and the column by index)."""
    X = finite_array("X", X, ndim=2)
    y = finite_array("y", y, ndim=1)
    lams = lambda_values(lams, allow_inf=False, above_zero=True, increasing=True)
    rows, cols = X.shape
    if y.shape[0] != rows:
        raise MathcoreError(f"y must have {rows} rows to match X, got {y.shape[0]}")
    bounds = kfold_bounds(rows, folds)
    fold_mse = np.empty((len(bounds) - 1, len(lams)))
    for k, (start, stop) in enumerate(itertools.pairwise(bounds)):
        train = np.r_[0:start, stop:rows]
        where = f"fold {k + 1} of {folds} (training rows: all but {start + 1}–{stop})"
        if len(train) <= cols:
            raise MathcoreError(
                f"{where}: {len(train)} training rows for {cols} columns; use fewer folds "
                "or more rows"
            )
        try:
            p = prepare(X[train], y[train], intercept, standardize)
        except MathcoreError as err:
            raise MathcoreError(f"{where}: {err}") from None
        U, S, Vt = np.linalg.svd(p.X, full_matrices=False)
        rotated = U.T @ p.y
        W = (S / (S**2 + lams[:, None]) * rotated) @ Vt  # (m, cols): (XᵀX + λI)⁻¹Xᵀy
        held = (X[start:stop] - p.means) / p.scales
        predicted = held @ W.T + p.y_mean  # (rows held out, m)
        fold_mse[k] = np.mean((y[start:stop, None] - predicted) ** 2, axis=0)
    cv_mse = fold_mse.mean(axis=0)
    cv_se = fold_mse.std(axis=0, ddof=1) / math.sqrt(fold_mse.shape[0])
    i_min, i_1se = one_se_rule(cv_mse, cv_se)
    return CrossValidation(lams, bounds, fold_mse, cv_mse, cv_se, i_min, i_1se)


@dataclass(frozen=True)
class PredictionRisk:
    """The exact test error of ridge on data from a known w_true, split by source, at every
    λ of `lams` (see the module's docstring)."""

    lams: np.ndarray  # (m,)
    bias2: np.ndarray  # (m,) b(λ)ᵀHb(λ)/rows
    variance: np.ndarray  # (m,) tr(H C(λ))/rows
    noise2: float  # σ², the error no fit can remove

    @property
    def reducible(self) -> np.ndarray:
        """bias² + variance: the part of the test error λ acts on."""
        return self.bias2 + self.variance

    @property
    def test_mse(self) -> np.ndarray:
        """σ² + bias² + variance: the expected squared error on a new observation."""
        return self.noise2 + self.reducible


def _rows(rows) -> int:
    if isinstance(rows, bool) or not isinstance(rows, int | np.integer) or rows < 1:
        raise MathcoreError(f"rows must be a whole number >= 1, got {rows!r}")
    return int(rows)


def prediction_risk(H, w_true, noise: float, lams, rows: int) -> PredictionRisk:
    """bias², variance and test error σ² + bias² + variance of the ridge fit w(λ) for a new
    observation drawn like the design's rows (XᵀX = H, `rows` rows), at every λ ≥ 0 of
    `lams`: sampling.ridge_risk's spread and squared bias along qⱼ, each weighted by σⱼ/rows."""
    risk = ridge_risk(H, w_true, noise, lams)  # validates H, w_true, noise and lams
    weight = risk.sigma / _rows(rows)
    return PredictionRisk(
        risk.lams,
        risk.bias2_along @ weight,
        risk.spread_along @ weight,
        float(noise) ** 2,
    )


def best_prediction_lambda(H, w_true, noise: float, rows: int, lams) -> float:
    """The λ > 0 with the smallest exact test error, found within the span of `lams` (a
    λ grid, increasing): the grid's best point, refined by bounded Brent in log λ between its
    neighbours. At either end of the grid when the error keeps falling beyond it."""
    lams = lambda_values(lams, allow_inf=False, above_zero=True, increasing=True)
    positive("noise", noise)
    test = prediction_risk(H, w_true, noise, lams, rows).test_mse
    i = int(np.argmin(test))
    if len(lams) < 3 or i in (0, len(lams) - 1):
        return float(lams[i])

    def error(t: float) -> float:
        return float(prediction_risk(H, w_true, noise, [math.exp(t)], rows).test_mse[0])

    found = minimize_scalar(
        error,
        bounds=(math.log(lams[i - 1]), math.log(lams[i + 1])),
        method="bounded",
        options={"xatol": 1e-10},
    )
    return float(math.exp(found.x)) if found.fun <= test[i] else float(lams[i])


def residual_noise(X, y, intercept: bool = True) -> float:
    """σ̂ = ‖y − Xŵ‖ / √(rows − columns − 1) of prepared columns (− 1 for the intercept, when
    y was centred for it): the noise a least-squares fit leaves, an estimate of σ."""
    X = finite_array("X", X, ndim=2)
    y = finite_array("y", y, ndim=1)
    rows, cols = X.shape
    spent = cols + (1 if intercept else 0)
    if y.shape[0] != rows or rows <= spent:
        raise MathcoreError(
            f"need more than {spent} rows of y matching X for a residual, got {y.shape[0]}"
        )
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    residual = y - X @ w
    return float(np.linalg.norm(residual) / math.sqrt(rows - spent))
