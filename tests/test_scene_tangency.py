"""tangency: the objects sit where independent mathematics puts them, ∇f and −λ∇g share one
scale (and a minimum visible length) and coincide at w* (the still's pixels are
tests/test_references.py's)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy.optimize import minimize

import mathcore as mc
from scenes.plane import box_of, overlap, place_free, tip_box
from scenes.tangency import Tangency, TangencyParams
from tests.scenetools import construct, data_point

DEFAULT = TangencyParams()
UNTUNED = dataclasses.replace(DEFAULT, H=((3.2, 1.1), (1.1, 0.9)), center=(1.2, -1.6))


def constrained(H, c, k):
    """argmin ½(w − c)ᵀH(w − c) s.t. ‖w‖² ≤ k by SLSQP, and λ from ∇f(w*) = −λw*."""
    H, c = np.asarray(H), np.asarray(c)
    best = minimize(
        lambda w: 0.5 * (w - c) @ H @ (w - c),
        np.zeros(2),
        jac=lambda w: H @ (w - c),
        constraints=[{"type": "ineq", "fun": lambda w: k - w @ w, "jac": lambda w: -2 * w}],
        tol=1e-14,
        method="SLSQP",
    ).x
    return best, -(H @ (best - c)) @ best / (best @ best)


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(Tangency, tex_dir=tex_cache)


@pytest.mark.parametrize("params", [DEFAULT, UNTUNED], ids=["default", "untuned"])
def test_w_star_and_lambda_agree_with_scipy(params):
    s = Tangency.solve(params)
    w, lam = constrained(params.H, params.center, params.k)
    np.testing.assert_allclose(s.w_star, w, atol=1e-6)
    assert s.lam == pytest.approx(lam, rel=1e-5)
    results = Tangency.results(s)
    assert set(results) == {"w_star", "lam", "k", "radius", "p_start", "share_start", "active"}
    assert results["radius"] == pytest.approx(math.sqrt(params.k))
    assert results["active"] is True and results["k"] == params.k


def test_the_first_frame_shows_the_circle_and_the_optimum(scene):
    """The problem and its answer from the start: the first segment's layout already holds
    w*'s label and the circle's, and the optimum's dot sits at w* from the start."""
    first = next(iter(scene.layout.values()))
    texts = {t.text for t in first.texts}
    assert {"w^*", r"\|w\|^2 = k", r"\hat w"} <= texts
    assert "w_star" in {p.text for p in first.points}
    expected = scene.axes.c2p(*scene.solution.w_star)
    assert np.linalg.norm(scene.marks["w_star"].get_center() - expected) < scene.pixel


def test_p_starts_elsewhere_and_ends_on_the_optimum(scene):
    s = scene.solution.slide
    start_gap = np.degrees(abs(mc.angle_of(s.points[0]) - mc.angle_of(scene.solution.w_star)))
    assert start_gap == pytest.approx(60.0, abs=1e-6)
    expected = scene.axes.c2p(*scene.solution.w_star)
    assert np.linalg.norm(scene.marks["p"].get_center() - expected) < scene.pixel


def test_slide_samples_are_fine_enough_for_60_fps():
    """p moves less than 0.5° between samples: at most a pixel at 4k."""
    s = Tangency.solve(DEFAULT)
    steps = np.degrees(np.abs(np.diff(mc.angle_of(s.slide.points))))
    assert steps.max() < 0.5 and len(s.slide.points) >= 60 * DEFAULT.slide_time


def test_circle_radius_is_sqrt_k_in_axis_units(scene):
    anchors = np.array([data_point(scene.axes, p) for p in scene.marks["circle"].get_anchors()])
    np.testing.assert_allclose(np.linalg.norm(anchors, axis=1), math.sqrt(DEFAULT.k), rtol=1e-9)


