"""lambda_sweep: the path, ghosts, circles, eigenvectors and the weight that grows before it
shrinks sit where independent code (scikit-learn, numpy, scipy) puts them."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from manim import DL, UR, DashedVMobject
from scipy.optimize import minimize_scalar
from sklearn.linear_model import Ridge

import mathcore as mc
from narration import fixed
from scenes.lambda_sweep import TANGENCY_K, LambdaSweep, LambdaSweepParams
from scenes.tangency import TangencyParams
from tests.scenetools import construct, data_point

DEFAULT = LambdaSweepParams()
H, C = np.array(DEFAULT.H), np.array(DEFAULT.center)


def ridge(H, c, lam):
    """(H + λI)⁻¹Hc, by numpy."""
    H, c = np.asarray(H, dtype=float), np.asarray(c, dtype=float)
    return np.linalg.solve(H + lam * np.eye(len(c)), H @ c)


def sklearn_ridge(H, c, lam):
    """scikit-learn's Ridge(alpha=λ) on data with XᵀX = H whose least-squares fit is c."""
    X = np.linalg.cholesky(np.asarray(H, dtype=float)).T  # XᵀX = LLᵀ = H
    y = X @ np.asarray(c, dtype=float)
    return Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(X, y).coef_


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(LambdaSweep, tex_dir=tex_cache)


def test_path_runs_from_w_hat_to_the_origin_as_scikit_learn_says(scene):
    s = scene.solution
    np.testing.assert_array_equal(s.path[0], C)
    assert np.linalg.norm(s.path[-1]) < 1e-3 and len(s.path) >= 50
    finite = np.flatnonzero(np.isfinite(s.lams) & (s.lams > 0))[::40]
    for i in finite:
        np.testing.assert_allclose(s.path[i], sklearn_ridge(H, C, s.lams[i]), atol=1e-9)
        np.testing.assert_allclose(s.path[i], ridge(H, C, s.lams[i]), atol=1e-12)


def test_ghosts_sit_on_the_penalised_solutions_and_say_their_lambda_and_k(scene):
    s = scene.solution
    assert len(s.ghost_lams) == 2 and 0.0 not in s.ghost_lams  # λ = 0 is ŵ itself
    for i, lam in enumerate(s.ghost_lams):
        w = ridge(H, C, lam)
        expected = scene.axes.c2p(*w)
        assert np.linalg.norm(scene.ghost_dots[i].get_center() - expected) < scene.pixel
        label = scene.ghost_labels[i][1].tex_string
        assert label == rf"\lambda = {fixed(lam, 2)},\ k = {fixed(w @ w, 2)}"


def test_w_hat_is_named_as_w_of_zero(scene):
    assert scene.center_label[1].tex_string == r"\hat w = w(0)"


def test_one_ghost_is_tangency_s_point(scene):
    """The two scenes show the same point: the ghost at k = tangency's budget."""
    k = TangencyParams().k
    assert TANGENCY_K == k
    s = scene.solution
    i = s.ghost_lams.index(s.tangency_lam)
    w = s.ghost_points[i]
    assert w @ w == pytest.approx(k, rel=1e-10)
    np.testing.assert_allclose(w, ridge(H, C, s.tangency_lam), atol=1e-12)
    assert scene.ghost_labels[i][1].tex_string.endswith(rf"k = {fixed(k, 2)}")


def test_every_displayed_circle_touches_its_level_set(scene):
    """At every sample shown, ∇f(w) is anti-parallel to w (the circle's normal)."""
    s = scene.solution
    w = s.path[1:-1]
    grads = (w - C) @ H.T
    cross = grads[:, 0] * w[:, 1] - grads[:, 1] * w[:, 0]
    scale = np.linalg.norm(grads, axis=1) * np.linalg.norm(w, axis=1)
    assert np.all(np.abs(cross) <= 1e-9 * scale + 1e-15)
    assert np.all(np.sum(grads * w, axis=1) <= 0)
    for lam, ghost in zip(s.ghost_lams, scene.ghosts, strict=True):
        dashes = ghost[0].family_members_with_points()
        anchors = np.array([data_point(scene.axes, p) for d in dashes for p in d.get_anchors()])
        radius = np.linalg.norm(ridge(H, C, lam))
        np.testing.assert_allclose(
            np.linalg.norm(anchors, axis=1), radius, atol=2e-3 * radius + 1e-9
        )


