"""The quadratic loss f(w) = ½ (w − c)ᵀ H (w − c) + f₀ and its eigenbasis."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ._validate import MathcoreError, _short, finite_array

SYMMETRY_RTOL = 1e-10
PSD_RTOL = 1e-10


def proper_eigh(H: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H = Q diag(σ) Qᵀ with σ descending and Q a proper rotation with deterministic signs.

    Signs: each column j is flipped so that Q[j, j] > 0 (or, when Q[j, j] is ~0, so that its
    largest-magnitude entry is positive); if det Q < 0 the last column is flipped. In 2-D this
    makes Q the rotation by an angle in (−90°, 90°], so an animation turns the short way.
    """
    sigma, Q = np.linalg.eigh(H)
    order = np.argsort(-sigma, kind="stable")  # equal eigenvalues keep eigh's order (I for cI)
    sigma, Q = sigma[order], Q[:, order]
    for j in range(Q.shape[1]):
        col = Q[:, j]
        pivot = col[j] if abs(col[j]) > 1e-12 else col[np.argmax(np.abs(col))]
        if pivot < 0:
            Q[:, j] = -col
    if Q.shape[1] and np.linalg.det(Q) < 0:
        Q[:, -1] = -Q[:, -1]
    return sigma, Q


class QuadraticLoss:
    """f(w) = ½ (w − c)ᵀ H (w − c) + f₀ with H symmetric positive semidefinite.

    `center` c has shape (n,) or, for several outputs at once, (n, m); then f sums over the m
    columns and every solver returns an (n, m) array. When H is singular, f does not change
    along its null space, so c is stored as the minimum-norm minimiser (its projection onto
    the range of H): `center` is always the unconstrained minimiser closest to the origin.
    """

    def __init__(self, H, center, offset: float = 0.0):
        H = finite_array("H", H, ndim=2)
        if H.shape[0] != H.shape[1] or H.shape[0] == 0:
            raise MathcoreError(f"H must be a non-empty square matrix, got shape {H.shape}")
        scale = max(float(np.max(np.abs(H))), np.finfo(float).tiny)
        asym = float(np.max(np.abs(H - H.T)))
        if asym > SYMMETRY_RTOL * scale:
            raise MathcoreError(f"H must be symmetric (max |H − Hᵀ| = {asym:.3g}), got {_short(H)}")
        H = 0.5 * (H + H.T)
        center = finite_array("center", center, ndim=(1, 2))
        if center.shape[0] != H.shape[0]:
            raise MathcoreError(
                f"center must have {H.shape[0]} rows to match H {H.shape}, got shape {center.shape}"
            )
        offset = finite_array("offset", offset, ndim=0)
        sigma, Q = proper_eigh(H)
        norm = float(np.linalg.norm(H, 2))
        if sigma[-1] < -PSD_RTOL * norm:
            raise MathcoreError(
                f"H must be positive semidefinite (smallest eigenvalue {sigma[-1]:.6g}), "
                f"got {_short(H)}"
            )
        sigma = np.clip(sigma, 0.0, None)
        null = sigma <= H.shape[0] * np.finfo(float).eps * sigma[0]
        sigma[null] = 0.0
        rotated = np.einsum("ij,i...->j...", Q, center)
        if null.any():
            rotated[null] = 0.0
            center = Q @ rotated
        self.H = H
        self.center = center
        self.offset = float(offset)
        self.sigma = sigma
        self.Q = Q
        self.rotated_center = rotated  # Qᵀ c

    @classmethod
    def from_data(cls, X, y) -> QuadraticLoss:
        """f(w) = ½ ||X w − y||²: H = XᵀX, c the minimum-norm least-squares solution,
        f₀ = ½ ||X c − y||² (the residual a rank-deficient or overdetermined X leaves)."""
        X = finite_array("X", X, ndim=2)
        y = finite_array("y", y, ndim=(1, 2))
        if y.shape[0] != X.shape[0]:
            raise MathcoreError(
                f"y must have {X.shape[0]} rows to match X {X.shape}, got {y.shape}"
            )
        H = X.T @ X
        # drop the singular values whose squares H's eigenvalue cut-off treats as zero, so the
        # centre and H agree on the null space (s² ≤ n·eps·s_max² ⇔ s ≤ √(n·eps)·s_max)
        cutoff = np.sqrt(X.shape[1] * np.finfo(float).eps)
        loss = cls(0.5 * (H + H.T), np.linalg.lstsq(X, y, rcond=cutoff)[0])
        residual = X @ loss.center - y  # the centre as stored
        return cls(loss.H, loss.center, 0.5 * float(np.sum(residual**2)))

    @property
    def n(self) -> int:
        return self.H.shape[0]

    @property
    def multi_output(self) -> bool:
        return self.center.ndim == 2

    @cached_property
    def b(self) -> np.ndarray:
        """H c: the negative gradient of f at the origin."""
        return self.H @ self.center

    def _points(self, w, name: str = "w") -> np.ndarray:
        w = finite_array(name, w)
        shape = self.center.shape
        if w.shape[w.ndim - len(shape) :] != shape or w.ndim < len(shape):
            raise MathcoreError(f"{name} must have trailing shape {shape}, got shape {w.shape}")
        return w

    def value(self, w) -> np.ndarray | float:
        """f(w) = ½ (w − c)ᵀ H (w − c) + f₀ for points of shape (..., n) (or (..., n, m))."""
        d = self._points(w) - self.center
        Hd = (
            np.einsum("ij,...j->...i", self.H, d)
            if not self.multi_output
            else np.einsum("ij,...jk->...ik", self.H, d)
        )
        quad = np.sum(d * Hd, axis=tuple(range(-self.center.ndim, 0)))
        out = 0.5 * quad + self.offset
        return float(out) if np.ndim(out) == 0 else out

    def grad(self, w) -> np.ndarray:
        """∇f(w) = H (w − c) for points of shape (..., n) (or (..., n, m))."""
        d = self._points(w) - self.center
        if self.multi_output:
            return np.einsum("ij,...jk->...ik", self.H, d)
        return np.einsum("ij,...j->...i", self.H, d)

    @property
    def f_min(self) -> float:
        """The unconstrained minimum value f(c) = f₀."""
        return self.offset

    def __repr__(self) -> str:
        H, c = self.H.tolist(), self.center.tolist()
        return f"QuadraticLoss(H={H}, center={c}, offset={self.offset})"
