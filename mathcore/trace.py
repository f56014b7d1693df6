"""The ridge trace: every coefficient of w(λ) against the effective degrees of freedom.

For prepared columns X (rows × p) and f(w) = ½ ||Xw − y||², with H = XᵀX = QΣQᵀ and ŵ the
least-squares fit (DESIGN.md's convention, mathcore.ridge):
    w(λ) = (H + λI)⁻¹ H ŵ = (XᵀX + λI)⁻¹ Xᵀy = Q diag(σⱼ / (σⱼ + λ)) Qᵀ ŵ,
which is scikit-learn's Ridge(alpha=λ) on those columns, and
    df(λ) = tr X (XᵀX + λI)⁻¹ Xᵀ = Σⱼ σⱼ / (σⱼ + λ),
the effective degrees of freedom (ESL eq. 3.50): the rank of X at λ = 0, falling steadily
to 0 as λ → ∞. Each term is the factor by which ridge shrinks ŵ's coordinate along qⱼ, so
df(λ) is the sum of the eigen view's p shrink factors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import MathcoreError, _short, finite_array, lambda_values
from .loss import QuadraticLoss
from .ridge import ridge_path


def _eigenvalues(sigma) -> np.ndarray:
    """σ as a non-empty 1-D array of finite numbers ≥ 0 (raises MathcoreError)."""
    sigma = finite_array("sigma", sigma, ndim=1)
    if sigma.size == 0:
        raise MathcoreError("sigma must hold at least one eigenvalue, got none")
    if np.any(sigma < 0):
        raise MathcoreError(f"sigma must be eigenvalues >= 0 of H = XᵀX, got {_short(sigma)}")
    return sigma


def shrink_factors(sigma, lams) -> np.ndarray:
    """σⱼ / (σⱼ + λ) for every λ (rows) and eigenvalue (columns): 1 at λ = 0 for σⱼ > 0,
    0 for λ = inf, and 0 for σⱼ = 0 (a direction the data do not see carries no weight)."""
    sigma, lams = _eigenvalues(sigma), lambda_values(lams)
    lam = lams[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        factors = sigma / (sigma + lam)
    factors = np.where(np.isinf(lam), 0.0, factors)
    return np.where(sigma > 0, np.where(lam == 0, 1.0, factors), 0.0)


def effective_df(sigma, lams) -> np.ndarray:
    """df(λ) = Σⱼ σⱼ / (σⱼ + λ) for every λ in `lams`: the rank at λ = 0, 0 at λ = inf."""
    return shrink_factors(sigma, lams).sum(axis=1)


def lambda_for_df(sigma, df: float) -> float:
    """The λ ≥ 0 with df(λ) = `df`, for 0 ≤ df ≤ rank (the number of σⱼ > 0): 0 at the rank,
    inf at 0. df(λ) falls strictly, and r·σ_min/(σ_min + λ) ≤ df(λ) ≤ r·σ_max/(σ_max + λ)
    brackets the root between σ_min (r − df)/df and σ_max (r − df)/df; Brent's method
    finds it to a relative 1e-14."""
    from scipy.optimize import brentq

    sigma = _eigenvalues(sigma)
    positive = sigma[sigma > 0]
    rank = positive.size
    if isinstance(df, bool) or not isinstance(df, int | float | np.integer | np.floating):
        raise MathcoreError(f"df must be a real number, got {df!r}")
    df = float(df)
    if not (0 <= df <= rank):
        raise MathcoreError(f"df must be between 0 and the rank {rank} of H, got {df!r}")
    if rank == 0 or df == 0:
        return math.inf
    if df == rank:
        return 0.0
    lo = float(positive.min()) * (rank - df) / df
    hi = float(positive.max()) * (rank - df) / df

    def gap(lam: float) -> float:
        return float(np.sum(positive / (positive + lam))) - df

    if gap(lo) <= 0:  # every σ equal (to rounding): the bracket's ends are the root
        return lo
    if gap(hi) >= 0:
        return hi
    return float(brentq(gap, lo, hi, xtol=1e-300, rtol=1e-14, maxiter=500))


def df_grid(sigma, count: int) -> np.ndarray:
    """`count` values of λ, ascending, at which df(λ) falls evenly from the rank r to 0:
    λᵢ = λ(df = r (1 − i/(count − 1))), so λ₀ = 0 and the last is inf. A plot against df
    sampled at these is sampled evenly along its x axis."""
    sigma = _eigenvalues(sigma)
    if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 2:
        raise MathcoreError(f"count must be an integer >= 2, got {count!r}")
    rank = int(np.sum(sigma > 0))
    targets = rank * (1.0 - np.arange(count) / (count - 1))
    return np.array([lambda_for_df(sigma, float(d)) for d in targets])


@dataclass(frozen=True)
class RidgeTrace:
    """The ridge trace of a p-weight problem over a grid of λ."""

    lambdas: np.ndarray  # (m,) the λ grid, as given (inf allowed)
    df: np.ndarray  # (m,) df(λ) = Σⱼ σⱼ/(σⱼ + λ)
    coef_path: np.ndarray  # (m, p) w(λ): one row per λ, one column per weight (feature order)
    sigma: np.ndarray  # (p,) the eigenvalues of H, descending
    factors: np.ndarray  # (m, p) σⱼ/(σⱼ + λ), columns in the order of sigma
    least_squares: np.ndarray  # (p,) ŵ = w(0)

    @property
    def p(self) -> int:
        return int(self.sigma.size)


def ridge_trace(loss: QuadraticLoss, lams) -> RidgeTrace:
    """w(λ) = (H + λI)⁻¹ H ŵ and df(λ) for every λ in `lams` (one eigendecomposition, the
    loss's). With the loss of prepared columns (`loss_from_columns`), each row of coef_path
    is scikit-learn's Ridge(alpha=λ) on those columns."""
    if not isinstance(loss, QuadraticLoss):
        raise MathcoreError(f"loss must be a QuadraticLoss, got {type(loss).__name__}")
    if loss.multi_output:
        raise MathcoreError("ridge_trace needs a single-output loss (one response y)")
    lams = lambda_values(lams)
    return RidgeTrace(
        lambdas=lams.copy(),
        df=effective_df(loss.sigma, lams),
        coef_path=ridge_path(loss, lams),
        sigma=loss.sigma.copy(),
        factors=shrink_factors(loss.sigma, lams),
        least_squares=loss.center.copy(),
    )
