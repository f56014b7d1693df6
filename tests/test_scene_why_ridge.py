"""why_ridge: the dots are the simulated fits (least squares, then ridge), the ellipses and the
bias sit where the closed forms put them (checked with numpy, not mathcore), the table, the
λ readout and the plot show the solution's numbers, the noise and λ derive from the problem,
the first frame already shows the whole story, and bad parameters are refused in one line
before anything renders."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from manim import RIGHT
from scipy.stats import chi2

import mathcore as mc
from narration import fixed
from scenes.plane import around, box_of, place_free
from scenes.theme import SPACE
from scenes.why_ridge import REACH, WhyRidge, WhyRidgeParams, decimals
from studio.params import build
from tests.problems_grid import DATA, overrides
from tests.scenetools import construct, data_point

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = WhyRidgeParams()
UNTUNED = dataclasses.replace(DEFAULT, H=((3.2, 1.1), (1.1, 0.9)), center=(1.2, -1.6))
OVERDONE = dataclasses.replace(DEFAULT, noise=0.5, lam=6.0)  # quiet data, a large λ
RADIUS2 = chi2.ppf(0.9, 2)  # the 90% ellipse's squared Mahalanobis radius


def exact(H, w, noise, lam):
    """Independent closed forms: the ridge fit's mean and covariance over redrawn data."""
    A = np.linalg.inv(np.asarray(H) + lam * np.eye(2))
    return A @ np.asarray(H) @ w, noise**2 * A @ np.asarray(H) @ A


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(WhyRidge, tex_dir=tex_cache)


def scene_points(mob) -> np.ndarray:
    return np.asarray(mob.points)[:, :2] if len(mob.points) else np.zeros((0, 2))


# --- the numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("params", [DEFAULT, UNTUNED], ids=["default", "untuned"])
def test_the_results_are_the_closed_forms_and_the_issues_fields(params):
    s = WhyRidge.solve(params)
    r = WhyRidge.results(s)
    H, w = np.array(params.H), np.array(params.center)
    np.testing.assert_array_equal(r["w_true"], w)  # w_true defaults to ŵ
    # the noise spreads the least-squares fits REACH ‖w_true‖ along q₂; λ is the best one
    sigma2 = np.linalg.eigvalsh(H)[0]
    assert r["noise"] == pytest.approx(REACH * np.linalg.norm(w) * np.sqrt(sigma2), rel=1e-12)
    assert r["lam"] == r["lam_best"] == pytest.approx(mc.best_lambda(H, w, r["noise"]))
    noise, lam = r["noise"], r["lam"]
    np.testing.assert_allclose(r["ols_cov"], noise**2 * np.linalg.inv(H), rtol=1e-10)
    mean, cov = exact(H, w, noise, lam)
    np.testing.assert_allclose(r["ridge_cov"], cov, rtol=1e-10)
    np.testing.assert_allclose(r["ridge_bias"], mean - w, rtol=1e-10)
    np.testing.assert_allclose(r["ridge_bias"], -lam * np.linalg.solve(H + lam * np.eye(2), w))
    assert r["mse_ols"] == pytest.approx(noise**2 * np.trace(np.linalg.inv(H)), rel=1e-10)
    bias = mean - w
    assert r["mse_ridge"] == pytest.approx(np.trace(cov) + bias @ bias, rel=1e-10)
    assert r["spread_ridge"] == pytest.approx(np.trace(cov), rel=1e-10)
    assert r["bias2"] == pytest.approx(bias @ bias, rel=1e-10)
    assert r["saved"] == pytest.approx(r["spread_ols"] - r["spread_ridge"])
    assert r["mse_ridge"] < r["mse_ols"] and r["ridge_wins"]
    # the spread saved is mostly along q₂ (H's small direction)
    assert 50 < r["q2_pct"] < 100
    assert sum(r["spread_along_ridge"]) == pytest.approx(r["spread_ridge"], rel=1e-12)
    assert r["samples"] == params.samples == len(r["ols_fits"])


def test_the_dots_are_real_fits_of_seeded_data_sets():
    s = WhyRidge.solve(DEFAULT)
    r = WhyRidge.results(s)
    X, y = s.fits.X, s.fits.y
    np.testing.assert_allclose(X.T @ X, np.array(DEFAULT.H), atol=1e-12)
    ols = np.linalg.lstsq(X, y.T, rcond=None)[0].T
    np.testing.assert_allclose(r["ols_fits"], ols, atol=1e-10)
    ridge = np.linalg.solve(X.T @ X + s.lam * np.eye(2), X.T @ y.T).T
    np.testing.assert_allclose(r["ridge_fits"], ridge, atol=1e-10)
    again = WhyRidge.solve(DEFAULT)
    np.testing.assert_array_equal(again.fits.ridge, s.fits.ridge)  # deterministic
    other = WhyRidge.solve(dataclasses.replace(DEFAULT, seed=2))
    assert not np.allclose(other.fits.ols, s.fits.ols)


