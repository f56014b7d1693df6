"""lambda_sweep: the path, ghosts and circles sit where mathcore puts them."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from manim import DL, UR, DashedVMobject

import mathcore as mc
from narration import fixed
from scenes.lambda_sweep import TANGENCY_K, LambdaSweep, LambdaSweepParams
from scenes.tangency import TangencyParams
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
    lams = scene.solution.ghost_lams
    assert len(lams) == 3 and lams[0] == 0.0
    for i, lam in enumerate(lams):
        expected = scene.axes.c2p(*mc.solve_penalized(LOSS, lam))
        assert np.linalg.norm(scene.ghost_dots[i].get_center() - expected) < scene.pixel
        label = scene.ghost_labels[i][1].tex_string
        assert label.startswith(rf"\lambda = {fixed(lam, 2) if lam else 0}")


def test_one_ghost_is_tangency_s_point(scene):
    """The two scenes show the same point: the ghost at k = tangency's budget."""
    k = TangencyParams().k
    assert TANGENCY_K == k
    best = mc.solve_constrained(LOSS, k)
    i = scene.solution.ghost_lams.index(scene.solution.tangency_lam)
    assert scene.solution.tangency_lam == pytest.approx(best.lam, rel=1e-12)
    np.testing.assert_allclose(scene.solution.ghost_points[i], best.w, atol=1e-12)
    assert scene.ghost_labels[i][1].tex_string.endswith(rf"k = {fixed(k, 1)}")


def test_every_displayed_circle_touches_its_level_set(scene):
    """At every sample shown, ∇f(w) is anti-parallel to w (the circle's normal)."""
    s = scene.solution
    grads = LOSS.grad(s.path[1:-1])
    w = s.path[1:-1]
    cross = grads[:, 0] * w[:, 1] - grads[:, 1] * w[:, 0]
    scale = np.linalg.norm(grads, axis=1) * np.linalg.norm(w, axis=1)
    assert np.all(np.abs(cross) <= 1e-9 * scale + 1e-15)
    assert np.all(np.sum(grads * w, axis=1) <= 0)
    # the circles drawn for the ghosts (λ > 0) have radius ||w(λ)||
    for lam, ghost in zip(s.ghost_lams[1:], scene.ghosts[1:], strict=True):
        dashes = ghost[0].family_members_with_points()
        anchors = np.array([data_point(scene.axes, p) for d in dashes for p in d.get_anchors()])
        radius = np.linalg.norm(mc.solve_penalized(LOSS, lam))
        np.testing.assert_allclose(
            np.linalg.norm(anchors, axis=1), radius, atol=2e-3 * radius + 1e-9
        )


def test_inset_maps_lambda_to_the_budget(scene):
    s = scene.solution
    np.testing.assert_allclose(s.budgets, np.sum(s.path**2, axis=1), rtol=1e-12)
    assert np.all(np.diff(s.budgets) <= 1e-15)  # k(λ) decreases
    for lam in s.ghost_lams[1:]:
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
        LambdaSweep.solve(LambdaSweepParams(ghost_lams=(0.0, 500.0), lam_max=100.0))


@pytest.mark.parametrize(
    ("H", "lam_min", "lam_max"),
    [(((2.0, 0.0), (0.0, 1.0)), 0.01, 100.0), (((200.0, 0.0), (0.0, 100.0)), 1.0, 10000.0)],
)
def test_the_slider_spans_h_s_eigenvalues(H, lam_min, lam_max):
    """λ from a power of ten below 0.02 σ_min to one above 50 σ_max: the sweep covers
    where k(λ) changes, whatever the scale of H."""
    s = LambdaSweep.solve(dataclasses.replace(DEFAULT, H=H))
    assert (s.slider.lam_min, s.slider.lam_max) == (lam_min, lam_max)
    assert s.budgets[1] > 0.95 * s.budgets[0] and s.budgets[-2] < 0.01 * s.budgets[0]


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_final_still_matches_reference(still, update_references, theme):
    diff = compare_to_reference(
        still(LambdaSweep, theme=theme), f"lambda_sweep_{theme}", update_references
    )
    assert diff["mean"] < 1.5 and diff["changed"] < 0.002, diff


def test_beats_rest_on_tangency_s_point_and_name_the_path(scene, tex_cache):
    played = [segment.id for segment in scene.timeline]
    assert played == ["problem", "sweep", "sweep.tangency", "sweep.origin", "inset", "path"]
    straight = construct(
        LambdaSweep, dataclasses.replace(DEFAULT, H=((2.0, 0.0), (0.0, 2.0))), tex_dir=tex_cache
    )
    assert [segment.id for segment in straight.timeline][-1] == "straight"


