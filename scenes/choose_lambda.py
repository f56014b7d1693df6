"""choose_lambda — how λ is chosen (ESL Fig. 3.7; ISLR Figs. 6.5 and 6.12).

A data table (the shipped diabetes data by default; `--data FILE --x COL …`, two columns or
more). Left: the K-fold cross-validated mean squared error against log λ, each fold's own
error curve first (faint), then their mean with ±1 standard-error bars; a marker slides to
the λ with the lowest CV error (λ_min) and then to the largest λ within one standard error
of it (the one-standard-error rule, λ_1se). Right: the coefficients w(λ) of the whole table
against the same axis, labelled with the column names, with the same two λ marked. Then the
coefficients give way to what CV estimates: on data simulated from a known w_true (the
table's least-squares fit ŵ, its residual noise s, the table's own rows as the design), the
exact test error = s² + bias² + variance; the variance falls as λ grows, the bias² rises,
and their sum has its minimum in between.

    manim -ql scenes/choose_lambda.py ChooseLambda
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
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    Mobject,
    Rectangle,
    ValueTracker,
    VGroup,
    VMobject,
    config,
    linear,
)

import mathcore as mc
from narration import fixed, short_name
from scenes.base import FromTable, Held, RidgeScene, Scrubbed, bounding_box, param
from scenes.plane import (
    Maths,
    around,
    clip_polyline,
    nice_ticks,
    place_clear,
    plate,
    polyline,
    tex,
    tex_escape,
    tick,
    words_tex,
)
from scenes.readout import Readout
from scenes.theme import SPACE, TEXT
from studio.data import data_how

MAX_COLUMNS = 30
NOTE_LENGTH = 110  # characters of the data's line that name its columns, at most
"""The most columns the coefficient plot draws: beyond them its paths and names would crowd
into an unreadable plot."""
STEPS = (21, 301)  # λ values on the grid, at least and at most
DEFAULT_X = ("bmi", "bp", "s1", "s2", "s5")
"""Five of the diabetes columns: the two strongest predictors, blood pressure, and total and
LDL cholesterol (s1, s2: correlated, so their weights pull against each other and s1 changes
sign on the way to 0)."""


@dataclass(frozen=True)
class ChooseLambdaParams(Held, FromTable):
    x: tuple[str, ...] = param(
        DEFAULT_X, "the feature columns, in order, two or more (empty: every column but y)"
    )
    folds: int = param(10, "K, the number of folds (contiguous, unshuffled, as KFold(K))")
    lam_range: tuple[float, ...] | None = param(
        None,
        "the λ grid's ends [lowest, highest], > 0 (null: from H's eigenvalues: whole decades "
        "from σ_min/100 to 30 σ_max)",
    )
    steps: int = param(121, f"λ values on the grid, evenly spaced in log λ ({STEPS[0]}–{STEPS[1]})")
    w_true: tuple[float, ...] | None = param(
        None, "the simulation's true weights, one per column (null: the table's fit ŵ)"
    )
    noise: float | None = param(
        None, "the simulation's noise s > 0 (null: the table's residual standard deviation)"
    )
    sim_rows: int | None = param(
        None,
        "rows of each simulated data set, drawn like the table's rows (null: 20, or 4 per "
        "column when there are more than five columns)",
    )
    sweep_time: float = param(4.0, "seconds for the marker to sweep the λ grid")

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.x) == 1:
            raise ValueError(
                f"x: give at least two --x columns (choose_lambda draws one weight per "
                f"column), got only {self.x[0]!r}"
            )
        check_columns(len(self.x))
        if isinstance(self.folds, bool) or not 2 <= self.folds <= mc.validation.MAX_FOLDS:
            raise ValueError(
                f"folds must be a whole number from 2 to {mc.validation.MAX_FOLDS}, "
                f"got {self.folds}"
            )
        if self.lam_range is not None and (
            len(self.lam_range) != 2 or not 0 < self.lam_range[0] < self.lam_range[1]
        ):
            raise ValueError(
                f"lam_range must be [lowest, highest] with 0 < lowest < highest (or null), "
                f"got {list(self.lam_range)}"
            )
        if isinstance(self.steps, bool) or not STEPS[0] <= self.steps <= STEPS[1]:
            raise ValueError(
                f"steps must be a whole number from {STEPS[0]} to {STEPS[1]}, got {self.steps}"
            )
        if self.noise is not None and not self.noise > 0:
            raise ValueError(
                f"noise must be a standard deviation > 0 (or null: the table's), got {self.noise}"
            )
        if self.sim_rows is not None and not 3 <= self.sim_rows <= 1_000_000:
            raise ValueError(
                f"sim_rows must be a whole number from 3 to 1000000 (or null), got {self.sim_rows}"
            )
        if not 1.0 <= self.sweep_time <= 20.0:
            raise ValueError(f"sweep_time must be 1–20 s, got {self.sweep_time}")


def check_columns(count: int) -> None:
    """At most MAX_COLUMNS feature columns, or one line saying why."""
    if count > MAX_COLUMNS:
        raise ValueError(
            f"x: {count} columns, at most {MAX_COLUMNS}: with more, the coefficient plot's "
            "paths and names would crowd into an unreadable plot; choose columns with --x"
        )


@dataclass(frozen=True)
class Validated:
    """mathcore's CrossValidation as plain numbers (after solve, no mathcore code runs)."""

    lams: np.ndarray
    bounds: np.ndarray  # fold k holds out rows bounds[k]:bounds[k + 1]
    fold_mse: np.ndarray  # (K, m)
    cv_mse: np.ndarray
    cv_se: np.ndarray
    i_min: int
    i_1se: int
    folds: int
    lam_min: float
    lam_1se: float
    threshold: float  # CV(λ_min) + SE(λ_min)

    @classmethod
    def of(cls, cv: mc.CrossValidation) -> Validated:
        return cls(
            cv.lams,
            cv.bounds,
            cv.fold_mse,
            cv.cv_mse,
            cv.cv_se,
            cv.i_min,
            cv.i_1se,
            cv.folds,
            cv.lam_min,
            cv.lam_1se,
            cv.threshold,
        )


