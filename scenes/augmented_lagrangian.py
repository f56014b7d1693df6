"""augmented_lagrangian — how λ is found, not given (seed 002, Part 6; Part 7's note on ρ).

The budget binds, so w* lies on the circle. On screen the problem is written as in every
other scene: f(w) = ||Xw − b||², g(w) = ||w||², the constraint g(w) = k. Round t minimises the
augmented Lagrangian L_ρ(w, λ_t) = f(w) + λ_t (g(w) − k) + (ρ/2)(g(w) − k)² over w, then raises
the price, λ_{t+1} = λ_t + ρ (g(w_t) − k), from λ₀ = 0. mathcore halves f and g − k (DESIGN's
convention): its L is half this one with twice this ρ, so the iterates and λ are the same
numbers and only ρ is converted (`shown_rho`). Left: the plane, w* marked beforehand by the
solver, the trail of w_t and the level set of f through w_t, which closes in on the circle
until it touches it at w*. Right: λ_t against t climbing to λ* (dashed), and the violation
||w_t||² − k on a log scale shrinking toward 0. Last, Part 7's trade-off in numbers: rounds
needed and the inner problem's condition number for a smaller and a larger ρ.

    manim -ql scenes/augmented_lagrangian.py AugmentedLagrangian
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
    Circle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    Mobject,
    Transform,
    VGroup,
    config,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, param, point_text
from scenes.plane import (
    InWords,
    Maths,
    Panel,
    PlaneScene,
    View,
    around,
    nice_step,
    nice_ticks,
    place_clear,
    plate,
    readout_rows,
    tex,
    valued_axes,
    words_tex,
)
from scenes.theme import SPACE, TEXT
from studio.presets import QUALITIES

MAX_ROUNDS = 60  # rounds a render may show
COMPARE_LIMIT = 500  # rounds the comparison of ρ values may take before it gives up
SMALLER, LARGER = 0.1, 100.0  # Part 7's comparison: ρ times these
HESSIAN = Maths(r"\nabla^2_w L_\rho")  # the inner problem's, in the table's key


@dataclass(frozen=True)
class AugmentedParams(Timed):
    k: float = param(1.5, "budget: the circle ||w||² = k (it binds when ||c||² > k)")
    rho: float | None = param(
        None,
        "the penalty weight ρ > 0 on (||w||² − k)², with f = ||Xw − b||², as on screen (null: "
        "derived from the problem, so that every round at least halves the gap λ* − λ_t)",
    )
    iterations: int | None = param(
        None,
        f"rounds shown, 1–{MAX_ROUNDS} (null: until w_t is within a blog pixel of w* and λ_t "
        f"within 0.5 % of λ*, at most {MAX_ROUNDS})",
    )
    step_time: float = param(1.2, "seconds for each of the first rounds (later ones speed up)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not (math.isfinite(self.k) and self.k > 0):
            raise ValueError(f"k must be a budget > 0, got {self.k}")
        if self.rho is not None and not (math.isfinite(self.rho) and self.rho > 0):
            raise ValueError(
                f"rho must be a penalty weight > 0 (or null to derive it), got {self.rho}"
            )
        if self.iterations is not None and not 1 <= self.iterations <= MAX_ROUNDS:
            raise ValueError(
                f"iterations must be between 1 and {MAX_ROUNDS}, got {self.iterations}"
            )
        if not 0.3 <= self.step_time <= 10:
            raise ValueError(f"step_time must be 0.3–10 s, got {self.step_time}")


RHO_SHOWN = 0.5
"""The screen's ρ per unit of mathcore's (see `shown_rho`); `--set rho=` is the screen's."""


def shown_rho(rho: float) -> float:
    """ρ on screen, for f = ||Xw − b||² and the constraint ||w||² − k = 0, from mathcore's ρ
    for its halved f and ½(||w||² − k): with G = ||w||² − k, 2·L_ρ(mathcore) = f + λG + (ρ/4)G²,
    so the screen's ρ is half mathcore's (the update λ + (ρ/2)·G is the same step)."""
    return RHO_SHOWN * rho