@pytest.mark.parametrize("params", [DEFAULT, UNTUNED], ids=["default", "untuned"])
def test_grad_f_and_pull_share_one_scale_with_a_visible_minimum(params):
    """Along the whole slide the ∇f arrow is ∇f(p) = H(p − ŵ) and the −λ∇g arrow is −λp
    (numpy, λ from scipy), both times one scale, except that neither is ever drawn shorter
    than the minimum visible length."""
    s = Tangency.solve(params)
    H, c = np.asarray(params.H), np.asarray(params.center)
    _, lam = constrained(H, c, params.k)
    p = s.slide.points
    grad = (p - c) @ H.T
    pull = -lam * p
    least = Tangency.min_length / s.view.unit  # data units
    for drawn, true in ((s.slide.grad_f, grad), (s.slide.pull, pull)):
        size, true_size = np.linalg.norm(drawn, axis=1), np.linalg.norm(true, axis=1)
        cos = np.sum(drawn * true, axis=1) / (size * true_size)
        np.testing.assert_allclose(cos, 1.0, atol=1e-9)  # the right directions
        assert np.all(size >= least * (1 - 1e-9))
        scaled = s.scale * true_size
        free = scaled > least
        np.testing.assert_allclose(size[free], scaled[free], rtol=1e-5)  # one scale
        np.testing.assert_allclose(size[~free], least, rtol=1e-9)  # else the minimum


@pytest.mark.parametrize("params", [DEFAULT, UNTUNED], ids=["default", "untuned"])
def test_the_two_arrows_coincide_at_w_star(params, tex_cache):
    scene = construct(Tangency, params, tex_dir=tex_cache)
    f, g = scene.marks["grad_f"], scene.marks["pull"]
    np.testing.assert_allclose(f.get_start(), g.get_start(), atol=scene.pixel)
    np.testing.assert_allclose(f.get_end(), g.get_end(), atol=scene.pixel)
    expected = scene.axes.c2p(*scene.solution.w_star)
    assert np.linalg.norm(f.get_start() - expected) < scene.pixel
    inward = -scene.solution.w_star / np.linalg.norm(scene.solution.w_star)
    direction = data_point(scene.axes, f.get_end()) - scene.solution.w_star
    assert direction / np.linalg.norm(direction) == pytest.approx(inward, abs=1e-5)
    length = np.linalg.norm(f.get_end() - f.get_start())
    assert length >= Tangency.min_length - 1e-6  # ≥ 40 px at the blog size
    assert scene.marks["both"][1].tex_string == r"\nabla f = -\lambda \nabla g"


@pytest.mark.parametrize("params", [DEFAULT, UNTUNED], ids=["default", "untuned"])
def test_the_arrows_labels_stay_clear_of_the_edges_labels_and_heads(params, tex_cache):
    """All along the slide, ∇f's and −λ∇g's labels keep `edge_room` inside the plot (on the
    untuned problem ∇f points into a corner) and cover no other label or arrowhead."""
    scene = construct(Tangency, params, tex_dir=tex_cache)
    s, axes = scene.solution.slide, scene.axes
    plot = box_of(axes)
    scene.make_moving_labels()  # as they slide (at the end ∇f's and −λ∇g's became one)
    scene.shown_arrows = {"f", "g", "d"}
    for progress in np.linspace(0.0, 1.0, 21):
        scene.progress.set_value(progress)
        scene.place_moving_labels()
        i = scene.now()
        p = s.points[i]
        heads = {
            key: tip_box(axes.c2p(*(p + v)), size)
            for key, v, size in (
                ("f", s.grad_f[i], Tangency.F_ARROW[1]),
                ("g", s.pull[i], Tangency.G_ARROW[1]),
            )
        }
        for key, label in (("f", scene.f_label), ("g", scene.g_label)):
            box = box_of(label)
            room = min(box[0] - plot[0], box[1] - plot[1], plot[2] - box[2], plot[3] - box[3])
            assert room >= Tangency.edge_room - 1e-9, (progress, key)
            others = [box_of(m) for m in (scene.f_label, scene.g_label, scene.p_label)]
            others = [o for o in others if not np.array_equal(o, box)]
            for other in [*others, *scene.fixed_boxes, *heads.values()]:
                assert overlap(box, other) == 0.0, (progress, key)


