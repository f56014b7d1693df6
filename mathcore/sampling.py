"""Sampling: the least-squares and ridge fits when the data are drawn again and again.

A fixed design X (rows × n) with XᵀX = H; each data set is y = X w_true + ε with
ε ~ N(0, σ² I) (σ = `noise`). Per data set

    ŵ = H⁻¹ Xᵀy,        w(λ) = (H + λI)⁻¹ Xᵀy  (= (H + λI)⁻¹ H ŵ: the convention's ridge of
                                               the loss ½‖Xw − y‖², centre ŵ),

so over data sets, since Xᵀy = H w_true + Xᵀε and Xᵀε ~ N(0, σ² H):

    ŵ ~ N(w_true, σ² H⁻¹),      w(λ) ~ N(w_true + b(λ), C(λ)),
    b(λ) = −λ (H + λI)⁻¹ w_true,    C(λ) = σ² (H + λI)⁻¹ H (H + λI)⁻¹,

and the mean squared error E‖w(λ) − w_true‖² = tr C(λ) + ‖b(λ)‖². In H's eigenbasis
(H = QΣQᵀ, aⱼ = qⱼᵀ w_true) both split by direction:

    spread along qⱼ = σ² σⱼ / (σⱼ + λ)²,    bias² along qⱼ = λ² aⱼ² / (σⱼ + λ)².

The spread along the small-σ direction is the one that is large, and the one λ cuts most.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from ._validate import (
    MathcoreError,
    _short,
    finite_array,
    lambda_values,
    nonnegative_lambda,
    positive,
)
from .loss import QuadraticLoss

MAX_SAMPLES = 1_000_000
"""The most data sets `simulate_fits` draws at once (a bound on memory, not on the maths)."""


def _eigen(H) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(H, σ descending, Q) of a symmetric positive definite H (refused otherwise: with a
    zero eigenvalue the least-squares fit is not unique and σ² H⁻¹ does not exist)."""
    loss = QuadraticLoss(H, np.zeros(np.shape(H)[0]) if np.ndim(H) == 2 else [0.0])
    if loss.multi_output or loss.sigma[-1] <= 0:
        raise MathcoreError(
            f"H must be positive definite (eigenvalues {loss.sigma.tolist()}): with a zero "
            "eigenvalue the least-squares fit is not unique"
        )
    return loss.H, loss.sigma, loss.Q


def _vector(name: str, value, n: int) -> np.ndarray:
    v = finite_array(name, value, ndim=1)
    if v.shape != (n,):
        raise MathcoreError(f"{name} must have {n} entries to match H, got {_short(value)}")
    return v


def ols_cov(H, noise: float) -> np.ndarray:
    """σ² H⁻¹: the covariance of the least-squares fit ŵ over redrawn data (= Q diag(σ²/σⱼ) Qᵀ)."""
    _, sigma, Q = _eigen(H)
    s2 = positive("noise", noise) ** 2
    return (Q * (s2 / sigma)) @ Q.T


def ridge_cov(H, noise: float, lam: float) -> np.ndarray:
    """σ² (H + λI)⁻¹ H (H + λI)⁻¹: the covariance of the ridge fit w(λ) over redrawn data
    (= Q diag(σ² σⱼ / (σⱼ + λ)²) Qᵀ); λ = 0 gives σ² H⁻¹."""
    _, sigma, Q = _eigen(H)
    s2 = positive("noise", noise) ** 2
    lam = nonnegative_lambda("lam", lam, allow_inf=False)
    return (Q * (s2 * sigma / (sigma + lam) ** 2)) @ Q.T


def ridge_bias(H, w_true, lam: float) -> np.ndarray:
    """b(λ) = E w(λ) − w_true = −λ (H + λI)⁻¹ w_true (= −Q diag(λ/(σⱼ + λ)) Qᵀ w_true)."""
    _, sigma, Q = _eigen(H)
    w_true = _vector("w_true", w_true, len(sigma))
    lam = nonnegative_lambda("lam", lam, allow_inf=False)
    return -Q @ (lam / (sigma + lam) * (Q.T @ w_true))


@dataclass(frozen=True)
class Risk:
    """The exact spread and bias of the ridge fit at each λ, split by H's eigenvectors:
    row i is λ = lams[i], column j the direction qⱼ (σ descending)."""

    lams: np.ndarray  # (m,)
    sigma: np.ndarray  # (n,) eigenvalues of H, descending
    Q: np.ndarray  # (n, n) their eigenvectors, columns q₁, q₂, …
    spread_along: np.ndarray  # (m, n): σ² σⱼ / (σⱼ + λ)², the variance along qⱼ
    bias2_along: np.ndarray  # (m, n): λ² aⱼ² / (σⱼ + λ)², the squared bias along qⱼ
    bias: np.ndarray  # (m, n): b(λ) = −λ (H + λI)⁻¹ w_true, in the original coordinates

    @property
    def spread(self) -> np.ndarray:
        """tr C(λ): the mean squared distance of a fit from the fits' mean."""
        return self.spread_along.sum(axis=1)

    @property
    def bias2(self) -> np.ndarray:
        """‖b(λ)‖²: the squared distance of the fits' mean from w_true."""
        return self.bias2_along.sum(axis=1)

    @property
    def mse(self) -> np.ndarray:
        """E‖w(λ) − w_true‖² = tr C(λ) + ‖b(λ)‖²."""
        return self.spread + self.bias2


