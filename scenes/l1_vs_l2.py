"""l1_vs_l2 — why L1 gives zeros and L2 does not (seed 003).

The same level sets in two panels: left the L2 disk ||w||₂² ≤ k = t², right the L1 diamond
||w||₁ ≤ t. As the budget t shrinks, each constrained optimum moves with it. The L1 optimum
reaches a corner of the diamond, where a coordinate is exactly 0; the L2 optimum slides
towards the origin with both coordinates non-zero.

    manim -ql scenes/l1_vs_l2.py L1VsL2
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Indicate,
    Mobject,
    SurroundingRectangle,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    smooth,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, nearest, param, point_text
from scenes.plane import PlaneScene, View, around, place_after, place_clear, tex
from scenes.readout import Readout
from scenes.theme import TEXT


@dataclass(frozen=True)
class L1VsL2Params(Timed):
    t_start: float | None = param(
        None,
        "the budget t at the start: ||w||₁ <= t and ||w||₂² <= k = t² "
        "(null: just above the budget where the L1 optimum reaches a corner)",
    )
    t_end: float | None = param(
        None, "the budget t at the end (null: half the budget where the corner is reached)"
    )
    sweep_time: float = param(7.0, "seconds for t to shrink")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.t_start is not None and self.t_end is not None and not self.t_end < self.t_start:
            raise ValueError(
                f"need t_end < t_start, got t_start={self.t_start}, t_end={self.t_end}"
            )


@dataclass(frozen=True)
class Panel:
    """One side's budget shapes, optima and the level sets touching them, per budget t."""

    shapes: np.ndarray  # the boundary ||w|| = t
    points: np.ndarray  # the constrained optimum
    touching: np.ndarray  # the level set of f through it


@dataclass(frozen=True)
class L1L2Solution:
    view: View
    t_values: np.ndarray  # from t_start down to t_end
    l2: Panel  # argmin f s.t. ||w||₂² <= k = t²
    l1: Panel  # argmin f s.t. ||w||₁ <= t
    t_sparse: float  # below this budget the L1 optimum has an exact zero
    zero: int  # the coordinate (0 or 1) the L1 optimum sets to 0 at the corner

    def index(self, t: float) -> int:
        return nearest(self.t_values, t)


