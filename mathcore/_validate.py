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