def ridge_risk(H, w_true, noise: float, lams) -> Risk:
    """Spread, bias and mean squared error of w(λ) for every λ in `lams` (closed forms in
    H's eigenbasis; λ = 0 is least squares: spread tr σ²H⁻¹, bias 0)."""
    _, sigma, Q = _eigen(H)
    w_true = _vector("w_true", w_true, len(sigma))
    s2 = positive("noise", noise) ** 2
    lams = lambda_values(lams, allow_inf=False)[:, None]
    a = Q.T @ w_true
    spread = s2 * sigma / (sigma + lams) ** 2
    bias2 = (lams * a / (sigma + lams)) ** 2
    bias = -(lams * a / (sigma + lams)) @ Q.T
    return Risk(lams[:, 0].copy(), sigma, Q, spread, bias2, bias)


def _mse(sigma, a, s2, lam):
    return float(np.sum((s2 * sigma + lam**2 * a**2) / (sigma + lam) ** 2))


def _mse_slope(sigma, a, s2, lam):
    """d/dλ of Σⱼ (s σⱼ + λ² aⱼ²)/(σⱼ + λ)² = Σⱼ 2σⱼ (λ aⱼ² − s)/(σⱼ + λ)³."""
    return float(np.sum(2 * sigma * (lam * a**2 - s2) / (sigma + lam) ** 3))


def best_lambda(H, w_true, noise: float) -> float:
    """The λ ≥ 0 that minimises the exact mean squared error tr C(λ) + ‖b(λ)‖².

    The slope Σⱼ 2σⱼ (λ aⱼ² − σ²)/(σⱼ + λ)³ is negative below minⱼ σ²/aⱼ² (so the minimiser
    is positive: a little ridge always beats least squares) and positive above maxⱼ σ²/aⱼ²;
    every sign change in between is found and the lowest minimum kept. Refused for
    w_true = 0, where the error falls for every λ (the best λ is infinite)."""
    _, sigma, Q = _eigen(H)
    w_true = _vector("w_true", w_true, len(sigma))
    s2 = positive("noise", noise) ** 2
    a2 = (Q.T @ w_true) ** 2
    a2[a2 <= 1e-30 * max(float(a2.max()), 1e-300)] = 0.0
    if not np.any(a2 > 0):
        raise MathcoreError(
            "w_true is 0: every λ > 0 lowers the error (no bias to pay), so no finite λ is best"
        )
    a = np.sqrt(a2)
    stationary = s2 / a2[a2 > 0]
    lo, hi = float(stationary.min()), float(stationary.max())
    if np.any(a2 == 0):  # that direction's spread keeps falling: search further out
        while _mse_slope(sigma, a, s2, hi) <= 0:
            hi *= 2.0
    if hi <= lo * (1 + 1e-12):
        return lo
    grid = np.geomspace(lo, hi, 513)
    slopes = np.array([_mse_slope(sigma, a, s2, lam) for lam in grid])
    best, best_mse = hi, _mse(sigma, a, s2, hi)
    for i in np.flatnonzero((slopes[:-1] < 0) & (slopes[1:] >= 0)):
        lam = brentq(
            lambda x: _mse_slope(sigma, a, s2, x),
            grid[i],
            grid[i + 1],
            xtol=1e-14 * grid[i + 1],
            rtol=4 * np.finfo(float).eps,
        )
        value = _mse(sigma, a, s2, lam)
        if value < best_mse:
            best, best_mse = lam, value
    return float(best)


def noise_for_lambda(H, w_true, lam: float) -> float:
    """The noise σ at which λ is a stationary point of the mean squared error:
    σ² = λ Σⱼ wⱼ aⱼ² / Σⱼ wⱼ with wⱼ = σⱼ/(σⱼ + λ)³ (the slope's zero solved for σ²)."""
    _, sigma, Q = _eigen(H)
    w_true = _vector("w_true", w_true, len(sigma))
    lam = positive("lam", lam)
    if not np.any(w_true):
        raise MathcoreError("w_true is 0: no noise level makes a finite λ the best one")
    weights = sigma / (sigma + lam) ** 3
    a2 = (Q.T @ w_true) ** 2
    return math.sqrt(lam * float(weights @ a2) / float(weights.sum()))


def visible_noise(H, w_true, reach: float) -> float:
    """The noise σ whose least-squares fits spread `reach` ‖w_true‖ (one standard deviation)
    along the poorly determined direction q_n: σ / √σ_n = reach ‖w_true‖, so
    σ = reach ‖w_true‖ √σ_n (σ_n the smallest eigenvalue of H)."""
    _, sigma, _ = _eigen(H)
    w_true = _vector("w_true", w_true, len(sigma))
    reach = positive("reach", reach)
    size = float(np.linalg.norm(w_true))
    if size == 0:
        raise MathcoreError(
            "w_true is 0: give the noise level, there is no scale to derive it from"
        )
    return reach * size * math.sqrt(float(sigma[-1]))


