"""choose_lambda: the CV error, its SE bars, λ_min and λ_1se are scikit-learn's; the curves,
lines and dots sit at those values on their plots; the coefficient paths are Ridge's on the
prepared columns; the simulated panel draws the exact bias² and variance; other --data
columns and the one-SE rule reaching the grid's end get their own words; every bad input is
one line (exit 2 on the command line)."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import mathcore as mc
from scenes.choose_lambda import ChooseLambda, ChooseLambdaParams, derived_range, spread
from scenes.plane import box_of
from scenes.theme import SPACE
from studio.params import ParamError, build
from tests.problems_grid import DATA, overrides
from tests.scenetools import construct, data_point

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ChooseLambdaParams()


@pytest.fixture(scope="module")
def solution():
    return ChooseLambda.solve(DEFAULT)


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(ChooseLambda, tex_dir=tex_cache)


def table(params=DEFAULT):
    t = params.table()
    return t.X, t.response


# --- the numbers -------------------------------------------------------------------------------


def test_the_results_are_scikit_learns(solution):
    """CV error and SE at every grid point from cross_val_score(StandardScaler + Ridge(alpha=λ),
    KFold(10)); w(λ) from Ridge(alpha=λ) on the prepared columns (the pipeline's coef_ over
    the scaler's scale)."""
    X, y = table()
    s = solution
    r = ChooseLambda.results(s)
    assert r["folds"] == 10 and len(r["lambdas"]) == DEFAULT.steps + 1  # and λ_best
    assert s.lam_best in r["lambdas"]
    for i in [*range(0, DEFAULT.steps, 12), r["lambdas"].index(s.lam_best)]:
        lam = s.lams[i]
        model = make_pipeline(StandardScaler(), Ridge(alpha=lam))
        scores = -cross_val_score(model, X, y, cv=KFold(10), scoring="neg_mean_squared_error")
        assert r["cv_mse"][i] == pytest.approx(scores.mean(), rel=1e-12)
        assert r["cv_se"][i] == pytest.approx(scores.std(ddof=1) / math.sqrt(10), rel=1e-9)
        fitted = model.fit(X, y)
        np.testing.assert_allclose(r["coef_path"][i], fitted[-1].coef_, rtol=1e-9, atol=1e-9)
    i = int(np.argmin(r["cv_mse"]))
    assert r["lam_min"] == r["lambdas"][i]
    ceiling = r["cv_mse"][i] + r["cv_se"][i]
    j = max(k for k, v in enumerate(r["cv_mse"]) if v <= ceiling)
    assert r["lam_1se"] == r["lambdas"][j] and r["threshold"] == pytest.approx(ceiling)


def test_the_grid_and_the_simulation_come_from_mathcore(solution):
    s = solution
    X, y = table()
    p = mc.prepare(X, y)
    loss = mc.loss_from_columns(p)
    low, high = derived_range(loss.sigma)
    assert (s.lams[0], s.lams[-1]) == pytest.approx((low, high))
    assert low <= loss.sigma[-1] / 100 and high >= 30 * loss.sigma[0]
    grid = s.lams[s.lams != s.lam_best]  # the geometric grid, and λ_best in its place
    np.testing.assert_allclose(np.diff(np.log(grid)), np.log(high / low) / (DEFAULT.steps - 1))
    assert np.all(np.diff(s.lams) > 0)
    np.testing.assert_allclose(s.w_true, loss.center)
    assert s.noise == pytest.approx(mc.residual_noise(p.X, p.y))
    assert s.sim_rows == 20
    H = loss.H * (20 / len(y))
    risk = mc.prediction_risk(H, loss.center, s.noise, s.lams, 20)
    np.testing.assert_array_equal(s.risk.test_mse, risk.test_mse)
    r = ChooseLambda.results(s)
    np.testing.assert_allclose(
        np.array(r["test_mse"]), np.array(r["bias2"]) + np.array(r["variance"]) + s.noise**2
    )
    # the U: variance falls, bias² rises, their sum is lowest in between, at λ_best
    assert np.all(np.diff(r["variance"]) <= 0) and np.all(np.diff(r["bias2"]) >= 0)
    assert s.lams[0] < s.lam_best < s.lams[-1]
    assert s.best.test_mse[0] <= min(r["test_mse"]) + 1e-9
    assert r["test_best"] < 0.9 * r["test_mse"][0] + 0.1 * s.noise**2  # a visible dip


# --- where things are drawn ------------------------------------------------------------------


def points_of(mob) -> np.ndarray:
    return np.asarray(mob.get_anchors())


def test_the_cv_curve_bars_and_chosen_lambdas_sit_at_their_values(scene):
    s, axes = scene.solution, scene.cv_axes
    cv = s.cv
    curve = np.array([data_point(axes, p) for p in points_of(scene.marks["cv_curve"])])
    lams = s.lams[0] * 10.0 ** curve[:, 0]
    expected = np.interp(np.log(lams), np.log(s.lams), cv.cv_mse)
    np.testing.assert_allclose(curve[:, 1] + axes.low, expected, rtol=1e-9)
    for bar, i in zip(scene.marks["se_bars"], scene.bar_index, strict=True):
        lo, hi = data_point(axes, bar[0].get_start()), data_point(axes, bar[0].get_end())
        assert s.lams[0] * 10.0 ** lo[0] == pytest.approx(s.lams[i], rel=1e-9)
        assert lo[1] + axes.low == pytest.approx(cv.cv_mse[i] - cv.cv_se[i], rel=1e-9)
        assert hi[1] + axes.low == pytest.approx(cv.cv_mse[i] + cv.cv_se[i], rel=1e-9)
    assert cv.i_min in scene.bar_index and cv.i_1se in scene.bar_index
    for name, lam in (("lam_min_line", cv.lam_min), ("lam_1se_line", cv.lam_1se)):
        x = data_point(axes, scene.marks[name].get_start())[0]
        assert s.lams[0] * 10.0**x == pytest.approx(lam, rel=1e-9)
    for name, lam in (("lam_min_w_line", cv.lam_min), ("lam_1se_w_line", cv.lam_1se)):
        x = data_point(scene.w_axes, scene.marks[name].get_start())[0]
        assert s.lams[0] * 10.0**x == pytest.approx(lam, rel=1e-9)
    threshold = data_point(axes, scene.marks["threshold"].get_start())[1] + axes.low
    assert threshold == pytest.approx(cv.threshold, rel=1e-9)
    assert len(scene.marks["fold_curves"]) == cv.folds


def test_each_lambda_axis_name_keeps_clear_of_its_tick_values(scene):
    """λ, at each axis's end, is at least a tight gap (0.1 scene units, 5 px) from every
    tick value: the last one, 10⁵, reaches past the axis's end and touched it."""
    for axes in (scene.cv_axes, scene.w_axes, scene.sim_axes):
        *numbers, name = axes.labels
        a = box_of(name)
        for number in numbers:
            b = box_of(number)
            gap = max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])
            assert gap >= SPACE.tight - 1e-9


