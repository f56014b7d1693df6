"""--data: a CSV becomes the problem. w(λ) is scikit-learn's Ridge(alpha=λ) on the prepared
columns (centred and standardised by default, or not); every bad file, column or cell is one
line naming it, before anything renders; the manifest and the cache key record the data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

import mathcore as mc
import render
from narration import Script
from studio.data import DataError, data_overrides, load
from studio.request import Request, explainer_template, scene_overrides
from tests.test_cli import cli, manifest  # noqa: F401

DIABETES = Path(__file__).resolve().parent.parent / "data" / "diabetes.csv"
TANGENCY = Script.load("tangency")


def request(*args: str) -> Request:
    """What render.py's command line makes of `args` (nothing run)."""
    return Request(**render.main.make_context("render.py", list(args)).params)


def columns(*names: str) -> np.ndarray:
    rows = [line.split(",") for line in DIABETES.read_text().splitlines()]
    header = rows[0]
    return np.array([[float(r[header.index(n)]) for n in names] for r in rows[1:]])


@pytest.mark.parametrize("lam", [0.0, 1.0, 78.5, 5000.0])
@pytest.mark.parametrize(
    ("intercept", "standardize"), [(True, True), (True, False), (False, True), (False, False)]
)
def test_the_ridge_path_is_scikit_learns_ridge_on_the_prepared_columns(lam, intercept, standardize):
    data = load(DIABETES, ("s1", "s2"), "progression", intercept, standardize)
    w = mc.solve_penalized(mc.QuadraticLoss(data.H, data.center), lam)
    X, y = columns("s1", "s2"), columns("progression")[:, 0]
    if intercept:
        X, y = X - X.mean(axis=0), y - y.mean()
    if standardize:
        X = X / columns("s1", "s2").std(axis=0)
    ref = Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(X, y).coef_
    np.testing.assert_allclose(w, ref, rtol=1e-9, atol=1e-9)
    if intercept and standardize:  # and scikit-learn's own centring gives the same
        scaled = StandardScaler().fit_transform(columns("s1", "s2"))
        own = Ridge(alpha=lam, fit_intercept=True).fit(scaled, columns("progression")[:, 0])
        np.testing.assert_allclose(w, own.coef_, rtol=1e-9, atol=1e-9)


def test_the_shipped_data_shows_ridge_shrinking_a_low_variance_direction():
    """s1 (total cholesterol) and s2 (LDL) correlate at 0.9: H's eigenvalues differ by a
    factor over 15, least squares gives the two opposite signs, and ridge shrinks the
    low-variance direction (s1 − s2) far faster than the high-variance one (s1 + s2)."""
    data = load(DIABETES, ("s1", "s2"), "progression")
    loss = mc.QuadraticLoss(data.H, data.center)
    assert loss.sigma[0] / loss.sigma[1] > 15
    assert data.center[0] > 0 > data.center[1]
    lam = data_overrides(data, {"lam"}, {}, TANGENCY)["lam"]
    view = mc.eigen_shrinkage(loss, lam)
    assert view.factors[0] > 0.8 and view.factors[1] < 0.3


def test_data_overrides_suit_the_scene_and_yield_to_set():
    data = load(DIABETES, ("s1", "s2"), "progression")
    fields = {"H", "center", "names", "data_note", "k"}
    given = data_overrides(data, fields, {"k": 10.0}, TANGENCY)
    assert "k" not in given and given["names"] == ["s1", "s2"]
    assert given["data_note"] == "diabetes.csv: 442 rows, s1, s2 centred and standardised"
    k = data_overrides(data, {"k"}, {}, TANGENCY)["k"]
    assert k == pytest.approx(0.3 * float(data.center @ data.center), rel=1e-3)
    assert mc.solve_constrained(mc.QuadraticLoss(data.H, data.center), k).active


@pytest.mark.parametrize(
    ("lang", "standardize", "said"),
    [
        ("en", False, "diabetes.csv: 442 rows, s1, s2 centred"),
        ("de", True, "diabetes.csv: 442 Zeilen, s1, s2 zentriert und standardisiert"),
        ("de", False, "diabetes.csv: 442 Zeilen, s1, s2 zentriert"),
        ("es", True, "diabetes.csv: 442 filas, s1, s2 centradas y estandarizadas"),
    ],
)
def test_the_data_line_on_screen_is_in_the_language_rendered(lang, standardize, said):
    """--data --lang de: the line saying where the data came from (data_note) is built from
    the scene's script [words.data] in that language."""
    data = load(DIABETES, ("s1", "s2"), "progression", standardize=standardize)
    assert scene_overrides("tangency", {}, data, lang)["data_note"] == said
    assert scene_overrides("shadow_price", {"k": 2.0}, data, lang)["data_note"] == said


def test_the_explainers_data_line_is_in_its_language():
    args = ("explainer", "--lang", "es", "--data", str(DIABETES), "--x", "s1", "--x", "s2")
    template = explainer_template(request(*args, "--y", "progression"))
    said = "diabetes.csv: 442 filas, s1, s2 centradas y estandarizadas"
    assert template.overrides["data_note"] == said


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "d.csv"
    path.write_text(text)
    return path