def test_the_sweep_runs_from_least_squares_to_lam_evenly_in_q2s_factor():
    s = WhyRidge.solve(DEFAULT)
    assert s.lams[0] == 0.0 and s.lams[-1] == s.lam
    factor = s.sigma[1] / (s.sigma[1] + s.lams)
    np.testing.assert_allclose(np.diff(factor), np.diff(factor)[0], rtol=1e-9)
    np.testing.assert_allclose(s.fits.ridge[0], s.fits.ols, rtol=1e-12)


# --- where things are drawn --------------------------------------------------------------------


def mahalanobis2(points, center, cov):
    d = np.asarray(points) - center
    return np.einsum("ij,jk,ik->i", d, np.linalg.inv(cov), d)


def test_the_dots_ellipses_and_bias_sit_where_the_closed_forms_say(scene):
    s, axes = scene.solution, scene.axes
    H, w = np.array(DEFAULT.H), s.w_true
    tol = scene.pixel / s.view.unit  # a test pixel, in data units
    truth = data_point(axes, scene.marks["w_true"].get_center())
    np.testing.assert_allclose(truth, w, atol=tol)
    dots = np.array([data_point(axes, d.get_center()) for d in scene.marks["fits"]])
    np.testing.assert_allclose(dots, s.fits.ridge[-1], atol=tol)  # each at its ridge fit
    ghosts = np.array([data_point(axes, d.get_center()) for d in scene.marks["ghosts"]])
    np.testing.assert_allclose(ghosts, s.fits.ols, atol=tol)  # where least squares put them
    mean, cov = exact(H, w, s.noise, s.lam)
    ridge = [data_point(axes, p) for p in scene.marks["ridge_ellipse"].get_anchors()]
    np.testing.assert_allclose(mahalanobis2(ridge, mean, cov), RADIUS2, rtol=1e-6)
    ols = [data_point(axes, p) for p in scene.marks["ols_ellipse"].get_all_points()]
    ols_cov = s.noise**2 * np.linalg.inv(H)
    np.testing.assert_allclose(mahalanobis2(ols, w, ols_cov), RADIUS2, rtol=2e-3)  # chords
    bias = scene.marks["bias"]
    np.testing.assert_allclose(data_point(axes, bias.get_start()), w, atol=tol)
    np.testing.assert_allclose(data_point(axes, bias.get_end()), mean, atol=tol)
    # q₂'s line runs along H's eigenvector of the small eigenvalue
    line = scene.marks["q2_line"]
    a, b = data_point(axes, line.get_start()), data_point(axes, line.get_end())
    q2 = np.linalg.eigh(H)[1][:, 0]
    assert abs((b - a) @ q2) == pytest.approx(np.linalg.norm(b - a), rel=1e-9)


def test_the_table_and_readouts_show_the_solutions_numbers(scene):
    s, r = scene.solution, WhyRidge.results(scene.solution)
    places = WhyRidge.places(s)
    assert places == 2 and WhyRidge.lam_places(s) == 2
    ols = [cell.tex_string for cell in scene.marks["table_ols"][1:]]
    assert ols == [fixed(r["spread_ols"], 2), fixed(0.0, 2), fixed(r["mse_ols"], 2)]
    ridge = [cell.value for cell in scene.marks["table_ridge"][1:]]
    assert ridge == [r["spread_ridge"], r["bias2"], r["mse_ridge"]]
    assert scene.marks["lam"][1].value == r["lam"]
    assert scene.frame_readouts() == {
        "lam": r["lam"],
        "spread": r["spread_ridge"],
        "bias2": r["bias2"],
        "mse": r["mse_ridge"],
    }
    decimals_ = {x.key: x.decimals for x in WhyRidge.scrubbed(s)}
    assert decimals_ == {"lam": 2, "spread": 2, "bias2": 2, "mse": 2}


