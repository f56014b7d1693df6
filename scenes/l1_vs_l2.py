"""l1_vs_l2 — why L1 gives zeros and L2 does not (seed 003).

The same level sets in two panels: left the L2 disk ‖w‖² ≤ k = t², right the L1 diamond
‖w‖₁ ≤ t. As the budget t shrinks, each constrained optimum w* moves with it. The L1 optimum
reaches a corner of the diamond, where a coordinate is exactly 0: the corner the level sets,
growing from ŵ, meet first (f is lower there than at the other corner). Both panels then zoom
in on the small budgets: the L1 optimum stays on the axis, and the L2 optimum, followed along
its whole path down to t = 0, meets no axis before w = 0 (a lens magnifies its end when it
ends too near an axis for the gap to show), or, where sign(ŵ_j) ≠ sign((Hŵ)_j), crosses one
once and stays on none.

    manim -ql scenes/l1_vs_l2.py L1VsL2
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    MathTex,
    Mobject,
    Square,
    SurroundingRectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    config,
    smooth,
)

import mathcore as mc
from narration import fixed
from scenes.base import Scrubbed, Timed, nearest, param, point_text
from scenes.plane import (
    Box,
    Maths,
    PlaneScene,
    View,
    around,
    box_of,
    clip_polygon,
    clip_polyline,
    dense,
    place_after,
    place_free,
    plate,
    polyline,
    tex,
    tick,
    words_tex,
)
from scenes.readout import Readout
from scenes.theme import SPACE, TEXT, Theme


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
class Side:
    """One panel's budget shapes, optima and the level sets touching them, per budget t,
    and the optimum's path on from the last budget down to t = 0."""

    shapes: tuple[np.ndarray, ...]  # the boundary ||w|| = t
    points: np.ndarray  # the constrained optimum w*
    touching: tuple[np.ndarray, ...]  # the level set of f through it
    tail: np.ndarray  # w* from the last budget on down to t = 0 (ending at the origin)


@dataclass(frozen=True)
class Lens:
    """A magnified window beside the L2 optimum at the last budget, when it ends so near an
    axis that the gap would not show: the data window (x0, x1, y0, y1), square, with the
    axis and the point the same distance either side of its centre."""

    box: Box
    near: int  # the coordinate that is small (0: the point is near the w₂ axis)
    times: float  # how many times it magnifies the panel


@dataclass(frozen=True)
class L1L2Solution:
    view: View  # the wide window (the whole sweep), with its level sets
    zoom_box: Box | None  # the window on the small budgets (None: the ending is big enough)
    zoom_rings: tuple[np.ndarray, ...]  # level sets crossing the zoomed window
    zoom: float  # how many times the zoomed window magnifies (1: no zoom)
    t_values: np.ndarray  # from t_start down to t_end, t_sparse among them
    corner_at: int  # the sample where t = t_sparse
    l2: Side  # argmin f s.t. ||w||₂² <= k = t²
    l1: Side  # argmin f s.t. ||w||₁ <= t
    t_sparse: float  # at and below this budget the L1 optimum has an exact zero
    zero: int  # the coordinate (0 or 1) the L1 optimum sets to 0 at the corner
    corner: np.ndarray  # the corner reached, on the other coordinate's axis
    other: np.ndarray  # the diamond's corner on the zeroed coordinate's axis, same quadrant
    f_corner: float  # f at the corner reached (lower) …
    f_other: float  # … and at the other corner
    other_ring: np.ndarray  # the level set of f through the other corner
    lens: Lens | None  # a magnified look at the L2 optimum's end (None: its gap shows)
    crossing: tuple[int, float, np.ndarray] | None  # (j, t, w): w_j = 0 on the L2 path at t

    def index(self, t: float) -> int:
        return nearest(self.t_values, t)


def signed(value: float, decimals: int = 2) -> str:
    """A number as text with a proper minus sign; an exact 0 as "0"."""
    return "0" if value == 0 else fixed(value, decimals).replace("-", "−")


def pair_text(w) -> str:
    """(1.20, 0) in caption text: proper minus signs, an exact zero as 0."""
    return "(" + ", ".join(signed(float(v)) for v in w) + ")"


def resolved(curve_points: np.ndarray, span: float, per_span: int = 120) -> int:
    """How many points a closed curve needs so that its segments are at most span/per_span
    long (at least 240, at most 20000): a level set drawn in a zoomed window stays smooth."""
    length = float(np.linalg.norm(np.diff(curve_points, axis=0), axis=1).sum())
    return int(np.clip(math.ceil(length / (span / per_span)), 240, 20000))


def tick_values(lo: float, hi: float) -> list[float]:
    """Tick values for an equal-scale axis over (lo, hi): every power-of-ten step (doubled or
    five-fold when that gives too many), not 0, not at the window's edges."""
    span = hi - lo
    step = 10.0 ** math.floor(math.log10(span / 2))
    for grow in (1, 2, 5, 10):
        if span / (step * grow) <= 8:
            step *= grow
            break
    first, last = math.ceil(lo / step + 0.4), math.floor(hi / step - 0.4)
    return [n * step for n in range(first, last + 1) if n != 0]


