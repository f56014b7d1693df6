"""A tiny scene for CLI tests: a circle of radius √k and a dot, a second or so of animation.
`fail_after` > 0 raises after that many seconds of animation (a render that fails mid-way)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from manim import Circle, Create, Dot

from scenes.base import Problem, RidgeScene, param


@dataclass(frozen=True)
class TinyParams(Problem):
    k: float = param(1.0, "circle radius squared")
    run_time: float = param(1.0, "seconds of animation")
    fail_after: float = param(0.0, "raise after this many seconds (0: never)")


class Tiny(RidgeScene):
    Params = TinyParams
    script = "tiny"
    script_folder = Path(__file__).parent
    fragile = True  # honours fail_after

    @classmethod
    def solve(cls, params: TinyParams):
        loss = params.loss()  # validates H and center like the real scenes
        if params.k <= 0:
            raise ValueError(f"k must be > 0, got {params.k}")
        return {"radius": math.sqrt(params.k), "center": loss.center.tolist()}

    @classmethod
    def results(cls, solution) -> dict:
        return dict(solution)

    @classmethod
    def alt_text(cls, solution) -> str:
        return f"A circle of radius {solution['radius']:.2f}."

    def construct(self) -> None:
        circle = Circle(radius=self.solution["radius"], color=self.theme.g)
        with self.beat("draw"):
            if self.fragile and self.params.fail_after > 0:
                self.play(Create(circle), run_time=self.params.fail_after)
                raise RuntimeError("tiny scene failed on purpose")
            self.play(Create(circle), run_time=self.params.run_time)
            self.add(Dot(color=self.theme.optimum))
            self.wait(0.2)


class TinyVariant(Tiny):
    """A second scene for parallel rendering tests; it never fails on purpose."""

    fragile = False