def coverage_radius(level: float) -> float:
    """The Mahalanobis radius r of the ellipse holding `level` of a 2-D normal's mass:
    P(‖z‖ ≤ r) = 1 − exp(−r²/2) for z ~ N(0, I₂), so r = √(−2 ln(1 − level))."""
    level = float(finite_array("level", level, ndim=0))
    if not 0 < level < 1:
        raise MathcoreError(f"level must be a share between 0 and 1, got {level!r}")
    return math.sqrt(-2.0 * math.log1p(-level))


def covariance_ellipse(cov, center, level: float = 0.9, num: int = 160) -> np.ndarray:
    """The ellipse {center + d : dᵀ cov⁻¹ d = r²} holding `level` of N(center, cov)'s mass
    (r = coverage_radius(level)), closed, (num + 1, 2): center + r V diag(√e) (cos t, sin t)
    with cov = V diag(e) Vᵀ."""
    cov = finite_array("cov", cov, ndim=2)
    if cov.shape != (2, 2) or abs(cov[0, 1] - cov[1, 0]) > 1e-10 * np.abs(cov).max():
        raise MathcoreError(f"cov must be a symmetric 2×2 matrix, got {_short(cov)}")
    center = _vector("center", center, 2)
    e, V = np.linalg.eigh(0.5 * (cov + cov.T))
    if e[0] < -1e-12 * max(abs(e[-1]), 1e-300):
        raise MathcoreError(f"cov must be positive semidefinite (eigenvalues {e.tolist()})")
    t = np.linspace(0.0, 2.0 * np.pi, num + 1)
    unit = np.stack([np.cos(t), np.sin(t)], axis=-1)
    pts = center + coverage_radius(level) * (unit * np.sqrt(np.clip(e, 0, None))) @ V.T
    pts[-1] = pts[0]
    return pts


def design(H, rows: int, rng: np.random.Generator) -> np.ndarray:
    """A design X (rows × n) with XᵀX = H exactly: X = U diag(√σ) Qᵀ with U orthonormal
    columns (the Q factor of a standard normal rows × n matrix, signs fixed so R's diagonal
    is positive): UᵀU = I, so XᵀX = Q Σ Qᵀ = H."""
    _, sigma, Q = _eigen(H)
    n = len(sigma)
    if not isinstance(rows, int | np.integer) or rows < n:
        raise MathcoreError(
            f"rows must be a whole number >= {n} (one per observation), got {rows!r}"
        )
    U, R = np.linalg.qr(rng.standard_normal((int(rows), n)))
    U = U * np.sign(np.diag(R))
    return (U * np.sqrt(sigma)) @ Q.T


@dataclass(frozen=True)
class Fits:
    """Least-squares and ridge fits of data sets drawn again and again with one design X."""

    X: np.ndarray  # (rows, n), XᵀX = H
    noise_draws: np.ndarray  # (samples, rows): ε of each data set, y = X w_true + ε
    y: np.ndarray  # (samples, rows)
    ols: np.ndarray  # (samples, n): ŵ = H⁻¹ Xᵀy of each data set
    lams: np.ndarray  # (m,)
    ridge: np.ndarray  # (m, samples, n): w(λ) = (H + λI)⁻¹ Xᵀy of each data set at each λ


def simulate_fits(
    H, w_true, noise: float, samples: int, lams, seed: int = 0, rows: int = 20
) -> Fits:
    """Draw `samples` data sets y = X w_true + ε, ε ~ N(0, σ² I_rows), from
    numpy.random.default_rng(seed) (first X's orthonormal factor, then every ε, data set by
    data set), and fit each by least squares and by ridge at every λ in `lams` (through H's
    eigenbasis: w(λ) = Q diag(1/(σⱼ + λ)) Qᵀ Xᵀy). The same seed gives the same fits."""
    H, sigma, Q = _eigen(H)
    w_true = _vector("w_true", w_true, len(sigma))
    noise = positive("noise", noise)
    lams = lambda_values(lams, allow_inf=False)
    if not isinstance(samples, int | np.integer) or not 1 <= samples <= MAX_SAMPLES:
        raise MathcoreError(
            f"samples must be a whole number from 1 to {MAX_SAMPLES}, got {samples!r}"
        )
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise MathcoreError(f"seed must be a whole number >= 0, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    X = design(H, rows, rng)
    eps = noise * rng.standard_normal((int(samples), X.shape[0]))
    y = X @ w_true + eps
    rotated = (y @ X) @ Q  # Qᵀ Xᵀy of each data set, as rows
    ols = (rotated / sigma) @ Q.T
    ridge = (rotated[None] / (sigma + lams[:, None, None])) @ Q.T
    return Fits(X, eps, y, ols, lams.copy(), ridge)
