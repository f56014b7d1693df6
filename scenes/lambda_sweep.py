"""lambda_sweep — λ slides the solution from x*_free to the origin (seed 000, Figure 2).

As λ grows on a log slider, w(λ) = (H + λI)⁻¹ H c travels from c to 0 and leaves the
regularisation path behind it. At every λ the circle through w(λ) (the budget k(λ) = ||w(λ)||²
this λ implies) touches the level set of f through w(λ); ghosts stay behind at a few λ. An
inset plots k against λ: the penalised and the constrained problem are the same problem.

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
    FadeIn,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    linear,
)

import mathcore as mc
from scenes.base import Timed, nearest, param, point_text
from scenes.plane import (
    PlaneScene,
    Readout,
    View,
    curve,
    graph_axes,
    marker,
    place_after,
    tex,
)
from scenes.theme import TEXT


@dataclass(frozen=True)
class LambdaSweepParams(Timed):
    ghost_lams: tuple[float, ...] = param(
        (0.0, 0.3, 1.0, 3.0, 10.0), "λ values that leave a labelled ghost behind"
    )
    lam_min: float = param(0.01, "smallest λ > 0 on the log slider (0 sits at its start)")
    lam_max: float = param(100.0, "largest finite λ on the slider (∞ sits at its end)")
    sweep_time: float = param(7.0, "seconds for λ to run from 0 to ∞")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.lam_min < self.lam_max < math.inf:
            raise ValueError(
                f"need 0 < lam_min < lam_max < inf, got lam_min={self.lam_min}, "
                f"lam_max={self.lam_max}"
            )
        for lam in self.ghost_lams:
            if lam != 0 and not self.lam_min <= lam <= self.lam_max:
                raise ValueError(
                    f"ghost_lams: {lam} is off the slider; use 0 or values in "
                    f"[lam_min, lam_max] = [{self.lam_min}, {self.lam_max}]"
                )


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

    def lam(self, position: float) -> float:
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
    ghost_circles: np.ndarray  # the circle through each ghost
    ghost_arcs: np.ndarray  # a short arc of the level set touching it there
    straight: bool  # the path is a segment (mathcore.path_is_straight)

    def index(self, position: float) -> int:
        """The sample nearest a slider position."""
        return nearest(self.positions, position)


class LambdaSweep(PlaneScene):
    """w(λ) travels from c to the origin along the regularisation path."""

    Params = LambdaSweepParams
    samples = 480  # λ values on the log part of the slider

    @classmethod
    def solve(cls, params: LambdaSweepParams) -> SweepSolution:
        loss = params.loss()
        slider = LogSlider(params.lam_min, params.lam_max)
        ghosts = tuple(sorted(set(params.ghost_lams)))
        grid = slider.lam(np.linspace(slider.gap, 1 - slider.gap, cls.samples))
        lams = np.unique(np.concatenate([[0.0], grid, [g for g in ghosts if g > 0], [np.inf]]))
        path = mc.ridge_path(loss, lams)
        budgets = mc.budget_of_lambda(loss, lams)
        ghost_points = np.array([mc.solve_penalized(loss, g) for g in ghosts]).reshape(-1, 2)
        ghost_levels = [mc.level_set_through(loss, p, 240) for p in ghost_points]
        return SweepSolution(
            view=cls.view(loss, mc.circle(max(float(np.sum(loss.center**2)), 1e-6), 64)),
            slider=slider,
            positions=np.array([slider.position(lam) for lam in lams]),
            lams=lams,
            path=path,
            budgets=budgets,
            circles=np.array([mc.circle(max(k, 1e-12), 120) for k in budgets]),
            touching=np.array([mc.level_set_through(loss, w) for w in path]),
            ghost_lams=ghosts,
            ghost_points=ghost_points,
            ghost_circles=np.array(
                [mc.circle(max(k, 1e-12), 120) for k in mc.budget_of_lambda(loss, ghosts)]
            ).reshape(-1, 121, 2),
            ghost_arcs=np.array([np.vstack([r[-25:], r[:26]]) for r in ghost_levels]).reshape(
                -1, 51, 2
            ),
            straight=mc.path_is_straight(loss),
        )

    @classmethod
    def results(cls, s: SweepSolution) -> dict:
        finite = np.isfinite(s.lams)
        return {
            "path": s.path.tolist(),
            "path_lams": [float(v) if math.isfinite(v) else "inf" for v in s.lams],
            "ghost_lams": list(s.ghost_lams),
            "ghost_points": s.ghost_points.tolist(),
            "k_of_lam": np.column_stack([s.lams[finite], s.budgets[finite]]).tolist(),
            "straight": s.straight,
        }

    @classmethod
    def alt_text(cls, s: SweepSolution) -> str:
        c = point_text(s.view.center)
        shape = "straight line" if s.straight else "curved path"
        lams = ", ".join(f"{g:g}" for g in s.ghost_lams)
        return (
            f"As the penalty λ grows from 0 to infinity, the ridge solution moves from the "
            f"unconstrained minimum {c} to the origin along a {shape}; at each λ a circle "
            f"around the origin touches an elliptical level set of the loss at the solution, "
            f"with copies left at λ = {lams}, and an inset plots the implied budget k(λ)."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_landscape()
        self.sweep()
        self.label_limits()
        self.wait(self.params.hold_time)

    def draw_landscape(self) -> None:
        s, t = self.solution, self.theme
        self.make_plane(s.view)
        self.formula = self.in_panel(
            tex(r"w(\lambda) = \arg\min_w\ \|Xw - b\|^2 + \lambda \|w\|^2", t.text, TEXT.body)
        )
        self.lam_text = tex(r"\lambda =", t.optimum)
        self.in_panel(self.lam_text, self.formula, buff=0.45)
        self.lam_value = place_after(Readout(0.0, 2, t.optimum), self.lam_text, buff=0.2)
        self.inset = self.make_inset()
        self.show_plane(
            self.params.intro_time, self.formula, self.lam_text, self.lam_value, self.inset
        )

    def make_inset(self) -> VGroup:
        """k(λ) against the λ slider: the map between the two problems."""
        s, t = self.solution, self.theme
        top = float(s.budgets[0]) * 1.1
        axes = graph_axes(1.0, top, (4.6, 2.0), t)
        ticks = VGroup()
        marks = [
            (0.0, "0"),
            *((10.0**e, f"{10.0**e:g}") for e in range(-4, 5)),
            (math.inf, r"\infty"),
        ]
        for lam, label in marks:
            x = s.slider.position(lam)
            ends = lam == 0 or math.isinf(lam)
            if ends or (s.slider.lam_min <= lam <= s.slider.lam_max and 0.12 < x < 0.88):
                tick = curve(axes, [(x, 0), (x, -0.04 * top)], t.muted, width=2)
                ticks.add(tick, tex(label, t.muted, TEXT.note).next_to(tick, DOWN, buff=0.06))
        k_curve = curve(axes, np.column_stack([s.positions, s.budgets]), t.g, width=3)
        x_label = tex(r"\lambda", t.muted, TEXT.label).next_to(axes.x_axis, RIGHT, buff=0.15)
        y_label = tex(r"k(\lambda) = \|w(\lambda)\|^2", t.g, TEXT.note)
        y_label.next_to(axes.c2p(0, top), RIGHT, buff=0.15)
        self.inset_axes = axes
        inset = VGroup(axes, ticks, k_curve, x_label, y_label)
        return self.in_panel(inset, self.lam_text, buff=0.6)

    def sweep(self) -> None:
        s, t, axes = self.solution, self.theme, self.axes
        self.progress = ValueTracker(0.0)

        def current() -> int:
            return s.index(self.progress.get_value())

        def circle():
            return curve(axes, s.circles[current()], t.g, width=4, box=self.box)

        def touching():
            return curve(axes, s.touching[current()], t.f, width=4, box=self.box)

        trail = always_redraw(lambda: curve(axes, s.path[: current() + 1], t.optimum, width=5))
        dot = always_redraw(lambda: marker(axes, s.path[current()], t.optimum, radius=0.09))
        knob = always_redraw(
            lambda: marker(
                self.inset_axes, (s.positions[current()], s.budgets[current()]), t.optimum, 0.07
            )
        )
        self.lam_value.add_updater(lambda m: m.set_value(s.lams[min(current(), len(s.lams) - 2)]))
        self.add(always_redraw(circle), always_redraw(touching), trail, dot, knob)

        self.ghosts = VGroup()
        done = 0.0
        for i, lam in enumerate(s.ghost_lams):
            target = s.slider.position(lam)
            if target > done:
                self.play(
                    self.progress.animate.set_value(target),
                    rate_func=linear,
                    run_time=self.params.sweep_time * (target - done),
                )
                done = target
            self.leave_ghost(i)
        self.play(
            self.progress.animate.set_value(1.0),
            rate_func=linear,
            run_time=self.params.sweep_time * (1.0 - done),
        )
        self.lam_value.clear_updaters()
        infinity = tex(r"\infty", t.optimum).move_to(self.lam_value, aligned_edge=LEFT)
        self.play(ReplacementTransform(self.lam_value, infinity), run_time=0.3)

    def leave_ghost(self, i: int) -> None:
        """A faint copy of the circle and the touching piece of level set at ghost i."""
        s, t, axes = self.solution, self.theme, self.axes
        point = s.ghost_points[i]
        ghost = VGroup(curve(axes, s.ghost_circles[i], t.g, width=2, stroke_opacity=0.4))
        ghost.add(curve(axes, s.ghost_arcs[i], t.f, width=2.5, stroke_opacity=0.7))
        ghost.add(marker(axes, point, t.optimum, radius=0.06))
        label = tex(rf"\lambda = {s.ghost_lams[i]:g}", t.text, TEXT.note)
        outward = point / max(np.linalg.norm(point), 1e-9)
        side = np.array([outward[1], -outward[0]])  # to the lower right of the path
        label.move_to(axes.c2p(*(point + 0.38 * side + 0.1 * outward)))
        ghost.add(label)
        self.ghosts.add(ghost)
        self.add(ghost)

    def label_limits(self) -> None:
        s, t = self.solution, self.theme
        why = (
            [
                r"\text{A straight path: } c \text{ lies along}",
                r"\text{directions that shrink alike}",
                r"\text{(one eigenvalue of } H\text{)}",
            ]
            if s.straight
            else [
                r"\text{The path bends: } H \neq \sigma I,",
                r"\text{so small-}\sigma_j\text{ directions}",
                r"\text{shrink first, by } \sigma_j / (\sigma_j + \lambda)",
            ]
        )
        limits = VGroup(
            tex(r"\lambda = 0:\ h = f,\ \ w = x^*_{\mathrm{free}}", t.text, TEXT.label),
            tex(r"\lambda \to \infty:\ w \to 0", t.text, TEXT.label),
            VGroup(*(tex(line, t.muted, TEXT.note) for line in why)).arrange(
                DOWN, aligned_edge=LEFT, buff=0.1
            ),
        )
        self.in_panel(limits[0], self.inset, buff=0.5)
        self.in_panel(limits[1], limits[0], buff=0.2)
        self.in_panel(limits[2], limits[1], buff=0.35)
        origin_tag = tex(r"\lambda \to \infty", t.text, TEXT.note)
        origin_tag.next_to(self.axes.c2p(0, 0), DOWN + LEFT, buff=0.15)
        self.mark("explanation", limits[2])
        self.play(Write(limits[:2]), FadeIn(origin_tag), run_time=1.0)
        self.play(FadeIn(limits[2], shift=0.2 * UP), run_time=0.8)
