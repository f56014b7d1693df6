"""eigen_shrinkage — which weights shrink: rotate, rescale, rotate back (slides 001/004).

w* = (H + λI)⁻¹ H ŵ = Q (Σ + λI)⁻¹ Σ Qᵀ ŵ, with H = XᵀX = QΣQᵀ: turn the picture by Qᵀ so
H's eigenvectors q₁, q₂ lie on the axes, shrink the coordinate along qⱼ by σⱼ/(σⱼ + λ), turn
back by Q. The arrow's tip lands on w*, marked beforehand from the direct solve. The panel
keeps the three steps, and the factor bars, to the last frame: along q₁ (large σ) ridge
shrinks a little, along q₂ (small σ, where the data pin w down least) the most.

    manim -ql scenes/eigen_shrinkage.py EigenShrinkage
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
    DashedLine,
    DashedVMobject,
    FadeIn,
    Flash,
    ManimColor,
    Mobject,
    Rectangle,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, nearest, param, point_tex, point_text
from scenes.plane import (
    Maths,
    PlaneScene,
    View,
    around,
    arrow,
    box_of,
    curve,
    dense,
    drop_ticks,
    level_sets,
    overlap,
    place_free,
    plate,
    segment_points,
    tex,
    tip_box,
    words_tex,
)
from scenes.tangency import TANGENCY_K
from scenes.theme import SPACE, TEXT


@dataclass(frozen=True)
class EigenShrinkageParams(Timed):
    lam: float | None = param(
        None,
        "the ridge penalty λ (in ‖Xw − b‖² + λ‖w‖²) (null: tangency's λ, whose w(λ) lies on "
        "its circle, if it is between σ₂ and σ₁; else √(σ₁σ₂): one direction shrinks by less "
        "than half, one by more)",
    )
    step_time: float = param(2.5, "seconds for each turn and for the rescaling")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.lam is not None and not (math.isfinite(self.lam) and self.lam >= 0):
            raise ValueError(f"lam must be a penalty ≥ 0 (or null to derive it), got {self.lam}")
        if not 0.5 <= self.step_time <= 20:
            raise ValueError(f"step_time must be 0.5–20 s, got {self.step_time}")


KEPT = 0.95  # a factor at least this close to 1 leaves its direction as it was: "kept"
A_LITTLE = 0.5  # … at least this: "shrunk a little"


def amounts(factors: np.ndarray, lam: float, isotropic: bool) -> tuple[str, str]:
    """How much ridge shrinks along q₁ and along q₂, as keys of the script's [words.amounts]:
    "kept" only for a factor near 1, "most" (shrunk most) for the smaller factor when the
    two differ."""
    if lam == 0:
        return ("kept", "kept")
    if isotropic:
        return ("alike", "alike")
    first = "kept" if factors[0] >= KEPT else "a_little" if factors[0] >= A_LITTLE else "shrunk"
    return (first, "most")


def shown_lambda(loss: mc.QuadraticLoss) -> float:
    """The default λ: tangency's, the λ whose w(λ) lies on its circle ||w||² = k (so the
    story's chapters show one w*), to three significant digits, when it lies between σ₂ and
    σ₁; else √(σ₁σ₂), the geometric mean of H's eigenvalues, to two. Either way
    σ₁/(σ₁ + λ) ≥ ½ ≥ σ₂/(σ₂ + λ): the two directions visibly shrink by different amounts
    on any problem."""
    low, high = float(loss.sigma[1]), float(loss.sigma[0])
    tangency = float(f"{mc.multiplier_for_budget(loss, TANGENCY_K):.3g}")
    if tangency > 0 and low <= tangency <= high:
        return tangency
    mean = math.sqrt(high * low)
    if mean == 0:
        return 0.0
    return min(max(float(f"{mean:.2g}"), low), high)


@dataclass(frozen=True)
class ShrinkSolution:
    view: View
    Q: np.ndarray  # H = QΣQᵀ, Q a rotation (columns q₁, q₂)
    sigma: np.ndarray  # σ₁ ≥ σ₂
    lam: float
    factors: np.ndarray  # σⱼ/(σⱼ + λ)
    rotated: np.ndarray  # Qᵀŵ
    rescaled: np.ndarray  # (Σ + λI)⁻¹ΣQᵀŵ
    w_star: np.ndarray  # the direct solve, (H + λI)⁻¹ H ŵ
    rotation_deg: float  # Q's angle, in (−90°, 90°]
    isotropic: bool  # σ₁ = σ₂: every direction is an eigenvector
    shrink_fractions: np.ndarray  # 0 … 1 through the rescaling step
    shrink_path: np.ndarray  # ŵ with each eigen-component that fraction of the way shrunk
    amounts: tuple[str, str]  # how much each direction shrinks: keys of [words.amounts]

    @property
    def turn_deg(self) -> float:
        """The first step's turn: −(Q's angle), or 0 when every direction is an eigenvector."""
        return 0.0 if self.isotropic else -self.rotation_deg

    @property
    def tells_why(self) -> bool:
        """Whether one direction shrinks more than the other (the lesson has a reason to
        give): λ > 0 and σ₁ > σ₂."""
        return self.lam > 0 and not self.isotropic


def signed(value: float, decimals: int) -> str:
    """A number as text with a proper minus sign (−26.6)."""
    return fixed(value, decimals).replace("-", "−")


class EigenShrinkage(PlaneScene):
    """Which weights shrink: w* as rotate–rescale–rotate back in H's eigenbasis."""

    Params = EigenShrinkageParams
    scrub = (
        Scrubbed("shrink"),
        Scrubbed("turn", decimals=0),
        Scrubbed("w"),
    )
    x_range = (-2.75, 2.75)
    y_range = (-1.25, 2.75)
    plot_box = (6.6, 7.2)
    samples = 600  # steps of the rescaling
    bar_width = 1.8  # scene units of a factor bar at factor 1
    room = 1.15  # the view holds the circle ŵ turns on grown this much (ŵ's label past its tip)

    @classmethod
    def solve(cls, params: EigenShrinkageParams) -> ShrinkSolution:
        loss = params.loss()
        lam = shown_lambda(loss) if params.lam is None else params.lam
        eigen = mc.eigen_shrinkage(loss, lam)
        radius = float(np.linalg.norm(loss.center))  # the arrow turns on this circle
        fractions = np.linspace(0.0, 1.0, cls.samples + 1)
        return ShrinkSolution(
            view=cls.view(loss, mc.circle(max((cls.room * radius) ** 2, 1e-6), 64)),
            Q=eigen.Q,
            sigma=eigen.sigma,
            lam=eigen.lam,
            factors=eigen.factors,
            rotated=eigen.rotated,
            rescaled=eigen.rescaled,
            w_star=mc.solve_penalized(loss, lam),
            rotation_deg=eigen.rotation_deg,
            isotropic=eigen.isotropic,
            shrink_fractions=fractions,
            shrink_path=np.array([eigen.partway(u) for u in fractions]),
            amounts=amounts(eigen.factors, eigen.lam, eigen.isotropic),
        )

    @classmethod
    def results(cls, s: ShrinkSolution) -> dict:
        return {
            "Q": s.Q.tolist(),
            "sigma": s.sigma.tolist(),
            "lam": s.lam,
            "factors": s.factors.tolist(),
            "rotated": s.rotated.tolist(),
            "rescaled": s.rescaled.tolist(),
            "w_star": s.w_star.tolist(),
            "rotation_deg": s.rotation_deg,
            "turn_deg": s.turn_deg,
            "turn_text": signed(s.turn_deg, 1),  # with a proper minus sign, for captions
            "isotropic": s.isotropic,
            "amounts": [cls.load_script().word("amounts", key) for key in s.amounts],
        }

    @classmethod
    def alt_text(cls, s: ShrinkSolution) -> str:
        f1, f2 = s.factors
        turn = cls.alt("no_turn") if s.isotropic else cls.alt("turn", deg=signed(s.turn_deg, 0))
        return cls.alt(
            "text",
            turn=turn,
            sigma1=fixed(s.sigma[0], 2),
            factor1=fixed(f1, 2),
            sigma2=fixed(s.sigma[1], 2),
            factor2=fixed(f2, 2),
            lam=f"{s.lam:g}",
            w_star=point_text(s.w_star),
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        s, t = self.solution, self.theme
        # the problem from the first frame: ŵ as an arrow, the target w* from the direct
        # solve, the level sets; the formula and what H is
        self.draw_picture()
        formula = tex(rf"w^* = (H + \lambda I)^{{-1}} H\,\hat w,\quad \lambda = {s.lam:g}", t.text)
        self.panel.stack(formula)
        h_line = tex(r"H = X^\top X = Q\,\Sigma\,Q^\top", t.text, TEXT.label)
        self.panel.stack(h_line, gap=SPACE.line)
        self.show_plane(self.world, formula, h_line, self.tip_arrow, self.target)
        # the axes' names move every frame (the layout keeper) and are renamed as the picture
        # turns: drawn after the keeper, so every frame redraws them (a still backdrop kept a
        # name's plate where the name had left)
        names = self.plane.axes.labels[:2]
        for group in self.plane.group.get_family():
            group.remove(*names)
        self.add(self.layout_keeper, self.target_label, *names)
        self.bring_to_back(self.world)
        with self.beat("problem") as b:
            # H's eigenvectors and eigenvalues, on the plot and in words
            b.mark("eigen")
            eigen_line = tex(
                words_tex(self.word("eigenvectors"), q=Maths("q_1, q_2"))
                + r"\ \ "
                + words_tex(self.word("eigenvalues"), sigma=Maths(r"\sigma_1 \ge \sigma_2")),
                t.text,
                TEXT.label,
            )
            self.panel.stack(eigen_line, gap=SPACE.line)
            self.show_q = True
            self.play(FadeIn(eigen_line), FadeIn(VGroup(*self.q_labels)), run_time=0.8)

        # 1. turn the picture by Qᵀ: q₁ and q₂ onto the axes
        with self.beat("rotate") as b:
            if s.isotropic:
                equal = Maths(r"\sigma_1 = \sigma_2")
                header = tex(
                    r"1.\ " + words_tex(self.word("no_turn"), equal=equal), t.text, TEXT.body
                )
            else:
                header = tex(
                    r"1.\ "
                    + words_tex(self.word("turn"), Q=Maths(r"Q^\top"))
                    + rf"\ ({fixed(s.turn_deg, 1)}^\circ)",
                    t.text,
                    TEXT.body,
                )
            self.panel.stack(header, gap=SPACE.section)
            self.play(FadeIn(header), run_time=0.5)
            self.turn_to(s.turn_deg, ("q_1", "q_2"))
            b.mark("coords")
            coords = tex(r"Q^\top\hat w = " + point_tex(s.rotated), t.f, TEXT.label)
            self.mark("rotated", coords)
            self.indent(coords, header)
            self.components = always_redraw(lambda: self.component_lines(self.tip()))
            self.play(FadeIn(coords), FadeIn(self.components), run_time=0.6)

        # 2. shrink the coordinate along qⱼ by σⱼ/(σⱼ + λ): the bars shrink with the arrow
        with self.beat("shrink") as b:
            header = tex(
                r"2.\ "
                + words_tex(
                    self.word("shrink"),
                    q=Maths("q_j"),
                    factor=Maths(r"\sigma_j / (\sigma_j + \lambda)"),
                ),
                t.text,
                TEXT.body,
            )
            self.panel.stack(header, gap=SPACE.item)
            bars = self.mark("bars", self.factor_bars())
            self.indent(bars, header)
            self.play(FadeIn(header), FadeIn(bars), run_time=0.6)
            self.play(self.shrink.animate.set_value(1.0), run_time=self.params.step_time)
            b.mark("coords")
            coords = tex(
                r"(\Sigma + \lambda I)^{-1}\Sigma\,Q^\top\hat w = " + point_tex(s.rescaled),
                t.optimum,
                TEXT.label,
            )
            self.mark("rescaled", coords)
            self.indent(coords, bars)
            numbers = VGroup(*(row.number for row in bars)).set_opacity(1)
            self.play(FadeIn(numbers), FadeIn(coords), run_time=0.6)

        # 3. turn back by Q: the tip lands on the directly solved w*
        with self.beat("back"):
            header = tex(r"3.\ " + words_tex(self.word("back"), Q=Maths("Q")), t.text, TEXT.body)
            self.panel.stack(header, gap=SPACE.item)
            self.remove(self.components)
            self.components = VGroup()
            self.play(FadeIn(header), run_time=0.5)
            self.turn_to(0.0, self.axis_names())
            check = tex(r"w^* = " + point_tex(s.w_star) + r"\ \checkmark", t.optimum, TEXT.label)
            self.mark("result", check)
            self.indent(check, header)
            self.play(
                Flash(self.target, color=t.optimum, flash_radius=0.35),
                FadeIn(check),
                run_time=1.0,
            )

        # the lesson, drawn: each bar says how much its direction shrank (and, when they
        # differ, why the small-σ one shrinks most)
        with self.beat("lesson") as b:
            words = VGroup(*(self.amount_word(row, j) for j, row in enumerate(bars)))
            self.play(Write(words), run_time=1.0)
            self.mark("lesson", words)
            if s.tells_why:
                b.mark("why")
                names = {"q": Maths("q_2"), "w": Maths("w"), "w_hat": Maths(r"\hat w")}
                why = VGroup(
                    *(tex(words_tex(line, **names), t.text, TEXT.body) for line in self.word("why"))
                ).arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
                self.mark("why", why)
                self.panel.stack(why, gap=SPACE.section)
                self.play(FadeIn(why), run_time=0.8)
            self.wait(self.params.hold_time)

    def frame_readouts(self) -> dict:
        """How far the rescaling has gone, how far the picture has turned, and the arrow's
        tip in the original (w₁, w₂) coordinates: ŵ at the start, w* at the end."""
        s = self.solution
        shrink = getattr(self, "shrink", None)
        j = 0 if shrink is None else nearest(s.shrink_fractions, shrink.get_value())
        return {
            "shrink": float(s.shrink_fractions[j]),
            "turn": 0.0 if shrink is None else float(self.turn.get_value()),
            "w": s.shrink_path[j].tolist(),
        }

    # --- the picture ---------------------------------------------------------------------------

    def shown(self, points) -> np.ndarray:
        """Data points as displayed after the picture has turned by the current angle."""
        a = math.radians(self.turn.get_value())
        turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        return np.asarray(points, dtype=float) @ turn.T

    def q_ends(self) -> list[np.ndarray]:
        """Where each eigenvector's line leaves the window (data units, as displayed), on the
        side of the origin away from ŵ: the emptier side, for its label."""
        s = self.solution
        x0, x1, y0, y1 = s.view.box
        ends = []
        for j in range(2):
            q = s.Q[:, j] * (-1.0 if s.Q[:, j] @ s.view.center > 0 else 1.0)
            d = self.shown(q)
            reach = min(
                (x1 if d[0] > 0 else x0) / d[0] if abs(d[0]) > 1e-9 else np.inf,
                (y1 if d[1] > 0 else y0) / d[1] if abs(d[1]) > 1e-9 else np.inf,
            )
            ends.append(d * reach)
        return ends

    def draw_picture(self) -> None:
        """ŵ as an arrow, the target w* (from the direct solve), the eigenvector lines q₁
        (solid) and q₂ (dashed) once named, all turning with the picture; labels placed
        every frame by rule, clear of ticks, points, arrowheads, lines and each other."""
        s, t = self.solution, self.theme
        self.make_plane(s.view)
        axes = self.axes
        self.turn, self.shrink = ValueTracker(0.0), ValueTracker(0.0)
        self.show_q = False
        self.components = VGroup()

        def world() -> VGroup:
            rings = level_sets(axes, [self.shown(p) for p in s.view.rings], t, self.box)
            if not self.show_q:
                return VGroup(rings)
            q1, q2 = (
                curve(axes, [-end, end], t.text, 2.5, box=self.box, stroke_opacity=0.6)
                for end in self.q_ends()
            )
            return VGroup(rings, q1, DashedVMobject(q2, num_dashes=45))

        self.world = always_redraw(world)
        colour = ManimColor(t.f)

        def tip_arrow():
            shade = colour.interpolate(ManimColor(t.optimum), self.shrink.get_value())
            tip = s.shrink_path[nearest(s.shrink_fractions, self.shrink.get_value())]
            return arrow(axes, (0, 0), self.shown(tip), shade, width=6)

        self.tip_arrow = self.mark("arrow", always_redraw(tip_arrow))
        self.target = self.mark("target", Circle(radius=0.13, color=t.optimum, stroke_width=4))
        self.target_label = plate(tex(r"w^*", t.optimum, TEXT.body), t)
        self.q_labels = [
            plate(
                tex(rf"q_{j + 1},\ \sigma_{j + 1} = {fixed(s.sigma[j], 2)}", t.text, TEXT.label), t
            )
            for j in range(2)
        ]
        # a tick value where the arrow's head stops (ŵ, Qᵀŵ, the rescaled point, w*) gives way
        heads = [tip_box(axes.c2p(*p), 0.22) for p in (s.view.center, s.rotated, s.rescaled)]
        heads.append(tip_box(axes.c2p(*s.w_star), 0.22))
        under = [n for n in axes.labels[2:] if any(overlap(box_of(n), h) > 0 for h in heads)]
        drop_ticks(axes, under)
        self.plane.labels = list(axes.labels)
        names, numbers = self.plane.axes.labels[:2], self.plane.axes.labels[2:]
        ticks = [box_of(m) for m in numbers]
        frame = box_of(axes)
        ends = [(axes.x_axis.get_end(), UP + LEFT), (axes.y_axis.get_end(), DOWN + RIGHT)]
        axis_lines = [dense(np.array([a.get_start(), a.get_end()])) for a in axes.axes]

        def place_labels(_):  # in order, each clear of what is placed before it
            self.center_dot.move_to(axes.c2p(*self.shown(s.view.center)))
            self.target.move_to(axes.c2p(*self.shown(s.w_star)))
            self.tip_arrow.update()  # this frame's arrow, whatever order the updaters run in
            tip = self.tip_arrow.get_end()
            boxes = [*ticks, box_of(self.center_dot), box_of(self.target), tip_box(tip, 0.22)]
            lines = [segment_points(self.tip_arrow.get_start(), tip), *axis_lines]
            for part in self.components:
                lines.append(segment_points(part.get_start(), part.get_end()))
            q_ends = self.q_ends() if self.show_q else []
            for end in q_ends:
                lines.append(segment_points(axes.c2p(*-end), axes.c2p(*end)))
            points = np.vstack(lines)
            for name, (end, side) in zip(names, ends, strict=True):  # the axes' names
                place_free(name, end, around(side), boxes, points, frame)
                boxes.append(box_of(name))
            hat = self.shown(s.view.center)
            away = hat if np.linalg.norm(hat) > 1e-9 else np.array([0.0, 1.0])
            place_free(self.center_label, axes.c2p(*hat), around(away), boxes, points, frame)
            boxes.append(box_of(self.center_label))
            star = self.shown(s.w_star)  # beside it, off the line from 0 to ŵ
            along = away / np.linalg.norm(away)
            side = star - (star @ along) * along
            if np.linalg.norm(side) < 1e-9 * max(1.0, np.linalg.norm(star)):
                side = np.array([-along[1], along[0]])
            place_free(self.target_label, axes.c2p(*star), around(side), boxes, points, frame)
            boxes.append(box_of(self.target_label))
            for label, end in zip(self.q_labels, q_ends, strict=False):
                inward = 0.9 * end  # just inside the window, beside the line
                across = np.array([-end[1], end[0]])
                place_free(  # well apart from the axes' names (q₂'s line is an axis, turned)
                    label,
                    axes.c2p(*inward),
                    around(across),
                    boxes,
                    points,
                    frame,
                    margin=SPACE.item,
                )
                boxes.append(box_of(label))

        self.layout_keeper = Mobject().add_updater(place_labels)
        self.place_labels = place_labels
        self.show_q = True
        place_labels(self.layout_keeper)  # the q labels' places, before they fade in
        self.show_q = False
        self.plane.group.remove(self.rings)  # the rings turn with the picture (`world`)

    def tip(self) -> np.ndarray:
        """Where the arrow's tip is now, in data coordinates."""
        self.tip_arrow.update()
        return np.asarray(self.axes.p2c(self.tip_arrow.get_end()), dtype=float)[:2]

    def component_lines(self, point) -> VGroup:
        """Dashed drops from the tip to both axes: the coordinates being rescaled."""
        axes, t = self.axes, self.theme
        return VGroup(
            *(
                DashedLine(
                    axes.c2p(*point), axes.c2p(*(point * keep)), dash_length=0.08
                ).set_stroke(t.muted, width=2)
                for keep in (np.array([1.0, 0.0]), np.array([0.0, 1.0]))
            )
        )

    def turn_to(self, degrees: float, names: tuple[str, str]) -> None:
        """Turn the picture to `degrees` while the axes' names change to `names` (q₁, q₂ in
        the turned picture; the original ones back): no frame shows the one with the other's
        names. With nothing to turn (isotropic H) only the names change. Each new name fades
        in inside its plate as the old one fades out (a Transform would take the text out
        of its plate, into the scene, and leave the plate behind)."""
        t = self.theme
        fade = ValueTracker(0.0)
        swaps = []
        for plated, name in zip(self.plane.axes.labels[:2], names, strict=True):
            old = plated[1]
            new = tex(name, t.muted, TEXT.body).move_to(old).set_opacity(0.0)
            plated.add(new)
            old.add_updater(lambda m: m.set_opacity(1.0 - fade.get_value()))
            new.add_updater(lambda m: m.set_opacity(fade.get_value()))
            swaps.append((plated, old, new))
        rename = fade.animate.set_value(1.0)
        if self.solution.isotropic:
            self.play(rename, run_time=0.5)
        else:
            self.play(self.turn.animate.set_value(degrees), rename, run_time=self.params.step_time)
        for plated, old, new in swaps:
            new.clear_updaters()
            plated.remove(old)

    # --- the panel -----------------------------------------------------------------------------

    def indent(self, mob: Mobject, below: Mobject) -> Mobject:
        """A step's content: under its header (or the block before it), indented."""
        self.panel.stack(mob, below, gap=SPACE.line)
        return mob.shift(SPACE.item * RIGHT)

    def factor_bars(self) -> VGroup:
        """σⱼ/(σⱼ + λ) as bars that shrink from 1 to the factor with the arrow; each row keeps
        `frame`, `number` (shown once the caption gives it) and room for its words."""
        e, t = self.solution, self.theme
        rows = VGroup()
        for j in range(2):
            name = tex(rf"q_{j + 1}", t.text, TEXT.label)
            frame = Rectangle(width=self.bar_width, height=0.24).set_stroke(t.muted, 1.5)
            number = tex(rf"\times{fixed(e.factors[j], 2)}", t.optimum, TEXT.label)
            row = VGroup(name, frame, number).arrange(RIGHT, buff=SPACE.item)
            row.frame, row.number = frame, number
            number.set_opacity(0)
            rows.add(row)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
        for j, row in enumerate(rows):

            def bar(frame=row.frame, j=j):
                value = 1 + self.shrink.get_value() * (e.factors[j] - 1)
                fill = Rectangle(
                    width=max(self.bar_width * value, 1e-3), height=0.24, stroke_width=0
                )
                fill.set_fill(t.optimum, opacity=0.85)
                return fill.move_to(frame.get_left(), aligned_edge=LEFT)

            row.add(always_redraw(bar))
        return rows

    def amount_word(self, row: VGroup, j: int) -> Mobject:
        """What a bar means, in words after its factor: "shrunk a little", "shrunk most"."""
        amount = self.word("amounts", self.solution.amounts[j])
        word = tex(words_tex(amount), self.theme.text, TEXT.label)
        return word.next_to(row.number, RIGHT, buff=SPACE.item).align_to(row.number, DOWN)
