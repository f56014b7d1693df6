"""tangency — the optimum is where a level set touches the circle (seed 000, Figure 1).

A suboptimal point x₁ on the circle ||w||² = k, with ∇f and ∇g, slides the way f decreases
until ∇f is anti-parallel to ∇g: there a level set of f touches the circle and
∇f(x₀) = −λ∇g(x₀), with λ from the solver.

    manim -ql scenes/tangency.py Tangency
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    smooth,
)

import mathcore as mc
from scenes.base import Problem, param, point_tex, point_text
from scenes.plane import (
    FONT,
    PlaneScene,
    Readout,
    View,
    arrow,
    curve,
    label_beyond,
    marker,
    place_after,
    tex,
)


@dataclass(frozen=True)
class TangencyParams(Problem):
    k: float = param(1.5, "budget: the constraint is ||w||² <= k, a circle of radius √k")
    start_angle: float = param(115.0, "where x₁ starts on the circle, in degrees from the w₁ axis")
    intro_time: float = param(1.5, "seconds to draw the axes and level sets")
    slide_time: float = param(4.0, "seconds for x₁ to slide to the optimum")
    hold_time: float = param(2.0, "seconds to hold the final frame (at least 1.5, to read it)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.hold_time < 1.5:
            raise ValueError(f"hold_time must be at least 1.5 s, got {self.hold_time}")


@dataclass(frozen=True)
class TangencySolution:
    loss: mc.QuadraticLoss
    k: float
    optimum: mc.ConstrainedSolution
    arc: np.ndarray | None  # angles from x₁ to x₀ along the descent direction (None: inactive)
    view: View
    f_scale: float  # data units of arrow per unit of ∇f, fixed for the whole scene
    g_scale: float

    @property
    def x1_start(self) -> np.ndarray | None:
        """Where x₁ starts (None when the constraint is inactive: nothing slides)."""
        return mc.point_on_circle(self.k, self.arc[0]) if self.arc is not None else None


class Tangency(PlaneScene):
    """x₁ slides along the circle until the level set of f touches it."""

    Params = TangencyParams
    min_slide_deg = 10  # x₁ must travel at least this far along the circle
    f_arrow_length = 1.1  # the longest ∇f arrow, in data units
    g_arrow_length = 0.75

    @classmethod
    def solve(cls, params: TangencyParams) -> TangencySolution:
        loss = params.loss()
        optimum = mc.solve_constrained(loss, params.k)
        arc = None
        if optimum.active:
            arc = mc.descent_arc(loss, params.k, math.radians(params.start_angle), num=400)
            if abs(arc[-1] - arc[0]) < math.radians(cls.min_slide_deg):
                raise ValueError(
                    f"start_angle = {params.start_angle:g}: x₁ would start within "
                    f"{cls.min_slide_deg}° of the optimum at {math.degrees(arc[-1]):.1f}°; "
                    "choose a start further away"
                )
        path = mc.point_on_circle(params.k, arc) if arc is not None else optimum.w[None]
        grad_norms = np.linalg.norm(loss.grad(path), axis=-1)
        return TangencySolution(
            loss=loss,
            k=params.k,
            optimum=optimum,
            arc=arc,
            view=cls.view(loss, mc.circle(params.k, 64)),
            f_scale=cls.f_arrow_length / max(float(grad_norms.max()), 1e-12),
            g_scale=cls.g_arrow_length / math.sqrt(params.k),
        )

    @classmethod
    def results(cls, s: TangencySolution) -> dict:
        return {
            "w_star": s.optimum.w.tolist(),
            "lam": s.optimum.lam,
            "k": s.k,
            "x1_start": None if s.x1_start is None else s.x1_start.tolist(),
            "active": s.optimum.active,
        }

    @classmethod
    def alt_text(cls, s: TangencySolution) -> str:
        w = point_text(s.optimum.w)
        if not s.optimum.active:
            return (
                f"Elliptical level sets of a quadratic loss with their centre {w} inside the "
                f"circle ||w||² = {s.k:g}: the constraint is inactive, the optimum is the centre "
                "and λ = 0."
            )
        x1 = point_text(s.x1_start)
        return (
            f"Elliptical level sets of a quadratic loss and the circle ||w||² = {s.k:g}. A point "
            f"starting at {x1} slides along the circle, with the gradients of the loss and of "
            f"the constraint drawn as arrows, until they point in opposite directions at {w}, "
            f"where a level set touches the circle: ∇f = −λ∇g with λ = {s.optimum.lam:.2f}."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_landscape()
        self.draw_constraint()
        if self.solution.optimum.active:
            self.show_suboptimal_point()
            self.slide_to_optimum()
            self.show_tangency()
        else:
            self.show_inactive()
        self.wait(self.params.hold_time)

    def draw_landscape(self) -> None:
        self.make_plane(self.solution.loss, self.solution.view)
        self.formula = self.in_panel(tex(r"f(w) = \|Xw - b\|^2", self.theme.f))
        self.show_plane(self.params.intro_time, self.formula)

    def draw_constraint(self) -> None:
        s, t = self.solution, self.theme
        self.circle = curve(self.axes, mc.circle(s.k), t.g, width=4, box=self.box)
        label_at = self.axes.c2p(*mc.point_on_circle(s.k, math.radians(-60)))
        circle_label = tex(r"g(w) = k", t.g, FONT - 4).next_to(label_at, DOWN + RIGHT, 0.08)
        self.g_formula = self.in_panel(
            tex(rf"g(w) = \|w\|^2,\quad k = {s.k:.3g}", t.g), self.formula
        )
        self.play(Create(self.circle), Write(circle_label), FadeIn(self.g_formula), run_time=1.2)

    def point_at(self, fraction: float) -> np.ndarray:
        """x₁ after `fraction` of the slide: on the circle, at the arc's angle."""
        arc = self.solution.arc
        angle = np.interp(fraction, np.linspace(0, 1, arc.size), arc)
        return mc.point_on_circle(self.solution.k, angle)

    def show_suboptimal_point(self) -> None:
        s, t, axes = self.solution, self.theme, self.axes
        self.progress = ValueTracker(0.0)

        def x1() -> np.ndarray:
            return self.point_at(self.progress.get_value())

        def descent_arrow():
            along = abs(mc.tangential_gradient(s.loss, x1())) * s.f_scale
            if along < 0.02:
                return VMobject()
            return arrow(axes, x1(), along * mc.descent_direction(s.loss, x1()), t.descent, 6)

        def tangent_line():
            p, d = x1(), mc.circle_tangent(x1())
            return DashedLine(
                axes.c2p(*(p - 0.8 * d)),
                axes.c2p(*(p + 0.8 * d)),
                color=t.muted,
                stroke_width=2.5,
                dash_length=0.1,
            )

        self.tangent = always_redraw(tangent_line)
        self.grad_f = always_redraw(lambda: arrow(axes, x1(), s.f_scale * s.loss.grad(x1()), t.f))
        self.grad_g = always_redraw(
            lambda: arrow(axes, x1(), s.g_scale * mc.constraint_grad(x1()), t.g)
        )
        self.descent = always_redraw(descent_arrow)
        self.dot = always_redraw(lambda: marker(axes, x1(), t.text))

        def beside_x1(m):  # behind the green arrow, just inside the circle
            p = x1()
            away = -mc.descent_direction(s.loss, p) - 0.8 * p / np.linalg.norm(p)
            m.move_to(axes.c2p(*(p + 0.3 * away)))

        self.x1_label = tex(r"x_1", t.text, FONT - 4).add_updater(beside_x1)
        arrow_labels = VGroup(
            label_beyond(tex(r"\nabla f", t.f, FONT - 4), self.grad_f),
            label_beyond(tex(r"\nabla g", t.g, FONT - 4), self.grad_g),
        )

        self.caption = self.in_panel(
            tex(r"\nabla f(x_1) \neq -\lambda\, \nabla g(x_1)", t.text), self.g_formula, buff=0.9
        )
        share_label = tex(r"\frac{\nabla f \cdot \hat t}{\|\nabla f\|} =", t.descent, FONT - 2)
        self.share = Readout(abs(mc.tangential_share(s.loss, x1())), 2, t.descent, FONT - 2)
        note = tex(r"\hat t:\ \text{unit tangent of the circle}", t.muted, FONT - 10)
        self.readout = VGroup(share_label, self.share, note)
        self.in_panel(share_label, self.caption, buff=0.5)
        self.in_panel(note, share_label, buff=0.2)
        place_after(self.share, share_label)
        self.share.add_updater(lambda m: m.set_value(abs(mc.tangential_share(s.loss, x1()))))

        self.play(FadeIn(self.dot, self.x1_label, self.tangent), run_time=0.6)
        self.play(
            GrowArrow(self.grad_f), GrowArrow(self.grad_g), FadeIn(arrow_labels), run_time=0.8
        )
        self.play(FadeIn(self.descent), Write(self.caption), FadeIn(self.readout), run_time=1.0)
        self.wait(0.4)

    def slide_to_optimum(self) -> None:
        self.play(
            self.progress.animate.set_value(1.0), run_time=self.params.slide_time, rate_func=smooth
        )

    def show_tangency(self) -> None:
        s, t, axes = self.solution, self.theme, self.axes
        touching = curve(axes, mc.level_set_through(s.loss, s.optimum.w), t.f, 5, box=self.box)
        self.optimum_dot = optimum = marker(axes, s.optimum.w, t.optimum, radius=0.1)
        w = s.optimum.w
        between = w / np.linalg.norm(w) - mc.circle_tangent(w)  # between ∇g and the circle
        opt_label = tex(r"x_0", t.optimum, FONT - 2).move_to(axes.c2p(*(w + 0.32 * between)))
        final = VGroup(
            tex(r"\nabla f(x_0) = -\lambda\, \nabla g(x_0)", t.text),
            tex(rf"\lambda = {s.optimum.lam:.2f}", t.optimum),
            tex(r"x_0 = w^* = " + point_tex(w), t.optimum, FONT - 4),
            tex(r"h(w, \lambda) = f(w) + \lambda\,\big(g(w) - k\big)", t.text, FONT - 4),
        )
        self.lam_label = final[1]
        self.in_panel(final[0], self.g_formula, buff=0.9)
        self.in_panel(final[1], final[0])
        self.in_panel(final[2], final[1], buff=0.25)
        self.in_panel(final[3], final[2], buff=0.5)
        self.share.clear_updaters()
        self.play(
            Create(touching),
            FadeIn(optimum, opt_label),
            FadeOut(self.caption, self.readout, self.tangent, self.x1_label),
            run_time=1.2,
        )
        self.play(Write(final[0]), run_time=0.8)
        self.play(FadeIn(final[1:]), Indicate(optimum, color=t.optimum), run_time=1.0)

    def show_inactive(self) -> None:
        s, t = self.solution, self.theme
        self.optimum_dot = optimum = marker(self.axes, s.optimum.w, t.optimum, radius=0.1)
        text = VGroup(
            tex(r"\|x^*_{\mathrm{free}}\|^2 \le k", t.text),
            tex(r"\text{the constraint is inactive}", t.text, FONT - 4),
            tex(r"w^* = x^*_{\mathrm{free}},\quad \lambda = 0", t.optimum),
        )
        self.lam_label = text[2]
        self.in_panel(text[0], self.g_formula, buff=0.9)
        self.in_panel(text[1], text[0])
        self.in_panel(text[2], text[1])
        self.play(FadeIn(optimum), Write(text), run_time=1.5)
