"""l1_vs_l2 — why L1 gives zeros and L2 does not (seed 003).

The same level sets in two panels: left the L2 disk ||w||₂ ≤ t, right the L1 diamond
||w||₁ ≤ t. As the budget t shrinks, each constrained optimum moves with it. The L1 optimum
reaches a corner of the diamond, where a coordinate is exactly 0; the L2 optimum slides
towards the origin with both coordinates non-zero.

    manim -ql scenes/l1_vs_l2.py L1VsL2
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    FadeIn,
    SurroundingRectangle,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    smooth,
)

import mathcore as mc
from scenes.base import Timed, nearest, param, point_text
from scenes.plane import PlaneScene, Readout, View, place_after, tex
from scenes.theme import TEXT


@dataclass(frozen=True)
class L1VsL2Params(Timed):
    t_start: float = param(2.6, "the budget t at the start (the constraint is ||w|| <= t)")
    t_end: float = param(0.5, "the budget t at the end")
    sweep_time: float = param(7.0, "seconds for t to shrink")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.t_end < self.t_start:
            raise ValueError(
                f"need 0 < t_end < t_start, got t_start={self.t_start}, t_end={self.t_end}"
            )


@dataclass(frozen=True)
class Panel:
    """One side's budget shapes, optima and the level sets touching them, per budget t."""

    shapes: np.ndarray  # the boundary ||w|| = t
    points: np.ndarray  # the constrained optimum
    touching: np.ndarray  # the level set of f through it


@dataclass(frozen=True)
class L1L2Solution:
    view: View
    t_values: np.ndarray  # from t_start down to t_end
    l2: Panel  # argmin f s.t. ||w||₂ <= t
    l1: Panel  # argmin f s.t. ||w||₁ <= t
    t_sparse: float  # below this budget the L1 optimum has an exact zero

    def index(self, t: float) -> int:
        return nearest(self.t_values, t)


