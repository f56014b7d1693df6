"""QuadraticLoss: values and gradients, built from data, rank-deficient and multi-output."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import mathcore as mc
from tests.problems import data_problems, orthogonal, quadratics


@given(quadratics())
def test_value_and_grad_match_the_formula(problem):
    H, c = problem
    loss = mc.QuadraticLoss(H, c, offset=1.5)
    rng = np.random.default_rng(0)
    pts = rng.standard_normal((4, 3, len(c)))
    expected = 0.5 * np.einsum("...i,ij,...j->...", pts - c, H, pts - c) + 1.5
    np.testing.assert_allclose(loss.value(pts), expected, rtol=1e-10, atol=1e-10 * np.abs(H).max())
    np.testing.assert_allclose(
        loss.grad(pts), (pts - c) @ H, rtol=1e-10, atol=1e-10 * np.abs(H).max()
    )
    assert isinstance(loss.value(pts[0, 0]), float)


@given(data_problems(max_n=10, max_log_cond=4.0))
def test_from_data_is_half_squared_residual(problem):
    X, y = problem.X, problem.y
    loss = mc.QuadraticLoss.from_data(X, y)
    rng = np.random.default_rng(1)
    for _ in range(3):
        w = rng.standard_normal(loss.center.shape)
        direct = 0.5 * np.sum((X @ w - y) ** 2)
        assert loss.value(w) == pytest.approx(direct, rel=1e-9, abs=1e-9)
        np.testing.assert_allclose(
            loss.grad(w), X.T @ (X @ w - y), rtol=1e-8, atol=1e-8 * np.abs(X).max() ** 2
        )


def test_rank_deficient_data_gives_minimum_norm_center_and_offset():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((6, 2)) @ rng.standard_normal((2, 4))  # rank 2, n = 4
    y = rng.standard_normal(6)
    loss = mc.QuadraticLoss.from_data(X, y)
    np.testing.assert_allclose(loss.center, np.linalg.pinv(X) @ y, rtol=1e-10)
    best = 0.5 * np.sum((X @ (np.linalg.pinv(X) @ y) - y) ** 2)
    assert loss.f_min == pytest.approx(best, rel=1e-10)
    assert np.sum(loss.sigma > 0) == 2
    # f ignores the null space: a minimiser plus a null vector has the same value
    null = np.linalg.svd(X)[2][-1]
    assert loss.value(loss.center + 3 * null) == pytest.approx(loss.f_min, rel=1e-9)


def test_singular_h_center_is_projected_onto_the_range():
    """f is unchanged along H's null space; c is stored as the minimum-norm minimiser."""
    Q = orthogonal(np.random.default_rng(4), 3)
    H = Q @ np.diag([2.0, 1.0, 0.0]) @ Q.T
    given_c = Q @ np.array([1.0, 2.0, 5.0])
    loss = mc.QuadraticLoss(H, given_c)
    np.testing.assert_allclose(loss.center, Q @ np.array([1.0, 2.0, 0.0]), atol=1e-14)
    # f is the same function as with the given c: ½(w − c)ᵀH(w − c) everywhere
    for w in np.random.default_rng(5).standard_normal((4, 3)):
        direct = 0.5 * (w - given_c) @ H @ (w - given_c)
        assert loss.value(w) == pytest.approx(direct, rel=1e-12, abs=1e-12)


def test_nearly_rank_deficient_data_keeps_f_exact():
    """A singular value lstsq keeps but H's eigenvalue threshold drops: f must still be
    ½||Xw − y||² (the offset is computed from the centre as stored)."""
    rng = np.random.default_rng(6)
    U, _, Vt = np.linalg.svd(rng.standard_normal((5, 3)), full_matrices=False)
    X = U @ np.diag([2.0, 1.0, 1e-9]) @ Vt
    y = rng.standard_normal(5)
    loss = mc.QuadraticLoss.from_data(X, y)
    for w in [np.zeros(3), rng.standard_normal(3)]:
        assert loss.value(w) == pytest.approx(0.5 * np.sum((X @ w - y) ** 2), rel=1e-9)


def test_multi_output_sums_the_columns():
    H = np.array([[2.0, 0.5], [0.5, 1.0]])
    C = np.array([[1.0, -1.0, 0.5], [2.0, 0.0, 1.0]])
    loss = mc.QuadraticLoss(H, C)
    W = np.zeros((2, 3))
    expected = sum(0.5 * c @ H @ c for c in C.T)
    assert loss.value(W) == pytest.approx(expected)
    np.testing.assert_allclose(loss.grad(W), -H @ C)
    assert loss.grad(np.zeros((5, 2, 3))).shape == (5, 2, 3)
