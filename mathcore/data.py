"""From data to the problem: prepare the columns, then f(w) = ½ ||Xw − y||².

With an intercept, the columns and the response are centred (the intercept is the mean of
y and does not shrink); standardising divides each column by its standard deviation about
its mean (population, as scikit-learn's StandardScaler, also without centring), so that the
penalty treats the columns alike. Then w(λ) = (XᵀX + λI)⁻¹Xᵀy is scikit-learn's
Ridge(alpha=λ, fit_intercept=False) on the prepared columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import MathcoreError, finite_array
from .loss import QuadraticLoss


@dataclass(frozen=True)
class Prepared:
    """Columns ready for the loss, and what was done to them."""

    X: np.ndarray
    y: np.ndarray
    means: np.ndarray  # subtracted from each column (zeros without an intercept)
    scales: np.ndarray  # each column divided by this (ones without standardising)
    y_mean: float
    intercept: bool
    standardize: bool


def prepare(X, y, intercept: bool = True, standardize: bool = True) -> Prepared:
    """Centre (with `intercept`) and standardise the columns of X; centre y with them.

    Raises MathcoreError naming the column (by index) that is constant (it cannot be
    standardised or carries nothing beyond the intercept), and when there are fewer rows
    than columns."""
    X = finite_array("X", X, ndim=2)
    y = finite_array("y", y, ndim=1)
    rows, cols = X.shape
    if y.shape[0] != rows:
        raise MathcoreError(f"y must have {rows} rows to match X, got {y.shape[0]}")
    if rows <= cols:
        raise MathcoreError(f"need more rows than columns, got {rows} rows and {cols} columns")
    means = X.mean(axis=0) if intercept else np.zeros(cols)
    size = np.abs(X).max(axis=0)
    size = np.where(size > 0, size, 1.0)
    spread = (X / size).std(axis=0) * size  # about the mean (as StandardScaler); computed on
    # the column scaled to 1, so that values near 1e-200 do not underflow when squared
    flat = np.flatnonzero(spread <= 1e-12 * size)
    if flat.size:
        raise MathcoreError(f"column {int(flat[0])} is constant: it carries no information")
    scales = spread if standardize else np.ones(cols)
    y_mean = float(y.mean()) if intercept else 0.0
    return Prepared((X - means) / scales, y - y_mean, means, scales, y_mean, intercept, standardize)


def loss_from_columns(prepared: Prepared, max_condition: float = 1e12) -> QuadraticLoss:
    """f(w) = ½ ||X w − y||² of prepared columns; raises MathcoreError when XᵀX is singular
    (collinear columns: the least-squares solution is not unique) or nearly so."""
    loss = QuadraticLoss.from_data(prepared.X, prepared.y)
    if loss.sigma[-1] <= loss.sigma[0] / max_condition:
        raise MathcoreError(
            f"the columns are collinear: XᵀX has eigenvalues {np.round(loss.sigma, 6).tolist()}, "
            "so the least-squares solution is not unique"
        )
    return loss