def test_the_plot_draws_spread_bias_and_error_against_lambda(scene):
    s, axes = scene.solution, scene.risk_axes
    H, w = np.array(DEFAULT.H), s.w_true
    spread, bias2, error = scene.marks["risk_curves"]
    for curve, kind in ((spread, "spread"), (bias2, "bias2"), (error, "mse")):
        points = np.array([data_point(axes, p) for p in curve.get_anchors()[::7]])
        for lam, value in points:
            mean, cov = exact(H, w, s.noise, lam)
            expected = {
                "spread": np.trace(cov),
                "bias2": (mean - w) @ (mean - w),
                "mse": np.trace(cov) + (mean - w) @ (mean - w),
            }[kind]
            assert value == pytest.approx(expected, rel=1e-6, abs=1e-9)
    lams = np.array([data_point(axes, p)[0] for p in error.points])
    assert lams.min() == pytest.approx(0.0, abs=1e-9) and lams.max() > s.lam
    line, dots = scene.marks["marker"]
    assert data_point(axes, line.get_start())[0] == pytest.approx(s.lam, rel=1e-9)
    r = WhyRidge.results(s)
    heights = [data_point(axes, d.get_center())[1] for d in dots]
    np.testing.assert_allclose(heights, [r["spread_ridge"], r["bias2"], r["mse_ridge"]])
    # the scene's λ (the best) is where the error curve is lowest
    values = np.array([data_point(axes, p)[1] for p in error.points])
    assert heights[2] <= values.min() + 1e-9


def test_the_beats_played_and_the_first_frame_sums_it_up(scene):
    assert [seg.id for seg in scene.timeline] == [
        "problem",
        "draws",
        "draws.ellipse",
        "draws.long",
        "draws.spread",
        "shrink",
        "shrink.gathered",
        "bias",
        "lesson",
        "lesson.where",
    ]
    r = WhyRidge.results(scene.solution)
    first = {t.text for t in scene.layout["problem"].texts}
    for text in (r"w(\lambda)", r"\text{bias}", r"s^2 H^{-1}", r"w_{\text{true}}"):
        assert text in first
    assert {fixed(r["mse_ols"], 2), f"{r['mse_ridge']:g}"} <= first
    last = {t.text for t in scene.layout["lesson.where"].texts}
    assert first == last  # the first frame is the last: the scene summed up


def dots_under(box, dots) -> int:
    """How many dot centres (N, 2) lie inside a box (left, bottom, right, top)."""
    inside = (dots >= box[:2]) & (dots <= box[2:])
    return int(inside.all(axis=1).sum())


@pytest.mark.parametrize("params", [DEFAULT, UNTUNED], ids=["default", "untuned"])
def test_no_dot_covers_w_true_or_its_label(params, tex_cache):
    """w_true's label sits beside its dot, on a side with fewer of the fits' dots than most
    sides, and it and the dot are drawn above every fit's dot (the dots fade in over time)."""
    scene = construct(WhyRidge, params, tex_dir=tex_cache)
    label, truth = scene.marks["w_true_label"], scene.marks["w_true"]
    dots = scene.marks["fits"]
    centres = np.array([d.get_center()[:2] for d in [*dots, *scene.marks["ghosts"]]])
    box = box_of(label)
    at = truth.get_center()[:2]
    assert not (box[0] < at[0] < box[2] and box[1] < at[1] < box[3])  # beside, not on it
    nearest = np.clip(at, box[:2], box[2:])  # the label's nearest point to w_true
    assert np.linalg.norm(nearest - at) <= SPACE.section + truth.width / 2 + 1e-6
    sides = [  # the fits' dots under the label on each side of w_true, a tight gap away
        dots_under(box_of(place_free(label.copy(), at, [d], gaps=(SPACE.tight,))), centres)
        for d in around(RIGHT)
    ]
    assert dots_under(box, centres) <= np.median(sides)
    top_dot = max(d.z_index for d in [*dots, *scene.marks["ghosts"]])
    assert label.z_index > top_dot and truth.z_index > top_dot
    # the bias's word beside its arrow, or (in the cloud of dots) outside it on a leader line
    *leader, bias = scene.marks["bias_label"]
    arrow = scene.marks["bias"]
    middle = (arrow.get_start() + arrow.get_end()) / 2
    if leader:
        assert dots_under(box_of(bias), centres) <= WhyRidge.crowded
        start, end = leader[0].get_start(), leader[0].get_end()
        assert np.linalg.norm(start - middle) < 0.1  # from the arrow's middle …
        b = box_of(bias)  # … to the word's edge
        assert b[0] - 1e-6 <= end[0] <= b[2] + 1e-6 and b[1] - 1e-6 <= end[1] <= b[3] + 1e-6
        assert (
            min(abs(end[0] - b[0]), abs(end[0] - b[2]), abs(end[1] - b[1]), abs(end[1] - b[3]))
            < 1e-6
        )
    assert bool(leader) == (params is UNTUNED)  # 3 dots under its first place there, 2 here