@dataclass(frozen=True)
class Compared:
    """Part 7 in numbers: the rounds a penalty weight ρ needs (None: more than
    COMPARE_LIMIT) and the condition number of the inner Hessian at its last iterate."""

    rho: float  # as on screen (shown_rho)
    rounds: int | None
    condition: float


@dataclass(frozen=True)
class AugmentedSolution:
    view: View
    k: float
    c_norm2: float  # ||ŵ||²
    circle: np.ndarray  # ||w||² = k
    circle_label_at: np.ndarray  # the point of the circle farthest from what happens near it
    lam_star: float
    w_star: np.ndarray
    w_tol: float  # a blog pixel, in data units
    run: mc.AugmentedRun | None  # None when the budget does not bind (λ* = 0)
    touching: np.ndarray  # the level set of f through each w_t (T, N, 2), w* last when binding
    log_violation: np.ndarray  # log10 |‖w_t‖² − k| (floored where float64 reaches 0)
    log_range: tuple[int, int]  # the violation plot's decades, bottom and top
    lam_top: float  # the top of the λ plot
    compared: tuple[Compared, ...]  # smaller, this and larger ρ

    @property
    def active(self) -> bool:
        return self.run is not None

    @property
    def rounds(self) -> int:
        return 0 if self.run is None else self.run.iterations


def lam_places(lam: float) -> int:
    """Decimals of λ: three significant digits for a λ below 1, else 2."""
    return 2 if lam >= 1 or lam <= 0 else min(6, 2 - math.floor(math.log10(lam)))


def violation_places(k: float) -> int:
    """Decimals of ||w_t||² − k: 3, more for budgets below 1."""
    return 3 + max(0, -math.floor(math.log10(k)))


