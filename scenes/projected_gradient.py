"""projected_gradient — gradient step, then project back (seed 002, Part 6).

Left: gradient descent on f with each iterate projected back onto the ball ||w||² ≤ k; each
gradient step is an arrow, each projection a dashed radial move onto the circle; the
iterates converge to w*(k), marked beforehand from the solver, and leave a trail. Older
arrows fade so the last ones stay readable. When the first projection is too short to see,
the left plot zooms in on it (a window around it, magnified until the move is a visible
length) and back out. At w* the step points straight out along w*, so the projection undoes
it: the fixed point is where ∇f = −λ∇g. Right, for contrast: plain gradient descent from the
same start, heading to ŵ, the least-squares fit.

    manim -ql scenes/projected_gradient.py ProjectedGradient
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
from manim import (
    DL,
    DOWN,
    DR,
    ORIGIN,
    RIGHT,
    UL,
    UR,
    Arrow,
    Axes,
    Circle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    Line,
    Rectangle,
    VGroup,
    VMobject,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, bounding_box, param, point_text
from scenes.plane import (
    Maths,
    PlaneScene,
    View,
    around,
    arrow,
    box_of,
    clip_polyline,
    curve,
    dense,
    level_sets,
    place_free,
    plate,
    segment_points,
    tex,
    tip_box,
    to_scene,
    words_tex,
)
from scenes.theme import TEXT

STEP = Maths(r"w - \eta \nabla f(w)")  # the gradient step, in the key


@dataclass(frozen=True)
class ProjectedGradientParams(Timed):
    k: float = param(1.5, "budget: the ball ||w||² <= k")
    start: tuple[float, ...] | None = param(
        None,
        "where both descents start, [w1, w2] (null: on the circle, up to 60° from w*, where "
        "each step leaves the ball; inside it, opposite ŵ, when ŵ is inside the ball)",
    )
    steps: int | None = param(
        None,
        "iterations drawn (null: until the iterate is within half a pixel of w* at the blog "
        "size, at most 60; the last frame says how far it ended)",
    )
    step_scale: float = param(
        0.5, "step size η as a multiple of 1/σ₁, H's largest eigenvalue (below 2 is stable)"
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
class Zoom:
    """A magnified window on the left plot around the first projection (too short to see at
    the plot's own scale): its data window, scene units per data unit (the plot's box at
    `factor` times the plot's scale) and the level sets that cross it."""

    step: int  # the iteration whose projection is shown magnified
    factor: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    unit: float
    rings: tuple[np.ndarray, ...]
    arc: np.ndarray  # the part of the circle ||w||² = k across the window, finely sampled

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (*self.x_range, *self.y_range)


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
    zoom: Zoom | None  # None when the first projection is long enough to see (or none is)
    converged: bool  # the last iterate is within `converged_px` of w* at the blog size

    @property
    def final_gap(self) -> float:
        """||w_T − w*||: how far the last projected iterate is from the solver's optimum."""
        return float(np.linalg.norm(self.projected.iterates[-1] - self.optimum.w))


class ProjectedGradient(PlaneScene):
    """Projected gradient descent converging to the tangency point, beside plain descent."""

    Params = ProjectedGradientParams
    scrub = (
        Scrubbed("step", decimals=0),
        Scrubbed("w"),
        Scrubbed("w_plain"),
    )
    shown_step = 0  # the iteration whose step is on screen (0: the start)
    x_range = (-1.6, 2.6)
    y_range = (-1.4, 2.8)
    plot_box = (6.4, 5.6)
    start_arc = math.radians(60)  # the derived start: at most this far along the circle from w*
    min_start_gap = 0.15  # an explicit start at least this many radii from w*
    converged_px = 0.5  # derived steps: until the iterate is this close to w* (blog pixels)
    blog_px = 768 / 14.222222  # pixels per scene unit at the blog size
    step_range = (6, 60)  # derived steps stay within these
    min_move = 1.0  # scene units (54 px at the blog size): a shorter first projection zooms…
    zoom_move = 1.6  # … until it is this long, at most `max_zoom` times
    max_zoom = 60.0
    trail = 3  # the newest iterations whose arrows stay drawn; older ones fade out
    iterate_dot = 0.045  # each iterate's dot on the trail, kept to the last frame
    fixed_arrow = 0.45  # the arrow at w*, in radii of the circle …
    min_fixed = 0.8  # … and at least this many scene units (43 px at the blog size)
    min_arrow = 0.4  # scene units (22 px at the blog size): a shorter step is drawn without a head
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
        if steps is None:  # until within half a blog pixel (of a window at most as large)
            trial = mc.gradient_descent(loss, start, cls.step_range[1], eta, k=params.k)
            seen = np.vstack([trial.steps, mc.circle(params.k, 64)])
            pixel = 1.0 / (cls.view(loss, seen, cls.plot_box).unit * cls.blog_px)  # data units
            gaps = np.linalg.norm(trial.iterates - optimum.w, axis=1)
            close = np.flatnonzero(gaps < cls.converged_px * pixel)
            steps = int(close[0]) if len(close) else cls.step_range[1]
            steps = max(cls.step_range[0], steps)
        projected = mc.gradient_descent(loss, start, steps, eta, k=params.k)
        plain = mc.gradient_descent(loss, start, steps, eta)
        fixed_point = None
        if optimum.active:
            out = -loss.grad(optimum.w)
            out = out / np.linalg.norm(out)
            fixed_point = FixedPoint(tip=optimum.w + cls.fixed_arrow * radius * out)
        visible = [projected.steps, plain.iterates, mc.circle(params.k, 64)]
        if fixed_point is not None:
            visible.append(fixed_point.tip[None])
        view = cls.view(loss, np.vstack(visible), cls.plot_box)
        if fixed_point is not None:  # at least `min_fixed` long on screen, inside the window
            room = [
                (edge - optimum.w[axis]) / out[axis]
                for axis, ends in enumerate((view.x_range, view.y_range))
                for edge in ends
                if abs(out[axis]) > 1e-12 and (edge - optimum.w[axis]) / out[axis] > 0
            ]
            shown = cls.fixed_arrow * radius
            longer = min(cls.min_fixed / view.unit, 0.9 * min(room))
            fixed_point = FixedPoint(tip=optimum.w + max(shown, longer) * out)
        projects = np.linalg.norm(projected.steps - projected.iterates[1:], axis=1) > 1e-9
        final_gap = float(np.linalg.norm(projected.iterates[-1] - optimum.w))
        return DescentSolution(
            view=view,
            k=params.k,
            circle=mc.circle(params.k),
            optimum=optimum,
            projected=projected,
            plain=plain,
            projects=projects,
            fixed_point=fixed_point,
            zoom=cls.zoom(loss, params.k, projected, projects, view),
            converged=final_gap * view.unit * cls.blog_px < cls.converged_px,
        )

    @classmethod
    def zoom(
        cls, loss, k: float, run: mc.GradientRun, projects: np.ndarray, view: View
    ) -> Zoom | None:
        """The window that magnifies the first projection to `zoom_move` scene units, when
        at the plot's scale it is shorter than `min_move` (None otherwise)."""
        first = np.flatnonzero(projects)
        if not len(first):
            return None
        i = int(first[0])
        stepped, landed = run.steps[i], run.iterates[i + 1]
        move = float(np.linalg.norm(stepped - landed)) * view.unit
        if move >= cls.min_move:
            return None
        factor = min(cls.zoom_move / move, cls.max_zoom)
        unit = view.unit * factor
        middle = (stepped + landed) / 2
        half = np.array(cls.plot_box) / unit / 2
        x_range = (float(middle[0] - half[0]), float(middle[0] + half[0]))
        y_range = (float(middle[1] - half[1]), float(middle[1] + half[1]))
        grid = np.stack(np.meshgrid(np.linspace(*x_range, 9), np.linspace(*y_range, 9)), -1)
        values = loss.value(grid.reshape(-1, 2))
        levels = np.linspace(values.min(), values.max(), 8)[1:-1]
        fine = int(min(40000, 600 * factor))  # straight-looking pieces at this magnification
        rings = tuple(mc.level_set(loss, level, fine) for level in levels)
        reach = float(np.linalg.norm(half)) / float(np.linalg.norm(landed))  # radians
        angle = mc.angle_of(landed)
        arc = mc.point_on_circle(k, np.linspace(-reach, reach, 400) + angle)
        return Zoom(i, factor, x_range, y_range, unit, rings, arc)

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
            angle = mc.descent_start(loss, params.k, cls.start_arc, outward=True)
            return mc.point_on_circle(params.k, angle)
        away = mc.angle_of(loss.center) + math.pi if np.linalg.norm(loss.center) > 0 else 0.0
        return mc.point_on_circle(0.9 * params.k, away)  # inside, across the origin from ŵ

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
            return cls.alt("inside", w_hat=point_text(s.optimum.w), k=f"{s.k:g}", n=n)
        return cls.alt("text", k=f"{s.k:g}", n=n, end=point_text(end), lam=fixed(s.optimum.lam, 2))

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        s = self.solution
        # --- both problems, the start w₀ and f's formula, from the first frame
        self.draw_problem()
        with self.beat("problem"):
            pass  # the caption reads the picture
        # --- the steps up to the first that leaves the ball, then its projection (zoomed in
        # when it is too short to see at the plot's scale)
        leaving = np.flatnonzero(s.projects)
        last = int(leaving[0]) if len(leaving) else 0
        with self.beat("step") as b:
            drawn = self.first_steps(last)
            if s.projects[last]:
                b.mark("project")
                self.first_projection(last, drawn)
            else:
                self.finish(last, drawn)
        # --- step, project, repeat: to w* on the left, to ŵ on the right
        with self.beat("iterate"):
            self.zoom_out()
            self.iterate(last + 1)
        # --- why w* stays put: the step points straight out and the projection undoes it
        if s.fixed_point is not None:
            with self.beat("fixed") as b:
                self.show_fixed_point()
                b.mark("lam")
                self.show_lambda()
        else:
            with self.beat("inactive"):
                self.show_inactive()

    # --- the picture --------------------------------------------------------------------------

    def draw_problem(self) -> None:
        s, t = self.solution, self.theme
        if s.fixed_point is None:
            self.center_tex = r"w^* = \hat w"  # one point, one label
        self.planes = self.side_by_side(s.view, height=0.45)
        left = self.planes[0]
        titles = VGroup(
            tex(words_tex(self.word("projected"), ball=Maths(r"\|w\|^2 \le k")), t.text, TEXT.body),
            tex(words_tex(self.word("plain")), t.text, TEXT.body),
        )
        top = self.plots().get_top()[1]
        for title, plane in zip(titles, self.planes, strict=True):  # above ŵ's label too
            title.move_to([plane.axes.get_center()[0], top + 0.15 + title.height / 2, 0])
        circle = left.curve(s.circle, t.g, 4)
        target = self.mark("target", Circle(radius=0.14, color=t.optimum, stroke_width=4))
        target.move_to(left.axes.c2p(*s.optimum.w))
        start = s.projected.iterates[0]
        self.starts = [plane.dot(start, t.text, 0.06) for plane in self.planes]
        self.walkers = [plane.dot(start, t.text, 0.08) for plane in self.planes]
        self.left_things = [left.group, circle, target, self.starts[0], self.walkers[0]]
        extra = [titles, circle, target]
        labels = self.place_labels(target)
        extra += [label for label in labels if label is not None]
        self.left_things += [label for label in labels[:2] if label is not None]
        self.trail_lines = [VGroup(), VGroup()]  # the way each descent went: kept to the end
        self.left_things.append(self.trail_lines[0])
        self.formula = VGroup(
            tex(r"f(w) = \|Xw - b\|^2", t.f, TEXT.body),
            tex(r"g(w) = \|w\|^2", t.g, TEXT.body),
            tex(rf"k = {s.k:g}", t.g, TEXT.body),
        ).arrange(RIGHT, buff=0.6)
        self.formula.next_to(self.plots(), DOWN, buff=0.25)
        for plane in self.planes:
            self.add(plane.group)
        self.add(*self.trail_lines, *extra, *self.starts, *self.walkers, self.formula)
        self.key = self.make_key()
        self.trails: list[VGroup] = []

    def place_labels(self, target) -> list:
        """The labels that stay, placed by rule on each plot: ŵ's, w*'s (left) and w₀'s,
        clear of the axes' labels, the dots, the circle, every step's line and arrowhead
        still to come (and the arrow at w*), and each other. Returns [w*, left w₀, right w₀]
        (w* None: inactive)."""
        s, t = self.solution, self.theme
        runs = (s.projected, s.plain)
        self.boxes: list[list[np.ndarray]] = []  # what labels placed later keep clear of
        self.heads: list[list[np.ndarray]] = []  # … of which the steps' arrowheads
        self.lines: list[np.ndarray] = []
        placed = []
        for j, (plane, run) in enumerate(zip(self.planes, runs, strict=True)):
            axes = plane.axes
            way = np.stack([run.iterates[:-1], run.steps], axis=1).reshape(-1, 2)
            lines = [dense(to_scene(axes, way)), dense(to_scene(axes, run.iterates))]
            heads = [tip_box(axes.c2p(*end), 0.2) for end in run.steps]
            if j == 0:
                lines.append(dense(to_scene(axes, s.circle)))
            if j == 0 and s.fixed_point is not None:  # the arrow at w*, drawn last
                ends = np.array([s.optimum.w, s.fixed_point.tip])
                lines.append(dense(to_scene(axes, ends)))
                heads.append(tip_box(axes.c2p(*s.fixed_point.tip), 0.2))
            lines = np.vstack(lines)
            dots = [box_of(plane.center_dot), tip_box(axes.c2p(*run.iterates[0]), 0.09)]
            if j == 0:
                dots.append(box_of(target))
            boxes = [*map(box_of, axes.labels), *dots, *heads]
            bounds = box_of(axes)
            outward = s.view.center if np.any(s.view.center) else np.array([0.0, 1.0])
            place_free(
                plane.center_label,
                plane.center_dot.get_center(),
                around(outward),
                boxes,
                lines,
                bounds,
            )
            boxes.append(box_of(plane.center_label))
            if j == 0:
                star = None
                if s.fixed_point is not None:  # inactive: w* = ŵ, labelled once
                    star = plate(tex(r"w^*", t.optimum, TEXT.body), t)
                    place_free(
                        star,
                        target.get_center(),
                        around(-s.optimum.w),
                        boxes,
                        lines,
                        bounds,
                        gaps=(0.16, 0.25, 0.4),
                    )
                    boxes.append(box_of(star))
                placed.append(star)
            start = plane.dot(run.iterates[0], t.text).get_center()
            label = plate(tex(r"w_0", t.text, TEXT.body), t)
            away = -(run.steps[0] - run.iterates[0])  # opposite the first step
            place_free(label, start, around(away), boxes, lines, bounds, gaps=(0.16, 0.25, 0.4))
            boxes.append(box_of(label))
            placed.append(label)
            self.boxes.append(boxes)
            self.heads.append(heads)
            self.lines.append(lines)
        return placed

    def make_key(self) -> VGroup:
        """What the arrows and dashed lines mean, under f's formula (shown as each first
        appears)."""
        t = self.theme
        step = Arrow(ORIGIN, 0.7 * RIGHT, buff=0, color=t.text, stroke_width=4)
        step.set(tip_length=0.18)
        back = DashedLine(ORIGIN, 0.7 * RIGHT, dash_length=0.08)
        back.set_stroke(t.g, 4)
        entries = VGroup(
            VGroup(step, tex(words_tex(self.word("step"), step=STEP), t.text, TEXT.body)),
            VGroup(back, tex(words_tex(self.word("projection")), t.text, TEXT.body)),
        )
        for sample, words in entries:
            words.next_to(sample, RIGHT, buff=0.2)
        return entries.arrange(RIGHT, buff=0.9).next_to(self.formula, DOWN, buff=0.2)

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
        step = self.visible_arrow(left.axes, was, stepped)
        plain_step = self.visible_arrow(right.axes, plain_was, plain_to)
        back = VMobject()
        if s.projects[i]:
            back = DashedLine(left.axes.c2p(*stepped), left.axes.c2p(*landed), dash_length=0.06)
            back.set_stroke(t.g, 4)
        return VGroup(step, plain_step, back)

    def visible_arrow(self, axes, start, end) -> VMobject:
        """The step as an arrow, or as a plain segment when it is too short for a readable
        arrowhead (under `min_arrow` scene units)."""
        a, b = axes.c2p(*start), axes.c2p(*end)
        if np.linalg.norm(b - a) < self.min_arrow:
            return Line(a, b).set_stroke(self.theme.text, 4)
        return arrow(axes, start, np.asarray(end) - np.asarray(start), self.theme.text, 4)

    def grow(self, mob: VMobject):
        return GrowArrow(mob) if isinstance(mob, Arrow) else Create(mob)

    def play_step(self, i: int, pace: float, extra=()) -> VGroup:
        """Gradient steps on both plots, each walker to the end of its step."""
        s = self.solution
        left, right = self.planes
        self.shown_step = i + 1
        drawn = self.step_arrows(i)
        step, plain_step, _ = drawn
        self.play(
            self.grow(step),
            self.grow(plain_step),
            self.walkers[0].animate.move_to(left.axes.c2p(*s.projected.steps[i])),
            self.walkers[1].animate.move_to(right.axes.c2p(*s.plain.iterates[i + 1])),
            *extra,
            run_time=pace,
        )
        self.add(*self.walkers)
        self.clear_ticks()
        return drawn

    def clear_ticks(self) -> None:
        """A tick value or axis name under an arrowhead on screen gives way (hidden until the
        arrowhead has gone)."""
        heads = [
            bounding_box(m.tip)
            for m in self.get_mobject_family_members()
            if isinstance(m, Arrow) and m.has_tip() and m.get_stroke_opacity() > 0.05
        ]
        for plane in self.planes:
            for number in plane.axes.labels:
                box = bounding_box(number)
                under = any(
                    min(box[2], h[2]) > max(box[0], h[0]) - 0.03
                    and min(box[3], h[3]) > max(box[1], h[1]) - 0.03
                    for h in heads
                )
                number.set_opacity(0.0 if under else 1.0)

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
        self.add(self.walkers[0])

    def finish(self, i: int, drawn: VGroup) -> None:
        """Iteration i is done: its arrows join the (fading) trail of arrows, and its way
        and where it landed join the thin lines and dots that stay to the end."""
        s, t = self.solution, self.theme
        left, right = self.planes
        way = [s.projected.iterates[i], s.projected.steps[i], s.projected.iterates[i + 1]]
        self.trail_lines[0].add(
            left.curve(np.array(way), t.text, 2, stroke_opacity=0.5),
            left.dot(s.projected.iterates[i + 1], t.text, self.iterate_dot),
        )
        plain = s.plain.iterates[i : i + 2]
        self.trail_lines[1].add(
            right.curve(plain, t.text, 2, stroke_opacity=0.5),
            right.dot(plain[1], t.text, self.iterate_dot),
        )
        self.trails.append(drawn)

    def frame_readouts(self) -> dict:
        """The iteration on screen and where it lands, projected and plain."""
        s, i = self.solution, self.shown_step
        return {
            "step": i,
            "w": s.projected.iterates[i].tolist(),
            "w_plain": s.plain.iterates[i].tolist(),
        }

    def first_steps(self, last: int) -> VGroup:
        """The steps up to the first one that leaves the ball (only the first step when none
        does); returns the arrows of that last one."""
        for i in range(last + 1):
            key = [FadeIn(self.key[0])] if i == 0 else []
            drawn = self.play_step(i, self.pace(i), [*key, *self.fade_trail()])
            if i < last:
                self.finish(i, drawn)
        return drawn

    def first_projection(self, i: int, drawn: VGroup) -> None:
        """The first projection: drawn on the plot, or, when it is too short to see there,
        in a window that magnifies it (the plot zooms in; `zoom_out` comes back)."""
        s = self.solution
        self.zoomed = None
        if s.zoom is None or s.zoom.step != i:
            self.play_projection(i, drawn[2], self.pace(i), FadeIn(self.key[1]))
            self.finish(i, drawn)
            return
        t, z, left = self.theme, s.zoom, self.planes[0]
        window = self.zoom_window()
        mark = Rectangle(
            width=max(self.plot_box[0] / z.factor, 0.12),
            height=max(self.plot_box[1] / z.factor, 0.1),
        ).set_stroke(t.text, 3)
        mark.move_to(left.axes.c2p(*np.mean([z.x_range, z.y_range], axis=1)))
        self.play(Create(mark), run_time=0.5)
        shown = [m for m in self.left_things if m in self.mobjects] + [drawn[0]]
        self.play(
            FadeOut(*shown),
            FadeIn(window.group, window.walker),
            mark.animate.replace(window.border, stretch=True),
            run_time=0.8,
        )
        self.remove(mark)
        self.play(
            Create(window.back),
            window.walker.animate.move_to(window.landed),
            FadeIn(self.key[1]),
            run_time=max(self.pace(i), 0.8),
        )
        self.zoomed = (window, shown, i, drawn)

    def zoom_out(self) -> None:
        """Back from the magnified window to the plot, where the projection is drawn too."""
        if getattr(self, "zoomed", None) is None:
            return
        window, shown, i, drawn = self.zoomed
        self.play(FadeOut(window.group, window.back, window.walker), FadeIn(*shown), run_time=0.8)
        self.play_projection(i, drawn[2], 0.4)
        self.finish(i, drawn)
        self.zoomed = None

    def zoom_window(self) -> SimpleNamespace:
        """The magnified window over the left plot: its border, level sets, the circle's arc,
        the step (clipped to it) and a badge with the magnification; the projection's dashed
        line and a walker to play."""
        s, t, z = self.solution, self.theme, self.solution.zoom
        left = self.planes[0]
        size = self.plot_box
        axes = Axes(
            x_range=[*z.x_range, z.x_range[1] - z.x_range[0]],
            y_range=[*z.y_range, z.y_range[1] - z.y_range[0]],
            x_length=size[0],
            y_length=size[1],
        )
        middle = np.mean([z.x_range, z.y_range], axis=1)
        here = left.axes.c2p(*np.mean([s.view.x_range, s.view.y_range], axis=1))
        axes.shift(here - axes.c2p(*middle))  # over the left plot's box
        border = Rectangle(width=size[0], height=size[1]).move_to(axes.c2p(*middle))
        border.set_stroke(t.text, 3).set_fill(t.background, 1.0)
        was, stepped = s.projected.iterates[z.step], s.projected.steps[z.step]
        landed = s.projected.iterates[z.step + 1]
        pieces = clip_polyline(np.array([was, stepped]), z.box)
        step = VMobject()
        if pieces:
            step = self.visible_arrow(axes, pieces[0][0], pieces[0][-1])
        back = DashedLine(axes.c2p(*stepped), axes.c2p(*landed), dash_length=0.1)
        back.set_stroke(t.g, 5)
        walker = Dot(axes.c2p(*stepped), radius=0.1, color=t.text)
        arc = curve(axes, z.arc, t.g, 5, box=z.box)
        zoomed = words_tex(self.word("zoomed")) + rf" \times {z.factor:.0f}"
        badge = plate(tex(zoomed, t.text, TEXT.label), t)
        corners = [border.get_corner(c) for c in (UL, UR, DL, DR)]
        busy = np.array([axes.c2p(*stepped), axes.c2p(*landed), *step.get_anchors()[:1]])
        corner = max(
            range(4), key=lambda k: float(np.min(np.linalg.norm(busy - corners[k], axis=1)))
        )
        badge.move_to(corners[corner]).shift(
            -(np.sign(corners[corner] - border.get_center()))
            * (np.array([badge.width, badge.height, 0]) / 2 + 0.15)
        )
        rings = level_sets(axes, z.rings, t, z.box)
        group = VGroup(border, rings, arc, step, Dot(axes.c2p(*landed), 0.06, color=t.g), badge)
        self.mark("zoom_back", back)
        return SimpleNamespace(
            group=group, border=border, back=back, walker=walker, landed=axes.c2p(*landed)
        )

    def iterate(self, first: int) -> None:
        s, t = self.solution, self.theme
        key_shown = bool(s.projects[:first].any())
        for i in range(first, len(s.projected.steps)):
            drawn = self.play_step(i, self.pace(i), self.fade_trail())
            if s.projects[i]:
                show_key = [] if key_shown else [FadeIn(self.key[1])]
                key_shown = True
                self.play_projection(i, drawn[2], 0.6 * self.pace(i), *show_key)
            self.finish(i, drawn)
        self.play(self.walkers[0].animate.set_color(t.optimum), run_time=0.4)
        self.clear_ticks()

    def pace(self, i: int) -> float:
        """step_time for the first iterations, then faster, and faster again after ten."""
        scale = 1.0 if i < self.fast_after else self.fast_pace if i < 10 else 0.5 * self.fast_pace
        return self.params.step_time * scale

    def fade_trail(self) -> list:
        """Animations that dim the kept arrows and fade out the oldest (issue 14: late
        iterates would otherwise pile into a tangle at w*); the thin lines stay."""
        fades = []
        if len(self.trails) >= self.trail:
            fades.append(FadeOut(self.trails.pop(0)))
        for age, drawn in enumerate(reversed(self.trails)):
            fades.append(drawn.animate.set_opacity(0.7 - 0.25 * age))
        return fades

    def gap_tex(self) -> str:
        """How far the last iterate ended from w*, said on screen (and whether that is
        within half a pixel)."""
        s = self.solution
        n, gap = len(s.projected.steps), s.final_gap
        value = rf"< {fixed(1e-4, 4)}" if gap < 5e-5 else rf"= {fixed(gap, 4)}"
        end = "" if s.converged else r"\ " + words_tex(self.word("not_yet"), w_star=Maths("w^*"))
        gap = Maths(rf"\|w_{{{n}}} - w^*\| {value}{end}")
        return words_tex(self.word("after"), n=n, gap=gap)

    def show_fixed_point(self) -> None:
        s, t = self.solution, self.theme
        left = self.planes[0]
        w_star, tip = s.optimum.w, s.fixed_point.tip
        out = self.mark("fixed_arrow", arrow(left.axes, w_star, tip - w_star, t.f, 5))
        back = DashedLine(left.axes.c2p(*tip), left.axes.c2p(*w_star), dash_length=0.06)
        back.set_stroke(t.g, 4).shift(0.07 * self.normal(tip - w_star))
        label = plate(tex(r"-\nabla f(w^*)", t.f, TEXT.body), t)
        walkers = [box_of(m) for m in self.walkers[:1]]
        shaft = segment_points(out.get_start(), out.get_end())
        # the steps' arrows are gone and the way there is faint: only what stays is avoided
        heads = {id(head) for head in self.heads[0]}
        shown = [b for b in self.boxes[0] if id(b) not in heads]
        place_free(
            label,
            out.get_end(),
            around(tip - w_star),
            [*shown, *walkers, tip_box(out.get_end(), 0.2)],
            np.vstack([dense(to_scene(left.axes, s.circle)), shaft]),
            box_of(left.axes),
        )
        self.why = tex(
            words_tex(self.word("undoes"), fact=Maths(r"w^*\!:\ -\nabla f \parallel w^*,")),
            t.text,
            TEXT.body,
        ).next_to(self.formula, DOWN, buff=0.2)
        arrows = [m for drawn in self.trails for m in drawn]
        self.play(  # the way there stays, fainter, under the arrow at w*
            FadeOut(*arrows, self.key),
            self.trail_lines[0].animate.set_stroke(opacity=0.25),
            run_time=0.5,
        )
        self.trails = []
        self.play(GrowArrow(out), FadeIn(label), run_time=0.8)
        self.clear_ticks()
        self.play(Create(back), FadeIn(self.why), run_time=0.8)

    def show_lambda(self) -> None:
        s, t = self.solution, self.theme
        lam = tex(
            rf"\nabla f(w^*) = -\lambda\, \nabla g(w^*),\quad \lambda = {fixed(s.optimum.lam, 2)}",
            t.optimum,
            TEXT.body,
        )
        line = VGroup(lam, tex(self.gap_tex(), t.text, TEXT.body)).arrange(RIGHT, buff=0.6)
        line.next_to(self.formula, DOWN, buff=0.2)
        self.mark("lam", lam)
        self.mark("gap", line[1])
        self.play(
            FadeOut(self.why),
            FadeIn(line),
            Indicate(self.walkers[0], color=t.optimum),
            run_time=1.0,
        )
        self.take_poster()
        self.wait(self.params.hold_time)

    def normal(self, vector) -> np.ndarray:
        """A unit scene vector across `vector` (to draw the way back beside the way out)."""
        v = np.asarray(vector, dtype=float)
        n = np.array([-v[1], v[0], 0.0])
        return n / max(np.linalg.norm(n), 1e-12)

    def show_inactive(self) -> None:
        t = self.theme
        line = VGroup(
            tex(
                words_tex(
                    self.word("inside"),
                    inside=Maths(r"\|\hat w\|^2 \le k:\ "),
                    answer=Maths(r"w^* = \hat w,\ \lambda = 0"),
                ),
                t.optimum,
                TEXT.body,
            ),
            tex(self.gap_tex(), t.text, TEXT.body),
        ).arrange(RIGHT, buff=0.6)
        line.next_to(self.formula, DOWN, buff=0.2)
        self.mark("lam", line[0])
        self.mark("gap", line[1])
        arrows = [m for drawn in self.trails for m in drawn]
        self.play(FadeOut(*arrows, self.key), FadeIn(line), run_time=0.8)
        self.trails = []
        self.clear_ticks()
        self.take_poster()
        self.wait(self.params.hold_time)
