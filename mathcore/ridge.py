"""Ridge: the penalised problem, the ball-constrained problem, and the eigen view linking them.

Everything is computed in the eigenbasis of H = QΣQᵀ (computed once, in QuadraticLoss):
    w(λ) = (H + λI)⁻¹ H c = Q diag(σⱼ / (σⱼ + λ)) Qᵀ c.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import MathcoreError, finite_array, lambda_values, nonnegative_lambda, positive
from .loss import QuadraticLoss


def _shrink_factors(sigma: np.ndarray, lam) -> np.ndarray:
    """σⱼ / (σⱼ + λ), broadcast over an array of λ (trailing axis j); 0 for λ = inf, 1 at λ = 0."""
    lam = np.asarray(lam, dtype=float)[..., None]
    with np.errstate(invalid="ignore", divide="ignore"):
        factors = sigma / (sigma + lam)
    factors = np.where(np.isinf(lam), 0.0, factors)
    return np.where(sigma + lam > 0, factors, 1.0)


def _penalized(loss: QuadraticLoss, lams: np.ndarray) -> np.ndarray:
    """Q diag(σⱼ/(σⱼ + λ)) Qᵀ c for an array of λ (shape (...,) → (..., *c.shape));
    exactly c where λ = 0."""
    factors = _shrink_factors(loss.sigma, lams)
    if loss.multi_output:
        out = np.einsum("ij,...jk->...ik", loss.Q, factors[..., None] * loss.rotated_center)
    else:
        out = np.einsum("ij,...j->...i", loss.Q, factors * loss.rotated_center)
    out[lams == 0] = loss.center
    return out


def solve_penalized(loss: QuadraticLoss, lam: float) -> np.ndarray:
    """w(λ) = argmin f(w) + (λ/2)||w||² = (H + λI)⁻¹ H c; λ = 0 gives c, λ = inf gives 0."""
    return _penalized(loss, np.asarray(nonnegative_lambda("lam", lam)))


def ridge_path(loss: QuadraticLoss, lams) -> np.ndarray:
    """w(λ) for every λ in `lams`: shape (len(lams), n) (or (len(lams), n, m)); one
    eigendecomposition (the loss's), broadcast over λ."""
    return _penalized(loss, lambda_values(lams))


def path_is_straight(loss: QuadraticLoss) -> bool:
    """Whether the regularisation path {w(λ) : λ ≥ 0} is a straight segment from c to 0.

    w(λ) = Σⱼ σⱼ/(σⱼ + λ) (qⱼᵀc) qⱼ keeps a fixed direction exactly when every eigen-component
    of c that is non-zero has the same eigenvalue: H = σI, or c along one eigenvector."""
    if loss.multi_output:
        raise MathcoreError("path_is_straight needs a single-output loss")
    size = float(np.max(np.abs(loss.rotated_center), initial=0.0))
    moving = loss.sigma[np.abs(loss.rotated_center) > 1e-12 * size]
    return bool(moving.size == 0 or np.ptp(moving) <= 1e-12 * float(loss.sigma[0]))


def budget_of_lambda(loss: QuadraticLoss, lams) -> np.ndarray:
    """k(λ) = ||w(λ)||²: the constraint level for which the penalised solution at λ is the
    constrained one (the map between the two problems)."""
    path = ridge_path(loss, np.atleast_1d(lams))
    k = np.sum(path**2, axis=tuple(range(1, path.ndim)))
    return k if np.ndim(lams) else float(k[0])


@dataclass(frozen=True)
class ConstrainedSolution:
    """argmin f(w) s.t. a norm budget; `lam` is the KKT multiplier, `active` whether the
    constraint binds (λ > 0) or not (λ = 0, w = c)."""

    w: np.ndarray
    lam: float
    active: bool


def _secular_terms(loss: QuadraticLoss) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The secular equation's terms, scaled so no power of H or c can overflow or underflow:
    ||w(λ)||² = m² Σⱼ aⱼ / (sⱼ + λ/σ_max)² with sⱼ = σⱼ/σ_max ∈ [0, 1] and aⱼ = (sⱼ c̃ⱼ/m)²,
    c̃ = Qᵀc summed over outputs, m = max |c̃|. Returns (a, s, σ_max, m), keeping the
    directions that move (aⱼ > 0)."""
    scale = float(loss.sigma[0])
    size = float(np.max(np.abs(loss.rotated_center)))
    shrunk = loss.rotated_center / size
    s = loss.sigma / scale
    bj = s.reshape((-1,) + (1,) * (shrunk.ndim - 1)) * shrunk
    a = np.sum(bj**2, axis=tuple(range(1, bj.ndim))) if bj.ndim > 1 else bj**2
    keep = a > 0
    return a[keep], s[keep], scale, size


def multiplier_for_budget(loss: QuadraticLoss, k: float) -> float:
    """The λ ≥ 0 with ||w(λ)||² = k, or 0 when ||c||² ≤ k.

    Safeguarded Newton on the secular equation √k/||w(λ)|| − 1 = 0 (Moré–Sorensen), in
    units where the largest eigenvalue and the largest component of c are 1 (λ scales with
    H, so the problem is the same at any scale float64 can hold): the left side is
    increasing and concave in λ, so Newton from λ = 0 climbs monotonically to the root; a
    bracket [lo, hi] with hi = √(Σ aⱼ / k) (where ||w|| ≤ √k) catches any step that leaves
    it, and bisection takes over there. Converges to ||w(λ)||² = k within relative 1e-13.
    """
    k = positive("k", k)
    size = float(np.max(np.abs(loss.center), initial=0.0))
    if size == 0.0 or float(np.sum((loss.center / size) ** 2)) <= k / size / size:
        return 0.0  # ||c||² <= k, compared without squaring c's own scale
    a, s, scale, size = _secular_terms(loss)
    target = k / size / size  # the budget in these units
    if target < np.finfo(float).tiny:
        raise MathcoreError(
            f"k = {k!r} is too small beside ||c||² (about {size:.3g}²) for float64 to solve"
        )
    lo, hi = 0.0, math.sqrt(float(np.sum(a)) / target)
    lam = 0.0
    for _ in range(200):
        denom = s + lam
        terms = (np.sqrt(a) / denom) ** 2  # aⱼ/(sⱼ + λ)², without a cube that can overflow
        norm2 = float(np.sum(terms))
        if abs(norm2 - target) <= 1e-14 * target:
            return lam * scale
        if norm2 > target:
            lo = lam
        else:
            hi = lam
        ratio = math.sqrt(target / norm2)  # √k/||w||
        relative = -2.0 * float(np.sum(terms / norm2 / denom))  # (d||w||²/dλ)/||w||² < 0
        newton = lam - (ratio - 1.0) / (-0.5 * ratio * relative)
        new = newton if lo < newton < hi else 0.5 * (lo + hi)
        if abs(new - lam) <= 2 * np.finfo(float).eps * new:
            return new * scale
        lam = new
    raise MathcoreError(f"k = {k!r}: the secular equation did not converge")  # pragma: no cover


def solve_constrained(loss: QuadraticLoss, k: float) -> ConstrainedSolution:
    """w* = argmin f(w) s.t. ||w||² ≤ k, with its multiplier: ∇f(w*) = −λ w* and λ ≥ 0.

    λ = 0 and active is False exactly when ||c||² ≤ k (to a relative 1e-14, the rounding of
    ||c||²); otherwise λ > 0 and w* = w(λ) lies on the sphere ||w||² = k.
    """
    lam = multiplier_for_budget(loss, k)
    if lam == 0.0:
        return ConstrainedSolution(w=loss.center.copy(), lam=0.0, active=False)
    return ConstrainedSolution(w=solve_penalized(loss, lam), lam=lam, active=True)


@dataclass(frozen=True)
class EigenShrinkage:
    """The slides' view of ridge: θ_ridge = Q (Σ + λI)⁻¹ Σ Qᵀ θ̂.

    `rotated` = Qᵀ θ̂ (coordinates along the eigenvectors), `rescaled` = factors ⊙ rotated,
    `result` = Q rescaled = (H + λI)⁻¹ H θ̂.
    """

    Q: np.ndarray
    sigma: np.ndarray
    lam: float
    factors: np.ndarray
    rotated: np.ndarray
    rescaled: np.ndarray
    result: np.ndarray

    @property
    def rotation_deg(self) -> float:
        """For 2-D: the angle (degrees, in (−90°, 90°]) of the rotation Q."""
        if self.Q.shape != (2, 2):
            raise MathcoreError(f"rotation_deg needs a 2-D problem, got Q of shape {self.Q.shape}")
        return math.degrees(math.atan2(self.Q[1, 0], self.Q[0, 0]))

    def partway(self, u: float) -> np.ndarray:
        """θ̂ with every eigen-component scaled a fraction u of the way to its factor:
        Q diag(1 − u + u·σⱼ/(σⱼ + λ)) Qᵀθ̂ (θ̂ at u = 0, θ̂_ridge at u = 1)."""
        return self.Q @ ((1 - u + u * self.factors) * self.rotated)

    @property
    def isotropic(self) -> bool:
        """All eigenvalues equal (to 1e-12 relative): every rotation diagonalises H."""
        return bool(np.ptp(self.sigma) <= 1e-12 * max(float(self.sigma[0]), 1e-300))


def eigen_shrinkage(loss: QuadraticLoss, lam: float) -> EigenShrinkage:
    """Rotate by Qᵀ, rescale axis j by σⱼ/(σⱼ + λ), rotate back by Q."""
    lam = nonnegative_lambda("lam", lam)
    factors = _shrink_factors(loss.sigma, lam)
    rotated = loss.rotated_center.copy()
    rescaled = factors.reshape((-1,) + (1,) * (rotated.ndim - 1)) * rotated
    return EigenShrinkage(
        Q=loss.Q.copy(),
        sigma=loss.sigma.copy(),
        lam=lam,
        factors=factors,
        rotated=rotated,
        rescaled=rescaled,
        result=_penalized(loss, np.asarray(lam)),
    )


@dataclass(frozen=True)
class OptimalValueCurve:
    """f*(k) = min s·f(w) s.t. ||w||² ≤ k for each k (s = `scale`), with λ(k) and the slope
    df*/dk = −s·λ/2: −λ/2 for mathcore's ½-scaled f (s = 1), −λ for the unscaled loss
    ||Xw − y||² = 2f of seeds 000 and 002 (s = 2)."""

    k: np.ndarray
    f_star: np.ndarray
    lam: np.ndarray
    slope: np.ndarray
    w: np.ndarray  # the constrained optimum at each k
    scale: float


def optimal_value_curve(loss: QuadraticLoss, ks, scale: float = 1.0) -> OptimalValueCurve:
    """The shadow-price picture for the loss scale·f: f*(k), λ(k) and df*/dk = −scale·λ(k)/2
    for every k in `ks` (λ is the multiplier of the constraint ||w||² ≤ k, the same for
    every scale, as in DESIGN.md)."""
    ks = finite_array("ks", ks, ndim=1)
    scale = positive("scale", scale)
    sols = [solve_constrained(loss, float(k)) for k in ks]
    lam = np.array([s.lam for s in sols])
    w = np.array([s.w for s in sols])
    f_star = scale * np.array([loss.value(s.w) for s in sols])
    return OptimalValueCurve(
        k=ks, f_star=f_star, lam=lam, slope=-0.5 * scale * lam, w=w, scale=scale
    )


@dataclass(frozen=True)
class CoefficientTurns:
    """How each coefficient w_j(λ) travels from ŵ_j (λ = 0) to 0 (λ → ∞): ridge shrinks the
    whole vector, ‖w(λ)‖ falls monotonically, but with correlated columns a single
    coefficient can first grow in size, or cross zero and change sign."""

    peak_lam: np.ndarray  # λ where |w_j(λ)| is largest (0: it only shrinks)
    peak: np.ndarray  # |w_j| there
    crossings: tuple[np.ndarray, ...]  # per coefficient, the λ > 0 where w_j(λ) = 0

    @property
    def grows_first(self) -> np.ndarray:
        """Whether |w_j| grows before it shrinks (its peak is at some λ > 0)."""
        return self.peak_lam > 0


def coefficient_turns(loss: QuadraticLoss) -> CoefficientTurns:
    """Peaks and zero crossings of every coefficient of w(λ) = Σᵢ σᵢ/(σᵢ + λ) (qᵢᵀŵ) qᵢ.

    In u = λ/(1 + λ) ∈ [0, 1) each w_j is smooth; a log-spaced grid over the eigenvalues' scale
    brackets every extremum of |w_j| and every sign change, then scipy refines each one
    (bounded Brent for a peak, brentq for a root) to machine precision."""
    from scipy.optimize import brentq, minimize_scalar

    if loss.multi_output:
        raise MathcoreError("coefficient_turns needs a single-output loss")
    top, low = float(loss.sigma[0]), float(loss.sigma[loss.sigma > 0].min(initial=loss.sigma[0]))
    lams = np.concatenate([[0.0], np.geomspace(low * 1e-4, max(top, low) * 1e4, 4001)])
    path = _penalized(loss, lams)
    n = path.shape[1]
    peak_lam, peak, crossings = np.zeros(n), np.abs(loss.center).astype(float), []
    for j in range(n):
        size = np.abs(path[:, j])
        i = int(np.argmax(size))
        if i > 0 and size[i] > size[0] * (1 + 1e-12):
            lo, hi = np.log(lams[max(i - 1, 1)]), np.log(lams[min(i + 1, len(lams) - 1)])
            best = minimize_scalar(
                lambda t, j=j: -abs(_penalized(loss, np.array([np.exp(t)]))[0, j]),
                bounds=(lo, hi),
                method="bounded",
                options={"xatol": 1e-12},
            )
            peak_lam[j], peak[j] = float(np.exp(best.x)), float(-best.fun)
        signs = np.sign(path[1:, j])
        roots = []
        for k in np.flatnonzero(signs[:-1] * signs[1:] < 0):
            t = brentq(
                lambda t, j=j: _penalized(loss, np.array([np.exp(t)]))[0, j],
                np.log(lams[k + 1]),
                np.log(lams[k + 2]),
                xtol=1e-14,
            )
            roots.append(float(np.exp(t)))
        crossings.append(np.array(roots))
    return CoefficientTurns(peak_lam, peak, tuple(crossings))
