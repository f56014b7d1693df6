"""Your own data: a CSV file and the columns to use become the problem every scene draws.

    render.py tangency --data data/diabetes.csv --x s1 --x s2 --y progression

The --x columns are centred and standardised by default (--no-intercept, --no-standardize
turn that off), y is centred with them. The scenes of the 2-weight problem take exactly two
columns, from which mathcore builds H = XᵀX and c, the least-squares solution: w(λ) is then
scikit-learn's Ridge(alpha=λ) on the prepared columns. The scenes drawn from the table itself
(cross-validation, coefficient paths) take any number. The scenes
label their axes with the column names and say on screen how the data were prepared; budgets
and λ default to values that suit the data (`data_overrides`). Every bad input is one line
naming the file, the column or the row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import mathcore as mc
from narration import Script, short_name


def data_how(intercept: bool, standardize: bool) -> str:
    """How a table's columns were prepared, as a key of a script's [words.data]: "both"
    (centred and standardised), "centred", "standardised" or "as_they_are"."""
    return {
        (True, True): "both",
        (True, False): "centred",
        (False, True): "standardised",
        (False, False): "as_they_are",
    }[(bool(intercept), bool(standardize))]


class DataError(ValueError):
    """Data that cannot become a problem; one line naming the file, column or row."""


@dataclass(frozen=True)
class Table:
    """Columns of a CSV file as read: the features `x` (in order) and the response `y`."""

    path: Path
    sha256: str
    x: tuple[str, ...]
    y: str
    X: np.ndarray  # rows × len(x)
    response: np.ndarray  # rows

    @property
    def rows(self) -> int:
        return len(self.response)


@dataclass(frozen=True)
class Data:
    """What --data asked for: a table and how to prepare it; with exactly two --x columns,
    also the 2-weight problem (H = XᵀX and c) that the planar scenes draw."""

    table: Table
    intercept: bool
    standardize: bool
    H: np.ndarray | None  # None unless there are exactly two --x columns
    center: np.ndarray | None

    @property
    def path(self) -> Path:
        return self.table.path

    @property
    def x(self) -> tuple[str, ...]:
        return self.table.x

    def note(self, words: Script) -> str:
        """Where the data came from and how they were prepared, in one line for the screen,
        in the words of a scene's script (its [words.data], in the script's language)."""
        t = self.table
        return words.word("data", "note").format(
            file=short_name(t.path.name, 30),
            rows=t.rows,
            columns=", ".join(short_name(name) for name in t.x),
            how=words.word("data", data_how(self.intercept, self.standardize)),
        )

    def record(self) -> dict[str, Any]:
        """For the manifest."""
        t = self.table
        return {
            "file": str(t.path),
            "sha256": t.sha256,
            "x": list(t.x),
            "y": t.y,
            "rows": t.rows,
            "intercept": self.intercept,
            "standardize": self.standardize,
        }


ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 64 * 2**20  # a data file larger than this is not a table for these scenes
MAX_VALUE = 1e100  # beyond this, squares and sums of a column overflow float64
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
"""A number as a CSV cell writes it (no underscores, no words such as inf or nan)."""
FLOAT_WORDS = {"inf", "infinity", "nan"}


def resolve(data: str) -> Path:
    """A data file named on the command line or in a scene's parameters: an absolute path,
    else relative to the current folder if it is there, else to the project's folder (where
    the shipped data set lives)."""
    given = Path(data)
    if given.is_absolute() or given.exists():
        return given
    inside = ROOT / given
    return inside if inside.exists() else given


def read_table(path: Path, x: tuple[str, ...], y: str) -> Table:
    """Read `path` (CSV with a header row) and take the columns `x` (none given: every
    column but `y`) and `y` as numbers; raises DataError naming the file, column or row."""
    try:
        if path.exists() and not path.is_file():  # a folder, a FIFO, a device: never read
            raise DataError(f"{path}: not a regular file")
        if path.stat().st_size > MAX_BYTES:
            raise DataError(f"{path}: larger than {MAX_BYTES // 2**20} MB")
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: cannot read it ({err.strerror or err})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    table = []
    try:
        table.extend(reader)
    except csv.Error as err:  # a cell over csv's limit, a quote never closed, …
        raise DataError(f"{path}, row {reader.line_num}: not CSV ({err})") from None
    if not table:
        raise DataError(f"{path}: empty")
    header = [name.strip() for name in table[0]]
    x = tuple(x) or tuple(name for name in header if name != y)
    if len(set(x)) != len(x) or y in x:
        raise DataError(f"--x {' --x '.join(x)} --y {y}: the columns must differ")
    missing = [c for c in (*x, y) if c not in header]
    if missing:
        raise DataError(f"{path}: no column {missing[0]!r} (columns: {', '.join(header)})")
    twice = [c for c in (*x, y) if header.count(c) > 1]
    if twice:
        raise DataError(f"{path}: the header names column {twice[0]!r} twice; rename one")
    where = [header.index(c) for c in (*x, y)]
    values = np.empty((len(table) - 1, len(where)))
    for r, row in enumerate(table[1:]):
        line = r + 2  # the file's line number (the header is line 1)
        if len(row) != len(header):
            raise DataError(f"{path}, row {line}: {len(row)} cells, the header has {len(header)}")
        for j, (name, i) in enumerate(zip((*x, y), where, strict=True)):
            cell = row[i].strip()
            if not NUMBER.fullmatch(cell):
                shown = cell if len(cell) <= 20 else cell[:19] + "…"
                what = "not finite" if cell.lower().lstrip("+-") in FLOAT_WORDS else "not a number"
                raise DataError(f"{path}, row {line}, column {name!r}: {shown!r} is {what}")
            value = float(cell)
            if abs(value) > MAX_VALUE:
                raise DataError(
                    f"{path}, row {line}, column {name!r}: {cell} is too large to compute with "
                    f"(|x| ≤ {MAX_VALUE:g}); rescale the column"
                )
            values[r, j] = value
    return Table(path, hashlib.sha256(raw).hexdigest(), x, y, values[:, :-1], values[:, -1])


def load(
    path: Path, x: tuple[str, ...], y: str, intercept: bool = True, standardize: bool = True
) -> Data:
    """Read `path`, take the columns `x` and `y`, prepare them and, for two columns, build
    the problem; raises DataError."""
    if len(x) == 1:
        raise DataError(f"--x {x[0]}: give at least two --x columns")
    table = read_table(path, x, y)
    try:
        prepared = mc.prepare(table.X, table.response, intercept, standardize)
        loss = mc.loss_from_columns(prepared)
    except mc.MathcoreError as err:
        text = str(err)
        for index, name in enumerate(table.x):
            text = text.replace(f"column {index} ", f"column {name!r} ")
        raise DataError(f"{path}: {text}") from None
    two = len(table.x) == 2
    return Data(
        table, intercept, standardize, loss.H if two else None, loss.center if two else None
    )


def _round(value: float) -> float:
    """A default a user could have typed: four significant digits."""
    return float(f"{value:.4g}")


PROBLEM_KEYS = {"H", "center", "names", "data_note", "k", "lam"}
"""The parameters of the 2-weight problem that --data sets (those a scene has)."""


def data_overrides(
    data: Data, fields: set[str], given: dict[str, Any], words: Script
) -> dict[str, Any]:
    """--set values for a scene with parameter names `fields` and script `words` (in the
    language rendered: the data's line on screen is in its words). A scene drawn from a table
    (a `data` field) gets the file and its columns; a scene of the 2-weight problem gets the
    data's problem and labels and, unless `given` sets them, budgets and λ that suit its
    scale: k at 30% of ||c||² (the constraint binds) and λ at the geometric mean of H's
    eigenvalues (the two directions shrink visibly differently). Raises DataError when a
    2-weight scene is given other than two columns."""
    suggested: dict[str, Any] = {}
    if "data" in fields:
        suggested |= {
            "data": str(data.path),
            "x": list(data.x),
            "y": data.table.y,
            "intercept": data.intercept,
            "standardize": data.standardize,
        }
    if "H" in fields or ("data" not in fields and fields & PROBLEM_KEYS):
        if data.H is None:
            raise DataError(
                f"this scene draws two weights: give exactly two --x columns, got "
                f"{len(data.x)} (ridge_trace and choose_lambda take any number)"
            )
        sigma = np.linalg.eigvalsh(data.H)
        suggested |= {
            "H": data.H.tolist(),  # exactly: w(λ) is scikit-learn's Ridge on these columns
            "center": data.center.tolist(),
            "names": list(data.x),
            "k": _round(0.3 * float(data.center @ data.center)),
            "lam": _round(math.sqrt(float(sigma[0] * sigma[-1]))),
        }
        if "data_note" in fields:
            suggested["data_note"] = data.note(words)
    return {k: v for k, v in suggested.items() if k in fields and k not in given}