def test_inset_maps_lambda_to_the_budget(scene):
    s = scene.solution
    np.testing.assert_allclose(s.budgets, np.sum(s.path**2, axis=1), rtol=1e-12)
    assert np.all(np.diff(s.budgets) <= 1e-15)  # k(λ) decreases
    for lam in s.ghost_lams:
        w = ridge(H, C, lam)
        grad = H @ (w - C)
        assert -(grad @ w) / (w @ w) == pytest.approx(lam, rel=1e-9)  # its KKT multiplier


def test_the_inset_says_how_lambda_runs(scene):
    assert "log scale" in scene.inset_note.tex_string
    labels = [m[1].tex_string for m in scene.inset_axes.labels]
    assert labels[0] == "0" and r"\infty" in labels and "1" in labels


def test_results_for_the_manifest(scene):
    r = LambdaSweep.results(scene.solution)
    assert set(r) >= {"path", "ghost_lams", "ghost_points", "k_of_lam", "grows", "grow_lam"}
    assert len(r["path"]) >= 50 and r["path_lams"][-1] == "inf"
    assert r["k_of_lam"][0] == [0.0, pytest.approx(float(C @ C))]
    assert r["straight"] is False and r["w_hat_norm2"] == pytest.approx(float(C @ C))
    # the last ghost (the smallest budget marked) is named in a caption, as its label says
    last = scene.ghost_labels[-1][1].tex_string
    lam, k = fixed(r["ghost_lams"][-1], 2), fixed(r["ghost_budgets"][-1], 2)
    assert f"\\lambda = {lam}" in last and f"k = {k}" in last
    caption = LambdaSweep.load_script().fill(r)["sweep.origin"].caption
    assert f"λ = {lam}: k = {k}" in caption


def test_w1_grows_before_it_shrinks_where_numpy_says(scene):
    """w₁(λ) peaks at λ ≈ 0.30 with 1.25 (numpy + scipy's bounded search, not mathcore); the
    scene marks that point on the path, writes both values and says it."""
    peak = minimize_scalar(
        lambda t: -ridge(H, C, np.exp(t))[0],
        bounds=(-6, 4),
        method="bounded",
        options={"xatol": 1e-10},
    )
    lam, top = float(np.exp(peak.x)), float(-peak.fun)
    g = scene.solution.growth
    assert g.index == 0 and g.lam == pytest.approx(lam, rel=1e-5)
    assert g.peak == pytest.approx(top, abs=1e-9) and g.start == C[0]
    r = LambdaSweep.results(scene.solution)
    assert (r["grow_from_text"], r["grow_peak_text"], fixed(r["grow_lam"], 2)) == (
        "1.20",
        "1.25",
        "0.30",
    )
    ring = scene.marks["peak"]
    assert np.linalg.norm(ring.get_center() - scene.axes.c2p(*ridge(H, C, lam))) < scene.pixel
    assert scene.marks["peak_label"][1].tex_string == "w_1 = 1.25"
    caption = LambdaSweep.load_script().fill(r)["grows"].caption
    assert "w₁ grows: 1.20 → 1.25 at λ ≈ 0.30" in caption


@pytest.mark.parametrize(
    ("problem", "grows"),
    [
        ({"center": (-1.5, 1.6)}, False),  # quadrant II: both only shrink
        ({"center": (-1.4, -1.7)}, True),  # quadrant III: w₁ from −1.40 to −1.41
        ({"center": (0.761, 0.906)}, False),  # grows by 0.003: invisible at two decimals
    ],
)
def test_the_scene_speaks_of_growth_only_where_there_is_some(tex_cache, problem, grows):
    params = dataclasses.replace(DEFAULT, **problem)
    scene = construct(LambdaSweep, params, tex_dir=tex_cache)
    played = [seg.id for seg in scene.timeline]
    assert ("grows" in played) == grows and ("peak" in scene.marks) == grows
    c = np.asarray(problem["center"])
    lams = np.geomspace(1e-4, 1e4, 4001)
    w1 = np.abs([ridge(H, c, lam)[0] for lam in lams])
    assert (fixed(w1.max(), 2) != fixed(abs(c[0]), 2)) == grows
    if grows:
        r = LambdaSweep.results(scene.solution)
        assert r["grow_from_text"] == "−1.40" and r["grow_peak_text"] == "−1.41"


