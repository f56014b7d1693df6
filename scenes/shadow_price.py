"""shadow_price — λ is the price of the constraint (seed 002, Part 2).

Left, the 2D picture for a budget k: the circle ||w||² = k and the level set touching it at
w*(k). Right, the optimal loss f*(k) = min ||Xw − b||² s.t. ||w||² ≤ k against k, with the
tangent at the current k and its rise-over-run triangle: one more unit of budget lowers f* by
λ(k), so the slope is −λ(k). As k grows the slope flattens with λ; beyond ||c||² the
constraint stops binding and the curve is flat.

    manim -ql scenes/shadow_price.py ShadowPrice
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    FadeIn,
    Line,
    Mobject,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    linear,
    smooth,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, param, point_text
from scenes.plane import (
    PlaneScene,
    View,
    around,
    curve,
    marker,
    place_clear,
    plate,
    readout_rows,
    tex,
)
from scenes.theme import TEXT, Theme

LOSS_SCALE = 2.0  # the plot shows the seed's loss ||Xw − b||² = 2f, whose slope is −λ


@dataclass(frozen=True)
class ShadowPriceParams(Timed):
    k_min: float | None = param(
        None, "the smallest budget k of the sweep (null: 5% of ||c||², where the slope is steep)"
    )
    k_max: float | None = param(
        None, "the largest budget k (null: 15% past ||c||², where the curve turns flat)"
    )
    sweep_time: float = param(6.0, "seconds for k to grow up to ||c||² (where λ changes)")

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("k_min", "k_max"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a budget > 0 (or null to derive it), got {value}")
        if self.k_min is not None and self.k_max is not None and self.k_min >= self.k_max:
            raise ValueError(f"need k_min < k_max, got k_min = {self.k_min}, k_max = {self.k_max}")


@dataclass(frozen=True)
class ShadowSolution:
    view: View
    graph: np.ndarray  # the whole curve (k, f*(k)) from k = 0 to k_max, drawn at once
    curve: mc.OptimalValueCurve  # the sweep's samples: f*(k) of ||Xw − b||², slopes −λ
    circles: np.ndarray  # ||w||² = k for each sample
    circle_label_at: np.ndarray  # the point of each circle farthest from w* and c
    touching: np.ndarray  # the level set of f through w*(k) for each sample
    touching_label_at: np.ndarray  # its point for a label: near w*, not on it, inside the window
    c_norm2: float  # ||c||²: from there on the constraint does not bind
    binding_end: int  # the last sample with k ≤ ||c||² (the sweep beat ends there)
    focus: int  # the sample the scene ends on: the middle of the binding part

    @property
    def binds(self) -> bool:
        """Whether some of the sweep has the constraint binding (λ > 0)."""
        return self.binding_end > 0


class ShadowPrice(PlaneScene):
    """k grows; the tangent of f*(k) has slope −λ(k)."""

    Params = ShadowPriceParams
    script = "shadow_price"
    beats = ("problem", "tangent", "sweep", "flat", "price")
    plot_box = (6.4, 7.4)
    graph_size = (5.6, 3.8)  # scene units of the f*(k) plot
    binding_samples = 720  # k from k_min to ||c||², log-spaced: more time where λ changes
    flat_samples = 180  # k from ||c||² to k_max
    graph_samples = 400
    flat_time = 1.5  # seconds for k to cross the flat part
    return_time = 1.5  # seconds for k to come back to the focus sample
    min_k_min_share = 0.05  # derived k_min, as a share of ||c||²
    past_flat = 1.15  # derived k_max, as a multiple of ||c||²
    label_margin = 0.1  # share of the window kept clear at its edges for the level set's label
    label_reach = 0.3  # … which sits this share of the window's width from w*
    run_length = 1.1  # the slope triangle's run, in scene units (shorter where it must be)
    scrub = (
        Scrubbed("k", "k"),
        Scrubbed("w_star", "w*"),
        Scrubbed("f_star", "f*(k)"),
        Scrubbed("lam", "λ = −slope"),
    )

    @classmethod
    def solve(cls, params: ShadowPriceParams) -> ShadowSolution:
        loss = params.loss()
        c_norm2 = float(loss.center @ loss.center)
        k_max = params.k_max or (cls.past_flat * c_norm2 if c_norm2 > 0 else 1.0)
        k_min = params.k_min or cls.min_k_min_share * (c_norm2 if 0 < c_norm2 < k_max else k_max)
        if not k_min < k_max:
            raise ValueError(
                f"k_min = {k_min:g} must be below k_max = {k_max:g}: set both, or leave them unset"
            )
        ks = np.empty(0)
        if k_min < c_norm2:
            ks = np.geomspace(k_min, min(c_norm2, k_max), cls.binding_samples)
        if k_max > c_norm2:
            flat = np.linspace(max(k_min, c_norm2), k_max, cls.flat_samples)
            ks = np.concatenate([ks, flat[1:] if len(ks) else flat])
        value_curve = mc.optimal_value_curve(loss, ks, scale=LOSS_SCALE)
        graph_ks = np.geomspace(k_max * 1e-4, k_max, cls.graph_samples)
        graph = mc.optimal_value_curve(loss, graph_ks, scale=LOSS_SCALE)
        at_zero = (0.0, LOSS_SCALE * loss.value(np.zeros(2)))
        circles = np.array([mc.circle(k, 160) for k in ks])
        busy = np.stack([value_curve.w, np.broadcast_to(loss.center, value_curve.w.shape)], 1)
        clearance = np.linalg.norm(circles[:, :, None] - busy[:, None], axis=-1).min(axis=2)
        binding_end = int(np.searchsorted(ks, c_norm2, side="right")) - 1
        view = cls.view(loss, mc.circle(k_max, 64))
        touching = np.array([mc.level_set_through(loss, w) for w in value_curve.w])
        return ShadowSolution(
            view=view,
            graph=np.vstack([at_zero, np.column_stack([graph.k, graph.f_star])]),
            curve=value_curve,
            circles=circles,
            circle_label_at=circles[np.arange(len(ks)), np.argmax(clearance, axis=1)],
            touching=touching,
            touching_label_at=cls.label_spots(touching, value_curve.w, view),
            c_norm2=c_norm2,
            binding_end=max(binding_end, 0),
            focus=max(binding_end, 0) // 2,
        )

    @classmethod
    def label_spots(cls, curves: np.ndarray, points: np.ndarray, view: View) -> np.ndarray:
        """For each curve, a spot for its label: about `label_reach` of the window's width
        from the matching point, inside the window less a margin, and near the previous
        curve's spot, so that the label glides instead of jumping sides (the point itself
        where no part of the curve is inside)."""
        x0, x1, y0, y1 = view.box
        width, margin = x1 - x0, cls.label_margin * (x1 - x0)
        inside = (
            (curves[..., 0] > x0 + margin)
            & (curves[..., 0] < x1 - margin)
            & (curves[..., 1] > y0 + margin)
            & (curves[..., 1] < y1 - margin)
        )
        miss = np.abs(np.linalg.norm(curves - points[:, None], axis=-1) - cls.label_reach * width)
        spots, previous = np.array(points, dtype=float), None
        for i, curve_points in enumerate(curves):
            if not inside[i].any():
                continue
            cost = miss[i] + (
                0 if previous is None else np.linalg.norm(curve_points - previous, axis=1)
            )
            previous = spots[i] = curve_points[np.argmin(np.where(inside[i], cost, np.inf))]
        return spots

    @classmethod
    def results(cls, s: ShadowSolution) -> dict:
        c = s.curve
        return {
            "k_values": c.k.tolist(),
            "f_star": c.f_star.tolist(),
            "slopes": c.slope.tolist(),
            "lams": c.lam.tolist(),
            "k_min": float(c.k[0]),
            "k_max": float(c.k[-1]),
            "lam_start": float(c.lam[0]),
            "c_norm2": s.c_norm2,
            "k_focus": float(c.k[s.focus]),
            "lam_focus": float(c.lam[s.focus]),
            "loss": "||Xw - b||^2 (twice mathcore's f), so slope = -lam",
        }

    @classmethod
    def alt_text(cls, s: ShadowSolution) -> str:
        c = s.curve
        return (
            f"Left, the circle ||w||² = k and the level set of the loss touching it at w*; "
            f"right, the optimal loss f*(k) against k with its tangent and a rise-over-run "
            f"triangle. As the budget k grows from {fixed(c.k[0], 2)} to {fixed(c.k[-1], 2)}, "
            f"the circle widens, w* moves towards c = {point_text(s.view.center)} and the "
            f"tangent's slope, always −λ, flattens from −{fixed(c.lam[0], 2)} to 0; beyond "
            f"k = ||c||² = {fixed(s.c_norm2, 2)} the curve is flat."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_problem()
        self.draw_tangent()
        if self.solution.binds:
            self.grow_budget()
        if self.solution.binding_end < len(self.solution.curve.k) - 1:
            self.cross_flat_part()
        self.state_the_price()

    def draw_problem(self) -> None:
        s, t = self.solution, self.theme
        self.make_plane(s.view)
        self.plane.group.to_edge(LEFT, buff=0.3)
        self.sample = ValueTracker(0)
        now, places = self.now, self.places(s)
        title = tex(r"f^*(k) = \min_{\|w\|^2 \le k} \|Xw - b\|^2", t.f, TEXT.body)
        self.readouts = self.mark(
            "readouts",
            readout_rows(
                [
                    (r"k =", s.curve.k, t.g),
                    (r"\lambda =", s.curve.lam, t.optimum),
                    (r"\text{slope} = -\lambda =", s.curve.slope, t.optimum),
                ],
                now,
                decimals=places,
            ),
        )
        shown = (s.curve.k, s.curve.lam, s.curve.slope)
        for (_, number), values in zip(self.readouts, shown, strict=True):
            number.set_value(max(values, key=lambda v: len(fixed(v, places))))  # the widest
        self.readouts.arrange(RIGHT, buff=0.45)
        for _, number in self.readouts:
            number.update()
        self.value_axes = value_axes(s.graph, s.curve.k[-1], self.graph_size, t)
        self.lesson = self.mark(
            "lesson",
            VGroup(
                tex(r"\frac{df^*}{dk} = -\lambda", t.text, TEXT.title),
                tex(
                    r"\lambda:\ \text{the loss one more unit of } k \text{ saves}",
                    t.text,
                    TEXT.body,
                ),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.2),
        )
        right_panel = VGroup(title, self.readouts, self.value_axes, self.lesson)
        right_panel.arrange(DOWN, aligned_edge=LEFT, buff=0.35).to_edge(UP, buff=0.25)
        right_panel.to_edge(RIGHT, buff=0.3)
        center_at = self.center_dot.get_center()
        place_clear(self.center_label, center_at, around(UP), self.axes.labels, self.axes, 0.06)
        graph = curve(self.value_axes, s.graph, t.f, 4)
        flat = self.flat_marker()

        circle = always_redraw(lambda: self.plane.curve(s.circles[now()], t.g, 4))
        touching = always_redraw(lambda: self.plane.curve(s.touching[now()], t.f, 6))
        w_star = self.mark(
            "w_star", always_redraw(lambda: self.plane.dot(s.curve.w[now()], t.optimum, 0.1))
        )
        plot_dot = always_redraw(
            lambda: marker(
                self.value_axes, (s.curve.k[now()], s.curve.f_star[now()]), t.optimum, 0.09
            )
        )
        self.mark("plot_dot", plot_dot)
        self.circle_label = plate(tex(r"\|w\|^2 = k", t.g, TEXT.label), t)
        self.w_label = plate(tex(r"w^*", t.optimum, TEXT.body), t)
        self.touching_label = plate(tex(r"f = f^*(k)", t.f, TEXT.label), t)

        def place_plane_labels(_):  # in order, each clear of the ones placed before it
            i, axes = now(), self.axes
            at = s.circle_label_at[i]
            place_clear(self.circle_label, axes.c2p(*at), around(at), self.plane.labels, axes)
            w = s.curve.w[i]  # outwards: between the circle and the level set, clear of both
            obstacles = [*self.plane.labels, self.circle_label]
            place_clear(self.w_label, axes.c2p(*w), around(w), obstacles, axes, gap=0.15)
            at = s.touching_label_at[i]  # outside the level set, clear of the labels before
            self.touching_label.set_opacity(1.0 if s.curve.lam[i] > 0 else 0.0)
            obstacles.append(self.w_label)
            place_clear(
                self.touching_label, axes.c2p(*at), around(at - s.view.center), obstacles, axes
            )

        layout = Mobject().add_updater(place_plane_labels)
        place_plane_labels(layout)
        self.show_plane(
            self.value_axes, title, graph, flat, touching, circle, w_star, plot_dot, layout
        )
        self.add(self.circle_label, self.w_label, self.touching_label)
        with self.beat("problem"):
            pass  # both panels are there from the first frame; the caption explains them

    def flat_marker(self) -> VGroup:
        """A dashed line at k = ||c||², where the curve turns flat (none if off the plot)."""
        s, t, axes = self.solution, self.theme, self.value_axes
        self.flat_labels = []
        if not 0 < s.c_norm2 < s.curve.k[-1]:
            return VGroup()
        top = axes.y_range[1]
        line = DashedLine(axes.c2p(s.c_norm2, 0), axes.c2p(s.c_norm2, top), dash_length=0.08)
        line.set_stroke(t.muted, 2)
        label = plate(tex(r"\|x^*_{\mathrm{free}}\|^2", t.f, TEXT.label), t)
        place_clear(label, line.get_top(), around(DOWN), axes.labels, axes, gap=0.05)
        self.flat_labels = [label]
        return VGroup(line, label)

    def draw_tangent(self) -> None:
        s, t, axes = self.solution, self.theme, self.value_axes
        now = self.now
        per_k = axes.c2p(1, 0)[0] - axes.c2p(0, 0)[0]  # scene units per unit of k
        box = (0, axes.x_range[1], 0, axes.y_range[1])

        def run(i: int) -> float:
            """The triangle's run Δk: `run_length` long, shorter where the rise would leave
            the plot or the run would pass its right edge."""
            k, f, lam = s.curve.k[i], s.curve.f_star[i], s.curve.lam[i]
            limits = [self.run_length / per_k, 0.95 * (axes.x_range[1] - k)]
            return min(limits + ([0.8 * f / lam] if lam > 0 else []))

        def tangent():
            i = now()
            k, f, slope = s.curve.k[i], s.curve.f_star[i], s.curve.slope[i]
            before, after = 0.6 / per_k, run(i) + 0.6 / per_k
            ends = [(k - before, f - before * slope), (k + after, f + after * slope)]
            return curve(axes, ends, t.muted, 3, box=box)

        def corners(i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            """The triangle at sample i: the tangent point, the run's end, the rise's end."""
            k, f, slope = s.curve.k[i], s.curve.f_star[i], s.curve.slope[i]
            dk = run(i)
            return axes.c2p(k, f), axes.c2p(k + dk, f), axes.c2p(k + dk, f + slope * dk)

        def triangle():
            start, corner, bottom = corners(now())
            return VGroup(
                Line(start, corner, color=t.g, stroke_width=5),
                Line(corner, bottom, color=t.optimum, stroke_width=5),
            )

        tangent_line, slope_triangle = always_redraw(tangent), always_redraw(triangle)
        self.mark("triangle", slope_triangle)
        run_label = plate(tex(r"\Delta k", t.g, TEXT.label), t)
        rise_label = plate(tex(r"\lambda\,\Delta k", t.optimum, TEXT.label), t)
        self.triangle_shown = False
        fixed_labels = [*axes.labels, *self.flat_labels]

        def place_triangle_labels(_):  # from the samples, not the legs: updaters run in any order
            start, corner, bottom = corners(now())
            visible = self.triangle_shown and np.linalg.norm(bottom - corner) > 0.3
            for label in (run_label, rise_label):
                label.set_opacity(1.0 if visible else 0.0)
            run_at, rise_at = (start + corner) / 2, (corner + bottom) / 2
            place_clear(run_label, run_at, [UP[:2]], fixed_labels, axes, gap=0.08)
            placed = [*fixed_labels, run_label]
            place_clear(rise_label, rise_at, [RIGHT[:2], LEFT[:2]], placed, axes, gap=0.1)

        layout = Mobject().add_updater(place_triangle_labels)
        place_triangle_labels(layout)
        if not s.binds:  # λ = 0 all along: no triangle to show
            self.add(tangent_line, self.readouts)
            return
        self.add(layout, run_label, rise_label)
        with self.beat("tangent"):
            self.play(Create(tangent_line), FadeIn(self.readouts), run_time=0.8)
            self.triangle_shown = True
            self.play(FadeIn(slope_triangle), run_time=0.8)

    def grow_budget(self) -> None:
        with self.beat("sweep", self.params.sweep_time) as b:
            self.play(
                self.sample.animate.set_value(self.solution.binding_end),
                run_time=b.duration,
                rate_func=linear,
            )

    def cross_flat_part(self) -> None:
        with self.beat("flat"):
            self.play(
                self.sample.animate.set_value(len(self.solution.curve.k) - 1),
                run_time=self.flat_time,
                rate_func=smooth,
            )

    def state_the_price(self) -> None:
        s = self.solution
        with self.beat("price"):  # back to the middle of the sweep: the frame that sums it up
            if s.binds:
                self.play(self.sample.animate.set_value(s.focus), run_time=self.return_time)
            self.play(Write(self.lesson), run_time=1.0)
            self.wait(self.params.hold_time)

    @classmethod
    def places(cls, solution: ShadowSolution) -> int:
        """Decimals of k and λ: 2, more when the budgets are below 1 (a small c)."""
        return 2 + max(0, -math.floor(math.log10(solution.curve.k[-1])))

    @classmethod
    def scrubbed(cls, solution: ShadowSolution) -> tuple[Scrubbed, ...]:
        places = cls.places(solution)
        return tuple(replace(r, decimals=places) if r.key in ("k", "lam") else r for r in cls.scrub)

    def now(self) -> int:
        """The sample shown now."""
        return round(self.sample.get_value())

    def frame_readouts(self) -> dict:
        c, i = self.solution.curve, self.now() if hasattr(self, "sample") else 0
        return {
            "k": float(c.k[i]),
            "w_star": c.w[i].tolist(),
            "f_star": float(c.f_star[i]),
            "lam": float(c.lam[i]),
        }


def nice_step(span: float, ticks: int = 4) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` ticks."""
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return power * min((m for m in (1, 2, 2.5, 5, 10) if m * power >= raw), default=10)


