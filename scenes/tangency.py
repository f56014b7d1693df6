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
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    Mobject,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    smooth,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, nearest, param, point_tex, point_text
from scenes.plane import (
    PlaneScene,
    View,
    around,
    arrow,
    curve,
    free_direction,
    marker,
    place_after,
    place_clear,
    plate,
    tex,
)
from scenes.readout import Readout
from scenes.theme import TEXT


@dataclass(frozen=True)
class TangencyParams(Timed):
    k: float = param(1.5, "budget: the constraint is ||w||² <= k, a circle of radius √k")
    start_angle: float | None = param(
        None,
        "where x₁ starts on the circle, in degrees from the w₁ axis "
        "(null: 60° from the optimum, on the side where the slide back is longer)",
    )
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
    share: np.ndarray  # the readout |∇f·t̂|/‖∇f‖: how much of ∇f runs along the circle
    away: np.ndarray  # the free side of x₁ (unit), away from its arrows and the tangent

    def index(self, fraction: float) -> int:
        return nearest(self.fractions, fraction)


@dataclass(frozen=True)
class TangencySolution:
    k: float
    view: View
    circle: np.ndarray  # ||w||² = k
    circle_label_at: np.ndarray  # the point of the circle farthest from what happens on it
    w_star: np.ndarray
    lam: float
    active: bool
    touching: np.ndarray | None  # the level set of f through w* (None: inactive)
    slide: Slide | None  # None when the constraint is inactive: nothing slides