class AugmentedLagrangian(PlaneScene):
    """Minimise L_ρ over w, raise the price λ, repeat: λ_t climbs to λ*, w_t lands on w*."""

    Params = AugmentedParams
    scrub = (
        Scrubbed("t", decimals=0),
        Scrubbed("lam"),
        Scrubbed("violation", decimals=3),
        Scrubbed("w"),
    )
    center_tex = r"\hat w"
    x_range = (-1.6, 2.6)
    y_range = (-1.4, 2.8)
    plot_box = (6.3, 7.6)
    lam_headroom = 1.18  # the λ plot's top, in λ*
    slow_rounds = 2  # rounds at full step_time; later ones faster
    fast_pace = 0.45
    iterate_budget = 9.0  # seconds the later rounds may take together, at most
    ring_samples = 240

    # --- the numbers ---------------------------------------------------------------------------

    @classmethod
    def solve(cls, params: AugmentedParams) -> AugmentedSolution:
        loss = params.loss()
        best = mc.solve_constrained(loss, params.k)
        c_norm2 = float(loss.center @ loss.center)
        circle = mc.circle(params.k)
        visible = [mc.circle(params.k, 64)]
        if best.active:  # every w_t is a ridge solution w(λ), λ between 0 and λ*
            visible.append(mc.ridge_path(loss, np.linspace(0.0, best.lam, 48)))
        view = cls.view(loss, np.vstack(visible))
        w_tol = config.frame_width / QUALITIES["blog"].width / view.unit  # a blog pixel
        run, compared = None, ()
        touching = np.empty((0, cls.ring_samples + 1, 2))
        log_violation, log_range, lam_top = np.empty(0), (-1, 0), 1.0
        if best.active:
            run = mc.augmented_lagrangian(
                loss,
                params.k,
                None if params.rho is None else params.rho / RHO_SHOWN,
                params.iterations,
                w_tol=w_tol,
                max_iterations=MAX_ROUNDS,
            )
            touching = np.array(
                [mc.level_set_through(loss, w, cls.ring_samples) for w in run.w_path]
                + [mc.level_set_through(loss, best.w, cls.ring_samples)]
            )
            size = np.abs(run.violation)
            log_violation = np.log10(np.maximum(size, 1e-13 * params.k))
            top = math.ceil(float(log_violation.max()) - 1e-9)
            bottom = min(math.floor(float(log_violation.min()) + 1e-9), top - 2)
            log_range = (bottom, top)
            lam_top = cls.lam_headroom * best.lam
            compared = tuple(
                Compared(
                    shown_rho(rho),
                    *mc.iterations_needed(loss, params.k, rho, w_tol, 0.005, COMPARE_LIMIT),
                )
                for rho in (SMALLER * run.rho, run.rho, LARGER * run.rho)
            )
        busy = np.vstack([best.w, loss.center, *([] if run is None else [run.w_path])])
        clearance = np.linalg.norm(circle[:, None] - busy[None], axis=-1).min(axis=1)
        return AugmentedSolution(
            view=view,
            k=params.k,
            c_norm2=c_norm2,
            circle=circle,
            circle_label_at=circle[int(np.argmax(clearance))],
            lam_star=float(best.lam),
            w_star=best.w.copy(),
            w_tol=float(w_tol),
            run=run,
            touching=touching,
            log_violation=log_violation,
            log_range=log_range,
            lam_top=float(lam_top),
            compared=compared,
        )

    @classmethod
    def results(cls, s: AugmentedSolution) -> dict:
        out = {
            "k": s.k,
            "c_norm2": s.c_norm2,
            "lam_star": s.lam_star,
            "w_star": s.w_star.tolist(),
            "active": s.active,
            "lam_places": lam_places(s.lam_star),
            "blog_pixel": s.w_tol,
        }
        run = s.run
        if run is None:
            return out | {
                "lam_path": [0.0],
                "w_path": [],
                "violation": [],
                "inner_grad_norms": [],
                "rho": None,
                "iterations": 0,
                "reached": False,
                "lam1": 0.0,
                "lam_last": 0.0,
                "lam_gap_pct": 100.0,
                "w_gap_px": 0.0,
                "rounds_small": "",
                "rounds_large": "",
                "rho_small": 0.0,
                "rho_large": 0.0,
                "conditions": [],
            }
        small, _, large = s.compared
        more = cls.load_script().word("more_than")  # rounds, when the comparison gave up
        return out | {
            "lam_path": run.lam_path.tolist(),
            "lam_next": run.lam_next,
            "w_path": run.w_path.tolist(),
            "violation": run.violation.tolist(),
            "inner_grad_norms": run.grad_norms.tolist(),
            "inner_conditions": run.condition.tolist(),
            "rho": shown_rho(run.rho),
            "iterations": run.iterations,
            "reached": run.reached,
            "lam1": float(run.lam_path[1]) if run.iterations > 1 else run.lam_next,
            "lam_last": float(run.lam_path[-1]),
            "lam_gap_pct": 100.0 * run.lam_gap,
            "w_gap_px": run.w_gap / s.w_tol,
            "rho_small": small.rho,
            "rho_large": large.rho,
            "rounds_small": rounds_text(small.rounds, more),
            "rounds_large": rounds_text(large.rounds, more),
            "conditions": [c.condition for c in s.compared],
            "rounds_compared": [c.rounds for c in s.compared],
        }

    @classmethod
    def alt_text(cls, s: AugmentedSolution) -> str:
        if s.run is None:
            return cls.alt(
                "inside", k=f"{s.k:g}", w_hat=point_text(s.view.center), norm2=fixed(s.c_norm2, 2)
            )
        run = s.run
        end = cls.alt(
            "reached" if run.reached else "short",
            rounds=run.iterations,
            gap=fixed(100 * run.lam_gap, 2 if run.reached else 1),
            lam=fixed(s.lam_star, 2),
        )
        small, _, large = s.compared
        more = cls.load_script().word("more_than")
        return cls.alt(
            "text",
            k=f"{s.k:g}",
            rho=fixed(shown_rho(run.rho), 2),
            w_star=point_text(s.w_star),
            end=end,
            rho_small=fixed(small.rho, 2),
            rounds_small=rounds_text(small.rounds, more),
            rho_large=fixed(large.rho, 2),
            rounds_large=rounds_text(large.rounds, more),
        )

    @classmethod
    def scrubbed(cls, solution: AugmentedSolution) -> tuple[Scrubbed, ...]:
        places = {"lam": lam_places(solution.lam_star), "violation": violation_places(solution.k)}
        return tuple(
            replace(r, decimals=places[r.key]) if r.key in places else r
            for r in super().scrubbed(solution)
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.shown = -1  # the round on screen (−1: none yet)
        self.draw_problem()
        if not self.solution.active:
            self.say_inactive()
            return
        self.write_lagrangian()
        self.first_round()
        self.iterate()
        self.conclude()
        self.compare_rho()

    def frame_readouts(self) -> dict:
        s, i = self.solution, getattr(self, "shown", -1)
        if s.run is None or i < 0:
            return {"t": None, "lam": None, "violation": None, "w": s.view.center.tolist()}
        return {
            "t": i,
            "lam": float(s.run.lam_path[i]),
            "violation": float(s.run.violation[i]),
            "w": s.run.w_path[i].tolist(),
        }

    def draw_problem(self) -> None:
        """The plane, the circle, ŵ and w* (marked from the solver), the problem in words."""
        s, t = self.solution, self.theme
        self.make_plane(s.view)
        axes = self.axes
        self.circle = self.plane.curve(s.circle, t.g, 4)
        self.circle_label = plate(tex(r"\|w\|^2 = k", t.g, TEXT.label), t)
        self.target = self.mark("w_star", Circle(radius=0.13, color=t.optimum, stroke_width=4))
        self.target.move_to(axes.c2p(*s.w_star))
        self.placed = list(self.plane.labels)  # what later labels keep clear of
        place_clear(
            self.center_label, self.center_dot.get_center(), around(UP), self.placed, axes, 0.06
        )
        at = s.circle_label_at
        place_clear(self.circle_label, axes.c2p(*at), around(at), self.placed, axes)
        self.placed.append(self.circle_label)
        extra = [self.circle, self.circle_label]
        if s.active:
            self.star_label = plate(tex(r"w^*", t.optimum, TEXT.body), t)
            inward = -s.w_star  # inside the circle: the iterates come from outside
            place_clear(
                self.star_label, self.target.get_center(), around(inward), self.placed, axes, 0.16
            )
            self.placed.append(self.star_label)
            extra += [self.target, self.star_label]
            constraint = r"\ g(w) = k"
        else:
            constraint = r"\ \|w\|^2 \le k"
        defined = [tex(r"f(w) = \|Xw - b\|^2", t.f, TEXT.body)]
        if s.active:
            defined.append(tex(r"g(w) = \|w\|^2", t.g, TEXT.body))
        definitions = VGroup(*defined).arrange(RIGHT, buff=SPACE.section, aligned_edge=DOWN)
        statement = words_tex(
            self.word("subject_to"),
            objective=Maths(r"\min_w f(w)\ "),
            constraint=Maths(constraint),
        )
        self.statement = self.mark("statement", tex(statement, t.text, TEXT.body))
        self.panel.stack(definitions, Panel.TOP)
        self.panel.stack(self.statement)
        self.show_plane(*extra, definitions, self.statement)
        with self.beat("problem"):
            pass  # the problem is drawn from the first frame; the caption reads it

    def say_inactive(self) -> None:
        s, t = self.solution, self.theme
        lines = VGroup(
            tex(
                rf"\|\hat w\|^2 = {fixed(s.c_norm2, 2)} \le k = {s.k:g}",
                t.f,
                TEXT.body,
            ),
            tex(words_tex(self.word("not_binding")), t.text, TEXT.body),
            tex(r"w^* = \hat w,\quad \lambda^* = 0", t.optimum, TEXT.body),
            tex(words_tex(self.word("no_price")), t.text, TEXT.body),
        ).arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
        self.panel.stack(lines, gap=SPACE.section)
        self.mark("inactive", lines)
        self.target.move_to(self.center_dot)
        with self.beat("inactive"):
            self.play(FadeIn(lines), Create(self.target), run_time=1.0)
            self.take_poster()
            self.wait(self.params.hold_time)

    def write_lagrangian(self) -> None:
        s, t = self.solution, self.theme
        run = s.run
        rho = shown_rho(run.rho)
        lagrangian = tex(
            r"L_\rho(w, \lambda) = f(w) + \lambda\,\big(g(w) - k\big)"
            r" + \tfrac{\rho}{2}\big(g(w) - k\big)^2",
            t.text,
            TEXT.body,
        )
        self.minimise = tex(
            r"1.\ \ w_t = \arg\min_w L_\rho(w, \lambda_t),\quad \lambda_0 = 0",
            t.text,
            TEXT.label,
        )
        self.update = tex(
            rf"2.\ \ \lambda_{{t+1}} = \lambda_t + \rho\,\big(g(w_t) - k\big),\quad "
            rf"\rho = {significant(rho)}",  # as the ρ table writes it
            t.text,
            TEXT.label,
        )
        self.panel.stack(lagrangian)
        steps = VGroup(self.minimise, self.update).arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
        self.panel.stack(steps)
        self.mark("lagrangian", lagrangian)
        self.build_panel(steps)
        with self.beat("lagrangian"):
            self.play(FadeIn(lagrangian), run_time=0.8)
            self.play(FadeIn(steps), run_time=0.8)

    # --- the right panel ---------------------------------------------------------------------

    tick_room = 0.7  # scene units left of a plot for its y tick values
    name_room = 0.45  # above a plot for its name
    number_room = 0.42  # under a plot for its tick values

    def build_panel(self, above: Mobject) -> None:
        """Under the formulas: the readouts; the two plots against t side by side, sized to
        the room left; at the bottom, the verdict (shown at the end; above the data line,
        if any)."""
        s, t = self.solution, self.theme
        run = s.run
        places = lam_places(s.lam_star)
        self.readouts = self.mark(
            "readouts",
            readout_rows(
                [
                    (r"t =", np.arange(run.iterations, dtype=float), t.text),
                    (r"\lambda_t =", run.lam_path, t.optimum),
                    (r"\|w_t\|^2 - k =", run.violation, t.g),
                ],
                self.now,
                decimals=places,
            ),
        )
        self.readouts[0][1].decimals = 0
        self.readouts[2][1].decimals = violation_places(s.k)
        widest = (
            float(run.iterations - 1),
            max(run.lam_path, key=lambda v: len(fixed(v, places))),
            max(run.violation, key=lambda v: len(fixed(v, violation_places(s.k)))),
        )
        for (_, number), value in zip(self.readouts, widest, strict=True):
            number.set_value(value)
        self.readouts.arrange(RIGHT, buff=SPACE.section, aligned_edge=DOWN)
        self.panel.stack(self.readouts, above)
        for _, number in self.readouts:
            number.update()
        self.readouts.set_opacity(0)

        note = self.data_line()
        bottom = -config.frame_height / 2 + SPACE.tight
        if note is not None:
            bottom = note.get_top()[1] + SPACE.tight
        self.verdict = self.make_verdict()
        self.verdict.move_to([0, bottom, 0], aligned_edge=DOWN).align_to(above, LEFT)
        left = self.panel.left
        right = config.frame_width / 2 - SPACE.edge
        width = (right - left - SPACE.item) / 2 - self.tick_room
        top = self.readouts.get_bottom()[1] - SPACE.item - self.name_room
        low = self.verdict.get_top()[1] + SPACE.line + self.number_room
        height = top - low
        self.lam_axes = self.lam_plot(width, height)
        self.lam_axes.shift([left + self.tick_room, low, 0] - self.lam_axes.c2p(0, 0))
        self.gap_axes = self.gap_plot(width, height)
        second = left + 2 * self.tick_room + width + SPACE.item
        self.gap_axes.shift([second, low, 0] - self.gap_axes.c2p(0, 0))
        price = words_tex(self.word("price"), lam_t=Maths(r"\lambda_t"))
        violation = words_tex(self.word("violation"), gap=Maths(r"\|w_t\|^2 - k"))
        self.lam_name = self.plot_name(self.lam_axes, price, t.optimum)
        self.gap_name = self.plot_name(self.gap_axes, violation, t.g)

    def make_verdict(self) -> VGroup:
        """Where the run got to, in two lines: within tolerance, or how far from λ*."""
        s, t = self.solution, self.theme
        run = s.run
        n, lam_star = run.iterations, Maths(r"\lambda^*")
        if run.reached:
            pct = Maths(rf"{fixed(max(100 * run.lam_gap, 0.01), 2)}\,\%")
            lam_t = Maths(r"\lambda_t")
            lines = [
                words_tex(self.word("reached"), n=n, lam_t=lam_t, pct=pct, lam_star=lam_star) + ",",
                words_tex(self.word("pixel"), w_t=Maths("w_t"), w_star=Maths("w^*")),
            ]
            colour = t.optimum
        else:
            lam_t = Maths(rf"\lambda_t = {fixed(run.lam_path[-1], lam_places(s.lam_star))},")
            pct = InWords(rf"{fixed(100 * run.lam_gap, 1)}\,\%")
            lines = [
                words_tex(self.word("stopped"), n=n, lam_t=lam_t),
                words_tex(self.word("short"), pct=pct, lam_star=lam_star),
            ]
            colour = t.text
        verdict = VGroup(*(tex(line, colour, TEXT.label) for line in lines))
        return self.mark("verdict", verdict.arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line))

    def x_ticks(self) -> list[tuple[float, str]]:
        """Round numbers t under the x axis (every 1, 2, 5 … as the rounds need)."""
        n = self.solution.rounds
        step = max(1, int(nice_step(max(n - 1, 1), 4)))
        return [(float(value), f"{value}") for value in range(0, n, step)]

    def x_max(self) -> float:
        return max(self.solution.rounds - 1, 1) + 0.3

    def t_name(self, axes: Axes) -> None:
        """The name t under the x axis's end, in the row of its tick values."""
        t = self.theme
        name = plate(tex("t", t.muted, TEXT.body), t)
        name.next_to(axes.x_axis.get_end(), DOWN, buff=SPACE.tight)
        name.align_to(axes.x_axis.get_end() + SPACE.line * RIGHT, RIGHT)
        axes.add(name)
        axes.labels.append(name)

    def lam_plot(self, width: float, height: float) -> Axes:
        s, t = self.solution, self.theme
        x_max = self.x_max()
        ticks = self.x_ticks()
        axes = valued_axes(
            (0.0, x_max),
            (0.0, s.lam_top),
            (width, height),
            t,
            x_ticks=ticks[:-1] if len(ticks) > 2 else ticks,  # the last: t's place
            y_ticks=lam_ticks(s.lam_top),
        )
        self.t_name(axes)
        star = DashedLine(axes.c2p(0, s.lam_star), axes.c2p(x_max, s.lam_star), dash_length=0.1)
        star.set_stroke(t.optimum, 2.5)
        places = lam_places(s.lam_star)
        star_label = plate(
            tex(rf"\lambda^* = {fixed(s.lam_star, places)}", t.optimum, TEXT.label), t
        )
        star_label.next_to(axes.c2p(x_max, s.lam_star), UP, buff=SPACE.tight)
        star_label.align_to(axes.c2p(x_max, 0), RIGHT)
        self.mark("lam_star_line", star)
        axes.add(star, star_label)
        axes.labels.append(star_label)
        return axes

    def gap_plot(self, width: float, height: float) -> Axes:
        """log10 |‖w_t‖² − k| against t, drawn as decades above the plot's bottom decade."""
        s = self.solution
        lo, hi = s.log_range
        decades = hi - lo
        step = 1 if decades <= 4 else 2 if decades <= 8 else math.ceil(decades / 4)
        ticks = [(float(p - lo), rf"10^{{{p}}}") for p in range(hi, lo, -step)]
        x_ticks = self.x_ticks()
        axes = valued_axes(
            (0.0, self.x_max()),
            (0.0, float(decades)),
            (width, height),
            self.theme,
            x_ticks=x_ticks[:-1] if len(x_ticks) > 2 else x_ticks,
            y_ticks=ticks,
        )
        self.t_name(axes)
        return axes

    def plot_name(self, axes: Axes, words: str, colour) -> Mobject:
        """A plot's name above its top left corner, in the colour of what it plots."""
        name = plate(tex(words, colour, TEXT.label), self.theme)
        name.next_to(axes.y_axis.get_end(), UP, buff=SPACE.line)
        name.align_to(axes.y_axis.get_end() + self.tick_room * LEFT, LEFT)
        axes.add(name)
        axes.labels.append(name)
        return name

    # --- the rounds ----------------------------------------------------------------------------

    def now(self) -> int:
        return max(self.shown, 0)

    def lam_point(self, i: int) -> np.ndarray:
        return self.lam_axes.c2p(i, self.solution.run.lam_path[i])

    def gap_point(self, i: int) -> np.ndarray:
        s = self.solution
        return self.gap_axes.c2p(i, s.log_violation[i] - s.log_range[0])

    def first_round(self) -> None:
        s, t = self.solution, self.theme
        axes, run = self.axes, s.run
        self.walker = self.mark("walker", Dot(self.center_dot.get_center(), 0.085, color=t.text))
        self.walker_label = plate(tex(r"w_t", t.text, TEXT.body), t)
        self.level = self.plane.curve(s.touching[0], t.f, 5)
        self.trail = VGroup()
        self.lam_marks = self.mark("lam_marks", VGroup())
        self.gap_marks = self.mark("gap_marks", VGroup())

        def place_walker_label(label):
            """Beside the walker, across its way in (the trail comes from ŵ, outside the
            circle), clear of the labels, ŵ, w*'s ring and the trail's dots."""
            at = self.walker.get_center()
            w = np.asarray(axes.p2c(at)[:2])
            across = np.array([-w[1], w[0]])  # along the circle, away from ŵ's side
            if across @ (w - s.view.center) < 0:
                across = -across
            dots = [m for m in self.trail if isinstance(m, Dot)]
            obstacles = [*self.placed, self.target, self.center_dot, *dots, self.walker]
            place_clear(label, at, around(across), obstacles, axes, SPACE.line)

        self.walker_label.add_updater(place_walker_label)
        with self.beat("first") as b:
            self.shown = 0
            for _, number in self.readouts:
                number.update()
            self.readouts.set_opacity(1)
            lam0 = Dot(self.lam_point(0), 0.06, color=t.optimum)
            self.lam_marks.add(lam0)
            self.play(
                FadeIn(self.lam_axes, self.gap_axes, self.readouts, lam0),
                Indicate(self.minimise, color=t.text, scale_factor=1.05),
                run_time=0.9,
            )
            self.add(self.walker, self.walker_label)
            self.play_minimise(0, max(self.params.step_time, 0.4 * b.duration))
            if run.iterations > 1:
                b.mark("price")
                self.play_price(1, self.params.step_time, Indicate(self.update, color=t.text))
                self.play_minimise(1, self.params.step_time)

    def play_minimise(self, i: int, pace: float) -> None:
        """Round i's first step: the walker to w_i, the level set of f through it, the trail,
        the violation on its plot."""
        s, t = self.solution, self.theme
        end = self.axes.c2p(*s.run.w_path[i])
        segment = Line(self.walker.get_center(), end, color=t.text, stroke_width=2.5)
        segment.set_stroke(opacity=0.7)
        dot = Dot(end, 0.045, color=t.text)
        gap_dot = Dot(self.gap_point(i), 0.06, color=t.g)
        pieces = [gap_dot]
        if i > 0:
            pieces.insert(
                0, Line(self.gap_point(i - 1), self.gap_point(i), color=t.g, stroke_width=3)
            )
        self.gap_marks.add(*pieces)
        ring = self.plane.curve(s.touching[i], t.f, 5)
        grow = Create(self.level) if i == 0 else Transform(self.level, ring)
        self.shown = i
        for _, number in self.readouts:
            number.update()
        self.play(
            self.walker.animate.move_to(end), Create(segment), grow, FadeIn(*pieces), run_time=pace
        )
        self.trail.add(segment, dot)
        self.add(dot)
        self.bring_to_front(self.walker, self.walker_label)

    def play_price(self, i: int, pace: float, *extra) -> None:
        """Round i begins: the price λ_i = λ_{i−1} + ρ (g(w_{i−1}) − k) on its plot and
        readouts."""
        t = self.theme
        rise = Line(self.lam_point(i - 1), self.lam_point(i), color=t.optimum, stroke_width=3)
        dot = Dot(self.lam_point(i), 0.06, color=t.optimum)
        self.lam_marks.add(rise, dot)
        self.shown = i
        for _, number in self.readouts:
            number.update()
        self.play(Create(rise), FadeIn(dot), *extra, run_time=pace)

    def iterate(self) -> None:
        run = self.solution.run
        later = range(2, run.iterations)
        pace = self.params.step_time * self.fast_pace
        if len(later):
            pace = min(pace, self.iterate_budget / (2 * len(later)))
        with self.beat("iterate"):
            for i in later:
                self.play_price(i, pace)
                self.play_minimise(i, pace)

    def conclude(self) -> None:
        s, t = self.solution, self.theme
        run = s.run
        with self.beat("converged" if run.reached else "stopped"):
            moves = [FadeOut(self.walker_label), FadeIn(self.verdict)]
            if run.reached:
                star_ring = self.plane.curve(s.touching[-1], t.f, 5)
                moves += [
                    Transform(self.level, star_ring),
                    self.walker.animate.set_color(t.optimum),
                ]
            self.play(*moves, run_time=1.0)
            self.walker_label.clear_updaters()
            self.take_poster()

    def compare_rho(self) -> None:
        """Part 7: the rounds needed and the inner condition number κ for ρ/10, ρ and 100ρ,
        in a table where the violation plot was (this run's ρ in the middle row)."""
        s, t = self.solution, self.theme
        size = TEXT.label
        rows = [[tex(r"\rho", t.text, size), tex(words_tex(self.word("rounds")), t.text, size)]]
        rows[0].append(tex(r"\kappa", t.text, size))
        for c in s.compared:
            rows.append(
                [
                    tex(significant(c.rho), t.text, size),
                    tex(rounds_text(c.rounds, tex=True), t.text, size),
                    tex(significant(c.condition), t.text, size),
                ]
            )
        widths = [max(row[j].width for row in rows) for j in range(3)]
        left = self.gap_name.get_left()[0]
        room = config.frame_width / 2 - SPACE.edge - left  # wide numbers: narrower gaps
        gap = max(SPACE.tight, min(SPACE.section, (room - sum(widths)) / 2))
        y = self.gap_name.get_top()[1] - SPACE.tight
        row_height = max(cell.height for row in rows for cell in row)
        table = VGroup()
        for r, row in enumerate(rows):
            x = left
            for j, cell in enumerate(row):  # right-aligned columns
                cell.move_to([x + widths[j], y - row_height / 2, 0], aligned_edge=RIGHT)
                x += widths[j] + gap
                table.add(cell)
            below = SPACE.item if r == 0 else SPACE.line  # the header's gap holds the rule
            y -= row_height + below
            if r == 0:
                rule = Line([left, y + below / 2, 0], [x - gap, y + below / 2, 0])
                rule.set_stroke(t.muted, 1.5)
        for cell in table[-6:-3]:  # this run's ρ: the middle row
            cell.set_color(t.optimum)
        key = VGroup(
            *(
                tex(words_tex(line, kappa=Maths(r"\kappa"), hessian=HESSIAN), t.text, TEXT.note)
                for line in self.word("condition")
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=SPACE.tight)
        key.next_to(table, DOWN, buff=SPACE.item).align_to(table, LEFT)
        self.mark("table", table)
        with self.beat("rho"):
            self.play(FadeOut(self.gap_axes, self.gap_marks), run_time=0.5)
            self.play(FadeIn(table, rule, key), run_time=0.8)
            self.wait(self.params.hold_time)


def lam_ticks(top: float) -> list[tuple[float, str]]:
    """Round values up the λ axis: about three, and never fewer than two."""
    ticks = nice_ticks(0.0, top, 3)
    return ticks if len(ticks) >= 2 else nice_ticks(0.0, top, 5)


def rounds_text(rounds: int | None, more: str = "more than {limit}", tex: bool = False) -> str:
    """Rounds needed, or 'more than 500' (`more`, a script's words) when the comparison
    gave up."""
    if rounds is None:
        return rf"> {COMPARE_LIMIT}" if tex else more.format(limit=COMPARE_LIMIT)
    return str(rounds)


def significant(value: float) -> str:
    """A positive number with three significant digits, as TeX: 0.0377, 3.77, 377, 3770,
    and with a power of ten from 10⁵ up and below 0.01 (3.77 \\times 10^{5})."""
    power = math.floor(math.log10(value))
    if power >= 5 or power < -2:
        mantissa = fixed(value / 10.0**power, 2)
        if mantissa == "10.00":  # rounding carried into the next power
            mantissa, power = "1.00", power + 1
        return rf"{mantissa}\times 10^{{{power}}}"
    return fixed(value, max(0, 2 - power))
