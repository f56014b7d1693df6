"""tangency — where the optimum is: a level set touches the circle (seed 000, Figure 1).

The first frame shows the problem and its answer: the level sets of f around ŵ, the budget's
circle ‖w‖² = k and the best w inside it, w*. A point p elsewhere on the circle carries ∇f
and −λ∇g on one scale (λ from the solver): they differ, and the part of ∇f along the circle
says which way f still falls. p slides that way until the two arrows coincide, at w*: there a
level set of f touches the circle and ∇f(w*) = −λ∇g(w*).

    manim -ql scenes/tangency.py Tangency
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    Mobject,
    ReplacementTransform,
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
    COMPASS,
    Maths,
    Panel,
    PlaneScene,
    View,
    around,
    box_of,
    dense,
    overlap,
    place_after,
    place_free,
    plate,
    ring_beside,
    segment_points,
    tex,
    tip_box,
    to_scene,
    words_tex,
)
from scenes.readout import Readout
from scenes.theme import SPACE, TEXT

# --- the scene ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TangencyParams(Timed):
    k: float = param(1.5, "budget: the constraint is ||w||² <= k, a circle of radius √k")
    start_angle: float | None = param(
        None,
        "where p starts on the circle, in degrees from the w₁ axis "
        "(null: 60° from the optimum, on the side where the slide back is longer)",
    )
    slide_time: float = param(4.0, "seconds for p to slide to the optimum")


TANGENCY_K = TangencyParams().k
"""The default budget: its optimum is one of lambda_sweep's ghosts and its λ eigen_shrinkage's."""


@dataclass(frozen=True)
class Slide:
    """p's way along the circle to w*, sampled at evenly spaced fractions of the slide (fine
    enough for 60 fps): at sample i, p = `points[i]`, and the arrows drawn from it (data
    vectors, ∇f and −λ∇g on one scale, each at least `min_length` on screen)."""

    fractions: np.ndarray  # 0 … 1
    points: np.ndarray  # p on the circle
    grad_f: np.ndarray  # the ∇f arrow
    pull: np.ndarray  # the −λ∇g arrow (λ of the optimum)
    descent: np.ndarray  # the green arrow: the part of −∇f along the circle (same scale)
    share: np.ndarray  # |∇f·t̂|/‖∇f‖: the share of ∇f that runs along the circle

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
    beside: int | None  # the drawn level set running beside it, faded when it is drawn
    slide: Slide | None  # None when the constraint is inactive: nothing slides
    scale: float  # data units of arrow per unit of gradient (of mathcore's ½-scaled f)


class Tangency(PlaneScene):
    """p slides along the circle until ∇f and −λ∇g coincide: at w*."""

    Params = TangencyParams
    scrub = (
        Scrubbed("angle", decimals=0),
        Scrubbed("x"),
        Scrubbed("share"),
    )
    min_slide_deg = 10  # p must travel at least this far along the circle
    end_length = 1.3  # scene units: the two arrows at w*, where they coincide …
    max_length = 2.0  # … unless the longest ∇f along the slide would pass this
    min_length = 0.75  # scene units: no arrow drawn shorter (≈ 40 px at the blog size)
    samples = 1000  # positions of p along the slide
    # (stroke width, tip length) of each arrow: −λ∇g wide under ∇f, so that where they
    # coincide ∇f shows inside it
    F_ARROW, G_ARROW, D_ARROW = (4.0, 0.24), (12.0, 0.4), (6.0, 0.24)
    edge_room = SPACE.item  # an arrow's label keeps this far inside the plot's edges
    close_angle = math.radians(40)  # arrows closer than this: labels on opposite sides

    @classmethod
    def solve(cls, params: TangencyParams) -> TangencySolution:
        loss = params.loss()
        optimum = mc.solve_constrained(loss, params.k)
        circle = mc.circle(params.k)
        view = cls.view(loss, mc.circle(params.k, 64))
        slide, scale = None, 0.0
        if optimum.active:
            slide, scale, view = cls.slide(loss, params, optimum, view)
        busy = np.vstack([optimum.w, loss.center, *([] if slide is None else [slide.points])])
        clearance = np.linalg.norm(circle[:, None] - busy[None], axis=-1).min(axis=1)
        return TangencySolution(
            k=params.k,
            view=view,
            circle=circle,
            circle_label_at=circle[int(np.argmax(clearance))],
            w_star=optimum.w,
            lam=optimum.lam,
            active=optimum.active,
            touching=mc.level_set_through(loss, optimum.w) if optimum.active else None,
            beside=ring_beside(loss, view.rings, optimum.w) if optimum.active else None,
            slide=slide,
            scale=scale,
        )

    @classmethod
    def slide(cls, loss: mc.QuadraticLoss, params: TangencyParams, optimum, view: View):
        """p's way, its arrows on one scale, and the view grown to hold their tips."""
        if params.start_angle is None:
            start = mc.descent_start(loss, params.k)
        else:
            start = math.radians(params.start_angle)
        arc = mc.descent_arc(loss, params.k, start, num=cls.samples)
        if abs(arc[-1] - arc[0]) < math.radians(cls.min_slide_deg):
            raise ValueError(
                f"start_angle = {math.degrees(start):.1f}: p would start within "
                f"{cls.min_slide_deg}° of the optimum at {math.degrees(arc[-1]):.1f}°; "
                "choose a start further away, or leave start_angle unset"
            )
        points = mc.point_on_circle(params.k, arc)
        grads = loss.grad(points)
        pull = -optimum.lam * mc.constraint_grad(points)  # −λ∇g: at w*, equal to ∇f
        along = np.abs(mc.tangential_gradient(loss, points))[:, None]
        descent = along * mc.descent_direction(loss, points)
        share = np.abs(mc.tangential_share(loss, points))
        # one scale (scene units per unit of gradient): the arrows at w* `end_length` long,
        # unless the longest ∇f would pass `max_length`; shorter ones drawn `min_length`
        longest = max(float(np.linalg.norm(grads, axis=1).max()), 1e-300)
        at_end = max(optimum.lam * math.sqrt(params.k), 1e-300)
        per_grad = min(cls.end_length / at_end, cls.max_length / longest)

        def arrows(unit: float) -> tuple[np.ndarray, np.ndarray]:
            scale, least = per_grad / unit, cls.min_length / unit

            def shown(v: np.ndarray) -> np.ndarray:
                v = scale * v
                size = np.linalg.norm(v, axis=1, keepdims=True)
                return np.where(size < least, v * least / np.maximum(size, 1e-300), v)

            return shown(grads), shown(pull)

        for _ in range(3):  # the tips stay in the plot: grow the window, rescale, again
            f_arrow, g_arrow = arrows(view.unit)
            tips = np.vstack([points + f_arrow, points + g_arrow])
            view = cls.view(loss, np.vstack([mc.circle(params.k, 64), tips]))
        f_arrow, g_arrow = arrows(view.unit)
        slide = Slide(
            fractions=np.linspace(0.0, 1.0, len(arc)),
            points=points,
            grad_f=f_arrow,
            pull=g_arrow,
            descent=(per_grad / view.unit) * descent,
            share=share,
        )
        return slide, per_grad / view.unit, view

    @classmethod
    def results(cls, s: TangencySolution) -> dict:
        return {
            "w_star": s.w_star.tolist(),
            "lam": s.lam,
            "k": s.k,
            "radius": math.sqrt(s.k),
            "p_start": None if s.slide is None else s.slide.points[0].tolist(),
            "share_start": None if s.slide is None else float(s.slide.share[0]),
            "active": s.active,
        }

    @classmethod
    def alt_text(cls, s: TangencySolution) -> str:
        w = point_text(s.w_star)
        if not s.active:
            return cls.alt("inside", w_hat=w, k=f"{s.k:g}")
        p = point_text(s.slide.points[0])
        return cls.alt("text", k=f"{s.k:g}", w_star=w, p=p, lam=fixed(s.lam, 2))

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        s, t = self.solution, self.theme
        # the problem and its answer, from the first frame: level sets of f around ŵ, the
        # budget's circle, the best w inside it (w*), and the two formulas
        if not s.active:
            self.center_tex = r"w^* = \hat w"  # one point, one label
        self.make_plane(s.view)
        axes, panel = self.axes, self.panel
        self.lines = self.curve_points()
        circle = self.mark("circle", self.plane.curve(s.circle, t.g, width=4))
        w_star = self.mark("w_star", self.plane.dot(s.w_star, t.optimum, radius=0.1))
        self.fixed_boxes = [box_of(m) for m in self.plane.axes.labels]
        self.fixed_boxes += [box_of(self.center_dot), box_of(w_star)]
        self.place_center_label()
        circle_label = plate(tex(r"\|w\|^2 = k", t.g, TEXT.label), t)
        at = s.circle_label_at
        place_free(
            circle_label,
            axes.c2p(*at),
            around(at),
            self.fixed_boxes,
            self.lines["circle"],
            box_of(axes),
        )
        self.fixed_boxes.append(box_of(circle_label))
        blocks = [
            panel.stack(tex(r"f(w) = \|Xw - b\|^2", t.f), Panel.TOP),
            panel.stack(
                tex(words_tex(self.word("level_sets"), f=Maths("f")), t.text, TEXT.body),
                gap=SPACE.line,
            ),
            panel.stack(tex(rf"g(w) = \|w\|^2 \le k = {s.k:g}", t.g), gap=SPACE.section),
            panel.stack(tex(words_tex(self.word("budget")), t.text, TEXT.body), gap=SPACE.line),
            panel.stack(
                tex(
                    words_tex(self.word("answer"), w_star=Maths("w^*"), w=Maths("w")),
                    t.optimum,
                    TEXT.body,
                ),
                gap=SPACE.section,
            ),
        ]
        answer = blocks[-1]
        shown = [circle, w_star, circle_label, *blocks]
        if s.active:
            self.w_label = plate(tex(r"w^*", t.optimum, TEXT.title), t)
            self.place_w_label()
            shown.append(self.w_label)
        self.show_plane(*shown)
        self.bring_to_front(self.center_dot, w_star)
        with self.beat("problem") as b:
            b.mark("budget")
            self.play(Indicate(circle_label, color=t.g), run_time=1.0)
            b.mark("answer")
            self.play(Indicate(w_star, color=t.optimum, scale_factor=1.6), run_time=1.0)

        if not s.active:
            # ŵ is inside the circle: the budget does not bind
            verdict = VGroup(
                tex(r"\|\hat w\|^2 \le k", t.text),
                tex(r"w^* = \hat w,\quad \lambda = 0", t.optimum),
            ).arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
            self.mark("lam", verdict[1])
            panel.stack(verdict, answer, gap=SPACE.section)
            with self.beat("inactive"):
                self.play(Write(verdict), run_time=1.2)
                self.wait(self.params.hold_time)
            return

        # another point p on the circle, and ∇f from it
        slide = s.slide
        self.progress = ValueTracker(0.0)
        now = self.now
        grad_f = always_redraw(lambda: self.arrow(slide.grad_f[now()], t.f, *self.F_ARROW))
        pull = always_redraw(lambda: self.arrow(slide.pull[now()], t.g, *self.G_ARROW))
        descent = always_redraw(self.descent_arrow)
        p_dot = always_redraw(lambda: self.plane.dot(slide.points[now()], t.text))
        for name, mob in (("grad_f", grad_f), ("pull", pull), ("descent", descent), ("p", p_dot)):
            self.mark(name, mob)
        self.make_moving_labels()
        self.side = self.label_side(slide.grad_f, slide.pull)  # one side for the whole slide
        self.shown_arrows = set()
        layout = Mobject().add_updater(lambda _: self.place_moving_labels())
        self.place_moving_labels()
        with self.beat("point") as b:
            self.add(layout)
            self.play(FadeIn(p_dot, self.p_label), run_time=0.6)
            self.shown_arrows.add("f")
            self.place_moving_labels()
            self.play(GrowArrow(grad_f), FadeIn(self.f_label), run_time=0.8)
            self.add(p_dot)

            # −λ∇g from p, on the same scale
            b.mark("pull")
            self.shown_arrows.add("g")
            self.place_moving_labels()
            self.play(GrowArrow(pull), FadeIn(self.g_label), run_time=0.8)
            self.add(grad_f, p_dot)

            # they differ: part of ∇f runs along the circle
            b.mark("gap")
            differ = tex(r"\nabla f(p) \ne -\lambda\, \nabla g(p)", t.text)
            panel.stack(differ, answer, gap=SPACE.section)
            share = words_tex(self.word("share"), grad_f=Maths(r"\nabla f")) + " ="
            share_label = tex(share, t.descent, TEXT.body)
            panel.stack(share_label, gap=SPACE.item)
            self.share = place_after(Readout(slide.share[0], 2, t.descent, TEXT.body), share_label)
            self.play(Write(differ), FadeIn(share_label, self.share), run_time=1.0)
            self.share.add_updater(lambda m: m.set_value(slide.share[now()]))  # once shown

            # so f still falls the green way
            b.mark("green")
            self.shown_arrows.add("d")
            self.place_moving_labels()
            self.add(descent)
            grow = GrowArrow(descent) if len(descent.points) else FadeIn(descent)
            self.play(grow, FadeIn(self.descent_label), run_time=0.8)
            self.add(grad_f, p_dot)

        # p slides the way f falls, until that part is 0
        with self.beat("slide", self.params.slide_time) as b:
            self.play(self.progress.animate.set_value(1.0), run_time=b.duration, rate_func=smooth)

        # at w*, the arrows coincide: a level set touches the circle
        with self.beat("touch") as b:
            self.share.clear_updaters()
            touching = self.plane.curve(s.touching, t.f, 5)
            self.remove(layout)
            both = plate(tex(r"\nabla f = -\lambda \nabla g", t.text, TEXT.body), t)
            self.place_tip_label(both, slide.grad_f[-1], [self.w_label])
            self.mark("both", both)
            equal = tex(r"\nabla f(w^*) = -\lambda\, \nabla g(w^*)", t.text)
            panel.stack(equal, answer, gap=SPACE.section)
            lam = self.mark("lam", tex(rf"\lambda = {fixed(s.lam, 2)}", t.optimum))
            panel.stack(lam, gap=SPACE.item)
            where = tex(r"w^* = " + point_tex(s.w_star), t.optimum, TEXT.body)
            where.next_to(lam, RIGHT, buff=SPACE.section)
            self.remove(descent)  # nothing of it is left at w*
            fade = (  # not a doubled line
                []
                if s.beside is None
                else [self.plane.ring_stroke(s.beside).animate.set_stroke(opacity=0)]
            )
            self.play(
                FadeOut(differ, share_label, self.share, self.descent_label, self.p_label, p_dot),
                Create(touching),
                *fade,
                run_time=1.0,
            )
            self.add(touching, pull, grad_f, w_star, self.w_label)
            self.play(
                ReplacementTransform(VGroup(self.f_label, self.g_label), both),
                Write(equal),
                run_time=1.0,
            )
            self.play(FadeIn(lam, where), Indicate(w_star, color=t.optimum), run_time=1.0)

            # w* is a stationary point of the Lagrangian
            b.mark("lagrangian")
            lagrangian = VGroup(
                tex(r"h(w, \lambda) = f(w) + \lambda\,\big(g(w) - k\big)", t.text, TEXT.body),
                tex(r"\nabla_w h(w^*, \lambda) = 0", t.text, TEXT.body),
            )
            panel.stack(lagrangian[0], lam, gap=SPACE.section)
            panel.stack(lagrangian[1], gap=SPACE.line)
            self.play(FadeIn(lagrangian), run_time=0.8)
            self.wait(self.params.hold_time)

    # --- drawing helpers ------------------------------------------------------------------------

    def now(self) -> int:
        """The sample of the slide shown now."""
        return self.solution.slide.index(self.progress.get_value())

    def arrow(self, vector, color, width: float, tip: float) -> Arrow:
        """An arrow from p (now) along the data vector `vector`."""
        start = self.solution.slide.points[self.now()]
        return Arrow(
            self.axes.c2p(*start),
            self.axes.c2p(*(start + np.asarray(vector))),
            buff=0,
            color=color,
            stroke_width=width,
            tip_length=tip,
            max_tip_length_to_length_ratio=0.4,
            max_stroke_width_to_length_ratio=40,
        )

    def descent_arrow(self) -> VMobject:
        """The part of −∇f along the circle (green), while it is long enough to see."""
        s, t = self.solution.slide, self.theme
        i = self.now()
        if np.linalg.norm(s.descent[i]) * self.solution.view.unit < self.min_length * 0.6:
            return VMobject()
        return self.arrow(s.descent[i], t.descent, *self.D_ARROW)

    def curve_points(self) -> dict[str, np.ndarray]:
        """The lines labels keep off, in scene points: the circle and the touching level set."""
        s, axes = self.solution, self.axes
        lines = {"circle": dense(to_scene(axes, s.circle))}
        if s.touching is not None:
            lines["touching"] = dense(to_scene(axes, s.touching))
        return lines

    def place_center_label(self) -> None:
        """ŵ's label beside its dot, off the circle and the touching level set."""
        s, axes = self.solution, self.axes
        lines = np.vstack(list(self.lines.values()))
        away = s.view.center - s.w_star if s.active else s.view.center
        place_free(
            self.center_label,
            self.center_dot.get_center(),
            around(away if np.linalg.norm(away) > 1e-9 else COMPASS[4]),
            self.fixed_boxes,
            lines,
            box_of(axes),
        )
        self.fixed_boxes.append(box_of(self.center_label))

    def end_arrows(self) -> tuple[np.ndarray, np.ndarray]:
        """The arrows' common shaft at w* (scene points) and its tip box."""
        s, axes = self.solution, self.axes
        start, end = axes.c2p(*s.w_star), axes.c2p(*(s.w_star + s.slide.grad_f[-1]))
        return segment_points(start, end), tip_box(end, self.G_ARROW[1])

    def place_w_label(self) -> None:
        """w*'s label, placed once: off the circle, the touching level set and the arrows that
        end there, clear of every fixed label."""
        s, axes = self.solution, self.axes
        shaft, head = self.end_arrows()
        lines = np.vstack([*self.lines.values(), shaft])
        outward = s.w_star / np.linalg.norm(s.w_star)
        place_free(
            self.w_label,
            axes.c2p(*s.w_star),
            around(outward),
            [*self.fixed_boxes, head],
            lines,
            box_of(axes),
        )
        self.fixed_boxes.append(box_of(self.w_label))

    def label_bounds(self) -> np.ndarray:
        """Where an arrow's label may go: the plot, `edge_room` in from its edges (a tip in
        a corner would otherwise squeeze its label into the corner)."""
        return box_of(self.axes) + self.edge_room * np.array([1.0, 1.0, -1.0, -1.0])

    def place_tip_label(self, label: Mobject, vector, extra: Sequence[Mobject] = ()) -> None:
        """A label just past the tip of the arrow from p along `vector`, off the lines."""
        s, axes = self.solution.slide, self.axes
        start = s.points[self.now()]
        end = axes.c2p(*(start + vector))
        shaft = segment_points(axes.c2p(*start), end)
        lines = np.vstack([*self.lines.values(), shaft])
        direction = np.asarray(vector, dtype=float)
        place_free(
            label,
            end,
            around(direction),
            [*self.fixed_boxes, *map(box_of, extra)],
            lines,
            self.label_bounds(),
        )

    def make_moving_labels(self) -> None:
        """The labels that follow p as it slides: p's, ∇f's, −λ∇g's and the green arrow's."""
        t = self.theme
        self.p_label = plate(tex("p", t.text, TEXT.title), t)
        self.f_label = plate(tex(r"\nabla f", t.f, TEXT.body), t)
        self.g_label = plate(tex(r"-\lambda \nabla g", t.g, TEXT.body), t)
        decreases = words_tex(self.word("descent"), f=Maths("f"))
        self.descent_label = plate(tex(decreases, t.descent, TEXT.label), t)

    @classmethod
    def label_ways(cls, grad_f, pull, side: float) -> dict[str, np.ndarray]:
        """Where the labels of ∇f and −λ∇g prefer to sit, from their arrows' tips: straight
        on; when the arrows point within `close_angle` of each other (near w*, where they
        become one), past the tips on opposite sides, so neither label is pushed far from
        its tip by the other: ∇f's to the left of its arrow when `side` is 1, to the right
        when −1 (the side away from −λ∇g, as `label_side` chooses for the whole slide)."""
        f, g = (np.asarray(v, dtype=float) / max(np.linalg.norm(v), 1e-12) for v in (grad_f, pull))
        if f @ g < math.cos(cls.close_angle):
            return {"f": f, "g": g}
        left = np.array([[0.0, -1.0], [1.0, 0.0]])  # a quarter turn counter-clockwise
        return {"f": f + side * left @ f, "g": g - side * left @ g}

    @classmethod
    def label_side(cls, grad_f: np.ndarray, pull: np.ndarray) -> float:
        """−1 when −λ∇g lies counter-clockwise of ∇f where the arrows are within
        `close_angle` of each other (∇f's label then goes on its arrow's right, away from
        −λ∇g), else 1: one side for the whole slide, so the labels do not swap where the
        arrows become one at w*."""
        f = grad_f / np.maximum(np.linalg.norm(grad_f, axis=1, keepdims=True), 1e-12)
        g = pull / np.maximum(np.linalg.norm(pull, axis=1, keepdims=True), 1e-12)
        close = np.einsum("ij,ij->i", f, g) >= math.cos(cls.close_angle)
        cross = f[close, 0] * g[close, 1] - f[close, 1] * g[close, 0]
        return -1.0 if cross.sum() > 0 else 1.0

    def place_moving_labels(self) -> None:
        """Every frame, in order, each clear of those placed before it: the labels of ∇f,
        −λ∇g, p and the green arrow (of those shown), off the circle, the level set through
        w* and every arrow shown."""
        s, axes = self.solution.slide, self.axes
        i = self.now()
        p = axes.c2p(*s.points[i])
        arrows = {
            "f": (s.grad_f[i], self.F_ARROW[1]),
            "g": (s.pull[i], self.G_ARROW[1]),
            "d": (s.descent[i], self.D_ARROW[1]),
        }
        shown = set(self.shown_arrows)
        if "d" in shown and not len(self.descent_arrow().points):
            shown.discard("d")  # too short to draw: gone, and its label with it
        ends = {key: axes.c2p(*(s.points[i] + v)) for key, (v, _) in arrows.items()}
        shafts = [segment_points(p, ends[key]) for key in sorted(shown)]
        heads = [tip_box(ends[key], arrows[key][1]) for key in sorted(shown)]
        lines = np.vstack([*self.lines.values(), *shafts])
        bounds = self.label_bounds()
        placed = [*self.fixed_boxes, *heads, tip_box(p, 0.1)]
        ways = self.label_ways(s.grad_f[i], s.pull[i], self.side)
        for label, key in ((self.f_label, "f"), (self.g_label, "g")):
            place_free(label, ends[key], around(ways[key]), placed, lines, bounds)
            if key in shown:
                placed.append(box_of(label))
        away = -(s.grad_f[i] + s.pull[i])  # the side of p the arrows leave free
        place_free(self.p_label, p, around(away), placed, lines, bounds)
        placed.append(box_of(self.p_label))
        place_free(self.descent_label, ends["d"], around(s.descent[i]), placed, lines, bounds)
        self.descent_label.set_opacity(1.0 if "d" in shown else 0.0)
        for number in self.plane.axes.labels:  # a tick value under an arrowhead gives way
            under = any(overlap(box_of(number), head) > 0 for head in heads)
            number.set_opacity(0.0 if under else 1.0)

    def frame_readouts(self) -> dict:
        """p's place on the circle (its angle from the w₁ axis) and the share readout, from
        when p appears (before: none); without a slide (ŵ inside the circle), w* = ŵ and
        nothing moves."""
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
