"""lambda_sweep — penalty and budget: one family, two names (seed 000, Figure 2).

Ridge is least squares plus λ‖w‖², and it finds the same w as least squares under the budget
‖w‖² ≤ k: the penalised loss is the Lagrangian minus the constant λk. As λ grows on a log
slider, w(λ) = (H + λI)⁻¹ H ŵ travels from ŵ to 0 along the path drawn faintly from the first
frame; at every λ the circle through w(λ) (the budget k(λ) = ‖w(λ)‖² this λ implies) touches
the level set of f through w(λ). Ghosts stay behind at a few λ, one of them at tangency's
budget, each labelled with its λ and its k. An inset plots k against λ (0, a log scale, ∞).
Drawn last: H's eigenvectors q₁, q₂, along which w shrinks by σⱼ/(σⱼ + λ), and, where one
weight grows before it shrinks (mathcore.coefficient_turns), where it peaks.

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
    Circle,
    Create,
    DashedLine,
    DashedVMobject,
    FadeIn,
    Indicate,
    Mobject,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    linear,
)

import mathcore as mc
from narration import fixed, short_name
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
    place_after,
    place_free,
    plate,
    tex,
    tex_escape,
    to_scene,
    valued_axes,
    words_tex,
)
from scenes.readout import Readout
from scenes.tangency import TANGENCY_K
from scenes.theme import SPACE, TEXT

RIDGE = r"\min_w\ \|Xw - b\|^2 + \lambda \|w\|^2"  # the two problems, beside their names
BUDGET = r"\min_w\ \|Xw - b\|^2,\ \ \|w\|^2 \le k"
EIGEN = {  # the maths in the words on H's eigenvectors
    "q": Maths("q_1, q_2"),
    "H": Maths(r"H = X^\top X"),
    "w": Maths("w"),
    "q_j": Maths("q_j"),
    "factor": Maths(r"\sigma_j / (\sigma_j + \lambda)"),
}


@dataclass(frozen=True)
class LambdaSweepParams(Timed):
    ghost_lams: tuple[float, ...] | None = param(
        None,
        "λ values > 0 that leave a ghost (circle and touching level set) behind "
        "(null: tangency's λ for k = 1.5, and the λ where k(λ) = 0.06 ||ŵ||²)",
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
            if not 1 <= len(self.ghost_lams) <= 4 or any(g <= 0 for g in self.ghost_lams):
                raise ValueError("ghost_lams: give 1 to 4 values > 0 (λ = 0 is ŵ itself)")


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
class Growth:
    """A weight that grows in size before it shrinks along the path (from
    mathcore.coefficient_turns), or None where none does (visibly, at two decimals)."""

    index: int  # which weight: 0 or 1
    lam: float  # where |w_j(λ)| peaks
    start: float  # w_j(0) = ŵ_j
    peak: float  # w_j at the peak (signed)
    point: np.ndarray  # w(λ) there


@dataclass(frozen=True)
class SweepSolution:
    view: View
    slider: LogSlider
    positions: np.ndarray  # slider positions of the samples, increasing from 0 to 1
    clock: np.ndarray  # share of the sweep's time spent up to each sample (more where w moves)
    lams: np.ndarray  # λ at each sample: 0, a log grid (with the ghosts), ∞
    path: np.ndarray  # w(λ) at each sample, from ridge_path
    budgets: np.ndarray  # k(λ) = ||w(λ)||²
    circles: np.ndarray  # the circle ||w||² = k(λ) at each sample
    touching: np.ndarray  # the level set of f through w(λ) at each sample
    touching_size: np.ndarray  # its smallest distance from ŵ (data units): a speck is not drawn
    ghost_lams: tuple[float, ...]
    ghost_points: np.ndarray
    ghost_budgets: np.ndarray
    ghost_circles: np.ndarray  # the circle through each ghost
    ghost_levels: np.ndarray  # the whole level set of f touching it there
    tangency_lam: float | None  # the ghost at tangency's budget (None: ŵ is inside it)
    k_ticks: tuple[float, ...]  # valued ticks on the inset's k axis
    lam_ticks: tuple[float, ...]  # valued ticks on the λ slider (besides 0 and ∞)
    straight: bool  # the path is a segment (mathcore.path_is_straight)
    Q: np.ndarray  # H = QΣQᵀ: columns q₁, q₂
    sigma: np.ndarray  # σ₁ ≥ σ₂
    growth: Growth | None
    names: tuple[str, ...]  # the weights' names (the data's columns; empty: w₁, w₂)

    def index(self, clock: float) -> int:
        """The sample shown at a share `clock` of the sweep's time."""
        return int(min(np.searchsorted(self.clock, clock - 1e-12), len(self.clock) - 1))

    def sample(self, lam: float) -> int:
        return int(np.flatnonzero(self.lams == lam)[0])


