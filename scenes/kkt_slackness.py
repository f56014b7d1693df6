"""kkt_slackness — inactive or active: complementary slackness (seed 002, Part 3).

The unconstrained minimum c travels around a loop that crosses the circle ||w||² = k: the loop
stands for changing data (each c is the least-squares solution of another data set). While c
is inside, the solution is c itself and λ = 0 (the constraint is inactive); outside, the
solution sits on the circle, where a level set touches it, and λ > 0. The product
λ·(||w*||² − k) stays 0 all the way round. The loop is seamless and runs at constant speed:
its beats are the arcs inside, outside and inside again.

    manim -ql scenes/kkt_slackness.py KktSlackness
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    DashedVMobject,
    Mobject,
    Rectangle,
    ValueTracker,
    VGroup,
    always_redraw,
    linear,
)

import mathcore as mc
from narration import fixed
from scenes.base import Problem, Scrubbed, nearest, param
from scenes.plane import (
    PlaneScene,
    View,
    around,
    curve,
    graph_axes,
    level_sets,
    marker,
    place_clear,
    plate,
    readout_rows,
    tex,
)
from scenes.theme import TEXT


@dataclass(frozen=True)
class KktParams(Problem):
    k: float = param(1.5, "budget: the constraint is ||w||² <= k")
    orbit_center: tuple[float, ...] | None = param(
        None, "centre of the loop c travels (null: 0.75 √k along c's direction)"
    )
    orbit_radius: float | None = param(
        None, "radius of the loop c travels (null: 0.85 √k, so it runs inside and outside)"
    )
    orbit_time: float = param(12.0, "seconds for c to go once round (longer if words need it)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not (math.isfinite(self.k) and self.k > 0):
            raise ValueError(f"k must be a budget > 0, got {self.k}")
        if self.orbit_radius is not None and not self.orbit_radius > 0:
            raise ValueError(f"orbit_radius must be > 0, got {self.orbit_radius}")
        if self.orbit_center is not None and len(self.orbit_center) != 2:
            raise ValueError("orbit_center must be [x, y]")
        if not 3.0 <= self.orbit_time <= 60.0:
            raise ValueError(f"orbit_time must be 3–60 s, got {self.orbit_time}")


@dataclass(frozen=True)
class KktSolution:
    view: View
    k: float
    centers: np.ndarray  # c along the loop, (N, 2), closed, starting where it enters the circle
    optima: np.ndarray  # w* for each c
    lams: np.ndarray  # λ for each c
    active: np.ndarray  # whether the constraint binds
    slack: np.ndarray  # ||w*||² − k
    slackness: np.ndarray  # λ·(||w*||² − k): complementary slackness says 0
    rings: list[np.ndarray]  # level sets of f around c = 0 (shifted to each c)
    touching: list[np.ndarray | None]  # the level set through w* where the constraint binds
    circle: np.ndarray  # ||w||² = k
    k_label_at: np.ndarray  # the point of the circle farthest from the loop
    loop_label_at: np.ndarray  # the point of the loop farthest from the circle
    arcs: tuple[tuple[str, int, int], ...]  # the beats: (id, first sample, last sample)
    poster: int  # the sample with the largest λ

    def index(self, progress: float) -> int:
        return nearest(np.linspace(0.0, 1.0, len(self.centers)), progress)


class KktSlackness(PlaneScene):
    """c loops in and out of the circle; λ switches on and off; λ·(||w||² − k) stays 0."""

    Params = KktParams
    script = "kkt_slackness"
    beats = ("inside", "outside", "product")
    scrub = (
        Scrubbed("progress", "along the loop"),
        Scrubbed("center", "x*_free"),
        Scrubbed("w_star", "w*"),
        Scrubbed("lam", "λ"),
        Scrubbed("slack", "‖w*‖² − k"),
        Scrubbed("product", "λ·(‖w*‖² − k)"),
    )
    loops = True
    samples = 721
    ring_count = 14
    default_center = 0.75  # the derived loop's centre: this many √k along c's direction
    default_radius = 0.85  # the derived loop's radius, in units of √k

    @classmethod
    def orbit(cls, params: KktParams, center: np.ndarray) -> tuple[np.ndarray, float]:
        """The loop's centre and radius: the user's, else 0.75 √k in c's direction with
        radius 0.85 √k, so that c spends time both inside and outside."""
        root = math.sqrt(params.k)
        norm = float(np.linalg.norm(center))
        direction = center / norm if norm > 1e-12 else np.array([1.0, 0.0])
        middle = np.asarray(params.orbit_center or cls.default_center * root * direction, float)
        return middle, params.orbit_radius or cls.default_radius * root

    @classmethod
    def solve(cls, params: KktParams) -> KktSolution:
        base = params.loss()  # validates H; c moves, H stays
        middle, radius = cls.orbit(params, base.center)
        probe = np.linspace(0.0, 2 * np.pi, cls.samples)[:-1]
        ring = middle + radius * np.column_stack([np.cos(probe), np.sin(probe)])
        inside = np.sum(ring**2, axis=1) <= params.k
        if inside.all() or not inside.any():
            where = "inside" if inside.all() else "outside"
            raise ValueError(
                f"the loop of c stays {where} the circle ||w||² = {params.k:g}: choose "
                "orbit_center and orbit_radius so that it crosses it (or leave them unset)"
            )
        entering = int(np.flatnonzero(inside & ~np.roll(inside, 1))[0])  # the loop starts there
        angle = probe[entering] + np.linspace(0.0, 2 * np.pi, cls.samples)
        centers = middle + radius * np.column_stack([np.cos(angle), np.sin(angle)])
        losses = [mc.QuadraticLoss(base.H, c) for c in centers]
        sols = [mc.solve_constrained(loss, params.k) for loss in losses]
        optima = np.array([s.w for s in sols])
        lams = np.array([s.lam for s in sols])
        active = np.array([s.active for s in sols])
        out = int(np.argmax(active))  # the first sample outside
        half = (out + cls.samples - 1) // 2  # halfway round the outside arc
        shape = mc.QuadraticLoss(base.H, [0.0, 0.0])
        visible = np.vstack([centers, mc.circle(params.k, 64)])
        view = cls.view(losses[0], visible, rings=[])  # c itself is not drawn: the loop is
        span = max(view.x_range[1] - view.x_range[0], view.y_range[1] - view.y_range[0])
        levels = mc.level_values(shape, (span, 0.0), cls.ring_count)  # past every edge
        rings = [mc.level_set(shape, level, 160) for level in levels]
        circle = mc.circle(params.k)
        gap = np.linalg.norm(circle[:, None] - centers[None], axis=-1).min(axis=1)
        away = np.abs(np.sqrt(np.sum(centers**2, axis=1)) - math.sqrt(params.k))
        return KktSolution(
            view=dataclasses.replace(view, rings=tuple(r + centers[0] for r in rings)),
            k=params.k,
            centers=centers,
            optima=optima,
            lams=lams,
            active=active,
            slack=np.sum(optima**2, axis=1) - params.k,
            slackness=lams * (np.sum(optima**2, axis=1) - params.k),
            rings=rings,
            touching=[
                mc.level_set_through(loss, sol.w, 160) if sol.active else None
                for loss, sol in zip(losses, sols, strict=True)
            ],
            circle=circle,
            k_label_at=circle[int(np.argmax(gap))],
            loop_label_at=centers[int(np.argmax(away))],
            arcs=(("inside", 0, out), ("outside", out, half), ("product", half, cls.samples - 1)),
            poster=int(np.argmax(lams)),
        )

    @classmethod
    def results(cls, s: KktSolution) -> dict:
        return {
            "k": s.k,
            "centers": s.centers.tolist(),
            "lams": s.lams.tolist(),
            "active": s.active.tolist(),
            "slackness": s.slackness.tolist(),
            "lam_max": float(s.lams.max()),
        }

    @classmethod
    def alt_text(cls, s: KktSolution) -> str:
        return (
            f"The unconstrained minimum travels a loop in and out of the circle ||w||² = {s.k:g}, "
            "as the data change: inside, the solution is the minimum itself and λ = 0; outside, "
            f"the solution sits on the circle with λ up to {fixed(s.lams.max(), 2)}; "
            "λ·(||w||² − k) stays 0 throughout."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        s = self.solution
        self.draw_everything()
        seconds = self.loop_seconds()
        for beat, first, last in s.arcs:  # constant speed: each arc lasts its share of the loop
            share = (last - first) / (len(s.centers) - 1)
            with self.beat(beat, share * seconds):
                self.play(
                    self.progress.animate.set_value(last / (len(s.centers) - 1)),
                    rate_func=linear,
                    run_time=share * seconds,
                )
                if first <= s.poster < last:
                    self.poster_at(s.poster)

    def loop_seconds(self) -> float:
        """orbit_time, or longer when an arc is too short for its words at constant speed."""
        s = self.solution
        total = len(s.centers) - 1
        need = max(self.pacing.need(b) * total / max(last - first, 1) for b, first, last in s.arcs)
        return max(self.params.orbit_time, need)

    def poster_at(self, sample: int) -> None:
        """Keep the frame at `sample` as the poster (the constraint binding hardest), without
        playing it: the tracker goes there and back."""
        before = self.progress.get_value()
        self.progress.set_value(sample / (len(self.solution.centers) - 1))
        self.update_mobjects(0)
        self.take_poster()
        self.progress.set_value(before)
        self.update_mobjects(0)

    def frame_readouts(self) -> dict:
        s = self.solution
        progress = getattr(self, "progress", None)
        i = 0 if progress is None else s.index(progress.get_value())
        return {
            "progress": i / (len(s.centers) - 1),
            "center": s.centers[i].tolist(),
            "w_star": s.optima[i].tolist(),
            "lam": float(s.lams[i]),
            "slack": float(s.slack[i]),
            "product": float(s.slackness[i]),
        }

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
        path = DashedVMobject(curve(axes, s.centers, t.f, 3, box=box), num_dashes=70)
        center = always_redraw(lambda: self.plane.dot(s.centers[now()], t.f, 0.08))
        optimum = always_redraw(lambda: self.plane.dot(s.optima[now()], t.optimum, 0.1))

        def touching():
            ring = s.touching[now()]
            return VGroup() if ring is None else curve(axes, ring, t.f, 4, box=box)

        k_label = plate(tex(rf"\|w\|^2 = k = {s.k:g}", t.g, TEXT.label), t)
        place_clear(k_label, axes.c2p(*s.k_label_at), around(s.k_label_at), axes.labels, axes)
        loop_label = plate(
            tex(r"\text{path of } x^*_{\mathrm{free}}\text{: the data change}", t.f, TEXT.label), t
        )
        at = s.loop_label_at
        place_clear(loop_label, axes.c2p(*at), around(at), [*axes.labels, k_label], axes, gap=0.15)
        c_label = plate(tex(r"x^*_{\mathrm{free}}", t.f, TEXT.label), t)
        w_label = plate(tex(r"w^*", t.optimum, TEXT.body), t)
        fixed_labels = [*axes.labels, k_label, loop_label]

        def place_labels(_):  # in order, each clear of the ones placed before it
            i = now()
            w, c = s.optima[i], s.centers[i]
            place_clear(
                w_label, axes.c2p(*w), around(w if np.any(w) else UP[:2]), fixed_labels, axes
            )
            inward = c - w if s.active[i] else c
            placed = [*fixed_labels, w_label]
            place_clear(
                c_label, axes.c2p(*c), around(inward if np.any(inward) else UP[:2]), placed, axes
            )

        layout = Mobject().add_updater(place_labels)
        place_labels(layout)
        self.remove(*self.rings)
        self.add(
            rings,
            self.axes,
            path,
            circle,
            always_redraw(touching),
            center,
            optimum,
            layout,
            k_label,
            loop_label,
            c_label,
            w_label,
        )
        self.mark("c", center)
        self.mark("w_star", optimum)
        self.mark("loop_label", loop_label)
        self.draw_panel(now)

    def draw_panel(self, now) -> None:
        s, t = self.solution, self.theme
        inactive = tex(
            r"\text{inside: inactive, } w^* = x^*_{\mathrm{free}},\ \lambda = 0", t.text, TEXT.label
        )
        active = tex(r"\text{outside: active, } \|w^*\|^2 = k,\ \lambda > 0", t.text, TEXT.label)
        self.in_panel(inactive)
        active.move_to(inactive).align_to(inactive, LEFT)
        inactive.add_updater(lambda m: m.set_opacity(0.0 if s.active[now()] else 1.0))
        active.add_updater(lambda m: m.set_opacity(1.0 if s.active[now()] else 0.0))
        rows = readout_rows(
            [
                (r"\lambda =", s.lams, t.optimum),
                (r"\|w^*\|^2 - k =", s.slack, t.g),
                (r"\lambda\,(\|w^*\|^2 - k) =", s.slackness, t.text),
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
        axes = graph_axes(1.0, top, (4.2, 1.6), t)
        times = np.linspace(0, 1, len(s.lams))
        graph = curve(axes, np.column_stack([times, s.lams]), t.optimum, 3)
        out, last = s.arcs[1][1], s.arcs[2][2]  # the constraint binds from out to the end
        left, right = axes.c2p(times[out], 0), axes.c2p(times[last], top)
        shaded = Rectangle(width=right[0] - left[0], height=right[1] - left[1], stroke_width=0)
        shaded.set_fill(t.g, opacity=0.18).move_to((left + right) / 2)
        cursor = always_redraw(
            lambda: curve(axes, [(times[now()], 0), (times[now()], top)], t.text, 2)
        )
        moment = always_redraw(lambda: marker(axes, (times[now()], s.lams[now()]), t.optimum, 0.06))
        label = tex(r"\lambda \text{ over one loop}", t.text, TEXT.label)
        label.next_to(axes, UP, buff=0.1).align_to(axes, LEFT)
        note = tex(r"\text{shaded: constraint active}", t.g, TEXT.label)
        note.next_to(axes, DOWN, buff=0.1).align_to(axes, LEFT)
        plot = VGroup(shaded, axes, graph, label, note)
        self.in_panel(plot, above, buff=0.6)
        return VGroup(plot, cursor, moment)
