"""ridge_trace: the solution is mathcore's trace of the prepared columns (each row scikit-learn's
Ridge), the paths' dots, the sweeping line, the readouts and the bars sit where the trace says
for the sample on screen, the marks sit on the crossings and peaks coefficient_turns found,
the column names never overlap (ten columns, three, thirty), and bad input is one line."""

from __future__ import annotations

import csv
import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import Ridge

import mathcore as mc
from scenes.base import bounding_box
from scenes.ridge_trace import MAX_COLUMNS, RidgeTrace, TraceParams, stack_labels
from studio.params import ParamError, build
from tests.scenetools import construct, data_point
from tests.test_layout import layout_problems

ROOT = Path(__file__).resolve().parent.parent
DIABETES = ROOT / "data" / "diabetes.csv"


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(RidgeTrace, tex_dir=tex_cache)


def prepared_columns(path: Path, x: list[str], y: str) -> tuple[np.ndarray, np.ndarray]:
    """The columns as --data prepares them, computed here with plain numpy: centred, divided
    by their population standard deviation; y centred."""
    with path.open() as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=float)
    x = x or [c for c in header if c != y]
    X = body[:, [header.index(c) for c in x]]
    target = body[:, header.index(y)]
    return (X - X.mean(axis=0)) / X.std(axis=0), target - target.mean()


def check_ridge_trace(m: dict, r: dict) -> None:
    """One frame's readouts of the interactive figure (-f html) against independent numpy:
    w(λ) = (XᵀX + λI)⁻¹Xᵀy on the prepared columns and df(λ) = tr X(XᵀX + λI)⁻¹Xᵀ. For
    tests/test_interactive.py's CHECKS."""
    params = m["params"]
    X, y = prepared_columns(ROOT / params["data"], params["x"], params["y"])
    if r["lam"] == "∞":
        assert r["df"] == 0.0 and np.all(np.array(r["w"]) == 0.0)
        return
    inverse = np.linalg.inv(X.T @ X + r["lam"] * np.eye(X.shape[1]))
    np.testing.assert_allclose(r["w"], inverse @ X.T @ y, atol=1e-8)
    assert r["df"] == pytest.approx(np.trace(X @ inverse @ X.T), abs=1e-9)


def test_the_solution_is_the_trace_of_the_prepared_columns_and_scikit_learns_ridge():
    s = RidgeTrace.solve(TraceParams())
    X, y = prepared_columns(DIABETES, [], "progression")
    assert s.columns == ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")
    tr = s.trace
    assert tr.coef_path.shape == (241, 10) and tr.df[0] == 10 and tr.df[-1] == 0
    np.testing.assert_allclose(tr.df, np.linspace(10, 0, 241), atol=1e-12)
    worst = 0.0
    for lam, row in zip(tr.lambdas[:-1], tr.coef_path[:-1], strict=True):
        fit = Ridge(alpha=lam, fit_intercept=False, solver="svd").fit(X, y)
        worst = max(worst, float(np.max(np.abs(fit.coef_ - row))))
    assert worst < 1e-9, worst
    r = RidgeTrace.results(s)
    assert r["lambdas"][-1] == "∞" and r["columns"] == list(s.columns) and r["p"] == 10
    assert r["sigma"] == sorted(r["sigma"], reverse=True)
    np.testing.assert_allclose(r["sigma"], np.linalg.eigvalsh(X.T @ X)[::-1], rtol=1e-10)
    np.testing.assert_array_equal(r["coef_path"], tr.coef_path)


def test_the_turns_are_mathcores_and_true():
    """Every named sign change is a zero of w_j(λ) between samples of opposite sign; every
    weight said to grow first is larger somewhere than at λ = 0, by enough to see."""
    s = RidgeTrace.solve(TraceParams())
    X, y = prepared_columns(DIABETES, [], "progression")
    turns = mc.coefficient_turns(mc.QuadraticLoss.from_data(X, y))
    assert s.signs == [j for j, c in enumerate(turns.crossings) if len(c)]
    span = max(s.trace.coef_path.max(), 0.0) - min(s.trace.coef_path.min(), 0.0)
    rise = turns.peak - np.abs(s.trace.least_squares)
    seen = rise >= RidgeTrace.min_rise * span  # a growth the plot can show (≥ 1 % of it)
    assert s.growers == list(np.flatnonzero(turns.grows_first & seen))
    assert s.signs and s.growers  # the diabetes data have both
    assert set(np.flatnonzero(turns.grows_first)) - set(s.growers) == {2}  # bmi's rise, 0.06
    # in a range of 73 (0.08 %), is too small to see: not marked; on bmi, bp, s5, bp's 0.6 %
    X3, y3 = prepared_columns(DIABETES, ["bmi", "bp", "s5"], "progression")
    assert mc.coefficient_turns(mc.QuadraticLoss.from_data(X3, y3)).grows_first[1]
    assert RidgeTrace.solve(TraceParams(x=("bmi", "bp", "s5"))).growers == []
    for j in s.signs:
        for lam in s.crossings[j]:
            w = np.linalg.solve(X.T @ X + lam * np.eye(10), X.T @ y)
            assert abs(w[j]) < 1e-9 * np.abs(w).max()
    for j in s.growers:
        w = np.linalg.solve(X.T @ X + s.peak_lam[j] * np.eye(10), X.T @ y)
        assert abs(w[j]) > abs(s.trace.least_squares[j]) and w[j] == pytest.approx(s.peak_w[j])
    text = RidgeTrace.results(s)["turns_text"]
    assert text == f"{len(s.signs)} change sign and {len(s.growers)} grow before they shrink"