def test_at_infinity_no_circle_and_no_level_set_remain(scene):
    """The circle of radius 0 has no level set 'tangent' to it: both are gone at λ = ∞."""
    assert scene.progress.get_value() == 1.0
    assert len(scene.marks["circle"].points) == 0
    assert len(scene.marks["touching"].points) == 0
    np.testing.assert_allclose(
        data_point(scene.axes, scene.marks["point"].get_center()), 0, atol=1e-9
    )


def test_ghosts_are_dashed_apart_from_the_rings(scene):
    """Each ghost λ > 0 keeps a dashed circle and a dashed level set through its point."""
    s = scene.solution
    for i, ghost in enumerate(scene.ghosts[1:], start=1):
        assert all(isinstance(part, DashedVMobject) for part in ghost[:2])
        gap = np.linalg.norm(s.ghost_levels[i] - s.ghost_points[i], axis=1).min()
        assert gap < 1e-2 * np.linalg.norm(s.ghost_points[i])


def test_the_inset_reads_tangency_s_budget_on_its_k_axis(scene):
    assert TANGENCY_K in scene.solution.k_ticks
    i = scene.solution.ghost_lams.index(scene.solution.tangency_lam)
    assert scene.solution.ghost_budgets[i] == pytest.approx(TANGENCY_K, rel=1e-9)


@pytest.mark.parametrize(
    ("H", "center"),
    [(((2.5, 0.8), (0.8, 1.0)), (1.9, 1.3)), (((3.0, -1.2), (-1.2, 1.2)), (1.2, 2.0))],
    ids=["q2", "negative correlation"],
)
def test_ghosts_derive_from_the_problem_and_their_labels_stand_apart(tex_cache, H, center):
    """Ghosts at 0, tangency's λ (from mathcore) and where k(λ) = big_budget·||c||²; every
    label inside the plot, clear of the others by a margin, and nearest its own dot."""
    params = dataclasses.replace(DEFAULT, H=H, center=center)
    scene = construct(LambdaSweep, params, tex_dir=tex_cache)
    s, loss = scene.solution, params.loss()
    c2 = float(loss.center @ loss.center)
    big = mc.multiplier_for_budget(loss, LambdaSweep.big_budget * c2)
    assert s.ghost_lams == (0.0, mc.solve_constrained(loss, TANGENCY_K).lam, big)
    boxes = [np.array([*m.get_corner(DL)[:2], *m.get_corner(UR)[:2]]) for m in scene.ghost_labels]
    dots = np.array([d.get_center()[:2] for d in scene.ghost_dots])
    plot = np.array([*scene.axes.get_corner(DL)[:2], *scene.axes.get_corner(UR)[:2]])
    for i, box in enumerate(boxes):
        assert np.all(box[:2] >= plot[:2]) and np.all(box[2:] <= plot[2:])
        centre = (box[:2] + box[2:]) / 2
        assert np.argmin(np.linalg.norm(dots - centre, axis=1)) == i
        for other in boxes[i + 1 :]:
            apart = max(other[0] - box[2], box[0] - other[2], other[1] - box[3], box[1] - other[3])
            assert apart >= 0.1


def test_no_ghost_doubles_tangency_s_circle():
    """Where k(λ) = big_budget·||c||² is within a factor 2 of tangency's k, that ghost is left
    out: its circle would all but cover tangency's."""
    params = dataclasses.replace(DEFAULT, H=((2.5, 0.8), (0.8, 1.0)), center=(3.9, 3.0))
    s = LambdaSweep.solve(params)
    assert s.ghost_lams == (0.0, mc.solve_constrained(params.loss(), TANGENCY_K).lam)


@pytest.mark.parametrize(
    ("changes", "ghosts"),
    [({"center": (1.2248, 0.0)}, 2), ({"lam_min": 3.0, "lam_max": 100.0}, 2)],
    ids=["c almost on tangency's circle", "a slider without tangency's λ"],
)
def test_tangency_s_point_is_left_out_where_it_cannot_be_told_apart(tex_cache, changes, ghosts):
    """λ showing as 0.00 (tangency's point is c) or off the user's slider: no tangency ghost
    and no pause for it, and every ghost stays on the slider."""
    params = dataclasses.replace(DEFAULT, **changes)
    scene = construct(LambdaSweep, params, tex_dir=tex_cache)
    s = scene.solution
    assert s.tangency_lam is None and len(s.ghost_lams) == ghosts
    assert "sweep.tangency" not in [segment.id for segment in scene.timeline]
    assert all(lam == 0 or s.slider.lam_min <= lam <= s.slider.lam_max for lam in s.ghost_lams)