@dataclass(frozen=True)
class Errors:
    """mathcore's PredictionRisk as plain arrays, one value per λ."""

    bias2: np.ndarray
    variance: np.ndarray
    reducible: np.ndarray  # bias² + variance
    test_mse: np.ndarray  # s² + bias² + variance
    noise2: float

    @classmethod
    def of(cls, risk: mc.PredictionRisk) -> Errors:
        return cls(risk.bias2, risk.variance, risk.reducible, risk.test_mse, risk.noise2)


@dataclass(frozen=True)
class ChooseLambdaSolution:
    columns: tuple[str, ...]
    response: str
    rows: int
    file: str  # the data file's name
    how: str  # how its columns were prepared: a key of the script's [words.data]
    sigma: np.ndarray  # H's eigenvalues, descending
    cv: Validated  # over the λ grid
    path: np.ndarray  # (m, p): w(λ) of the whole table at every λ of the grid
    w_true: np.ndarray  # the simulation's true weights
    noise: float  # … and its noise s
    fitted: bool  # whether w_true and s are the table's own fit (not given)
    sim_rows: int  # rows of each simulated data set
    risk: Errors  # the exact test error over the grid
    lam_best: float  # its minimiser
    best: Errors  # … and the error there

    @property
    def lams(self) -> np.ndarray:
        return self.cv.lams

    @property
    def p(self) -> int:
        return len(self.columns)

    @property
    def one_se_at_end(self) -> bool:
        """Whether the one-standard-error rule picked the grid's largest λ (the error stays
        within one SE all the way: the weights may as well be 0)."""
        return self.cv.i_1se == len(self.lams) - 1


def places(lam: float) -> int:
    """Decimals of a λ on screen: three significant digits, none from 100 up."""
    return max(0, 2 - math.floor(math.log10(lam)))


def error_places(values: np.ndarray) -> int:
    """Decimals of an error: none from 100 up, three significant digits below."""
    smallest = float(np.min(np.abs(values)))
    return 0 if smallest >= 100 else max(0, 2 - math.floor(math.log10(max(smallest, 1e-9))))


def derived_range(sigma: np.ndarray) -> tuple[float, float]:
    """Whole decades from σ_min/100 (every weight still near ŵ) to 30 σ_max (every weight
    shrunk to a few per cent)."""
    low = 10.0 ** math.floor(math.log10(sigma[-1] / 100))
    high = 10.0 ** math.ceil(math.log10(30 * sigma[0]))
    return low, high


def named(err: mc.MathcoreError, table) -> str:
    """A mathcore message with column indices replaced by the table's column names."""
    text = str(err)
    for index, name in enumerate(table.x):
        text = text.replace(f"column {index} ", f"column {name!r} ")
    return f"{table.path}: {text}"


