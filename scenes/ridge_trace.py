"""ridge_trace — more than two weights (ESL Fig. 3.8; Hoerl & Kennard's ridge trace).

A data table with p feature columns (the shipped diabetes data, all ten, by default; `--data
FILE --x COL …` with two to MAX_COLUMNS). Left: every coefficient's path w_j(λ) against the
effective degrees of freedom df(λ) = Σⱼ σⱼ/(σⱼ + λ), from ŵ at df = p (the right edge) to 0,
each labelled with its column's name at the right edge (stacked so no two labels meet, with
leader lines). A vertical line sweeps from df = p to 0 and the paths draw behind it. Right:
the eigen view in p dimensions: one bar per eigenvalue σⱼ of H = XᵀX, filled to its shrink
factor σⱼ/(σⱼ + λ), so the bars add up to df(λ). Last, where a coefficient changes sign or
grows before it shrinks, the scene marks it and names it (mathcore.coefficient_turns).

    manim -ql scenes/ridge_trace.py RidgeTrace
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
    Rectangle,
    Square,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    config,
    linear,
)

import mathcore as mc
from narration import fixed, short_name
from scenes.base import FromTable, Held, RidgeScene, Scrubbed, param
from scenes.plane import (
    Maths,
    Panel,
    nice_ticks,
    plate,
    tex,
    tex_escape,
    tick,
    words_tex,
)
from scenes.readout import Readout
from scenes.theme import SPACE, TEXT
from studio.data import data_how

MAX_COLUMNS = 30
"""The most columns a trace draws: beyond them its paths and labels would be unreadable."""
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SAMPLES = (41, 1001)  # λ values on the trace, at least and at most


@dataclass(frozen=True)
class TraceParams(Held, FromTable):
    samples: int = param(
        241, f"λ values on the trace, df evenly spaced from p to 0 ({SAMPLES[0]}–{SAMPLES[1]})"
    )
    sweep_time: float = param(8.0, "seconds for df(λ) to sweep from p to 0")

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.x) == 1:
            raise ValueError(
                f"x: give at least two --x columns (ridge_trace draws one path per column), "
                f"got only {self.x[0]!r}"
            )
        check_columns(len(self.x))
        if isinstance(self.samples, bool) or not SAMPLES[0] <= self.samples <= SAMPLES[1]:
            raise ValueError(
                f"samples must be an integer from {SAMPLES[0]} to {SAMPLES[1]}, got {self.samples}"
            )
        if self.sweep_time < 2:
            raise ValueError(f"sweep_time must be at least 2 s, got {self.sweep_time}")


def check_columns(count: int) -> None:
    """At most MAX_COLUMNS feature columns, or one line saying why."""
    if count > MAX_COLUMNS:
        raise ValueError(
            f"x: {count} columns, at most {MAX_COLUMNS}: with more, the trace's paths and "
            "their labels would crowd into an unreadable plot; choose columns with --x"
        )


@dataclass(frozen=True)
class TraceSolution:
    columns: tuple[str, ...]
    response: str
    file: str  # the data file's name
    rows: int
    how: str  # how its columns were prepared: a key of the script's [words.data]
    trace: mc.RidgeTrace  # over the λ grid on which df falls evenly from p to 0
    crossings: tuple[np.ndarray, ...]  # per column, the λ > 0 where w_j(λ) = 0
    crossing_df: tuple[np.ndarray, ...]  # … and df there
    grows: np.ndarray  # per column, whether |w_j| grows before it shrinks
    peak_lam: np.ndarray  # per column, λ where |w_j| is largest (0: it only shrinks)
    peak_df: np.ndarray  # … df there
    peak_w: np.ndarray  # … and w_j there (signed)
    y_range: tuple[float, float]  # the plot's window in w

    @property
    def p(self) -> int:
        return len(self.columns)

    @property
    def signs(self) -> list[int]:
        """The columns whose weight changes sign on the way to 0."""
        return [j for j, c in enumerate(self.crossings) if len(c)]

    @property
    def growers(self) -> list[int]:
        return [j for j in range(self.p) if self.grows[j]]

    @property
    def turns(self) -> bool:
        return bool(self.signs or self.growers)


def lam_places(sigma_max: float) -> int:
    """Decimals of λ on screen: 2, or 1 when H's eigenvalues reach 100 (λ runs to 10⁵)."""
    return 1 if sigma_max >= 100 else 2


