"""Random problems for hypothesis: data (X, y) and quadratics of a chosen condition number."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st


@dataclass(frozen=True)
class DataProblem:
    """f(w) = ½||Xw − y||² with cond(H) = cond(XᵀX) = `cond`."""

    X: np.ndarray
    y: np.ndarray
    cond: float

    @property
    def d(self) -> int:
        return self.X.shape[0]


def orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def data_with_condition(seed: int, n: int, cond: float, outputs: int = 0, extra_rows: int = 3):
    """X (d × n, d = n + extra_rows) whose XᵀX has eigenvalues log-spaced from 1 to `cond`
    (in random order), and y with `outputs` columns (0: a vector)."""
    rng = np.random.default_rng(seed)
    d = n + extra_rows
    sigma = np.geomspace(1.0, cond, n) if n > 1 else np.array([cond])
    rng.shuffle(sigma)
    U = orthogonal(rng, d)[:, :n]
    X = U @ np.diag(np.sqrt(sigma)) @ orthogonal(rng, n).T
    y = rng.standard_normal(d if outputs == 0 else (d, outputs)) * 2.0
    return DataProblem(X, y, cond)


@st.composite
def data_problems(draw, max_n: int = 50, max_log_cond: float = 8.0, multi: bool = True):
    """Random least-squares problems: n in 1..max_n, cond(H) in [1, 10^max_log_cond],
    single or multiple outputs."""
    n = draw(st.integers(1, max_n))
    log_cond = draw(st.floats(0.0, max_log_cond))
    outputs = draw(st.sampled_from([0, 0, 2, 3])) if multi else 0
    seed = draw(st.integers(0, 2**32 - 1))
    return data_with_condition(seed, n, 10.0**log_cond, outputs)


@st.composite
def quadratics(draw, n_values=(1, 2, 3, 5, 10), max_log_cond: float = 8.0, singular: bool = False):
    """(H, c): H = Q diag(σ) Qᵀ with log-spaced σ (optionally some exactly zero), c random."""
    n = draw(st.sampled_from(n_values))
    log_cond = draw(st.floats(0.0, max_log_cond))
    scale = 10.0 ** draw(st.floats(-2.0, 2.0))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    sigma = scale * (np.geomspace(1.0, 10.0**log_cond, n) if n > 1 else np.ones(1))
    if singular and n > 1:
        sigma[: draw(st.integers(1, n - 1))] = 0.0
    Q = orthogonal(rng, n)
    H = Q @ np.diag(sigma) @ Q.T
    H = 0.5 * (H + H.T)
    c = rng.standard_normal(n) * 10.0 ** draw(st.floats(-1.0, 1.0))
    return H, c