def test_the_paths_are_the_coefficients_and_named_by_column(scene):
    s, axes = scene.solution, scene.w_axes
    for j, path in enumerate(scene.marks["paths"]):
        drawn = np.array([data_point(axes, p) for p in points_of(path)])
        lams = s.lams[0] * 10.0 ** drawn[:, 0]
        expected = np.interp(np.log(lams), np.log(s.lams), s.path[:, j])
        np.testing.assert_allclose(drawn[:, 1] + axes.low, expected, rtol=1e-9, atol=1e-9)
    names = [n.tex_string for n in scene.names]
    assert names == [rf"\text{{{c}}}" for c in DEFAULT.x]
    # each name sits at its path's left end, unless another name pushed it (never far)
    for name, start in zip(scene.names, s.path[0], strict=True):
        y = data_point(axes, name.get_center())[1] + axes.low
        assert abs(y - start) < 0.3 * np.ptp(s.path)


def test_the_simulated_panel_draws_the_exact_curves(scene):
    s, axes = scene.solution, scene.sim_axes
    r = s.risk
    top = axes.y_range[1]
    for name, values in (("variance", r.variance), ("bias2", r.bias2), ("reducible", r.reducible)):
        drawn = np.array([data_point(axes, p) for p in points_of(scene.marks[name])])
        lams = s.lams[0] * 10.0 ** drawn[:, 0]
        expected = np.interp(np.log(lams), np.log(s.lams), values)
        inside = drawn[:, 1] < top - 1e-6  # the curves leave through the top; the rest is exact
        np.testing.assert_allclose(drawn[inside, 1], expected[inside], rtol=1e-6, atol=1e-9)
    x = data_point(axes, scene.marks["lam_best_line"].get_start())[0]
    assert s.lams[0] * 10.0**x == pytest.approx(s.lam_best, rel=1e-9)
    x = data_point(axes, scene.marks["lam_min_sim_line"].get_start())[0]
    assert s.lams[0] * 10.0**x == pytest.approx(s.cv.lam_min, rel=1e-9)


