"""kkt_slackness — inactive or active: complementary slackness (seed 002, Part 3).

The least-squares fit ŵ travels around a loop that crosses the circle ||w||² = k: the loop
stands for changing data (each ŵ is the least-squares solution of another data set). While ŵ
is inside, the solution is ŵ itself, ∇f vanishes there and λ = 0 (the constraint is
inactive); outside, the solution w* sits on the circle, where a level set touches it, and
−∇f(w*) points straight out: only a positive λ balances it (−∇f = λ∇g). The product
λ·(||w*||² − k) stays 0 all the way round. The loop is seamless, starts well inside and runs
at constant speed: its beats are the arcs inside, outside, and back inside.

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
    ORIGIN,
    RIGHT,
    UP,
    DashedVMobject,
    Line,
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
    Maths,
    PlaneScene,
    View,
    around,
    arrow,
    box_of,
    curve,
    dense,
    level_sets,
    marker,
    nice_ticks,
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


@dataclass(frozen=True)
class KktParams(Problem):
    k: float = param(1.5, "budget: the constraint is ||w||² <= k")
    orbit_center: tuple[float, ...] | None = param(
        None, "middle of the loop ŵ travels (null: 0.75 √k along ŵ's direction)"
    )
    orbit_radius: float | None = param(
        None, "radius of the loop ŵ travels (null: 0.85 √k, so it runs inside and outside)"
    )
    orbit_time: float = param(12.0, "seconds for ŵ to go once round (longer if words need it)")

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
    centers: np.ndarray  # ŵ along the loop, (N, 2), closed, starting a quarter into its inside arc
    optima: np.ndarray  # w* for each ŵ
    pushes: np.ndarray  # the −∇f(w*) arrow (data vector, one scale, min length; 0 inside)
    lams: np.ndarray  # λ for each ŵ
    active: np.ndarray  # whether the constraint binds
    slack: np.ndarray  # ||w*||² − k
    slackness: np.ndarray  # λ·(||w*||² − k): complementary slackness says 0
    rings: list[np.ndarray]  # level sets of f around ŵ = 0 (shifted to each ŵ)
    touching: list[np.ndarray | None]  # the level set through w* where the constraint binds
    circle: np.ndarray  # ||w||² = k
    k_label_at: np.ndarray  # the point of the circle farthest from the loop
    arcs: tuple[tuple[str, int, int], ...]  # the beats: (id, first sample, last sample)
    poster: int  # the sample with the largest λ

    def index(self, progress: float) -> int:
        return nearest(np.linspace(0.0, 1.0, len(self.centers)), progress)


class KktSlackness(PlaneScene):
    """ŵ loops in and out of the circle; λ switches on and off; λ·(||w||² − k) stays 0."""

    Params = KktParams
    scrub = (
        Scrubbed("progress"),
        Scrubbed("center"),
        Scrubbed("w_star"),
        Scrubbed("lam"),
        Scrubbed("slack"),
        Scrubbed("product"),
    )
    loops = True
    samples = 721
    ring_count = 14
    default_center = 0.75  # the derived loop's middle: this many √k along ŵ's direction
    default_radius = 0.85  # the derived loop's radius, in units of √k
    push_length = (0.6, 1.3)  # scene units: the −∇f(w*) arrow's least and largest length
    pause = 1.5  # seconds ŵ stops where each case shows best: deepest inside, λ largest
    room = 1.2  # the view holds the loop grown this much about its middle (room for labels)

    @classmethod
    def orbit(cls, params: KktParams, center: np.ndarray) -> tuple[np.ndarray, float]:
        """The loop's middle and radius: the user's, else 0.75 √k in ŵ's direction with
        radius 0.85 √k, so that ŵ spends time both inside and outside."""
        root = math.sqrt(params.k)
        norm = float(np.linalg.norm(center))
        direction = center / norm if norm > 1e-12 else np.array([1.0, 0.0])
        middle = np.asarray(params.orbit_center or cls.default_center * root * direction, float)
        return middle, params.orbit_radius or cls.default_radius * root

    @classmethod
    def solve(cls, params: KktParams) -> KktSolution:
        base = params.loss()  # validates H; ŵ moves, H stays
        middle, radius = cls.orbit(params, base.center)
        probe = np.linspace(0.0, 2 * np.pi, cls.samples)[:-1]
        ring = middle + radius * np.column_stack([np.cos(probe), np.sin(probe)])
        inside = np.sum(ring**2, axis=1) <= params.k
        if inside.all() or not inside.any():
            where = "inside" if inside.all() else "outside"
            raise ValueError(
                f"the loop of ŵ stays {where} the circle ||w||² = {params.k:g}: choose "
                "orbit_center and orbit_radius so that it crosses it (or leave them unset)"
            )
        n = len(probe)
        entering = int(np.flatnonzero(inside & ~np.roll(inside, 1))[0])
        leaving = int(np.flatnonzero(~inside & np.roll(inside, 1))[0])
        # the loop starts a quarter of the way along its arc inside: well inside the circle
        # (the first frame is plainly the inactive case), with most of that arc still ahead
        first = (entering + ((leaving - entering) % n) // 4) % n
        angle = probe[first] + np.linspace(0.0, 2 * np.pi, cls.samples)
        centers = middle + radius * np.column_stack([np.cos(angle), np.sin(angle)])
        losses = [mc.QuadraticLoss(base.H, c) for c in centers]
        sols = [mc.solve_constrained(loss, params.k) for loss in losses]
        optima = np.array([s.w for s in sols])
        lams = np.array([s.lam for s in sols])
        active = np.array([s.active for s in sols])
        out = int(np.argmax(active))  # the first sample outside
        back = out + int(np.argmin(active[out:]))  # the first sample inside again
        half = (out + back) // 2  # halfway round the outside arc
        shape = mc.QuadraticLoss(base.H, [0.0, 0.0])
        grown = middle + cls.room * (centers - middle)
        pulls = -np.array([loss.grad(w) for loss, w in zip(losses, optima, strict=True)])
        pulls[~active] = 0.0
        pushes = np.zeros_like(pulls)
        for _ in range(3):  # the arrows' tips stay in the plot: grow the window, rescale, again
            visible = np.vstack([grown, mc.circle(params.k, 64), optima + pushes])
            view = cls.view(losses[0], visible, rings=[])  # ŵ is not drawn: the loop is
            pushes = cls.push_arrows(pulls, view.unit)
        # the rings reach past every corner of the window wherever ŵ is on its loop
        corners = np.array([(x, y) for x in view.x_range for y in view.y_range])
        offsets = (corners[None] - centers[:, None]).reshape(-1, 2)
        levels = mc.level_values(shape, offsets[np.argmax(shape.value(offsets))], cls.ring_count)
        rings = [mc.level_set(shape, level, 160) for level in levels]
        circle = mc.circle(params.k)
        gap = np.linalg.norm(circle[:, None] - centers[None], axis=-1).min(axis=1)
        return KktSolution(
            view=dataclasses.replace(view, rings=tuple(r + centers[0] for r in rings)),
            k=params.k,
            centers=centers,
            optima=optima,
            pushes=pushes,
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
            arcs=(("inside", 0, out), ("outside", out, half), ("product", half, cls.samples - 1)),
            poster=int(np.argmax(lams)),
        )

    @classmethod
    def push_arrows(cls, pulls: np.ndarray, unit: float) -> np.ndarray:
        """−∇f(w*) as data vectors on one scale: the longest `push_length[1]` scene units,
        none shorter than `push_length[0]` (0 where the constraint is inactive)."""
        size = np.linalg.norm(pulls, axis=1)
        least, most = cls.push_length
        scene = np.where(size > 0, np.maximum(most * size / max(size.max(), 1e-300), least), 0.0)
        return pulls / np.maximum(size, 1e-300)[:, None] * (scene / unit)[:, None]

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
        return cls.alt("text", k=f"{s.k:g}", lam_max=fixed(s.lams.max(), 2))

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_everything()
        seconds = self.loop_seconds()
        # --- ŵ inside the circle, then outside, then the product that stays 0
        with self.beat("inside", self.arc_share(0) * seconds):
            self.play_arc(0, seconds)
        with self.beat("outside", self.arc_share(1) * seconds):
            self.play_arc(1, seconds)
        with self.beat("product", self.arc_share(2) * seconds):
            self.play_arc(2, seconds)

    def arc_share(self, arc: int) -> float:
        """The share of the loop arc number `arc` takes (constant speed along the loop)."""
        _, first, last = self.solution.arcs[arc]
        return (last - first) / (len(self.solution.centers) - 1)

    def play_arc(self, arc: int, seconds: float) -> None:
        """Move along arc number `arc` at constant speed, stopping `pause` seconds where its
        case shows best (the inside arc: ŵ deepest inside; the outside one: λ largest, the
        poster frame); the product's arc runs through."""
        s = self.solution
        _, first, last = s.arcs[arc]
        total = len(s.centers) - 1
        stops = {
            0: first + int(np.argmin(s.slack[first:last])),
            1: first + int(np.argmax(s.lams[first:last])),
        }
        stop = stops.get(arc)
        for end in [stop, last] if stop is not None and first <= stop < last else [last]:
            start = round(self.progress.get_value() * total)
            if end > start:
                self.play(
                    self.progress.animate.set_value(end / total),
                    rate_func=linear,
                    run_time=(end - start) / total * seconds,
                )
            if end == stop:
                if stop == s.poster:
                    self.take_poster()
                self.wait(self.pause)
        if first <= s.poster < last and stop != s.poster:  # the poster without stopping
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

        def push():  # −∇f(w*): straight out of the circle, while the constraint binds
            i = now()
            if not s.active[i]:  # an arrow still (the layout check knows it), not shown
                out = s.optima[i] if np.any(s.optima[i]) else np.array([1.0, 0.0])
                hidden = out / np.linalg.norm(out) * self.push_length[0] / s.view.unit
                return arrow(axes, s.optima[i], hidden, t.f, 5).set_opacity(0.0)
            return arrow(axes, s.optima[i], s.pushes[i], t.f, 5)

        lines = np.vstack([dense(to_scene(axes, s.circle)), dense(to_scene(axes, s.centers))])
        fixed_boxes = [box_of(m) for m in axes.labels]
        bounds = box_of(axes)
        k_label = plate(tex(rf"\|w\|^2 = k = {s.k:g}", t.g, TEXT.label), t)
        at = s.k_label_at
        place_free(k_label, axes.c2p(*at), around(at), fixed_boxes, lines, bounds)
        fixed_boxes.append(box_of(k_label))
        c_label = plate(tex(r"\hat w", t.f, TEXT.body), t)
        w_label = plate(tex(r"w^*", t.optimum, TEXT.body), t)
        both_label = plate(tex(r"w^* = \hat w", t.optimum, TEXT.body), t)
        push_label = plate(tex(r"-\nabla f", t.f, TEXT.label), t)

        def place_labels(_):  # in order, each clear of the ones placed before it
            i = now()
            w, c = s.optima[i], s.centers[i]
            dots = [tip_box(axes.c2p(*w), 0.12), tip_box(axes.c2p(*c), 0.1)]
            shafts, heads = [], []
            if s.active[i]:
                start, end = axes.c2p(*w), axes.c2p(*(w + s.pushes[i]))
                shafts.append(segment_points(start, end))
                heads.append(tip_box(end, 0.2))
            near = np.vstack([lines, *shafts])
            placed = [*fixed_boxes, *dots, *heads]
            if s.active[i]:
                place_free(
                    push_label,
                    axes.c2p(*(w + s.pushes[i])),
                    around(s.pushes[i]),
                    placed,
                    near,
                    bounds,
                )
                placed.append(box_of(push_label))
            push_label.set_opacity(1.0 if s.active[i] else 0.0)
            inward = -w if np.any(w) else UP[:2]
            if not s.active[i]:  # one point, one label
                place_free(both_label, axes.c2p(*w), around(inward), placed, near, bounds)
            for label, shown in ((both_label, not s.active[i]), (c_label, s.active[i])):
                label.set_opacity(1.0 if shown else 0.0)
            w_label.set_opacity(1.0 if s.active[i] else 0.0)
            if not s.active[i]:
                return
            place_free(w_label, axes.c2p(*w), around(inward), placed, near, bounds)
            placed.append(box_of(w_label))
            away = c - w if s.active[i] else c - np.mean(s.centers, axis=0)
            place_free(
                c_label,
                axes.c2p(*c),
                around(away if np.any(away) else UP[:2]),
                placed,
                near,
                bounds,
            )

        layout = Mobject().add_updater(place_labels)
        place_labels(layout)
        self.remove(*self.rings)
        ticks = [m for m in axes.submobjects if any(x in m.submobjects for x in axes.labels)]
        axes.remove(*ticks)  # drawn again on top: the circle and the path pass under them
        pushed = always_redraw(push)
        self.add(
            rings,
            self.axes,
            path,
            circle,
            always_redraw(touching),
            *ticks,
            pushed,
            center,
            optimum,
            layout,
            k_label,
            push_label,
            c_label,
            w_label,
            both_label,
        )
        self.mark("c", center)
        self.mark("w_star", optimum)
        self.mark("push", pushed)
        self.draw_panel(now)

    def draw_panel(self, now) -> None:
        s, t = self.solution, self.theme
        states = [
            VGroup(
                tex(
                    words_tex(self.word("inside"), fit=Maths(r"w^* = \hat w")),
                    t.text,
                    TEXT.label,
                ),
                tex(
                    r"\nabla f(w^*) = 0,\ \lambda = 0",
                    t.text,
                    TEXT.label,
                ),
            ),
            VGroup(
                tex(
                    words_tex(self.word("outside"), edge=Maths(r"\|w^*\|^2 = k")),
                    t.text,
                    TEXT.label,
                ),
                tex(
                    r"-\nabla f(w^*) = \lambda \nabla g(w^*),\ \lambda > 0",
                    t.text,
                    TEXT.label,
                ),
            ),
        ]
        for lines in states:
            lines.arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
        inactive, active = states
        self.in_panel(inactive)
        active.move_to(inactive).align_to(inactive, LEFT).align_to(inactive, UP)
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
        self.in_panel(rows, inactive, buff=SPACE.section)
        self.mark("readouts", rows)
        self.add(inactive, active, rows, self.lambda_plot(now, rows))

    def lambda_plot(self, now, above) -> VGroup:
        """λ as ŵ goes round, on a scale, with the current moment marked."""
        s, t = self.solution, self.theme
        top = float(s.lams.max()) * 1.15 or 1.0
        axes = valued_axes(
            (0.0, 1.0), (0.0, top), (4.0, 1.6), t, x_ticks=[], y_ticks=nice_ticks(0.0, top, 3)
        )
        times = np.linspace(0, 1, len(s.lams))
        graph = curve(axes, np.column_stack([times, s.lams]), t.optimum, 3)
        out, back = s.arcs[1][1], s.arcs[2][1] + int(np.argmin(s.active[s.arcs[2][1] :]))
        left, right = axes.c2p(times[out], 0), axes.c2p(times[back], top)
        shaded = Rectangle(width=right[0] - left[0], height=right[1] - left[1], stroke_width=0)
        shaded.set_fill(t.g, opacity=0.18).move_to((left + right) / 2)
        cursor = always_redraw(
            lambda: curve(axes, [(times[now()], 0), (times[now()], top)], t.text, 2)
        )
        moment = always_redraw(lambda: marker(axes, (times[now()], s.lams[now()]), t.optimum, 0.06))
        label = tex(words_tex(self.word("over_loop"), lam=Maths(r"\lambda")), t.text, TEXT.label)
        note = tex(words_tex(self.word("shaded")), t.g, TEXT.label)
        dashes = DashedVMobject(Line(ORIGIN, 0.6 * RIGHT), num_dashes=4).set_stroke(t.f, 3)
        path = VGroup(
            dashes, tex(words_tex(self.word("path"), w_hat=Maths(r"\hat w")), t.f, TEXT.label)
        )
        path[1].next_to(dashes, RIGHT, buff=0.2)
        plot = VGroup(shaded, axes, graph)
        self.in_panel(label, above, buff=SPACE.section)
        self.in_panel(plot, label, buff=SPACE.item)
        self.in_panel(note, plot, buff=SPACE.line)
        self.in_panel(path, note, buff=SPACE.item)
        self.mark("loop_label", path[1])
        return VGroup(label, plot, note, path, cursor, moment)