def test_values_near_1e_minus_200_that_vary_are_not_constant(tmp_path):
    """Their squares underflow to 0, but the columns vary: they standardise like any other."""
    rows = "".join(
        f"{a}e-200,{b}e-200,{y}\n" for a, b, y in [(1, 2, 3), (3, 1, 1), (2, 5, 2), (4, 3, 7)]
    )
    tiny = load(write(tmp_path, "a,b,y\n" + rows), ("a", "b"), "y")
    plain = load(write(tmp_path, "a,b,y\n" + rows.replace("e-200", "")), ("a", "b"), "y")
    np.testing.assert_allclose(tiny.H, plain.H, rtol=1e-12)
    np.testing.assert_allclose(tiny.center, plain.center, rtol=1e-12)


def test_a_fifo_or_a_folder_is_refused_without_reading_it(tmp_path):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # no writer: reading it would wait for ever
    for path in (fifo, tmp_path):
        with pytest.raises(DataError, match="not a regular file"):
            load(path, ("a", "b"), "y")


@pytest.mark.parametrize(
    ("text", "x", "words"),
    [
        (None, ("a", "b"), ["nothing.csv: no such file"]),
        ("a,b,y\n1,2,3\n", ("a", "c"), ["d.csv: no column 'c'", "columns: a, b, y"]),
        ("a,b,y\n1,2,3\n4,x,6\n7,8,9\n1,1,1\n", ("a", "b"), ["d.csv, row 3, column 'b'", "'x'"]),
        ("a,b,y\n1,2,3\n4,nan,6\n7,8,9\n1,1,1\n", ("a", "b"), ["row 3, column 'b'", "not finite"]),
        ("a,b,y\n1,2,3\n4,5,6\n", ("a", "b"), ["more rows than columns"]),
        ("a,b,y\n1,2,3\n1,5,6\n1,8,2\n1,3,3\n", ("a", "b"), ["column 'a' is constant"]),
        ("a,b,y\n1,2,3\n2,4,6\n3,6,2\n4,8,3\n", ("a", "b"), ["collinear"]),
        ("a,b,y\n1,2\n", ("a", "b"), ["row 2: 2 cells"]),
        ("a,b,y\n1,2,3\n", ("a",), ["at least two --x"]),
        # hostile files (issue: "hostile round two")
        ("a,b,y\n1,2,3\n" + "1," + "9" * 140_000 + ",3\n", ("a", "b"), ["row 3", "not CSV"]),
        ("a,b,b,y\n1,2,3,4\n", ("a", "b"), ["names column 'b' twice"]),
        (
            "a,b,y\n1e200,2,3\n2e200,1,1\n3e200,5,2\n",
            ("a", "b"),
            ["row 2, column 'a'", "1e200 is too large"],
        ),
        ("a,b,y\n1_0000,2,3\n", ("a", "b"), ["row 2, column 'a'", "'1_0000' is not a number"]),
        ('a,b,y\n1,2,3\n"4,5,6\n', ("a", "b"), ["row 3", "not CSV", "unexpected end of data"]),
        ("a,b,y\ninf,2,3\n", ("a", "b"), ["'inf' is not finite"]),
        ("a,b,y\n1,2,3\n", ("a", "a"), ["the columns must differ"]),
    ],
)
def test_bad_data_is_one_line_naming_the_file_column_or_row(tmp_path, text, x, words):
    path = tmp_path / "nothing.csv" if text is None else write(tmp_path, text)
    with pytest.raises(DataError) as info:
        load(path, x, "y")
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--x", "s1", "--x", "s2", "--y", "progression"], "give --data"),
        (["--data", "DATA", "--x", "s1", "--x", "s2"], "--y NAME"),
        (
            ["--data", "DATA", "--x", "s1", "--x", "s2", "--x", "s3", "--y", "progression"],
            "exactly two",
        ),
        (["--data", "DATA", "--x", "s1", "--x", "chol", "--y", "progression"], "no column 'chol'"),
    ],
)
def test_bad_data_options_are_usage_errors(cli, args, words):  # noqa: F811
    args = [str(DIABETES) if a == "DATA" else a for a in args]
    result = cli("tiny", "-q", "draft", *args)
    assert result.exit_code == 2 and words in result.output, result.output
    assert not Path("media").exists()


def test_the_manifest_and_the_cache_key_follow_the_data(cli, tmp_path):  # noqa: F811
    copy = tmp_path / "copy.csv"
    copy.write_text(DIABETES.read_text())
    args = ["tangency", "-q", "draft", "-f", "png", "--data", str(copy), "--x", "s1", "--x", "s2"]
    args += ["--y", "progression"]
    assert cli(*args).exit_code == 0
    m = manifest("tangency")
    assert m["data"]["x"] == ["s1", "s2"] and m["data"]["rows"] == 442
    assert m["params"]["names"] == ["s1", "s2"]
    assert "up to date" in cli(*args).output
    copy.write_text(DIABETES.read_text().replace("151\n", "152\n", 1))  # one cell changes
    again = cli(*args)
    assert "rendered" in again.output
    assert (
        json.loads(Path("media/tangency.json").read_text())["data"]["sha256"] != m["data"]["sha256"]
    )