def value_axes(graph: np.ndarray, k_max: float, size, theme: Theme) -> Axes:
    """Axes for f*(k): k from 0 to k_max, f* from 0 to the curve's top, with valued ticks
    (plated numbers below and left of the axes) and the axis names k and f*."""
    f_top = float(graph[:, 1].max()) or 1.0  # f* ≡ 0 when c = 0
    x_step, y_step = nice_step(k_max), nice_step(f_top)
    x_max, y_max = k_max * 1.04, f_top * 1.08
    axes = Axes(
        x_range=[0, x_max, x_step],
        y_range=[0, y_max, y_step],
        x_length=size[0],
        y_length=size[1],
        tips=False,
        axis_config={"color": theme.muted, "stroke_width": 2, "tick_size": 0.05},
    )
    numbers = VGroup()
    for top, step, axis in ((x_max, x_step, 0), (y_max, y_step, 1)):
        for n in range(1, math.floor(top / step - 0.25) + 1):
            value = tex(f"{n * step:g}", theme.muted, TEXT.note)
            at = axes.c2p(n * step, 0) if axis == 0 else axes.c2p(0, n * step)
            value.next_to(at, DOWN if axis == 0 else LEFT, buff=0.08)
            numbers.add(plate(value, theme, buff=0.03))
    k_name = plate(tex("k", theme.muted, TEXT.body), theme)
    k_name.next_to(axes.x_axis.get_end(), RIGHT, buff=0.1)
    f_name = plate(tex("f^*", theme.muted, TEXT.body), theme)
    f_name.next_to(axes.y_axis.get_end(), LEFT, buff=0.1)
    names = VGroup(k_name, f_name)
    axes.add(numbers, names)
    axes.labels = [*numbers, *names]
    return axes
