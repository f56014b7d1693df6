"""Your own data: a CSV file and the columns to use become the problem every scene draws.

    render.py tangency --data data/diabetes.csv --x s1 --x s2 --y progression

The two --x columns are centred and standardised by default (--no-intercept, --no-standardize
turn that off), y is centred with them, and mathcore builds H = XᵀX and c, the least-squares
solution: w(λ) is then scikit-learn's Ridge(alpha=λ) on the prepared columns. The scenes
label their axes with the column names and say on screen how the data were prepared; budgets
and λ default to values that suit the data (`data_overrides`). Every bad input is one line
naming the file, the column or the row.
"""

from __future__ import annotations

import csv
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import mathcore as mc


class DataError(ValueError):
    """Data that cannot become a problem; one line naming the file, column or row."""


@dataclass(frozen=True)
class Data:
    """A problem built from columns of a CSV file."""

    path: Path
    sha256: str
    x: tuple[str, ...]
    y: str
    rows: int
    intercept: bool
    standardize: bool
    H: np.ndarray
    center: np.ndarray

    @property
    def note(self) -> str:
        """How the data were prepared, in one line for the screen."""
        how = " and ".join(
            w for w, on in (("centred", self.intercept), ("standardised", self.standardize)) if on
        )
        return f"{self.path.name}: {self.rows} rows, {', '.join(self.x)} {how or 'as they are'}"

    def record(self) -> dict[str, Any]:
        """For the manifest."""
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "x": list(self.x),
            "y": self.y,
            "rows": self.rows,
            "intercept": self.intercept,
            "standardize": self.standardize,
        }


def load(
    path: Path, x: tuple[str, ...], y: str, intercept: bool = True, standardize: bool = True
) -> Data:
    """Read `path` (CSV with a header row), take the columns `x` and `y`, prepare them and
    build the problem; raises DataError."""
    if len(x) != 2:
        raise DataError(f"give exactly two --x columns for these scenes, got {len(x)}")
    if len(set(x)) != 2 or y in x:
        raise DataError(f"--x {x[0]} --x {x[1]} --y {y}: the three columns must differ")
    try:
        raw = path.read_bytes()
        lines = raw.decode("utf-8-sig").splitlines()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: cannot read it ({err})") from None
    table = list(csv.reader(lines))
    if not table:
        raise DataError(f"{path}: empty")
    header = [name.strip() for name in table[0]]
    missing = [c for c in (*x, y) if c not in header]
    if missing:
        raise DataError(f"{path}: no column {missing[0]!r} (columns: {', '.join(header)})")
    where = [header.index(c) for c in (*x, y)]
    values = np.empty((len(table) - 1, 3))
    for r, row in enumerate(table[1:]):
        line = r + 2  # the file's line number (the header is line 1)
        if len(row) != len(header):
            raise DataError(f"{path}, row {line}: {len(row)} cells, the header has {len(header)}")
        for j, (name, i) in enumerate(zip((*x, y), where, strict=True)):
            try:
                value = float(row[i])
            except ValueError:
                raise DataError(
                    f"{path}, row {line}, column {name!r}: {row[i]!r} is not a number"
                ) from None
            if not math.isfinite(value):
                raise DataError(f"{path}, row {line}, column {name!r}: {row[i]!r} is not finite")
            values[r, j] = value
    try:
        prepared = mc.prepare(values[:, :2], values[:, 2], intercept, standardize)
        loss = mc.loss_from_columns(prepared)
    except mc.MathcoreError as err:
        text = str(err)
        for index, name in enumerate(x):
            text = text.replace(f"column {index} ", f"column {name!r} ")
        raise DataError(f"{path}: {text}") from None
    return Data(
        path,
        hashlib.sha256(raw).hexdigest(),
        tuple(x),
        y,
        len(values),
        intercept,
        standardize,
        loss.H,
        loss.center,
    )


def _round(value: float) -> float:
    """A default a user could have typed: four significant digits."""
    return float(f"{value:.4g}")


def data_overrides(data: Data, fields: set[str], given: dict[str, Any]) -> dict[str, Any]:
    """--set values for a scene with parameter names `fields`: the data's problem and
    labels, and, unless `given` sets them, budgets and λ that suit its scale: k at 30% of
    ||c||² (the constraint binds) and λ at the geometric mean of H's eigenvalues (the two
    directions shrink visibly differently)."""
    sigma = np.linalg.eigvalsh(data.H)
    suggested = {
        "H": data.H.tolist(),  # exactly: w(λ) is scikit-learn's Ridge on these columns
        "center": data.center.tolist(),
        "names": list(data.x),
        "data_note": data.note,
        "k": _round(0.3 * float(data.center @ data.center)),
        "lam": _round(math.sqrt(float(sigma[0] * sigma[-1]))),
    }
    return {k: v for k, v in suggested.items() if k in fields and k not in given}