class RidgeTrace(RidgeScene):
    """Every coefficient of a data set against df(λ), with the eigen view's bars beside it."""

    Params = TraceParams
    scrub = (
        Scrubbed("lam"),
        Scrubbed("df"),
        Scrubbed("w"),
    )
    plot_left = -5.75  # the plot's left edge (df = 0), room for the w ticks before it
    plot_top = 2.75
    plot_bottom = -2.85
    panel_width = 3.55  # the eigen view's column at the right edge
    leader = 0.45  # from a path's end to its label's column
    bar_height = 1.5
    max_rows = 2  # rows of names after each mark's meaning; more are counted ("+3 more")
    pause = 2.0  # seconds the sweep stops at df = p/2, the moment its caption names
    min_rise = 0.01  # a growth before shrinking is marked from 1% of the w range (~3 blog px)

    # --- the numbers ---------------------------------------------------------------------------

    @classmethod
    def solve(cls, params: TraceParams) -> TraceSolution:
        table = params.table()
        if len(table.x) < 2:
            raise ValueError(
                f"{table.path}: ridge_trace needs at least two feature columns, got {len(table.x)}"
            )
        check_columns(len(table.x))
        try:
            prepared = mc.prepare(table.X, table.response, params.intercept, params.standardize)
            loss = mc.loss_from_columns(prepared)
        except mc.MathcoreError as err:
            text = str(err)
            for index, name in enumerate(table.x):
                text = text.replace(f"column {index} ", f"column {name!r} ")
            raise mc.MathcoreError(f"{table.path}: {text}") from None
        trace = mc.ridge_trace(loss, mc.df_grid(loss.sigma, params.samples))
        turns = mc.coefficient_turns(loss)
        crossing_df = tuple(
            mc.effective_df(loss.sigma, c) if len(c) else np.empty(0) for c in turns.crossings
        )
        peak_df = mc.effective_df(loss.sigma, turns.peak_lam)
        at_peak = mc.ridge_path(loss, turns.peak_lam)
        peak_w = np.array([at_peak[j, j] for j in range(len(table.x))])
        low = float(min(trace.coef_path.min(), 0.0))
        high = float(max(trace.coef_path.max(), 0.0))
        rise = turns.peak - np.abs(trace.least_squares)  # a growth the plot can show
        grows = np.asarray(turns.grows_first, dtype=bool) & (rise >= cls.min_rise * (high - low))
        pad = 0.06 * (high - low)
        return TraceSolution(
            columns=table.x,
            response=table.y,
            file=table.path.name,
            rows=table.rows,
            how=data_how(params.intercept, params.standardize),
            trace=trace,
            crossings=tuple(np.asarray(c, dtype=float) for c in turns.crossings),
            crossing_df=crossing_df,
            grows=grows,
            peak_lam=np.asarray(turns.peak_lam, dtype=float),
            peak_df=peak_df,
            peak_w=peak_w,
            y_range=(low - pad, high + pad),
        )

    @classmethod
    def results(cls, s: TraceSolution) -> dict:
        tr = s.trace
        lams = [float(v) if math.isfinite(v) else "∞" for v in tr.lambdas]
        half = len(tr.df) // 2
        signs = [s.columns[j] for j in s.signs]
        growers = [s.columns[j] for j in s.growers]
        words = cls.load_script()
        parts = []
        if signs:
            parts.append(words.word("turns", "sign" if len(signs) == 1 else "signs"))
            parts[-1] = parts[-1].format(n=len(signs))
        if growers:
            parts.append(words.word("turns", "grows" if len(growers) == 1 else "grow"))
            parts[-1] = parts[-1].format(n=len(growers))
        return {
            "p": s.p,
            "columns": list(s.columns),
            "response": s.response,
            "lambdas": lams,
            "df": tr.df.tolist(),
            "coef_path": tr.coef_path.tolist(),
            "sigma": tr.sigma.tolist(),
            "least_squares": tr.least_squares.tolist(),
            "sigma_ratio": float(tr.sigma[0] / tr.sigma[-1]),
            "df_half": float(tr.df[half]),
            "lam_half": float(tr.lambdas[half]),
            "lam_half_text": fixed(float(tr.lambdas[half]), lam_places(float(tr.sigma[0]))),
            "sign_changes": {s.columns[j]: s.crossings[j].tolist() for j in s.signs},
            "grows_first": {
                s.columns[j]: {"lam": float(s.peak_lam[j]), "w": float(s.peak_w[j])}
                for j in s.growers
            },
            "sign_names": cls.names_text(signs) if signs else "",
            "grow_names": cls.names_text(growers) if growers else "",
            "turns_text": words.word("turns", "and").join(parts),
            "lam_places": lam_places(float(tr.sigma[0])),
        }

    @classmethod
    def names_text(cls, names: list[str]) -> str:
        """'a', 'a and b', 'a, b and c' (the script's word for "and")."""
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + cls.load_script().word("turns", "and") + names[-1]

    @classmethod
    def alt_text(cls, s: TraceSolution) -> str:
        tr = s.trace
        turns = []
        if s.signs:
            turns.append(cls.alt("signs", names=cls.names_text([s.columns[j] for j in s.signs])))
        if s.growers:
            names = cls.names_text([s.columns[j] for j in s.growers])
            turns.append(cls.alt("growers", names=names))
        said = cls.alt("marked", turns="; ".join(turns)) if turns else cls.alt("steady")
        return cls.alt(
            "text",
            data=cls.data_note(s),
            p=s.p,
            columns=", ".join(s.columns),
            sigma1=fixed(tr.sigma[0], 2),
            p_sub=str(s.p).translate(SUBSCRIPT),
            sigma_p=fixed(tr.sigma[-1], 2),
            said=said,
        )

    @classmethod
    def scrubbed(cls, solution: TraceSolution) -> tuple[Scrubbed, ...]:
        places = lam_places(float(solution.trace.sigma[0]))
        return tuple(
            replace(r, decimals=places) if r.key == "lam" else r for r in super().scrubbed(solution)
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        s, t = self.solution, self.theme
        self.shown = 0  # the sample of the λ grid on screen
        self.progress = ValueTracker(0.0)
        # the problem: every ŵ_j at df = p, labelled; the paths faintly; the bars full
        self.make_plot()
        self.make_panel()
        preview = VGroup(
            *(self.path(j, len(s.trace.df) - 1, t.optimum, 2, opacity=0.3) for j in range(s.p))
        )
        self.add(self.plot, preview, self.labels, self.df_formula, self.readouts, self.note)
        self.add(*self.dots)
        with self.beat("problem"):
            self.play(Indicate(self.labels, color=t.text, scale_factor=1.04), run_time=1.0)

        # df(λ): the sum of the eigen view's shrink factors, one bar each
        with self.beat("df") as b:
            self.play(Indicate(self.df_formula, color=t.text, scale_factor=1.05), run_time=1.0)
            b.mark("bars")
            self.play(FadeIn(self.bars), run_time=0.8)

        # λ grows: the line sweeps from df = p to 0, the paths draw, the bars empty
        with self.beat("sweep", self.params.sweep_time) as b:
            self.start_sweep()
            self.half = (len(s.trace.df) // 2) / (len(s.trace.df) - 1)
            self.sweep_to(self.half, b)
            b.mark("small")
            self.wait(self.pause)
            self.sweep_to(1.0, b)
            self.reach_infinity()

        # where a weight changes sign or grows first, say so
        if s.turns:
            with self.beat("turns") as b:
                marks, words = self.turn_marks()
                self.play(FadeIn(words), *(Create(m) for m in marks), run_time=1.0)
                b.mark("why")
                self.play(Indicate(words, color=t.text, scale_factor=1.03), run_time=0.8)
        else:
            with self.beat("plain"):
                words = self.steady_words()
                self.play(FadeIn(words), run_time=0.8)

        # back to the middle of the sweep: the paths whole, the bars of small σⱼ empty
        with self.beat("lesson"):
            self.leave_infinity()
            self.play(self.progress.animate.set_value(self.half), run_time=1.5)
            self.play(Indicate(self.bars_frames, color=t.text, scale_factor=1.03), run_time=1.0)
            self.wait(self.params.hold_time)

    def frame_readouts(self) -> dict:
        tr = self.solution.trace
        i = getattr(self, "shown", 0)
        lam = float(tr.lambdas[i])
        return {
            "lam": lam if math.isfinite(lam) else "∞",
            "df": float(tr.df[i]),
            "w": tr.coef_path[i].tolist(),
        }

    # --- the plot -----------------------------------------------------------------------------

    def label_texts(self) -> list[VGroup]:
        """Each column's name, plated, in the text colour."""
        t = self.theme
        return [
            plate(tex(rf"\text{{{tex_escape(short_name(name))}}}", t.text, TEXT.note), t, 0.03)
            for name in self.solution.columns
        ]

    def make_plot(self) -> None:
        """Axes df ∈ [0, p] × w over the plot's room (what is left of the frame by the labels'
        columns and the panel), df ticks along the bottom, w ticks on the left, the zero line;
        then each column's name at the right edge, stacked, with a leader line to its ŵ_j."""
        s, t = self.solution, self.theme
        texts = self.label_texts()
        height = max(m.height for m in texts)
        pitch = height + 0.04
        room = self.plot_top - self.plot_bottom
        columns = max(1, math.ceil(s.p * pitch / room))
        width = max(m.width for m in texts)
        right = config.frame_width / 2 - SPACE.edge - self.panel_width - SPACE.section
        label_room = self.leader + columns * width + (columns - 1) * SPACE.item
        plot_width = right - label_room - self.plot_left
        lo, hi = s.y_range
        axes = Axes(
            x_range=[0, s.p, 1],
            y_range=[lo, hi, hi - lo],
            x_length=plot_width,
            y_length=room,
            tips=False,
            axis_config={"color": t.muted, "stroke_width": 2, "include_ticks": False},
        )
        axes.shift([self.plot_left, self.plot_bottom, 0] - axes.c2p(0, lo))
        self.axes = axes
        frame = VGroup(
            Line(axes.c2p(0, lo), axes.c2p(s.p, lo)).set_stroke(t.muted, 2),
            Line(axes.c2p(0, lo), axes.c2p(0, hi)).set_stroke(t.muted, 2),
        )
        axes.x_axis.set_stroke(t.muted, 1.5, opacity=0.8)  # the zero line: w_j = 0
        axes.y_axis.set_stroke(opacity=0)
        numbers = VGroup()
        step = max(1, round(nice_ticks(0, s.p, 5)[0][0])) if s.p > 2 else 1
        for d in range(0, s.p + 1, step):
            at = axes.c2p(d, lo)
            frame.add(Line(at, at + 0.08 * DOWN).set_stroke(t.muted, 2))
            numbers.add(plate(tick(f"{d}", t).next_to(at, DOWN, buff=0.14), t, 0.03))
        for value, label in nice_ticks(lo, hi, 4):
            at = axes.c2p(0, value)
            frame.add(Line(at, at + 0.08 * LEFT).set_stroke(t.muted, 2))
            numbers.add(plate(tick(label, t).next_to(at, LEFT, buff=0.14), t, 0.03))
        zero = plate(tick("0", t).next_to(axes.c2p(0, 0), LEFT, buff=0.14), t, 0.03)
        numbers.add(zero)
        x_name = plate(
            tex(words_tex(self.word("df"), df=Maths(r"\mathrm{df}(\lambda)")), t.muted, TEXT.note),
            t,
            0.03,
        )
        x_name.next_to(numbers[0], DOWN, buff=SPACE.tight).align_to(axes.c2p(0, lo), LEFT)
        y_name = plate(tex(r"w_j(\lambda)", t.muted, TEXT.label), t, 0.03)
        y_name.next_to(axes.c2p(0, hi), UP, buff=SPACE.tight).align_to(numbers[-1], LEFT)
        fit = plate(tex(r"\hat w", t.f, TEXT.label), t, 0.03)  # the dots at df = p
        fit.next_to(axes.c2p(s.p, hi), UP, buff=SPACE.tight)
        self.mark("fit_label", fit)
        self.plot = VGroup(axes, frame, numbers, x_name, y_name, fit)
        self.plot_names = VGroup(x_name, y_name)

        # the names, stacked at the right edge (columns of labels when one would not fit)
        targets = np.array([axes.c2p(s.p, w)[1] for w in s.trace.least_squares])
        order = np.argsort(-targets, kind="stable")  # top first
        # in one sequence; with c columns, label i in column i mod c, so each column's
        # labels stay c·step ≥ pitch apart and a leader passes between the labels before it
        step = pitch if columns == 1 else max(pitch / columns + 0.03, min(pitch, room / s.p))
        spots = stack_labels(targets[order], step, self.plot_bottom, self.plot_top)
        end_x = axes.c2p(s.p, 0)[0]
        self.labels, self.leaders = VGroup(), VGroup()
        self.label_of: dict[int, Mobject] = {}
        for rank, j in enumerate(order):
            col = rank % columns
            y_label = spots[rank]
            left = end_x + self.leader + col * (width + SPACE.item)
            label = texts[j].move_to([left, y_label, 0], aligned_edge=LEFT)
            corners = [
                [end_x + 0.1, targets[j], 0],
                [end_x + 0.2, targets[j], 0],
                [left - 0.12, y_label, 0],
                [left - 0.03, y_label, 0],
            ]
            if col > 0:  # past the labels of the columns before, between their rows
                corners.insert(3, [end_x + self.leader - 0.06, y_label, 0])
                corners[2] = [end_x + self.leader - 0.2, y_label, 0]
            line = VMobject().set_points_as_corners(corners).set_stroke(t.muted, 1.5)
            self.leaders.add(line)
            self.labels.add(label)
            self.label_of[int(j)] = label
        self.labels = VGroup(self.leaders, self.labels)
        self.mark("labels", VGroup(*(self.label_of[j] for j in range(s.p))))  # column order
        self.dots = [
            self.mark(f"dot_{j}", Dot(axes.c2p(s.p, w), radius=0.06, color=t.optimum))
            for j, w in enumerate(s.trace.least_squares)
        ]

    def path(self, j: int, upto: int, colour, width: float, opacity: float = 1.0) -> VMobject:
        """w_j against df from df = p (sample 0) to sample `upto`."""
        tr = self.solution.trace
        points = [
            self.axes.c2p(d, w)
            for d, w in zip(tr.df[: upto + 1], tr.coef_path[: upto + 1, j], strict=True)
        ]
        line = VMobject().set_points_as_corners(points if len(points) > 1 else points * 2)
        return line.set_stroke(colour, width, opacity=opacity)

    # --- the panel: df(λ), the readouts, the bars ----------------------------------------------

    def make_panel(self) -> None:
        s, t = self.solution, self.theme
        tr = s.trace
        left = config.frame_width / 2 - SPACE.edge - self.panel_width
        panel = Panel(left, top=config.frame_height / 2 - SPACE.edge)
        self.df_formula = tex(
            r"\mathrm{df}(\lambda) = \sum_j \frac{\sigma_j}{\sigma_j + \lambda}", t.text, TEXT.body
        )
        panel.stack(self.df_formula, Panel.TOP)
        places = lam_places(float(tr.sigma[0]))
        lam_text = tex(r"\lambda =", t.optimum, TEXT.label)
        self.lam_value = Readout(0.0, places, t.optimum, TEXT.label)
        df_text = tex(r"\mathrm{df} =", t.text, TEXT.label)
        self.df_value = Readout(float(s.p), 2, t.text, TEXT.label)
        self.lam_value.next_to(lam_text, RIGHT, buff=0.15)
        widest = Readout(float(tr.lambdas[-2]), places, t.optimum, TEXT.label)  # the last finite
        widest.next_to(lam_text, RIGHT, buff=0.15)
        df_text.next_to(lam_text, RIGHT, buff=max(1.75, widest.width + 0.15 + SPACE.item))
        self.df_value.next_to(df_text, RIGHT, buff=0.15)
        if self.df_value.get_right()[0] - lam_text.get_left()[0] > self.panel_width:
            below = lam_text.get_bottom() + SPACE.line * DOWN  # no room: df under λ
            VGroup(df_text, self.df_value).shift(below - df_text.get_corner(UP + LEFT) * [1, 1, 0])
            VGroup(df_text, self.df_value).align_to(lam_text, LEFT)
        for text, number in ((lam_text, self.lam_value), (df_text, self.df_value)):
            digits = VGroup(*number.submobjects[1:])
            number.shift((text[0][-1].get_center()[1] - digits.get_center()[1]) * UP)
        self.readouts = VGroup(lam_text, self.lam_value, df_text, self.df_value)
        panel.stack(self.readouts, gap=SPACE.item)
        self.mark("lam_value", self.lam_value)
        self.mark("df_value", self.df_value)

        # one bar per eigenvalue, filled to σⱼ/(σⱼ + λ): together they hold df(λ)
        header = tex(
            words_tex(
                self.word("bars"),
                factor=Maths(r"\sigma_j / (\sigma_j + \lambda)"),
                sigma=Maths(r"\sigma_j"),
            ),
            t.text,
            TEXT.note,
        )
        width = min(self.panel_width, 0.45 * s.p)
        pitch = width / s.p
        frames = VGroup()
        for _ in range(s.p):
            frame = Rectangle(width=0.72 * pitch, height=self.bar_height)
            frames.add(frame.set_stroke(t.muted, 1.5))
        frames.arrange(RIGHT, buff=0.28 * pitch)
        every = 1 if pitch >= 0.3 else 5 if pitch >= 0.1 else 10
        indices = VGroup()
        for j in range(s.p):
            if j == 0 or (j + 1) % every == 0 or j == s.p - 1:
                number = tick(f"{j + 1}", t).next_to(frames[j], DOWN, buff=SPACE.tight)
                if all(number.get_left()[0] > m.get_right()[0] + 0.05 for m in indices):
                    indices.add(number)
        extremes = tex(
            rf"\sigma_1 = {fixed(tr.sigma[0], sigma_places(tr.sigma[0]))},\ \ "
            rf"\sigma_{{{s.p}}} = {fixed(tr.sigma[-1], sigma_places(tr.sigma[-1]))}",
            t.text,
            TEXT.note,
        )
        self.bars_frames, self.extremes = frames, extremes
        block = VGroup(header, VGroup(frames, indices), extremes)
        panel.stack(header, gap=SPACE.section)
        panel.stack(VGroup(frames, indices), gap=SPACE.line)
        panel.stack(extremes, gap=SPACE.line)
        fills = VGroup()
        for j in range(s.p):

            def bar(j=j):
                frame = frames[j]
                value = float(s.trace.factors[self.shown, j])
                fill = Rectangle(
                    width=frame.width, height=max(value * self.bar_height, 1e-3), stroke_width=0
                )
                fill.set_fill(t.optimum, opacity=0.85)
                return fill.move_to(frame.get_bottom(), aligned_edge=DOWN)

            fills.add(always_redraw(bar))
        self.bars = VGroup(block, fills)
        self.mark("bars", fills)
        self.panel = panel
        self.note = tex(r"\text{" + tex_escape(self.data_note(s)) + "}", t.text, TEXT.note)
        self.note.to_corner(DOWN + RIGHT, buff=0.15)
        if self.note.width > config.frame_width - 0.3:
            self.note.scale_to_fit_width(config.frame_width - 0.3)

    # --- the sweep ----------------------------------------------------------------------------

    def start_sweep(self) -> None:
        s, t = self.solution, self.theme
        tr, axes = s.trace, self.axes
        last = len(tr.df) - 1
        lo, hi = s.y_range

        def current() -> int:
            self.shown = min(last, round(self.progress.get_value() * last))
            return self.shown

        line = always_redraw(
            lambda: DashedLine(
                axes.c2p(tr.df[current()], lo), axes.c2p(tr.df[current()], hi), dash_length=0.12
            ).set_stroke(t.text, 2.5)
        )
        trails = [
            always_redraw(lambda j=j: self.path(j, current(), t.optimum, 3.5)) for j in range(s.p)
        ]
        for j, dot in enumerate(self.dots):
            dot.add_updater(
                lambda m, j=j: m.move_to(axes.c2p(tr.df[current()], tr.coef_path[current(), j]))
            )
        self.lam_value.add_updater(lambda m: m.set_value(tr.lambdas[min(current(), last - 1)]))
        self.df_value.add_updater(lambda m: m.set_value(tr.df[current()]))
        self.trails = VGroup(*trails)
        self.mark("sweep_line", line)
        self.add(self.trails, line)
        self.bring_to_front(*self.dots)

    def sweep_to(self, target: float, beat) -> None:
        """Move the tracker to `target` at a constant speed: the whole sweep lasts at least
        sweep_time, and the beat."""
        speed = 1.0 / max(beat.duration, self.params.sweep_time)
        gone = target - self.progress.get_value()
        if gone > 1e-9:
            self.play(
                self.progress.animate.set_value(target), rate_func=linear, run_time=gone / speed
            )

    def reach_infinity(self) -> None:
        """λ = ∞ in the readout (the Readout has no such digit); the paths drawn whole stay,
        so the line can move back along them."""
        s, t = self.solution, self.theme
        last = len(s.trace.df) - 1
        whole = VGroup(*(self.path(j, last, t.optimum, 3.5) for j in range(s.p)))
        self.remove(self.trails)
        self.add(whole)
        self.bring_to_front(self.marks["sweep_line"], *self.dots)
        self.trails = whole
        self.infinity = tex(r"\infty", t.optimum, TEXT.label)
        self.infinity.move_to(self.lam_value, aligned_edge=LEFT)
        self.play(FadeOut(self.lam_value), FadeIn(self.infinity), run_time=0.3)

    def leave_infinity(self) -> None:
        """The λ readout back in digits."""
        self.lam_value.set_value(self.solution.trace.lambdas[self.shown - 1])
        self.play(FadeOut(self.infinity), FadeIn(self.lam_value), run_time=0.3)

    # --- the turns ----------------------------------------------------------------------------

    def turn_marks(self) -> tuple[list[Mobject], VGroup]:
        """A ring where a weight crosses 0, a square where it peaks, and the names of those
        that do, in words under the bars."""
        s, t = self.solution, self.theme
        axes = self.axes
        marks: list[Mobject] = []
        for j in s.signs:
            for d in s.crossing_df[j]:
                ring = Circle(radius=0.09).set_stroke(t.text, 3).move_to(axes.c2p(d, 0))
                marks.append(ring)
        for j in s.growers:
            box = Square(0.16).set_stroke(t.text, 3).move_to(axes.c2p(s.peak_df[j], s.peak_w[j]))
            marks.append(box)
        self.mark("crossings", VGroup(*marks[: sum(len(s.crossing_df[j]) for j in s.signs)]))
        self.mark("peaks", VGroup(*marks[sum(len(s.crossing_df[j]) for j in s.signs) :]))
        floor = self.note.get_top()[1] + SPACE.item  # the words stay above the data's line
        for rows in (self.max_rows, 1, 0):  # as many rows of names as there is room for
            lines = VGroup()
            if s.signs:
                sign = self.word("changes_sign")
                lines.add(self.key_line(Circle(radius=0.09), sign, s.signs, rows))
            if s.growers:
                grows = self.word("grows_first")
                lines.add(self.key_line(Square(0.16), grows, s.growers, rows))
            lines.arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
            self.panel.stack(lines, self.extremes, gap=SPACE.section)
            if lines.get_bottom()[1] >= floor:
                break
        self.mark("turn_words", lines)
        return marks, lines

    @classmethod
    def data_note(cls, s: TraceSolution) -> str:
        """Where the data came from, in one line of the script's words."""
        script = cls.load_script()
        return script.word("data", "note").format(
            file=short_name(s.file, 30),
            rows=s.rows,
            count=len(s.columns),
            how=script.word("data", s.how),
        )

    def key_line(self, symbol: VMobject, words: str, columns: list[int], most: int) -> VGroup:
        """A mark's symbol, what it means, and the columns it marks, wrapped to the panel in
        at most `most` rows (0: only how many)."""
        t = self.theme
        symbol.set_stroke(t.text, 3)
        names = [tex_escape(short_name(self.solution.columns[j])) for j in columns]
        if most == 0:
            count = self.word("one_weight" if len(names) == 1 else "weights")
            head = tex(words_tex("{words}: " + count, words=words, n=len(names)), t.text, TEXT.note)
            symbol.move_to(head).align_to(head, LEFT).shift((symbol.width + SPACE.tight) * LEFT)
            return VGroup(symbol, head)
        head = tex(words_tex("{words}:", words=words), t.text, TEXT.note)
        head.next_to(symbol, RIGHT, buff=SPACE.tight)
        room = self.panel_width - 0.4

        def fits(words: list[str]) -> bool:
            return tex(r"\text{" + ", ".join(words) + ",}", t.text, TEXT.note).width <= room

        rows, row = [], []
        for name in names:
            if row and not fits([*row, name]):
                rows.append(row)
                row = []
            row.append(name)
        rows.append(row)
        if len(rows) > most:  # the rest counted in the last row kept
            rows = rows[:most]
            left = len(names) - sum(len(r) for r in rows)
            more = self.word("more")
            while len(rows[-1]) > 1 and not fits([*rows[-1], tex_escape(more.format(n=left))]):
                rows[-1].pop()
                left += 1
            rows[-1].append(tex_escape(more.format(n=left)))
        texts = VGroup(
            *(
                tex(
                    r"\text{" + ", ".join(r) + ("," if i < len(rows) - 1 else "") + "}",
                    t.text,
                    TEXT.note,
                )
                for i, r in enumerate(rows)
            )
        )
        texts.arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
        texts.next_to(head, DOWN, buff=SPACE.line, aligned_edge=LEFT)
        symbol.move_to(head).align_to(head, LEFT).shift((symbol.width + SPACE.tight) * LEFT)
        return VGroup(symbol, head, texts)

    def steady_words(self) -> VGroup:
        t = self.theme
        words = VGroup(
            *(
                tex(words_tex(line, zero=Maths("0")), t.text, TEXT.note)
                for line in self.word("steady")
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=SPACE.line)
        self.panel.stack(words, gap=SPACE.section)
        return self.mark("turn_words", words)


def sigma_places(value: float) -> int:
    """Decimals of an eigenvalue on screen: three significant digits, at most 3 decimals."""
    if value <= 0:
        return 2
    return max(0, min(3, 2 - math.floor(math.log10(value))))


def stack_labels(targets: np.ndarray, pitch: float, low: float, high: float) -> np.ndarray:
    """Label centres (y, top first) as near `targets` (descending) as can be while they stay
    `pitch` apart and within [low, high]: the targets less i·pitch, made non-increasing by
    pooling adjacent violators (least squares), clipped to the room, plus i·pitch back."""
    targets = np.asarray(targets, dtype=float)
    n = len(targets)
    shifted = targets + np.arange(n) * pitch  # non-increasing when they are apart
    blocks: list[list[float]] = []  # [mean, count]
    for v in shifted:
        blocks.append([v, 1])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            m2, c2 = blocks.pop()
            m1, c1 = blocks.pop()
            blocks.append([(m1 * c1 + m2 * c2) / (c1 + c2), c1 + c2])
    z = np.concatenate([[m] * int(c) for m, c in blocks])
    top = high - pitch / 2
    bottom = low + pitch / 2 + (n - 1) * pitch
    z = np.clip(z, min(bottom, top), top)
    return z - np.arange(n) * pitch