class ChooseLambda(RidgeScene):
    """K-fold CV error against log λ with its SE bars, λ_min and λ_1se, the coefficients
    beside it; then the exact bias² + variance that CV estimates."""

    Params = ChooseLambdaParams
    scrub = (
        Scrubbed("lam"),
        Scrubbed("cv"),
        Scrubbed("se"),
        Scrubbed("w"),
        Scrubbed("test"),
    )
    top = 1.55  # the plots' top edge
    bottom = -2.05  # … and bottom edge
    names_row = 2.25  # the plots' names, centred on this height
    chosen_gap = 0.08  # from a plot's top to the names of the λ marked on it
    tick_room = 0.75  # left of the error plots for their tick values
    gap = 0.55  # between the two plots (and the names column)
    bars = 24  # SE bars drawn along the grid (and at λ_min and λ_1se)
    folds_shown = 10  # folds held out one by one (more folds: the others at once)
    faint_folds = 0.18  # the folds' error curves' opacity under their mean

    # --- the numbers ---------------------------------------------------------------------------

    @classmethod
    def solve(cls, params: ChooseLambdaParams) -> ChooseLambdaSolution:
        table = params.table()
        if len(table.x) < 2:
            raise ValueError(
                f"{table.path}: choose_lambda needs at least two feature columns, "
                f"got {len(table.x)}"
            )
        check_columns(len(table.x))
        try:
            prepared = mc.prepare(table.X, table.response, params.intercept, params.standardize)
            loss = mc.loss_from_columns(prepared)
            sigma = loss.sigma
            low, high = params.lam_range or derived_range(sigma)
            grid = np.geomspace(low, high, params.steps)
            fitted = params.w_true is None and params.noise is None
            w_true = loss.center if params.w_true is None else np.asarray(params.w_true, float)
            if len(w_true) != len(table.x):
                raise ValueError(
                    f"w_true must have one weight per column ({len(table.x)}), got {len(w_true)}"
                )
            noise = params.noise or mc.residual_noise(prepared.X, prepared.y, params.intercept)
            rows = params.sim_rows or max(20, 4 * len(table.x))
            if rows < len(table.x) + 2:
                raise ValueError(
                    f"sim_rows must be at least the columns + 2 ({len(table.x) + 2}) for a "
                    f"least-squares fit to exist, got {rows}"
                )
            H = loss.H * (rows / table.rows)  # the table's rows' spread, in `rows` rows
            lam_best = mc.best_prediction_lambda(H, w_true, noise, rows, grid)
            # the grid holds λ_best too, so the marker can stop exactly there
            lams = np.unique(np.append(grid, lam_best))
            cv = mc.cross_validate_ridge(
                table.X, table.response, lams, params.folds, params.intercept, params.standardize
            )
            path = mc.ridge_path(loss, lams)
            risk = mc.prediction_risk(H, w_true, noise, lams, rows)
            best = mc.prediction_risk(H, w_true, noise, [lam_best], rows)
        except mc.MathcoreError as err:
            raise mc.MathcoreError(named(err, table)) from None
        return ChooseLambdaSolution(
            columns=table.x,
            response=table.y,
            rows=table.rows,
            file=table.path.name,
            how=data_how(params.intercept, params.standardize),
            sigma=sigma,
            cv=Validated.of(cv),
            path=path,
            w_true=w_true,
            noise=float(noise),
            fitted=fitted,
            sim_rows=rows,
            risk=Errors.of(risk),
            lam_best=lam_best,
            best=Errors.of(best),
        )

    @classmethod
    def results(cls, s: ChooseLambdaSolution) -> dict:
        cv, r = s.cv, s.risk
        i, j = cv.i_min, cv.i_1se
        err = error_places(cv.cv_mse)
        return {
            "columns": list(s.columns),
            "response": s.response,
            "rows": s.rows,
            "p": s.p,
            "folds": cv.folds,
            "fold_rows": [int(cv.bounds[1] - cv.bounds[0]), int(cv.bounds[-1] - cv.bounds[-2])],
            "train_folds": cv.folds - 1,
            "lambdas": s.lams.tolist(),
            "cv_mse": cv.cv_mse.tolist(),
            "cv_se": cv.cv_se.tolist(),
            "fold_mse": cv.fold_mse.tolist(),
            "lam_min": cv.lam_min,
            "lam_1se": cv.lam_1se,
            "lam_min_places": places(cv.lam_min),
            "lam_1se_places": places(cv.lam_1se),
            "cv_min": float(cv.cv_mse[i]),
            "se_min": float(cv.cv_se[i]),
            "cv_1se": float(cv.cv_mse[j]),
            "threshold": cv.threshold,
            "error_places": err,
            "one_se_at_end": s.one_se_at_end,
            "w_min": s.path[i].tolist(),
            "w_1se": s.path[j].tolist(),
            "norm_min": float(np.linalg.norm(s.path[i])),
            "norm_1se": float(np.linalg.norm(s.path[j])),
            "coef_path": s.path.tolist(),
            "sigma": s.sigma.tolist(),
            "w_true": s.w_true.tolist(),
            "noise": s.noise,
            "noise2": r.noise2,
            "sim_rows": s.sim_rows,
            "bias2": r.bias2.tolist(),
            "variance": r.variance.tolist(),
            "test_mse": r.test_mse.tolist(),
            "lam_best": s.lam_best,
            "lam_best_places": places(s.lam_best),
            "test_best": float(s.best.test_mse[0]),
            "variance_ls": float(r.variance[0]),
            "bias2_best": float(s.best.bias2[0]),
            "variance_best": float(s.best.variance[0]),
            "reducible_places": error_places(
                np.array([s.best.reducible[0], s.best.variance[0], r.variance[0]])
            ),
        }

    @classmethod
    def alt_text(cls, s: ChooseLambdaSolution) -> str:
        cv = s.cv
        err = error_places(cv.cv_mse)
        return cls.alt(
            "text",
            folds=cv.folds,
            rows=s.rows,
            columns=", ".join(s.columns),
            lowest=fixed(cv.cv_mse[cv.i_min], err),
            lam_min=fixed(cv.lam_min, places(cv.lam_min)),
            lam_1se=fixed(cv.lam_1se, places(cv.lam_1se)),
            noise=fixed(s.risk.noise2, err),
            lam_best=fixed(s.lam_best, places(s.lam_best)),
        )

    @classmethod
    def scrubbed(cls, s: ChooseLambdaSolution) -> tuple[Scrubbed, ...]:
        err = error_places(s.cv.cv_mse)
        decimals = {
            "lam": places(float(s.lams[0])),
            "cv": err,
            "se": max(err, error_places(s.cv.cv_se)),
            "w": 2,
            "test": err,
        }
        return tuple(replace(r, decimals=decimals[r.key]) for r in super().scrubbed(s))

    # --- helpers: where things go ----------------------------------------------------------------

    def now(self) -> int:
        """The λ sample the marker is on."""
        return round(self.step.get_value())

    def frame_readouts(self) -> dict:
        if not getattr(self, "marking", False):
            return {"lam": None, "cv": None, "se": None, "w": None, "test": None}
        s, i = self.solution, self.now()
        return {
            "lam": float(s.lams[i]),
            "cv": float(s.cv.cv_mse[i]),
            "se": float(s.cv.cv_se[i]),
            "w": s.path[i].tolist(),
            "test": float(s.risk.test_mse[i]),
        }

    def lx(self, lam) -> np.ndarray:
        """λ → the plots' x data: decades above the grid's lowest λ."""
        return np.log10(np.asarray(lam, dtype=float) / float(self.solution.lams[0]))

    def x_ticks(self) -> list[tuple[float, str]]:
        """log λ ticks: every decade (every other one when there are more than seven)."""
        lams = self.solution.lams
        first = math.ceil(math.log10(lams[0]) - 1e-9)
        last = math.floor(math.log10(lams[-1]) + 1e-9)
        step = 1 if last - first <= 7 else 2
        out = []
        for power in range(first, last + 1, step):
            label = {0: "1", 1: "10"}.get(power, f"10^{{{power}}}")
            out.append((float(self.lx(10.0**power)), label))
        return out

    def plot(self, left: float, width: float, y_range, y_ticks, right_ticks: bool = False) -> Axes:
        """An axes over the λ grid (x: decades) and `y_range` (data), its bottom-left at
        (left, bottom); y ticks (data value, TeX) left of it, or right of it."""
        t = self.theme
        span = float(self.lx(self.solution.lams[-1]))
        low, high = y_range
        axes = Axes(
            x_range=[0, span, span],
            y_range=[0, high - low, high - low],
            x_length=width,
            y_length=self.top - self.bottom,
            tips=False,
            axis_config={"color": t.muted, "stroke_width": 2, "include_ticks": False},
        )
        axes.shift([left, self.bottom, 0] - axes.c2p(0, 0))
        axes.low = low
        marks, numbers = VGroup(), VGroup()
        for value, label in self.x_ticks():
            at = axes.c2p(value, 0)
            marks.add(Line(at + 0.05 * UP, at + 0.05 * DOWN).set_stroke(t.muted, 2))
            numbers.add(plate(tick(label, t).next_to(at, DOWN, buff=0.1), t, buff=0.03))
        x_numbers = list(numbers)
        edge = span if right_ticks else 0.0
        for value, label in y_ticks:
            at = axes.c2p(edge, value - low)
            side = RIGHT if right_ticks else LEFT
            marks.add(Line(at + 0.05 * LEFT, at + 0.05 * RIGHT).set_stroke(t.muted, 2))
            numbers.add(plate(tick(label, t).next_to(at, side, buff=0.1), t, buff=0.03))
        if right_ticks:
            frame = Line(axes.c2p(span, 0), axes.c2p(span, high - low))
            marks.add(frame.set_stroke(t.muted, 2))
        name = plate(tex(r"\lambda", t.muted, TEXT.body), t)
        name.next_to(axes.c2p(span, 0), DOWN, buff=SPACE.tight)
        name.align_to(axes.c2p(span, 0) + (0.5 if right_ticks else 0.35) * RIGHT, RIGHT)
        ticks_near = [n for n in numbers if abs(n.get_center()[1] - name.get_center()[1]) < 0.3]
        if any(n.get_right()[0] > name.get_left()[0] - 0.05 for n in ticks_near):
            # on the axis, and past the last tick value (10⁵ reaches beyond the axis's end)
            name.next_to(axes.c2p(span, 0), RIGHT, buff=0.15)
            reach = max(n.get_right()[0] for n in x_numbers)
            name.shift(max(0.0, reach + SPACE.tight - name.get_left()[0]) * RIGHT)
        axes.add(marks, numbers, name)
        axes.labels = [*numbers, name]
        return axes

    def at(self, axes: Axes, lam: float, value: float) -> np.ndarray:
        return axes.c2p(float(self.lx(lam)), value - axes.low)

    def polyline(
        self, axes: Axes, values: np.ndarray, colour, width: float = 3, upto: int | None = None
    ) -> VMobject:
        """A curve over the λ grid (up to the grid index `upto`), clipped to the window."""
        box = (0.0, float(self.lx(self.solution.lams[-1])), 0.0, axes.y_range[1])
        points = np.column_stack([self.lx(self.solution.lams), values - axes.low])
        if upto is not None:
            points = points[: upto + 1]
        if len(points) < 2:
            return VMobject(stroke_color=colour, stroke_width=width)
        pieces = [np.array([axes.c2p(*p) for p in piece]) for piece in clip_polyline(points, box)]
        return polyline(pieces, colour, width)

    def data_note(self) -> str:
        """Where the data came from, in one line of the script's words (TeX): the columns
        named, or counted when the names would make it longer than NOTE_LENGTH."""
        s = self.solution
        fields = {
            "file": short_name(s.file, 30),
            "rows": s.rows,
            "columns": ", ".join(short_name(c) for c in s.columns),
            "count": len(s.columns),
            "how": self.word("data", s.how),
            "y": short_name(s.response),
        }
        note = self.word("data", "note")
        if len(note.format(**fields)) > NOTE_LENGTH:
            note = self.word("data", "counted")
        return words_tex(note, **fields)

    def lam_1se(self) -> str:
        """λ₁SE in TeX, its subscript the script's abbreviation of standard error."""
        return rf"\lambda_{{1\mathrm{{{tex_escape(self.word('se'))}}}}}"

    def plot_name(self, left: float, words: str, colour) -> Mobject:
        """A plot's name in the row above the plots, from `left`."""
        name = plate(tex(words, colour, TEXT.label), self.theme)
        return name.move_to([left, self.names_row, 0], aligned_edge=LEFT)

    # --- the layout ------------------------------------------------------------------------------

    def lay_out(self) -> None:
        s, t = self.solution, self.theme
        cv = s.cv
        half_w = config.frame_width / 2
        left = -half_w + SPACE.edge + self.tick_room
        # the names column between the plots, as wide as the widest name
        self.names = [
            tex(
                r"\text{" + tex_escape(short_name(c)) + "}",
                t.optimum,
                TEXT.label,
            )
            for c in s.columns
        ]
        names_width = self.names_width = max(n.width for n in self.names) + 0.15
        w_ticks = coefficient_ticks(s.path)
        tick_width = max(tick(label, t).width for _, label in w_ticks) + 0.25
        room = 2 * half_w - 2 * SPACE.edge - self.tick_room - self.gap - names_width - tick_width
        width = room / 2
        # the CV plot
        low = float(np.min(cv.cv_mse - cv.cv_se))
        high = float(np.max(cv.cv_mse + cv.cv_se))
        pad = 0.08 * (high - low)
        err_range = (low - pad, high + pad)
        err_ticks = [(v, tex_number(v)) for v, _ in nice_ticks(*err_range, 4)]
        self.cv_axes = self.plot(left, width, err_range, err_ticks)
        # the coefficient plot, names at its left end, ticks at its right
        w_left = left + width + self.gap + names_width
        w_low, w_high = float(min(s.path.min(), 0.0)), float(max(s.path.max(), 0.0))
        w_pad = 0.08 * (w_high - w_low)
        self.w_axes = self.plot(
            w_left, width, (w_low - w_pad, w_high + w_pad), w_ticks, right_ticks=True
        )
        # the simulated plot, where the coefficient plot was
        r = s.risk
        top = 1.7 * float(max(r.variance[0], s.best.reducible[0]))
        sim_ticks = [(v, tex_number(v)) for v, _ in nice_ticks(0.0, top, 4)]
        sim_tick_width = max(tick(label, t).width for _, label in sim_ticks) + 0.25
        sim_left = left + width + 0.55 + sim_tick_width  # clear of the CV plot's λ
        sim_width = w_left + width - sim_left
        self.sim_axes = self.plot(sim_left, sim_width, (0.0, top), sim_ticks)

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.step = ValueTracker(0)
        self.marking = False
        self.lay_out()
        self.show_problem()
        self.run_folds()
        self.average()
        self.pick_min()
        self.pick_one_se()
        self.simulate()
        self.conclude()

    def show_problem(self) -> None:
        """The question, the two plots' frames and the coefficients w(λ) of the whole table."""
        s, t = self.solution, self.theme
        heading = tex(
            words_tex(self.word("question"), lam=Maths(r"\lambda"), folds=s.cv.folds),
            t.text,
            TEXT.title,
        )
        heading.to_corner(UP + LEFT, buff=SPACE.edge)
        self.heading = self.mark("heading", heading)
        self.cv_name = self.plot_name(
            self.heading.get_left()[0],
            words_tex(self.word("cv_error")) + r"\ \pm 1\," + words_tex(self.word("se")),
            t.f,
        )
        self.w_name = self.plot_name(
            self.w_axes.c2p(0, 0)[0] - self.names_width,
            words_tex(self.word("weights"), w=Maths(r"w(\lambda)"), rows=s.rows),
            t.optimum,
        )
        # the paths and their names, stacked at the left end so no two meet
        self.paths = VGroup(
            *(self.polyline(self.w_axes, s.path[:, j], t.optimum, 2.5) for j in range(s.p))
        )
        zero = DashedLine(
            self.at(self.w_axes, s.lams[0], 0.0), self.at(self.w_axes, s.lams[-1], 0.0)
        ).set_stroke(t.muted, 1.5)
        starts = [float(self.at(self.w_axes, s.lams[0], v)[1]) for v in s.path[0]]
        heights = [n.height + 0.08 for n in self.names]
        ys = spread(starts, heights, self.bottom, self.top)
        x_end = self.w_axes.c2p(0, 0)[0] - 0.1
        self.name_plates = VGroup()
        for name, y in zip(self.names, ys, strict=True):
            name.move_to([x_end, y, 0], aligned_edge=RIGHT)
            self.name_plates.add(plate(name, t, buff=0.03))
        note = tex(self.data_note(), t.text, TEXT.note)
        self.note = note.to_corner(DOWN + RIGHT, buff=0.15)
        self.add(
            self.heading,
            self.cv_axes,
            self.cv_name,
            self.w_axes,
            zero,
            self.w_name,
            self.paths,
            self.name_plates,
            self.note,
        )
        self.w_parts = VGroup(self.w_axes, zero, self.w_name, self.paths, self.name_plates)
        self.mark("paths", self.paths)
        self.answer = self.mark("answer", self.summary())
        self.add(self.answer)
        with self.beat("problem"):
            pass  # drawn from the first frame; the caption asks the question

    def summary(self) -> VGroup:
        """Where CV ends, for the first frame: the folds' errors (faint), their mean with its
        SE bars, and λ_min and λ_1SE marked on both plots."""
        s, t = self.solution, self.theme
        cv = s.cv
        folds = VGroup(
            *(self.polyline(self.cv_axes, cv.fold_mse[k], t.f, 1.5) for k in range(cv.folds))
        ).set_stroke(opacity=self.faint_folds)
        mean = self.polyline(self.cv_axes, cv.cv_mse, t.f, 4)
        avoid = [self.cv_name, self.heading, self.w_name]
        marks = VGroup()
        for lam, words, dashed, side in (
            (cv.lam_min, r"\lambda_{\min}", False, LEFT),
            (cv.lam_1se, self.lam_1se(), True, RIGHT),
        ):
            for axes in (self.cv_axes, self.w_axes):
                chosen = self.chosen(axes, lam, t.optimum, words, dashed, side, avoid)
                avoid.append(chosen[1])
                marks.add(chosen)
        return VGroup(folds, mean, self.error_bars(), marks)

    def run_folds(self) -> None:
        """The rows in K folds; each fold held out in turn, its error curve drawn faintly."""
        s, t = self.solution, self.theme
        cv = s.cv
        strip_left = self.heading.get_left()[0]
        strip_width = self.cv_axes.c2p(float(self.lx(s.lams[-1])), 0)[0] - strip_left
        y = self.heading.get_bottom()[1] - SPACE.item - 0.12
        rows = cv.bounds[-1]
        self.cells = VGroup()
        for k in range(cv.folds):
            a, b = cv.bounds[k], cv.bounds[k + 1]
            cell = Rectangle(width=strip_width * (b - a) / rows, height=0.24)
            cell.set_stroke(t.muted, 1.5).set_fill(t.muted, 0.15)
            cell.move_to([strip_left + strip_width * (a + b) / 2 / rows, y, 0])
            self.cells.add(cell)
        self.strip_note = tex(
            words_tex(self.word("strip"), rows=rows, folds=cv.folds, fit=cv.folds - 1),
            t.text,
            TEXT.note,
        )
        self.strip_note.next_to(self.cells, RIGHT, buff=SPACE.item)
        self.fold_curves = VGroup(
            *(self.polyline(self.cv_axes, cv.fold_mse[k], t.f, 1.5) for k in range(cv.folds))
        )
        self.mark("fold_curves", self.fold_curves)
        with self.beat("folds") as b:
            self.play(FadeOut(self.answer), FadeIn(self.cells, self.strip_note), run_time=0.6)
            one_by_one = min(cv.folds, self.folds_shown)
            pace = min(0.6, max(0.2, (b.duration - 0.6) / one_by_one))
            for k in range(one_by_one):
                held = self.cells[k]
                self.play(
                    held.animate.set_fill(t.f, 0.9).set_stroke(t.f),
                    Create(self.fold_curves[k]),
                    run_time=pace,
                )
                self.play(
                    held.animate.set_fill(t.muted, 0.15).set_stroke(t.muted),
                    self.fold_curves[k].animate.set_stroke(opacity=0.35),
                    run_time=min(0.2, pace / 2),
                )
            rest = self.fold_curves[one_by_one:]
            if len(rest):  # many folds: the others all at once
                self.play(Create(rest), run_time=0.8)
                self.play(rest.animate.set_stroke(opacity=0.35), run_time=0.2)

    def average(self) -> None:
        """The mean of the folds' errors with its SE bars, drawn as the marker sweeps λ."""
        s, t = self.solution, self.theme
        cv = s.cv
        axes = self.cv_axes
        self.cv_curve = self.mark("cv_curve", self.polyline(axes, cv.cv_mse, t.f, 4))
        self.se_bars = self.mark("se_bars", self.error_bars())
        # the marker: a vertical line on both plots, a dot on the CV curve and on each path
        self.cv_line = self.vertical(axes, t.text)
        self.cv_dot = self.mark("cv_dot", Dot(radius=0.07, color=t.text))
        self.cv_dot.add_updater(
            lambda m: m.move_to(self.at(axes, s.lams[self.now()], cv.cv_mse[self.now()]))
        )
        self.w_line = self.vertical(self.w_axes, t.text)
        self.w_dots = VGroup(*(Dot(radius=0.055, color=t.text) for _ in range(s.p)))
        for j, dot in enumerate(self.w_dots):
            dot.add_updater(
                lambda m, j=j: m.move_to(
                    self.at(self.w_axes, s.lams[self.now()], s.path[self.now(), j])
                )
            )
        self.mark("w_dots", self.w_dots)
        self.readouts = self.readout_row()
        with self.beat("mean") as b:
            self.marking = True
            self.play(self.fold_curves.animate.set_stroke(opacity=self.faint_folds), run_time=0.4)
            self.add(self.cv_line, self.cv_dot, self.w_line, self.w_dots, self.readouts)
            self.sweep(
                [(self.cv_curve, axes, cv.cv_mse, t.f, 4)],
                max(self.params.sweep_time, b.duration - 0.8),
                bars=self.se_bars,
            )

    def error_bars(self) -> VGroup:
        """One SE either side of the CV error, at `bars` even grid points and at λ_min and
        λ_1SE (their grid indices in `bar_index`)."""
        s, t, axes = self.solution, self.theme, self.cv_axes
        cv = s.cv
        self.bar_index = sorted(
            set(np.linspace(0, len(s.lams) - 1, self.bars).round().astype(int))
            | {cv.i_min, cv.i_1se}
        )
        bars = VGroup()
        for i in self.bar_index:
            lo = self.at(axes, s.lams[i], cv.cv_mse[i] - cv.cv_se[i])
            hi = self.at(axes, s.lams[i], cv.cv_mse[i] + cv.cv_se[i])
            cap = 0.05 * RIGHT
            bars.add(
                VGroup(
                    Line(lo, hi),
                    Line(lo - cap, lo + cap),
                    Line(hi - cap, hi + cap),
                ).set_stroke(t.f, 2)
            )
        return bars

    def sweep(self, curves, seconds: float, bars: VGroup | None = None) -> None:
        """The marker sweeps the grid from its start to the end; each curve (mob, axes,
        values, colour, width) is drawn up to the marker's λ as it goes (and each SE bar
        appears as the marker reaches it), then stays whole."""
        s = self.solution
        for mob, axes, values, colour, width in curves:
            mob.set_points(self.polyline(axes, values, colour, width, upto=self.now()).points)

            def grow(m, axes=axes, values=values, colour=colour, width=width):
                m.set_points(self.polyline(axes, values, colour, width, upto=self.now()).points)

            self.add(mob.add_updater(grow))
        if bars is not None:
            indices = list(self.bar_index)

            def reveal(group):
                for bar, i in zip(group, indices, strict=True):
                    bar.set_stroke(opacity=1.0 if i <= self.now() else 0.0)

            self.add(bars.add_updater(reveal))
        self.play(self.step.animate.set_value(len(s.lams) - 1), run_time=seconds, rate_func=linear)
        for mob, axes, values, colour, width in curves:
            mob.clear_updaters()
            mob.set_points(self.polyline(axes, values, colour, width).points)
        if bars is not None:
            bars.clear_updaters()
            bars.set_stroke(opacity=1.0)

    def vertical(self, axes: Axes, colour) -> Line:
        """A vertical line across `axes` at the marker's λ."""
        line = Line(axes.c2p(0, 0), axes.c2p(0, axes.y_range[1])).set_stroke(colour, 2, 0.7)

        def follow(m):
            x = float(self.lx(self.solution.lams[self.now()]))
            m.put_start_and_end_on(axes.c2p(x, 0), axes.c2p(x, axes.y_range[1]))

        return line.add_updater(follow)

    def readout_row(self) -> VGroup:
        """λ, its CV error and SE under the CV plot, following the marker."""
        s, t = self.solution, self.theme
        cv = s.cv
        err = error_places(cv.cv_mse)
        lam_label = tex(r"\lambda =", t.text, TEXT.label)
        lam_value = Readout(float(s.lams[-1]), places(float(s.lams[0])), t.text, TEXT.label)
        cv_label = tex(words_tex(self.word("cv_error")) + " =", t.f, TEXT.label)
        cv_value = Readout(float(cv.cv_mse.max()), err, t.f, TEXT.label)
        pm = tex(r"\pm", t.f, TEXT.label)
        se_value = Readout(float(cv.cv_se.max()), max(err, error_places(cv.cv_se)), t.f, TEXT.label)
        row = VGroup(lam_label, lam_value, cv_label, cv_value, pm, se_value)
        lam_value.next_to(lam_label, RIGHT, buff=0.12)
        widest = max(len(fixed(v, places(v))) for v in s.lams)
        cv_label.next_to(lam_label, RIGHT, buff=0.12 + widest * 0.16 + SPACE.section)
        cv_value.next_to(cv_label, RIGHT, buff=0.12)
        pm.next_to(cv_value, RIGHT, buff=0.1)
        se_value.next_to(pm, RIGHT, buff=0.1)
        for number in (lam_value, cv_value, se_value):
            number.align_to(lam_label, DOWN)
        row.next_to(self.cv_axes.c2p(0, 0), DOWN, buff=0.75).align_to(self.heading, LEFT)

        def set_lam(m):
            lam = float(s.lams[self.now()])
            m.decimals = places(lam)
            m.set_value(lam)

        lam_value.add_updater(set_lam)
        cv_value.add_updater(lambda m: m.set_value(float(cv.cv_mse[self.now()])))
        se_value.add_updater(lambda m: m.set_value(float(cv.cv_se[self.now()])))
        self.mark("lam_readout", lam_value)
        self.mark("cv_readout", cv_value)
        return row

    def chosen(
        self, axes: Axes, lam: float, colour, words: str, dashed: bool, side, avoid
    ) -> VGroup:
        """A vertical line at a chosen λ across `axes`, named just above the plot's top on
        `side` of it (LEFT or RIGHT), or on the other side if that one is taken."""
        x = float(self.lx(lam))
        kind = DashedLine if dashed else Line
        line = kind(axes.c2p(x, 0), axes.c2p(x, axes.y_range[1])).set_stroke(colour, 2.5)
        label = plate(tex(words, colour, TEXT.label), self.theme)
        top = axes.c2p(x, axes.y_range[1]) + (self.chosen_gap + label.height / 2) * UP
        place_clear(label, top, [side, -side, UP], avoid, gap=0.05)
        return VGroup(line, label)

    def pick_min(self) -> None:
        s, t = self.solution, self.theme
        cv = s.cv
        avoid = [self.cv_name, self.heading, self.cells, self.strip_note, self.w_name]
        self.min_cv = self.chosen(
            self.cv_axes, cv.lam_min, t.optimum, r"\lambda_{\min}", False, LEFT, avoid
        )
        self.min_w = self.chosen(
            self.w_axes, cv.lam_min, t.optimum, r"\lambda_{\min}", False, LEFT, avoid
        )
        self.mark("lam_min_line", self.min_cv[0])
        self.mark("lam_min_w_line", self.min_w[0])
        with self.beat("min"):
            self.play(self.step.animate.set_value(cv.i_min), run_time=1.5)
            self.play(FadeIn(self.min_cv, self.min_w), run_time=0.6)

    def pick_one_se(self) -> None:
        s, t = self.solution, self.theme
        cv = s.cv
        axes = self.cv_axes
        ceiling = DashedLine(
            self.at(axes, s.lams[0], cv.threshold), self.at(axes, s.lams[-1], cv.threshold)
        ).set_stroke(t.optimum, 2)
        self.mark("threshold", ceiling)
        avoid = [
            self.cv_name,
            self.heading,
            self.cells,
            self.strip_note,
            self.w_name,
            self.min_cv[1],
            self.min_w[1],
        ]
        self.se_cv = self.chosen(axes, cv.lam_1se, t.optimum, self.lam_1se(), True, RIGHT, avoid)
        self.se_w = self.chosen(
            self.w_axes, cv.lam_1se, t.optimum, self.lam_1se(), True, RIGHT, avoid
        )
        self.mark("lam_1se_line", self.se_cv[0])
        self.mark("lam_1se_w_line", self.se_w[0])
        with self.beat("one_se_end" if s.one_se_at_end else "one_se") as b:
            self.play(Create(ceiling), run_time=0.8)
            self.play(self.step.animate.set_value(cv.i_1se), run_time=2.0)
            self.play(FadeIn(self.se_cv, self.se_w), run_time=0.6)
            b.mark("smaller")
            self.take_poster()

    def simulate(self) -> None:
        """The coefficients give way to the exact test error on simulated data."""
        s, t = self.solution, self.theme
        r = s.risk
        axes = self.sim_axes
        self.variance = self.mark("variance", self.polyline(axes, r.variance, t.text, 3))
        self.variance.set_stroke(opacity=0.9)
        self.bias2 = self.mark("bias2", self.polyline(axes, r.bias2, t.g, 3))
        self.reducible = self.mark("reducible", self.polyline(axes, r.reducible, t.f, 4.5))
        name = self.plot_name(
            axes.c2p(0, 0)[0] - self.tick_room,
            words_tex(self.word("simulated"), rows=s.sim_rows) + r" - s^2",
            t.f,
        )
        self.sim_name = name
        top = axes.y_range[1] + axes.low
        shown = min(top, float(r.bias2.max()))
        falling = int(np.argmax(r.variance < 0.1 * r.variance[0]))
        rising = int(np.argmax(r.bias2 >= 0.5 * shown))
        early = len(s.lams) // 12
        bias, variance = words_tex(self.word("bias")), words_tex(self.word("variance"))
        words = [  # (TeX, colour, values, preferred grid index, preferred side)
            (bias + "^2", t.g, r.bias2, rising, RIGHT),
            (variance, t.text, r.variance, falling, UP + RIGHT),
            (words_tex(self.word("sum")), t.f, r.reducible, early, UP),
        ]
        # what a label must not cover: the curves, and the λ lines drawn later
        crowd = [
            self.at(axes, lam, v)
            for values in (r.bias2, r.variance, r.reducible)
            for lam, v in zip(s.lams, values, strict=True)
            if v <= top
        ]
        for lam in (s.lam_best, s.cv.lam_min):
            crowd += [self.at(axes, lam, v) for v in np.linspace(axes.low, top, 40)]
        self.curve_labels = VGroup()
        placed: list[Mobject] = [name, *axes.labels]
        for source, colour, values, i, side in words:
            label = plate(tex(source, colour, TEXT.label), t)
            self.label_curve(label, axes, values, i, side, np.array(crowd)[:, :2], placed)
            placed.append(label)
            self.curve_labels.add(label)
        self.sim_dot = Dot(radius=0.07, color=t.text)
        top = axes.y_range[1] + axes.low

        def follow(m):
            """On the sum at the marker's λ; hidden where the sum is above the plot."""
            value = float(r.reducible[self.now()])
            m.move_to(self.at(axes, s.lams[self.now()], min(value, top)))
            m.set_opacity(1.0 if value <= top else 0.0)

        self.sim_dot.add_updater(follow)
        self.sim_line = self.vertical(axes, t.text)
        noise = tex(
            words_tex(self.word("test_error"))
            + rf" = s^2 + {bias}^2 + {variance},\ "
            + rf"s^2 = {tex_number(r.noise2)}",
            t.text,
            TEXT.label,
        )
        noise.move_to(
            [axes.c2p(0, 0)[0] - 0.6, self.readouts.get_center()[1], 0], aligned_edge=LEFT
        )
        self.noise_line = self.mark("noise_line", noise)
        with self.beat("simulate") as b:
            self.play(
                FadeOut(self.w_parts, self.w_line, self.w_dots, self.min_w, self.se_w),
                run_time=0.6,
            )
            self.play(FadeIn(axes, name, self.noise_line), run_time=0.6)
            self.step.set_value(0)
            self.add(self.sim_line, self.sim_dot)
            self.sweep(
                [
                    (self.variance, axes, r.variance, t.text, 3),
                    (self.bias2, axes, r.bias2, t.g, 3),
                    (self.reducible, axes, r.reducible, t.f, 4.5),
                ],
                max(self.params.sweep_time, b.duration - 1.2),
            )
            self.play(FadeIn(self.curve_labels), run_time=0.5)

    def label_curve(
        self, label: Mobject, axes: Axes, values, near: int, side, crowd, placed
    ) -> None:
        """Put `label` beside its curve: of spots beside points of the curve (inside the
        plot), the one covering the fewest `crowd` points (scene x, y) and no placed label,
        preferring the grid index `near` and `side`."""
        s = self.solution
        top = axes.y_range[1] + axes.low
        left, bottom = axes.c2p(0, 0)[:2]
        right, high = axes.c2p(float(self.lx(s.lams[-1])), axes.y_range[1])[:2]
        boxes = [bounding_box(p) for p in placed]
        w, h = label.width, label.height
        best, best_cost = None, math.inf
        for i in range(0, len(s.lams), max(1, len(s.lams) // 40)):
            if values[i] > top:
                continue
            anchor = self.at(axes, s.lams[i], values[i])[:2]
            for rank, d in enumerate(around(side)[:8]):
                d = np.asarray(d)[:2]
                centre = anchor + d * (0.5 * abs(d[0]) * w + 0.5 * abs(d[1]) * h + SPACE.tight)
                box = (centre[0] - w / 2, centre[1] - h / 2, centre[0] + w / 2, centre[1] + h / 2)
                inside = (
                    (crowd[:, 0] > box[0])
                    & (crowd[:, 0] < box[2])
                    & (crowd[:, 1] > box[1])
                    & (crowd[:, 1] < box[3])
                )
                cost = float(inside.sum()) + 0.02 * rank + 0.01 * abs(i - near)
                if box[0] < left or box[2] > right or box[1] < bottom or box[3] > high:
                    cost += 1000.0
                if any(
                    box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3]
                    for o in boxes
                ):
                    cost += 1000.0
                if cost < best_cost:
                    best, best_cost = centre, cost
        label.move_to([*best, 0.0])

    def conclude(self) -> None:
        s, t = self.solution, self.theme
        axes = self.sim_axes
        i_best = int(np.flatnonzero(s.lams == s.lam_best)[0])
        avoid = [self.sim_name, self.heading, self.cells, self.strip_note, *self.curve_labels]
        lam_best = rf"\lambda_{{{words_tex(self.word('best'))}}}"
        outward = RIGHT if s.lam_best >= s.cv.lam_min else LEFT  # two names, back to back
        best = self.chosen(axes, s.lam_best, t.f, lam_best, True, outward, avoid)
        self.mark("lam_best_line", best[0])
        self.mark("lam_best_name", best[1])
        avoid.append(best[1])
        cv_min = self.chosen(
            axes, s.cv.lam_min, t.optimum, r"\lambda_{\min}", False, -outward, avoid
        )
        self.mark("lam_min_sim_line", cv_min[0])
        self.mark("lam_min_sim_name", cv_min[1])
        with self.beat("balance"):
            self.play(self.step.animate.set_value(i_best), run_time=1.5)
            self.play(FadeIn(best), run_time=0.6)
        with self.beat("estimate"):
            self.play(FadeIn(cv_min), run_time=0.6)
            self.play(self.step.animate.set_value(s.cv.i_min), run_time=1.2)  # CV's choice
            self.wait(self.params.hold_time)


def spread(targets: list[float], heights: list[float], low: float, high: float) -> list[float]:
    """Centres as near `targets` as boxes of `heights` can be without overlapping, inside
    [low, high]: sorted, pushed up apart from the bottom, then down from the top."""
    order = sorted(range(len(targets)), key=lambda i: targets[i])
    ys = list(targets)
    floor = low
    for i in order:
        ys[i] = max(targets[i], floor + heights[i] / 2)
        floor = ys[i] + heights[i] / 2
    ceiling = high
    for i in reversed(order):
        ys[i] = min(ys[i], ceiling - heights[i] / 2)
        ceiling = ys[i] - heights[i] / 2
    return ys


def coefficient_ticks(path: np.ndarray) -> list[tuple[float, str]]:
    """Round weights up the coefficient plot, 0 included (the weights' end)."""
    low, high = float(min(path.min(), 0.0)), float(max(path.max(), 0.0))
    pad = 0.08 * (high - low)
    ticks = nice_ticks(low - pad, high + pad, 4)
    return sorted([*ticks, (0.0, "0")])


def tex_number(value: float) -> str:
    """A tick value or constant as TeX: thousands with a thin space, else nice_ticks' digits."""
    if abs(value) >= 1000:
        return f"{value:,.0f}".replace(",", r"\,")
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.3g}"