def test_the_marker_ends_on_cvs_choice_and_the_readouts_follow(scene):
    s = scene.solution
    i = s.cv.i_min
    now = scene.frame_readouts()
    assert now["lam"] == s.lams[i] and now["cv"] == s.cv.cv_mse[i]
    assert now["w"] == s.path[i].tolist() and now["test"] == s.risk.test_mse[i]
    assert scene.marks["lam_readout"].value == pytest.approx(s.lams[i])
    assert scene.marks["cv_readout"].value == pytest.approx(s.cv.cv_mse[i])
    dot = data_point(scene.cv_axes, scene.marks["cv_dot"].get_center())
    assert dot[1] + scene.cv_axes.low == pytest.approx(s.cv.cv_mse[i], rel=1e-9)


def test_the_beats_played_in_the_scripts_order(scene):
    played = [seg.id for seg in scene.timeline]
    assert played == [
        "problem",
        "folds",
        "mean",
        "min",
        "one_se",
        "one_se.smaller",
        "simulate",
        "balance",
        "estimate",
    ]
    assert scene.poster is not None


def test_the_first_frame_shows_where_cv_ends(scene):
    """Frame one sums the scene up: the CV curve (the very curve drawn later) with its SE
    bars and λ_min and λ_1SE named on both plots; the folds beat clears it to build it up."""
    s, axes = scene.solution, scene.cv_axes
    folds, mean, bars, marks = scene.marks["answer"]
    assert len(folds) == s.cv.folds
    np.testing.assert_allclose(mean.points, scene.marks["cv_curve"].points)
    assert len(bars) == len(scene.marks["se_bars"])
    for bar, drawn in zip(bars, scene.marks["se_bars"], strict=True):
        np.testing.assert_allclose(bar[0].get_start(), drawn[0].get_start())
        np.testing.assert_allclose(bar[0].get_end(), drawn[0].get_end())
    lams = [s.cv.lam_min, s.cv.lam_min, s.cv.lam_1se, s.cv.lam_1se]
    for (line, _), plot, lam in zip(marks, [axes, scene.w_axes] * 2, lams, strict=True):
        x = data_point(plot, line.get_start())[0]
        assert s.lams[0] * 10.0**x == pytest.approx(lam, rel=1e-9)
    first = [t.text for t in scene.layout["problem"].texts]
    assert first.count(r"\lambda_{\min}") == 2 and first.count(scene.lam_1se()) == 2
    assert r"\lambda_{\min}" not in [t.text for t in scene.layout["folds"].texts]


def test_the_interactive_figure_prints_what_the_frames_print(solution):
    decimals = {r.key: r.decimals for r in ChooseLambda.scrubbed(solution)}
    assert decimals == {"lam": 3, "cv": 0, "se": 0, "w": 2, "test": 0}
    assert ChooseLambda.scrub[0].key == "lam"


# --- other data ------------------------------------------------------------------------------


