"""Input checks shared by mathcore: every bad input becomes a MathcoreError naming the argument."""

from __future__ import annotations

import math

import numpy as np


class MathcoreError(ValueError):
    """A bad input to mathcore; the message names the argument and the offending value."""


def _short(value) -> str:
    """A compact repr of a value for an error message, on one line."""
    text = (
        np.array2string(np.asarray(value), precision=6, threshold=20, separator=", ")
        if np.ndim(value)
        else repr(value)
    )
    text = " ".join(text.split())
    return text if len(text) <= 120 else text[:117] + "..."


def finite_array(name: str, value, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """`value` as a float array; raise unless it is numeric, finite and (optionally) of `ndim`."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise MathcoreError(f"{name} must be numeric, got {_short(value)}") from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise MathcoreError(f"{name} must be {want}, got shape {arr.shape}: {_short(value)}")
    if not np.all(np.isfinite(arr)):
        raise MathcoreError(f"{name} must be finite (no NaN or inf), got {_short(value)}")
    return arr


def nonnegative_lambda(name: str, value, allow_inf: bool = True) -> float:
    """A penalty weight: a real number >= 0 (inf allowed when `allow_inf`)."""
    lam = _real(name, value)
    if math.isnan(lam) or lam < 0 or (math.isinf(lam) and not allow_inf):
        rule = ">= 0" + ("" if allow_inf else " and finite")
        raise MathcoreError(f"{name} must be {rule}, got {value!r}")
    return lam


def lambda_values(
    value, *, allow_inf: bool = True, above_zero: bool = False, increasing: bool = False
) -> np.ndarray:
    """`lams`, a grid of penalty weights, as a non-empty 1-D float array whose entries are all
    >= 0 (> 0 when `above_zero`), finite unless `allow_inf` (inf: w = 0), strictly increasing
    when `increasing` (a log axis)."""
    try:
        lams = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise MathcoreError(f"lams must be numbers, got {_short(value)}") from None
    if lams.ndim != 1 or lams.size == 0:
        raise MathcoreError(f"lams must be a non-empty 1-D array, got {_short(value)}")
    ok = (lams > 0 if above_zero else lams >= 0) & (
        np.isfinite(lams) | (allow_inf & ~np.isnan(lams))
    )
    if not ok.all():
        rule = ("> 0" if above_zero else ">= 0") + ("" if allow_inf else " and finite")
        raise MathcoreError(f"lams must all be {rule}, got {lams[~ok][0]!r}")
    if increasing and np.any(np.diff(lams) <= 0):
        raise MathcoreError(f"lams must be increasing, got {_short(value)}")
    return lams


def positive(name: str, value) -> float:
    """A budget (k or t): a finite real number > 0."""
    x = _real(name, value)
    if not (math.isfinite(x) and x > 0):
        raise MathcoreError(f"{name} must be a finite number > 0, got {value!r}")
    return x


def _real(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise MathcoreError(f"{name} must be a real number, got {value!r}")
    return float(value)
