"""projected_gradient — gradient step, then project back (seed 002, Part 6).

Left: gradient descent on f with each iterate projected back onto the ball ||w||² ≤ k; each
gradient step is an arrow, each projection a short radial move onto the circle; the iterates
converge to w*(k), marked beforehand from the solver. Right, for contrast: plain gradient
descent from the same start, heading to the unconstrained minimum c.

    manim -ql scenes/projected_gradient.py ProjectedGradient
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    UP,
    Circle,
    DashedLine,
    FadeIn,
    GrowArrow,
    Transform,
    VGroup,
    Write,
)

import mathcore as mc
from scenes.base import Timed, param, point_text
from scenes.plane import PlaneScene, View, arrow, tex
from scenes.theme import TEXT


@dataclass(frozen=True)
class ProjectedGradientParams(Timed):
    k: float = param(1.5, "budget: the ball ||w||² <= k")
    start: tuple[float, ...] = param((-0.8, 0.7), "where both descents start")
    steps: int = param(14, "iterations drawn")
    step_scale: float = param(0.5, "step size as a multiple of 1/σ_max (below 2 converges)")
    step_time: float = param(0.7, "seconds for each of the first iterations (later ones speed up)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.start) != 2:
            raise ValueError(f"start must be [x, y], got {list(self.start)}")
        if not 1 <= self.steps <= 200:
            raise ValueError(f"steps must be between 1 and 200, got {self.steps}")
        if not 0 < self.step_scale < 2:
            raise ValueError(f"step_scale must be in (0, 2), got {self.step_scale}")


@dataclass(frozen=True)
class DescentSolution:
    view: View
    k: float
    circle: np.ndarray  # ||w||² = k
    optimum: mc.ConstrainedSolution
    projected: mc.GradientRun  # steps and projections onto the ball
    plain: mc.GradientRun  # no constraint

    @property
    def final_gap(self) -> float:
        """||w_T − w*||: how far the last projected iterate is from the solver's optimum."""
        return float(np.linalg.norm(self.projected.iterates[-1] - self.optimum.w))


class ProjectedGradient(PlaneScene):
    """Projected gradient descent converging to the tangency point, beside plain descent."""

    Params = ProjectedGradientParams
    x_range = (-1.6, 2.6)
    y_range = (-1.4, 2.8)
    plot_box = (6.0, 5.4)

    @classmethod
    def solve(cls, params: ProjectedGradientParams) -> DescentSolution:
        loss = params.loss()
        eta = params.step_scale / float(loss.sigma[0])
        projected = mc.gradient_descent(loss, params.start, params.steps, eta, k=params.k)
        plain = mc.gradient_descent(loss, params.start, params.steps, eta)
        visible = np.vstack([projected.steps, plain.iterates, mc.circle(params.k, 64)])
        return DescentSolution(
            view=cls.view(loss, visible, cls.plot_box),
            k=params.k,
            circle=mc.circle(params.k),
            optimum=mc.solve_constrained(loss, params.k),
            projected=projected,
            plain=plain,
        )

    @classmethod
    def results(cls, s: DescentSolution) -> dict:
        return {
            "iterates": s.projected.iterates.tolist(),
            "gradient_steps": s.projected.steps.tolist(),
            "plain_iterates": s.plain.iterates.tolist(),
            "w_star": s.optimum.w.tolist(),
            "step_size": s.projected.step_size,
            "final_gap": s.final_gap,
        }

    @classmethod
    def alt_text(cls, s: DescentSolution) -> str:
        end = s.projected.iterates[-1]
        return (
            f"Two panels with the same level sets. Left: gradient steps, each followed by a "
            f"radial projection back onto the disk ||w||² ≤ {s.k:g}, converge in "
            f"{len(s.projected.steps)} iterations to {point_text(end)}, the "
            f"constrained optimum marked in advance. Right: plain gradient descent from the "
            f"same start heads to the unconstrained minimum."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_panels()
        self.iterate()
        self.conclude()
        self.wait(self.params.hold_time)

    def draw_panels(self) -> None:
        s, t = self.solution, self.theme
        self.planes = self.side_by_side(s.view, height=-0.1)
        left, right = self.planes
        titles = VGroup(
            tex(r"\text{projected: step, then project onto } \|w\|^2 \le k", t.text, TEXT.label),
            tex(r"\text{plain gradient descent}", t.text, TEXT.label),
        )
        for title, plane in zip(titles, self.planes, strict=True):
            title.next_to(plane.axes, UP, buff=0.2)
        circle = left.curve(s.circle, t.g, 4)
        target = self.mark("target", Circle(radius=0.14, color=t.optimum, stroke_width=4))
        target.move_to(left.axes.c2p(*s.optimum.w))
        target_label = tex(r"w^*(k)", t.optimum, TEXT.label)
        target_label.move_to(left.axes.c2p(*(0.62 * s.optimum.w)))  # inside the circle
        self.walkers = [
            left.dot(s.projected.iterates[0], t.text, 0.08),
            right.dot(s.plain.iterates[0], t.text, 0.08),
        ]
        self.play(
            left.intro(circle, target, target_label),
            right.intro(titles),
            run_time=self.params.intro_time,
        )
        self.play(FadeIn(*self.walkers), run_time=0.4)

    def iterate(self) -> None:
        s, t = self.solution, self.theme
        left, right = self.planes
        for i, (stepped, landed) in enumerate(
            zip(s.projected.steps, s.projected.iterates[1:], strict=True)
        ):
            pace = self.params.step_time * (1.0 if i < 3 else 0.35)
            was, plain_was = s.projected.iterates[i], s.plain.iterates[i]
            step = arrow(left.axes, was, stepped - was, t.descent, 4)
            plain_step = arrow(
                right.axes, plain_was, s.plain.iterates[i + 1] - plain_was, t.descent, 4
            )
            self.play(
                GrowArrow(step),
                GrowArrow(plain_step),
                self.walkers[1].animate.move_to(right.axes.c2p(*s.plain.iterates[i + 1])),
                self.walkers[0].animate.move_to(left.axes.c2p(*stepped)),
                run_time=pace,
            )
            trace = VGroup(step.set_stroke(opacity=0.45), plain_step.set_stroke(opacity=0.45))
            trace.set_fill(opacity=0.45)
            if np.linalg.norm(landed - stepped) > 1e-9:  # outside: project radially
                back = DashedLine(
                    left.axes.c2p(*stepped), left.axes.c2p(*landed), dash_length=0.06
                ).set_stroke(t.g, 3)
                self.play(
                    FadeIn(back),
                    self.walkers[0].animate.move_to(left.axes.c2p(*landed)),
                    run_time=0.6 * pace,
                )
        self.play(
            Transform(self.walkers[0], left.dot(s.projected.iterates[-1], t.optimum, 0.1)),
            run_time=0.4,
        )

    def conclude(self) -> None:
        s, t = self.solution, self.theme
        gap = s.final_gap
        lines = VGroup(
            tex(
                rf"\text{{after {len(s.projected.steps)} steps: }} \|w_t - w^*\| = "
                + scientific(gap),
                t.optimum,
                TEXT.label,
            ),
            tex(
                r"\text{without the projection, descent heads to } x^*_{\mathrm{free}}",
                t.text,
                TEXT.label,
            ),
        ).arrange(DOWN, buff=0.1)
        lines.to_edge(DOWN, buff=0.12)
        self.mark("conclusion", lines)
        self.play(Write(lines), run_time=1.2)


def scientific(x: float) -> str:
    """x as LaTeX: 6.4 \\times 10^{-5}."""
    mantissa, exponent = f"{x:.1e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"
