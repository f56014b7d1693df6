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
from scenes.base import Timed, nearest, param, point_tex, point_text
from scenes.plane import (
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
from scenes.theme import TEXT


@dataclass(frozen=True)
class TangencyParams(Timed):
    k: float = param(1.5, "budget: the constraint is ||w||² <= k, a circle of radius √k")
    start_angle: float = param(115.0, "where x₁ starts on the circle, in degrees from the w₁ axis")
    slide_time: float = param(4.0, "seconds for x₁ to slide to the optimum")


@dataclass(frozen=True)
class Slide:
    """x₁'s way along the circle to w*, sampled at evenly spaced fractions of the slide (fine
    enough for 60 fps): at sample i, x₁ = `points[i]`, and the arrows drawn from it."""

    fractions: np.ndarray  # 0 … 1
    points: np.ndarray  # x₁ on the circle
    grad_f: np.ndarray  # the ∇f arrow: f_scale·∇f(x₁) (one scale for the whole slide)
    grad_g: np.ndarray  # the ∇g arrow: g_scale·∇g(x₁)
    descent: np.ndarray  # the green arrow: f_scale·|∇f·t̂| along the way f decreases
    tangent: np.ndarray  # the circle's unit tangent t̂ at x₁
    share: np.ndarray  # the readout |∇f·t̂|/‖∇f‖
    label_at: np.ndarray  # where x₁'s label goes: behind the green arrow, inside the circle

    def index(self, fraction: float) -> int:
        return nearest(self.fractions, fraction)


@dataclass(frozen=True)
class TangencySolution:
    k: float
    view: View
    circle: np.ndarray  # ||w||² = k
    w_star: np.ndarray
    lam: float
    active: bool
    touching: np.ndarray | None  # the level set of f through w* (None: inactive)
    slide: Slide | None  # None when the constraint is inactive: nothing slides


class Tangency(PlaneScene):
    """x₁ slides along the circle until the level set of f touches it."""

    Params = TangencyParams
    min_slide_deg = 10  # x₁ must travel at least this far along the circle
    f_arrow_length = 1.1  # the longest ∇f arrow, in data units
    g_arrow_length = 0.75
    samples = 1000  # positions of x₁ along the slide

    @classmethod
    def solve(cls, params: TangencyParams) -> TangencySolution:
        loss = params.loss()
        optimum = mc.solve_constrained(loss, params.k)
        slide = cls.slide(loss, params) if optimum.active else None
        return TangencySolution(
            k=params.k,
            view=cls.view(loss, mc.circle(params.k, 64)),
            circle=mc.circle(params.k),
            w_star=optimum.w,
            lam=optimum.lam,
            active=optimum.active,
            touching=mc.level_set_through(loss, optimum.w) if optimum.active else None,
            slide=slide,
        )

    @classmethod
    def slide(cls, loss: mc.QuadraticLoss, params: TangencyParams) -> Slide:
        arc = mc.descent_arc(loss, params.k, math.radians(params.start_angle), num=cls.samples)
        if abs(arc[-1] - arc[0]) < math.radians(cls.min_slide_deg):
            raise ValueError(
                f"start_angle = {params.start_angle:g}: x₁ would start within "
                f"{cls.min_slide_deg}° of the optimum at {math.degrees(arc[-1]):.1f}°; "
                "choose a start further away"
            )
        points = mc.point_on_circle(params.k, arc)
        grads = loss.grad(points)
        f_scale = cls.f_arrow_length / max(float(np.linalg.norm(grads, axis=-1).max()), 1e-12)
        direction = mc.descent_direction(loss, points)
        along = np.abs(mc.tangential_gradient(loss, points))[:, None]
        outward = points / np.linalg.norm(points, axis=-1, keepdims=True)
        return Slide(
            fractions=np.linspace(0.0, 1.0, len(arc)),
            points=points,
            grad_f=f_scale * grads,
            grad_g=cls.g_arrow_length / math.sqrt(params.k) * mc.constraint_grad(points),
            descent=f_scale * along * direction,
            tangent=mc.circle_tangent(points),
            share=np.abs(mc.tangential_share(loss, points)),
            label_at=points + 0.3 * (-direction - 0.8 * outward),
        )

    @classmethod
    def results(cls, s: TangencySolution) -> dict:
        return {
            "w_star": s.w_star.tolist(),
            "lam": s.lam,
            "k": s.k,
            "x1_start": None if s.slide is None else s.slide.points[0].tolist(),
            "active": s.active,
        }

    @classmethod
    def alt_text(cls, s: TangencySolution) -> str:
        w = point_text(s.w_star)
        if not s.active:
            return (
                f"Elliptical level sets of a quadratic loss with their centre {w} inside the "
                f"circle ||w||² = {s.k:g}: the constraint is inactive, the optimum is the centre "
                "and λ = 0."
            )
        x1 = point_text(s.slide.points[0])
        return (
            f"Elliptical level sets of a quadratic loss and the circle ||w||² = {s.k:g}. A point "
            f"starting at {x1} slides along the circle, with the gradients of the loss and of "
            f"the constraint drawn as arrows, until they point in opposite directions at {w}, "
            f"where a level set touches the circle: ∇f = −λ∇g with λ = {s.lam:.2f}."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_landscape()
        self.draw_constraint()
        if self.solution.active:
            self.show_suboptimal_point()
            self.slide_to_optimum()
            self.show_tangency()
        else:
            self.show_inactive()
        self.wait(self.params.hold_time)

    def draw_landscape(self) -> None:
        self.make_plane(self.solution.view)
        self.formula = self.in_panel(tex(r"f(w) = \|Xw - b\|^2", self.theme.f))
        self.show_plane(self.params.intro_time, self.formula)

    def draw_constraint(self) -> None:
        s, t = self.solution, self.theme
        circle = self.mark("circle", curve(self.axes, s.circle, t.g, width=4, box=self.box))
        label_at = self.axes.c2p(*s.circle[len(s.circle) * 5 // 6])  # at −60°
        circle_label = tex(r"g(w) = k", t.g, TEXT.body).next_to(label_at, DOWN + RIGHT, 0.08)
        self.g_formula = self.in_panel(
            tex(rf"g(w) = \|w\|^2,\quad k = {s.k:.3g}", t.g), self.formula
        )
        self.play(Create(circle), Write(circle_label), FadeIn(self.g_formula), run_time=1.2)

    def show_suboptimal_point(self) -> None:
        s, t, axes = self.solution.slide, self.theme, self.axes
        self.progress = ValueTracker(0.0)

        def now() -> int:
            return s.index(self.progress.get_value())

        def descent_arrow():
            i = now()
            if np.linalg.norm(s.descent[i]) < 0.02:
                return VMobject()
            return arrow(axes, s.points[i], s.descent[i], t.descent, 6)

        def tangent_line():
            p, d = s.points[now()], s.tangent[now()]
            return DashedLine(
                axes.c2p(*(p - 0.8 * d)),
                axes.c2p(*(p + 0.8 * d)),
                color=t.muted,
                stroke_width=2.5,
                dash_length=0.1,
            )

        self.tangent = always_redraw(tangent_line)
        grad_f = always_redraw(lambda: arrow(axes, s.points[now()], s.grad_f[now()], t.f))
        grad_g = always_redraw(lambda: arrow(axes, s.points[now()], s.grad_g[now()], t.g))
        descent = always_redraw(descent_arrow)
        dot = always_redraw(lambda: marker(axes, s.points[now()], t.text))
        for name, mob in (("grad_f", grad_f), ("grad_g", grad_g), ("x1", dot)):
            self.mark(name, mob)
        self.x1_label = tex(r"x_1", t.text, TEXT.body)
        self.x1_label.add_updater(lambda m: m.move_to(axes.c2p(*s.label_at[now()])))
        arrow_labels = VGroup(
            label_beyond(tex(r"\nabla f", t.f, TEXT.body), grad_f),
            label_beyond(tex(r"\nabla g", t.g, TEXT.body), grad_g),
        )

        self.caption = self.in_panel(
            tex(r"\nabla f(x_1) \neq -\lambda\, \nabla g(x_1)", t.text), self.g_formula, buff=0.9
        )
        share_label = tex(r"\frac{\nabla f \cdot \hat t}{\|\nabla f\|} =", t.descent, TEXT.title)
        self.share = Readout(s.share[0], 2, t.descent, TEXT.title)
        note = tex(r"\hat t:\ \text{unit tangent of the circle}", t.muted, TEXT.note)
        self.readout = VGroup(share_label, self.share, note)
        self.in_panel(share_label, self.caption, buff=0.5)
        self.in_panel(note, share_label, buff=0.2)
        place_after(self.share, share_label)
        self.share.add_updater(lambda m: m.set_value(s.share[now()]))

        self.play(FadeIn(dot, self.x1_label, self.tangent), run_time=0.6)
        self.play(GrowArrow(grad_f), GrowArrow(grad_g), FadeIn(arrow_labels), run_time=0.8)
        self.play(FadeIn(descent), Write(self.caption), FadeIn(self.readout), run_time=1.0)
        self.wait(0.4)

    def slide_to_optimum(self) -> None:
        self.play(
            self.progress.animate.set_value(1.0), run_time=self.params.slide_time, rate_func=smooth
        )

    def show_tangency(self) -> None:
        s, t, axes = self.solution, self.theme, self.axes
        touching = curve(axes, s.touching, t.f, 5, box=self.box)
        optimum = self.mark("w_star", marker(axes, s.w_star, t.optimum, radius=0.1))
        w = s.w_star
        between = w / np.linalg.norm(w) - s.slide.tangent[-1]  # between ∇g and the circle
        opt_label = tex(r"x_0", t.optimum, TEXT.title).move_to(axes.c2p(*(w + 0.32 * between)))
        final = VGroup(
            tex(r"\nabla f(x_0) = -\lambda\, \nabla g(x_0)", t.text),
            tex(rf"\lambda = {s.lam:.2f}", t.optimum),
            tex(r"x_0 = w^* = " + point_tex(w), t.optimum, TEXT.body),
            tex(r"h(w, \lambda) = f(w) + \lambda\,\big(g(w) - k\big)", t.text, TEXT.body),
        )
        self.mark("lam", final[1])
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
        optimum = self.mark("w_star", marker(self.axes, s.w_star, t.optimum, radius=0.1))
        text = VGroup(
            tex(r"\|x^*_{\mathrm{free}}\|^2 \le k", t.text),
            tex(r"\text{the constraint is inactive}", t.text, TEXT.body),
            tex(r"w^* = x^*_{\mathrm{free}},\quad \lambda = 0", t.optimum),
        )
        self.mark("lam", text[2])
        self.in_panel(text[0], self.g_formula, buff=0.9)
        self.in_panel(text[1], text[0])
        self.in_panel(text[2], text[1])
        self.play(FadeIn(optimum), Write(text), run_time=1.5)
