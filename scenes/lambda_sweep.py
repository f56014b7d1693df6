"""lambda_sweep — λ slides the solution from x*_free to the origin (seed 000, Figure 2).

As λ grows on a log slider, w(λ) = (H + λI)⁻¹ H c travels from c to 0 and leaves the
regularisation path behind it. At every λ the circle through w(λ) (the budget k(λ) = ||w(λ)||²
this λ implies) touches the level set of f through w(λ); ghosts stay behind at a few λ, one of
them at tangency's budget, so the two scenes visibly show the same point. An inset plots k
against λ: the penalised and the constrained problem are one family of solutions.

    manim -ql scenes/lambda_sweep.py LambdaSweep
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
    Create,
    DashedLine,
    DashedVMobject,
    FadeIn,
    Mobject,
    Rectangle,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    linear,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, nearest, param, point_text
from scenes.plane import (
    PlaneScene,
    View,
    around,
    curve,
    graph_axes,
    marker,
    place_after,
    place_clear,
    plate,
    tex,
)
from scenes.readout import Readout
from scenes.theme import TEXT

TANGENCY_K = 1.5  # tangency's default budget: its optimum is one of the ghosts


@dataclass(frozen=True)
class LambdaSweepParams(Timed):
    ghost_lams: tuple[float, ...] | None = param(
        None,
        "λ values that leave a ghost (circle and touching level set) behind "
        "(null: 0, tangency's λ for k = 1.5, and the λ where k(λ) = 0.06 ||c||²)",
    )
    lam_min: float | None = param(
        None, "smallest λ > 0 on the log slider (null: a power of 10 below H's eigenvalues)"
    )
    lam_max: float | None = param(
        None, "largest finite λ on the slider (null: a power of 10 above H's eigenvalues)"
    )
    sweep_time: float = param(9.0, "seconds for λ to run from 0 to ∞")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 2.0 <= self.sweep_time <= 60.0:
            raise ValueError(f"sweep_time must be 2–60 s, got {self.sweep_time}")
        if self.lam_min is not None and self.lam_max is not None:
            if not 0 < self.lam_min < self.lam_max < math.inf:
                raise ValueError(
                    f"need 0 < lam_min < lam_max < inf, got lam_min={self.lam_min}, "
                    f"lam_max={self.lam_max}"
                )
        if self.ghost_lams is not None:
            if not 1 <= len(self.ghost_lams) <= 6 or any(g < 0 for g in self.ghost_lams):
                raise ValueError("ghost_lams: give 1 to 6 values ≥ 0")


@dataclass(frozen=True)
class LogSlider:
    """Slider position s ∈ [0, 1] for λ ∈ {0} ∪ [lam_min, lam_max] ∪ {∞}: 0 at s = 0, a log
    scale on [gap, 1 − gap], ∞ at s = 1."""

    lam_min: float
    lam_max: float
    gap: float = 0.08

    def position(self, lam: float) -> float:
        if lam == 0:
            return 0.0
        if math.isinf(lam):
            return 1.0
        frac = math.log(lam / self.lam_min) / math.log(self.lam_max / self.lam_min)
        return self.gap + (1 - 2 * self.gap) * frac

    def lam(self, position):
        frac = (position - self.gap) / (1 - 2 * self.gap)
        return self.lam_min * (self.lam_max / self.lam_min) ** frac


@dataclass(frozen=True)
class SweepSolution:
    view: View
    slider: LogSlider
    positions: np.ndarray  # slider positions of the samples, increasing from 0 to 1
    lams: np.ndarray  # λ at each sample: 0, a log grid (with the ghosts), ∞
    path: np.ndarray  # w(λ) at each sample, from ridge_path
    budgets: np.ndarray  # k(λ) = ||w(λ)||²
    circles: np.ndarray  # the circle ||w||² = k(λ) at each sample
    touching: np.ndarray  # the level set of f through w(λ) at each sample
    ghost_lams: tuple[float, ...]
    ghost_points: np.ndarray
    ghost_budgets: np.ndarray
    ghost_circles: np.ndarray  # the circle through each ghost
    ghost_levels: np.ndarray  # the whole level set of f touching it there
    tangency_lam: float | None  # the ghost at tangency's budget (None: c is inside it)
    k_ticks: tuple[float, ...]  # valued ticks on the inset's k axis
    lam_ticks: tuple[float, ...]  # valued ticks on the λ slider (besides 0 and ∞)
    straight: bool  # the path is a segment (mathcore.path_is_straight)

    def index(self, position: float) -> int:
        """The sample nearest a slider position."""
        return nearest(self.positions, position)


def _decade(lam: float) -> str:
    """A power of ten as a tick label: 0.1, 1, 10, 100, else 10^e."""
    e = round(math.log10(lam))
    return f"{lam:g}" if -1 <= e <= 2 else f"10^{{{e}}}"


def _power_of_ten(x: float, up: bool) -> float:
    return 10.0 ** (math.ceil(math.log10(x)) if up else math.floor(math.log10(x)))


def _box(mob: Mobject) -> np.ndarray:
    """(left, bottom, right, top) of a mobject, in scene units."""
    return np.array([*mob.get_corner(DOWN + LEFT)[:2], *mob.get_corner(UP + RIGHT)[:2]])


def _overlaps(a: np.ndarray, b: np.ndarray) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _distances(box: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Distance from a box to each point (0 inside)."""
    dx = np.maximum(np.maximum(box[0] - points[:, 0], points[:, 0] - box[2]), 0.0)
    dy = np.maximum(np.maximum(box[1] - points[:, 1], points[:, 1] - box[3]), 0.0)
    return np.hypot(dx, dy)