class L1VsL2(PlaneScene):
    """Shrinking L2 disk and L1 diamond side by side."""

    Params = L1VsL2Params
    x_range = (-1.5, 3.0)
    y_range = (-1.5, 3.0)
    plot_box = (6.0, 5.0)
    samples = 240

    @classmethod
    def solve(cls, params: L1VsL2Params) -> L1L2Solution:
        loss = params.loss()
        t_values = np.linspace(params.t_start, params.t_end, cls.samples)
        l2 = np.array([mc.solve_constrained(loss, t**2).w for t in t_values])
        l1 = np.array([mc.solve_constrained_l1(loss, t).w for t in t_values])
        reach = max(params.t_start, float(np.linalg.norm(loss.center)))
        return L1L2Solution(
            view=cls.view(loss, mc.circle(reach**2, 64)),
            t_values=t_values,
            l2=Panel(
                shapes=np.array([mc.circle(t**2, 160) for t in t_values]),
                points=l2,
                touching=np.array([mc.level_set_through(loss, w) for w in l2]),
            ),
            l1=Panel(
                shapes=np.array([mc.l1_ball(t) for t in t_values]),
                points=l1,
                touching=np.array([mc.level_set_through(loss, w) for w in l1]),
            ),
            t_sparse=mc.sparse_budget(loss),
        )

    @classmethod
    def results(cls, s: L1L2Solution) -> dict:
        return {
            "t_values": s.t_values.tolist(),
            "l1_points": s.l1.points.tolist(),
            "l2_points": s.l2.points.tolist(),
            "t_sparse": s.t_sparse,
        }

    @classmethod
    def alt_text(cls, s: L1L2Solution) -> str:
        l1, l2 = s.l1.points[-1], s.l2.points[-1]
        l1_end = (
            f"reaches a corner (t ≤ {s.t_sparse:.2f}) and ends at {point_text(l1)} "
            "with a coordinate exactly zero"
            if np.any(l1 == 0.0)
            else f"ends at {point_text(l1)} without reaching a corner"
        )
        return (
            f"Two panels with the same elliptical level sets: as the budget t shrinks from "
            f"{s.t_values[0]:g} to {s.t_values[-1]:g}, the optimum inside the L2 disk moves to "
            f"{point_text(l2)}, while the optimum inside the L1 diamond {l1_end}."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_panels()
        self.shrink_budget()
        self.conclude()
        self.wait(self.params.hold_time)

    def draw_panels(self) -> None:
        s, t = self.solution, self.theme
        self.planes = self.side_by_side(s.view, height=0.05)
        titles = VGroup(
            tex(r"L_2:\ \|w\|_2 \le t", t.g),
            tex(r"L_1:\ \|w\|_1 \le t", t.g),
        )
        for title, plane in zip(titles, self.planes, strict=True):
            title.next_to(plane.axes, UP, buff=0.2)
        self.t_label = tex(r"t =", t.text, TEXT.title).to_edge(UP, buff=0.25)
        self.t_value = place_after(Readout(s.t_values[0], 2, t.text, TEXT.title), self.t_label)
        VGroup(self.t_label, self.t_value).to_edge(UP, buff=0.25)
        self.play(
            *(p.intro() for p in self.planes),
            FadeIn(titles, self.t_label, self.t_value),
            run_time=self.params.intro_time,
        )

    def shrink_budget(self) -> None:
        s, t = self.solution, self.theme
        budget = ValueTracker(s.t_values[0])

        def now() -> int:
            return s.index(budget.get_value())

        for side, plane, panel in zip(("l2", "l1"), self.planes, (s.l2, s.l1), strict=True):
            shape = always_redraw(lambda plane=plane, p=panel: plane.curve(p.shapes[now()], t.g, 4))
            trail = always_redraw(
                lambda plane=plane, p=panel: plane.curve(
                    p.points[: now() + 1], t.optimum, 4, stroke_opacity=0.6
                )
            )
            touching = always_redraw(
                lambda plane=plane, p=panel: plane.curve(p.touching[now()], t.f, 3)
            )
            dot = always_redraw(
                lambda plane=plane, p=panel: plane.dot(p.points[now()], t.optimum, 0.09)
            )
            readout = self.coordinate_readout(plane, panel.points, now)
            self.add(shape, touching, trail, dot, readout)
            self.mark(f"{side}_dot", dot)
            self.mark(f"{side}_readout", readout)
        self.t_value.add_updater(lambda m: m.set_value(s.t_values[now()]))
        self.play(
            budget.animate.set_value(s.t_values[-1]),
            rate_func=smooth,
            run_time=self.params.sweep_time,
        )
        self.t_value.clear_updaters()

    def coordinate_readout(self, plane, points, now) -> VGroup:
        """w = (w₁, w₂) under a panel, each coordinate highlighted once it is exactly 0."""
        t = self.theme
        label = tex(r"w^* = (", t.optimum, TEXT.body)
        first = Readout(points[0][0], 2, t.optimum, TEXT.body)
        comma = tex(r",", t.optimum, TEXT.body)
        second = Readout(points[0][1], 2, t.optimum, TEXT.body)
        close = tex(r")", t.optimum, TEXT.body)
        row = VGroup(label, first, comma, second, close).arrange(RIGHT, buff=0.1)
        for part in (first, second, comma):
            part.align_to(label, DOWN)
        row.next_to(plane.axes, DOWN, buff=0.25)
        first.add_updater(lambda m: m.set_value(points[now()][0]))
        second.add_updater(lambda m: m.set_value(points[now()][1]))

        def highlight(j, number):
            def box():
                rect = SurroundingRectangle(number, color=t.descent, buff=0.06, stroke_width=3)
                return rect.set_stroke(opacity=1.0 if points[now()][j] == 0.0 else 0.0)

            return always_redraw(box)

        return VGroup(row, highlight(0, first), highlight(1, second))

    def conclude(self) -> None:
        s, t = self.solution, self.theme
        zeros = [j + 1 for j in range(2) if s.l1.points[-1][j] == 0.0]
        l1_text = (
            rf"\text{{a corner: }} w_{zeros[0]} = 0 \text{{ exactly; every }} t > {s.t_sparse:.2f}"
            r"\text{ keeps both}"
            if zeros
            else r"\text{no corner reached: both coordinates non-zero}"
        )
        l2_zero = np.any(s.l2.points == 0.0, axis=1)
        l2_text = (
            r"\text{both coordinates shrink, neither is ever exactly } 0"
            if not l2_zero.any()
            else rf"\text{{a coordinate is exactly 0 at {int(l2_zero.sum())} of "
            rf"{len(l2_zero)} budgets, not by reaching a corner}}"
        )
        lines = VGroup(
            tex(r"\text{L2: }" + l2_text, t.text, TEXT.label),
            tex(r"\text{L1: }" + l1_text, t.text, TEXT.label),
        ).arrange(DOWN, buff=0.12)
        lines.to_edge(DOWN, buff=0.15)
        self.play(Write(lines), run_time=1.5)
        self.mark("conclusion", lines)