class Tangency(PlaneScene):
    """x₁ slides along the circle until the level set of f touches it."""

    Params = TangencyParams
    scrub = (
        Scrubbed("angle", "x₁'s angle (°)", 0),
        Scrubbed("x", "x₁"),
        Scrubbed("share", "|∇f·t̂| / ‖∇f‖"),
    )
    script = "tangency"
    beats = (
        "landscape",
        "constraint",
        "point",
        "point.gap",
        "slide",
        "touch",
        "touch.lagrangian",
        "inactive",
    )
    min_slide_deg = 10  # x₁ must travel at least this far along the circle
    f_arrow_length = 0.9  # the longest ∇f arrow, in radii of the circle
    g_arrow_length = 0.6
    samples = 1000  # positions of x₁ along the slide

    @classmethod
    def solve(cls, params: TangencyParams) -> TangencySolution:
        loss = params.loss()
        optimum = mc.solve_constrained(loss, params.k)
        slide = cls.slide(loss, params) if optimum.active else None
        circle = mc.circle(params.k)
        busy = np.vstack([optimum.w, loss.center, *([] if slide is None else [slide.points])])
        clearance = np.linalg.norm(circle[:, None] - busy[None], axis=-1).min(axis=1)
        visible = [mc.circle(params.k, 64)]
        if slide is not None:  # the arrows' tips stay in the plot, with room for their labels
            visible += [slide.points + slide.grad_f, slide.points + slide.grad_g]
        return TangencySolution(
            k=params.k,
            view=cls.view(loss, np.vstack(visible)),
            circle=circle,
            circle_label_at=circle[int(np.argmax(clearance))],
            w_star=optimum.w,
            lam=optimum.lam,
            active=optimum.active,
            touching=mc.level_set_through(loss, optimum.w) if optimum.active else None,
            slide=slide,
        )

    @classmethod
    def slide(cls, loss: mc.QuadraticLoss, params: TangencyParams) -> Slide:
        if params.start_angle is None:
            start = mc.descent_start(loss, params.k)
        else:
            start = math.radians(params.start_angle)
        arc = mc.descent_arc(loss, params.k, start, num=cls.samples)
        if abs(arc[-1] - arc[0]) < math.radians(cls.min_slide_deg):
            raise ValueError(
                f"start_angle = {math.degrees(start):.1f}: x₁ would start within "
                f"{cls.min_slide_deg}° of the optimum at {math.degrees(arc[-1]):.1f}°; "
                "choose a start further away, or leave start_angle unset"
            )
        points = mc.point_on_circle(params.k, arc)
        grads = loss.grad(points)
        longest = max(float(np.linalg.norm(grads, axis=-1).max()), 1e-300)
        f_scale = cls.f_arrow_length * math.sqrt(params.k) / longest
        tangent = mc.circle_tangent(points)
        descent = f_scale * np.abs(mc.tangential_gradient(loss, points))[:, None]
        descent = descent * mc.descent_direction(loss, points)
        grad_g = cls.g_arrow_length * mc.constraint_grad(points)  # ∇g = w: a radius long
        away = [
            free_direction([gf, gg, d, t, -t])
            for gf, gg, d, t in zip(grads, grad_g, descent, tangent, strict=True)
        ]
        return Slide(
            fractions=np.linspace(0.0, 1.0, len(arc)),
            points=points,
            grad_f=f_scale * grads,
            grad_g=grad_g,
            descent=descent,
            tangent=tangent,
            share=np.abs(mc.tangential_share(loss, points)),
            away=np.array(away),
        )

    @classmethod
    def results(cls, s: TangencySolution) -> dict:
        return {
            "w_star": s.w_star.tolist(),
            "lam": s.lam,
            "k": s.k,
            "radius": math.sqrt(s.k),
            "x1_start": None if s.slide is None else s.slide.points[0].tolist(),
            "share_start": None if s.slide is None else float(s.slide.share[0]),
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
            f"where a level set touches the circle: ∇f = −λ∇g with λ = {fixed(s.lam, 2)}."
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

    def draw_landscape(self) -> None:
        t = self.theme
        self.make_plane(self.solution.view)
        self.formula = self.in_panel(tex(r"f(w) = \|Xw - b\|^2", t.f))
        meaning = self.in_panel(
            tex(r"\text{ellipses: level sets of } f", t.text, TEXT.body), self.formula, buff=0.15
        )
        self.show_plane(self.formula, meaning)
        with self.beat("landscape"):
            pass  # the picture is there from the first frame; the caption explains it

    def draw_constraint(self) -> None:
        s, t = self.solution, self.theme
        circle = self.mark("circle", curve(self.axes, s.circle, t.g, width=4, box=self.box))
        self.circle_label = plate(tex(r"g(w) = k", t.g, TEXT.body), t)
        place_clear(
            self.circle_label,
            self.axes.c2p(*s.circle_label_at),
            around(s.circle_label_at),  # outside the circle first
            self.plane.labels,
            self.axes,
        )
        self.g_formula = self.in_panel(
            tex(rf"g(w) = \|w\|^2,\quad k = {s.k:.3g}", t.g), self.formula, buff=0.8
        )
        with self.beat("constraint"):
            self.play(Create(circle), FadeIn(self.circle_label, self.g_formula), run_time=1.2)

    def frame_readouts(self) -> dict:
        """x₁'s place on the circle (its angle from the w₁ axis) and the readout, from when
        x₁ appears (before: none); without a slide (c inside the circle), w* = c and nothing
        moves."""
        slide = self.solution.slide
        if slide is None:
            w = self.solution.w_star
            return {"angle": math.degrees(math.atan2(w[1], w[0])), "x": w.tolist(), "share": None}
        progress = getattr(self, "progress", None)
        if progress is None:
            return {"angle": None, "x": None, "share": None}
        i = slide.index(progress.get_value())
        x = slide.points[i]
        return {
            "angle": math.degrees(math.atan2(x[1], x[0])),
            "x": x.tolist(),
            "share": float(slide.share[i]),
        }

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
        self.x1_label = plate(tex(r"x_1", t.text, TEXT.body), t)
        self.descent_label = plate(tex(r"f\ \text{decreases}", t.descent, TEXT.label), t)
        self.f_label = plate(tex(r"\nabla f", t.f, TEXT.body), t)
        self.g_label = plate(tex(r"\nabla g", t.g, TEXT.body), t)
        self.descent_shown = False
        fixed_labels = [*self.plane.labels, self.circle_label]

        def place_labels(_):  # in order, each clear of the ones placed before it
            i = now()
            for label, vector in ((self.f_label, s.grad_f[i]), (self.g_label, s.grad_g[i])):
                tip = axes.c2p(*(s.points[i] + vector))
                place_clear(label, tip, around(vector), fixed_labels, axes)
            placed = [*fixed_labels, self.f_label, self.g_label]
            x1 = axes.c2p(*s.points[i])
            place_clear(self.x1_label, x1, around(s.away[i]), placed, axes, gap=0.18)
            shown = self.descent_shown and np.linalg.norm(s.descent[i]) > 0.3
            self.descent_label.set_opacity(1.0 if shown else 0.0)
            tip = axes.c2p(*(s.points[i] + s.descent[i]))
            obstacles = [*placed, self.x1_label]
            place_clear(self.descent_label, tip, around(s.descent[i]), obstacles, axes)

        layout = Mobject().add_updater(place_labels)  # places the labels every frame
        place_labels(layout)
        self.caption = self.in_panel(
            tex(r"\nabla f(x_1) \neq -\lambda\, \nabla g(x_1)", t.text), self.g_formula, buff=0.8
        )
        share_label = tex(
            r"\text{along the circle: } \frac{|\nabla f \cdot \hat t|}{\|\nabla f\|} =",
            t.descent,
            TEXT.body,
        )
        self.share = Readout(s.share[0], 2, t.descent, TEXT.body)
        note = tex(r"\hat t:\ \text{the circle's unit tangent}", t.text, TEXT.label)
        self.readout = VGroup(share_label, self.share, note)
        self.in_panel(share_label, self.caption, buff=0.45)
        self.in_panel(note, share_label, buff=0.15)
        place_after(self.share, share_label)
        self.share.add_updater(lambda m: m.set_value(s.share[now()]))

        self.add(layout, self.descent_label)
        with self.beat("point") as b:
            self.play(FadeIn(dot, self.tangent, self.x1_label), run_time=0.6)
            arrow_labels = FadeIn(self.f_label, self.g_label)
            self.play(GrowArrow(grad_f), GrowArrow(grad_g), arrow_labels, run_time=0.8)
            self.descent_shown = True
            self.play(FadeIn(descent), run_time=0.8)
            b.mark("gap")
            self.play(Write(self.caption), FadeIn(self.readout), run_time=1.0)

    def slide_to_optimum(self) -> None:
        with self.beat("slide", self.params.slide_time) as b:
            self.play(self.progress.animate.set_value(1.0), run_time=b.duration, rate_func=smooth)

    def show_tangency(self) -> None:
        s, t, axes = self.solution, self.theme, self.axes
        touching = curve(axes, s.touching, t.f, 5, box=self.box)
        optimum = self.mark("w_star", marker(axes, s.w_star, t.optimum, radius=0.1))
        opt_label = plate(tex(r"x_0", t.optimum, TEXT.title), t)
        place_clear(
            opt_label,
            axes.c2p(*s.w_star),
            around(s.slide.away[-1]),
            [*self.plane.labels, self.circle_label, self.f_label, self.g_label],
            axes,
            gap=0.18,
        )
        final = VGroup(
            tex(r"\nabla f(x_0) = -\lambda\, \nabla g(x_0)", t.text),
            tex(rf"\lambda = {fixed(s.lam, 2)}", t.optimum),
            tex(r"x_0 = w^* = " + point_tex(s.w_star), t.optimum, TEXT.body),
            tex(r"h(w, \lambda) = f(w) + \lambda\,\big(g(w) - k\big)", t.text, TEXT.body),
        )
        self.mark("lam", final[1])
        self.in_panel(final[0], self.g_formula, buff=0.8)
        self.in_panel(final[1], final[0])
        self.in_panel(final[2], final[1], buff=0.25)
        self.in_panel(final[3], final[2], buff=0.5)
        self.share.clear_updaters()
        with self.beat("touch") as b:
            self.play(
                Create(touching),
                FadeIn(optimum),
                FadeOut(self.caption, self.readout, self.tangent, self.x1_label),
                FadeOut(self.descent_label),
                run_time=1.2,
            )
            self.play(FadeIn(opt_label), Write(final[0]), run_time=0.8)
            self.play(FadeIn(final[1:3]), Indicate(optimum, color=t.optimum), run_time=1.0)
            b.mark("lagrangian")
            self.play(FadeIn(final[3]), run_time=0.8)
            self.wait(self.params.hold_time)

    def show_inactive(self) -> None:
        s, t = self.solution, self.theme
        optimum = self.mark("w_star", marker(self.axes, s.w_star, t.optimum, radius=0.1))
        text = VGroup(
            tex(r"\|x^*_{\mathrm{free}}\|^2 \le k", t.text),
            tex(r"\text{the constraint is inactive}", t.text, TEXT.body),
            tex(r"w^* = x^*_{\mathrm{free}},\quad \lambda = 0", t.optimum),
        )
        self.mark("lam", text[2])
        self.in_panel(text[0], self.g_formula, buff=0.8)
        self.in_panel(text[1], text[0])
        self.in_panel(text[2], text[1])
        with self.beat("inactive"):
            self.play(FadeIn(optimum), Write(text), run_time=1.5)
            self.wait(self.params.hold_time)
