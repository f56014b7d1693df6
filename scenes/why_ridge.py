"""why_ridge — the problem ridge solves (ESL §3.4; genridge's bivariate ridge trace).

The first frame sums the scene up: a true w_true, the 90% ellipse s²H⁻¹ of the least-squares
fits (wide, along q₂, the eigenvector of H's small eigenvalue), ridge's much smaller ellipse
off w_true with the bias drawn, a table of spread + bias² = error for ŵ and w(λ), and those
three against λ. Then the story: data are drawn again and again (y = X w_true + noise, one
design X with XᵀX = H, a seeded generator) and each least-squares fit ŵ lands as a dot
inside s²H⁻¹. λ grows: each data set's ridge fit w(λ) = (H + λI)⁻¹Xᵀy moves (the same data
sets, so each dot travels; ghosts stay where least squares put them), the cloud gathers
into s²(H + λI)⁻¹H(H + λI)⁻¹ and its mean leaves w_true by the bias −λ(H + λI)⁻¹w_true,
while the table's w(λ) row and a marker on the plot follow λ. The last frame is the first
with the dots: a little bias buys much less spread, mostly along q₂ (or, for a λ too
large, costs more than it saves).

Colours: ŵ and the spread in f's colour, w(λ) and λ in the optimum's, the bias (what the
penalty's pull costs) in g's, the error in the text colour.

    manim -ql scenes/why_ridge.py WhyRidge
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from manim import (
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Circle,
    Create,
    DashedLine,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Indicate,
    LaggedStart,
    Line,
    MathTex,
    Mobject,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    config,
    smooth,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, param, point_text
from scenes.plane import (
    Maths,
    Panel,
    PlaneScene,
    View,
    around,
    arrow,
    box_of,
    clip_polyline,
    curve,
    dense,
    drop_ticks,
    nice_ticks,
    overlap,
    place_after,
    place_free,
    plate,
    segment_points,
    tex,
    thin_ticks,
    tip_box,
    to_scene,
    valued_axes,
    words_tex,
)
from scenes.readout import Readout
from scenes.theme import SPACE, TEXT

REACH = 0.75
"""The derived noise spreads the least-squares fits REACH ‖w_true‖ (one standard deviation)
along q₂: their 90% ellipse then reaches 1.6 ‖w_true‖ either side of w_true, past the origin
when w_true lies along q₂ (fits that get a weight's sign wrong)."""
LEVEL = 0.9  # the outlines hold this share of all possible fits
SAMPLES = (5, 400)  # the fewest and the most data sets the scene draws


def decimals(smallest: float) -> int:
    """Decimals that print `smallest` (> 0) with two significant digits or more: 2 from 0.1
    to 100 (3.57, 12.34), more below (0.0123), fewer above (123.4, 1571)."""
    power = math.floor(math.log10(max(smallest, 1e-12)))
    return max(2, 1 - power) if power < 2 else max(0, 3 - power)


@dataclass(frozen=True)
class WhyRidgeParams(Timed):
    w_true: tuple[float, ...] | None = param(
        None, "the true weights the data come from (null: ŵ, the problem's least-squares fit)"
    )
    noise: float | None = param(
        None,
        "s, the noise's standard deviation in every data set, > 0 (null: derived: the "
        "least-squares fits spread 0.75 ‖w_true‖ along q₂, more if lam needs it to be the best λ)",
    )
    samples: int = param(60, "how many data sets are drawn, each fitted (5 to 400)")
    lam: float | None = param(
        None, "the λ the scene ends on, > 0 (null: the λ with the smallest mean squared error)"
    )
    seed: int = param(1, "the seed of the data sets (the same seed, the same dots)")
    draw_time: float = param(5.0, "seconds for the data sets to be drawn and fitted")
    sweep_time: float = param(5.0, "seconds for λ to grow from 0 to lam")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.w_true is not None and len(self.w_true) != 2:
            raise ValueError(f"w_true must be two weights (or null), got {list(self.w_true)}")
        if self.noise is not None and not self.noise > 0:
            raise ValueError(f"noise must be a standard deviation > 0 (or null), got {self.noise}")
        if not SAMPLES[0] <= self.samples <= SAMPLES[1]:
            raise ValueError(
                f"samples must be {SAMPLES[0]} to {SAMPLES[1]} data sets (fewer show no cloud, "
                f"more hide each other), got {self.samples}"
            )
        if self.lam is not None and not self.lam > 0:
            raise ValueError(f"lam must be a penalty > 0 to compare with (or null), got {self.lam}")
        if self.seed < 0:
            raise ValueError(f"seed must be a whole number >= 0, got {self.seed}")
        for name in ("draw_time", "sweep_time"):
            if getattr(self, name) < 1.0:
                raise ValueError(f"{name} must be at least 1 s, got {getattr(self, name)}")


@dataclass(frozen=True)
class Errors:
    """mathcore's exact spread, bias² and error of w(λ) at each λ, read out once in `solve`
    (the scene draws these arrays; it never calls mathcore to sum them)."""

    lams: np.ndarray
    spread: np.ndarray  # tr C(λ)
    bias2: np.ndarray  # ‖b(λ)‖²
    mse: np.ndarray  # spread + bias²
    spread_along: np.ndarray  # (m, 2): along q₁ and q₂

    @classmethod
    def of(cls, risk: mc.Risk) -> Errors:
        return cls(risk.lams, risk.spread, risk.bias2, risk.mse, risk.spread_along)


@dataclass(frozen=True)
class WhyRidgeSolution:
    view: View
    w_true: np.ndarray
    noise: float
    lam: float
    lam_best: float  # the λ with the smallest mean squared error for this noise
    sigma: np.ndarray  # H's eigenvalues σ₁ ≥ σ₂
    Q: np.ndarray  # their eigenvectors, columns q₁, q₂
    fits: mc.Fits  # the data sets' fits: ols (n, 2), ridge (m, n, 2) at every lams
    risk: Errors  # exact spread, bias² and error at every lams
    ellipses: np.ndarray  # (m, P, 2): the LEVEL ellipse of w(λ) at every lams (λ = 0: s²H⁻¹)
    ols_cov: np.ndarray
    ridge_cov: np.ndarray  # at lam
    ridge_bias: np.ndarray  # at lam
    plot: Errors  # spread, bias² and error on the plot's λ grid, 0 … plot_max
    plot_max: float  # the plot's right end: past both lam and the best λ

    @property
    def lams(self) -> np.ndarray:
        return self.fits.lams

    @property
    def ridge_wins(self) -> bool:
        return bool(self.risk.mse[-1] < self.risk.mse[0])

    @property
    def q2_share(self) -> float:
        """The share of the spread saved that is saved along q₂."""
        saved = self.risk.spread_along[0] - self.risk.spread_along[-1]
        return float(saved[1] / saved.sum())


class WhyRidge(PlaneScene):
    """Redrawn data: least squares swings along q₂; ridge trades a little bias for less."""

    Params = WhyRidgeParams
    plot_box = (7.0, 7.5)
    steps = 241  # λ samples of the sweep, evenly spaced in the shrink factor along q₂
    rows = 20  # observations in each data set
    plot_reach = 2.5  # the plot runs to this many times the best λ …
    plot_room = 1.15  # … and past the scene's λ by this factor
    plot_samples = 201
    scrub = (
        Scrubbed("lam"),
        Scrubbed("spread"),
        Scrubbed("bias2"),
        Scrubbed("mse"),
    )

    @classmethod
    def solve(cls, params: WhyRidgeParams) -> WhyRidgeSolution:
        loss = params.loss()
        w_true = loss.center if params.w_true is None else np.asarray(params.w_true, float)
        H = loss.H
        if not np.any(w_true):
            raise ValueError(
                "w_true is 0: there is nothing for ridge to shrink and no bias to pay; give "
                "w_true (or center) a weight that is not 0"
            )
        noise = params.noise
        if noise is None:
            noise = mc.visible_noise(H, w_true, REACH)
            if params.lam is not None:  # loud enough that this λ pays off (the best λ)
                noise = max(noise, mc.noise_for_lambda(H, w_true, params.lam))
        lam_best = mc.best_lambda(H, w_true, noise)
        lam = params.lam if params.lam is not None else lam_best
        sigma = loss.sigma
        shrink = np.linspace(1.0, sigma[-1] / (sigma[-1] + lam), cls.steps)
        lams = sigma[-1] * (1.0 / shrink - 1.0)  # q₂'s factor σ₂/(σ₂ + λ) falls evenly
        lams[0], lams[-1] = 0.0, lam
        fits = mc.simulate_fits(H, w_true, noise, params.samples, lams, params.seed, cls.rows)
        risk = mc.ridge_risk(H, w_true, noise, lams)
        ellipses = np.array(
            [
                mc.covariance_ellipse(mc.ridge_cov(H, noise, x), w_true + b, LEVEL)
                for x, b in zip(lams, risk.bias, strict=True)
            ]
        )
        visible = np.vstack([fits.ols, fits.ridge[-1], ellipses[0], ellipses[-1], [w_true]])
        view = cls.view(mc.QuadraticLoss(H, w_true), visible, rings=())
        plot_max = max(cls.plot_reach * lam_best, cls.plot_room * lam)
        return WhyRidgeSolution(
            view=view,
            w_true=w_true,
            noise=float(noise),
            lam=float(lam),
            lam_best=float(lam_best),
            sigma=sigma,
            Q=loss.Q,
            fits=fits,
            risk=Errors.of(risk),
            ellipses=ellipses,
            ols_cov=mc.ols_cov(H, noise),
            ridge_cov=mc.ridge_cov(H, noise, lam),
            ridge_bias=mc.ridge_bias(H, w_true, lam),
            plot=Errors.of(
                mc.ridge_risk(H, w_true, noise, np.linspace(0.0, plot_max, cls.plot_samples))
            ),
            plot_max=float(plot_max),
        )

    @classmethod
    def results(cls, s: WhyRidgeSolution) -> dict:
        r = s.risk
        return {
            "w_true": s.w_true.tolist(),
            "noise": s.noise,
            "lam": s.lam,
            "lam_best": s.lam_best,
            "samples": len(s.fits.ols),
            "sigma": s.sigma.tolist(),
            "q": s.Q.T.tolist(),
            "ols_cov": s.ols_cov.tolist(),
            "ridge_cov": s.ridge_cov.tolist(),
            "ridge_bias": s.ridge_bias.tolist(),
            "spread_ols": float(r.spread[0]),
            "spread_ridge": float(r.spread[-1]),
            "spread_along_ols": r.spread_along[0].tolist(),
            "spread_along_ridge": r.spread_along[-1].tolist(),
            "bias2": float(r.bias2[-1]),
            "saved": float(r.spread[0] - r.spread[-1]),
            "q2_pct": 100.0 * s.q2_share,
            "mse_ols": float(r.mse[0]),
            "mse_ridge": float(r.mse[-1]),
            "ridge_wins": s.ridge_wins,
            "places": cls.places(s),
            "lam_places": cls.lam_places(s),
            "ols_fits": s.fits.ols.tolist(),
            "ridge_fits": s.fits.ridge[-1].tolist(),
        }

    @classmethod
    def alt_text(cls, s: WhyRidgeSolution) -> str:
        r, p, lp = s.risk, cls.places(s), cls.lam_places(s)
        return cls.alt(
            "text",
            w_true=point_text(s.w_true),
            sets=len(s.fits.ols),
            noise=fixed(s.noise, decimals(s.noise)),
            sigma2=fixed(s.sigma[1], 2),
            lam=fixed(s.lam, lp),
            spread0=fixed(r.spread[0], p),
            spread1=fixed(r.spread[-1], p),
            bias1=fixed(r.bias2[-1], p),
            mse0=fixed(r.mse[0], p),
            mse1=fixed(r.mse[-1], p),
        )

    @classmethod
    def places(cls, s: WhyRidgeSolution) -> int:
        """Decimals of the table's spreads and errors: 2; more when they are small (at least
        two significant digits), fewer when they are large (no more than four digits); a
        bias² much smaller than the spread shows as 0.00 beside it."""
        r = s.risk
        return decimals(float(min(r.spread[-1], r.mse[-1])))

    @classmethod
    def lam_places(cls, s: WhyRidgeSolution) -> int:
        """Decimals of λ, by the same rule."""
        return decimals(s.lam)

    @classmethod
    def scrubbed(cls, s: WhyRidgeSolution) -> tuple[Scrubbed, ...]:
        places = {"lam": cls.lam_places(s)}
        return tuple(
            replace(r, decimals=places.get(r.key, cls.places(s))) for r in super().scrubbed(s)
        )

    dot_radius = 0.045  # a fit's dot
    crowded = 2  # the bias's label covering more fits' dots than this moves out of the cloud
    above_dots = 1  # z-index of w_true and its label: no fit's dot is drawn over them
    ghost = 0.4  # the least-squares fits' opacity once their dots move on
    min_arrow = 0.45  # scene units: a shorter bias is a plain stroke (no room for a head)
    q2_reach = 1.12  # q₂'s line runs this far past the least-squares ellipse
    tick_room = 0.75  # left of the plot for its y tick values
    name_room = 0.45  # right of the plot for λ
    title_room = 0.45  # above the plot for its title
    plot_headroom = 3.0  # the plot's top, in the larger of the final error and bias²
    number_room = 0.45  # under the plot for its tick values

    def now(self) -> int:
        """The λ sample on screen."""
        return round(self.step.get_value()) if hasattr(self, "step") else 0

    def frame_readouts(self) -> dict:
        r, i = self.solution.risk, self.now()
        return {
            "lam": float(r.lams[i]),
            "spread": float(r.spread[i]),
            "bias2": float(r.bias2[i]),
            "mse": float(r.mse[i]),
        }

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        s, t = self.solution, self.theme
        last = len(s.lams) - 1
        self.step = ValueTracker(last)  # the first frame shows where the scene ends
        self.make_cloud()
        self.build_panel()
        self.place_labels()

        # --- the answer first: least squares' wide ellipse, ridge's tight one off w_true
        self.show_plane(*self.first_frame())
        self.bring_to_front(*self.plane.axes.labels)
        with self.beat("problem"):
            pass  # the whole story in one frame; the caption reads it

        # --- redraw the data: every least-squares fit is one dot
        with self.beat("draws", self.params.draw_time) as b:
            self.play(FadeOut(*self.story), run_time=0.6)
            self.step.set_value(0)
            self.move_dots(self.dots)  # back to least squares' fits
            self.play(
                LaggedStart(*(FadeIn(dot, scale=0.4) for dot in self.dots), lag_ratio=0.35),
                run_time=max(b.duration - 0.6, 1.0),
            )
            self.bring_to_front(*self.plane.axes.labels)

            b.mark("ellipse")
            self.play(
                Indicate(self.ols_label, color=t.f),
                self.ols_outline.animate.set_stroke(width=6),
                run_time=1.0,
            )
            self.play(self.ols_outline.animate.set_stroke(width=3), run_time=0.4)

            b.mark("long")
            self.play(Create(self.q2_line), FadeIn(self.q2_label), run_time=1.0)

            b.mark("spread")
            self.play(Indicate(self.table_rows[0], color=t.f, scale_factor=1.1), run_time=1.0)

        # --- ridge: λ grows, each data set's fit moves to w(λ)
        with self.beat("shrink", self.params.sweep_time) as b:
            parts = [self.ridge_outline, self.lam_line, self.table_rows[1], self.marker]
            self.add(self.ghosts)  # where the least-squares fits were
            self.bring_to_front(self.dots)
            for part in parts:
                part.update()  # at λ = 0 before they appear
            self.play(FadeIn(*parts), run_time=0.6)
            self.add(self.dots.add_updater(self.move_dots))
            self.play(
                self.step.animate.set_value(last),
                run_time=max(b.duration - 0.6, 1.0),
                rate_func=smooth,
            )
            b.mark("gathered")
            self.play(
                FadeIn(self.ridge_label),
                Indicate(self.table_rows[1][1], color=t.optimum, scale_factor=1.15),
                run_time=1.0,
            )

        # --- the price: the cloud's mean is off w_true
        with self.beat("bias"):
            grow = GrowArrow(self.bias) if isinstance(self.bias, Arrow) else Create(self.bias)
            self.play(grow, FadeIn(self.bias_label), run_time=1.0)
            self.play(Indicate(self.table_rows[1][2], color=t.g, scale_factor=1.15), run_time=0.8)

        # --- the verdict: the error, spread + bias², against λ
        if s.ridge_wins:
            with self.beat("lesson") as b:
                self.play(Indicate(self.error_cells, color=t.text, scale_factor=1.15), run_time=1.0)
                b.mark("where")
                self.play(Indicate(self.q2_label, color=t.text, scale_factor=1.3), run_time=1.0)
                self.wait(self.params.hold_time)
        else:
            with self.beat("overdone"):
                self.play(Indicate(self.error_cells, color=t.text, scale_factor=1.15), run_time=1.0)
                self.wait(self.params.hold_time)

    # --- the plane ------------------------------------------------------------------------------

    def make_cloud(self) -> None:
        """The plot (no level sets: the cloud is the picture), w_true, the least-squares
        fits as dots (not shown yet), the 90% ellipses, q₂'s line and the bias."""
        s, t = self.solution, self.theme
        self.make_plane(s.view)
        plane, axes = self.plane, self.axes
        plane.group.remove(self.center_dot, self.center_label)  # w_true is the target
        thin_ticks(axes)
        plane.labels = list(axes.labels)
        self.truth = self.mark("w_true", plane.dot(s.w_true, t.text, radius=0.09))
        self.ols_outline = self.mark(
            "ols_ellipse", DashedVMobject(plane.curve(s.ellipses[0], t.f, 3), num_dashes=60)
        )
        self.ridge_outline = self.mark(
            "ridge_ellipse",
            always_redraw(lambda: plane.curve(s.ellipses[self.now()], t.optimum, 4)),
        )
        self.dots = self.mark(
            "fits",
            VGroup(
                *(
                    Circle(radius=self.dot_radius, stroke_width=0)
                    .set_fill(t.f, opacity=0.85)
                    .move_to(p)
                    for p in to_scene(axes, s.fits.ols)
                )
            ),
        )
        q2 = s.Q[:, 1]
        reach = float(np.max((s.ellipses[0] - s.w_true) @ q2)) * self.q2_reach
        line = np.array([s.w_true - reach * q2, s.w_true + reach * q2])
        ends = clip_polyline(line, s.view.box)[0]  # inside the plot: w_true is in it
        self.q2_ends = ends
        self.q2_line = self.mark(
            "q2_line", DashedLine(axes.c2p(*ends[0]), axes.c2p(*ends[1]), dash_length=0.12)
        )
        self.q2_line.set_stroke(t.muted, 2.5)
        shift = s.ridge_bias
        if np.linalg.norm(shift) * s.view.unit >= self.min_arrow:
            self.bias = arrow(axes, s.w_true, shift, t.g, width=5)
        else:  # too short for an arrowhead: a plain stroke from w_true to the cloud's mean
            self.bias = Line(axes.c2p(*s.w_true), axes.c2p(*(s.w_true + shift)))
            self.bias.set_stroke(t.g, 5)
        # over the fits' dots, edged in the background colour: it stays legible in the cloud
        self.bias.set_stroke(t.background, 10, background=True).set_z_index(self.above_dots)
        self.mark("bias", self.bias)

    def move_dots(self, dots: VGroup) -> None:
        """Each data set's fit at the λ on screen: ŵ's colour at λ = 0, w(λ)'s after."""
        s, t = self.solution, self.theme
        i = self.now()
        colour = t.f if i == 0 else t.optimum
        for dot, p in zip(dots, to_scene(self.axes, s.fits.ridge[i]), strict=True):
            dot.move_to(p).set_fill(colour)

    def place_labels(self) -> None:
        """The plane's labels, each once, by rule: clear of the axes' texts, w_true, the
        ellipses, q₂'s line, the bias and the dots (least-squares and ridge), in the plot."""
        s, t, axes = self.solution, self.theme, self.axes
        q2 = s.Q[:, 1]
        strokes = np.vstack(
            [
                dense(to_scene(axes, s.ellipses[0])),
                dense(to_scene(axes, s.ellipses[-1])),
                segment_points(*(axes.c2p(*e) for e in self.q2_ends)),
                segment_points(self.bias.get_start(), self.bias.get_end()),
            ]
        )
        fits = np.vstack([to_scene(axes, s.fits.ols), to_scene(axes, s.fits.ridge[-1])])
        lines = np.vstack([strokes, fits[:, :2]])
        marks = [box_of(self.truth)]  # a tick value under w_true or the bias's head gives way
        if isinstance(self.bias, Arrow):
            marks.append(tip_box(self.bias.get_end(), 0.2))
        numbers = self.axes.labels[2:]
        drop_ticks(
            self.axes,
            [n for n in numbers if any(overlap(box_of(n), m) > 0 for m in marks)],
        )
        self.plane.labels = list(self.axes.labels)
        boxes = [box_of(m) for m in self.plane.labels] + marks
        bounds = box_of(axes)
        shift = s.ridge_bias
        away = -shift if np.linalg.norm(shift) > 1e-12 else s.Q[:, 0]
        across = s.Q[:, 0] if s.Q[:, 0] @ away >= 0 else -s.Q[:, 0]

        def put(label: Mobject, at, direction, avoid=lines) -> Mobject:
            place_free(label, at, around(direction), boxes, avoid, bounds)
            boxes.append(box_of(label))
            return label

        self.truth_label = put(  # beside w_true, on the side with the fewest fits' dots
            plate(tex(self.w_true_tex(), t.text, TEXT.body), t),
            self.truth.get_center(),
            across,
        )
        self.mark("w_true_label", self.truth_label)
        for mob in (self.truth, self.truth_label):  # above every dot, even while they appear
            mob.set_z_index(self.above_dots)
        tips = [s.ellipses[0][int(np.argmax(sign * (s.ellipses[0] @ q2)))] for sign in (1, -1)]
        roomy = max(range(2), key=lambda j: np.linalg.norm(tips[j] - s.view.center))
        self.ols_label = put(
            plate(tex(r"s^2 H^{-1}", t.f, TEXT.body), t),
            axes.c2p(*tips[roomy]),
            tips[roomy] - s.w_true,
        )
        self.mark("ols_label", self.ols_label)
        mean = s.w_true + shift
        ridge = s.ellipses[-1]
        side = shift if np.linalg.norm(shift) > 1e-12 else -q2
        edge = ridge[int(np.argmax(ridge @ side))]
        self.ridge_label = put(
            plate(tex(r"w(\lambda)", t.optimum, TEXT.body), t), axes.c2p(*edge), side
        )
        self.mark("ridge_label", self.ridge_label)
        middle = axes.c2p(*(s.w_true + 0.5 * shift))
        normal = np.array([-side[1], side[0]])
        if normal @ (mean - s.w_true - 0.0) < 0:
            normal = -normal
        bias = plate(tex(words_tex(self.word("bias")), t.g, TEXT.label), t)
        put(bias, middle, normal)
        self.bias_label = VGroup(bias)
        if self.covered_fits(bias, fits) > self.crowded:  # outside the cloud, on a leader
            boxes.pop()
            edge = ridge[int(np.argmax((ridge - (s.w_true + 0.5 * shift)) @ normal))]
            put(bias, axes.c2p(*edge), normal)
            left, bottom, right, top = box_of(bias)
            end = np.array([np.clip(middle[0], left, right), np.clip(middle[1], bottom, top), 0])
            start = middle + 0.08 * (end - middle) / np.linalg.norm(end - middle)
            self.bias_label = VGroup(Line(start, end, stroke_width=2, color=t.g), bias)
        self.mark("bias_label", self.bias_label)
        other = 1 - roomy
        end = (
            self.q2_ends[0]
            if (self.q2_ends[0] - s.w_true) @ (tips[other] - s.w_true) > 0
            else (self.q2_ends[1])
        )
        self.q2_label = put(
            plate(tex(r"q_2", t.muted, TEXT.body), t), axes.c2p(*end), end - s.w_true
        )
        self.mark("q2_label", self.q2_label)

    @staticmethod
    def covered_fits(label: Mobject, fits: np.ndarray) -> int:
        """How many fits' dots (scene points) a label's box covers."""
        left, bottom, right, top = box_of(label)
        x, y = fits[:, 0], fits[:, 1]
        return int(((x > left) & (x < right) & (y > bottom) & (y < top)).sum())

    # --- the panel ------------------------------------------------------------------------------

    def w_true_tex(self) -> str:
        """w_true in TeX, its subscript a word of the script."""
        return rf"w_{{{words_tex(self.word('true'))}}}"

    def risk_names(self) -> list[str]:
        """spread, + bias², = error: the table's heads and the plot's title, in TeX."""
        return [
            words_tex(self.word("spread")),
            r"+\ " + words_tex(self.word("bias")) + "^2",
            r"=\ " + words_tex(self.word("error")),
        ]

    def build_panel(self) -> None:
        """Right of the plot: how the data are made and fitted, the table of spread + bias²
        = error for ŵ and for w(λ) (its numbers following λ), and the three against λ."""
        s, t = self.solution, self.theme
        panel, places = self.panel, self.places(s)
        model = tex(
            rf"y = X {self.w_true_tex()} + "
            + words_tex(self.word("noise"), sigma=Maths("s = "))
            + fixed(s.noise, decimals(s.noise)),
            t.text,
            TEXT.body,
        )
        panel.stack(model, Panel.TOP)
        least = panel.stack(
            tex(r"\hat w = H^{-1} X^\top y,\quad H = X^\top X", t.f, TEXT.body), gap=SPACE.line
        )
        ridge = panel.stack(
            tex(r"w(\lambda) = (H + \lambda I)^{-1} X^\top y", t.optimum, TEXT.body),
            gap=SPACE.line,
        )
        lam_name = tex(r"\lambda =", t.optimum, TEXT.body).next_to(ridge, RIGHT, SPACE.section)
        lam = place_after(Readout(s.lams[-1], self.lam_places(s), t.optimum, TEXT.body), lam_name)
        lam.add_updater(lambda m: m.set_value(s.lams[self.now()]))
        self.lam_line = self.mark("lam", VGroup(lam_name, lam))
        self.formulas = VGroup(model, least, ridge)
        self.build_table(ridge, places)
        self.build_plot()

    def build_table(self, above: Mobject, places: int) -> None:
        """spread + bias² = error: a row for ŵ (fixed numbers) and one for w(λ) (readouts
        following λ), columns left-aligned under their headers."""
        s, t = self.solution, self.theme
        r, size = s.risk, TEXT.label
        heads = [
            tex(source, colour, size)
            for source, colour in zip(self.risk_names(), (t.f, t.g, t.text), strict=True)
        ]
        names = [tex(r"\hat w", t.f, size), tex(r"w(\lambda)", t.optimum, size)]
        fixed_row = [tex(fixed(v, places), t.f, size) for v in (r.spread[0], r.bias2[0], r.mse[0])]
        series = (r.spread, r.bias2, r.mse)
        live = [Readout(v[-1], places, t.optimum, size) for v in series]
        widest = [max(v, key=lambda x: len(fixed(x, places))) for v in series]
        for number, value in zip(live, widest, strict=True):
            number.set_value(value)  # sized for the widest number it will show
        label_width = max(n.width for n in names) + SPACE.item
        widths = [
            max(h.width, f.width, n.width) + SPACE.section
            for h, f, n in zip(heads, fixed_row, live, strict=True)
        ]
        left = self.panel.left
        top = above.get_bottom()[1] - SPACE.item
        row_h = max(m.height for m in [*heads, *names, *fixed_row]) + SPACE.line
        cells = [[VMobject(), *heads], [names[0], *fixed_row], [names[1], *live]]
        for i, row in enumerate(cells):
            x, y = left, top - (i + 0.5) * row_h
            for j, cell in enumerate(row):
                cell.move_to([x, y, 0], aligned_edge=LEFT)
                x += label_width if j == 0 else widths[j - 1]
        for number, values in zip(live, series, strict=True):
            number.set_value(values[-1])
            number.add_updater(lambda m, v=values: m.set_value(v[self.now()]))
        self.table_head = VGroup(*heads)
        self.table_rows = [VGroup(names[0], *fixed_row), VGroup(names[1], *live)]
        self.mark("table_ols", self.table_rows[0])
        self.mark("table_ridge", self.table_rows[1])
        self.error_cells = VGroup(heads[2], fixed_row[2], live[2])
        self.table_bottom = top - 3 * row_h

    def build_plot(self) -> None:
        """spread, bias² and error of w(λ) against λ (exact, from 0 past the best λ), in
        the table's colours, with a marker at the λ on screen. The plot reaches up to
        `plot_headroom` times the larger of the end's error and the largest bias², so that
        the error's dip stays visible when least squares' spread dwarfs it (the spread's
        curve then leaves through the top; the table has its value)."""
        s, t = self.solution, self.theme
        p = s.plot
        top_value = float(max(p.mse.max(), p.spread.max()))
        top_value = min(top_value, self.plot_headroom * max(s.risk.mse[-1], p.bias2.max()))
        y_ticks = nice_ticks(0.0, top_value * 1.12, 4)
        y_top = max(top_value * 1.08, y_ticks[-1][0] * 1.04 if y_ticks else 0.0)
        x_ticks = nice_ticks(0.0, s.plot_max, 3)
        left = self.panel.left + self.tick_room
        right = config.frame_width / 2 - SPACE.edge - self.name_room
        top = self.table_bottom - SPACE.section - self.title_room
        note = self.data_line()
        floor = -config.frame_height / 2 + SPACE.edge
        if note is not None:
            floor = max(floor, note.get_top()[1] + SPACE.tight)
        bottom = floor + self.number_room
        axes = valued_axes(
            (0.0, s.plot_max),
            (0.0, y_top),
            (right - left, top - bottom),
            t,
            x_ticks=x_ticks,
            y_ticks=y_ticks,
            names=(r"\lambda", ""),
        )
        axes.shift([left, bottom, 0] - axes.c2p(0, 0))
        self.risk_axes = axes
        title = MathTex(
            *self.risk_names(),
            words_tex(" " + self.word("against"), lam=Maths(r"\lambda")),
            font_size=TEXT.label,
        )
        for part, colour in zip(title, (t.f, t.g, t.text, t.text), strict=True):
            part.set_color(colour)
        title = plate(title, t)
        title.next_to(axes.c2p(0, y_top), UP, buff=SPACE.line).align_to(
            [self.panel.left, 0, 0], LEFT
        )
        box = (0.0, s.plot_max, 0.0, y_top)
        curves = VGroup(
            *(
                curve(axes, np.column_stack([p.lams, values]), colour, width, box=box)
                for values, colour, width in (
                    (p.spread, t.f, 3),
                    (p.bias2, t.g, 3),
                    (p.mse, t.text, 4),
                )
            )
        )
        self.mark("risk_curves", curves)
        self.plot = VGroup(axes, curves, title)
        r = s.risk

        def marker() -> VGroup:
            i = self.now()
            lam = s.lams[i]
            line = Line(axes.c2p(lam, 0), axes.c2p(lam, y_top)).set_stroke(t.optimum, 2.5)
            dots = VGroup(
                *(
                    Dot(axes.c2p(lam, v[i]), radius=0.06, color=colour).set_opacity(
                        1.0 if v[i] <= y_top else 0.0  # above the plot: the table says it
                    )
                    for v, colour in ((r.spread, t.f), (r.bias2, t.g), (r.mse, t.text))
                )
            )
            return VGroup(line, dots)

        self.marker = self.mark("marker", always_redraw(marker))

    def first_frame(self) -> list[Mobject]:
        """The last frame, shown first: the scene summed up before it plays (the dots at
        their ridge fits, the least-squares fits' ghosts, both ellipses, the bias, q₂, the
        table and the plot at the λ it ends on)."""
        self.ghosts = self.mark("ghosts", self.dots.copy().set_fill(opacity=self.ghost))
        self.move_dots(self.dots)  # at the last λ
        self.ridge_parts = [
            self.ridge_outline,
            self.ridge_label,
            self.bias,
            self.bias_label,
            self.lam_line,
            self.table_rows[1],
            self.marker,
        ]
        self.story = [*self.ridge_parts, self.ghosts, self.dots, self.q2_line, self.q2_label]
        return [
            self.ghosts,
            self.q2_line,
            self.q2_label,
            self.ols_outline,
            self.ols_label,
            self.dots,
            *self.ridge_parts,
            self.truth,
            self.truth_label,
            self.formulas,
            self.table_head,
            self.table_rows[0],
            self.plot,
        ]
