"""shadow_price — λ is the price of the constraint (seed 002, Part 2).

Left, the 2D picture for a budget k: the circle ‖w‖² = k and the level set touching it at
w*(k). Right, the optimal loss f*(k) = min ‖Xw − b‖² s.t. ‖w‖² ≤ k against k, with the
tangent at the current k and its rise-over-run triangle: one more unit of budget lowers f* by
λ(k), so the slope is −λ(k). As k grows the slope flattens with λ; beyond ‖ŵ‖² the budget
stops binding (w* = ŵ) and the curve is flat. k then glides back to a budget that binds,
the frame that sums the scene up.

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
    Create,
    DashedLine,
    FadeIn,
    Indicate,
    Line,
    Mobject,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    config,
    linear,
    rate_functions,
    smooth,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, param, point_text
from scenes.plane import (
    Maths,
    Panel,
    PlaneScene,
    View,
    around,
    box_of,
    curve,
    dense,
    marker,
    overlap,
    place_free,
    plate,
    readout_rows,
    segment_points,
    tex,
    tip_box,
    to_scene,
    valued_axes,
    words_tex,
)
from scenes.theme import SPACE, TEXT

LOSS_SCALE = 2.0  # the plot shows the seed's loss ||Xw − b||² = 2f, whose slope is −λ


@dataclass(frozen=True)
class ShadowPriceParams(Timed):
    k_min: float | None = param(
        None, "the smallest budget k of the sweep (null: 5% of ||ŵ||², where the slope is steep)"
    )
    k_max: float | None = param(
        None, "the largest budget k (null: 15% past ||ŵ||², where the curve turns flat)"
    )
    sweep_time: float = param(6.0, "seconds for k to grow up to ||ŵ||² (where λ changes)")
    k: float | None = param(
        1.5,
        "the budget the sweep comes back to and ends on, the tangency picture's (null, or a "
        "budget outside the sweep's binding part: the middle of that part)",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("k_min", "k_max", "k"):
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
    circle_label_at: np.ndarray  # the point of each circle farthest from w* and ŵ
    touching: np.ndarray  # the level set of f through w*(k) for each sample
    touching_label_at: np.ndarray  # its point for a label: near w*, not on it, inside the window
    w_hat_norm2: float  # ||ŵ||²: from there on the constraint does not bind
    binding_end: int  # the last sample with k ≤ ||ŵ||² (the sweep beat ends there)
    focus: int  # the sample the scene ends on: the middle of the binding part

    @property
    def binds(self) -> bool:
        """Whether some of the sweep has the constraint binding (λ > 0)."""
        return self.binding_end > 0


class ShadowPrice(PlaneScene):
    """k grows; the tangent of f*(k) has slope −λ(k)."""

    Params = ShadowPriceParams
    plot_box = (6.4, 7.4)
    graph_size = (5.6, 3.2)  # scene units of the f*(k) plot
    binding_samples = 720  # k from k_min to ||ŵ||², log-spaced: more time where λ changes
    flat_samples = 180  # k from ||ŵ||² to k_max
    graph_samples = 400
    flat_time = 1.5  # seconds for k to cross the flat part
    return_time = 4.5  # seconds for k to glide back to the focus sample (slowly)
    min_k_min_share = 0.05  # derived k_min, as a share of ||ŵ||²
    past_flat = 1.15  # derived k_max, as a multiple of ||ŵ||²
    label_margin = 0.1  # share of the window kept clear at its edges for the level set's label
    label_reach = 0.3  # … which sits this share of the window's width from w*
    run_length = 1.1  # the slope triangle's run, in scene units (shorter where it must be)
    thick_clearance = 0.1  # scene units between the touching level set (width 6) and its label
    spot_stride = 8  # where its spot is crowded, every this many points along it are tried
    speck = 0.4  # scene units (22 blog px): a touching level set this small goes unlabelled
    scrub = (
        Scrubbed("k"),
        Scrubbed("w_star"),
        Scrubbed("f_star"),
        Scrubbed("lam"),
    )

    @classmethod
    def solve(cls, params: ShadowPriceParams) -> ShadowSolution:
        loss = params.loss()
        w_hat_norm2 = float(loss.center @ loss.center)
        k_max = params.k_max or (cls.past_flat * w_hat_norm2 if w_hat_norm2 > 0 else 1.0)
        k_min = params.k_min or cls.min_k_min_share * (
            w_hat_norm2 if 0 < w_hat_norm2 < k_max else k_max
        )
        if not k_min < k_max:
            raise ValueError(
                f"k_min = {k_min:g} must be below k_max = {k_max:g}: set both, or leave them unset"
            )
        ks = np.empty(0)
        if k_min < w_hat_norm2:
            ks = np.geomspace(k_min, min(w_hat_norm2, k_max), cls.binding_samples)
            if params.k is not None and ks[0] < params.k < ks[-1]:  # the budget it ends on
                ks = np.insert(ks, np.searchsorted(ks, params.k), params.k)
        if k_max > w_hat_norm2:
            flat = np.linspace(max(k_min, w_hat_norm2), k_max, cls.flat_samples)
            ks = np.concatenate([ks, flat[1:] if len(ks) else flat])
        value_curve = mc.optimal_value_curve(loss, ks, scale=LOSS_SCALE)
        graph_ks = np.geomspace(k_max * 1e-4, k_max, cls.graph_samples)
        graph = mc.optimal_value_curve(loss, graph_ks, scale=LOSS_SCALE)
        at_zero = (0.0, LOSS_SCALE * loss.value(np.zeros(2)))
        circles = np.array([mc.circle(k, 160) for k in ks])
        busy = np.stack([value_curve.w, np.broadcast_to(loss.center, value_curve.w.shape)], 1)
        clearance = np.linalg.norm(circles[:, :, None] - busy[:, None], axis=-1).min(axis=2)
        binding_end = int(np.searchsorted(ks, w_hat_norm2, side="right")) - 1
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
            w_hat_norm2=w_hat_norm2,
            binding_end=max(binding_end, 0),
            focus=cls.focus(ks[: max(binding_end, 0) + 1], params.k),
        )

    @staticmethod
    def focus(binding: np.ndarray, k: float | None) -> int:
        """The sample the scene ends on: the binding budget nearest `k` when `k` lies among
        the `binding` budgets, else the middle one."""
        if k is not None and len(binding) and binding[0] <= k <= binding[-1]:
            return int(np.argmin(np.abs(binding - k)))
        return max(len(binding) - 1, 0) // 2

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
            "w_hat_norm2": s.w_hat_norm2,
            "k_focus": float(c.k[s.focus]),
            "lam_focus": float(c.lam[s.focus]),
            "loss": "||Xw - b||^2 (twice mathcore's f), so slope = -lam",
        }

    @classmethod
    def alt_text(cls, s: ShadowSolution) -> str:
        c = s.curve
        return cls.alt(
            "text",
            k0=fixed(c.k[0], 2),
            k1=fixed(c.k[-1], 2),
            w_hat=point_text(s.view.center),
            lam0=fixed(c.lam[0], 2),
            norm2=fixed(s.w_hat_norm2, 2),
            k_focus=fixed(c.k[s.focus], 2),
            lam_focus=fixed(c.lam[s.focus], 2),
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        s, t = self.solution, self.theme
        # both panels from the first frame: the circle for the smallest budget, the level set
        # touching it at w*; beside it f*(k) for every k, and where k stands on it
        self.make_plane(s.view)
        self.sample = ValueTracker(0)
        now, panel = self.now, self.panel
        title = tex(r"f^*(k) = \min_{\|w\|^2 \le k} \|Xw - b\|^2", t.f, TEXT.body)
        panel.stack(title, Panel.TOP)
        self.readouts = self.mark("readouts", self.make_readouts())
        panel.stack(self.readouts, gap=SPACE.item)
        lesson = VGroup(
            tex(r"\frac{df^*}{dk} = -\lambda", t.text, TEXT.title),
            tex(
                words_tex(self.word("price"), lam_is=Maths(r"\lambda:\ "), k=Maths("k")),
                t.text,
                TEXT.body,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
        self.lesson = self.mark("lesson", lesson)
        # the plot takes the height the other blocks leave (above the data's line, if any)
        note = self.data_line()
        floor = -config.frame_height / 2 + SPACE.edge
        if note is not None:
            floor = max(floor, note.get_top()[1] + SPACE.item)
        height = self.graph_size[1]
        for _ in range(2):
            self.value_axes = self.make_value_axes(height)
            panel.stack(self.value_axes, self.readouts, gap=SPACE.item)
            panel.stack(self.lesson, gap=SPACE.item)
            height -= max(0.0, floor - self.lesson.get_bottom()[1])
        graph = curve(self.value_axes, s.graph, t.f, 4)
        flat = self.flat_marker()
        circle = always_redraw(lambda: self.plane.curve(s.circles[now()], t.g, 4))
        touching = always_redraw(lambda: self.plane.curve(s.touching[now()], t.f, 6))
        w_star = self.mark(
            "w_star", always_redraw(lambda: self.plane.dot(s.curve.w[now()], t.optimum, 0.1))
        )
        plot_dot = self.mark(
            "plot_dot",
            always_redraw(
                lambda: marker(
                    self.value_axes, (s.curve.k[now()], s.curve.f_star[now()]), t.optimum, 0.09
                )
            ),
        )
        self.circle_label = plate(tex(r"\|w\|^2 = k", t.g, TEXT.label), t)
        self.w_label = plate(tex(r"w^*", t.optimum, TEXT.body), t)
        self.same_label = plate(tex(r"w^* = \hat w", t.optimum, TEXT.body), t)
        self.touching_label = plate(tex(r"f = f^*(k)", t.f, TEXT.label), t)
        self.mark("touching_label", self.touching_label)
        self.prepare_plane_labels()
        layout = Mobject().add_updater(lambda _: self.place_plane_labels())
        self.place_plane_labels()
        self.plane.group.remove(self.center_label)  # shown and hidden with the sample: drawn
        # after the layout keeper, so every frame redraws it (not kept in a still backdrop)
        self.show_plane(self.value_axes, title, graph, flat, touching, circle, w_star, plot_dot)
        self.add(layout, self.center_label, self.circle_label, self.touching_label)
        self.add(self.w_label, self.same_label)
        with self.beat("problem") as b:
            b.mark("plot")
            self.play(Indicate(title, color=t.f, scale_factor=1.05), run_time=1.0)

        # the tangent at k and its rise over run: slope −λ
        tangent_line, slope_triangle = self.make_tangent()
        if s.binds:
            with self.beat("tangent"):
                self.readouts.suspend_updating()  # a changing number would not fade in
                self.play(Create(tangent_line), FadeIn(self.readouts), run_time=0.8)
                self.readouts.resume_updating()
                self.triangle_shown = True
                self.play(FadeIn(slope_triangle), run_time=0.8)
        else:  # λ = 0 all along: no triangle to show
            self.add(tangent_line, self.readouts)

        # k grows: the circle widens, w* moves out, λ falls and the slope flattens
        if s.binds:
            with self.beat("sweep", self.params.sweep_time) as b:
                self.play(
                    self.sample.animate.set_value(s.binding_end),
                    run_time=b.duration,
                    rate_func=linear,
                )

        # past ||ŵ||² the budget stops binding: w* = ŵ, λ = 0, the curve is flat
        if s.binding_end < len(s.curve.k) - 1:
            with self.beat("flat"):
                self.play(
                    self.sample.animate.set_value(len(s.curve.k) - 1),
                    run_time=self.flat_time,
                    rate_func=smooth,
                )

        # back, slowly, to a budget that binds: λ is the price of the budget
        with self.beat("price") as b:
            if s.binds:
                self.play(
                    self.sample.animate.set_value(s.focus),
                    run_time=self.return_time,
                    rate_func=rate_functions.ease_in_out_sine,  # at most 1.6 × its mean speed
                )

            # df*/dk = −λ: λ is the price of the budget
            b.mark("lesson")
            self.play(Write(self.lesson), run_time=1.0)
            self.wait(self.params.hold_time)

    def make_readouts(self) -> VGroup:
        """k, λ and the slope −λ, each following the sample shown, in a row."""
        s, t, places = self.solution, self.theme, self.places(self.solution)
        readouts = readout_rows(
            [
                (r"k =", s.curve.k, t.g),
                (r"\lambda =", s.curve.lam, t.optimum),
                (words_tex(self.word("slope")) + r" = -\lambda =", s.curve.slope, t.optimum),
            ],
            self.now,
            decimals=places,
        )
        shown = (s.curve.k, s.curve.lam, s.curve.slope)
        for (_, number), values in zip(readouts, shown, strict=True):
            number.set_value(max(values, key=lambda v: len(fixed(v, places))))  # the widest
        readouts.arrange(RIGHT, buff=SPACE.section)
        if readouts.width > self.panel.width:  # wide numbers: one row each
            readouts.arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
        for _, number in readouts:
            number.update()
        return readouts

    def make_value_axes(self, height: float):
        """f*(k) on valued axes `height` high: k from 0 to past k_max, f* from 0 to the
        curve's top."""
        s, t = self.solution, self.theme
        f_top = float(s.graph[:, 1].max()) or 1.0  # f* ≡ 0 when ŵ = 0
        return valued_axes(
            (0.0, float(s.curve.k[-1]) * 1.04),
            (0.0, f_top * 1.08),
            (self.graph_size[0], height),
            t,
            names=("k", "f^*"),
        )

    def flat_marker(self) -> VGroup:
        """A dashed line at k = ||ŵ||², where the curve turns flat (none if off the plot)."""
        s, t, axes = self.solution, self.theme, self.value_axes
        self.flat_labels = []
        if not 0 < s.w_hat_norm2 < s.curve.k[-1]:
            return VGroup()
        top = axes.y_range[1]
        line = DashedLine(
            axes.c2p(s.w_hat_norm2, 0), axes.c2p(s.w_hat_norm2, top), dash_length=0.08
        )
        line.set_stroke(t.muted, 2)
        label = plate(tex(r"\|\hat w\|^2", t.f, TEXT.label), t)
        place_free(
            label,
            line.get_top(),
            around(DOWN + 0.3 * LEFT),
            [box_of(m) for m in axes.labels],
            dense(to_scene(axes, s.graph)),
            box_of(axes),
        )
        self.flat_labels = [label]
        return VGroup(line, label)

    def make_tangent(self):
        """The tangent at the sample shown, its rise-over-run triangle and the triangle's
        labels (shown once `triangle_shown`), all following the sample."""
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
        fixed_boxes = [box_of(m) for m in [*axes.labels, *self.flat_labels]]
        graph = dense(to_scene(axes, s.graph))

        def place_triangle_labels(_):  # from the samples, not the legs: updaters run in any order
            start, corner, bottom = corners(now())
            visible = self.triangle_shown and np.linalg.norm(bottom - corner) > 0.3
            for label in (run_label, rise_label):
                label.set_opacity(1.0 if visible else 0.0)
            lines = np.vstack(
                [graph, segment_points(start, corner), segment_points(corner, bottom)]
            )
            run_at, rise_at = (start + corner) / 2, (corner + bottom) / 2
            place_free(run_label, run_at, [UP[:2]], fixed_boxes, None, None, gaps=(0.08,))
            placed = [*fixed_boxes, box_of(run_label)]
            place_free(rise_label, rise_at, [RIGHT[:2], LEFT[:2]], placed, lines, None, gaps=(0.1,))

        layout = Mobject().add_updater(place_triangle_labels)
        place_triangle_labels(layout)
        if s.binds:
            self.add(layout, run_label, rise_label)
        return tangent_line, slope_triangle

    def prepare_plane_labels(self) -> None:
        """ŵ's label, placed once on the side away from the way w* comes in (so that w*
        never runs over it), and the lines every plane label keeps off."""
        s, axes = self.solution, self.axes
        self.fixed_boxes = [box_of(m) for m in self.plane.axes.labels]
        self.fixed_boxes.append(box_of(self.center_dot))
        path = s.curve.w[: s.binding_end + 1]
        away = s.view.center - path[max(0, len(path) - len(path) // 4 - 1)]
        if np.linalg.norm(away) < 1e-12:
            away = np.array([0.0, 1.0])
        self.path_points = dense(to_scene(axes, path))
        place_free(
            self.center_label,
            self.center_dot.get_center(),
            around(away),
            self.fixed_boxes,
            self.path_points,
            box_of(axes),
        )
        self.fixed_boxes.append(box_of(self.center_label))

    def place_plane_labels(self) -> None:
        """Every frame, in order, each clear of those placed before it: the circle's label,
        w*'s (w* = ŵ, in place of both, once the budget stops binding) and the touching level
        set's, each off the circle, the level set and w*'s way."""
        s, axes = self.solution, self.axes
        i = self.now()
        binds = s.curve.lam[i] > 0
        circle = dense(to_scene(axes, self.clipped(s.circles[i])))
        level = dense(to_scene(axes, self.clipped(s.touching[i]))) if binds else np.zeros((0, 2))
        lines = np.vstack([circle, level, self.path_points])
        bounds = box_of(axes)
        w_at = axes.c2p(*s.curve.w[i])
        placed = [*self.fixed_boxes, tip_box(w_at, 0.1)]
        at = s.circle_label_at[i]
        place_free(self.circle_label, axes.c2p(*at), around(at), placed, lines, bounds)
        placed.append(box_of(self.circle_label))
        if binds:
            self.center_label.set_opacity(1.0)
            self.same_label.set_opacity(0.0)
            w = s.curve.w[i]  # outwards: between the circle and the level set
            place_free(self.w_label, w_at, around(w), placed, lines, bounds)
            self.w_label.set_opacity(1.0)
            placed.append(box_of(self.w_label))
            at = s.touching_label_at[i]  # its spot, else the nearest one along the curve
            near = self.clipped(s.touching[i])  # that leaves the label clear
            near = near[np.argsort(np.linalg.norm(near - at, axis=1))][:: self.spot_stride]
            for spot in [at, *near]:
                place_free(
                    self.touching_label,
                    axes.c2p(*spot),
                    around(spot - s.view.center),
                    placed,
                    lines,
                    bounds,
                    line_margin=self.thick_clearance,  # its own curve is drawn thick
                )
                if clear_of(box_of(self.touching_label), placed, lines, self.thick_clearance):
                    break
            speck = not len(level) or np.ptp(level[:, :2], axis=0).max() < self.speck
            self.touching_label.set_opacity(0.0 if speck else 1.0)
        else:  # w* = ŵ: one point, one label
            self.center_label.set_opacity(0.0)
            self.w_label.set_opacity(0.0)
            self.touching_label.set_opacity(0.0)
            centre_box = box_of(self.center_label)
            others = [b for b in placed if not np.allclose(b, centre_box)]
            place_free(
                self.same_label,
                self.center_dot.get_center(),
                around(self.center_label.get_center() - self.center_dot.get_center()),
                others,
                lines,
                bounds,
            )
            self.same_label.set_opacity(1.0)

    @classmethod
    def places(cls, solution: ShadowSolution) -> int:
        """Decimals of k and λ: 2, more when the budgets are below 1 (a small c)."""
        return 2 + max(0, -math.floor(math.log10(solution.curve.k[-1])))

    @classmethod
    def scrubbed(cls, solution: ShadowSolution) -> tuple[Scrubbed, ...]:
        places = cls.places(solution)
        return tuple(
            replace(r, decimals=places) if r.key in ("k", "lam") else r
            for r in super().scrubbed(solution)
        )

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


def clear_of(box: np.ndarray, boxes, points: np.ndarray, line_margin: float) -> bool:
    """Whether a label's box overlaps none of `boxes` and keeps `line_margin` from every
    point of `points` (scene units)."""
    if any(overlap(box, other) > 0 for other in boxes):
        return False
    x, y = points[:, 0], points[:, 1]
    m = line_margin
    return not ((x > box[0] - m) & (x < box[2] + m) & (y > box[1] - m) & (y < box[3] + m)).any()