def test_the_eigenvectors_are_drawn_through_the_origin(scene):
    """q₁ and q₂ (numpy's eigh, up to sign) are the lines the path beat names."""
    _, Q = np.linalg.eigh(H)
    lines = scene.q_ends
    for j, q in zip((0, 1), (Q[:, 1], Q[:, 0]), strict=True):  # q₁: the larger σ
        a, b = lines[j]
        direction = (b - a) / np.linalg.norm(b - a)
        assert abs(direction @ q) == pytest.approx(1.0, abs=1e-12)
        assert abs(a[0] * b[1] - a[1] * b[0]) < 1e-12  # through the origin
    text = "".join(line.tex_string for line in scene.marks["explanation"])
    assert "eigenvectors of }H = X^\\top X" in text


@pytest.mark.parametrize(
    ("H", "center"),
    [(((2.0, 0.0), (0.0, 2.0)), (1.2, 2.0)), (((3.0, 0.0), (0.0, 1.0)), (1.5, 0.0))],
    ids=["H = 2I", "w hat along an eigenvector"],
)
def test_straight_paths_are_called_straight(tex_cache, H, center):
    params = dataclasses.replace(DEFAULT, H=H, center=center)
    scene = construct(LambdaSweep, params, tex_dir=tex_cache)
    path = scene.solution.path
    cross = path[:, 0] * center[1] - path[:, 1] * center[0]
    assert np.all(np.abs(cross) < 1e-12)
    assert scene.timeline[-1].id == "straight"
    assert LambdaSweep.results(scene.solution)["straight"] is True


def test_zero_w_hat_does_not_break_the_sweep():
    s = LambdaSweep.solve(dataclasses.replace(DEFAULT, center=(0.0, 0.0)))
    assert np.all(s.path == 0) and s.straight and s.ghost_lams == () and s.growth is None


def test_bad_slider_settings_are_rejected():
    with pytest.raises(ValueError, match="lam_min"):
        LambdaSweepParams(lam_min=10.0, lam_max=1.0)
    with pytest.raises(ValueError, match="ghost_lams"):
        LambdaSweepParams(ghost_lams=(0.0, 1.0))
    with pytest.raises(ValueError, match="off the slider"):
        LambdaSweep.solve(LambdaSweepParams(ghost_lams=(500.0,), lam_max=100.0))


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


def test_the_sweep_spends_its_time_where_w_moves(scene):
    """The clock runs from 0 to 1; most of it goes where w(λ) moves, little where it sits
    still (λ far below the eigenvalues)."""
    s = scene.solution
    assert s.clock[0] == 0 and s.clock[-1] == pytest.approx(1.0) and np.all(np.diff(s.clock) >= 0)
    early = s.lams < 0.05 * s.sigma[-1]
    assert s.clock[early][-1] < 0.5 * s.positions[early][-1]


def test_beats_state_the_fix_rest_on_tangency_s_point_and_name_the_path(scene):
    played = [segment.id for segment in scene.timeline]
    assert played == [
        "fix",
        "fix.lagrangian",
        "fix.start",
        "sweep",
        "sweep.tangency",
        "sweep.origin",
        "inset",
        "inset.family",
        "path",
        "grows",
        "grows.why",
    ]
    first = LambdaSweep.load_script().fill(LambdaSweep.results(scene.solution))["fix"]
    assert "penalty λ" in first.caption and "budget k" in first.caption  # both, as drawn


def test_at_infinity_no_circle_and_no_level_set_remain(scene):
    """The circle of radius 0 has no level set 'tangent' to it: both are gone at λ = ∞."""
    assert scene.progress.get_value() == 1.0
    assert len(scene.marks["circle"].points) == 0
    assert len(scene.marks["touching"].points) == 0
    np.testing.assert_allclose(
        data_point(scene.axes, scene.marks["point"].get_center()), 0, atol=1e-9
    )


