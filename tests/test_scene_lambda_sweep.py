"""lambda_sweep: the path, ghosts and circles sit where mathcore puts them."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import mathcore as mc
from scenes.lambda_sweep import LambdaSweep, LambdaSweepParams
from tests.scenetools import compare_to_reference, construct, data_point

DEFAULT = LambdaSweepParams()
LOSS = mc.QuadraticLoss(DEFAULT.H, DEFAULT.center)


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(LambdaSweep, tex_dir=tex_cache)


def test_path_runs_from_c_to_the_origin(scene):
    path = scene.solution.path
    np.testing.assert_array_equal(path[0], LOSS.center)
    assert np.linalg.norm(path[-1]) < 1e-3
    assert len(path) >= 50
    np.testing.assert_allclose(path, mc.ridge_path(LOSS, scene.solution.lams), rtol=1e-14)


def test_ghost_dots_sit_on_the_penalised_solutions(scene):
    assert scene.solution.ghost_lams == DEFAULT.ghost_lams
    for lam, ghost in zip(DEFAULT.ghost_lams, scene.ghosts, strict=True):
        dot = ghost[2]
        expected = scene.axes.c2p(*mc.solve_penalized(LOSS, lam))
        assert np.linalg.norm(dot.get_center() - expected) < scene.pixel
        assert ghost[3].tex_string == rf"\lambda = {lam:g}"


def test_every_displayed_circle_touches_its_level_set(scene):
    """At every sample shown, ∇f(w) is anti-parallel to w (the circle's normal)."""
    s = scene.solution
    grads = LOSS.grad(s.path[1:-1])
    w = s.path[1:-1]
    cross = grads[:, 0] * w[:, 1] - grads[:, 1] * w[:, 0]
    scale = np.linalg.norm(grads, axis=1) * np.linalg.norm(w, axis=1)
    assert np.all(np.abs(cross) <= 1e-9 * scale + 1e-15)
    assert np.all(np.sum(grads * w, axis=1) <= 0)
    # the circles drawn for the ghosts have radius ||w(λ)||
    for lam, ghost in zip(DEFAULT.ghost_lams, scene.ghosts, strict=True):
        anchors = np.array([data_point(scene.axes, p) for p in ghost[0].get_anchors()])
        radius = np.linalg.norm(mc.solve_penalized(LOSS, lam))
        np.testing.assert_allclose(
            np.linalg.norm(anchors, axis=1), radius, atol=2e-3 * radius + 1e-9
        )


def test_inset_maps_lambda_to_the_budget(scene):
    s = scene.solution
    np.testing.assert_allclose(s.budgets, np.sum(s.path**2, axis=1), rtol=1e-12)
    assert np.all(np.diff(s.budgets) <= 1e-15)  # k(λ) decreases
    for lam in (0.3, 1.0, 3.0):
        i = int(np.flatnonzero(s.lams == lam)[0])
        sol = mc.solve_constrained(LOSS, float(s.budgets[i]))
        assert sol.lam == pytest.approx(lam, rel=1e-9)  # the constrained problem at k(λ) has λ


def test_results_for_the_manifest(scene):
    r = LambdaSweep.results(scene.solution)
    assert set(r) >= {"path", "ghost_lams", "ghost_points", "k_of_lam"}
    assert len(r["path"]) >= 50 and r["path_lams"][-1] == "inf"
    assert r["k_of_lam"][0] == [0.0, pytest.approx(float(np.sum(LOSS.center**2)))]
    assert r["straight"] is False


@pytest.mark.parametrize(
    ("H", "center"),
    [(((2.0, 0.0), (0.0, 2.0)), (1.2, 2.0)), (((3.0, 0.0), (0.0, 1.0)), (1.5, 0.0))],
    ids=["H = 2I", "c along an eigenvector"],
)
def test_straight_paths_are_called_straight(tex_cache, H, center):
    params = dataclasses.replace(DEFAULT, H=H, center=center)
    scene = construct(LambdaSweep, params, tex_dir=tex_cache)
    path = scene.solution.path
    cross = path[:, 0] * center[1] - path[:, 1] * center[0]
    assert np.all(np.abs(cross) < 1e-12)
    text = "".join(line.tex_string for line in scene.marks["explanation"])
    assert "straight" in text and "bends" not in text
    assert LambdaSweep.results(scene.solution)["straight"] is True


def test_zero_center_does_not_break_the_sweep():
    s = LambdaSweep.solve(dataclasses.replace(DEFAULT, center=(0.0, 0.0)))
    assert np.all(s.path == 0) and s.straight


def test_bad_slider_settings_are_rejected():
    with pytest.raises(ValueError, match="lam_min"):
        LambdaSweepParams(lam_min=10.0, lam_max=1.0)
    with pytest.raises(ValueError, match="off the slider"):
        LambdaSweepParams(ghost_lams=(0.0, 500.0))


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_final_still_matches_reference(still, update_references, theme):
    diff = compare_to_reference(
        still(LambdaSweep, theme=theme), f"lambda_sweep_{theme}", update_references
    )
    assert diff["mean"] < 1.5 and diff["changed"] < 0.002, diff
