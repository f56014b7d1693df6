"""What every scene shares: the default problem, parameter declarations, and the base class.

A scene's parameters are a frozen dataclass deriving from `Problem`; `render.py --set` fills
it. `solve(params)` turns the parameters into everything the scene draws (all of it from
mathcore); `results` and `alt_text` report those numbers for the render manifest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, TypeVar

import numpy as np
from manim import Mobject, Scene

from mathcore import MathcoreError, QuadraticLoss
from scenes.theme import DARK, Theme


def nearest(samples: np.ndarray, value: float) -> int:
    """Index of the sample nearest `value`: scenes animate through precomputed samples, so every
    frame shows exactly what mathcore computed for one of them."""
    return int(np.argmin(np.abs(np.asarray(samples) - value)))


def point_text(w) -> str:
    """A 2-D point as plain text for alt texts: (1.20, 2.00)."""
    return "(" + ", ".join(f"{v:.2f}" for v in w) + ")"


def point_tex(w) -> str:
    """A 2-D point as TeX for on-screen labels: (1.20,\\ 2.00)."""
    return "(" + r",\ ".join(f"{v:.2f}" for v in w) + ")"


def param(default: Any, help: str) -> Any:
    """A scene parameter with its one-line description (shown by `render.py --help-params`)."""
    return field(default=default, metadata={"help": help})


M = TypeVar("M", bound=Mobject)

MAX_SECONDS = 60.0
"""The longest any one timing parameter may be: a scene is a short clip."""


@dataclass(frozen=True)
class Problem:
    """The problem every scene shares by default, so the series reads as one story: a tilted
    ellipse (eigenvalues 3.6 and 0.6, ratio 6), c in the first quadrant at distance 2.33."""

    H: tuple[tuple[float, ...], ...] = param(
        ((3.0, 1.2), (1.2, 1.2)), "H = XᵀX, the Hessian of f: symmetric positive definite 2×2"
    )
    center: tuple[float, ...] = param((1.2, 2.0), "c, the unconstrained minimiser of f")

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_time") and not (
                math.isfinite(value) and 0 <= value <= MAX_SECONDS
            ):
                raise ValueError(
                    f"{f.name} must be a number of seconds from 0 to {MAX_SECONDS:g}, got {value!r}"
                )

    def loss(self) -> QuadraticLoss:
        """The problem as a mathcore loss; scenes draw closed ellipses, so H must be 2×2 and
        positive definite."""
        loss = QuadraticLoss(self.H, self.center)
        if loss.n != 2:
            raise MathcoreError(f"H must be 2×2 for a planar scene, got {loss.n}×{loss.n}")
        if loss.sigma[-1] <= 1e-9 * loss.sigma[0]:
            raise MathcoreError(
                f"H must be positive definite to draw its level sets as ellipses, got eigenvalues "
                f"{[round(float(s), 6) for s in loss.sigma]}"
            )
        return loss


@dataclass(frozen=True)
class Timed(Problem):
    """A scene that opens by drawing its picture and ends holding its last frame."""

    intro_time: float = param(1.5, "seconds to draw the picture")
    hold_time: float = param(2.5, "seconds to hold the final frame (at least 1.5, to read it)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.hold_time < 1.5:
            raise ValueError(f"hold_time must be at least 1.5 s, got {self.hold_time}")


class RidgeScene(Scene):
    """A Manim scene that draws what mathcore computed for its parameters.

    Subclasses set `Params` and implement `solve`, `results`, `alt_text` and `construct`.
    `solve` returns every number the scene draws; `construct` only picks samples from it and
    draws them (tests/test_scenes_only_draw.py holds every scene to that). The pipeline
    assigns `params`, `solution` (solved once per render) and `theme` on the instance before
    rendering; a plain `manim scenes/<module>.py <Class>` run uses the defaults and solves
    in `setup`.
    """

    Params: ClassVar[type[Problem]] = Problem
    params: Problem | None = None
    solution: Any = None
    theme: Theme = DARK
    loops: ClassVar[bool] = False  # the last frame repeats the first: encoders drop it

    @classmethod
    def solve(cls, params: Problem) -> Any:
        """Everything the scene draws, computed by mathcore (raises MathcoreError)."""
        raise NotImplementedError

    @classmethod
    def results(cls, solution: Any) -> dict[str, Any]:
        """The numbers the scene shows, as JSON-ready values, for the manifest."""
        raise NotImplementedError

    @classmethod
    def alt_text(cls, solution: Any) -> str:
        """One sentence describing the animation for a screen reader."""
        raise NotImplementedError

    def setup(self) -> None:
        if self.params is None:
            self.params = self.Params()
        if self.solution is None:
            self.solution = self.solve(self.params)
        self.camera.background_color = self.theme.background
        self.marks: dict[str, Mobject] = {}

    def mark(self, name: str, mob: M) -> M:
        """Register a key object under `name` (the optimum's dot, a readout, a conclusion):
        where tests find what the scene drew, to check it against mathcore."""
        self.marks[name] = mob
        return mob