def test_other_columns_name_their_paths_and_keep_the_layout(tex_cache):
    params, solution = build(
        ChooseLambda, {"x": ["bmi", "s5"], "folds": 5, "sim_rows": 40, "steps": 61}
    )
    assert solution.p == 2 and solution.cv.folds == 5 and len(solution.lams) == 62
    scene = construct(ChooseLambda, params, tex_dir=tex_cache, solution=solution)
    assert [n.tex_string for n in scene.names] == [r"\text{bmi}", r"\text{s5}"]
    for beat in scene.layout_report(768)["beats"]:
        assert beat["overlaps"] == [] and beat["outside"] == [], beat


def test_lambda_best_and_lambda_min_are_named_back_to_back(tex_cache):
    """Weak columns put the exact best λ below CV's λ_min: each name then sits on the far
    side of its own line, so the two never meet."""
    params, solution = build(ChooseLambda, {"x": ["age", "sex", "s3", "s4", "s6"]})
    assert solution.lam_best < solution.cv.lam_min
    scene = construct(ChooseLambda, params, tex_dir=tex_cache, solution=solution)
    best, least = scene.marks["lam_best_name"], scene.marks["lam_min_sim_name"]
    assert best.get_center()[0] < scene.marks["lam_best_line"].get_center()[0]
    assert least.get_center()[0] > scene.marks["lam_min_sim_line"].get_center()[0]
    assert best.get_right()[0] <= least.get_left()[0]


def test_the_one_se_rule_at_the_grids_end_has_its_own_words():
    """s1 and s2 predict little: every λ is within one SE of the lowest error."""
    params, solution = build(ChooseLambda, overrides(DATA, ChooseLambda))
    assert params.x == ("s1", "s2")
    assert solution.one_se_at_end and solution.cv.lam_1se == solution.lams[-1]
    lines = ChooseLambda.load_script().fill(ChooseLambda.results(solution))
    assert "largest λ tried" in lines["one_se_end"].caption


def test_spread_keeps_names_apart_and_inside():
    ys = spread([0.0, 0.05, 0.1, 3.0], [0.3, 0.3, 0.3, 0.3], -1.0, 3.0)
    order = np.argsort(ys)
    assert np.all(np.diff(np.array(ys)[order]) >= 0.3 - 1e-12)
    assert min(ys) >= -1.0 + 0.15 and max(ys) <= 3.0 - 0.15 + 1e-12


# --- bad input ---------------------------------------------------------------------------------


def write(path: Path, header: list[str], rows: np.ndarray) -> Path:
    np.savetxt(path, rows, delimiter=",", header=",".join(header), comments="")
    return path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"folds": 1}, "folds must be a whole number from 2"),
        ({"x": ("bmi",)}, "at least two --x columns"),
        ({"noise": 0.0}, "noise must be a standard deviation > 0"),
        ({"noise": -2.0}, "noise must be a standard deviation > 0"),
        ({"lam_range": (5.0, 1.0)}, "lam_range"),
        ({"steps": 5}, "steps must be"),
        ({"sim_rows": 2}, "sim_rows"),
        ({"sweep_time": 0.2}, "sweep_time"),
        ({"x": tuple(f"c{i}" for i in range(31))}, "unreadable"),
    ],
)
def test_bad_parameters_are_refused_in_one_line(change, words):
    with pytest.raises(ValueError, match=words) as info:
        dataclasses.replace(DEFAULT, **change)
    assert "\n" not in str(info.value)


