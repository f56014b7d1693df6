"""kkt_slackness: λ switches with the side of the circle; λ·(||w||² − k) stays 0."""

from __future__ import annotations

import numpy as np
import pytest

import mathcore as mc
from scenes.kkt_slackness import KktParams, KktSlackness
from studio.params import build
from tests.problems_grid import NAMES, overrides
from tests.scenetools import compare_to_reference, construct

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


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_final_still_matches_reference(still, update_references, theme):
    diff = compare_to_reference(
        still(KktSlackness, theme=theme), f"kkt_slackness_{theme}", update_references
    )
    assert diff["mean"] < 1.5 and diff["changed"] < 0.002, diff


@pytest.mark.parametrize("problem", NAMES)
def test_the_derived_loop_crosses_the_circle_for_every_problem(problem):
    _, s = build(KktSlackness, overrides(problem, KktSlackness))
    inside = np.sum(s.centers**2, axis=1) <= s.k
    assert inside[0] and inside.any() and (~inside).any()
    assert [a[0] for a in s.arcs] == list(KktSlackness.beats)
    assert s.arcs[0][1] == 0 and s.arcs[-1][2] == len(s.centers) - 1


def test_a_loop_that_never_crosses_is_refused_in_one_line():
    with pytest.raises(ValueError, match="stays outside the circle"):
        KktSlackness.solve(KktParams(orbit_center=(5.0, 5.0), orbit_radius=1.0))


def test_the_loop_runs_at_constant_speed_and_is_labelled(tex_cache):
    """Each beat lasts its arc's share of the loop (no hold, no jerk at a beat's end), and
    the path of x*_free says what it stands for."""
    scene = construct(KktSlackness, tex_dir=tex_cache)
    s, total = scene.solution, len(scene.solution.centers) - 1
    seconds = [t.end - t.start for t in scene.timeline]
    shares = [(last - first) / total for _, first, last in s.arcs]
    per_share = [sec / share for sec, share in zip(seconds, shares, strict=True)]
    assert max(per_share) - min(per_share) < 3 / 5  # within a few frames at the test rate
    assert "the data change" in scene.marks["loop_label"][1].tex_string
