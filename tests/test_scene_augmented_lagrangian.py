"""augmented_lagrangian: the trail lands where mathcore says, the plots draw λ_t and the
violation at their values, the readouts show the solution's numbers, the rounds derive from
the problem (a blog pixel, 0.5 % of λ*), and the other branches (too few rounds, a budget
that does not bind, --data) say what happened."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from manim import config

import mathcore as mc
from scenes.augmented_lagrangian import AugmentedLagrangian, AugmentedParams, significant
from studio.params import build
from studio.presets import QUALITIES
from tests.problems_grid import DATA, overrides
from tests.scenetools import construct, data_point

DEFAULT = AugmentedParams()
UNTUNED = dataclasses.replace(DEFAULT, H=((3.2, 1.1), (1.1, 0.9)), center=(1.2, -1.6))


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(AugmentedLagrangian, tex_dir=tex_cache)


def test_the_solution_is_mathcores_run_and_optimum():
    s = AugmentedLagrangian.solve(DEFAULT)
    loss = DEFAULT.loss()
    best = mc.solve_constrained(loss, DEFAULT.k)
    assert s.lam_star == best.lam and np.array_equal(s.w_star, best.w)
    run = mc.augmented_lagrangian(loss, DEFAULT.k, w_tol=s.w_tol)
    np.testing.assert_array_equal(s.run.lam_path, run.lam_path)
    np.testing.assert_array_equal(s.run.w_path, run.w_path)
    r = AugmentedLagrangian.results(s)
    for key in ("lam_path", "w_path", "violation", "rho", "lam_star", "w_star", "k", "iterations"):
        assert key in r
    assert r["lam_path"][0] == 0.0 and r["iterations"] == len(r["w_path"]) == len(r["lam_path"])
    np.testing.assert_allclose(r["violation"], np.sum(run.w_path**2, axis=1) - DEFAULT.k)
    assert max(r["inner_grad_norms"]) < 1e-10
    # on screen f = ||Xw − b||², g = ||w||² − k: twice mathcore's, so ρ is half its ρ
    assert r["rho"] == pytest.approx(mc.default_rho(loss, DEFAULT.k) / 2)


@pytest.mark.parametrize("params", [DEFAULT, UNTUNED], ids=["default", "untuned"])
def test_the_rounds_stop_within_a_blog_pixel_and_half_a_percent(params):
    s = AugmentedLagrangian.solve(params)
    pixel = config.frame_width / QUALITIES["blog"].width / s.view.unit  # data units
    assert s.w_tol == pytest.approx(pixel)
    run = s.run
    assert run.reached
    assert np.linalg.norm(run.w_path[-1] - s.w_star) <= pixel
    assert abs(run.lam_path[-1] - s.lam_star) <= 0.005 * s.lam_star
    # the round before was not there yet: the count is the smallest that is
    before = np.linalg.norm(run.w_path[-2] - s.w_star) > pixel
    assert before or abs(run.lam_path[-2] - s.lam_star) > 0.005 * s.lam_star
    assert 4 <= run.iterations <= 20


def test_the_trail_and_the_marks_sit_where_mathcore_says(scene):
    s, axes = scene.solution, scene.axes
    run = s.run
    assert np.linalg.norm(scene.marks["w_star"].get_center() - axes.c2p(*s.w_star)) < scene.pixel
    walker = data_point(axes, scene.marks["walker"].get_center())
    np.testing.assert_allclose(walker, run.w_path[-1], atol=scene.pixel / s.view.unit)
    dots = [m for m in scene.marks["lam_marks"] if type(m).__name__ == "Dot"]
    assert len(dots) == run.iterations
    for i, dot in enumerate(dots):
        t, lam = data_point(scene.lam_axes, dot.get_center())
        assert t == pytest.approx(i, abs=1e-9) and lam == pytest.approx(run.lam_path[i], rel=1e-9)
    star = scene.marks["lam_star_line"]
    assert data_point(scene.lam_axes, star.get_start())[1] == pytest.approx(s.lam_star, rel=1e-9)
    gaps = [m for m in scene.marks["gap_marks"] if type(m).__name__ == "Dot"]
    assert len(gaps) == run.iterations
    for i, dot in enumerate(gaps):
        t, decades = data_point(scene.gap_axes, dot.get_center())
        assert t == pytest.approx(i, abs=1e-9)
        assert decades + s.log_range[0] == pytest.approx(math.log10(run.violation[i]), abs=1e-9)


def test_the_readouts_show_the_last_rounds_numbers(scene):
    run = scene.solution.run
    t, lam, gap = (row[1].value for row in scene.marks["readouts"])
    assert t == run.iterations - 1
    assert lam == run.lam_path[-1] and gap == run.violation[-1]
    assert scene.frame_readouts() == {
        "t": run.iterations - 1,
        "lam": float(run.lam_path[-1]),
        "violation": float(run.violation[-1]),
        "w": run.w_path[-1].tolist(),
    }
    verdict = "".join(line.tex_string for line in scene.marks["verdict"])
    assert f"after {run.iterations} rounds" in verdict and "0.29" in verdict


def test_the_screens_lagrangian_and_rho_give_the_iterates():
    """The screen writes f = ||Xw − b||², g = ||w||² and ρ (here --set rho=0.8): minimising
    f + λ(g − k) + (ρ/2)(g − k)² with scipy and raising λ by ρ(g(w) − k) gives the run's w_t
    and λ_t."""
    from scipy.optimize import minimize

    params = dataclasses.replace(DEFAULT, rho=0.8, iterations=5)
    s = AugmentedLagrangian.solve(params)
    assert AugmentedLagrangian.results(s)["rho"] == 0.8
    loss = params.loss()
    H, c, k, rho = np.asarray(loss.H), loss.center, params.k, 0.8

    def f(w):  # ||Xw − b||² up to a constant, for any X with XᵀX = H
        return (w - c) @ H @ (w - c)

    def g(w):
        return w @ w

    lam = 0.0
    for t in range(params.iterations):
        assert s.run.lam_path[t] == pytest.approx(lam, rel=1e-6, abs=1e-9)
        lagrangian = lambda w, lam=lam: f(w) + lam * (g(w) - k) + rho / 2 * (g(w) - k) ** 2  # noqa: E731
        w = minimize(lagrangian, c, method="BFGS", options={"gtol": 1e-11}).x
        np.testing.assert_allclose(s.run.w_path[t], w, atol=1e-6)
        lam += rho * (g(w) - k)


def test_the_table_compares_rho_from_mathcore(scene):
    s = scene.solution
    loss = DEFAULT.loss()
    rho = s.run.rho
    cells = [cell.tex_string for cell in scene.marks["table"]]
    for row, factor in enumerate((0.1, 1.0, 100.0), start=1):
        rounds, kappa = mc.iterations_needed(loss, DEFAULT.k, factor * rho, s.w_tol, 0.005)
        assert cells[3 * row : 3 * row + 3] == [
            significant(factor * rho / 2),  # the screen's ρ: half mathcore's
            str(rounds),
            significant(kappa),
        ]
    assert cells[7] == str(s.run.iterations)  # this run's ρ, in the middle row
    small, middle, large = s.compared
    assert small.rounds > middle.rounds > large.rounds
    assert large.condition > 10 * middle.condition


def test_the_beats_played(scene):
    assert [seg.id for seg in scene.timeline] == [
        "problem",
        "lagrangian",
        "first",
        "first.price",
        "iterate",
        "converged",
        "rho",
    ]


def test_too_few_rounds_say_how_far_they_got(tex_cache):
    params = dataclasses.replace(DEFAULT, iterations=3)
    scene = construct(AugmentedLagrangian, params, tex_dir=tex_cache)
    run = scene.solution.run
    assert run.iterations == 3 and not run.reached
    assert "stopped" in [seg.id for seg in scene.timeline]
    verdict = "".join(line.tex_string for line in scene.marks["verdict"])
    assert "after 3 rounds" in verdict and "short of" in verdict
    lines = AugmentedLagrangian.load_script().fill(AugmentedLagrangian.results(scene.solution))
    assert f"{100 * run.lam_gap:.1f} % short" in lines["stopped"].caption


def test_a_budget_that_does_not_bind_is_said_in_one_line(tex_cache):
    params = dataclasses.replace(DEFAULT, k=6.0)  # ||ŵ||² = 5.44 ≤ 6
    scene = construct(AugmentedLagrangian, params, tex_dir=tex_cache)
    s = scene.solution
    assert s.run is None and s.lam_star == 0.0
    np.testing.assert_array_equal(s.w_star, params.center)
    assert [seg.id for seg in scene.timeline] == ["problem", "inactive"]
    text = "".join(line.tex_string for line in scene.marks["inactive"])
    assert r"\lambda^* = 0" in text and "5.44" in text
    target = scene.marks["w_star"].get_center()
    assert np.linalg.norm(target - scene.axes.c2p(*params.center)) < scene.pixel
    r = AugmentedLagrangian.results(s)
    assert r["iterations"] == 0 and r["lam_path"] == [0.0] and r["w_path"] == []


def test_data_sets_the_names_and_a_binding_k(tex_cache):
    params, solution = build(AugmentedLagrangian, overrides(DATA, AugmentedLagrangian))
    assert params.names == ("s1", "s2")
    c = np.asarray(params.center)
    assert params.k == pytest.approx(0.3 * float(c @ c), rel=0.01)
    assert solution.run.reached
    scene = construct(AugmentedLagrangian, params, tex_dir=tex_cache, solution=solution)
    names = [p[1].tex_string for p in scene.plane.axes.labels[:2]]
    assert names[0].startswith("w_") and "{s1}" in names[0] and "{s2}" in names[1]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"k": 0.0}, "k must be"),
        ({"rho": -1.0}, "rho must be"),
        ({"iterations": 0}, "iterations must be between 1 and 60"),
        ({"iterations": 61}, "iterations must be between 1 and 60"),
        ({"step_time": 0.1}, "step_time"),
    ],
)
def test_bad_parameters_are_refused_in_one_line(change, words):
    with pytest.raises(ValueError, match=words) as info:
        dataclasses.replace(DEFAULT, **change)
    assert "\n" not in str(info.value)


def test_the_interactive_figure_prints_what_the_frames_print():
    for params, lam_decimals in ((DEFAULT, 2), (UNTUNED, 3)):
        s = AugmentedLagrangian.solve(params)
        decimals = {r.key: r.decimals for r in AugmentedLagrangian.scrubbed(s)}
        assert decimals == {"t": 0, "lam": lam_decimals, "violation": 3, "w": 2}