class Pane:
    """One panel: a fixed rectangle on screen showing a data window that zooms from the
    wide window (z = 0) to the zoomed one (z = 1) about the point the two share, with
    equal scales on both axes. Curves are clipped to the window of the moment; the level sets
    and tick values of both windows cross-fade; each tick value yields to any point or
    optimum's path over it."""

    def __init__(
        self,
        rect: np.ndarray,
        wide: Box,
        zoomed: Box | None,
        rings: tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]],
        z: ValueTracker,
        theme: Theme,
        names: tuple[str, str],
    ):
        self.rect, self.wide, self.z, self.theme = rect, np.array(wide, float), z, theme
        self.zoomed = np.array(zoomed if zoomed is not None else wide, float)
        ratio = (self.zoomed[1] - self.zoomed[0]) / (self.wide[1] - self.wide[0])
        self.ratio = ratio
        if abs(1 - ratio) < 1e-12:
            self.fixed = np.array([0.0, 0.0])
        else:  # the point both windows put at the same place on screen
            lows = self.zoomed[[0, 2]] - ratio * self.wide[[0, 2]]
            self.fixed = lows / (1 - ratio)
        self.rings = rings
        self.points_over_ticks: list[Mobject] = []  # dots a tick value gives way to
        self.paths_over_ticks: list[Callable[[], np.ndarray]] = []  # … and paths (data points)
        self.ticks = [self.make_ticks(box) for box in (self.wide, self.zoomed)]
        self.names = [plate(tex(name, theme.muted, TEXT.body), theme) for name in names]
        self.background = VGroup()
        self._drawn_at: float | None = None
        self.background.add_updater(lambda m: self.redraw())
        self.labels = VGroup(*self.ticks[0], *self.ticks[1], *self.names)
        self.labels.add_updater(lambda m: self.place_labels())
        self.redraw()
        self.place_labels()

    # the window of the moment
    def window(self, z: float | None = None) -> np.ndarray:
        z = self.z.get_value() if z is None else z
        scale = self.ratio**z
        f = np.repeat(self.fixed, 2)
        return f + (self.wide - f) * scale

    def to_scene(self, points) -> np.ndarray:
        """Data points (N, 2) in the window of the moment → scene points (N, 3)."""
        x0, x1, y0, y1 = self.window()
        left, bottom, right, top = self.rect
        p = np.atleast_2d(np.asarray(points, dtype=float))
        sx = left + (p[:, 0] - x0) / (x1 - x0) * (right - left)
        sy = bottom + (p[:, 1] - y0) / (y1 - y0) * (top - bottom)
        return np.column_stack([sx, sy, np.zeros(len(p))])

    def inside(self, w, margin: float = 0.0) -> bool:
        x0, x1, y0, y1 = self.window()
        pad = margin * (x1 - x0)
        return bool(x0 + pad <= w[0] <= x1 - pad and y0 + pad <= w[1] <= y1 - pad)

    def curve(self, points: np.ndarray, color, width: float = 3, **style) -> VMobject:
        """A path through data points, clipped to the window of the moment."""
        pieces = clip_polyline(points, tuple(self.window()))
        return polyline([self.to_scene(piece) for piece in pieces], color, width, **style)

    def dot(self, w, color, radius: float = 0.09) -> Dot:
        """A point (drawn only while inside the window)."""
        dot = Dot(self.to_scene(w)[0], radius=radius, color=color)
        return dot if self.inside(w) else dot.set_opacity(0)

    # the background: level sets of both windows, cross-fading, and the axes
    def redraw(self) -> None:
        z = self.z.get_value()
        if self._drawn_at == z:
            return
        self._drawn_at = z
        t, box = self.theme, tuple(self.window())
        group = VGroup()
        for rings, weight in zip(self.rings, (1 - z, z), strict=True):
            if weight <= 0.01:
                continue
            n = len(rings)
            for i, points in reversed(list(enumerate(rings))):
                inside = clip_polygon(points[:-1], box)
                if len(inside) >= 3:
                    fill = VMobject(stroke_width=0).set_fill(t.f, opacity=t.ring_fill * weight)
                    fill.set_points_as_corners(self.to_scene(np.vstack([inside, inside[:1]])))
                    group.add(fill)
                colour = t.level_color(i / max(n - 1, 1))
                group.add(self.curve(points, colour, 2.2, stroke_opacity=weight))
        x0, x1, y0, y1 = box
        group.add(self.curve(np.array([[x0, 0.0], [x1, 0.0]]), t.muted, 2))
        group.add(self.curve(np.array([[0.0, y0], [0.0, y1]]), t.muted, 2))
        for ticks in self.ticks:
            for label in ticks:
                if label.weight(self) > 0.01:
                    at = self.to_scene(label.at)[0]
                    across = UP if label.axis == 0 else RIGHT
                    mark = Line(at - 0.05 * across, at + 0.05 * across)
                    group.add(mark.set_stroke(t.muted, 2, opacity=label.weight(self)))
        self.background.submobjects = group.submobjects

    def make_ticks(self, box: np.ndarray) -> list[VGroup]:
        """The tick values of one window, each on a plate, knowing its place and window."""
        labels = []
        for axis, (lo, hi) in enumerate((box[:2], box[2:])):
            for value in tick_values(lo, hi):
                label = plate(tick(f"{value:g}", self.theme), self.theme, buff=0.03)
                label.at = np.array([value, 0.0]) if axis == 0 else np.array([0.0, value])
                label.axis = axis
                label.home = box
                label.weight = (
                    (lambda pane: 1 - pane.z.get_value())
                    if box is self.wide
                    else (lambda pane: pane.z.get_value())
                )
                labels.append(label)
        return labels

    def place_labels(self) -> None:
        """Tick values beside their marks (shown while their window is, and inside it),
        then the axes' names at the axes' ends."""
        points = [box_of(p) for p in self.points_over_ticks if p.get_fill_opacity() > 0.05]
        paths = [dense(self.to_scene(path())) for path in self.paths_over_ticks]
        paths = np.vstack(paths) if paths else np.zeros((0, 2))
        for ticks in self.ticks:
            for label in ticks:
                weight = label.weight(self) if self.inside(label.at, 0.03) else 0.0
                at = self.to_scene(label.at)[0]
                label.next_to(at, DOWN if label.axis == 0 else LEFT, buff=0.08)
                box = box_of(label)
                over = any(_overlap(box, p) > 0 for p in points) or bool(
                    (
                        (paths[:, 0] > box[0])
                        & (paths[:, 0] < box[2])
                        & (paths[:, 1] > box[1])
                        & (paths[:, 1] < box[3])
                    ).any()
                )
                label.set_opacity(0.0 if over or weight < 0.02 else weight)
        _, x1, _, y1 = self.window()
        self.names[0].next_to(self.to_scene([x1, 0.0])[0], UP + LEFT, buff=0.1)
        self.names[1].next_to(self.to_scene([0.0, y1])[0], DOWN + RIGHT, buff=0.1)

    def shown_ticks(self) -> list[np.ndarray]:
        return [
            box_of(lab) for ticks in self.ticks for lab in ticks if lab[1].get_fill_opacity() > 0.05
        ]


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


