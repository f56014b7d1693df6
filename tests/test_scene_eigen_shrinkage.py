"""eigen_shrinkage: the arrow's tip visits Qᵀŵ, the rescaled point and w*; the panel keeps
the three steps and the factor bars to the end, in the glossary's names."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import mathcore as mc
from scenes.eigen_shrinkage import EigenShrinkage, EigenShrinkageParams, amounts, shown_lambda
from scenes.plane import box_of
from scenes.tangency import Tangency, TangencyParams
from tests.scenetools import construct

DEFAULT = EigenShrinkageParams(lam=1.0)  # the numbers below are worked out by hand at λ = 1
LOSS = mc.QuadraticLoss(DEFAULT.H, DEFAULT.center)


class Probe(EigenShrinkage):
    """Records, at the end of every segment, where the arrow's tip is (data coordinates),
    what the axes are called and where ŵ's label, the axes' names and the q labels are
    (scene boxes)."""

    def on_screen(self):
        if not hasattr(self, "checkpoints"):
            self.checkpoints, self.axis_names_at, self.hat_label_at = {}, {}, {}
            self.names_at, self.q_labels_at = {}, {}
        segment = self.timeline[-1].id
        self.checkpoints[segment] = self.tip()
        self.axis_names_at[segment] = [p[1].tex_string for p in self.plane.axes.labels[:2]]
        self.hat_label_at[segment] = box_of(self.center_label)
        self.names_at[segment] = [box_of(p) for p in self.plane.axes.labels[:2]]
        self.q_labels_at[segment] = [box_of(q) for q in self.q_labels]
        return super().on_screen()


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(Probe, DEFAULT, tex_dir=tex_cache)


def within_a_pixel(scene, data_a, data_b) -> bool:
    gap = np.linalg.norm(scene.axes.c2p(*data_a) - scene.axes.c2p(*data_b))
    return gap < scene.pixel


def test_tip_visits_each_step_where_mathcore_says(scene):
    view = mc.eigen_shrinkage(LOSS, DEFAULT.lam)
    checks = scene.checkpoints
    assert within_a_pixel(scene, checks["problem"], LOSS.center)
    assert within_a_pixel(scene, checks["rotate"], view.rotated)
    assert within_a_pixel(scene, checks["shrink"], view.rescaled)
    assert within_a_pixel(scene, checks["back"], view.result)
    # independent: w* = (H + λI)⁻¹ H ŵ by a plain solve
    H, w_hat = np.array(DEFAULT.H), np.array(DEFAULT.center)
    direct = np.linalg.solve(H + DEFAULT.lam * np.eye(2), H @ w_hat)
    np.testing.assert_allclose(scene.solution.w_star, direct, rtol=1e-12)


def test_final_tip_lands_on_the_marked_direct_solve(scene):
    target = scene.axes.c2p(*mc.solve_penalized(LOSS, DEFAULT.lam))
    assert np.linalg.norm(scene.tip_arrow.get_end() - target) < scene.pixel
    assert np.linalg.norm(scene.marks["target"].get_center() - target) < scene.pixel


def test_rotation_is_the_short_way(scene):
    r = EigenShrinkage.results(scene.solution)
    assert -90 < r["rotation_deg"] <= 90
    assert r["rotation_deg"] == pytest.approx(26.565, abs=1e-3)
    assert scene.solution.turn_deg == pytest.approx(-26.565, abs=1e-3)
    assert r["turn_text"] == "−26.6"  # a proper minus sign for the caption
    assert set(r) >= {"Q", "sigma", "factors", "rotated", "rescaled", "w_star", "amounts"}
    np.testing.assert_allclose(r["factors"], [3.6 / 4.6, 0.6 / 1.6])


def test_the_turned_w_hat_keeps_its_label_inside_the_plot(tex_cache):
    """An untuned problem whose ŵ turns to the bottom of the plot: its label stays clear of
    the plot's edge (room for it past the arrow's tip) and of the arrowhead, at every step."""
    params = dataclasses.replace(DEFAULT, H=((3.2, 1.1), (1.1, 0.9)), center=(1.2, -1.6))
    scene = construct(Probe, params, tex_dir=tex_cache)
    plot = box_of(scene.axes)
    for segment, label in scene.hat_label_at.items():
        inside = min(label[0] - plot[0], label[1] - plot[1], plot[2] - label[2], plot[3] - label[3])
        assert inside > 0.3, (segment, inside)
    for names, q_labels in zip(scene.names_at.values(), scene.q_labels_at.values(), strict=True):
        for a in names:  # "q₂, σ₂ = …" and the turned axis's name q₂ stand well apart
            for b in q_labels:
                apart = max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])
                assert apart > 0.25, apart
    turned = scene.hat_label_at["rotate"]  # the arrow's tip is at ŵ, turned
    tip = scene.axes.c2p(*scene.checkpoints["rotate"])[:2]
    assert not (
        turned[0] - 0.1 < tip[0] < turned[2] + 0.1 and turned[1] - 0.1 < tip[1] < turned[3] + 0.1
    )


def test_equal_eigenvalues_skip_the_turn(tex_cache):
    params = dataclasses.replace(DEFAULT, H=((2.0, 0.0), (0.0, 2.0)))
    scene = construct(Probe, params, tex_dir=tex_cache)
    assert scene.solution.turn_deg == 0.0
    assert within_a_pixel(scene, scene.checkpoints["rotate"], DEFAULT.center)
    assert within_a_pixel(scene, scene.checkpoints["back"], np.array(DEFAULT.center) * 2 / 3)
    assert "lesson.why" not in [s.id for s in scene.timeline]  # nothing shrinks more


def test_lambda_zero_changes_nothing(tex_cache):
    params = dataclasses.replace(DEFAULT, lam=0.0)
    scene = construct(Probe, params, tex_dir=tex_cache)
    np.testing.assert_array_equal(scene.solution.factors, [1.0, 1.0])
    assert within_a_pixel(scene, scene.checkpoints["back"], DEFAULT.center)


@pytest.mark.parametrize(
    ("factors", "lam", "isotropic", "words"),
    [
        ((0.78, 0.38), 1.0, False, ("shrunk a little", "shrunk most")),
        ((0.97, 0.4), 0.1, False, ("kept", "shrunk most")),
        ((0.3, 0.1), 8.0, False, ("shrunk", "shrunk most")),
        ((1.0, 1.0), 0.0, False, ("kept", "kept")),
        ((0.67, 0.67), 1.0, True, ("shrunk alike", "shrunk alike")),
    ],
)
def test_kept_only_where_the_factor_is_near_one(factors, lam, isotropic, words):
    script = EigenShrinkage.load_script()
    keys = amounts(np.array(factors), lam, isotropic)
    assert tuple(script.word("amounts", key) for key in keys) == words


def test_the_default_lambda_is_tangencys_or_derived_from_h():
    """λ is tangency's (the λ whose w(λ) lies on its circle, three digits) when it lies between
    σ₂ and σ₁, else √(σ₁σ₂) to two digits: one factor above ½, one below, on any problem; a λ
    given with --set is used as it is."""
    s = EigenShrinkage.solve(EigenShrinkageParams())
    tangency = Tangency.solve(TangencyParams())
    assert s.lam == 2.32 == round(tangency.lam, 2)  # the story's w*: σ = 3.6, 0.6
    np.testing.assert_allclose(s.w_star, tangency.w_star, atol=2e-3)
    for H, center, tangencys in (
        ([[1.0, 0.2], [0.2, 4.0]], [-0.8, 2.2], True),  # σ = 4.01, 0.99; λ* = 3.13
        ([[3.2, 1.1], [1.1, 0.9]], [1.2, -1.6], False),  # σ₂ = 0.46 > λ* = 0.33
        ([[50.0, 0.0], [0.0, 1.0]], [1.0, 1.0], False),  # σ₂ = 1 > λ* = 0.39
        ([[0.02, 0.01], [0.01, 0.3]], [1.0, 1.0], False),  # σ₂ = 0.020 > λ* = 0.0076
    ):
        loss = mc.QuadraticLoss(np.array(H), np.array(center))
        lam = shown_lambda(loss)
        star = mc.multiplier_for_budget(loss, 1.5)
        expected = star if tangencys else np.sqrt(np.prod(loss.sigma))
        assert lam == pytest.approx(expected, rel=0.05)
        factors = loss.sigma / (loss.sigma + lam)
        assert factors[0] >= 0.5 >= factors[1]
    assert shown_lambda(mc.QuadraticLoss(2.0 * np.eye(2), np.array([1.0, 1.0]))) == 2.0
    assert EigenShrinkage.solve(EigenShrinkageParams(lam=0.25)).lam == 0.25
    assert EigenShrinkage.results(s)["amounts"] == ["shrunk a little", "shrunk most"]


def test_the_last_frame_keeps_the_steps_the_bars_and_the_lesson(scene):
    """The last frame sums the scene up: the three steps' results, both factor bars with
    their factors and what they mean, and why the small-σ direction shrinks most."""
    last = scene.layout["lesson.why"]
    shown = " ".join(t.text for t in last.texts)
    for part in (r"Q^\top\hat w = (1.97,\ 1.25)", "(1.54,\\ 0.47)", r"w^* = (1.17,\ 1.11)"):
        assert part in shown, part
    for part in (r"\times0.78", r"\times0.38", "shrunk a little", "shrunk most", "noisiest"):
        assert part in shown, part
    bars = scene.marks["bars"]
    widths = [row[-1].width / row.frame.width for row in bars]
    np.testing.assert_allclose(widths, scene.solution.factors, atol=0.01)


def test_the_turned_axes_are_q1_and_q2_and_turn_back(scene):
    assert scene.axis_names_at["rotate"] == ["q_1", "q_2"]
    assert scene.axis_names_at["lesson"] == ["w_1", "w_2"]


def test_the_axes_names_are_redrawn_every_frame_with_their_plates(scene):
    """The layout keeper moves the axes' names every frame and the turns rename them:
    each name (plate and text) is a scene mobject after the first that updates, so Manim
    redraws it every frame (in the plane's still backdrop a plate stayed behind, empty,
    when its name moved on U3), and it is drawn once: no group holds it too."""
    first = min(i for i, m in enumerate(scene.mobjects) if any(f.updaters for f in m.get_family()))
    for name in scene.plane.axes.labels[:2]:
        assert scene.mobjects.index(name) > first
        holders = [m for m in scene.mobjects if m is not name and name in m.get_family()]
        assert holders == []
        assert name[1].tex_string in ("w_1", "w_2")  # the text its plate holds, renamed back


def test_numbers_round_half_up_like_every_label(scene):
    """σ₂/(σ₂ + λ) = 0.6/1.6 = 0.375 (0.37499… in binary) shows as 0.38, on screen and in
    the captions."""
    assert scene.solution.factors[1] == pytest.approx(0.375)
    lines = EigenShrinkage.load_script().fill(EigenShrinkage.results(scene.solution))
    assert "×0.38 along q₂" in lines["shrink.coords"].caption
    assert (
        "×0.38" in lines["lesson"].caption and "shrunk a little, ×0.78" in lines["lesson"].caption
    )
    assert scene.marks["bars"][1].number.tex_string == r"\times0.38"
    assert scene.marks["rotated"].tex_string.endswith("(1.97,\\ 1.25)")


def test_zero_w_hat_is_handled():
    s = EigenShrinkage.solve(dataclasses.replace(DEFAULT, center=(0.0, 0.0)))
    np.testing.assert_array_equal(s.w_star, [0.0, 0.0])


def test_a_negative_penalty_is_refused_in_one_line():
    with pytest.raises(ValueError, match="lam must be a penalty"):
        EigenShrinkageParams(lam=-1.0)