def test_too_much_lambda_says_so(tex_cache):
    s = WhyRidge.solve(OVERDONE)
    assert s.noise == 0.5 and s.lam == 6.0 and not s.ridge_wins
    scene = construct(WhyRidge, OVERDONE, tex_dir=tex_cache, solution=s)
    ids = [seg.id for seg in scene.timeline]
    assert ids[-1] == "overdone" and "lesson" not in ids
    lines = WhyRidge.load_script().fill(WhyRidge.results(s))
    r = WhyRidge.results(s)
    assert r["mse_ridge"] > r["mse_ols"]
    places = WhyRidge.places(s)
    assert f"bias² {fixed(r['bias2'], places)} costs more" in lines["overdone"].caption


def test_a_given_lambda_gets_a_noise_that_makes_it_the_best():
    params = dataclasses.replace(DEFAULT, lam=2.0)
    s = WhyRidge.solve(params)
    assert s.lam == 2.0
    assert mc.best_lambda(np.array(params.H), s.w_true, s.noise) == pytest.approx(2.0, rel=1e-6)


def test_data_sets_the_names_and_prints_large_numbers_shorter(tex_cache):
    params, solution = build(WhyRidge, overrides(DATA, WhyRidge))
    assert params.names == ("s1", "s2")
    np.testing.assert_array_equal(solution.w_true, params.center)
    assert solution.lam == params.lam
    places = WhyRidge.places(solution)
    smallest = min(solution.risk.spread[-1], solution.risk.mse[-1])
    assert places == decimals(smallest) and len(fixed(smallest, places).replace(".", "")) >= 2
    scene = construct(WhyRidge, params, tex_dir=tex_cache, solution=solution)
    names = [p[1].tex_string for p in scene.plane.axes.labels[:2]]
    assert "{s1}" in names[0] and "{s2}" in names[1]


@pytest.mark.parametrize(
    ("value", "places"), [(0.0123, 3), (0.73, 2), (3.57, 2), (12.3, 2), (106.7, 1), (1571.2, 0)]
)
def test_numbers_keep_two_to_four_digits(value, places):
    assert decimals(value) == places


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("noise=0", "noise must be a standard deviation > 0"),
        ("samples=3", "samples must be 5 to 400"),
        ("samples=401", "samples must be 5 to 400"),
        ("w_true=[1, 2, 3]", "w_true must be two weights"),
        ("w_true=[0, 0]", "w_true is 0"),
        ("lam=-1", "lam must be a penalty > 0"),
        ("seed=-2", "seed must be a whole number"),
        ("draw_time=0.5", "draw_time must be at least 1 s"),
        ("H=[[1, 1], [1, 1]]", "positive definite"),
    ],
)
def test_bad_parameters_are_refused_in_one_line_with_exit_2(change, words, tmp_path):
    done = subprocess.run(
        [sys.executable, "render.py", "why_ridge", "--set", change, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and words in errors[0], done.stderr
    assert not (tmp_path / "why_ridge.gif").exists()


def check_why_ridge(m: dict, r: dict) -> None:
    """One frame of the interactive figure against numpy: the spread, bias² and error of
    the ridge fit at the frame's λ, for the manifest's H, w_true and noise (for
    tests/test_interactive.py's CHECKS as well)."""
    H = np.array(m["params"]["H"])
    w, noise = np.array(m["results"]["w_true"]), m["results"]["noise"]
    mean, cov = exact(H, w, noise, r["lam"])
    bias = mean - w
    assert r["spread"] == pytest.approx(np.trace(cov), rel=1e-9)
    assert r["bias2"] == pytest.approx(bias @ bias, rel=1e-9, abs=1e-15)
    assert r["mse"] == pytest.approx(np.trace(cov) + bias @ bias, rel=1e-9)
    assert 0 <= r["lam"] <= m["results"]["lam"]


def test_the_interactive_figures_readouts_are_the_mathematics(tmp_path):
    args = ["why_ridge", "-q", "draft", "-f", "html", "--out", str(tmp_path), "--quiet"]
    done = subprocess.run(
        [sys.executable, "render.py", *args], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    m = json.loads((tmp_path / "why_ridge.json").read_text())
    frames = m["scrub"]["frames"]
    assert len(frames) == m["frames"] and m["files"]["html"] == "why_ridge.html"
    lams = [f["lam"] for f in frames]
    assert len(set(lams)) > 20  # the slider sweeps λ from 0 to lam
    assert lams[0] == lams[-1] == m["results"]["lam"] and min(lams) == 0.0
    for i in range(0, len(frames), 7):
        check_why_ridge(m, frames[i])