def test_the_frame_shows_the_sample_on_screen(scene):
    """The last frame: the line back at the middle of the sweep; each dot on its path there,
    the readouts and every bar at that sample's λ, df and σⱼ/(σⱼ + λ)."""
    s = scene.solution
    tr, i = s.trace, scene.shown
    assert i == len(tr.df) // 2
    axes = scene.axes
    line = scene.marks["sweep_line"]
    assert data_point(axes, line.get_center())[0] == pytest.approx(tr.df[i], abs=1e-6)
    for j in range(s.p):
        at = data_point(axes, scene.marks[f"dot_{j}"].get_center())
        np.testing.assert_allclose(at, (tr.df[i], tr.coef_path[i, j]), atol=1e-6)
    assert scene.marks["lam_value"].value == tr.lambdas[i]
    assert scene.marks["df_value"].value == tr.df[i]
    for j, fill in enumerate(scene.marks["bars"]):
        assert fill.height == pytest.approx(tr.factors[i, j] * scene.bar_height, abs=1e-3)
    assert scene.frame_readouts() == {
        "lam": float(tr.lambdas[i]),
        "df": float(tr.df[i]),
        "w": tr.coef_path[i].tolist(),
    }
    check_ridge_trace(
        {"params": {"data": "data/diabetes.csv", "x": [], "y": "progression"}},
        scene.frame_readouts(),
    )


def test_the_least_squares_fit_is_named_above_the_right_edge(scene):
    s, axes = scene.solution, scene.axes
    fit = scene.marks["fit_label"]
    assert fit[1].tex_string == r"\hat w"
    assert data_point(axes, fit.get_bottom())[0] == pytest.approx(s.p, abs=1e-6)
    assert fit.get_bottom()[1] > axes.c2p(s.p, s.y_range[1])[1]
    # the first beat's record: each weight's dot at (p, ŵ_j), before the sweep moves it
    dots = {d.text: d for d in scene.layout["problem"].points}
    for j, w in enumerate(s.trace.least_squares):
        d = dots[f"dot_{j}"]
        at = data_point(axes, np.array([(d.left + d.right) / 2, (d.bottom + d.top) / 2, 0.0]))
        np.testing.assert_allclose(at, (s.p, w), atol=1e-6)


def test_the_marks_sit_on_the_crossings_and_peaks(scene):
    s, axes = scene.solution, scene.axes
    rings = [data_point(axes, m.get_center()) for m in scene.marks["crossings"]]
    expected = [(d, 0.0) for j in s.signs for d in s.crossing_df[j]]
    np.testing.assert_allclose(rings, expected, atol=1e-6)
    squares = [data_point(axes, m.get_center()) for m in scene.marks["peaks"]]
    np.testing.assert_allclose(squares, [(s.peak_df[j], s.peak_w[j]) for j in s.growers], atol=1e-6)
    words = " ".join(
        t.tex_string for t in scene.marks["turn_words"].get_family() if hasattr(t, "tex_string")
    )
    for j in {*s.signs, *s.growers}:
        assert s.columns[j] in words


def label_boxes(scene) -> list[np.ndarray]:
    return [bounding_box(label) for label in scene.marks["labels"]]


def assert_labels_apart_and_right_of_the_plot(scene) -> None:
    boxes = label_boxes(scene)
    right = scene.axes.c2p(scene.solution.p, 0)[0]
    assert all(b[0] > right + 0.2 for b in boxes)
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            one, two = boxes[a], boxes[b]
            apart = one[2] <= two[0] or two[2] <= one[0] or one[3] <= two[1] or two[3] <= one[1]
            assert apart, (scene.solution.columns[a], scene.solution.columns[b])


def test_the_names_never_overlap_and_keep_the_order_of_the_weights(scene):
    assert_labels_apart_and_right_of_the_plot(scene)
    s = scene.solution
    tops = [b[3] for b in label_boxes(scene)]
    by_weight = np.argsort(-s.trace.least_squares, kind="stable")
    assert list(np.argsort(-np.array(tops), kind="stable")) == list(by_weight)
    assert layout_problems(scene) == []