@pytest.mark.parametrize("params", [DEFAULT, UNTUNED], ids=["default", "untuned"])
def test_the_arrows_labels_stay_by_their_tips_as_the_arrows_become_one(params, tex_cache):
    """Near w*, where ∇f and −λ∇g point (almost) the same way, each label stays within 32
    blog px of its own tip (each straight on, one pushed by the other sat 50–60 px off);
    they prefer opposite sides of the arrows, the same side all the way."""
    scene = construct(Tangency, params, tex_dir=tex_cache)
    s, axes = scene.solution.slide, scene.axes
    scene.make_moving_labels()  # as they slide (at the end ∇f's and −λ∇g's became one)
    scene.shown_arrows = {"f", "g"}
    side = Tangency.label_side(s.grad_f, s.pull)
    close = 0
    for i in range(len(s.points)):
        f, g = (v / np.linalg.norm(v) for v in (s.grad_f[i], s.pull[i]))
        if f @ g < math.cos(Tangency.close_angle):
            continue
        close += 1
        ways = Tangency.label_ways(s.grad_f[i], s.pull[i], side)
        left = np.array([-f[1], f[0]])
        assert ways["f"] @ left * (ways["g"] @ left) < 0  # opposite sides of the arrows
        scene.progress.set_value(i / (len(s.points) - 1))
        scene.place_moving_labels()
        assert scene.now() == i
        for label, v in ((scene.f_label, s.grad_f[i]), (scene.g_label, s.pull[i])):
            tip = axes.c2p(*(s.points[i] + v))[:2]
            box = box_of(label)
            nearest = np.clip(tip, box[:2], box[2:])
            assert np.linalg.norm(nearest - tip) < 32 / 54, i  # 32 px at the blog size
    assert close > 10


def test_the_share_readout_is_the_tangential_part_of_grad_f(scene):
    s = scene.solution.slide
    H, c = np.asarray(DEFAULT.H), np.asarray(DEFAULT.center)
    grad = (s.points - c) @ H.T
    tangent = np.column_stack([-s.points[:, 1], s.points[:, 0]]) / math.sqrt(DEFAULT.k)
    expected = np.abs(np.sum(grad * tangent, axis=1)) / np.linalg.norm(grad, axis=1)
    np.testing.assert_allclose(s.share, expected, atol=1e-12)
    assert s.share[0] > 0.5 and scene.share.value == pytest.approx(0.0, abs=1e-9)


def test_lambda_label_shows_the_value(scene):
    assert scene.marks["lam"].tex_string == rf"\lambda = {scene.solution.lam:.2f}"
    assert "2.32" in scene.marks["lam"].tex_string


def test_inactive_budget_shows_one_point_with_lambda_zero(tex_cache):
    params = dataclasses.replace(DEFAULT, k=6.0)  # ‖ŵ‖² = 5.44 ≤ 6
    scene = construct(Tangency, params, tex_dir=tex_cache)
    assert not scene.solution.active and scene.solution.slide is None
    expected = scene.axes.c2p(*DEFAULT.center)
    assert np.linalg.norm(scene.marks["w_star"].get_center() - expected) < scene.pixel
    assert r"\lambda = 0" in scene.marks["lam"].tex_string
    assert scene.center_label[1].tex_string == r"w^* = \hat w"  # one point, one label
    assert [seg.id for seg in scene.timeline][-1] == "inactive"
    x_range, y_range = scene.solution.view.x_range, scene.solution.view.y_range
    assert x_range[0] < -math.sqrt(6.0) and y_range[0] < -math.sqrt(6.0)


def test_an_explicit_start_is_honoured():
    s = Tangency.solve(dataclasses.replace(DEFAULT, start_angle=115.0))
    expected = mc.point_on_circle(DEFAULT.k, math.radians(115.0))
    np.testing.assert_allclose(s.slide.points[0], expected, atol=1e-14)