class L1VsL2(PlaneScene):
    """Shrinking L2 disk and L1 diamond side by side."""

    Params = L1VsL2Params
    script = "l1_vs_l2"
    beats = ("panels", "shrink", "corner", "below", "conclusion")
    scrub = (Scrubbed("t", "budget t"), Scrubbed("w_l2", "L2: w*"), Scrubbed("w_l1", "L1: w*"))
    x_range = (-1.5, 3.0)
    y_range = (-1.5, 3.0)
    plot_box = (6.3, 4.9)
    samples = 480  # budgets along the sweep (each beat's part of it is fine enough for 60 fps)
    start_above = 1.3  # derived t_start: this many times the corner budget, …
    start_inside = 0.95  # … or this fraction of ||c||₂, so that both constraints bind (if larger)
    end_below = 0.5  # derived t_end: this fraction of the corner budget

    @classmethod
    def budgets(cls, loss: mc.QuadraticLoss, params: L1VsL2Params) -> tuple[float, float, float]:
        """(t_start, t_end, t_sparse): the sweep crosses the budget where the L1 optimum
        reaches a corner, so both the approach and the exact zero are seen."""
        t_sparse = mc.sparse_budget(loss)
        c1, c2 = float(np.abs(loss.center).sum()), float(np.linalg.norm(loss.center))
        if t_sparse <= 0.0:
            raise ValueError(
                "the L1 optimum never has an exact zero for this H and center "
                "(both coordinates enter together); change center or H"
            )
        if t_sparse >= c1 * (1 - 1e-9):
            raise ValueError(
                "center lies on an axis: the L1 optimum is sparse at every budget and no "
                "corner is reached; move center off the axes"
            )
        start = params.t_start
        if start is None:
            start = min(c1, max(cls.start_inside * c2, cls.start_above * t_sparse))
        end = params.t_end if params.t_end is not None else cls.end_below * t_sparse
        if not 0 < end < t_sparse < start:
            raise ValueError(
                f"t_start={start:g}, t_end={end:g}: the L1 optimum reaches a corner at "
                f"t = {fixed(t_sparse, 2)}, so need 0 < t_end < {fixed(t_sparse, 2)} < t_start "
                "(or leave them unset)"
            )
        return start, end, t_sparse

    @classmethod
    def solve(cls, params: L1VsL2Params) -> L1L2Solution:
        loss = params.loss()
        start, end, t_sparse = cls.budgets(loss, params)
        t_values = np.linspace(start, end, cls.samples)
        l2 = np.array([mc.solve_constrained(loss, t**2).w for t in t_values])
        l1 = np.array([mc.solve_constrained_l1(loss, t).w for t in t_values])
        zero = int(np.argmin(np.abs(l1[-1])))
        return L1L2Solution(
            view=cls.view(loss, np.vstack([mc.circle(start**2, 64), mc.l1_ball(start)])),
            t_values=t_values,
            l2=Panel(
                shapes=np.array([mc.circle(t**2, 160) for t in t_values]),
                points=l2,
                touching=np.array([mc.level_set_through(loss, w) for w in l2]),
            ),
            l1=Panel(
                shapes=np.array([mc.l1_ball(t) for t in t_values]),
                points=l1,
                touching=np.array([mc.level_set_through(loss, w) for w in l1]),
            ),
            t_sparse=t_sparse,
            zero=zero,
        )

    @classmethod
    def results(cls, s: L1L2Solution) -> dict:
        return {
            "t_values": s.t_values.tolist(),
            "l1_points": s.l1.points.tolist(),
            "l2_points": s.l2.points.tolist(),
            "t_sparse": s.t_sparse,
            "t_start": float(s.t_values[0]),
            "t_end": float(s.t_values[-1]),
            "zero": s.zero + 1,  # 1 or 2: the index of the coordinate that becomes 0
            "zero_sub": "₁₂"[s.zero],
            "l2_end": s.l2.points[-1].tolist(),
        }

    @classmethod
    def alt_text(cls, s: L1L2Solution) -> str:
        t0, t1 = fixed(s.t_values[0], 2), fixed(s.t_values[-1], 2)
        return (
            "Two panels with the same elliptical level sets of the loss: left the disk "
            f"||w||₂² ≤ k = t², right the diamond ||w||₁ ≤ t. As t shrinks from {t0} to {t1}, "
            f"the optimum in the disk moves to {point_text(s.l2.points[-1])}, while the optimum "
            f"in the diamond reaches a corner at t = {fixed(s.t_sparse, 2)}, where "
            f"w{'₁₂'[s.zero]} = 0 exactly, and ends at {point_text(s.l1.points[-1])}."
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        self.draw_panels()
        s = self.solution
        self.sweep("shrink", s.t_values[s.t_values <= s.t_sparse][0])  # the corner is reached
        self.show_corner()
        self.sweep("below", s.t_values[-1])
        self.conclude()

    def draw_panels(self) -> None:
        s, t = self.solution, self.theme
        self.planes = self.side_by_side(s.view, height=0.15)
        for plane in self.planes:  # c's label away from the origin, where the optima go
            place_clear(
                plane.center_label,
                plane.axes.c2p(*s.view.center),
                around(s.view.center),
                plane.axes.labels,
                plane.axes,
                gap=0.08,
            )
        titles = VGroup(
            tex(r"L_2:\ \|w\|_2^2 \le k = t^2", t.g, TEXT.body),
            tex(r"L_1:\ \|w\|_1 \le t", t.g, TEXT.body),
        )
        for title, plane in zip(titles, self.planes, strict=True):
            title.next_to(plane.axes, UP, buff=0.15)
        t_label = tex(r"t =", t.g, TEXT.title)
        self.t_value = place_after(Readout(s.t_values[0], 2, t.g, TEXT.title), t_label)
        t_readout = VGroup(t_label, self.t_value).to_edge(UP, buff=0.2)
        self.budget = ValueTracker(s.t_values[0])
        self.t_value.add_updater(lambda m: m.set_value(s.t_values[self.now()]))
        self.readouts = []
        for side, plane, panel in zip(("l2", "l1"), self.planes, (s.l2, s.l1), strict=True):
            self.add(plane.group)
            self.add(*self.panel_drawing(side, plane, panel))
        note = self.data_line()  # top right: the bottom holds the readouts and the conclusion
        notes = [] if note is None else [note.to_corner(UP + RIGHT, buff=0.15)]
        if notes:  # t moves aside for it
            t_readout.to_corner(UP + LEFT, buff=0.2)
        self.add(titles, t_label, self.t_value, *notes)
        with self.beat("panels"):
            pass  # both panels are there from the first frame; the caption explains them

    def now(self) -> int:
        return self.solution.index(self.budget.get_value())

    def frame_readouts(self) -> dict:
        s, i = self.solution, self.now() if hasattr(self, "budget") else 0
        return {
            "t": float(s.t_values[i]),
            "w_l2": s.l2.points[i].tolist(),
            "w_l1": s.l1.points[i].tolist(),
        }

    def panel_drawing(self, side: str, plane, panel: Panel) -> list[Mobject]:
        """The shape, the level set touching it, the optimum's trail and dot, its readout."""
        t, now = self.theme, self.now
        shape = always_redraw(lambda: plane.curve(panel.shapes[now()], t.g, 4))
        touching = always_redraw(lambda: plane.curve(panel.touching[now()], t.f, 3))
        trail = always_redraw(
            lambda: plane.curve(panel.points[: now() + 1], t.optimum, 4, stroke_opacity=0.6)
        )
        dot = always_redraw(lambda: plane.dot(panel.points[now()], t.optimum, 0.09))
        readout = self.coordinate_readout(plane, panel.points)
        self.readouts.append(readout)
        self.mark(f"{side}_dot", dot)
        self.mark(f"{side}_readout", readout)
        return [shape, touching, trail, dot, readout]

    def coordinate_readout(self, plane, points: np.ndarray) -> VGroup:
        """w* = (w₁, w₂) under a panel; a coordinate that is exactly 0 gets a box."""
        t, now = self.theme, self.now
        size = TEXT.body
        label = tex(r"w^* = (", t.optimum, size)
        first = place_after(Readout(points[0][0], 2, t.optimum, size), label, buff=0.1)
        comma = tex(r",", t.optimum, size)
        second = Readout(points[0][1], 2, t.optimum, size)
        close = tex(r")", t.optimum, size)

        def set_row(_):  # the comma and ")" follow the numbers; a boxed number gets room
            w = points[now()]
            room = [0.1 if x == 0.0 else 0.05 for x in w]
            first.set_value(w[0])
            comma.next_to(first, RIGHT, buff=room[0]).align_to(first, DOWN).shift(0.07 * DOWN)
            second.set_value(w[1])
            second.next_to(comma, RIGHT, buff=0.18).align_to(first, DOWN)
            close.next_to(second, RIGHT, buff=room[1]).match_y(label[0][-1])

        row = VGroup(label, first, comma, second, close)
        row.add_updater(set_row)
        set_row(row)
        row.next_to(plane.axes, DOWN, buff=0.25)

        def box(number, j):
            def draw():
                rect = SurroundingRectangle(number, color=t.text, buff=0.05, stroke_width=3)
                return rect.set_stroke(opacity=1.0 if points[now()][j] == 0.0 else 0.0)

            return always_redraw(draw)

        return VGroup(row, box(first, 0), box(second, 1))

    def sweep(self, beat_id: str, to: float) -> None:
        s = self.solution
        share = abs(self.budget.get_value() - to) / (s.t_values[0] - s.t_values[-1])
        with self.beat(beat_id, share * self.params.sweep_time) as b:
            self.play(self.budget.animate.set_value(to), run_time=b.duration, rate_func=smooth)

    def show_corner(self) -> None:
        s = self.solution
        number = self.readouts[1][0][1 + 2 * s.zero]  # the L1 readout's zero coordinate
        with self.beat("corner"):
            self.play(Indicate(number, color=self.theme.text, scale_factor=1.4), run_time=1.0)

    def conclude(self) -> None:
        s, t = self.solution, self.theme
        lines = (
            rf"\text{{L1: the diamond's corners lie on the axes, so }} w_{s.zero + 1} = 0"
            r"\text{ exactly.}",
            r"\text{L2: the round disk has no corners, so neither coordinate is 0.}",
        )
        statement = VGroup(*(tex(line, t.text, TEXT.body) for line in lines))
        statement.arrange(DOWN, buff=0.12).to_edge(DOWN, buff=0.15)
        self.mark("conclusion", statement)
        self.t_value.clear_updaters()
        with self.beat("conclusion"):
            self.play(Write(statement), run_time=1.5)
            self.wait(self.params.hold_time)
