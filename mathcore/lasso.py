"""L1: the lasso argmin f(w) + λ||w||₁ and the L1-ball-constrained problem, solved exactly.

Both come from the lasso homotopy (Osborne, Presnell & Turlach 2000; LARS-lasso): for f with
gradient H w − b (b = H c) the optimality conditions are
    (b − H w)ⱼ = λ sign(wⱼ) where wⱼ ≠ 0,   |(b − H w)ⱼ| ≤ λ where wⱼ = 0,
and the solution is piecewise linear in λ. Starting at λ_max = ||b||_∞ (w = 0), each segment
keeps an active set A with signs s, on which w_A(λ) = H_AA⁻¹ (b_A − λ s_A) and wⱼ = 0 off A,
until a coordinate joins (its correlation reaches ±λ) or leaves (it reaches 0). Coordinates
off the active set are exactly 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._validate import MathcoreError, nonnegative_lambda, positive
from .loss import QuadraticLoss
from .ridge import ConstrainedSolution

_EVENT_RTOL = 1e-12


@dataclass(frozen=True)
class _Segment:
    """One linear piece of the lasso path, for λ in [lam_lo, lam_hi]."""

    lam_hi: float
    lam_lo: float
    active: np.ndarray
    signs: np.ndarray

    def w(self, H: np.ndarray, b: np.ndarray, lam: float) -> np.ndarray:
        """w on this piece: H_AA w_A = b_A − λ s_A, zeros elsewhere."""
        w = np.zeros_like(b)
        A = self.active
        w[A] = np.linalg.solve(H[np.ix_(A, A)], b[A] - lam * self.signs)
        return w


def _lasso_path(
    H: np.ndarray, b: np.ndarray, lam_stop: float, until: Callable[[_Segment], bool] | None = None
) -> list[_Segment]:
    """The lasso path's pieces from λ_max = ||b||_∞ down to `lam_stop` (empty if λ_max ≤ it),
    or only until a piece for which `until(piece)` is true."""
    n = b.size
    lam = float(np.max(np.abs(b))) if n else 0.0
    if lam <= lam_stop:
        return []
    scale = lam
    active = [int(j) for j in np.flatnonzero(np.abs(b) >= lam * (1 - _EVENT_RTOL))]
    signs = [float(np.sign(b[j])) for j in active]
    segments: list[_Segment] = []
    last_changed: set[int] = set(active)
    for _ in range(50 * n + 100):
        A, s = np.array(active), np.array(signs)
        HAA = H[np.ix_(A, A)]
        try:
            u = np.linalg.solve(HAA, b[A])
            v = np.linalg.solve(HAA, s)
        except np.linalg.LinAlgError:
            raise MathcoreError(
                "the lasso path reached a singular active set; H is too degenerate for an exact"
                f" L1 solution at lam={lam_stop!r}"
            ) from None
        events: list[tuple[float, int, float]] = []  # (λ at the event, index, new sign or 0)
        # leave: wⱼ(λ) = uⱼ − λ vⱼ reaches 0 and would change sign as λ keeps falling
        for pos, j in enumerate(active):
            if s[pos] * v[pos] < 0:
                events.append((u[pos] / v[pos], j, 0.0))
        # join: the correlation rⱼ(λ) = αⱼ + λ βⱼ of an inactive coordinate reaches ±λ
        inactive = np.setdiff1d(np.arange(n), A)
        alpha = b[inactive] - H[np.ix_(inactive, A)] @ u
        beta = H[np.ix_(inactive, A)] @ v
        for j, a, bt in zip(inactive, alpha, beta, strict=True):
            if 1 - bt > 0:
                events.append((a / (1 - bt), int(j), 1.0))
            if 1 + bt > 0:
                events.append((-a / (1 + bt), int(j), -1.0))
        # a coordinate that just changed is at its event already: only a later one counts
        tol = _EVENT_RTOL * scale
        events = [
            e
            for e in events
            if e[0] > lam_stop and e[0] <= (lam - tol if e[1] in last_changed else lam + tol)
        ]
        if not events:
            segments.append(_Segment(lam, lam_stop, A, s))
            return segments
        lam_next = min(max(e[0] for e in events), lam)
        segments.append(_Segment(lam, lam_next, A, s))
        if until is not None and until(segments[-1]):
            return segments
        last_changed = set()
        for at, j, sign in events:
            if at >= lam_next - _EVENT_RTOL * scale:
                last_changed.add(j)
                if sign == 0.0:
                    pos = active.index(j)
                    del active[pos], signs[pos]
                else:
                    active.append(j)
                    signs.append(sign)
        lam = lam_next
    raise MathcoreError(
        f"the lasso path did not terminate for lam={lam_stop!r}"
    )  # pragma: no cover


def _columns(a: np.ndarray) -> list[np.ndarray]:
    """The outputs of an (n,) or (n, m) array, one 1-D column each."""
    return [a] if a.ndim == 1 else list(a.T)


def _stack(loss: QuadraticLoss, cols: list[np.ndarray]) -> np.ndarray:
    return cols[0] if not loss.multi_output else np.stack(cols, axis=1)


def _lasso_column(H: np.ndarray, b: np.ndarray, c: np.ndarray, lam: float) -> np.ndarray:
    if lam == 0.0:
        return c.copy()
    if np.isinf(lam):
        return np.zeros_like(b)
    segments = _lasso_path(H, b, lam)
    return segments[-1].w(H, b, lam) if segments else np.zeros_like(b)


def solve_lasso(loss: QuadraticLoss, lam: float) -> np.ndarray:
    """argmin f(w) + λ||w||₁ (exact zeros off the support); λ = 0 gives c, λ = inf gives 0.

    Equals scikit-learn's Lasso(alpha=λ/d, fit_intercept=False) for f = ½||Xw − y||² with d rows.
    """
    lam = nonnegative_lambda("lam", lam)
    cols = [
        _lasso_column(loss.H, b, c, lam)
        for b, c in zip(_columns(loss.b), _columns(loss.center), strict=True)
    ]
    return _stack(loss, cols)


def solve_constrained_l1(loss: QuadraticLoss, t: float) -> ConstrainedSolution:
    """argmin f(w) s.t. ||w||₁ ≤ t, with its multiplier λ (the lasso λ whose solution it is).

    ||w_lasso(λ)||₁ is piecewise linear and non-increasing in λ along the homotopy, so the λ
    with ||w||₁ = t is found exactly on the piece where the norm crosses t; the homotopy stops
    there (so a singular H only matters if the budget is not reached before the path does).
    Inactive (λ = 0) when ||c||₁ ≤ t, or when the path ends at a minimiser inside the ball.
    """
    t = positive("t", t)
    if float(np.sum(np.abs(loss.center))) <= t:
        return ConstrainedSolution(w=loss.center.copy(), lam=0.0, active=False)
    H = loss.H
    columns = _columns(loss.b)
    if len(columns) == 1:
        b = columns[0]
        reached = lambda seg: float(np.sum(np.abs(seg.w(H, b, seg.lam_lo)))) >= t  # noqa: E731
        paths = [(b, _lasso_path(H, b, 0.0, until=reached))]
    else:  # the outputs' norms add up: follow every path to the end
        paths = [(b, _lasso_path(H, b, 0.0)) for b in columns]
    knots = sorted(
        {seg.lam_lo for _, segs in paths for seg in segs}
        | {seg.lam_hi for _, segs in paths for seg in segs},
        reverse=True,
    )

    def l1_norm(lam: float) -> float:
        return sum(float(np.sum(np.abs(_at(H, b, segs, lam)))) for b, segs in paths)

    hi = knots[0]
    for lo in knots[1:]:
        n_lo = l1_norm(lo)
        if n_lo >= t:  # the norm is linear on [lo, hi] and crosses t there
            n_hi = l1_norm(hi)
            lam = hi if n_lo == n_hi else lo + (hi - lo) * (n_lo - t) / (n_lo - n_hi)
            cols = [_at(H, b, segs, lam) for b, segs in paths]
            return ConstrainedSolution(w=_stack(loss, cols), lam=float(lam), active=True)
        hi = lo
    # the path reached λ = 0 inside the ball: a minimiser of f with ||w||₁ < t (singular H)
    cols = [_at(H, b, segs, 0.0) for b, segs in paths]
    return ConstrainedSolution(w=_stack(loss, cols), lam=0.0, active=False)


def _at(H: np.ndarray, b: np.ndarray, segments: list[_Segment], lam: float) -> np.ndarray:
    """The lasso solution at λ from a precomputed path."""
    for seg in segments:
        if seg.lam_lo <= lam <= seg.lam_hi:
            return seg.w(H, b, lam)
    return np.zeros_like(b)


def sparse_budget(loss: QuadraticLoss) -> float:
    """The largest L1 budget t at which argmin f s.t. ||w||₁ ≤ t has a coordinate exactly 0:
    for every larger t all coordinates are non-zero.

    Read off the homotopy: on each piece with fewer than n active coordinates, t = ||w(λ)||₁
    runs up to its value at the piece's lower λ; the answer is the largest of those (||c||₁
    when the path ends with a zero, i.e. c itself has one).
    """
    if loss.multi_output:
        raise MathcoreError("sparse_budget needs a single-output loss")
    H, b = loss.H, loss.b
    if not np.any(b):
        return float(np.sum(np.abs(loss.center)))
    budgets = [
        float(np.sum(np.abs(seg.w(H, b, seg.lam_lo))))
        for seg in _lasso_path(H, b, 0.0)
        if len(seg.active) < loss.n
    ]
    return max(budgets, default=0.0)
