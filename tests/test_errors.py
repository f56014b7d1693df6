"""Every bad input is a MathcoreError (a ValueError) that names the argument and the value;
the interactive figure ignores a URL hash it cannot read."""

from __future__ import annotations

import math

import numpy as np
import pytest

import mathcore as mc

GOOD_H = [[3.0, 1.0], [1.0, 1.5]]
GOOD_C = [2.0, 1.2]


def loss():
    return mc.QuadraticLoss(GOOD_H, GOOD_C)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: mc.QuadraticLoss([[1.0, 2.0, 3.0]], [1.0]), ["H", "square", "(1, 3)"]),
        (lambda: mc.QuadraticLoss([1.0, 2.0], [1.0]), ["H", "2-D"]),
        (lambda: mc.QuadraticLoss([[1.0, 2.0], [0.0, 1.0]], GOOD_C), ["H", "symmetric"]),
        (
            lambda: mc.QuadraticLoss([[1.0, 0.0], [0.0, -1.0]], GOOD_C),
            ["H", "positive semidefinite", "-1"],
        ),
        (
            lambda: mc.QuadraticLoss([[1.0, math.nan], [math.nan, 1.0]], GOOD_C),
            ["H", "finite", "nan"],
        ),
        (lambda: mc.QuadraticLoss([[math.inf, 0], [0, 1.0]], GOOD_C), ["H", "finite", "inf"]),
        (lambda: mc.QuadraticLoss(GOOD_H, [1.0, 2.0, 3.0]), ["center", "2 rows", "(3,)"]),
        (lambda: mc.QuadraticLoss(GOOD_H, [1.0, math.nan]), ["center", "finite"]),
        (lambda: mc.QuadraticLoss(GOOD_H, "ab"), ["center", "numeric"]),
        (lambda: mc.QuadraticLoss(GOOD_H, GOOD_C, offset=math.nan), ["offset", "finite"]),
        (lambda: mc.QuadraticLoss.from_data([[1.0, 2.0]], [1.0, 2.0]), ["y", "1 rows", "(2,)"]),
        (lambda: mc.solve_penalized(loss(), -1.0), ["lam", ">= 0", "-1.0"]),
        (lambda: mc.solve_penalized(loss(), math.nan), ["lam", "nan"]),
        (lambda: mc.solve_penalized(loss(), "big"), ["lam", "real number", "'big'"]),
        (lambda: mc.ridge_path(loss(), [1.0, -2.0]), ["lams", "-2.0"]),
        (lambda: mc.ridge_path(loss(), [[1.0]]), ["lams", "1-D"]),
        (lambda: mc.solve_constrained(loss(), 0.0), ["k", "> 0", "0.0"]),
        (lambda: mc.solve_constrained(loss(), -3), ["k", "> 0", "-3"]),
        (lambda: mc.solve_constrained(loss(), math.inf), ["k", "finite"]),
        (lambda: mc.eigen_shrinkage(loss(), -0.5), ["lam", "-0.5"]),
        (lambda: mc.solve_lasso(loss(), -1e-3), ["lam", "-0.001"]),
        (lambda: mc.solve_constrained_l1(loss(), 0.0), ["t", "> 0"]),
        (lambda: mc.solve_constrained_l1(loss(), math.nan), ["t", "nan"]),
        (lambda: mc.loss_surface(mc.QuadraticLoss(np.eye(3), np.ones(3)), (0, 1), (0, 1)), ["2-D"]),
        (lambda: mc.level_set(loss(), -1.0), ["level", "minimum"]),
        (
            lambda: mc.level_set(mc.QuadraticLoss([[1.0, 0], [0, 0]], GOOD_C), 1.0),
            ["positive definite"],
        ),
        (lambda: mc.circle_tangent([0.0, 0.0]), ["origin"]),
        (lambda: mc.descent_arc(loss(), 10.0, 0.0), ["inactive"]),
        (lambda: mc.descent_arc(loss(), 1.5, math.nan), ["start_angle", "finite"]),
        (lambda: mc.gradient_descent(loss(), [0.0, 0.0], 5, step_size=-1.0), ["step_size", "> 0"]),
        (lambda: loss().value([1.0, 2.0, 3.0]), ["w", "(2,)", "(3,)"]),
        (lambda: mc.level_set_through(loss(), [1.0, 2.0, 3.0]), ["w", "(2,)"]),
        (lambda: mc.ridge_path(loss(), "abc"), ["lams", "numbers"]),
        (lambda: mc.loss_surface(loss(), (0.0,), (0.0, 1.0)), ["xlim", "low < high"]),
        (lambda: mc.loss_surface(loss(), (0.0, 1.0), (2.0, 1.0)), ["ylim", "low < high"]),
        (lambda: mc.path_is_straight(mc.QuadraticLoss(np.eye(2), np.ones((2, 2)))), ["single"]),
    ],
)
def test_bad_input_names_argument_and_value(call, words):
    with pytest.raises(mc.MathcoreError) as info:
        call()
    assert isinstance(info.value, ValueError)
    for word in words:
        assert word.lower() in str(info.value).lower(), (word, str(info.value))


# --- the interactive figure: a hostile URL hash (issue 29) -------------------------------------


def test_a_malformed_url_hash_is_ignored_not_thrown(tmp_path):
    """`#lam%=1` or `#%E0%A4%A=1` (not UTF-8 %-escapes): the figure's fromHash ignores the key
    (no URIError, so the page still shows frame 0 and plays); good hashes still seek. Run in
    Node on the page's own functions."""
    import json
    import re
    import shutil
    import subprocess

    from studio.interactive import SCRIPT

    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (./run.sh test installs it)")
    functions = re.search(r"function decoded\(.*?\n}\n\nfunction fromHash\(.*?\n}\n", SCRIPT, re.S)
    assert functions, "the figure's fromHash and decoded functions"
    hashes = ["#lam%=1", "#%E0%A4%A=1", "#lam=%E0", "#%=%", "#lam=0.5", "#frame=2", "#la%6D=1"]
    check = tmp_path / "hash.js"
    check.write_text(
        "const S = {frames: [{lam: 0}, {lam: 0.5}, {lam: 1}, {lam: '∞'}]};\n"
        "const last = S.frames.length - 1;\n"
        "const location = {hash: ''};\n"
        f"{functions.group(0)}\n"
        f"console.log(JSON.stringify({json.dumps(hashes)}.map(h => {{\n"
        "  location.hash = h;\n"
        "  try { return fromHash(); } catch (e) { return e.name; }\n"
        "})));\n"
    )
    done = subprocess.run([node, str(check)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [None, None, None, None, 1, 2, 2]
