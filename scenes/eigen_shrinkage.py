"""eigen_shrinkage — rotate, rescale, rotate back (slides 001/004, "Geometry of L2 Regularization").

θ̂_ridge = (H + λI)⁻¹ H θ̂ = Q (Σ + λI)⁻¹ Σ Qᵀ θ̂: turn the picture by Qᵀ so H's eigenvectors
lie on the axes, shrink the component along axis j by σⱼ/(σⱼ + λ), turn back by Q. The arrow's
tip lands on θ̂_ridge, marked beforehand from the direct solve.

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
    FadeOut,
    FadeTransform,
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
    PlaneScene,
    View,
    around,
    arrow,
    curve,
    free_direction,
    level_sets,
    place_clear,
    plate,
    tex,
)
from scenes.theme import TEXT


@dataclass(frozen=True)
class EigenShrinkageParams(Timed):
    lam: float = param(1.0, "the ridge penalty λ (the slides' λ/2 ||θ||²)")
    step_time: float = param(2.5, "seconds for each turn and for the rescaling")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0.5 <= self.step_time <= 20:
            raise ValueError(f"step_time must be 0.5–20 s, got {self.step_time}")


@dataclass(frozen=True)
class ShrinkSolution:
    view: View
    Q: np.ndarray  # H = QΣQᵀ, Q a rotation (columns q₁, q₂)
    sigma: np.ndarray  # σ₁ ≥ σ₂
    lam: float
    factors: np.ndarray  # σⱼ/(σⱼ + λ)
    rotated: np.ndarray  # Qᵀθ̂
    rescaled: np.ndarray  # (Σ + λI)⁻¹ΣQᵀθ̂
    theta_ridge: np.ndarray  # the direct solve, (H + λI)⁻¹ H θ̂
    rotation_deg: float  # Q's angle, in (−90°, 90°]
    isotropic: bool  # σ₁ = σ₂: every direction is an eigenvector
    shrink_fractions: np.ndarray  # 0 … 1 through the rescaling step
    shrink_path: np.ndarray  # θ̂ with each eigen-component that fraction of the way shrunk

    @property
    def turn_deg(self) -> float:
        """The first step's turn: −(Q's angle), or 0 when every direction is an eigenvector."""
        return 0.0 if self.isotropic else -self.rotation_deg


class EigenShrinkage(PlaneScene):
    """The ridge solution as rotate–rescale–rotate back in H's eigenbasis."""

    Params = EigenShrinkageParams
    script = "eigen_shrinkage"
    beats = ("problem", "rotate", "rotate.coords", "shrink", "shrink.coords", "back", "lesson")
    scrub = (
        Scrubbed("shrink", "shrunk (share of the way)"),
        Scrubbed("turn", "picture turned (°)", 0),
        Scrubbed("theta", "θ on the original axes"),
    )
    x_range = (-2.75, 2.75)
    y_range = (-1.25, 2.75)
    center_tex = r"\hat\theta"
    axis_labels = (r"\theta_1", r"\theta_2")
    samples = 600  # steps of the rescaling

    @classmethod
    def solve(cls, params: EigenShrinkageParams) -> ShrinkSolution:
        loss = params.loss()
        eigen = mc.eigen_shrinkage(loss, params.lam)
        radius = float(np.linalg.norm(loss.center))  # the arrow turns on this circle
        fractions = np.linspace(0.0, 1.0, cls.samples + 1)
        return ShrinkSolution(
            view=cls.view(loss, mc.circle(max(radius**2, 1e-6), 64)),
            Q=eigen.Q,
            sigma=eigen.sigma,
            lam=eigen.lam,
            factors=eigen.factors,
            rotated=eigen.rotated,
            rescaled=eigen.rescaled,
            theta_ridge=mc.solve_penalized(loss, params.lam),
            rotation_deg=eigen.rotation_deg,
            isotropic=eigen.isotropic,
            shrink_fractions=fractions,
            shrink_path=np.array([eigen.partway(u) for u in fractions]),
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
            "theta_ridge": s.theta_ridge.tolist(),
            "rotation_deg": s.rotation_deg,
            "turn_deg": s.turn_deg,
            "isotropic": s.isotropic,
        }

    @classmethod
    def alt_text(cls, s: ShrinkSolution) -> str:
        f1, f2 = s.factors
        turn = (
            "no turn is needed (all directions are eigenvectors); "
            if s.isotropic
            else (
                f"the picture turns by {fixed(-s.rotation_deg, 0)}° so the eigenvectors of H "
                "lie on the axes; "
            )
        )
        return (
            f"The ridge solution in H's eigenbasis: {turn}the component along the eigenvector "
            f"with eigenvalue {fixed(s.sigma[0], 2)} is scaled by {fixed(f1, 2)} and the one with "
            f"eigenvalue {fixed(s.sigma[1], 2)} by {fixed(f2, 2)} (λ = {s.lam:g}); turning back "
            f"lands exactly on the directly solved ridge solution "
            f"{point_text(s.theta_ridge)}."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_picture()
        with self.beat("problem"):
            pass
        with self.beat("rotate", self.params.step_time) as b:
            self.rotate_to_eigenbasis()
            b.mark("coords")
            self.play(FadeIn(self.coords, self.components), run_time=0.6)
        with self.beat("shrink", self.params.step_time) as b:
            self.rescale()
            b.mark("coords")
            self.play(FadeIn(self.coords), run_time=0.5)
        with self.beat("back", self.params.step_time):
            self.rotate_back()
        with self.beat("lesson"):
            self.play(Write(self.lesson()), run_time=1.2)
            self.wait(self.params.hold_time)

    def frame_readouts(self) -> dict:
        """How far the rescaling has gone, how far the picture has turned, and the arrow's
        tip in the original (w₁, w₂) coordinates: θ̂ at the start, θ̂_ridge at the end."""
        s = self.solution
        shrink = getattr(self, "shrink", None)
        j = 0 if shrink is None else nearest(s.shrink_fractions, shrink.get_value())
        return {
            "shrink": float(s.shrink_fractions[j]),
            "turn": 0.0 if shrink is None else float(self.turn.get_value()),
            "theta": s.shrink_path[j].tolist(),
        }

    def shown(self, points) -> np.ndarray:
        """Data points as displayed after the picture has turned by the current angle."""
        a = math.radians(self.turn.get_value())
        turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        return np.asarray(points, dtype=float) @ turn.T

    def draw_picture(self) -> None:
        """θ̂ as an arrow, the target θ̂_ridge (from the direct solve), the eigenvector lines
        q₁ (solid) and q₂ (dashed), all turning with the picture; labels placed every frame
        clear of each other."""
        s, t = self.solution, self.theme
        self.make_plane(s.view)
        axes = self.axes
        self.turn, self.shrink = ValueTracker(0.0), ValueTracker(0.0)
        reach = 2 * max(abs(v) for v in s.view.box)

        def world() -> VGroup:
            rings = level_sets(axes, [self.shown(p) for p in s.view.rings], t, self.box)
            q1, q2 = (
                curve(
                    axes,
                    self.shown([-reach * s.Q[:, j], reach * s.Q[:, j]]),
                    t.text,
                    2.5,
                    box=self.box,
                    stroke_opacity=0.6,
                )
                for j in range(2)
            )
            return VGroup(rings, q1, DashedVMobject(q2, num_dashes=45))

        self.world = always_redraw(world)
        colour = ManimColor(t.f)

        def theta_arrow():
            shade = colour.interpolate(ManimColor(t.optimum), self.shrink.get_value())
            tip = s.shrink_path[nearest(s.shrink_fractions, self.shrink.get_value())]
            return arrow(axes, (0, 0), self.shown(tip), shade, width=6)

        self.theta = always_redraw(theta_arrow)
        self.mark("theta", self.theta)
        self.target = Circle(radius=0.13, color=t.optimum, stroke_width=4)
        self.mark("target", self.target)
        self.target_label = plate(tex(r"\hat\theta_{\mathrm{ridge}}", t.optimum, TEXT.label), t)
        self.q_labels = [
            plate(
                tex(rf"q_{j + 1},\ \sigma_{j + 1} = {fixed(s.sigma[j], 2)}", t.text, TEXT.note), t
            )
            for j in range(2)
        ]
        fixed_labels = list(self.plane.axes.labels)

        def place_labels(_):  # in order, each clear of those placed before it
            self.center_dot.move_to(axes.c2p(*self.shown(s.view.center)))
            placed = list(fixed_labels)
            place_clear(self.center_label, self.center_dot.get_center(), around(UP), placed, axes)
            placed.append(self.center_label)
            self.target.move_to(axes.c2p(*self.shown(s.theta_ridge)))
            out = self.shown(s.theta_ridge)  # clear of the arrow and of the way to θ̂
            away = free_direction([out, -out, self.shown(s.view.center) - out])
            anchor = self.target.get_center()
            place_clear(self.target_label, anchor, around(away), placed, axes, gap=0.2)
            placed.append(self.target_label)
            for j, label in enumerate(self.q_labels):  # on the side away from θ̂: emptier
                q = s.Q[:, j] * (-1.0 if s.Q[:, j] @ s.view.center >= 0 else 1.0)
                end = self.shown(q * 0.8 * reach / 2)
                place_clear(label, axes.c2p(*end), around(self.shown(q)), placed, axes, gap=0.1)
                placed.append(label)

        layout = Mobject().add_updater(place_labels)
        place_labels(layout)
        self.formula = tex(
            r"\hat\theta_{\mathrm{ridge}} = Q\,(\Sigma + \lambda I)^{-1}\Sigma\, Q^\top \hat\theta",
            t.text,
        )
        self.in_panel(self.formula)
        lam_line = tex(rf"\lambda = {s.lam:g},\quad H = Q\Sigma Q^\top", t.text, TEXT.label)
        self.in_panel(lam_line, self.formula, buff=0.2)
        self.step_anchor = lam_line
        self.remove_rings_from_plane()
        self.show_plane(self.world, self.formula, lam_line, self.theta, self.target)
        self.add(layout, self.target_label, *self.q_labels)
        self.bring_to_back(self.world)
        self.step = VGroup()

    def remove_rings_from_plane(self) -> None:
        """The rings turn with the picture (`world`): the plane's still rings are not drawn."""
        self.plane.group.remove(self.rings)

    def tip(self) -> np.ndarray:
        """Where the arrow's tip is now, in data coordinates."""
        self.theta.update()
        return np.asarray(self.axes.p2c(self.theta.get_end()), dtype=float)[:2]

    def step_title(self, text: str, formula: str):
        t = self.theme
        title = VGroup(tex(text, t.text, TEXT.body), tex(formula, t.text, TEXT.label))
        title.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        return self.in_panel(title, self.step_anchor, buff=0.55)

    def next_step(self, title) -> None:
        """The previous step's lines go, then the new title comes: never both at once."""
        if len(self.step):
            self.play(FadeOut(self.step), run_time=0.4)
        self.play(FadeIn(title), run_time=0.5)

    def rename_axes(self, names: tuple[str, str]) -> None:
        """The axes' names (q₁, q₂ in the turned picture; the original ones back)."""
        t = self.theme
        moves = []
        for plated, name in zip(self.plane.axes.labels[:2], names, strict=True):
            old = plated[1]
            new = tex(name, t.muted, TEXT.body).move_to(old)
            moves.append(FadeTransform(old, new))
            plated.submobjects[1] = new
        self.play(*moves, run_time=0.5)

    def rotate_to_eigenbasis(self) -> None:
        s, t = self.solution, self.theme
        if s.isotropic:
            title = self.step_title(
                r"1.\ \sigma_1 = \sigma_2\text{: no turn needed}",
                r"\text{every direction is an eigenvector}",
            )
            self.next_step(title)
        else:
            title = self.step_title(
                rf"1.\ \text{{rotate by }} Q^\top\ ({fixed(s.turn_deg, 1)}^\circ)",
                r"\text{so } q_1, q_2 \text{ lie on the axes}",
            )
            self.next_step(title)
            self.play(self.turn.animate.set_value(s.turn_deg), run_time=self.params.step_time)
        self.rename_axes(("q_1", "q_2"))
        self.coords = tex(r"Q^\top\hat\theta = " + point_tex(s.rotated), t.f, TEXT.label)
        self.mark("rotated", self.coords)
        self.in_panel(self.coords, title, buff=0.25)
        self.components = always_redraw(lambda: self.component_lines(self.tip()))
        self.step = VGroup(title, self.coords)

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

    def factor_bars(self) -> VGroup:
        """σⱼ/(σⱼ + λ) as bars that shrink from 1 to the factor with the arrow."""
        e, t = self.solution, self.theme
        rows = VGroup()
        for j in range(2):
            frame = Rectangle(width=2.4, height=0.22).set_stroke(t.muted, 1.5)
            name = tex(rf"\frac{{\sigma_{j + 1}}}{{\sigma_{j + 1} + \lambda}}", t.text, TEXT.note)
            number = tex(fixed(e.factors[j], 2), t.optimum, TEXT.label)
            rows.add(VGroup(name, frame, number).arrange(RIGHT, buff=0.2))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        for j, row in enumerate(rows):
            frame = row[1]

            def bar(frame=frame, j=j):
                value = 1 + self.shrink.get_value() * (e.factors[j] - 1)
                fill = Rectangle(width=max(2.4 * value, 1e-3), height=0.22, stroke_width=0)
                fill.set_fill(t.optimum, opacity=0.85)
                return fill.move_to(frame.get_left(), aligned_edge=LEFT)

            row.add(always_redraw(bar))
        return rows

    def rescale(self) -> None:
        t, e = self.theme, self.solution
        title = self.step_title(
            r"2.\ \text{shrink axis } q_j \text{ by } \sigma_j / (\sigma_j + \lambda)",
            r"\text{large } \sigma \text{: kept; small } \sigma\text{: decayed}",
        )
        bars = self.in_panel(self.factor_bars(), title, buff=0.25)
        self.next_step(title)
        self.play(FadeIn(bars), run_time=0.4)
        self.play(self.shrink.animate.set_value(1.0), run_time=self.params.step_time)
        self.coords = tex(
            r"(\Sigma+\lambda I)^{-1}\Sigma Q^\top\hat\theta = " + point_tex(e.rescaled),
            t.optimum,
            TEXT.label,
        )
        self.mark("rescaled", self.coords)
        self.in_panel(self.coords, bars, buff=0.25)
        self.step = VGroup(title, bars, self.coords)

    def rotate_back(self) -> None:
        s, t = self.solution, self.theme
        title = self.step_title(
            r"3.\ \text{rotate back by } Q", r"\text{the tip lands on the direct solve}"
        )
        self.remove(self.components)
        self.next_step(title)
        if not s.isotropic:
            self.play(self.turn.animate.set_value(0.0), run_time=self.params.step_time)
        self.rename_axes(self.axis_names())
        check = tex(
            r"(H + \lambda I)^{-1} H\hat\theta = " + point_tex(s.theta_ridge) + r"\ \checkmark",
            t.optimum,
            TEXT.label,
        )
        self.in_panel(check, title, buff=0.25)
        self.play(
            Flash(self.target, color=t.optimum, flash_radius=0.35), FadeIn(check), run_time=1.0
        )
        self.step = VGroup(title, check)

    def lesson(self) -> VGroup:
        e, t = self.solution, self.theme
        if e.lam == 0:
            text = [r"\lambda = 0\text{: every factor is 1,}", r"\text{nothing shrinks}"]
        elif e.isotropic:
            text = [
                r"\text{Equal eigenvalues: every direction}",
                rf"\text{{shrinks by the same factor }}\times{fixed(e.factors[0], 2)}",
            ]
        else:
            text = [
                r"\text{Directions that matter to the objective}",
                rf"(\text{{large }}\sigma)\text{{ are kept: }}\times{fixed(e.factors[0], 2)},",
                r"\text{unimportant ones (small }\sigma)",
                rf"\text{{decay: }}\times{fixed(e.factors[-1], 2)}",
            ]
        lines = self.mark("lesson", VGroup(*(tex(line, t.text, TEXT.label) for line in text)))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        return self.in_panel(lines, self.step, buff=0.55)