def test_ghosts_are_dashed_apart_from_the_rings(scene):
    """Each ghost keeps a dashed circle and a dashed level set through its point."""
    s = scene.solution
    for i, ghost in enumerate(scene.ghosts):
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
    """Ghosts at tangency's λ and where k(λ) = big_budget·‖ŵ‖²; every label inside the
    plot, clear of the others, and nearest its own dot."""
    params = dataclasses.replace(DEFAULT, H=H, center=center)
    scene = construct(LambdaSweep, params, tex_dir=tex_cache)
    s = scene.solution
    c2 = float(np.sum(np.asarray(center) ** 2))
    for lam, k in zip(s.ghost_lams, (TANGENCY_K, LambdaSweep.big_budget * c2), strict=True):
        w = ridge(H, center, lam)
        assert w @ w == pytest.approx(k, rel=1e-9)
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
    """Where k(λ) = big_budget·‖ŵ‖² is within a factor 2 of tangency's k, that ghost is left
    out: its circle would all but cover tangency's."""
    params = dataclasses.replace(DEFAULT, H=((2.5, 0.8), (0.8, 1.0)), center=(3.9, 3.0))
    s = LambdaSweep.solve(params)
    assert s.ghost_lams == (mc.solve_constrained(params.loss(), TANGENCY_K).lam,)


@pytest.mark.parametrize(
    ("changes", "ghosts"),
    [({"center": (1.2248, 0.0)}, 1), ({"lam_min": 3.0, "lam_max": 100.0}, 1)],
    ids=["w hat almost on tangency's circle", "a slider without tangency's λ"],
)
def test_tangency_s_point_is_left_out_where_it_cannot_be_told_apart(tex_cache, changes, ghosts):
    """λ showing as 0.00 (tangency's point is ŵ) or off the user's slider: no tangency ghost
    and no pause for it, and every ghost stays on the slider."""
    params = dataclasses.replace(DEFAULT, **changes)
    scene = construct(LambdaSweep, params, tex_dir=tex_cache)
    s = scene.solution
    assert s.tangency_lam is None and len(s.ghost_lams) == ghosts
    assert "sweep.tangency" not in [segment.id for segment in scene.timeline]
    assert all(s.slider.lam_min <= lam <= s.slider.lam_max for lam in s.ghost_lams)


def test_ghost_labels_all_give_lambda_and_k(scene):
    pattern = re.compile(r"\\lambda = \d+\.\d\d,\\ k = \d+\.\d\d")
    assert all(pattern.fullmatch(label[1].tex_string) for label in scene.ghost_labels)


def test_the_growth_guide_keeps_off_the_eigenvectors_names(scene):
    """The dashed guide w₁ = ŵ₁, drawn last, passes no closer than a visible gap to q₁'s
    and q₂'s names (placed before it), nor does either line; the labels it does pass (ŵ's,
    on it by construction, and the ghosts') are drawn over it, on their plates."""
    axes = scene.axes

    def points(ends):
        a, b = (axes.c2p(*p)[:2] for p in ends)
        return np.linspace(a, b, 2000)

    np.testing.assert_array_equal(scene.guide_ends()[:, 0], [C[0], C[0]])  # w₁ = ŵ₁
    lines = [points(scene.guide_ends()), *(points(ends) for ends in scene.q_ends)]
    for name in scene.marks["q_names"]:
        (left, bottom, _), (right, top, _) = name.get_corner(DL), name.get_corner(UR)
        for line in lines:
            x, y = line[:, 0], line[:, 1]
            near = (x > left - 0.1) & (x < right + 0.1) & (y > bottom - 0.1) & (y < top + 0.1)
            assert not near.any(), name[1].tex_string
    order = {id(m): i for i, m in enumerate(scene.mobjects)}
    guide = order[id(scene.marks["guide"])]
    assert all(order[id(m)] > guide for m in [*scene.ghost_labels, scene.center_label])