class L1VsL2(PlaneScene):
    """Shrinking L2 disk and L1 diamond side by side, then a zoom on the small budgets."""

    Params = L1VsL2Params
    scrub = (Scrubbed("t"), Scrubbed("w_l2"), Scrubbed("w_l1"))
    x_range = (-1.5, 3.0)
    y_range = (-1.5, 3.0)
    plot_box = (6.3, 4.9)
    samples = 480  # budgets along the sweep (each beat's part of it is fine enough for 60 fps)
    start_above = 1.3  # derived t_start: this many times the corner budget, …
    start_inside = 0.95  # … or this fraction of ||ŵ||₂, so that both constraints bind (if larger)
    end_below = 0.5  # derived t_end: this fraction of the corner budget
    zoom_reach = 1.15  # the zoomed window shows the shapes at t_sparse, and this much more
    least_zoom = 1.3  # zoom in only when it magnifies at least this much
    zoom_rings = 9
    zoom_time = 2.0  # seconds of the zoom
    tail_samples = 200
    lens_below = 0.45  # a lens when the L2 end is less than this (scene units) from an axis
    lens_half = 0.8  # the lens's half size on screen (scene units)
    lens_gap = 0.8  # the gap between axis and point, as a share of the lens's half size

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
        sweep = np.linspace(start, end, cls.samples)
        t_values = np.sort(np.concatenate([sweep[sweep != t_sparse], [t_sparse]]))[::-1]
        corner_at = int(np.flatnonzero(t_values == t_sparse)[0])
        view = cls.view(loss, np.vstack([mc.circle(start**2, 64), mc.l1_ball(start)]))
        zoom_box, zoom_rings, zoom = cls.zoom_window(loss, view, t_sparse)
        span = (zoom_box[3] - zoom_box[2]) if zoom_box else (view.y_range[1] - view.y_range[0])

        def touching(points: np.ndarray) -> tuple[np.ndarray, ...]:
            rings = []
            for w in points:
                rough = mc.level_set_through(loss, w)
                rings.append(mc.level_set_through(loss, w, resolved(rough, span)))
            return tuple(rings)

        l2 = np.array([mc.solve_constrained(loss, t**2).w for t in t_values])
        l1 = np.array([mc.solve_constrained_l1(loss, t).w for t in t_values])
        zero = int(np.argmin(np.abs(l1[corner_at])))
        corner = l1[corner_at].copy()
        other = np.zeros(2)
        other[zero] = math.copysign(t_sparse, float(loss.center[zero]))
        lam_end = mc.solve_constrained(loss, end**2).lam  # > 0: the disk binds below t_sparse
        lams = np.geomspace(lam_end, lam_end + 1e6 * float(loss.sigma[0]), cls.tail_samples)
        l2_tail = mc.ridge_path(loss, lams)  # on to λ → ∞, t → 0
        l1_tail = np.array(
            [mc.solve_constrained_l1(loss, t).w for t in np.linspace(end, 0, 61)[:-1]]
        )
        rough_other = mc.level_set_through(loss, other)
        lam_start = mc.solve_constrained(loss, start**2).lam
        return L1L2Solution(
            view=view,
            zoom_box=zoom_box,
            zoom_rings=zoom_rings,
            zoom=zoom,
            t_values=t_values,
            corner_at=corner_at,
            l2=Side(
                shapes=tuple(mc.circle(t**2, 160) for t in t_values),
                points=l2,
                touching=touching(l2),
                tail=np.vstack([l2[-1], l2_tail, [0.0, 0.0]]),
            ),
            l1=Side(
                shapes=tuple(mc.l1_ball(t) for t in t_values),
                points=l1,
                touching=touching(l1),
                tail=np.vstack([l1[-1], l1_tail, [0.0, 0.0]]),
            ),
            t_sparse=t_sparse,
            zero=zero,
            corner=corner,
            other=other,
            f_corner=float(loss.value(corner)),
            f_other=float(loss.value(other)),
            other_ring=mc.level_set_through(loss, other, resolved(rough_other, span)),
            lens=cls.lens(l2[-1], view.unit * zoom),
            crossing=cls.crossing(loss, lam_start),
        )

    @staticmethod
    def crossing(loss: mc.QuadraticLoss, lam_start: float) -> tuple[int, float, np.ndarray] | None:
        """Where the L2 path w(λ), from the first budget (λ = lam_start) down to 0, crosses an
        axis: (j, t, w) with w = w(λ), w_j = 0 and t = ‖w‖₂. In two dimensions w_j(λ) is
        ((H_kk + λ) b_j − H_jk b_k) / det(H + λI) with b = Hŵ, so it crosses at most once, and
        only one coordinate can (ŵ·b > 0): where sign(ŵ_j) ≠ sign(b_j)."""
        turns = mc.coefficient_turns(loss)
        for j, roots in enumerate(turns.crossings):
            later = roots[roots > lam_start]
            if len(later):
                w = mc.ridge_path(loss, later[:1])[0]
                w[j] = 0.0  # exactly, where it is ~1e-16
                return j, float(np.linalg.norm(w)), w
        return None

    @classmethod
    def lens(cls, w: np.ndarray, unit: float) -> Lens | None:
        """The window a lens shows around the L2 optimum w at the end (`unit`: scene units per
        data unit in the panel then), or None when w is at least `lens_below` from both axes:
        its small coordinate w_j spans `lens_gap` of the lens's half size."""
        near = int(np.argmin(np.abs(w)))
        gap = abs(float(w[near]))
        if gap * unit >= cls.lens_below:
            return None
        half = gap / cls.lens_gap
        centre = w.astype(float).copy()
        centre[near] = w[near] / 2  # halfway between the axis and the point
        box = (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
        return Lens(box=box, near=near, times=cls.lens_half / half / unit)

    @classmethod
    def zoom_window(
        cls, loss: mc.QuadraticLoss, view: View, t_sparse: float
    ) -> tuple[Box | None, tuple[np.ndarray, ...], float]:
        """The window on the small budgets: centred on the origin, showing the shapes at
        t_sparse (and `zoom_reach` more), in the wide window's aspect; with level sets evenly
        spaced across it. None (and zoom 1) when it would magnify less than `least_zoom`."""
        width = view.x_range[1] - view.x_range[0]
        height = view.y_range[1] - view.y_range[0]
        half_h = cls.zoom_reach * t_sparse * max(1.0, height / width)
        half_w = half_h * width / height
        zoom = height / (2 * half_h)
        if zoom < cls.least_zoom:
            return None, (), 1.0
        box = (-half_w, half_w, -half_h, half_h)
        grid = np.stack(
            np.meshgrid(np.linspace(-half_w, half_w, 41), np.linspace(-half_h, half_h, 41)), -1
        ).reshape(-1, 2)
        values = loss.value(grid)
        low, high = float(values.min()), float(values.max())
        reach = np.sqrt(np.maximum(np.array([low, high]) - loss.f_min, 0.0))
        radii = np.linspace(reach[0], reach[1], cls.zoom_rings + 2)[1:-1]
        rings = []
        for level in loss.f_min + radii**2:
            rough = mc.level_set(loss, level)
            rings.append(mc.level_set(loss, level, resolved(rough, 2 * half_h)))
        return box, tuple(rings), float(zoom)

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
            "corner": s.corner.tolist(),
            "other": s.other.tolist(),
            "other_text": pair_text(s.other),
            "f_corner": s.f_corner,
            "f_other": s.f_other,
            "zoom": s.zoom,
            "l2_end": s.l2.points[-1].tolist(),
            "l2_end_text": pair_text(s.l2.points[-1]),
            "lens": s.lens.times if s.lens else None,
            "crosses": s.crossing is not None,
            "cross_sub": "₁₂"[s.crossing[0]] if s.crossing else "",
            "t_cross": s.crossing[1] if s.crossing else 0.0,
        }

    @classmethod
    def alt_text(cls, s: L1L2Solution) -> str:
        zoom = cls.alt("zoom", times=fixed(s.zoom, 1)) if s.zoom_box else ""
        lens = cls.alt("lens", times=fixed(s.lens.times, 0)) if s.lens else ""
        if s.crossing:
            j, t_cross, _ = s.crossing
            path = cls.alt("crossing", w_cross=f"w{'₁₂'[j]}", t_cross=fixed(t_cross, 2))
        else:
            path = cls.alt("path")
        return cls.alt(
            "text",
            t0=fixed(s.t_values[0], 2),
            t_sparse=fixed(s.t_sparse, 2),
            w_zero=f"w{'₁₂'[s.zero]}",
            corner=point_text(s.corner),
            f_corner=fixed(s.f_corner, 2),
            other=point_text(s.other),
            f_other=fixed(s.f_other, 2),
            zoom=zoom,
            t1=fixed(s.t_values[-1], 2),
            l1=point_text(s.l1.points[-1]),
            l2=point_text(s.l2.points[-1]),
            path=path,
            lens=lens,
        )

    # --- beats --------------------------------------------------------------------------------

    def construct(self) -> None:
        s, t = self.solution, self.theme
        # both panels from the first frame: the same level sets, the disk and the diamond at
        # the first budget, each optimum where a level set touches its shape
        self.budget = ValueTracker(s.t_values[0])
        self.z = ValueTracker(0.0)
        self.panes = self.make_panes()
        t_label = tex(r"t =", t.g, TEXT.title)
        self.t_value = place_after(Readout(self.t_shown(0), 2, t.g, TEXT.title), t_label)
        self.t_value.add_updater(lambda m: m.set_value(self.t_shown(self.now())))
        t_readout = VGroup(t_label, self.t_value).to_edge(UP, buff=SPACE.tight)
        titles = VGroup(
            tex(r"L_2:\ \|w\|^2 \le k = t^2", t.g, TEXT.body),
            tex(r"L_1:\ \|w\|_1 \le t", t.g, TEXT.body),
        )
        for title, pane in zip(titles, self.panes, strict=True):
            title.next_to(self.rect_mob(pane), UP, buff=SPACE.tight)
        note = self.data_line()  # top right: the bottom holds the readouts and the conclusion
        if note is not None:
            note.to_corner(UP + RIGHT, buff=SPACE.tight)
            t_readout.to_corner(UP + LEFT, buff=SPACE.tight)
        self.readouts = []
        for side, pane, panel in zip(("l2", "l1"), self.panes, (s.l2, s.l1), strict=True):
            self.add(pane.background, *self.panel_drawing(side, pane, panel), pane.labels)
        self.add(titles, t_readout, *([note] if note is not None else []))
        self.add(*self.readouts)
        with self.beat("panels"):
            pass  # both panels are there from the first frame; the caption explains them

        # t shrinks to the budget where the L1 optimum reaches a corner
        with self.beat("shrink", self.sweep_share(s.corner_at) * self.params.sweep_time) as b:
            self.play(
                self.budget.animate.set_value(s.t_values[s.corner_at]),
                run_time=b.duration,
                rate_func=smooth,
            )

        # there w_j = 0 exactly; why this corner: f is lower there than at the other one
        with self.beat("corner") as b:
            number = self.readouts[1][0][1 + 2 * s.zero]  # the L1 readout's zero coordinate
            self.play(Indicate(number, color=t.text, scale_factor=1.4), run_time=1.0)
            b.mark("why")
            pane = self.panes[1]
            ring = Circle(radius=0.16, color=t.text, stroke_width=4)
            ring.move_to(pane.to_scene(s.corner)[0])
            other = Circle(radius=0.11, color=t.g, stroke_width=4).set_fill(t.background, 1)
            other.move_to(pane.to_scene(s.other)[0])
            other_ring = DashedVMobject(pane.curve(s.other_ring, t.f, 2.5), num_dashes=60)
            higher = plate(tex(words_tex(self.word("higher"), f=Maths("f")), t.f, TEXT.label), t)
            self.place_free_label(higher, pane, other.get_center(), s.other, [ring, other])
            self.mark("other_corner", other)
            self.mark("higher", higher)
            self.play(Create(ring), Create(other_ring), FadeIn(other), FadeIn(higher), run_time=1.2)
            self.why = VGroup(ring, other, other_ring, higher)

        # zoom in on the small budgets (when the ending would be small)
        if s.zoom_box is not None:
            with self.beat("zoom"):
                frames = VGroup(*(self.zoom_frame(p) for p in self.panes))
                self.play(FadeOut(self.why), Create(frames), run_time=0.8)
                self.panes[1].points_over_ticks.remove(higher[1])  # its tick values return
                self.play(self.z.animate.set_value(1.0), run_time=self.zoom_time, rate_func=smooth)
                self.play(FadeOut(frames), run_time=0.5)

        # below t_sparse the L1 optimum stays on the axis; the L2 one never reaches one
        with self.beat(
            "below", self.sweep_share(len(s.t_values) - 1) * self.params.sweep_time
        ) as b:
            if s.zoom_box is None:
                self.play(FadeOut(self.why), run_time=0.5)
                self.panes[1].points_over_ticks.remove(higher[1])
            self.play(
                self.budget.animate.set_value(s.t_values[-1]), run_time=b.duration, rate_func=smooth
            )
            b.mark("l2")
            # too near an axis for the gap to show: a lens magnifies it
            lens, lens_tail = self.lens_drawing() if s.lens else (VGroup(), VGroup())
            self.play(
                Indicate(self.readouts[0][0], color=t.optimum, scale_factor=1.1),
                FadeIn(lens),
                run_time=1.0,
            )
            b.mark("crossing" if s.crossing else "path")
            tails = VGroup(
                *(
                    DashedVMobject(pane.curve(side.tail, t.optimum, 3), num_dashes=24)
                    for pane, side in zip(self.panes, (s.l2, s.l1), strict=True)
                )
            )
            origins = VGroup(*(pane.dot((0.0, 0.0), t.optimum, 0.06) for pane in self.panes))
            crossed = self.crossing_ring()
            self.mark("tails", tails)
            self.play(Create(tails), Create(lens_tail), FadeIn(origins, crossed), run_time=1.5)

        # the conclusion, under both panels
        with self.beat("conclusion"):
            zero = Maths(rf"{self.axis_names()[s.zero]} = 0")  # as its axis is named
            words = self.word("conclusion_crossing" if s.crossing else "conclusion")
            lines = [words_tex(line, zero=zero) for line in words]
            statement = VGroup(*(tex(line, t.text, TEXT.body) for line in lines))
            statement.arrange(DOWN, buff=SPACE.line).to_edge(DOWN, buff=SPACE.tight)
            if statement.width > config.frame_width - 2 * SPACE.tight:
                statement.scale_to_fit_width(config.frame_width - 2 * SPACE.tight)
            self.mark("conclusion", statement)
            self.t_value.clear_updaters()
            self.play(Write(statement), run_time=1.5)
            self.wait(self.params.hold_time)

    def sweep_share(self, to: int) -> float:
        """The share of the whole sweep (in t) from the budget now to sample `to`."""
        s = self.solution
        return abs(self.budget.get_value() - s.t_values[to]) / (s.t_values[0] - s.t_values[-1])

    def now(self) -> int:
        return self.solution.index(self.budget.get_value())

    def t_shown(self, i: int) -> float:
        """t as the captions print it (rounded half up), so screen and caption agree."""
        return float(fixed(self.solution.t_values[i], 2))

    def frame_readouts(self) -> dict:
        s, i = self.solution, self.now() if hasattr(self, "budget") else 0
        return {
            "t": float(s.t_values[i]),
            "w_l2": s.l2.points[i].tolist(),
            "w_l1": s.l1.points[i].tolist(),
        }

    # --- the panels ----------------------------------------------------------------------------

    def make_panes(self) -> list[Pane]:
        """Two panels of the plot box's size side by side (not yet shown)."""
        s = self.solution
        width = s.view.unit * (s.view.x_range[1] - s.view.x_range[0])
        height = s.view.unit * (s.view.y_range[1] - s.view.y_range[0])
        gap = SPACE.section
        centre_y = 0.15
        panes = []
        for side in (-1, 1):
            middle = side * (gap + width) / 2
            rect = np.array(
                [
                    middle - width / 2,
                    centre_y - height / 2,
                    middle + width / 2,
                    centre_y + height / 2,
                ]
            )
            pane = Pane(
                rect,
                s.view.box,
                s.zoom_box,
                (s.view.rings, s.zoom_rings),
                self.z,
                self.theme,
                self.axis_names(),
            )
            panes.append(pane)
        return panes

    def rect_mob(self, pane: Pane) -> Mobject:
        left, bottom, right, top = pane.rect
        return Line([left, bottom, 0], [right, top, 0])  # a box of the panel's size

    def zoom_frame(self, pane: Pane) -> VMobject:
        """The zoomed window's outline, drawn in the window of the moment (it grows to the
        panel's edges as the zoom runs)."""
        x0, x1, y0, y1 = self.solution.zoom_box
        outline = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]])
        frame = always_redraw(lambda: pane.curve(outline, self.theme.text, 2.5))
        return frame

    def lens_drawing(self) -> tuple[VGroup, VGroup]:
        """A ring around the L2 optimum at the end, and beside it, in the panel's free space,
        a lens showing that neighbourhood magnified: the axis, the disk's edge, the level set
        touching it, the path and the point, with how many times it magnifies; and the path
        on down to 0 inside the lens (drawn with the panels' tails)."""
        s, t, pane = self.solution, self.theme, self.panes[0]
        lens, end = s.lens, s.l2.points[-1]
        half = self.lens_half
        frame = Square(side_length=2 * half, stroke_color=t.text, stroke_width=2.5)
        frame.set_fill(t.background, 1)
        at = pane.to_scene(end)[0]
        ring = Circle(radius=0.2, color=t.text, stroke_width=3).move_to(at)
        boxes = [
            *pane.shown_ticks(),
            *(box_of(n) for n in pane.names),
            *(box_of(d) for d in pane.points_over_ticks if d.get_fill_opacity() > 0.05),
            *(box_of(m) for m in self.readouts[0]),
            box_of(ring),
        ]
        lines = [dense(pane.to_scene(p)) for p in self.lines_in(pane)]
        lines += [dense(pane.to_scene(p)) for p in clip_polyline(s.l2.tail, tuple(pane.window()))]
        lines += [dense(pane.to_scene(s.l2.points))]
        place_free(
            frame, at, around(-end), boxes, np.vstack(lines), pane.rect, gaps=(0.3, 0.6, 1.0, 1.4)
        )
        x0, x1, y0, y1 = lens.box
        centre = frame.get_center()

        def to_lens(points) -> np.ndarray:
            p = np.atleast_2d(np.asarray(points, dtype=float))
            sx = centre[0] + ((p[:, 0] - x0) / (x1 - x0) - 0.5) * 2 * half
            sy = centre[1] + ((p[:, 1] - y0) / (y1 - y0) - 0.5) * 2 * half
            return np.column_stack([sx, sy, np.zeros(len(p))])

        def inside(points, color, width: float = 3, **style) -> VMobject:
            pieces = clip_polyline(np.asarray(points, dtype=float), tuple(lens.box))
            return polyline([to_lens(piece) for piece in pieces], color, width, **style)

        axis = [[0.0, y0], [0.0, y1]] if lens.near == 0 else [[x0, 0.0], [x1, 0.0]]
        dot = Dot(to_lens(end)[0], radius=0.09, color=t.optimum)
        times = plate(tex(rf"\times {lens.times:.0f}", t.muted, TEXT.note), t, buff=0.03)
        corners = [frame.get_corner(c) for c in (UP + LEFT, UP + RIGHT, DOWN + LEFT, DOWN + RIGHT)]
        far = max(corners, key=lambda c: np.linalg.norm(c[:2] - dot.get_center()[:2]))
        times.move_to(
            far
            - 0.5 * np.sign(far - centre) * np.array([times.width + 0.12, times.height + 0.12, 0])
        )
        link_from = at + 0.2 * (centre - at) / np.linalg.norm(centre - at)
        link_to = (
            centre + (at - centre) * half / np.abs(at - centre)[:2].max()
        )  # where the line from the centre to the point leaves the frame
        drawing = VGroup(
            ring,
            Line(link_from, link_to, color=t.muted, stroke_width=2),
            frame,
            inside(axis, t.muted, 2.5),
            inside(s.l2.touching[-1], t.f, 3),
            inside(s.l2.shapes[-1], t.g, 4),
            inside(s.l2.points, t.optimum, 4, stroke_opacity=0.6),
            dot,
            times,
        )
        self.mark("lens", frame)
        self.mark("lens_dot", dot)
        tail = DashedVMobject(inside(s.l2.tail, t.optimum, 3), num_dashes=8)
        return drawing, VGroup(tail)

    def crossing_ring(self) -> VGroup:
        """A ring where the L2 path crosses an axis (when it does, and it is in view)."""
        s, t, pane = self.solution, self.theme, self.panes[0]
        if s.crossing is None:
            return VGroup()
        w = s.crossing[2]
        if not pane.inside(w):
            return VGroup()
        ring = Circle(radius=0.14, color=t.text, stroke_width=3).move_to(pane.to_scene(w)[0])
        return VGroup(self.mark("crossing", ring))

    def place_free_label(self, label, pane: Pane, anchor, data_point, avoid) -> None:
        """A label (a plate) beside a point of a panel, clear of its dots and lines; a tick
        value under it gives way while it is shown, so it stays beside what it names."""
        boxes = [*(box_of(m) for m in avoid), *(box_of(n) for n in pane.names)]
        boxes += [box_of(d) for d in pane.points_over_ticks if d.get_fill_opacity() > 0.05]
        lines = [dense(pane.to_scene(p)) for p in self.lines_in(pane)]
        outward = data_point if np.linalg.norm(data_point) > 1e-12 else np.array([0.0, 1.0])
        place_free(label, anchor, around(outward), boxes, np.vstack(lines), pane.rect)
        pane.points_over_ticks.append(label[1])

    def lines_in(self, pane: Pane) -> list[np.ndarray]:
        """The data curves of a panel a label should not lie across, now: its shape, the
        level set touching it and the axes."""
        s, i = self.solution, self.now()
        side = s.l2 if pane is self.panes[0] else s.l1
        x0, x1, y0, y1 = pane.window()
        axes = [np.array([[x0, 0.0], [x1, 0.0]]), np.array([[0.0, y0], [0.0, y1]])]
        pieces = []
        for curve in (side.shapes[i], side.touching[i], *axes):
            pieces += clip_polyline(curve, tuple(pane.window()))
        return pieces

    def panel_drawing(self, side: str, pane: Pane, panel: Side) -> list[Mobject]:
        """The shape, the level set touching it, the optimum's trail and dot, ŵ and its
        label; its readout under the panel."""
        s, t, now = self.solution, self.theme, self.now
        shape = always_redraw(lambda: pane.curve(panel.shapes[now()], t.g, 4))
        touching = always_redraw(lambda: pane.curve(panel.touching[now()], t.f, 3))
        trail = always_redraw(
            lambda: pane.curve(panel.points[: now() + 1], t.optimum, 4, stroke_opacity=0.6)
        )
        dot = always_redraw(lambda: pane.dot(panel.points[now()], t.optimum, 0.09))
        hat = always_redraw(lambda: pane.dot(s.view.center, t.f, 0.075))
        hat_label = plate(tex(r"\hat w", t.f, TEXT.body), t)

        def place_hat(m):
            if not pane.inside(s.view.center):
                m.set_opacity(0)
                return
            m.set_opacity(1)
            at = pane.to_scene(s.view.center)[0]
            boxes = [
                *pane.shown_ticks(),
                box_of(dot),
                box_of(hat),
                *(box_of(n) for n in pane.names),
            ]
            lines = np.vstack([dense(pane.to_scene(p)) for p in self.lines_in(pane)])
            place_free(m, at, around(s.view.center), boxes, lines, pane.rect)

        hat_label.add_updater(place_hat)
        place_hat(hat_label)
        pane.points_over_ticks += [dot, hat]
        pane.paths_over_ticks.append(lambda: panel.points[: now() + 1])
        pane.place_labels()  # a tick value under the new dots gives way at once
        readout = self.coordinate_readout(pane, panel.points)
        self.readouts.append(readout)
        self.mark(f"{side}_dot", dot)
        self.mark(f"{side}_hat", hat)
        self.mark(f"{side}_readout", readout)
        return [shape, touching, trail, hat, dot, hat_label]

    def coordinate_readout(self, pane: Pane, points: np.ndarray) -> VGroup:
        """w* = (w₁, w₂) under a panel; a coordinate that is exactly 0 gets a box. The comma
        and the closing bracket sit on the digits' baseline (set with a hidden digit)."""
        t, now = self.theme, self.now
        size = TEXT.body
        label = tex(r"w^* = (", t.optimum, size)
        first = place_after(Readout(points[0][0], 2, t.optimum, size), label, buff=0.1)
        second = Readout(points[0][1], 2, t.optimum, size)
        comma, close = tex(",", t.optimum, size), tex(")", t.optimum, size)
        drops = []  # how far below a digit's foot TeX sets each (measured once, typeset)
        for mark in (",", ")"):
            pair = MathTex("0", mark, font_size=size)
            drops.append(float(pair[0].get_bottom()[1] - pair[1].get_bottom()[1]))

        def rounded(x: float) -> float:
            return float(fixed(x, 2))

        def set_row(_):  # the comma and ")" follow the numbers; a boxed number gets room
            w = points[now()]
            room = [SPACE.tight if x == 0.0 else 0.05 for x in w]
            first.set_value(rounded(w[0]))
            digits = VGroup(*first.submobjects[1:])
            foot = digits.get_bottom()[1]
            comma.next_to(first, RIGHT, buff=room[0])
            comma.shift((foot - drops[0] - comma.get_bottom()[1]) * UP)
            second.set_value(rounded(w[1]))
            second.next_to(comma, RIGHT, buff=0.18).align_to(first, DOWN)
            close.next_to(second, RIGHT, buff=room[1])
            close.shift((foot - drops[1] - close.get_bottom()[1]) * UP)

        row = VGroup(label, first, comma, second, close)
        row.add_updater(set_row)
        set_row(row)
        left, bottom, right, _ = pane.rect
        row.next_to([(left + right) / 2, bottom, 0], DOWN, buff=SPACE.item)

        def box(number, j):
            def draw():
                rect = SurroundingRectangle(number, color=t.text, buff=0.05, stroke_width=3)
                return rect.set_stroke(opacity=1.0 if points[now()][j] == 0.0 else 0.0)

            return always_redraw(draw)

        return VGroup(row, box(first, 0), box(second, 1))
