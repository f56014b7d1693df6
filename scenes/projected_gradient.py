"""projected_gradient — gradient step, then project back (seed 002, Part 6).

Left: gradient descent on f with each iterate projected back onto the ball ||w||² ≤ k; each
gradient step is an arrow, each projection a dashed radial move onto the circle; the
iterates converge to w*(k), marked beforehand from the solver. Older arrows fade so the
last ones stay readable. At w* the step points straight out along w*, so the projection
undoes it: the fixed point is where ∇f = −λ∇g. Right, for contrast: plain gradient descent
from the same start, heading to the unconstrained minimum c.

    manim -ql scenes/projected_gradient.py ProjectedGradient
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    ORIGIN,
    RIGHT,
    Arrow,
    Circle,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    VGroup,
    VMobject,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, param, point_text
from scenes.plane import PlaneScene, View, around, arrow, place_clear, plate, tex
from scenes.theme import TEXT


@dataclass(frozen=True)
class ProjectedGradientParams(Timed):
    k: float = param(1.5, "budget: the ball ||w||² <= k")
    start: tuple[float, ...] | None = param(
        None,
        "where both descents start, [w1, w2] (null: on the circle, 60° from w* on the side "
        "where f rises longer; inside it, opposite c, when c is inside the ball)",
    )
    steps: int | None = param(
        None, "iterations drawn (null: until the iterate is within 1% of the radius of w*)"
    )
    step_scale: float = param(
        0.5, "step size η as a multiple of 1/σ_max, H's largest eigenvalue (below 2 is stable)"
    )
    step_time: float = param(0.7, "seconds for each of the first iterations (later ones speed up)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.start is not None and len(self.start) != 2:
            raise ValueError(f"start must be [w1, w2], got {list(self.start)}")
        if self.steps is not None and not 1 <= self.steps <= 200:
            raise ValueError(f"steps must be between 1 and 200, got {self.steps}")
        if not 0 < self.step_scale < 2:
            raise ValueError(
                f"step_scale must be in (0, 2) for a stable step, got {self.step_scale}"
            )
        if self.step_time <= 0:
            raise ValueError(f"step_time must be positive, got {self.step_time}")


@dataclass(frozen=True)
class FixedPoint:
    """What the scene draws at w*: the direction −∇f(w*), straight out along w*, as an arrow
    of a visible length (`tip`), which the projection takes back to w*."""

    tip: np.ndarray


@dataclass(frozen=True)
class DescentSolution:
    view: View
    k: float
    circle: np.ndarray  # ||w||² = k
    optimum: mc.ConstrainedSolution
    projected: mc.GradientRun  # steps and projections onto the ball
    plain: mc.GradientRun  # no constraint
    projects: np.ndarray  # per step: whether it left the ball (so a projection is drawn)
    fixed_point: FixedPoint | None  # None when the constraint is inactive

    @property
    def final_gap(self) -> float:
        """||w_T − w*||: how far the last projected iterate is from the solver's optimum."""
        return float(np.linalg.norm(self.projected.iterates[-1] - self.optimum.w))


