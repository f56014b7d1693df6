"""kkt_slackness — inactive or active: complementary slackness (seed 002, Part 3).

The unconstrained minimum c travels around a loop that crosses the circle ||w||² = k. While c
is inside, the solution is c itself and λ = 0 (the constraint is inactive); outside, the
solution sits on the circle, where a level set touches it, and λ > 0. The product
λ·(||w*||² − k) stays 0 all the way round. The loop is seamless.

    manim -ql scenes/kkt_slackness.py KktSlackness
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
    ValueTracker,
    VGroup,
    always_redraw,
    config,
    linear,
)

import mathcore as mc
from scenes.base import Problem, nearest, param
from scenes.plane import (
    PlaneScene,
    View,
    curve,
    graph_axes,
    level_sets,
    marker,
    readout_rows,
    tex,
)
from scenes.theme import TEXT


@dataclass(frozen=True)
class KktParams(Problem):
    k: float = param(1.5, "budget: the constraint is ||w||² <= k")
    orbit_center: tuple[float, ...] = param((0.9, 0.6), "centre of the loop c travels")
    orbit_radius: float = param(1.15, "radius of the loop c travels")
    orbit_time: float = param(9.0, "seconds for c to go once round")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.orbit_radius <= 0 or len(self.orbit_center) != 2:
            raise ValueError("orbit_center must be [x, y] and orbit_radius > 0")


@dataclass(frozen=True)
class KktSolution:
    view: View
    k: float
    centers: np.ndarray  # c along the loop, (N, 2), closed
    optima: np.ndarray  # w* for each c
    lams: np.ndarray  # λ for each c
    active: np.ndarray  # whether the constraint binds
    slack: np.ndarray  # ||w*||² − k
    slackness: np.ndarray  # λ·(||w*||² − k): complementary slackness says 0
    rings: list[np.ndarray]  # level sets of f around c = 0 (shifted to each c)
    touching: list[np.ndarray | None]  # the level set through w* where the constraint binds
    circle: np.ndarray  # ||w||² = k
    k_label_at: np.ndarray  # a point on the circle, lower left, for its label

    def index(self, progress: float) -> int:
        return nearest(np.linspace(0.0, 1.0, len(self.centers)), progress)


class KktSlackness(PlaneScene):
    """c loops in and out of the circle; λ switches on and off; λ·(||w||² − k) stays 0."""

    Params = KktParams
    loops = True
    x_range = (-1.6, 2.4)
    y_range = (-1.6, 2.4)
    samples = 361
    ring_count = 7

    @classmethod
    def solve(cls, params: KktParams) -> KktSolution:
        base = params.loss()  # validates H; c moves, H stays
        angle = np.linspace(0.0, 2 * np.pi, cls.samples)
        centers = np.asarray(params.orbit_center) + params.orbit_radius * np.column_stack(
            [np.cos(angle), np.sin(angle)]
        )
        losses = [mc.QuadraticLoss(base.H, c) for c in centers]
        sols = [mc.solve_constrained(loss, params.k) for loss in losses]
        optima = np.array([s.w for s in sols])
        shape = mc.QuadraticLoss(base.H, [0.0, 0.0])
        reach = 0.9 * math.sqrt(params.k)
        levels = mc.level_values(shape, (reach, 0.0), cls.ring_count)
        rings = [mc.level_set(shape, level, 120) for level in levels]
        visible = np.vstack([centers, mc.circle(params.k, 64)])
        return KktSolution(
            view=cls.view(base, visible, rings=[r + centers[0] for r in rings]),
            k=params.k,
            centers=centers,
            optima=optima,
            lams=np.array([s.lam for s in sols]),
            active=np.array([s.active for s in sols]),
            slack=np.sum(optima**2, axis=1) - params.k,
            slackness=np.array([s.lam for s in sols]) * (np.sum(optima**2, axis=1) - params.k),
            rings=rings,
            touching=[
                mc.level_set_through(loss, sol.w, 160) if sol.active else None
                for loss, sol in zip(losses, sols, strict=True)
            ],
            circle=mc.circle(params.k),
            k_label_at=mc.point_on_circle(params.k, -2.3),
        )

    @classmethod
    def results(cls, s: KktSolution) -> dict:
        return {
            "centers": s.centers.tolist(),
            "lams": s.lams.tolist(),
            "active": s.active.tolist(),
            "slackness": s.slackness.tolist(),
        }

    @classmethod
    def alt_text(cls, s: KktSolution) -> str:
        return (
            f"The unconstrained minimum travels a loop in and out of the circle ||w||² = {s.k:g}: "
            "inside, the solution is the minimum itself and λ = 0; outside, the solution sits on "
            f"the circle with λ up to {s.lams.max():.2f}; λ·(||w||² − k) stays 0 throughout."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_everything()
        self.orbit()

    def draw_everything(self) -> None:
        s, t = self.solution, self.theme
        self.make_plane(s.view)
        self.progress = ValueTracker(0.0)
        axes, box = self.axes, self.box

        def now() -> int:
            return s.index(self.progress.get_value())

        rings = always_redraw(
            lambda: level_sets(axes, [r + s.centers[now()] for r in s.rings], t, box)
        )
        circle = curve(axes, s.circle, t.g, 4, box=box)
        path = curve(axes, s.centers, t.f, 2, box=box, stroke_opacity=0.35)
        center = always_redraw(lambda: self.plane.dot(s.centers[now()], t.f, 0.08))
        optimum = always_redraw(lambda: self.plane.dot(s.optima[now()], t.optimum, 0.1))

        def touching():
            ring = s.touching[now()]
            return VGroup() if ring is None else curve(axes, ring, t.f, 4, box=box)

        c_label = tex(r"x^*_{\mathrm{free}}", t.f, TEXT.label)
        c_label.add_updater(lambda m: m.next_to(center, UP, buff=0.08))
        w_label = tex(r"w^*", t.optimum, TEXT.body)
        w_label.add_updater(lambda m: m.next_to(optimum, DOWN + RIGHT, buff=0.04))
        k_label = tex(rf"\|w\|^2 = k = {s.k:g}", t.g, TEXT.label)
        k_label.next_to(axes.c2p(*s.k_label_at), DOWN + LEFT, buff=0.05)
        self.remove(*self.rings)
        self.add(
            rings,
            self.axes,
            path,
            circle,
            always_redraw(touching),
            center,
            optimum,
            c_label,
            w_label,
            k_label,
        )
        self.mark("c", center)
        self.mark("w_star", optimum)
        self.draw_panel(now)

    def draw_panel(self, now) -> None:
        s, t = self.solution, self.theme
        inactive = tex(
            r"\text{inside: inactive, } w^* = x^*_{\mathrm{free}},\ \lambda = 0", t.text, TEXT.label
        )
        active = tex(r"\text{outside: active, } \|w^*\|^2 = k,\ \lambda > 0", t.text, TEXT.label)
        self.in_panel(inactive)
        active.move_to(inactive, aligned_edge=LEFT)
        inactive.add_updater(lambda m: m.set_opacity(0.0 if s.active[now()] else 1.0))
        active.add_updater(lambda m: m.set_opacity(1.0 if s.active[now()] else 0.0))
        rows = readout_rows(
            [
                (r"\lambda =", s.lams, t.optimum),
                (r"\|w^*\|^2 - k =", s.slack, t.g),
                (r"\lambda\,(\|w^*\|^2 - k) =", s.slackness, t.descent),
            ],
            now,
            decimals=3,
        )
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.28)
        self.in_panel(rows, inactive, buff=0.45)
        self.mark("readouts", rows)
        self.add(inactive, active, rows, self.lambda_plot(now, rows))

    def lambda_plot(self, now, above) -> VGroup:
        """λ as c goes round, with the current moment marked."""
        s, t = self.solution, self.theme
        top = float(s.lams.max()) * 1.15 or 1.0
        axes = graph_axes(1.0, top, (4.4, 1.7), t)
        times = np.linspace(0, 1, len(s.lams))
        graph = curve(axes, np.column_stack([times, s.lams]), t.optimum, 3)
        shaded = VGroup(
            *(
                curve(axes, [(x, 0), (x, top)], t.g, 6, stroke_opacity=0.12)
                for x, on in zip(times[::4], s.active[::4], strict=True)
                if on
            )
        )
        cursor = always_redraw(
            lambda: curve(axes, [(times[now()], 0), (times[now()], top)], t.text, 2)
        )
        moment = always_redraw(lambda: marker(axes, (times[now()], s.lams[now()]), t.optimum, 0.06))
        label = tex(r"\lambda \text{ over one loop}", t.muted, TEXT.note)
        label.next_to(axes, UP, buff=0.1).align_to(axes, LEFT)
        note = tex(r"\text{shaded: constraint active}", t.g, TEXT.note)
        note.next_to(axes, DOWN, buff=0.1).align_to(axes, LEFT)
        plot = VGroup(shaded, axes, graph, label, note)
        self.in_panel(plot, above, buff=0.6)
        return VGroup(plot, cursor, moment)

    def orbit(self) -> None:
        self.play(
            self.progress.animate.set_value(1.0), rate_func=linear, run_time=self.params.orbit_time
        )
        self.wait(1 / config.frame_rate)  # one more frame: the last equals the first