def test_stacking_moves_labels_least_and_keeps_them_apart():
    spots = stack_labels(np.array([1.0, 0.99, 0.98, -2.0]), 0.3, -3.0, 3.0)
    assert np.all(-np.diff(spots) >= 0.3 - 1e-12)
    assert spots.mean() == pytest.approx(np.array([1.0, 0.99, 0.98, -2.0]).mean())
    assert spots[3] == -2.0  # a label with room stays at its target
    crowded = stack_labels(np.full(10, 2.9), 0.5, -3.0, 3.0)
    assert crowded[0] <= 3.0 - 0.25 and crowded[-1] >= -3.0 + 0.25 - 1e-12


def write_table(path: Path, columns: int, rows: int = 120, seed: int = 3) -> Path:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, columns))
    X[:, 1] += 0.95 * X[:, 0]  # correlated: some weight turns
    y = X @ rng.standard_normal(columns) + rng.standard_normal(rows)
    header = [f"feature_{j + 1}" for j in range(columns)] + ["target"]
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", header=",".join(header), comments="")
    return path


@pytest.mark.parametrize("columns", [3, MAX_COLUMNS])
def test_other_tables_lay_out_cleanly(columns, tmp_path, tex_cache):
    table = write_table(tmp_path / "table.csv", columns)
    params, solution = build(RidgeTrace, {"data": str(table), "y": "target"})
    scene = construct(RidgeTrace, params, tex_dir=tex_cache, solution=solution)
    assert scene.solution.p == columns
    assert_labels_apart_and_right_of_the_plot(scene)
    assert layout_problems(scene) == []


def test_three_columns_of_the_shipped_data():
    _, s = build(RidgeTrace, {"x": ["bmi", "s1", "s2"]})
    X, y = prepared_columns(DIABETES, ["bmi", "s1", "s2"], "progression")
    fit = Ridge(alpha=s.trace.lambdas[100], fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(s.trace.coef_path[100], fit.coef_, atol=1e-9)
    assert s.columns == ("bmi", "s1", "s2") and s.trace.df[0] == 3


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"x": ["bmi"]}, "give at least two --x columns"),
        ({"x": [f"c{j}" for j in range(MAX_COLUMNS + 1)]}, "unreadable"),
        ({"x": ["bmi", "nothing"]}, "no column 'nothing'"),
        ({"samples": 5}, "samples must be an integer from 41"),
        ({"sweep_time": 1.0}, "sweep_time must be at least 2"),
        ({"x": ["s1", "s1"]}, "the columns must differ"),
    ],
)
def test_bad_parameters_are_one_line(overrides, words):
    with pytest.raises(ParamError) as info:
        build(RidgeTrace, overrides)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_a_wide_table_is_refused_saying_why(tmp_path):
    table = write_table(tmp_path / "wide.csv", MAX_COLUMNS + 1)
    with pytest.raises(ParamError, match=r"31 columns, at most 30: .* unreadable"):
        build(RidgeTrace, {"data": str(table), "y": "target"})
    collinear = tmp_path / "collinear.csv"
    collinear.write_text("a,b,y\n1,2,1\n2,4,3\n3,6,2\n4,8,5\n")
    with pytest.raises(ParamError, match=r"collinear"):
        build(RidgeTrace, {"data": str(collinear), "y": "y"})


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--data", "data/diabetes.csv", "--x", "bmi", "--y", "progression"], "two --x"),
        (["--set", 'x=["bmi"]'], "two --x columns"),
        (["--data", "WIDE", "--y", "target"], "unreadable"),
    ],
)
def test_the_command_line_refuses_in_one_line_with_exit_2(args, words, tmp_path):
    wide = write_table(tmp_path / "wide.csv", MAX_COLUMNS + 1)
    args = [str(wide) if a == "WIDE" else a for a in args]
    done = subprocess.run(
        [sys.executable, "render.py", "ridge_trace", *args, "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    error = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and words in error[0], done.stderr
    assert not (tmp_path / "out" / "ridge_trace.gif").exists()


def test_a_script_variant_for_data_where_every_weight_shrinks(tmp_path, tex_cache):
    """Uncorrelated columns: no weight turns, and the scene plays "plain" instead."""
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((200, 3))
    X, _ = np.linalg.qr(Z - Z.mean(axis=0))  # orthonormal columns of mean 0: H = 200·I
    y = X @ np.array([1.0, 2.0, 3.0])
    path = tmp_path / "plain.csv"
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", header="a,b,c,y", comments="")
    params = dataclasses.replace(TraceParams(), data=str(path), y="y")
    s = RidgeTrace.solve(params)
    assert not s.turns
    lines = RidgeTrace.load_script().fill(RidgeTrace.results(s))
    assert "none changes sign" in lines["plain"].caption
    assert math.isfinite(s.trace.lambdas[-2])
    scene = construct(RidgeTrace, params, tex_dir=tex_cache, solution=s)
    assert [seg.id for seg in scene.timeline] == [
        "problem",
        "df",
        "df.bars",
        "sweep",
        "sweep.small",
        "plain",
        "lesson",
    ]
    assert layout_problems(scene) == []
