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
    Flash,
    GrowArrow,
    ManimColor,
    Rectangle,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
)

import mathcore as mc
from scenes.base import Problem, param, point_tex, point_text
from scenes.plane import FONT, PlaneScene, View, arrow, curve, level_sets, tex


@dataclass(frozen=True)
class EigenShrinkageParams(Problem):
    lam: float = param(1.0, "the ridge penalty λ (the slides' λ/2 ||θ||²)")
    intro_time: float = param(2.0, "seconds to draw the picture")
    step_time: float = param(2.0, "seconds for each of the three steps")
    hold_time: float = param(2.5, "seconds to hold the final frame")


@dataclass(frozen=True)
class ShrinkSolution:
    loss: mc.QuadraticLoss
    view: View
    eigen: mc.EigenShrinkage
    theta_ridge: np.ndarray  # the direct solve, (H + λI)⁻¹ H θ̂

    @property
    def turn_deg(self) -> float:
        """The first step's turn: −(Q's angle), or 0 when every direction is an eigenvector."""
        return 0.0 if self.eigen.isotropic else -self.eigen.rotation_deg


class EigenShrinkage(PlaneScene):
    """The ridge solution as rotate–rescale–rotate back in H's eigenbasis."""

    Params = EigenShrinkageParams
    x_range = (-2.75, 2.75)
    y_range = (-1.25, 2.75)
    center_tex = r"\hat\theta"
    axis_labels = (r"\theta_1", r"\theta_2")

    @classmethod
    def solve(cls, params: EigenShrinkageParams) -> ShrinkSolution:
        loss = params.loss()
        eigen = mc.eigen_shrinkage(loss, params.lam)
        radius = float(np.linalg.norm(loss.center))  # the arrow turns on this circle
        return ShrinkSolution(
            loss=loss,
            view=cls.view(loss, mc.circle(max(radius**2, 1e-6), 64)),
            eigen=eigen,
            theta_ridge=mc.solve_penalized(loss, params.lam),
        )

    @classmethod
    def results(cls, s: ShrinkSolution) -> dict:
        e = s.eigen
        return {
            "Q": e.Q.tolist(),
            "sigma": e.sigma.tolist(),
            "lam": e.lam,
            "factors": e.factors.tolist(),
            "rotated": e.rotated.tolist(),
            "rescaled": e.rescaled.tolist(),
            "theta_ridge": s.theta_ridge.tolist(),
            "rotation_deg": e.rotation_deg,
        }

    @classmethod
    def alt_text(cls, s: ShrinkSolution) -> str:
        e = s.eigen
        f1, f2 = e.factors
        turn = (
            "no turn is needed (all directions are eigenvectors); "
            if e.isotropic
            else (
                f"the picture turns by {-e.rotation_deg:.0f}° so the eigenvectors of H lie on the "
                "axes; "
            )
        )
        return (
            f"The ridge solution in H's eigenbasis: {turn}the component along the eigenvector "
            f"with eigenvalue {e.sigma[0]:.2f} is scaled by {f1:.2f} and the one with "
            f"eigenvalue {e.sigma[1]:.2f} by {f2:.2f} (λ = {e.lam:g}); turning back lands "
            f"exactly on the directly solved ridge solution "
            f"{point_text(s.theta_ridge)}."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_picture()
        self.rotate_to_eigenbasis()
        self.rescale()
        self.rotate_back()
        self.lesson()
        self.wait(self.params.hold_time)

    def shown(self, points) -> np.ndarray:
        """Data points as displayed after the picture has turned by the current angle."""
        a = math.radians(self.turn.get_value())
        turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        return np.asarray(points, dtype=float) @ turn.T

    def draw_picture(self) -> None:
        s, t = self.solution, self.theme
        self.make_plane(s.loss, s.view)
        axes, e = self.axes, s.eigen
        self.turn, self.shrink = ValueTracker(0.0), ValueTracker(0.0)
        reach = 2 * max(abs(v) for v in s.view.box)

        def world() -> VGroup:
            rings = level_sets(axes, [self.shown(p) for p in self.ellipses], t, self.box)
            q1, q2 = (
                curve(
                    axes,
                    self.shown([-reach * e.Q[:, j], reach * e.Q[:, j]]),
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
            tip = s.eigen.partway(self.shrink.get_value())
            return arrow(axes, (0, 0), self.shown(tip), shade, width=6)

        self.theta = always_redraw(theta_arrow)
        self.center_dot.add_updater(lambda m: m.move_to(axes.c2p(*self.shown(s.loss.center))))
        self.center_label.add_updater(lambda m: m.next_to(self.center_dot, UP, buff=0.1))
        self.mark = Circle(radius=0.13, color=t.optimum, stroke_width=4)
        self.mark.add_updater(lambda m: m.move_to(axes.c2p(*self.shown(s.theta_ridge))))
        mark_label = tex(r"\hat\theta_{\mathrm{ridge}}", t.optimum, FONT - 6)
        mark_label.add_updater(lambda m: m.next_to(self.mark, RIGHT, buff=0.08))
        q_labels = VGroup()
        for j in range(2):  # on the side away from θ̂, where the picture is emptier
            q = e.Q[:, j] * (-2.1 if e.Q[:, j] @ s.loss.center >= 0 else 2.1)
            label = tex(rf"q_{j + 1},\ \sigma_{j + 1} = {e.sigma[j]:.2f}", t.text, FONT - 10)
            label.add_updater(
                lambda m, q=q, j=j: m.move_to(axes.c2p(*self.shown(q)) + 0.3 * (RIGHT if j else UP))
            )
            q_labels.add(label)
        self.formula = tex(
            r"\hat\theta_{\mathrm{ridge}} = Q\,(\Sigma + \lambda I)^{-1}\Sigma\, Q^\top \hat\theta",
            t.text,
        )
        self.in_panel(self.formula)
        lam_line = tex(rf"\lambda = {e.lam:g},\quad H = Q\Sigma Q^\top", t.muted, FONT - 8)
        self.in_panel(lam_line, self.formula, buff=0.2)
        self.step_anchor = lam_line
        self.show_plane(self.params.intro_time, self.formula, lam_line)
        self.remove(*self.rings)  # from here on the rings turn with the picture
        self.add(self.world)
        self.bring_to_back(self.world)
        self.play(FadeIn(q_labels, self.mark, mark_label), GrowArrow(self.theta), run_time=1.0)
        self.checkpoints = {"start": self.tip()}

    def tip(self) -> np.ndarray:
        """Where the arrow's tip is now, in data coordinates."""
        self.theta.update()
        return np.asarray(self.axes.p2c(self.theta.get_end()), dtype=float)[:2]

    def step_title(self, text: str, formula: str):
        t = self.theme
        title = VGroup(tex(text, t.text, FONT - 4), tex(formula, t.text, FONT - 6))
        title.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        return self.in_panel(title, self.step_anchor, buff=0.55)

    def rotate_to_eigenbasis(self) -> None:
        s, t = self.solution, self.theme
        if s.eigen.isotropic:
            title = self.step_title(
                r"1.\ \sigma_1 = \sigma_2\text{: no turn needed}",
                r"\text{every direction is an eigenvector}",
            )
            self.play(FadeIn(title), run_time=0.8)
        else:
            title = self.step_title(
                rf"1.\ \text{{rotate by }} Q^\top\ ({s.turn_deg:+.1f}^\circ)",
                r"\text{so } q_1, q_2 \text{ lie on the axes}",
            )
            self.play(FadeIn(title), run_time=0.5)
            self.play(self.turn.animate.set_value(s.turn_deg), run_time=self.params.step_time)
        r = s.eigen.rotated
        coords = tex(r"Q^\top\hat\theta = " + point_tex(r), t.f, FONT - 6)
        self.in_panel(coords, title, buff=0.25)
        self.checkpoints["rotated"] = self.tip()
        self.components = always_redraw(lambda: self.component_lines(self.tip()))
        self.play(FadeIn(coords, self.components), run_time=0.6)
        self.step = VGroup(title, coords)

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
        e, t = self.solution.eigen, self.theme
        rows = VGroup()
        for j in range(2):
            frame = Rectangle(width=2.4, height=0.22).set_stroke(t.muted, 1.5)
            name = tex(rf"\frac{{\sigma_{j + 1}}}{{\sigma_{j + 1} + \lambda}}", t.text, FONT - 10)
            number = tex(f"{e.factors[j]:.2f}", t.optimum, FONT - 8)
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
        t, e = self.theme, self.solution.eigen
        title = self.step_title(
            r"2.\ \text{shrink axis } j \text{ by } \sigma_j / (\sigma_j + \lambda)",
            r"\text{large } \sigma \text{: kept; small } \sigma\text{: decayed}",
        )
        bars = self.in_panel(self.factor_bars(), title, buff=0.25)
        self.play(FadeOut(self.step), FadeIn(title, bars), run_time=0.6)
        self.play(self.shrink.animate.set_value(1.0), run_time=self.params.step_time)
        self.checkpoints["rescaled"] = self.tip()
        r = e.rescaled
        coords = tex(
            r"(\Sigma+\lambda I)^{-1}\Sigma Q^\top\hat\theta = " + point_tex(r),
            t.optimum,
            FONT - 8,
        )
        self.in_panel(coords, bars, buff=0.25)
        self.play(FadeIn(coords), run_time=0.5)
        self.step = VGroup(title, bars, coords)

    def rotate_back(self) -> None:
        s, t = self.solution, self.theme
        title = self.step_title(
            r"3.\ \text{rotate back by } Q", r"\text{the tip lands on the direct solve}"
        )
        self.play(FadeOut(self.step, self.components), FadeIn(title), run_time=0.6)
        if not s.eigen.isotropic:
            self.play(self.turn.animate.set_value(0.0), run_time=self.params.step_time)
        self.checkpoints["result"] = self.tip()
        w = s.theta_ridge
        check = tex(
            r"(H + \lambda I)^{-1} H\hat\theta = " + point_tex(w) + r"\ \checkmark",
            t.optimum,
            FONT - 6,
        )
        self.in_panel(check, title, buff=0.25)
        self.play(Flash(self.mark, color=t.optimum, flash_radius=0.35), FadeIn(check), run_time=1.0)
        self.step = VGroup(title, check)

    def lesson(self) -> None:
        e, t = self.solution.eigen, self.theme
        if e.lam == 0:
            text = [r"\lambda = 0\text{: every factor is 1,}", r"\text{nothing shrinks}"]
        elif e.isotropic:
            text = [
                r"\text{Equal eigenvalues: every direction}",
                rf"\text{{shrinks by the same factor }}\times{e.factors[0]:.2f}",
            ]
        else:
            text = [
                r"\text{Directions that matter to the objective}",
                rf"(\text{{large }}\sigma)\text{{ are kept: }}\times{e.factors[0]:.2f}",
                rf"\text{{unimportant ones (small }}\sigma)\text{{ decay: }}"
                rf"\times{e.factors[-1]:.2f}",
            ]
        self.lesson_lines = lines = VGroup(*(tex(line, t.text, FONT - 8) for line in text))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        self.in_panel(lines, self.step, buff=0.55)
        self.play(Write(lines), run_time=1.5)