class ProjectedGradient(PlaneScene):
    """Projected gradient descent converging to the tangency point, beside plain descent."""

    Params = ProjectedGradientParams
    script = "projected_gradient"
    beats = ("problem", "step", "step.project", "iterate", "fixed", "fixed.lam", "inactive")
    scrub = (
        Scrubbed("step", "step", 0),
        Scrubbed("w", "projected: w"),
        Scrubbed("w_plain", "plain: w"),
    )
    shown_step = 0  # the iteration whose step is on screen (0: the start)
    x_range = (-1.6, 2.6)
    y_range = (-1.4, 2.8)
    plot_box = (6.4, 5.6)
    start_arc = math.radians(60)  # the derived start: this far along the circle from w*
    min_start_gap = 0.15  # an explicit start at least this many radii from w*
    converged = 0.01  # derived steps: until the iterate is this many radii from w*
    step_range = (6, 60)  # derived steps stay within these
    trail = 3  # the newest iterations whose arrows stay drawn; older ones fade out
    fixed_arrow = 0.45  # the arrow at w*, in radii of the circle
    fast_after = 3  # iterations at full step_time; later ones at `fast_pace` of it
    fast_pace = 0.35

    @classmethod
    def solve(cls, params: ProjectedGradientParams) -> DescentSolution:
        loss = params.loss()
        optimum = mc.solve_constrained(loss, params.k)
        radius = math.sqrt(params.k)
        start = cls.start(loss, params, optimum)
        eta = params.step_scale / float(loss.sigma[0])
        steps = params.steps
        if steps is None:
            trial = mc.gradient_descent(loss, start, cls.step_range[1], eta, k=params.k)
            gaps = np.linalg.norm(trial.iterates - optimum.w, axis=1)
            close = np.flatnonzero(gaps < cls.converged * radius)
            steps = int(close[0]) if len(close) else cls.step_range[1]
            steps = max(cls.step_range[0], steps)
        projected = mc.gradient_descent(loss, start, steps, eta, k=params.k)
        plain = mc.gradient_descent(loss, start, steps, eta)
        fixed_point = None
        if optimum.active:
            out = -loss.grad(optimum.w)
            tip = optimum.w + cls.fixed_arrow * radius * out / np.linalg.norm(out)
            fixed_point = FixedPoint(tip=tip)
        visible = [projected.steps, plain.iterates, mc.circle(params.k, 64)]
        if fixed_point is not None:
            visible.append(fixed_point.tip[None])
        return DescentSolution(
            view=cls.view(loss, np.vstack(visible), cls.plot_box),
            k=params.k,
            circle=mc.circle(params.k),
            optimum=optimum,
            projected=projected,
            plain=plain,
            projects=np.linalg.norm(projected.steps - projected.iterates[1:], axis=1) > 1e-9,
            fixed_point=fixed_point,
        )

    @classmethod
    def start(cls, loss, params, optimum) -> np.ndarray:
        """The user's start, checked, or one derived from the problem (see the parameter)."""
        radius = math.sqrt(params.k)
        if params.start is not None:
            start = np.array(params.start, dtype=float)
            if np.linalg.norm(start - optimum.w) < cls.min_start_gap * radius:
                raise ValueError(
                    f"start = {list(params.start)} is within {cls.min_start_gap:g} radii of "
                    f"w* = {point_text(optimum.w)}: there is no descent to show; choose a start "
                    "farther away, or leave start unset"
                )
            return start
        if optimum.active:
            return mc.point_on_circle(params.k, mc.descent_start(loss, params.k, cls.start_arc))
        away = mc.angle_of(loss.center) + math.pi if np.linalg.norm(loss.center) > 0 else 0.0
        return mc.point_on_circle(0.9 * params.k, away)  # inside, across the origin from c

    @classmethod
    def results(cls, s: DescentSolution) -> dict:
        return {
            "iterates": s.projected.iterates.tolist(),
            "gradient_steps": s.projected.steps.tolist(),
            "plain_iterates": s.plain.iterates.tolist(),
            "start": s.projected.iterates[0].tolist(),
            "steps": len(s.projected.steps),
            "w_star": s.optimum.w.tolist(),
            "lam": s.optimum.lam,
            "k": s.k,
            "radius": math.sqrt(s.k),
            "step_size": s.projected.step_size,
            "final_gap": s.final_gap,
            "active": bool(s.optimum.active),
        }

    @classmethod
    def alt_text(cls, s: DescentSolution) -> str:
        end, n = s.projected.iterates[-1], len(s.projected.steps)
        if s.fixed_point is None:
            return (
                f"Two panels with the same level sets. The minimum c = {point_text(s.optimum.w)} "
                f"lies inside the disk ||w||² ≤ {s.k:g}: gradient descent with projection "
                f"and plain gradient descent, from the same start, both reach it in {n} steps."
            )
        return (
            f"Two panels with the same level sets. Left: gradient steps, each followed by a "
            f"radial projection back onto the disk ||w||² ≤ {s.k:g}, converge in {n} "
            f"iterations to {point_text(end)}, the constrained optimum marked in advance; "
            f"there the step points straight out and the projection undoes it: ∇f = −λ∇g "
            f"with λ = {fixed(s.optimum.lam, 2)}. Right: plain gradient descent from the same "
            f"start heads to the unconstrained minimum."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_problem()
        self.first_step()
        self.iterate()
        if self.solution.fixed_point is not None:
            self.show_fixed_point()
        else:
            self.show_inactive()

    def draw_problem(self) -> None:
        s, t = self.solution, self.theme
        self.planes = self.side_by_side(s.view, height=0.3)
        left = self.planes[0]
        titles = VGroup(
            tex(r"\text{step, then project onto } \|w\|^2 \le k", t.text, TEXT.body),
            tex(r"\text{plain gradient descent}", t.text, TEXT.body),
        )
        top = self.plots().get_top()[1]
        for title, plane in zip(titles, self.planes, strict=True):  # above c's label too
            title.move_to([plane.axes.get_center()[0], top + 0.15 + title.height / 2, 0])
        circle = left.curve(s.circle, t.g, 4)
        target = self.mark("target", Circle(radius=0.14, color=t.optimum, stroke_width=4))
        target.move_to(left.axes.c2p(*s.optimum.w))
        self.fixed_labels = [[*p.labels] for p in self.planes]  # what moving labels avoid
        extra = [titles, circle, target]
        if s.fixed_point is not None:  # inactive: w* = c, already labelled
            self.target_label = plate(tex(r"w^*", t.optimum, TEXT.body), t)
            place_clear(
                self.target_label,
                target.get_center(),
                around(-s.optimum.w),  # inside the circle: the step at w* points out
                self.fixed_labels[0],
                left.axes,
                gap=0.16,
            )
            self.fixed_labels[0].append(self.target_label)
            extra.append(self.target_label)
        start = s.projected.iterates[0]
        self.walkers = [plane.dot(start, t.text, 0.08) for plane in self.planes]
        for plane, obstacles, run in zip(
            self.planes, self.fixed_labels, (s.projected, s.plain), strict=True
        ):
            label = plate(tex(r"w_0", t.text, TEXT.body), t)
            away = -(run.steps[0] - start)  # opposite the first step
            place_clear(label, plane.axes.c2p(*start), around(away), obstacles, plane.axes, 0.16)
            obstacles.append(label)
            extra.append(label)
        for plane in self.planes:
            self.add(plane.group)
        self.add(*extra, *self.walkers)
        self.key = self.make_key()
        with self.beat("problem"):
            pass  # both problems are drawn from the first frame; the caption reads them

    def make_key(self) -> VGroup:
        """What the arrows and dashed lines mean, under the plots (shown as each first
        appears)."""
        t = self.theme
        step = Arrow(ORIGIN, 0.7 * RIGHT, buff=0, color=t.text, stroke_width=4)
        step.set(tip_length=0.18)
        back = DashedLine(ORIGIN, 0.7 * RIGHT, dash_length=0.08)
        back.set_stroke(t.g, 4)
        entries = VGroup(
            VGroup(step, tex(r"\text{gradient step } w - \eta \nabla f(w)", t.text, TEXT.body)),
            VGroup(back, tex(r"\text{projection onto the ball}", t.text, TEXT.body)),
        )
        for sample, words in entries:
            words.next_to(sample, RIGHT, buff=0.2)
        return entries.arrange(RIGHT, buff=0.9).next_to(self.plots(), DOWN, buff=0.35)

    def plots(self) -> VGroup:
        return VGroup(*(plane.group for plane in self.planes))

    def step_arrows(self, i: int) -> VGroup:
        """Iteration i on both plots: the gradient steps, and the projection where it acts."""
        s, t = self.solution, self.theme
        left, right = self.planes
        was, stepped, landed = (
            s.projected.iterates[i],
            s.projected.steps[i],
            s.projected.iterates[i + 1],
        )
        plain_was, plain_to = s.plain.iterates[i], s.plain.iterates[i + 1]
        step = self.visible_arrow(left, was, stepped - was)
        plain_step = self.visible_arrow(right, plain_was, plain_to - plain_was)
        back = VMobject()
        if s.projects[i]:
            back = DashedLine(left.axes.c2p(*stepped), left.axes.c2p(*landed), dash_length=0.06)
            back.set_stroke(t.g, 4)
        return VGroup(step, plain_step, back)

    def visible_arrow(self, plane, start, vector):
        """The step as an arrow, or nothing when it is too short to show a tip."""
        if np.linalg.norm(plane.axes.c2p(*(start + vector)) - plane.axes.c2p(*start)) < 0.08:
            return VMobject()
        return arrow(plane.axes, start, vector, self.theme.text, 4)

    def play_step(self, i: int, pace: float, extra=()) -> VGroup:
        """Gradient steps on both plots, each walker to the end of its step."""
        s = self.solution
        left, right = self.planes
        self.shown_step = i + 1
        drawn = self.step_arrows(i)
        step, plain_step, _ = drawn
        grows = [GrowArrow(a) for a in (step, plain_step) if isinstance(a, Arrow)]
        self.play(
            *grows,
            self.walkers[0].animate.move_to(left.axes.c2p(*s.projected.steps[i])),
            self.walkers[1].animate.move_to(right.axes.c2p(*s.plain.iterates[i + 1])),
            *extra,
            run_time=pace,
        )
        return drawn

    def frame_readouts(self) -> dict:
        """The iteration on screen and where it lands, projected and plain."""
        s, i = self.solution, self.shown_step
        return {
            "step": i,
            "w": s.projected.iterates[i].tolist(),
            "w_plain": s.plain.iterates[i].tolist(),
        }

    def play_projection(self, i: int, back, pace: float, *extra) -> None:
        left = self.planes[0]
        self.play(
            Create(back),
            self.walkers[0].animate.move_to(
                left.axes.c2p(*self.solution.projected.iterates[i + 1])
            ),
            *extra,
            run_time=pace,
        )

    def first_step(self) -> None:
        """The steps up to the first one that leaves the ball (only the first step when none
        does), then that step's projection."""
        s = self.solution
        self.trails: list[VGroup] = []
        leaving = np.flatnonzero(s.projects)
        last = int(leaving[0]) if len(leaving) else 0
        with self.beat("step"):
            for i in range(last + 1):
                key = [FadeIn(self.key[0])] if i == 0 else []
                drawn = self.play_step(i, self.pace(i), [*key, *self.fade_trail()])
                if i < last:
                    self.trails.append(drawn)
        self.done = last + 1
        if s.projects[last]:
            with self.beat("step.project"):
                self.play_projection(last, drawn[2], self.pace(last), FadeIn(self.key[1]))
        self.trails.append(drawn)

    def iterate(self) -> None:
        s, t = self.solution, self.theme
        key_shown = bool(s.projects[: self.done].any())
        with self.beat("iterate"):
            for i in range(self.done, len(s.projected.steps)):
                drawn = self.play_step(i, self.pace(i), self.fade_trail())
                if s.projects[i]:
                    show_key = [] if key_shown else [FadeIn(self.key[1])]
                    key_shown = True
                    self.play_projection(i, drawn[2], 0.6 * self.pace(i), *show_key)
                self.trails.append(drawn)
            self.play(self.walkers[0].animate.set_color(t.optimum), run_time=0.4)

    def pace(self, i: int) -> float:
        return self.params.step_time * (1.0 if i < self.fast_after else self.fast_pace)

    def fade_trail(self) -> list:
        """Animations that dim the kept arrows and fade out the oldest (issue 14: late
        iterates would otherwise pile into a tangle at w*)."""
        fades = []
        if len(self.trails) >= self.trail:
            fades.append(FadeOut(self.trails.pop(0)))
        for age, drawn in enumerate(reversed(self.trails)):
            fades.append(drawn.animate.set_opacity(0.7 - 0.25 * age))
        return fades

    def show_fixed_point(self) -> None:
        s, t = self.solution, self.theme
        left = self.planes[0]
        w_star, tip = s.optimum.w, s.fixed_point.tip
        out = self.mark("fixed_arrow", arrow(left.axes, w_star, tip - w_star, t.f, 5))
        back = DashedLine(left.axes.c2p(*tip), left.axes.c2p(*w_star), dash_length=0.06)
        back.set_stroke(t.g, 4).shift(0.07 * self.normal(tip - w_star))
        label = plate(tex(r"-\nabla f(w^*)", t.f, TEXT.body), t)
        place_clear(label, out.get_end(), around(tip - w_star), self.fixed_labels[0], left.axes)
        lines = VGroup(
            tex(
                r"\text{at } w^*\!:\ -\nabla f \parallel w^*,"
                r" \text{ so the projection undoes the step}",
                t.text,
                TEXT.body,
            ),
            tex(
                r"\nabla f(w^*) = -\lambda\, \nabla g(w^*),\quad"
                rf" \lambda = {fixed(s.optimum.lam, 2)}",
                t.optimum,
                TEXT.body,
            ),
        ).arrange(DOWN, buff=0.12)
        lines.next_to(self.plots(), DOWN, buff=0.3)
        self.mark("lam", lines[1])
        with self.beat("fixed"):
            self.play(FadeOut(*self.trails, self.key), run_time=0.5)
            self.play(GrowArrow(out), FadeIn(label), run_time=0.8)
            self.play(Create(back), FadeIn(lines[0]), run_time=0.8)
        with self.beat("fixed.lam"):
            self.play(FadeIn(lines[1]), Indicate(self.walkers[0], color=t.optimum), run_time=1.0)
            self.take_poster()
            self.wait(self.params.hold_time)

    def normal(self, vector) -> np.ndarray:
        """A unit scene vector across `vector` (to draw the way back beside the way out)."""
        v = np.asarray(vector, dtype=float)
        n = np.array([-v[1], v[0], 0.0])
        return n / max(np.linalg.norm(n), 1e-12)

    def show_inactive(self) -> None:
        t = self.theme
        line = tex(
            r"\|x^*_{\mathrm{free}}\|^2 \le k:\ \text{both reach } w^* = x^*_{\mathrm{free}},"
            r"\ \lambda = 0",
            t.text,
            TEXT.body,
        ).next_to(self.plots(), DOWN, buff=0.35)
        self.mark("lam", line)
        with self.beat("inactive"):
            self.play(FadeOut(*self.trails, self.key), FadeIn(line), run_time=0.8)
            self.wait(self.params.hold_time)
