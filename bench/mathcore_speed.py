"""How fast mathcore answers: median wall time per call over repeated runs.

    .venv/bin/python bench/mathcore_speed.py

Targets (issue 2): ridge_path over 10,000 λ for n = 2 well under 10 ms; solve_constrained
well under 1 ms.
"""

from __future__ import annotations

import statistics
import timeit

import numpy as np
from _table import report

import mathcore as mc

LOSS = mc.QuadraticLoss([[3.0, 1.0], [1.0, 1.5]], [2.0, 1.2])
LAMS = np.concatenate([[0.0], np.geomspace(1e-3, 1e3, 9_998), [np.inf]])
rng = np.random.default_rng(0)
X50 = rng.standard_normal((60, 50))
LOSS50 = mc.QuadraticLoss.from_data(X50, rng.standard_normal(60))

CASES = {
    "ridge_path, 10,000 λ, n=2": (lambda: mc.ridge_path(LOSS, LAMS), 10.0),
    "solve_constrained, n=2": (lambda: mc.solve_constrained(LOSS, 1.5), 1.0),
    "solve_penalized, n=2": (lambda: mc.solve_penalized(LOSS, 1.0), None),
    "eigen_shrinkage, n=2": (lambda: mc.eigen_shrinkage(LOSS, 1.0), None),
    "QuadraticLoss(...), n=2": (lambda: mc.QuadraticLoss(LOSS.H, LOSS.center), None),
    "level_set, 240 points": (lambda: mc.level_set(LOSS, 3.0), None),
    "solve_lasso, n=2": (lambda: mc.solve_lasso(LOSS, 1.0), None),
    "solve_constrained, n=50": (lambda: mc.solve_constrained(LOSS50, 0.1), None),
    "solve_lasso, n=50": (lambda: mc.solve_lasso(LOSS50, 1.0), None),
    "solve_constrained_l1, n=50": (lambda: mc.solve_constrained_l1(LOSS50, 0.5), None),
}


def median_ms(fn, repeats: int = 15) -> float:
    number = max(1, int(0.05 / max(timeit.timeit(fn, number=1), 1e-7)))
    runs = timeit.repeat(fn, number=number, repeat=repeats)
    return 1e3 * statistics.median(runs) / number


def main() -> None:
    rows = []
    for name, (fn, target) in CASES.items():
        ms = median_ms(fn)
        rows.append(
            {
                "case": name,
                "median_ms": round(ms, 4),
                "target_ms": target if target is not None else "",
                "ok": "" if target is None else ("yes" if ms < target else "NO"),
            }
        )
    report("mathcore_speed", ["case", "median_ms", "target_ms", "ok"], rows)


if __name__ == "__main__":
    main()
