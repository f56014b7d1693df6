"""kkt_slackness: λ switches with the side of the circle; λ·(||w||² − k) stays 0; outside,
−∇f(w*) is drawn straight out along w*. The final still is compared with its reference in
tests/test_references.py."""

from __future__ import annotations

import numpy as np
import pytest

import mathcore as mc
from scenes.kkt_slackness import KktParams, KktSlackness
from studio.params import build
from tests.problems_grid import NAMES, overrides
from tests.scenetools import construct, data_point

H = ((3.0, 1.2), (1.2, 1.2))


def test_kkt_lambda_switches_with_the_side_of_the_circle():
    s = KktSlackness.solve(KktParams())
    inside = np.sum(s.centers**2, axis=1) <= s.k
    assert inside.any() and (~inside).any()  # the loop crosses the circle
    np.testing.assert_array_equal(s.active, ~inside)
    assert np.all(s.lams[inside] == 0) and np.all(s.lams[~inside] > 0)
    np.testing.assert_array_equal(s.optima[inside], s.centers[inside])
    np.testing.assert_allclose(np.sum(s.optima[~inside] ** 2, axis=1), s.k, rtol=1e-12)
    assert np.max(np.abs(s.lams * s.slack)) < 1e-12  # complementary slackness
    for c, lam in zip(s.centers[::40], s.lams[::40], strict=True):
        assert lam == mc.solve_constrained(mc.QuadraticLoss(H, c), s.k).lam
    np.testing.assert_allclose(s.centers[0], s.centers[-1], atol=1e-12)  # a closed loop


def test_kkt_scene_markers_and_readouts(tex_cache):
    scene = construct(KktSlackness, tex_dir=tex_cache)
    s = scene.solution
    w_star, c = scene.marks["w_star"], scene.marks["c"]
    assert np.linalg.norm(w_star.get_center() - scene.axes.c2p(*s.optima[-1])) < scene.pixel
    assert np.linalg.norm(c.get_center() - scene.axes.c2p(*s.centers[-1])) < scene.pixel
    lam, slack, product = (row[1].value for row in scene.marks["readouts"])
    assert lam == s.lams[-1] and slack == s.slack[-1]
    assert abs(product) < 1e-12
    assert KktSlackness.loops


def test_the_loop_starts_well_inside_not_on_the_circle():
    """The first frame is plainly the inactive case: ŵ a quarter of the way along its arc
    inside, far from the circle, with most of that arc (the first beat) still ahead."""
    s = KktSlackness.solve(KktParams())
    inside = np.sum(s.centers**2, axis=1) <= s.k
    ahead = int(np.argmax(~inside))  # inside samples before it leaves
    behind = int(np.argmax(~inside[::-1]))  # inside samples after it comes back
    assert ahead == pytest.approx(3 * behind, abs=3)
    assert s.k - np.sum(s.centers[0] ** 2) > 0.3 * s.k


def test_outside_the_arrow_is_minus_grad_f_straight_out_on_one_scale(tex_cache):
    s = KktSlackness.solve(KktParams())
    loss = [mc.QuadraticLoss(H, c) for c in s.centers]
    pulls = -np.array([f.grad(w) for f, w in zip(loss, s.optima, strict=True)])
    act = s.active
    np.testing.assert_array_equal(s.pushes[~act], 0.0)
    # along w* (so −∇f = λ∇g with λ > 0) and along −∇f
    unit = s.optima[act] / np.linalg.norm(s.optima[act], axis=1)[:, None]
    shown = s.pushes[act] / np.linalg.norm(s.pushes[act], axis=1)[:, None]
    np.testing.assert_allclose(shown, unit, atol=1e-6)
    np.testing.assert_allclose(pulls[act], s.lams[act, None] * s.optima[act], rtol=1e-6)
    # one scale: lengths in proportion to ‖∇f‖, none under the least visible length
    scene_length = np.linalg.norm(s.pushes[act], axis=1) * s.view.unit
    least, most = KktSlackness.push_length
    assert scene_length.min() >= least - 1e-9 and scene_length.max() == pytest.approx(most)
    big = scene_length > least + 1e-9
    ratio = scene_length[big] / np.linalg.norm(pulls[act][big], axis=1)
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-9)
    # and the scene draws it from w*, at the moment the construct ends on
    scene = construct(KktSlackness, tex_dir=tex_cache)
    push = scene.marks["push"]
    i = len(s.centers) - 1
    if s.active[i]:
        start = data_point(scene.axes, push.get_start())
        np.testing.assert_allclose(start, s.optima[i], atol=1e-6)
    else:
        assert push.get_stroke_opacity() == 0.0


@pytest.mark.parametrize("problem", NAMES)
def test_the_derived_loop_crosses_the_circle_for_every_problem(problem):
    _, s = build(KktSlackness, overrides(problem, KktSlackness))
    inside = np.sum(s.centers**2, axis=1) <= s.k
    assert inside[0] and inside.any() and (~inside).any()
    assert [a[0] for a in s.arcs] == list(KktSlackness.beats)
    assert s.arcs[0][1] == 0 and s.arcs[-1][2] == len(s.centers) - 1
    # the filled rings cover the plot wherever ŵ is: the outermost passes every corner (on
    # U2-like problems a corner was left unfilled while ŵ was far from it)
    params, _ = build(KktSlackness, overrides(problem, KktSlackness))
    shape = mc.QuadraticLoss(params.loss().H, [0.0, 0.0])
    outermost = shape.value(s.rings[-1][0])
    corners = np.array([(x, y) for x in s.view.x_range for y in s.view.y_range])
    for center in s.centers:
        assert np.all(shape.value(corners - center) <= outermost * (1 + 1e-9))


def test_a_loop_that_never_crosses_is_refused_in_one_line():
    with pytest.raises(ValueError, match="stays outside the circle"):
        KktSlackness.solve(KktParams(orbit_center=(5.0, 5.0), orbit_radius=1.0))


def test_the_loop_runs_at_constant_speed_and_is_labelled(tex_cache):
    """Each beat lasts its arc's share of the loop (no jerk at a beat's end) and, for the
    inside and the outside case, one pause where ŵ stops; and the path of ŵ says what it
    stands for."""
    scene = construct(KktSlackness, tex_dir=tex_cache)
    s, total = scene.solution, len(scene.solution.centers) - 1
    pauses = [KktSlackness.pause, KktSlackness.pause, 0.0]
    seconds = [t.end - t.start - p for t, p in zip(scene.timeline, pauses, strict=True)]
    shares = [(last - first) / total for _, first, last in s.arcs]
    per_share = [sec / share for sec, share in zip(seconds, shares, strict=True)]
    assert max(per_share) - min(per_share) < 3 / 5  # within a few frames at the test rate
    assert "the data change" in scene.marks["loop_label"].tex_string