def test_bad_tables_are_refused_in_one_line(tmp_path):
    rng = np.random.default_rng(1)
    few = write(tmp_path / "few.csv", ["a", "b", "y"], rng.standard_normal((6, 3)))
    with pytest.raises(ParamError, match=r"folds = 10 needs at least one row per fold") as info:
        build(ChooseLambda, {"data": str(few), "x": ["a", "b"], "y": "y"})
    assert "\n" not in str(info.value)
    values = rng.standard_normal((30, 3))
    values[:, 1] = 1.0
    values[:3, 1] = [2.0, 3.0, 4.0]  # 'b' varies only in fold 1's rows
    flat = write(tmp_path / "flat.csv", ["a", "b", "y"], values)
    with pytest.raises(ParamError, match=r"fold 1 of 10.*column 'b' is constant") as info:
        build(ChooseLambda, {"data": str(flat), "x": ["a", "b"], "y": "y"})
    assert "\n" not in str(info.value)
    with pytest.raises(ParamError, match=r"w_true must have one weight per column"):
        build(ChooseLambda, {"w_true": [1.0, 2.0]})


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--set", "noise=-1"], "noise must be"),
        (["--set", "folds=500"], "folds must be"),
        (["--data", "FEW", "--x", "a", "--x", "b", "--y", "y"], "needs at least one row per fold"),
        (["--data", "data/diabetes.csv", "--x", "bmi", "--y", "progression"], "two --x"),
    ],
)
def test_the_command_line_refuses_in_one_line_with_exit_2(args, words, tmp_path):
    few = write(tmp_path / "few.csv", ["a", "b", "y"], np.arange(24.0).reshape(8, 3) ** 1.5)
    args = [str(few) if a == "FEW" else a for a in args]
    done = subprocess.run(
        [sys.executable, "render.py", "choose_lambda", *args, "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    error = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and words in error[0], done.stderr
    assert not (tmp_path / "out" / "choose_lambda.gif").exists()


def check_choose_lambda(m: dict, r: dict) -> None:
    """One frame of the interactive figure (manifest `m`, readouts `r`) against independent
    code: the CV error and SE from scikit-learn's cross_val_score(StandardScaler + Ridge
    (alpha=λ), KFold(K)) on the manifest's table, w(λ) from the same pipeline fitted on all
    rows, and the simulated test error σ² + bᵀHb/n + tr(HC)/n by direct matrix algebra (H =
    n times the prepared columns' covariance, n the simulated rows). For tests/test_interactive.py's
    CHECKS."""
    if r["lam"] is None:  # the first beats show the data and the folds: no λ marked yet
        assert set(r.values()) == {None}
        return
    p, res = m["params"], m["results"]
    t = dataclasses.replace(ChooseLambdaParams(), data=p["data"], x=tuple(p["x"]), y=p["y"])
    X, y = table(t)
    folds, lam = p["folds"], r["lam"]
    model = make_pipeline(StandardScaler(), Ridge(alpha=lam))
    scores = -cross_val_score(model, X, y, cv=KFold(folds), scoring="neg_mean_squared_error")
    assert r["cv"] == pytest.approx(scores.mean(), rel=1e-10)
    assert r["se"] == pytest.approx(scores.std(ddof=1) / math.sqrt(folds), rel=1e-8)
    np.testing.assert_allclose(r["w"], model.fit(X, y)[-1].coef_, rtol=1e-8, atol=1e-9)
    n, w, s2 = res["sim_rows"], np.array(res["w_true"]), res["noise2"]
    prepared = (X - X.mean(axis=0)) / X.std(axis=0)
    H = prepared.T @ prepared * (n / len(y))
    A = np.linalg.inv(H + lam * np.eye(len(w)))
    b = -lam * A @ w
    expected = s2 + b @ H @ b / n + np.trace(H @ (s2 * A @ H @ A)) / n
    assert r["test"] == pytest.approx(expected, rel=1e-9)


def test_the_html_figure_scrubs_lambda_with_that_frames_numbers(tmp_path):
    """-f html: the slider moves λ through the grid, and every frame's numbers are
    scikit-learn's CV error and SE, Ridge's weights and the exact simulated test error at
    that frame's λ (check_choose_lambda)."""
    args = ["choose_lambda", "-q", "draft", "-f", "html", "--out", str(tmp_path), "--quiet"]
    done = subprocess.run(
        [sys.executable, "render.py", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    m = json.loads((tmp_path / "choose_lambda.json").read_text())
    assert [r["key"] for r in m["scrub"]["readouts"]] == ["lam", "cv", "se", "w", "test"]
    frames = m["scrub"]["frames"]
    assert len(frames) == m["frames"]
    shown = [f for f in frames if f["lam"] is not None]
    assert len({f["lam"] for f in shown}) > 20  # the slider's λ moves through the grid
    for f in [frames[0], *shown[:: max(1, len(shown) // 6)], frames[-1]]:
        check_choose_lambda(m, f)
