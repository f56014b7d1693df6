"""shadow_price — λ is the price of the constraint (seed 002, Part 2).

Left, the 2D picture for a budget k: the circle ||w||² = k and the level set touching it at
w*(k). Right, the optimal loss f*(k) = min ||Xw − b||² s.t. ||w||² ≤ k against k, with the
tangent at the current k: its slope is −λ(k), the multiplier of the constraint. As k grows the
slope and the λ readout agree; beyond ||c||² the constraint stops binding and the curve is flat.

    manim -ql scenes/shadow_price.py ShadowPrice
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    DashedLine,
    FadeIn,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    smooth,
)

import mathcore as mc
from scenes.base import Timed, nearest, param
from scenes.plane import (
    PlaneScene,
    View,
    curve,
    graph_axes,
    marker,
    readout_rows,
    tex,
)
from scenes.theme import TEXT

LOSS_SCALE = 2.0  # the plot shows the seed's loss ||Xw − b||² = 2f, whose slope is −λ


@dataclass(frozen=True)
class ShadowPriceParams(Timed):
    k_min: float = param(0.25, "the smallest budget k of the sweep")
    k_max: float = param(7.0, "the largest budget k (beyond ||c||² the curve is flat)")
    sweep_time: float = param(8.0, "seconds for k to grow")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.k_min < self.k_max:
            raise ValueError(f"need 0 < k_min < k_max, got {self.k_min}, {self.k_max}")


@dataclass(frozen=True)
class ShadowSolution:
    view: View
    curve: mc.OptimalValueCurve  # f*(k) of ||Xw − b||², slopes −λ
    circles: np.ndarray  # ||w||² = k for each k of the curve
    touching: np.ndarray  # the level set of f through w*(k) for each k

    @property
    def c_norm2(self) -> float:
        return float(np.sum(self.view.center**2))

    def index(self, k: float) -> int:
        return nearest(self.curve.k, k)


class ShadowPrice(PlaneScene):
    """k grows; the tangent of f*(k) has slope −λ(k)."""

    Params = ShadowPriceParams
    plot_box = (5.6, 5.6)
    samples = 300

    @classmethod
    def solve(cls, params: ShadowPriceParams) -> ShadowSolution:
        loss = params.loss()
        ks = np.linspace(params.k_min, params.k_max, cls.samples)
        value_curve = mc.optimal_value_curve(loss, ks, scale=LOSS_SCALE)
        return ShadowSolution(
            view=cls.view(loss, mc.circle(params.k_max, 64), cls.plot_box),
            curve=value_curve,
            circles=np.array([mc.circle(k, 160) for k in ks]),
            touching=np.array([mc.level_set_through(loss, w) for w in value_curve.w]),
        )

    @classmethod
    def results(cls, s: ShadowSolution) -> dict:
        return {
            "k_values": s.curve.k.tolist(),
            "f_star": s.curve.f_star.tolist(),
            "slopes": s.curve.slope.tolist(),
            "lams": s.curve.lam.tolist(),
            "loss": "||Xw - b||^2 (twice mathcore's f), so slope = -lam",
        }

    @classmethod
    def alt_text(cls, s: ShadowSolution) -> str:
        return (
            f"As the budget k grows from {s.curve.k[0]:g} to {s.curve.k[-1]:g}, the circle "
            "||w||² = k widens and the optimal loss f*(k) falls; its tangent's slope always "
            f"equals −λ, from −{s.curve.lam[0]:.2f} down to 0, and beyond k = ||c||² = "
            f"{s.c_norm2:.2f} the curve is flat."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_panels()
        self.grow_budget()
        self.wait(self.params.hold_time)

    def draw_panels(self) -> None:
        s = self.solution
        self.make_plane(s.view)
        self.plane.group.to_edge(LEFT, buff=0.3).shift(0.3 * DOWN)
        self.axes = self.plane.axes
        self.value_axes = self.value_plot()
        self.play(self.plane.intro(self.value_plot_group), run_time=self.params.intro_time)

    def value_plot(self) -> Axes:
        s, t = self.solution, self.theme
        top = max(float(s.curve.f_star.max()) * 1.08, 1e-9)  # f* ≡ 0 when c is always inside
        step = 10 ** math.floor(math.log10(top))
        axes = graph_axes(s.curve.k[-1] * 1.04, top, (5.6, 4.0), t, y_step=step)
        axes.to_edge(RIGHT, buff=0.5).shift(0.6 * DOWN)
        graph = curve(axes, np.column_stack([s.curve.k, s.curve.f_star]), t.text, 3)
        x_label = tex(r"k", t.muted, TEXT.label).next_to(axes.x_axis, RIGHT, buff=0.1)
        y_label = tex(r"f^*(k) = \min_{\|w\|^2 \le k} \|Xw - b\|^2", t.text, TEXT.label)
        y_label.next_to(axes, UP, buff=0.25).align_to(axes, LEFT)
        flat_at = s.c_norm2
        flat = VGroup()
        if flat_at < s.curve.k[-1]:
            line = DashedLine(axes.c2p(flat_at, 0), axes.c2p(flat_at, top), dash_length=0.08)
            line.set_stroke(t.muted, 2)
            note = tex(r"k = \|x^*_{\mathrm{free}}\|^2", t.muted, TEXT.note).next_to(line, UP, 0.05)
            flat.add(line, note)
        self.value_plot_group = VGroup(axes, graph, x_label, y_label, flat)
        return axes

    def grow_budget(self) -> None:
        s, t, axes, plane = self.solution, self.theme, self.value_axes, self.plane
        budget = ValueTracker(s.curve.k[0])

        def now() -> int:
            return s.index(budget.get_value())

        def circle():
            return plane.curve(s.circles[now()], t.g, 4)

        def touching():
            return plane.curve(s.touching[now()], t.f, 3)

        per_k = np.linalg.norm(axes.c2p(1, 0) - axes.c2p(0, 0))  # scene units per unit of k
        per_f = np.linalg.norm(axes.c2p(0, 1) - axes.c2p(0, 0))

        def tangent():
            """The tangent at the current k, 1.6 scene units long whatever its slope."""
            i = now()
            k, f, slope = s.curve.k[i], s.curve.f_star[i], s.curve.slope[i]
            half = 0.8 / math.hypot(per_k, slope * per_f)
            ends = [(k - half, f - half * slope), (k + half, f + half * slope)]
            return curve(axes, ends, t.optimum, 4, box=(0, axes.x_range[1], 0, axes.y_range[1]))

        tangent_line = always_redraw(tangent)
        plot_dot = always_redraw(
            lambda: marker(axes, (s.curve.k[now()], s.curve.f_star[now()]), t.optimum, 0.08)
        )
        optimum = always_redraw(lambda: plane.dot(s.curve.w[now()], t.optimum, 0.09))
        self.mark("plot_dot", plot_dot)
        self.mark("w_star", optimum)
        rows = readout_rows(
            [
                (r"k =", s.curve.k, t.g),
                (r"\lambda =", s.curve.lam, t.optimum),
                (r"\text{slope of } f^* =", s.curve.slope, t.optimum),
            ],
            now,
            decimals=2,
        )
        rows.arrange(RIGHT, buff=0.6).to_edge(UP, buff=0.3)
        self.mark("readouts", rows)
        self.add(always_redraw(touching), always_redraw(circle), optimum)
        self.play(FadeIn(rows, tangent_line, plot_dot), run_time=0.6)
        self.play(
            budget.animate.set_value(s.curve.k[-1]),
            rate_func=smooth,
            run_time=self.params.sweep_time,
        )
        lesson = tex(
            r"\text{slope} = -\lambda:\ \lambda \text{ is the price of a unit of budget}",
            t.text,
            TEXT.label,
        )
        lesson.next_to(axes, DOWN, buff=0.45).align_to(axes, LEFT)
        self.play(Write(lesson), run_time=1.0)
