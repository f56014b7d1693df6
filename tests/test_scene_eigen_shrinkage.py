"""eigen_shrinkage: the arrow's tip visits Qᵀθ̂, the rescaled point and θ̂_ridge."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import mathcore as mc
from scenes.eigen_shrinkage import EigenShrinkage, EigenShrinkageParams
from tests.scenetools import compare_to_reference, construct

DEFAULT = EigenShrinkageParams()
LOSS = mc.QuadraticLoss(DEFAULT.H, DEFAULT.center)


class Probe(EigenShrinkage):
    """Records where the arrow's tip is (data coordinates) after each step."""

    def draw_picture(self) -> None:
        super().draw_picture()
        self.checkpoints = {"start": self.tip()}

    def rotate_to_eigenbasis(self) -> None:
        super().rotate_to_eigenbasis()
        self.checkpoints["rotated"] = self.tip()
        self.names_turned = [p[1].tex_string for p in self.plane.axes.labels[:2]]

    def rescale(self) -> None:
        super().rescale()
        self.checkpoints["rescaled"] = self.tip()

    def rotate_back(self) -> None:
        super().rotate_back()
        self.checkpoints["result"] = self.tip()


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(Probe, tex_dir=tex_cache)


def within_a_pixel(scene, data_a, data_b) -> bool:
    gap = np.linalg.norm(scene.axes.c2p(*data_a) - scene.axes.c2p(*data_b))
    return gap < scene.pixel


def test_tip_visits_each_step_where_mathcore_says(scene):
    view = mc.eigen_shrinkage(LOSS, DEFAULT.lam)
    checks = scene.checkpoints
    assert within_a_pixel(scene, checks["start"], LOSS.center)
    assert within_a_pixel(scene, checks["rotated"], view.rotated)
    assert within_a_pixel(scene, checks["rescaled"], view.rescaled)
    assert within_a_pixel(scene, checks["result"], view.result)
    np.testing.assert_allclose(view.result, scene.solution.theta_ridge, rtol=1e-12)


def test_final_tip_lands_on_the_marked_direct_solve(scene):
    target = scene.axes.c2p(*mc.solve_penalized(LOSS, DEFAULT.lam))
    assert np.linalg.norm(scene.theta.get_end() - target) < scene.pixel
    assert np.linalg.norm(scene.target.get_center() - target) < scene.pixel


def test_rotation_is_the_short_way(scene):
    r = EigenShrinkage.results(scene.solution)
    assert -90 < r["rotation_deg"] <= 90
    assert r["rotation_deg"] == pytest.approx(26.565, abs=1e-3)
    assert scene.solution.turn_deg == pytest.approx(-26.565, abs=1e-3)
    assert set(r) >= {"Q", "sigma", "factors", "rotated", "rescaled", "theta_ridge"}
    np.testing.assert_allclose(r["factors"], [3.6 / 4.6, 0.6 / 1.6])


def test_equal_eigenvalues_skip_the_turn(tex_cache):
    params = dataclasses.replace(DEFAULT, H=((2.0, 0.0), (0.0, 2.0)))
    scene = construct(Probe, params, tex_dir=tex_cache)
    assert scene.solution.turn_deg == 0.0
    assert within_a_pixel(scene, scene.checkpoints["rotated"], DEFAULT.center)
    assert within_a_pixel(scene, scene.checkpoints["result"], np.array(DEFAULT.center) * 2 / 3)


def test_lambda_zero_changes_nothing(tex_cache):
    params = dataclasses.replace(DEFAULT, lam=0.0)
    scene = construct(Probe, params, tex_dir=tex_cache)
    np.testing.assert_array_equal(scene.solution.factors, [1.0, 1.0])
    assert within_a_pixel(scene, scene.checkpoints["result"], DEFAULT.center)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_final_still_matches_reference(still, update_references, theme):
    image = still(EigenShrinkage, theme=theme)
    diff = compare_to_reference(image, f"eigen_shrinkage_{theme}", update_references)
    assert diff["mean"] < 1.5 and diff["changed"] < 0.002, diff


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({}, ["kept", r"\times0.78", r"\times0.38"]),
        ({"lam": 0.0}, ["nothing shrinks"]),
        ({"H": ((2.0, 0.0), (0.0, 2.0))}, ["same factor", r"\times0.67"]),
    ],
)
def test_lesson_matches_the_factors(tex_cache, change, words):
    scene = construct(EigenShrinkage, dataclasses.replace(DEFAULT, **change), tex_dir=tex_cache)
    text = "".join(line.tex_string for line in scene.marks["lesson"])
    for word in words:
        assert word in text, text


def test_zero_theta_hat_is_handled():
    s = EigenShrinkage.solve(dataclasses.replace(DEFAULT, center=(0.0, 0.0)))
    np.testing.assert_array_equal(s.theta_ridge, [0.0, 0.0])


def test_the_turned_axes_are_q1_and_q2_and_turn_back(scene):
    assert scene.names_turned == ["q_1", "q_2"]
    assert [p[1].tex_string for p in scene.plane.axes.labels[:2]] == ["\\theta_1", "\\theta_2"]


def test_numbers_round_half_up_like_every_label(scene):
    """σ₂/(σ₂ + λ) = 0.6/1.6 = 0.375 (0.37499… in binary) shows as 0.38, on screen and in
    the captions."""
    assert scene.solution.factors[1] == pytest.approx(0.375)
    lines = EigenShrinkage.load_script().fill(EigenShrinkage.results(scene.solution))
    assert "×0.38 along q₂" in lines["shrink"].caption
    assert "0.38" in scene.marks["lesson"][-1].tex_string
    assert scene.marks["rotated"].tex_string.endswith("(1.97,\\ 1.25)")