def _decade(lam: float) -> str:
    """A power of ten as a tick label: 0.1, 1, 10, 100, else 10^e."""
    e = round(math.log10(lam))
    return f"{lam:g}" if -1 <= e <= 2 else f"10^{{{e}}}"


def _power_of_ten(x: float, up: bool) -> float:
    return 10.0 ** (math.ceil(math.log10(x)) if up else math.floor(math.log10(x)))


class LambdaSweep(PlaneScene):
    """w(λ) travels from ŵ to the origin along the regularisation path."""

    Params = LambdaSweepParams
    plot_box = (7.2, 7.2)
    center_tex = r"\hat w = w(0)"
    samples = 480  # λ values on the log part of the slider
    big_budget = 0.06  # the large-λ ghost sits where k(λ) is this fraction of ||ŵ||²
    # (unless that is within a factor 2 of tangency's k: its circle would double that ghost's)
    tick_apart = 0.2  # the least gap between k ticks, as a fraction of ||ŵ||²
    inset_size = (3.9, 1.7)
    tick_gap = 0.18  # the λ axis's values under it: the point reaches the axis at ∞
    name_clearance = 0.12  # scene units between q₁'s and q₂'s names and any line
    moving_share = 0.7  # of the sweep's time, the share spent in proportion to w's motion
    scrub = (Scrubbed("lam"), Scrubbed("w"), Scrubbed("k"))

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
        if params.ghost_lams is None and c2 < 1e-12:  # ŵ = 0: w(λ) = 0 for every λ
            ghosts = []
        elif params.ghost_lams is None:
            ghosts = [] if tangency_lam is None else [tangency_lam]
            small_k = cls.big_budget * c2
            if tangency_lam is None or abs(math.log(small_k / TANGENCY_K)) > math.log(2):
                big = mc.multiplier_for_budget(loss, small_k)  # apart from tangency's circle
                ghosts += [big] if lam_min <= big <= lam_max else []
        else:
            ghosts = list(params.ghost_lams)
            for lam in ghosts:
                if not lam_min <= lam <= lam_max:
                    raise ValueError(
                        f"ghost_lams: {lam:g} is off the slider [{lam_min:g}, {lam_max:g}]; "
                        "use a value on it (or set lam_min, lam_max)"
                    )
        ghosts = tuple(sorted(set(ghosts)))
        growth = cls.growth(loss, lam_min, lam_max)
        grid = slider.lam(np.linspace(slider.gap, 1 - slider.gap, cls.samples))
        marked = [*ghosts, *([] if growth is None else [growth.lam])]
        lams = np.unique(np.concatenate([[0.0], grid, marked, [np.inf]]))
        path = mc.ridge_path(loss, lams)
        budgets = mc.budget_of_lambda(loss, lams)
        ghost_points = np.array([mc.solve_penalized(loss, g) for g in ghosts]).reshape(-1, 2)
        ghost_budgets = mc.budget_of_lambda(loss, list(ghosts)) if ghosts else np.zeros(0)
        decades = range(math.ceil(math.log10(lam_min)), math.floor(math.log10(lam_max)) + 1)
        lam_ticks = tuple(10.0**e for e in decades)
        while len(lam_ticks) > 3:  # fewer decades, keeping the labels apart
            lam_ticks = lam_ticks[::2]
        positions = np.array([slider.position(lam) for lam in lams])
        touching = np.array([mc.level_set_through(loss, w) for w in path])
        # time: a share in proportion to the slider, the rest to how far w moves
        steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
        moved = steps / steps.sum() if steps.sum() > 0 else np.diff(positions)
        share = (1 - cls.moving_share) * np.diff(positions) + cls.moving_share * moved
        clock = np.concatenate([[0.0], np.cumsum(share)])
        return SweepSolution(
            view=cls.view(loss, mc.circle(max(c2, 1e-6), 64)),
            slider=slider,
            positions=positions,
            clock=clock / clock[-1],
            lams=lams,
            path=path,
            budgets=budgets,
            circles=np.array([mc.circle(max(k, 1e-12), 120) for k in budgets]),
            touching=touching,
            touching_size=np.linalg.norm(touching - loss.center, axis=-1).min(axis=1),
            ghost_lams=ghosts,
            ghost_points=ghost_points,
            ghost_budgets=np.asarray(ghost_budgets),
            ghost_circles=np.array([mc.circle(max(k, 1e-12), 120) for k in ghost_budgets]),
            ghost_levels=np.array([mc.level_set_through(loss, p, 240) for p in ghost_points]),
            tangency_lam=tangency_lam,
            k_ticks=cls.k_ticks(c2, tangency_lam is not None),
            lam_ticks=lam_ticks,
            straight=mc.path_is_straight(loss),
            Q=loss.Q.copy(),
            sigma=loss.sigma.copy(),
            growth=growth,
            names=tuple(params.names),
        )

    @classmethod
    def growth(cls, loss: mc.QuadraticLoss, lam_min: float, lam_max: float) -> Growth | None:
        """The weight that grows most (relative to its start) before it shrinks, if its growth
        shows at two decimals and its peak is on the slider; else None."""
        turns = mc.coefficient_turns(loss)
        best, best_gain = None, 1.0
        for j in np.flatnonzero(turns.grows_first):
            start, peak = abs(float(loss.center[j])), float(turns.peak[j])
            if fixed(start, 2) == fixed(peak, 2) or not lam_min <= turns.peak_lam[j] <= lam_max:
                continue
            if peak / max(start, 1e-300) > best_gain:
                best, best_gain = int(j), peak / max(start, 1e-300)
        if best is None:
            return None
        lam = float(turns.peak_lam[best])
        point = mc.solve_penalized(loss, lam)
        return Growth(best, lam, float(loss.center[best]), float(point[best]), point)

    @classmethod
    def tangency_multiplier(cls, loss: mc.QuadraticLoss, c2: float) -> float | None:
        """λ where k(λ) = tangency's k (None when ŵ lies inside that circle, or so near it
        that λ shows as 0.00: then tangency's point is ŵ itself)."""
        if c2 <= TANGENCY_K:
            return None
        lam = mc.multiplier_for_budget(loss, TANGENCY_K)
        return lam if fixed(lam, 2) != fixed(0.0, 2) else None

    @classmethod
    def k_ticks(cls, c2: float, tangency: bool) -> tuple[float, ...]:
        """k(0) = ||ŵ||² and tangency's budget (where its ghost meets the curve) when their
        labels stand apart on the inset's k axis; else ||ŵ||² and half of it."""
        if tangency and cls.tick_apart * c2 < TANGENCY_K < (1 - cls.tick_apart) * c2:
            return (TANGENCY_K, c2)
        return (c2 / 2, c2)

    @classmethod
    def weight_name(cls, names: tuple[str, ...], j: int) -> tuple[str, str, str]:
        """The j-th weight's name as a caption writes it, as a voice says it, and in TeX."""
        if names:
            name = short_name(names[j])
            spoken = "".join(c if c.isalnum() else " " for c in name).strip() or f"w {j + 1}"
            return name, spoken, rf"w_{{\text{{{tex_escape(name)}}}}}"
        return f"w{'₁₂'[j]}", cls.load_script().word("spoken_weights")[j], f"w_{j + 1}"

    @classmethod
    def results(cls, s: SweepSolution) -> dict:
        finite = np.isfinite(s.lams)
        tangency = s.tangency_lam is not None
        g = s.growth
        j = 0 if g is None else g.index
        name, spoken, _ = cls.weight_name(s.names, j)
        start = float(s.path[0][j]) if g is None else g.start
        peak = start if g is None else g.peak
        return {
            "path": s.path.tolist(),
            "path_lams": [float(v) if math.isfinite(v) else "inf" for v in s.lams],
            "ghost_lams": list(s.ghost_lams),
            "ghost_points": s.ghost_points.tolist(),
            "ghost_budgets": s.ghost_budgets.tolist(),
            "last_ghost_lam": float(s.ghost_lams[-1]),  # the smallest budget marked
            "last_ghost_k": float(s.ghost_budgets[-1]),
            "k_of_lam": np.column_stack([s.lams[finite], s.budgets[finite]]).tolist(),
            "straight": s.straight,
            "w_hat_norm2": float(s.budgets[0]),
            "tangency_k": TANGENCY_K,
            "tangency_lam": s.tangency_lam if tangency else 0.0,
            "sigma": s.sigma.tolist(),
            "grows": g is not None,
            "grow_index": j,
            "grow_name": name,
            "grow_spoken": spoken,
            "grow_from": start,
            "grow_peak": peak,
            "grow_from_text": _signed(start),
            "grow_peak_text": _signed(peak),
            "grow_lam": 0.0 if g is None else g.lam,
        }

    @classmethod
    def alt_text(cls, s: SweepSolution) -> str:
        grows = ""
        if s.growth is not None:
            grows = cls.alt(
                "grows",
                j=s.growth.index + 1,
                start=fixed(s.growth.start, 2),
                peak=fixed(s.growth.peak, 2),
                lam=fixed(s.growth.lam, 2),
            )
        return cls.alt(
            "text",
            w_hat=point_text(s.view.center),
            shape=cls.alt("straight" if s.straight else "curved"),
            lams=", ".join(fixed(g, 2) for g in s.ghost_lams) or cls.alt("none"),
            grows=grows,
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        s, t = self.solution, self.theme
        # the fix in one line beside the problem: level sets around ŵ = w(0), the whole path
        # faintly, the budget each λ implies (the inset)
        self.make_plane(s.view)
        panel = self.panel
        self.progress = ValueTracker(0.0)
        self.lines = self.fixed_lines()
        self.fixed_boxes = [box_of(m) for m in self.plane.axes.labels]
        self.fixed_boxes.append(box_of(self.center_dot))
        self.place_center_label()
        preview = self.plane.curve(s.path, t.optimum, 3, stroke_opacity=0.35)
        ridge = panel.stack(
            tex(words_tex(self.word("ridge"), problem=Maths(RIDGE)), t.text, TEXT.body),
            Panel.TOP,
        )
        budget = panel.stack(
            tex(words_tex(self.word("budget"), problem=Maths(BUDGET)), t.text, TEXT.body),
            gap=SPACE.line,
        )
        lagrangian = tex(
            r"h(w, \lambda) = \|Xw - b\|^2 + \lambda\,(\|w\|^2 - k)", t.text, TEXT.body
        )
        panel.stack(lagrangian, gap=SPACE.line)
        readouts = self.readouts()
        panel.stack(readouts, gap=SPACE.item)
        self.inset = self.make_inset()
        panel.stack(self.inset, gap=SPACE.item)
        self.show_plane(preview, ridge, budget, readouts, self.inset)
        self.bring_to_front(self.center_dot, self.center_label)
        with self.beat("fix") as b:
            b.mark("lagrangian")
            self.play(FadeIn(lagrangian, shift=0.2 * UP), run_time=0.8)
            b.mark("start")
            self.play(Indicate(self.center_dot, color=t.f, scale_factor=1.8), run_time=1.0)

        # λ grows: w(λ) slides to 0, the circle through it touching a level set
        with self.beat("sweep", self.params.sweep_time) as b:
            self.start_sweep()
            if s.tangency_lam is not None:  # the slider rests on tangency's point while named
                self.sweep_to(s.clock[s.sample(s.tangency_lam)], b)
                b.mark("tangency")
            b.mark("origin")
            self.sweep_to(1.0, b)
            self.reach_infinity()

        # the inset: λ on a log scale, against the budget k it implies
        with self.beat("inset") as b:
            self.play(Indicate(self.inset_note, color=t.text), run_time=1.0)
            b.mark("family")
            self.play(Indicate(self.inset_curve, color=t.g, scale_factor=1.05), run_time=1.0)

        # along H's eigenvectors q₁, q₂, w shrinks by σⱼ/(σⱼ + λ): the path bends (or not)
        with self.beat("straight" if s.straight else "path"):
            eigen = self.eigenvectors()
            note = VGroup(
                tex(words_tex(self.word("eigenvectors"), **EIGEN), t.text, TEXT.body),
                tex(words_tex(self.word("shrinks"), **EIGEN), t.text, TEXT.body),
            ).arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
            self.mark("explanation", note)
            self.mark("q_lines", eigen[0])
            self.mark("q_names", eigen[1])
            panel.stack(note, self.inset, gap=SPACE.item)
            self.play(Create(eigen[0]), FadeIn(eigen[1], note), run_time=1.2)
            self.bring_to_front(*self.ghost_labels, self.center_label)
            if s.growth is None:
                self.wait(self.params.hold_time)

        # one weight grows before it shrinks (where one does)
        if s.growth is not None:
            with self.beat("grows") as b:
                guide, peak = self.growth_marks()
                self.play(Create(guide[0]), FadeIn(guide[1]), run_time=0.8)
                self.bring_to_front(*self.ghost_labels, self.center_label)  # over the guide
                self.play(FadeIn(peak), run_time=0.6)
                self.play(Indicate(peak[0], color=t.optimum, scale_factor=1.5), run_time=1.0)
                b.mark("why")
                self.wait(self.params.hold_time)

    # --- the panel and the inset ----------------------------------------------------------------

    def readouts(self) -> VGroup:
        """λ and k(λ), each following the slider."""
        s, t = self.solution, self.theme
        lam_text = tex(r"\lambda =", t.optimum)
        self.lam_value = place_after(Readout(0.0, 2, t.optimum, significant=3), lam_text, buff=0.2)
        k_text = tex(r"k(\lambda) =", t.g)
        k_text.next_to(lam_text, RIGHT, buff=2.4)
        widest = max(s.budgets[0], 1.0)
        self.k_value = place_after(Readout(widest, 2, t.g), k_text, buff=0.2)
        self.k_value.set_value(s.budgets[0])
        return VGroup(lam_text, self.lam_value, k_text, self.k_value)

    def make_inset(self) -> VGroup:
        """k(λ) against the λ slider (0, a log scale, ∞) on valued axes, with a line saying how
        λ runs: the map between the two problems."""
        s, t = self.solution, self.theme
        top = float(s.budgets[0]) * 1.15 or 1.0
        x_ticks = [(0.0, "0")]
        for lam in s.lam_ticks:
            x = s.slider.position(lam)
            if 0.16 < x < 0.84:  # not too close to 0 or ∞ for its label
                x_ticks.append((x, _decade(lam)))
        x_ticks.append((1.0, r"\infty"))
        y_ticks = [(k, fixed(k, 2)) for k in s.k_ticks if k > 0]
        axes = valued_axes(
            (0.0, 1.0),
            (0.0, top),
            self.inset_size,
            t,
            x_ticks=x_ticks,
            y_ticks=y_ticks,
            names=(r"\lambda", r"k(\lambda) = \|w(\lambda)\|^2"),
            x_tick_gap=self.tick_gap,
        )
        self.inset_axes = axes
        self.inset_curve = curve(axes, np.column_stack([s.positions, s.budgets]), t.g, width=3)
        scale = words_tex(self.word("log_scale"), lam=Maths(r"\lambda"), inf=Maths(r"\infty"))
        self.inset_note = tex(scale, t.text, TEXT.note)
        self.inset_note.next_to(axes.x_axis, DOWN, buff=self.tick_gap + 0.35)
        self.inset_note.align_to(axes.x_axis, LEFT)
        return VGroup(axes, self.inset_curve, self.inset_note)

    # --- the plane ------------------------------------------------------------------------------

    def fixed_lines(self) -> dict[str, np.ndarray]:
        """Lines labels keep off (scene points): the path, the growth guide (where a weight
        grows) and each ghost's circle and level set."""
        s, axes = self.solution, self.axes
        lines = {"path": dense(to_scene(axes, s.path))}
        if s.growth is not None:  # drawn last, but the eigenvectors' names keep off it
            lines["guide"] = dense(to_scene(axes, self.guide_ends()))
        for i in range(len(s.ghost_lams)):
            lines[f"circle{i}"] = dense(to_scene(axes, self.clipped(s.ghost_circles[i])))
            lines[f"level{i}"] = dense(to_scene(axes, self.clipped(s.ghost_levels[i])))
        return lines

    def all_lines(self) -> np.ndarray:
        return np.vstack(list(self.lines.values()))

    def place_center_label(self) -> None:
        """ŵ's label beside its dot, on the side away from the path, off every line."""
        s, axes = self.solution, self.axes
        away = s.path[0] - s.path[min(len(s.path) - 1, len(s.path) // 3)]
        if np.linalg.norm(away) < 1e-12:
            away = np.array([0.0, 1.0])
        place_free(
            self.center_label,
            self.center_dot.get_center(),
            around(away),
            self.fixed_boxes,
            self.all_lines(),
            box_of(axes),
        )
        self.fixed_boxes.append(box_of(self.center_label))

    def start_sweep(self) -> None:
        """The moving circle, its touching level set (from when it is more than a speck),
        the trail, the point and the inset's knob, all following one tracker: the clock."""
        s, t, axes = self.solution, self.theme, self.axes
        last = len(s.lams) - 1
        unit = s.view.unit

        def current() -> int:
            return s.index(self.progress.get_value())

        def circle():
            i = current()
            return VMobject() if i == last else self.plane.curve(s.circles[i], t.g, 4)

        def touching():  # a speck around the dot is not drawn; at λ = ∞ nothing touches
            i = current()
            size = s.touching_size[i] * unit
            if i == last or size < 0.08:
                return VMobject()
            opacity = min(1.0, (size - 0.08) / 0.25)
            return self.plane.curve(s.touching[i], t.f, 4, stroke_opacity=opacity)

        trail = always_redraw(lambda: curve(axes, s.path[: current() + 1], t.optimum, width=5))
        dot = always_redraw(lambda: marker(axes, s.path[current()], t.optimum, radius=0.09))
        knob = always_redraw(
            lambda: marker(
                self.inset_axes, (s.positions[current()], s.budgets[current()]), t.optimum, 0.07
            )
        )
        self.lam_value.add_updater(lambda m: m.set_value(s.lams[min(current(), last - 1)]))
        self.k_value.add_updater(lambda m: m.set_value(s.budgets[current()]))
        self.ghosts = VGroup()
        self.ghost_labels: list[Mobject] = []
        self.ghost_dots = [marker(axes, p, t.optimum, radius=0.07) for p in s.ghost_points]
        self.fixed_boxes += [box_of(d) for d in self.ghost_dots]
        moving = [always_redraw(circle), always_redraw(touching)]
        self.add(*moving, trail, dot, knob)
        self.bring_to_front(self.center_label)
        for name, mob in (("circle", moving[0]), ("touching", moving[1]), ("point", dot)):
            self.mark(name, mob)
        self.next_ghost = 0

    def sweep_to(self, target: float, beat) -> None:
        """Move the clock to `target` at constant speed (the whole sweep lasts the beat),
        leaving a ghost at each ghost λ up to it."""
        s = self.solution
        speed = 1.0 / max(beat.duration, self.params.sweep_time)
        while self.next_ghost < len(s.ghost_lams):
            at = s.clock[s.sample(s.ghost_lams[self.next_ghost])]
            if at > target + 1e-12:
                break
            self.move_clock(at, speed)
            self.leave_ghost(self.next_ghost)
            self.next_ghost += 1
        self.move_clock(target, speed)

    def move_clock(self, target: float, speed: float) -> None:
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
        they stand apart from the rings), its dot on the inset's curve, and its λ and k on a
        plate, placed clear of the other labels, dots and lines."""
        s, t = self.solution, self.theme
        lam, k = s.ghost_lams[i], s.ghost_budgets[i]
        ghost = VGroup()
        circle = self.plane.curve(s.ghost_circles[i], t.g, width=3)
        level = self.plane.curve(s.ghost_levels[i], t.f, width=3.5)
        ghost.add(DashedVMobject(circle, num_dashes=48, dashed_ratio=0.55))
        ghost.add(DashedVMobject(level, num_dashes=90, dashed_ratio=0.6))
        ghost.add(self.ghost_dots[i])
        x = s.slider.position(lam)
        on_inset = VGroup(marker(self.inset_axes, (x, k), t.optimum))
        if any(abs(k - tick) < 1e-9 * max(k, 1) for tick in s.k_ticks):  # its k on the k axis
            start, end = self.inset_axes.c2p(0, k), self.inset_axes.c2p(x, k)
            on_inset.add_to_back(DashedLine(start, end, color=t.muted, stroke_width=2))
        label = plate(tex(rf"\lambda = {fixed(lam, 2)},\ k = {fixed(k, 2)}", t.text, TEXT.note), t)
        self.place_ghost_label(label, i)
        self.ghost_labels.append(label)
        self.ghosts.add(ghost)
        self.play(Create(ghost[:-1]), FadeIn(ghost[-1], label, on_inset), run_time=0.4)
        self.add(ghost, *self.ghost_labels, self.center_label)  # labels above every ghost

    def place_ghost_label(self, label: Mobject, i: int) -> None:
        """Beside ghost i's dot, starting across the path, off every line and label."""
        s, axes = self.solution, self.axes
        outward = s.ghost_points[i] / max(np.linalg.norm(s.ghost_points[i]), 1e-9)
        across = np.array([outward[1], -outward[0]])
        place_free(
            label,
            axes.c2p(*s.ghost_points[i]),
            around(across),
            self.fixed_boxes,
            self.all_lines(),
            box_of(axes),
        )
        self.fixed_boxes.append(box_of(label))

    def eigenvectors(self) -> tuple[VGroup, VGroup]:
        """q₁ and q₂ as lines through the origin across the plot (q₂ dashed), each named at the
        end with more room."""
        s, t, axes = self.solution, self.theme, self.axes
        lines, names = VGroup(), VGroup()
        for j, ends in enumerate(self.q_ends):
            line = self.plane.curve(ends, t.text, 2.5)
            line.set_stroke(opacity=0.7)
            lines.add(line if j == 0 else DashedVMobject(line, num_dashes=40))
        shown = [
            dense(to_scene(axes, self.clipped(np.linspace(*ends, 400)))) for ends in self.q_ends
        ]
        points = np.vstack([self.all_lines(), *shown])  # names beside the lines, not on them
        for j in range(2):
            q = s.Q[:, j]
            ends = []
            for sign in (1.0, -1.0):  # where the line leaves the plot, a little inside
                t_exit = min(
                    (edge / (sign * q[a]) for a, edge in _exits(s.view.box, sign * q)),
                    default=1.0,
                )
                ends.append((sign, 0.88 * t_exit * sign * q))
            sign, end = max(ends, key=lambda e: _room(axes, e[1], self.fixed_boxes))
            name = plate(tex(rf"q_{j + 1}", t.text, TEXT.body), t)
            place_free(  # beside its line, a visible gap from it and from the guide
                name,
                axes.c2p(*end),
                around(-sign * q),
                self.fixed_boxes,
                points,
                box_of(axes),
                line_margin=self.name_clearance,
            )
            self.fixed_boxes.append(box_of(name))
            names.add(name)
        return lines, names

    @property
    def q_ends(self) -> list[np.ndarray]:
        """H's eigenvector lines q₁, q₂ through the origin, past the window both ways (data
        points, two rows each)."""
        s = self.solution
        reach = 2 * max(abs(v) for v in s.view.box)
        return [np.array([-reach * s.Q[:, j], reach * s.Q[:, j]]) for j in range(2)]

    def guide_ends(self) -> np.ndarray:
        """The growth guide w_j = ŵ_j across the window (data points, two rows)."""
        s = self.solution
        x0, x1, y0, y1 = s.view.box
        start = s.growth.start
        return np.array(
            [(start, y0), (start, y1)] if s.growth.index == 0 else [(x0, start), (x1, start)]
        )

    def growth_marks(self) -> tuple[VGroup, VGroup]:
        """A dashed guide at w_j = ŵ_j (the line the path crosses as w_j grows) with its value,
        and the peak on the path with w_j there."""
        s, t, axes = self.solution, self.theme, self.axes
        g = s.growth
        j = g.index
        ends = self.guide_ends()
        guide = DashedLine(axes.c2p(*ends[0]), axes.c2p(*ends[1]), dash_length=0.1)
        guide.set_stroke(t.muted, 2)
        self.mark("guide", guide)
        _, _, name = self.weight_name(s.names, j)
        lines = self.all_lines()
        start_label = plate(tex(rf"{name} = {_tex_signed(g.start)}", t.muted, TEXT.note), t)
        far = max(ends, key=lambda e: abs(e[1 - j] - s.view.center[1 - j]))  # away from ŵ
        inward = np.zeros(2)
        inward[1 - j] = 1.0 if far[1 - j] < s.view.center[1 - j] else -1.0
        place_free(
            start_label,
            axes.c2p(*far),
            around(inward),
            self.fixed_boxes,
            lines,
            box_of(axes),
        )
        self.fixed_boxes.append(box_of(start_label))
        ring = Circle(radius=0.17, color=t.optimum, stroke_width=4).move_to(axes.c2p(*g.point))
        self.mark("peak", ring)
        peak_label = plate(tex(rf"{name} = {_tex_signed(g.peak)}", t.optimum, TEXT.label), t)
        out = np.zeros(2)
        out[j] = np.sign(g.peak) or 1.0
        place_free(
            peak_label,
            axes.c2p(*g.point),
            around(out),
            [*self.fixed_boxes, box_of(ring)],
            lines,
            box_of(axes),
            gaps=(0.2, SPACE.item, SPACE.section),
        )
        self.mark("peak_label", peak_label)
        return VGroup(guide, start_label), VGroup(ring, peak_label)

    def frame_readouts(self) -> dict:
        s = self.solution
        i = s.index(self.progress.get_value()) if hasattr(self, "progress") else 0
        lam = float(s.lams[i])
        return {
            "lam": lam if math.isfinite(lam) else "∞",
            "w": s.path[i].tolist(),
            "k": float(s.budgets[i]),
        }


def _exits(box, direction):
    """(axis, distance to that edge of the window along `direction`) for each axis it moves
    along."""
    x0, x1, y0, y1 = box
    for a, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
        if abs(direction[a]) > 1e-12:
            yield a, hi if direction[a] > 0 else lo


def _room(axes, end, boxes) -> float:
    """How far the scene point of data point `end` is from the nearest box: room for a name."""
    p = np.asarray(axes.c2p(*end))[:2]
    gaps = [max(b[0] - p[0], p[0] - b[2], b[1] - p[1], p[1] - b[3], 0.0) for b in boxes]
    return min(gaps, default=10.0)


def _signed(value: float) -> str:
    """A number for a caption, with a proper minus sign."""
    return fixed(value, 2).replace("-", "−")


def _tex_signed(value: float) -> str:
    return fixed(value, 2)