@pytest.mark.parametrize(
    ("H", "center"),
    [(((2.0, 0.0), (0.0, 2.0)), (-1.0, 1.8)), (((2.0, 0.05), (0.05, 1.9)), (-1.5, 1.6))],
)
def test_the_derived_start_works_for_problems_unlike_the_default(H, center):
    """The start the scene derives is 60° from w* and slides down to it."""
    s = Tangency.solve(dataclasses.replace(DEFAULT, H=H, center=center))
    w_star, _ = constrained(H, center, DEFAULT.k)
    np.testing.assert_allclose(s.slide.points[-1], w_star, atol=1e-6)
    turn = np.degrees(abs(mc.angle_of(s.slide.points[0]) - mc.angle_of(w_star)))
    assert min(turn, 360 - turn) == pytest.approx(60.0, abs=1e-4)


def test_a_start_that_descends_elsewhere_is_rejected():
    w_star = mc.solve_constrained(DEFAULT.loss(), DEFAULT.k).w
    params = dataclasses.replace(DEFAULT, start_angle=math.degrees(mc.angle_of(w_star)))
    with pytest.raises(mc.MathcoreError, match="start_angle"):
        Tangency.solve(params)


def test_the_scene_plays_its_beats_in_order(scene):
    assert [seg.id for seg in scene.timeline] == [
        "problem",
        "problem.budget",
        "problem.answer",
        "point",
        "point.pull",
        "point.gap",
        "point.green",
        "slide",
        "touch",
        "touch.lagrangian",
    ]


def test_labels_are_placed_off_lines_and_boxes():
    """place_free: the first clear spot in order; a box or a line in the way pushes the
    label to the next direction, or further out."""
    from manim import Square

    label = Square(side_length=0.4)
    anchor = np.zeros(3)
    right, up = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    place_free(label, anchor, [right, up], gaps=(0.1,))
    assert label.get_center()[:2] == pytest.approx((0.3, 0.0))
    blocker = np.array([0.1, -0.3, 0.6, 0.3])
    place_free(label, anchor, [right, up], boxes=[blocker], gaps=(0.1,))
    assert label.get_center()[:2] == pytest.approx((0.0, 0.3))
    line = np.column_stack([np.linspace(-1, 1, 41), np.full(41, 0.3)])  # y = 0.3
    place_free(label, anchor, [right, up], boxes=[blocker], points=line, gaps=(0.1, 0.6))
    assert label.get_center()[:2] == pytest.approx((0.0, 0.8))


def test_hold_is_long_enough_to_read_and_inactive_has_no_start():
    with pytest.raises(ValueError, match="hold_time"):
        TangencyParams(hold_time=0.5)
    inactive = Tangency.solve(dataclasses.replace(DEFAULT, k=6.0))
    assert inactive.slide is None and Tangency.results(inactive)["p_start"] is None


def test_no_level_set_runs_beside_the_touching_one(tex_cache):
    """On H=[[1,0.2],[0.2,4]], c=(−0.8,2.2) a drawn level set runs a few pixels from the one
    through w*: it fades as that one is drawn, so no line looks doubled; the others stay."""
    params = dataclasses.replace(DEFAULT, H=((1.0, 0.2), (0.2, 4.0)), center=(-0.8, 2.2))
    scene = construct(Tangency, params, tex_dir=tex_cache)
    loss = params.loss()
    w_star = mc.solve_constrained(loss, params.k).w
    radius = math.sqrt(loss.value(w_star) - loss.f_min)
    ellipses = scene.plane.ellipses
    radii = np.array([math.sqrt(loss.value(e[0]) - loss.f_min) for e in ellipses])
    spacing = radii[-1] / len(radii)
    strokes = [scene.plane.rings[len(radii) - 1 - i][1] for i in range(len(radii))]
    shown = np.array(
        [max(m.get_stroke_opacity() for m in s.family_members_with_points()) for s in strokes]
    )
    near = np.abs(radii - radius) < spacing / 3
    assert near.sum() == 1  # this problem has one
    assert np.all(shown[near] == 0.0) and np.all(shown[~near] > 0.0)