class LambdaSweep(PlaneScene):
    """w(λ) travels from c to the origin along the regularisation path."""

    Params = LambdaSweepParams
    script = "lambda_sweep"
    beats = ("problem", "sweep", "sweep.tangency", "sweep.origin", "inset", "path", "straight")
    samples = 480  # λ values on the log part of the slider
    big_budget = 0.06  # the large-λ ghost sits where k(λ) is this fraction of ||c||²
    # (unless that is within a factor 2 of tangency's k: its circle would double that ghost's)
    label_margin = 0.16  # room kept between ghost labels (scene units)
    tick_apart = 0.2  # the least gap between k ticks, as a fraction of ||c||²
    scrub = (Scrubbed("lam", "λ"), Scrubbed("w", "w(λ)"), Scrubbed("k", "k(λ) = ‖w(λ)‖²"))

    @classmethod
    def solve(cls, params: LambdaSweepParams) -> SweepSolution:
        loss = params.loss()
        sigma = np.linalg.eigvalsh(loss.H)
        c2 = float(loss.center @ loss.center)
        tangency_lam = cls.tangency_multiplier(loss, c2)
        lowest = min(0.02 * sigma[0], tangency_lam or math.inf)
        lam_min = params.lam_min or _power_of_ten(lowest, up=False)
        lam_max = params.lam_max or _power_of_ten(50 * sigma[-1], up=True)
        if not lam_min < lam_max:
            raise ValueError(f"lam_min = {lam_min:g} must be below lam_max = {lam_max:g}")
        slider = LogSlider(lam_min, lam_max)
        if tangency_lam is not None and not lam_min <= tangency_lam <= lam_max:
            tangency_lam = None  # the user's slider leaves tangency's point out
        if params.ghost_lams is None and c2 < 1e-12:  # c = 0: w(λ) = 0 for every λ
            ghosts = [0.0]
        elif params.ghost_lams is None:
            ghosts = [0.0]
            if tangency_lam is not None:
                ghosts.append(tangency_lam)
            small_k = cls.big_budget * c2
            if tangency_lam is None or abs(math.log(small_k / TANGENCY_K)) > math.log(2):
                big = mc.multiplier_for_budget(loss, small_k)  # apart from tangency's circle
                ghosts += [big] if lam_min <= big <= lam_max else []
        else:
            ghosts = list(params.ghost_lams)
            for lam in ghosts:
                if lam != 0 and not lam_min <= lam <= lam_max:
                    raise ValueError(
                        f"ghost_lams: {lam:g} is off the slider [{lam_min:g}, {lam_max:g}]; "
                        "use 0 or a value on it (or set lam_min, lam_max)"
                    )
        ghosts = tuple(sorted(set(ghosts)))
        grid = slider.lam(np.linspace(slider.gap, 1 - slider.gap, cls.samples))
        lams = np.unique(np.concatenate([[0.0], grid, [g for g in ghosts if g > 0], [np.inf]]))
        path = mc.ridge_path(loss, lams)
        budgets = mc.budget_of_lambda(loss, lams)
        ghost_points = np.array([mc.solve_penalized(loss, g) for g in ghosts]).reshape(-1, 2)
        ghost_budgets = mc.budget_of_lambda(loss, ghosts)
        decades = range(math.ceil(math.log10(lam_min)), math.floor(math.log10(lam_max)) + 1)
        lam_ticks = tuple(10.0**e for e in decades)
        while len(lam_ticks) > 4:  # fewer decades, keeping the labels apart
            lam_ticks = lam_ticks[::2]
        return SweepSolution(
            view=cls.view(loss, mc.circle(max(c2, 1e-6), 64)),
            slider=slider,
            positions=np.array([slider.position(lam) for lam in lams]),
            lams=lams,
            path=path,
            budgets=budgets,
            circles=np.array([mc.circle(max(k, 1e-12), 120) for k in budgets]),
            touching=np.array([mc.level_set_through(loss, w) for w in path]),
            ghost_lams=ghosts,
            ghost_points=ghost_points,
            ghost_budgets=ghost_budgets,
            ghost_circles=np.array([mc.circle(max(k, 1e-12), 120) for k in ghost_budgets]),
            ghost_levels=np.array([mc.level_set_through(loss, p, 240) for p in ghost_points]),
            tangency_lam=tangency_lam,
            k_ticks=cls.k_ticks(c2, tangency_lam is not None),
            lam_ticks=lam_ticks,
            straight=mc.path_is_straight(loss),
        )

    @classmethod
    def tangency_multiplier(cls, loss: mc.QuadraticLoss, c2: float) -> float | None:
        """λ where k(λ) = tangency's k (None when c lies inside that circle, or so near it
        that λ shows as 0.00: then tangency's point is c, the ghost at λ = 0)."""
        if c2 <= TANGENCY_K:
            return None
        lam = mc.multiplier_for_budget(loss, TANGENCY_K)
        return lam if fixed(lam, 2) != fixed(0.0, 2) else None

    @classmethod
    def k_ticks(cls, c2: float, tangency: bool) -> tuple[float, ...]:
        """k(0) = ||c||² and tangency's budget (where its ghost meets the curve) when their
        labels stand apart on the inset's k axis; else ||c||² and half of it."""
        if tangency and cls.tick_apart * c2 < TANGENCY_K < (1 - cls.tick_apart) * c2:
            return (TANGENCY_K, c2)
        return (c2 / 2, c2)

    @classmethod
    def results(cls, s: SweepSolution) -> dict:
        finite = np.isfinite(s.lams)
        tangency = s.tangency_lam is not None
        return {
            "path": s.path.tolist(),
            "path_lams": [float(v) if math.isfinite(v) else "inf" for v in s.lams],
            "ghost_lams": list(s.ghost_lams),
            "ghost_points": s.ghost_points.tolist(),
            "ghost_budgets": s.ghost_budgets.tolist(),
            "k_of_lam": np.column_stack([s.lams[finite], s.budgets[finite]]).tolist(),
            "straight": s.straight,
            "c_norm2": float(s.budgets[0]),
            "tangency_k": TANGENCY_K,
            "tangency_lam": s.tangency_lam if tangency else 0.0,
        }

    @classmethod
    def alt_text(cls, s: SweepSolution) -> str:
        c = point_text(s.view.center)
        shape = "straight line" if s.straight else "curved path"
        lams = ", ".join(fixed(g, 2) for g in s.ghost_lams)
        return (
            f"As the penalty λ grows from 0 to infinity, the ridge solution moves from the "
            f"unconstrained minimum {c} to the origin along a {shape}; at each λ a circle "
            f"around the origin touches an elliptical level set of the loss at the solution, "
            f"with copies left at λ = {lams}, and an inset plots the implied budget k(λ)."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        s = self.solution
        self.draw_landscape()
        with self.beat("problem"):
            pass
        self.start_sweep()
        with self.beat("sweep", self.params.sweep_time) as b:
            if s.tangency_lam is not None:  # the slider rests on tangency's point while named
                self.sweep_to(s.slider.position(s.tangency_lam), b)
                b.mark("tangency")
            b.mark("origin")
            self.sweep_to(1.0, b)
            self.reach_infinity()
        with self.beat("inset"):
            self.play(FadeIn(self.equivalence, shift=0.2 * UP), run_time=0.8)
        with self.beat("straight" if s.straight else "path"):
            self.play(FadeIn(self.limits, shift=0.2 * UP), run_time=0.8)
            self.wait(self.params.hold_time)

    def draw_landscape(self) -> None:
        s, t = self.solution, self.theme
        self.make_plane(s.view)
        self.formula = self.in_panel(
            tex(r"w(\lambda) = \arg\min_w\ \|Xw - b\|^2 + \lambda \|w\|^2", t.text, TEXT.body)
        )
        self.lam_text = tex(r"\lambda =", t.optimum)
        self.in_panel(self.lam_text, self.formula, buff=0.4)
        self.lam_value = place_after(Readout(0.0, 2, t.optimum), self.lam_text, buff=0.2)
        self.inset = self.make_inset()
        self.equivalence = self.in_panel(
            tex(
                r"\text{penalty } \lambda\ \Leftrightarrow\ \text{budget } k(\lambda)",
                t.text,
                TEXT.body,
            ),
            self.inset,
            buff=0.35,
        )
        self.limits = self.make_limits()
        self.show_plane(self.formula, self.lam_text, self.lam_value, self.inset)

    def make_inset(self) -> VGroup:
        """k(λ) against the λ slider, with valued ticks: the map between the two problems."""
        s, t = self.solution, self.theme
        top = float(s.budgets[0]) * 1.15
        axes = graph_axes(1.0, top, (3.7, 1.9), t)
        ticks = VGroup()
        for lam, label in [
            (0.0, "0"),
            *((lam, _decade(lam)) for lam in s.lam_ticks),
            (math.inf, r"\infty"),
        ]:
            x = s.slider.position(lam)
            if 0 < x < 1 and not 0.16 < x < 0.84:
                continue  # too close to 0 or ∞ for its label
            tick = curve(axes, [(x, 0), (x, -0.05 * top)], t.muted, width=2)
            ticks.add(tick, tex(label, t.muted, TEXT.note).next_to(tick, DOWN, buff=0.06))
        for k in s.k_ticks:
            tick = curve(axes, [(0, k), (-0.02, k)], t.muted, width=2)
            ticks.add(tick, tex(fixed(k, 2), t.muted, TEXT.note).next_to(tick, LEFT, buff=0.08))
        k_curve = curve(axes, np.column_stack([s.positions, s.budgets]), t.g, width=3)
        x_label = tex(r"\lambda", t.text, TEXT.label).next_to(axes.x_axis, RIGHT, buff=0.22)
        y_label = tex(r"k(\lambda) = \|w(\lambda)\|^2", t.g, TEXT.label)
        y_label.next_to(axes, UP, buff=0.1).align_to(axes, LEFT)
        self.inset_axes = axes
        inset = VGroup(axes, ticks, k_curve, x_label, y_label)
        return self.in_panel(inset, self.lam_text, buff=0.45)

    def make_limits(self) -> VGroup:
        s, t = self.solution, self.theme
        why = (
            [r"\text{A straight path: } c \text{ lies along}", r"\text{an eigenvector of } H"]
            if s.straight
            else [
                r"\text{The path bends: directions with}",
                r"\text{small } \sigma_j \text{ shrink first, by } \sigma_j / (\sigma_j + \lambda)",
            ]
        )
        limits = VGroup(
            tex(
                r"\lambda = 0:\ w = x^*_{\mathrm{free}} \qquad \lambda \to \infty:\ w \to 0",
                t.text,
                TEXT.label,
            ),
            *(tex(line, t.text, TEXT.label) for line in why),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        self.mark("explanation", limits[1:])
        return self.in_panel(limits, self.equivalence, buff=0.35)

    def frame_readouts(self) -> dict:
        s = self.solution
        progress = getattr(self, "progress", None)
        i = 0 if progress is None else s.index(progress.get_value())
        lam = float(s.lams[i])
        return {
            "lam": lam if math.isfinite(lam) else "∞",
            "w": s.path[i].tolist(),
            "k": float(s.budgets[i]),
        }

    def start_sweep(self) -> None:
        """The moving circle, its touching level set, the trail, the point and the inset's
        knob, all following one tracker: the slider position."""
        s, t, axes = self.solution, self.theme, self.axes
        self.progress = ValueTracker(0.0)
        last = len(s.lams) - 1

        def current() -> int:
            return s.index(self.progress.get_value())

        def circle():
            i = current()
            return VMobject() if i == last else curve(axes, s.circles[i], t.g, 4, box=self.box)

        def touching():  # at λ = ∞ the circle has radius 0: nothing touches it
            i = current()
            return VMobject() if i == last else curve(axes, s.touching[i], t.f, 4, box=self.box)

        trail = always_redraw(lambda: curve(axes, s.path[: current() + 1], t.optimum, width=5))
        dot = always_redraw(lambda: marker(axes, s.path[current()], t.optimum, radius=0.09))
        knob = always_redraw(
            lambda: marker(
                self.inset_axes, (s.positions[current()], s.budgets[current()]), t.optimum, 0.07
            )
        )
        self.lam_value.add_updater(lambda m: m.set_value(s.lams[min(current(), last - 1)]))
        self.ghosts = VGroup()
        self.ghost_labels: list[Mobject] = []
        self.ghost_dots = [marker(axes, p, t.optimum, radius=0.07) for p in s.ghost_points]
        moving = [always_redraw(circle), always_redraw(touching)]
        self.add(*moving, trail, dot, knob)
        for name, mob in (("circle", moving[0]), ("touching", moving[1]), ("point", dot)):
            self.mark(name, mob)
        self.next_ghost = 0

    def sweep_to(self, target: float, beat) -> None:
        """Move the slider to `target` at constant speed (the whole sweep lasts the beat),
        leaving a ghost at each ghost λ up to it."""
        s = self.solution
        speed = 1.0 / max(beat.duration, self.params.sweep_time)
        while self.next_ghost < len(s.ghost_lams):
            at = s.slider.position(s.ghost_lams[self.next_ghost])
            if at > target:
                break
            self.move_slider(at, speed)
            self.leave_ghost(self.next_ghost)
            self.next_ghost += 1
        self.move_slider(target, speed)

    def move_slider(self, target: float, speed: float) -> None:
        gone = target - self.progress.get_value()
        if gone > 1e-9:
            self.play(
                self.progress.animate.set_value(target), rate_func=linear, run_time=gone / speed
            )

    def reach_infinity(self) -> None:
        t = self.theme
        self.lam_value.clear_updaters()
        infinity = tex(r"\infty", t.optimum).move_to(self.lam_value, aligned_edge=LEFT)
        self.play(ReplacementTransform(self.lam_value, infinity), run_time=0.3)

    def leave_ghost(self, i: int) -> None:
        """A dashed copy of the circle and of the level set touching it at ghost i (dashed, so
        they stand apart from the rings), its dot on the inset's curve, and its λ on a plate,
        kept a label's margin clear of the other labels and dots."""
        s, t, axes = self.solution, self.theme, self.axes
        lam = s.ghost_lams[i]
        ghost = VGroup()
        if s.ghost_budgets[i] > 1e-9 and lam > 0:
            circle = curve(axes, s.ghost_circles[i], t.g, width=3, box=self.box)
            level = curve(axes, s.ghost_levels[i], t.f, width=3.5, box=self.box)
            ghost.add(DashedVMobject(circle, num_dashes=48, dashed_ratio=0.55))
            ghost.add(DashedVMobject(level, num_dashes=90, dashed_ratio=0.6))
        ghost.add(self.ghost_dots[i])
        x, k = s.slider.position(lam), s.ghost_budgets[i]
        on_inset = VGroup(marker(self.inset_axes, (x, k), t.optimum))
        if lam == s.tangency_lam and TANGENCY_K in s.k_ticks:  # its k, read on the k axis
            start, end = self.inset_axes.c2p(0, k), self.inset_axes.c2p(x, k)
            on_inset.add_to_back(DashedLine(start, end, color=t.muted, stroke_width=2))
        text = rf"\lambda = {fixed(lam, 2) if lam else 0}"
        if lam == s.tangency_lam:
            text += rf",\ k = {fixed(TANGENCY_K, 1)}"
        label = plate(tex(text, t.text, TEXT.note), t)
        self.place_ghost_label(label, i)
        self.ghost_labels.append(label)
        self.ghosts.add(ghost)
        drawn = Create(ghost[:-1]) if len(ghost) > 1 else FadeIn(ghost)
        self.play(drawn, FadeIn(label, on_inset), run_time=0.4)
        self.add(ghost, *self.ghost_labels)  # the labels' plates stay above every ghost

    def place_ghost_label(self, label: Mobject, i: int) -> None:
        """Beside ghost i's dot, on the first side (starting across the path) where the label
        and a margin around it cover no other label, no dot and no stretch of the path, stay
        in the plot and sit nearer this dot than any other ghost's."""
        s, axes = self.solution, self.axes
        anchor = axes.c2p(*s.ghost_points[i])
        dots = np.array([axes.c2p(*p)[:2] for p in s.ghost_points])
        path = np.array([axes.c2p(*p)[:2] for p in s.path])
        other_dots = [d for j, d in enumerate(self.ghost_dots) if j != i]
        blocked = [_box(m) for m in (*self.plane.labels, *self.ghost_labels, *other_dots)]
        plot = _box(axes)
        margin = self.label_margin
        room = Rectangle(width=label.width + margin, height=label.height + margin)
        outward = s.ghost_points[i] / max(np.linalg.norm(s.ghost_points[i]), 1e-9)
        across = np.array([outward[1], -outward[0]])

        def fits(box: np.ndarray) -> bool:
            inside = plot[0] <= box[0] and plot[1] <= box[1] and box[2] <= plot[2]
            inside = inside and box[3] <= plot[3]
            reach = _distances(box, dots)
            return (
                inside
                and not any(_overlaps(box, other) for other in blocked)
                and not np.any(_distances(box, path) <= 0)
                and reach[i] <= reach.min() + 1e-9
            )

        for gap in (0.05, 0.3):
            for direction in around(across):
                place_clear(room, anchor, [direction], gap=gap)
                if fits(_box(room)):
                    label.move_to(room)
                    return
        obstacles = [*self.plane.labels, *self.ghost_labels, *self.ghost_dots]
        label.move_to(place_clear(room, anchor, around(across), obstacles, axes))
