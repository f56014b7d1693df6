"""Drawing helpers for the planar scenes: equal-scale axes, mathcore curves as Manim paths,
level sets, markers and arrows. They only map numbers to pixels; the numbers come from
mathcore."""

from __future__ import annotations

import itertools
import math
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import (
    DL,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Arrow,
    Axes,
    BackgroundRectangle,
    Dot,
    Line,
    MathTex,
    Mobject,
    VGroup,
    VMobject,
    config,
)

import mathcore as mc
from narration import short_name
from scenes.base import RidgeScene, bounding_box
from scenes.readout import Readout
from scenes.theme import SPACE, TEXT, Theme


def equal_axes(
    x_range: Sequence[float],
    y_range: Sequence[float],
    unit: float,
    theme: Theme,
    labels: tuple[str, str] = ("w_1", "w_2"),
) -> Axes:
    """Axes over x_range × y_range with `unit` scene units per data unit on both axes (so
    circles stay circles), with small axis labels."""
    span = max(x_range[1] - x_range[0], y_range[1] - y_range[0])
    step = 10.0 ** math.floor(math.log10(span / 2))  # 1 for the usual 2–20 wide windows
    axes = Axes(
        x_range=[*x_range, step],
        y_range=[*y_range, step],
        x_length=(x_range[1] - x_range[0]) * unit,
        y_length=(y_range[1] - y_range[0]) * unit,
        tips=False,
        axis_config={
            "color": theme.muted,
            "stroke_width": 2,
            "include_ticks": True,
            "tick_size": 0.05,
        },
    )
    x_label = MathTex(labels[0], font_size=TEXT.body, color=theme.muted)
    y_label = MathTex(labels[1], font_size=TEXT.body, color=theme.muted)
    x_label.next_to(axes.x_axis.get_end(), UP + LEFT, buff=0.12)
    y_label.next_to(axes.y_axis.get_end(), DOWN + RIGHT, buff=0.12)
    names = VGroup(plate(x_label, theme), plate(y_label, theme))
    numbers = axis_numbers(axes, x_range, y_range, step, theme)
    axes.add(names, numbers)
    axes.labels = [*names, *numbers]  # texts placed on the plot, for others to keep clear of
    return axes


def axis_numbers(axes: Axes, x_range, y_range, step: float, theme: Theme) -> VGroup:
    """The tick values (every `step`, not 0, not at the window's edges), each on a plate:
    below the w₁ axis and left of the w₂ axis."""
    numbers = VGroup()
    for lo, hi, axis in ((*x_range, 0), (*y_range, 1)):
        for k in range(math.ceil(lo / step + 0.4), math.floor(hi / step - 0.4) + 1):
            if k == 0:
                continue
            value = tick(f"{k * step:g}", theme)
            at = axes.c2p(k * step, 0) if axis == 0 else axes.c2p(0, k * step)
            value.next_to(at, DOWN if axis == 0 else LEFT, buff=0.08)
            numbers.add(plate(value, theme, buff=0.03))
    return numbers


def graph_axes(
    x_max: float, y_max: float, size: tuple[float, float], theme: Theme, y_step: float | None = None
) -> Axes:
    """Small axes for a graph beside the plane, from 0 to (x_max, y_max), ticks on x every 1
    and on y every `y_step` (None: no ticks)."""
    return Axes(
        x_range=[0, x_max, 1],
        y_range=[0, y_max, y_step or y_max],
        x_length=size[0],
        y_length=size[1],
        tips=False,
        axis_config={
            "color": theme.muted,
            "stroke_width": 2,
            "include_ticks": y_step is not None,
            "tick_size": 0.04,
        },
    )


def nice_step(span: float, ticks: int = 4) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` ticks."""
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return power * min((m for m in (1, 2, 2.5, 5, 10) if m * power >= raw), default=10)


def nice_ticks(lo: float, hi: float, ticks: int = 4) -> list[tuple[float, str]]:
    """(value, TeX) at every `nice_step` strictly inside (lo, hi), 0 left out (the axes
    cross there), each printed with the decimals its step needs."""
    step = nice_step(hi - lo, ticks)
    decimals = len(f"{step:.10f}".rstrip("0").partition(".")[2])  # those of the step
    first, last = math.ceil(lo / step + 1e-9), math.floor(hi / step - 1e-9)
    out = []
    for n in range(first, last + 1):
        if n != 0:
            value = n * step
            out.append((value, f"{value:.{decimals}f}"))
    return out


def valued_axes(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    size: tuple[float, float],
    theme: Theme,
    x_ticks: Sequence[tuple[float, str]] | None = None,
    y_ticks: Sequence[tuple[float, str]] | None = None,
    names: tuple[str, str] = ("", ""),
    x_tick_gap: float = 0.1,
) -> Axes:
    """Axes for a plot beside the plane: data x_range × y_range in `size` scene units, tick
    marks with plated numbers at `x_ticks` / `y_ticks` ((data value, TeX) pairs; None: round
    values, `nice_ticks`), below the x axis (`x_tick_gap` under it: more where a point rides
    on the axis) and left of the y axis, and the axes' TeX names
    (x at the right end, y above the top). A log axis is data log10(value) with ticks such as
    (−2, "10^{-2}"). `axes.labels` lists every text on them, for labels to keep clear of."""
    axes = Axes(
        x_range=[*x_range, x_range[1] - x_range[0]],
        y_range=[*y_range, y_range[1] - y_range[0]],
        x_length=size[0],
        y_length=size[1],
        tips=False,
        axis_config={"color": theme.muted, "stroke_width": 2, "include_ticks": False},
    )
    x_ticks = nice_ticks(*x_range) if x_ticks is None else x_ticks
    y_ticks = nice_ticks(*y_range) if y_ticks is None else y_ticks
    base_x, base_y = (
        max(y_range[0], 0.0) if y_range[0] <= 0 <= y_range[1] else y_range[0],
        (max(x_range[0], 0.0) if x_range[0] <= 0 <= x_range[1] else x_range[0]),
    )
    marks, numbers = VGroup(), VGroup()
    for value, label in x_ticks:
        at = axes.c2p(value, base_x)
        marks.add(Line(at + 0.05 * UP, at + 0.05 * DOWN).set_stroke(theme.muted, 2))
        number = tick(label, theme).next_to(at, DOWN, buff=x_tick_gap)
        numbers.add(plate(number, theme, buff=0.03))
    for value, label in y_ticks:
        at = axes.c2p(base_y, value)
        marks.add(Line(at + 0.05 * LEFT, at + 0.05 * RIGHT).set_stroke(theme.muted, 2))
        number = tick(label, theme).next_to(at, LEFT, buff=0.1)
        numbers.add(plate(number, theme, buff=0.03))
    named = VGroup()
    if names[0]:
        x_name = plate(tex(names[0], theme.muted, TEXT.body), theme)
        named.add(x_name.next_to(axes.x_axis.get_end(), RIGHT, buff=0.1))
    if names[1]:
        y_name = plate(tex(names[1], theme.muted, TEXT.body), theme)
        named.add(y_name.next_to(axes.y_axis.get_end(), UP, buff=0.1))
    axes.add(marks, numbers, named)
    axes.labels = [*numbers, *named]
    return axes


def thin_ticks(axes: Axes) -> None:
    """Drop a plane's tick values (`equal_axes`) that would touch their neighbours (a wide
    window at a small scale): on each axis keep the values at every 1st, 2nd, 5th or 10th
    step, the fewest drops that leave a gap between every two kept."""
    numbers = axes.labels[2:]  # after the axes' two names
    values = [float(n[1].tex_string.replace("−", "-")) for n in numbers]
    on_x = [
        abs(n.get_center()[0] - axes.c2p(v, 0)[0]) < abs(n.get_center()[1] - axes.c2p(0, v)[1])
        for n, v in zip(numbers, values, strict=True)
    ]
    dropped = []
    for axis in (True, False):
        ticks = sorted(
            ((v, n) for v, n, x in zip(values, numbers, on_x, strict=True) if x == axis),
            key=lambda pair: pair[0],
        )
        if len(ticks) < 2:
            continue
        step = min(b[0] - a[0] for a, b in itertools.pairwise(ticks))
        for every in (1, 2, 5, 10):
            kept = [(v, n) for v, n in ticks if round(v / step) % every == 0]
            if all(
                (
                    b[1].get_left()[0] - a[1].get_right()[0]
                    if axis
                    else b[1].get_bottom()[1] - a[1].get_top()[1]
                )
                > SPACE.tight
                for a, b in itertools.pairwise(kept)
            ):
                break
        dropped += [n for _, n in ticks if all(n is not k for _, k in kept)]
    drop_ticks(axes, dropped)


def drop_ticks(axes: Axes, dropped: Sequence[Mobject]) -> None:
    """Take tick values (plates of `axes.labels`) off the axes and out of its labels."""
    for plate_ in dropped:
        for group in axes.submobjects:
            if plate_ in group.submobjects:
                group.remove(plate_)
    axes.labels = [n for n in axes.labels if all(n is not d for d in dropped)]


def to_scene(axes: Axes, points) -> np.ndarray:
    """Data points (N, 2) → scene points (N, 3) (axes.c2p reads a 2×2 array ambiguously)."""
    points = np.atleast_2d(np.asarray(points, dtype=float))
    origin = axes.c2p(0, 0)
    return (
        origin
        + np.outer(points[:, 0], axes.c2p(1, 0) - origin)
        + np.outer(points[:, 1], axes.c2p(0, 1) - origin)
    )


Box = tuple[float, float, float, float]
"""A data-space rectangle (xmin, xmax, ymin, ymax): the plot's window, curves are clipped to it."""


def clip_polyline(points: np.ndarray, box: Box) -> list[np.ndarray]:
    """The pieces of a polyline inside `box` (Liang–Barsky on every segment at once)."""
    p = np.asarray(points, dtype=float)
    a, d = p[:-1], p[1:] - p[:-1]
    lo, hi = np.zeros(len(a)), np.ones(len(a))
    keep = np.ones(len(a), dtype=bool)
    for delta, dist in (
        (-d[:, 0], a[:, 0] - box[0]),
        (d[:, 0], box[1] - a[:, 0]),
        (-d[:, 1], a[:, 1] - box[2]),
        (d[:, 1], box[3] - a[:, 1]),
    ):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = dist / delta
        lo = np.where(delta < 0, np.maximum(lo, t), lo)
        hi = np.where(delta > 0, np.minimum(hi, t), hi)
        keep &= ~((delta == 0) & (dist < 0))
    keep &= lo <= hi
    pieces: list[list[np.ndarray]] = []
    joined = False  # whether the previous kept segment ran on to its end point
    for i in np.flatnonzero(keep):
        start, end = a[i] + lo[i] * d[i], a[i] + hi[i] * d[i]
        if joined and lo[i] == 0 and keep[i - 1]:
            pieces[-1].append(end)
        else:
            pieces.append([start, end])
        joined = hi[i] == 1
    return [np.array(piece) for piece in pieces]


def clip_polygon(points: np.ndarray, box: Box) -> np.ndarray:
    """polygon ∩ box (Sutherland–Hodgman against the four sides, each pass vectorised);
    may be empty."""
    poly = np.asarray(points, dtype=float)
    for axis, bound, sign in ((0, box[0], 1), (0, box[1], -1), (1, box[2], 1), (1, box[3], -1)):
        if len(poly) == 0:
            break
        prev = np.roll(poly, 1, axis=0)
        cur_in = sign * (poly[:, axis] - bound) >= 0
        prev_in = sign * (prev[:, axis] - bound) >= 0
        crossing = cur_in != prev_in
        with np.errstate(divide="ignore", invalid="ignore"):  # unused where not crossing
            t = (bound - prev[:, axis]) / (poly[:, axis] - prev[:, axis])
            meet = prev + t[:, None] * (poly - prev)
        # vertex k emits the crossing into it (if any), then itself (if inside)
        slots = np.stack([meet, poly], axis=1).reshape(-1, 2)
        poly = slots[np.stack([crossing, cur_in], axis=1).reshape(-1)]
    return poly


def curve(
    axes: Axes, points: np.ndarray, color, width: float = 3, box: Box | None = None, **style
) -> VMobject:
    """A path through mathcore points (N, 2), clipped to `box` (possibly in several pieces)."""
    pieces = clip_polyline(points, box) if box is not None else [np.asarray(points)]
    return polyline([to_scene(axes, piece) for piece in pieces], color, width, **style)


def polyline(pieces: Sequence[np.ndarray], color, width: float = 3, **style) -> VMobject:
    """One path through pieces of scene points (each (N, 3)), a gap between pieces; pieces
    of fewer than two points are left out."""
    path = VMobject(stroke_color=color, stroke_width=width, **style)
    for corners in pieces:
        if len(corners) < 2:
            continue
        if path.has_no_points():
            path.set_points_as_corners(corners)
        else:
            path.start_new_path(corners[0])
            path.add_points_as_corners(corners[1:])
    return path


def level_sets(axes: Axes, ellipses: Sequence[np.ndarray], theme: Theme, box: Box) -> VGroup:
    """Nested level sets (closed point arrays, innermost first), drawn outermost first and
    clipped to `box`: filled faintly so the bowl deepens towards c, stroked in the f colour
    fading outwards."""
    rings = VGroup()
    n = len(ellipses)
    for i, points in reversed(list(enumerate(ellipses))):
        inside = clip_polygon(points[:-1], box)
        fill = VMobject(stroke_width=0).set_fill(theme.f, opacity=theme.ring_fill)
        if len(inside) >= 3:
            fill.set_points_as_corners(to_scene(axes, np.vstack([inside, inside[:1]])))
        color = theme.level_color(i / max(n - 1, 1))
        rings.add(VGroup(fill, curve(axes, points, color, width=2.2, box=box)))
    return rings


def ring_beside(loss: mc.QuadraticLoss, rings: Sequence[np.ndarray], w) -> int | None:
    """The level set among `rings` (as `PlaneScene.view` draws them: evenly spaced in
    'radius' √(f − f_min), innermost first) that runs beside the one through w, within a
    third of their spacing, where the two would read as one doubled line; None when none is
    that close."""
    radius = math.sqrt(max(float(loss.value(w)) - loss.f_min, 0.0))
    radii = np.sqrt(np.maximum(loss.value(np.array([r[0] for r in rings])) - loss.f_min, 0.0))
    i = int(np.argmin(np.abs(radii - radius)))
    return i if abs(radii[i] - radius) < radii[-1] / len(radii) / 3 else None


def plate(mob: Mobject, theme: Theme, buff: float = 0.06) -> VGroup:
    """`mob` on a plate of the background colour, so that it keeps its contrast over level
    sets and lines (move the returned group, not `mob`)."""
    back = BackgroundRectangle(mob, color=theme.background, fill_opacity=1.0, buff=buff)
    return VGroup(back.set_stroke(width=0), mob)


COMPASS = np.array([[np.cos(a), np.sin(a)] for a in np.linspace(0, 2 * np.pi, 16, endpoint=False)])


def free_direction(avoid: np.ndarray) -> np.ndarray:
    """The unit direction (of 16) farthest in angle from every direction in `avoid` (rows,
    any length; zero rows are ignored): where a label beside a point crosses nothing."""
    avoid = np.asarray(avoid, dtype=float).reshape(-1, 2)
    norms = np.linalg.norm(avoid, axis=1)
    units = avoid[norms > 1e-12] / norms[norms > 1e-12, None]
    if len(units) == 0:
        return COMPASS[4]
    closeness = (COMPASS @ units.T).max(axis=1)  # cosine to the nearest thing to avoid
    return COMPASS[int(np.argmin(closeness))]


def _shown(mob: Mobject) -> bool:
    """Whether any part of `mob` is drawn (has points and is not fully transparent)."""
    return any(
        m.get_fill_opacity() > 0.05 or m.get_stroke_opacity() > 0.05
        for m in mob.family_members_with_points()
    )


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def place_clear(
    mob: Mobject,
    anchor: np.ndarray,
    directions: Sequence[np.ndarray],
    obstacles: Sequence[Mobject] = (),
    bounds: Mobject | None = None,
    gap: float = 0.1,
) -> Mobject:
    """Put `mob` beside the scene point `anchor`, `gap` away, on the first side in
    `directions` (2-D unit vectors, in order of preference) where it overlaps none of the
    `obstacles` and stays inside `bounds` (a mobject's box); if no side is clear, on the one
    where it overlaps least."""
    w, h = mob.width, mob.height
    limit = bounding_box(bounds) if bounds is not None else None
    boxes = [bounding_box(o) for o in obstacles if o is not mob and _shown(o)]
    best, best_cost = None, np.inf
    for d in directions:
        d = np.asarray(d, dtype=float)[:2]
        reach = 0.5 * abs(d[0]) * w + 0.5 * abs(d[1]) * h
        center = np.asarray(anchor, dtype=float)[:2] + d * (reach + gap)
        box = np.array([center[0] - w / 2, center[1] - h / 2, center[0] + w / 2, center[1] + h / 2])
        cost = sum(_overlap(box, other) for other in boxes)
        if limit is not None:
            inside = _overlap(box, limit)
            cost += 10.0 * (w * h - inside)
        if cost < best_cost - 1e-12:
            best, best_cost = center, cost
            if cost <= 1e-12:
                break
    return mob.move_to([*best, 0.0])


def around(preferred: np.ndarray) -> list[np.ndarray]:
    """The 16 compass directions, the nearest to `preferred` (a 2-D direction) first."""
    p = np.asarray(preferred, dtype=float)[:2]
    p = p / max(np.linalg.norm(p), 1e-12)
    return sorted(COMPASS, key=lambda d: -float(d @ p))


def label_beyond(
    label: Mobject,
    arrow_mob: Arrow,
    obstacles: Sequence[Mobject] = (),
    bounds: Mobject | None = None,
    gap: float = 0.12,
):
    """Keep `label` just past the tip of `arrow_mob`, along the arrow if that side is clear
    of `obstacles` and inside `bounds`, else on the nearest side that is (an updater)."""

    def place(m):
        start, end = arrow_mob.get_start(), arrow_mob.get_end()
        place_clear(m, end, around((end - start)[:2]), obstacles, bounds, gap)

    return label.add_updater(place)


def marker(axes: Axes, w, color, radius: float = 0.075) -> Dot:
    return Dot(axes.c2p(*w), radius=radius, color=color)


def arrow(axes: Axes, start, vector, color, width: float = 5) -> Arrow:
    """An arrow from the data point `start` along the data vector `vector`."""
    start = np.asarray(start, dtype=float)
    return Arrow(
        axes.c2p(*start),
        axes.c2p(*(start + np.asarray(vector))),
        buff=0,
        color=color,
        stroke_width=width,
        max_tip_length_to_length_ratio=0.3,
        max_stroke_width_to_length_ratio=8,
        tip_length=0.2,
    )


TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "_": r"\_",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "$": r"\$",
    "{": r"\{",
    "}": r"\}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "…": r"\ldots{}",  # short_name's cut
}
TEX_SAFE_SYMBOLS = set("€£¥°²³µ×·±§")
"""Characters beyond Latin that LaTeX sets in \\text{} here (with its UTF-8 input)."""


def tex_escape(text: str) -> str:
    """Plain text safe inside TeX's \\text{}: its special characters escaped, and any
    character LaTeX cannot set here (beyond the Latin alphabets and a few symbols) as '?'."""
    out = []
    for char in text:
        if char in TEX_SPECIAL:
            out.append(TEX_SPECIAL[char])
        elif (ord(char) < 0x250 and char.isprintable()) or char in TEX_SAFE_SYMBOLS:
            out.append(char)
        else:
            out.append("?")
    return "".join(out)


class Maths(str):
    """A field of `words_tex` set as maths among the words: a symbol or a formula."""


class InWords(str):
    """A field of `words_tex` set inside the words as it is (TeX for text mode already, such
    as a number with its unit: 12.3\\,\\%)."""


RAW = "\x00"  # brackets an InWords field among the words until they are escaped


def words_tex(template: str, **fields: Any) -> str:
    """Words from a script's [words] as MathTex source: the words in \\text{} (escaped),
    each `{name}` field filled from `fields`, a `Maths` value set as maths between the words
    (`"{w} shrinks along {q}"`), an `InWords` value as it is, any other value formatted
    into the words (`"after {n} rounds"`). A translation moves the fields where its language
    wants them."""
    out, words = [], []

    def flush() -> None:
        if "".join(words):
            escaped = "".join(
                tex_escape(p) if i % 2 == 0 else p for i, p in enumerate("".join(words).split(RAW))
            )
            out.append(r"\text{" + escaped + "}")
        words.clear()

    for text, name, spec, _ in string.Formatter().parse(template):
        words.append(text)
        if name is None:
            continue
        if name not in fields:
            raise KeyError(f"{template!r}: no field {name!r}")
        value = fields[name]
        if isinstance(value, Maths):
            flush()
            out.append(str(value))
        elif isinstance(value, InWords):
            words.append(RAW + value + RAW)
        else:
            words.append(format(value, spec or ""))
    flush()
    return "".join(out)


def tex(source: str, color, size: float = TEXT.title, **kwargs) -> MathTex:
    return MathTex(source, color=color, font_size=size, **kwargs)


def tick(source: str, theme: Theme) -> MathTex:
    """A value on an axis (the layout check holds ticks to their own minimum size)."""
    value = tex(source, theme.muted, TEXT.note)
    value.is_tick = True
    return value


def fit_window(
    x_range: Sequence[float],
    y_range: Sequence[float],
    points: np.ndarray,
    box: tuple[float, float],
    pad: float = 0.06,
    reference: float = 2.5,
) -> tuple[tuple[float, float], tuple[float, float], float]:
    """The default window (drawn for points about `reference` from the origin, and scaled
    down with smaller problems) grown to show `points` with `pad` of their span to spare,
    then widened along one axis to the aspect of `box` (scene units, width × height).
    Returns (x_range, y_range, unit): `unit` scene units per data unit."""
    points = np.asarray(points, dtype=float)
    scale = min(1.0, max(float(np.abs(points).max()), 1e-9) / reference)
    margin = pad * float(np.ptp(points, axis=0).max())
    lo = np.minimum(scale * np.array([x_range[0], y_range[0]]), points.min(axis=0) - margin)
    hi = np.maximum(scale * np.array([x_range[1], y_range[1]]), points.max(axis=0) + margin)
    span = hi - lo
    unit = min(box[0] / span[0], box[1] / span[1])
    grow = np.array(box) / unit - span  # extra room, split evenly on both sides
    lo, hi = lo - grow / 2, hi + grow / 2
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1])), float(unit)


@dataclass(frozen=True)
class View:
    """Where a planar scene's plot sits and what it shows first: the data window, scene units
    per data unit, c, and f's level sets as closed polylines (innermost first, evenly spaced
    out to the window's far corner)."""

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    unit: float
    center: np.ndarray
    rings: tuple[np.ndarray, ...]

    @property
    def box(self) -> Box:
        return (*self.x_range, *self.y_range)


class Panel:
    """A column of text blocks: each left-aligned at `left`, the first at the frame's top
    edge, each next one a gap from SPACE under the block it follows."""

    def __init__(self, left: float, top: float = config.frame_height / 2 - 0.5):
        self.left, self.top = left, top
        self.last: Mobject | None = None

    TOP = Mobject()  # `below=Panel.TOP`: at the top of the panel

    def stack(self, mob: Mobject, below: Mobject | None = None, gap: float = SPACE.item):
        """Place `mob` `gap` under `below` (default: the last block stacked; none yet, or
        Panel.TOP: at the top) and make it the last block."""
        below = below if below is not None else self.last
        if below is None or below is Panel.TOP:
            mob.move_to([0, self.top - mob.height / 2, 0])
        else:
            mob.next_to(below, DOWN, buff=gap)
        mob.align_to([self.left, 0, 0], LEFT)
        self.last = mob
        return mob

    @property
    def width(self) -> float:
        """Room from `left` to the frame's right edge (less the edge gap)."""
        return config.frame_width / 2 - SPACE.edge - self.left


class Plane:
    """One (w₁, w₂) plot: equal-scale axes over a view, its level sets clipped to the window,
    and c marked. Build it, then move `group` into place before drawing more on `axes`."""

    def __init__(self, view: View, theme: Theme, center_tex: str, axis_labels: tuple[str, str]):
        self.theme = theme
        self.axes = equal_axes(view.x_range, view.y_range, view.unit, theme, axis_labels)
        self.box = view.box
        self.ellipses = view.rings
        self.rings = level_sets(self.axes, view.rings, theme, self.box)
        self.center_dot = marker(self.axes, view.center, theme.f)
        self.center_label = plate(tex(center_tex, theme.f, TEXT.body), theme)
        self.center_label.next_to(self.center_dot, UP, buff=0.06)
        self.group = VGroup(self.axes, self.rings, self.center_dot, self.center_label)
        self.labels = [*self.axes.labels, self.center_label]  # what other labels keep clear of

    def ring_stroke(self, i: int) -> Mobject:
        """The stroke of the drawn level set number i (innermost first)."""
        return self.rings[len(self.rings) - 1 - i][1]  # drawn outermost first: (fill, stroke)

    def curve(self, points: np.ndarray, color, width: float = 3, **style) -> VMobject:
        """A curve (data points) on this plot, clipped to its window."""
        return curve(self.axes, points, color, width, box=self.box, **style)

    def dot(self, w, color, radius: float = 0.075) -> Dot:
        return marker(self.axes, w, color, radius)


class PlaneScene(RidgeScene):
    """A scene with the (w₁, w₂) plane on the left, f's level sets clipped to it, c marked,
    and a text panel on the right; or, with `build_plane`, several planes."""

    x_range = (-1.75, 3.25)  # the default window, grown to fit what must be visible
    y_range = (-1.5, 3.0)
    plot_box = (8.0, 7.2)  # scene units available for the plot
    ring_count = 12
    center_tex = r"\hat w"
    axis_labels = ("w_1", "w_2")

    @classmethod
    def view(cls, loss: mc.QuadraticLoss, visible: np.ndarray, plot_box=None, rings=None) -> View:
        """The default window grown to show `visible` points (and c and the origin), scaled
        to fill `plot_box` (scene units; default the class's), with `ring_count` level sets
        of `loss` out to the window's far corner (or the closed polylines `rings`)."""
        points = np.vstack([visible, loss.center, (0.0, 0.0)])
        box = plot_box or cls.plot_box
        x_range, y_range, unit = fit_window(cls.x_range, cls.y_range, points, box)
        if rings is None:
            corners = [(x, y) for x in x_range for y in y_range]
            farthest = max(corners, key=loss.value)  # rings reach the window's far corner
            levels = mc.level_values(loss, farthest, cls.ring_count)
            rings = [mc.level_set(loss, level) for level in levels]
        return View(x_range, y_range, unit, loss.center.copy(), tuple(rings))

    def axis_names(self) -> tuple[str, str]:
        """The axes' TeX names: w₁, w₂, or w with the data's column names (`params.names`)."""
        letter = self.axis_labels[0].split("_")[0]
        names = self.params.names or ("1", "2")
        return tuple(
            f"{letter}_{n}"
            if n in ("1", "2")
            else rf"{letter}_{{\text{{{tex_escape(short_name(n))}}}}}"
            for n in names
        )

    def build_plane(self, view: View) -> Plane:
        return Plane(view, self.theme, self.center_tex, self.axis_names())

    def data_line(self):
        """The line saying where the data came from (None without --data), bottom right."""
        if not self.params.data_note:
            return None
        note = tex(r"\text{" + tex_escape(self.params.data_note) + "}", self.theme.text, TEXT.note)
        return note.to_corner(DOWN + RIGHT, buff=0.15)

    def side_by_side(self, view: View, height: float) -> list[Plane]:
        """Two identical plots next to each other, centred at `height` (not yet shown)."""
        planes = [self.build_plane(view) for _ in range(2)]
        VGroup(*(p.group for p in planes)).arrange(RIGHT, buff=0.6).move_to(height * UP)
        return planes

    def in_panel(self, mob, below=None, buff: float = SPACE.item):
        """Place `mob` in the text panel right of the plot (see `Panel.stack`)."""
        return self.panel.stack(mob, Panel.TOP if below is None else below, buff)

    def make_plane(self, view: View) -> None:
        """The single plot at the left edge, with its parts as attributes (not yet shown),
        and the text panel right of it (`panel`)."""
        self.plane = p = self.build_plane(view)
        p.group.to_edge(LEFT, buff=SPACE.edge)
        self.panel = Panel(float(p.axes.get_right()[0]) + 0.6)
        self.axes, self.box, self.rings = p.axes, p.box, p.rings
        self.center_dot, self.center_label = p.center_dot, p.center_label

    def clipped(self, points: np.ndarray) -> np.ndarray:
        """The points of a curve inside the plot's window (for label placement only)."""
        x0, x1, y0, y1 = self.box
        inside = (
            (points[:, 0] >= x0)
            & (points[:, 0] <= x1)
            & (points[:, 1] >= y0)
            & (points[:, 1] <= y1)
        )
        return points[inside] if inside.sum() >= 2 else points[:1]

    def show_plane(self, *extra) -> None:
        """Put the plot and `extra` on screen at once: the first frame shows the problem
        (and, with --data, where it came from)."""
        note = self.data_line()
        self.add(self.plane.group, *extra, *([note] if note is not None else []))


def place_after(number: Readout, label: MathTex, buff: float = 0.15) -> Readout:
    """Put a Readout right after a label ending in "=", digits centred on the "=" sign."""
    number.next_to(label, RIGHT, buff=buff)
    digits = VGroup(*number.submobjects[1:])
    number.shift((label[0][-1].get_center()[1] - digits.get_center()[1]) * UP)
    return number


def readout_rows(rows, now, decimals: int, size: float = TEXT.label) -> VGroup:
    """Label–number rows, each number following its samples: rows are (label ending in "=",
    samples, colour) and `now()` the index of the sample to show."""
    group = VGroup()
    for label, values, colour in rows:
        name = tex(label, colour, size)
        number = place_after(Readout(values[0], decimals, colour, size), name)
        number.add_updater(lambda m, values=values: m.set_value(values[now()]))
        group.add(VGroup(name, number))
    return group


# --- placing labels by rule ----------------------------------------------------------------------


def box_of(mob: Mobject) -> np.ndarray:
    """(left, bottom, right, top) of a mobject, in scene units."""
    return np.array([*mob.get_corner(DL)[:2], *mob.get_corner(UR)[:2]])


def dense(points: np.ndarray, step: float = 0.05) -> np.ndarray:
    """A polyline (scene points, (N, 2 or 3)) resampled so that no two neighbours are more
    than `step` apart: a line a label must not cross, as points a box can be tested against."""
    p = np.asarray(points, dtype=float)[:, :2]
    if len(p) < 2:
        return p
    pieces = [p[:1]]
    for a, b in itertools.pairwise(p):
        n = max(1, math.ceil(float(np.linalg.norm(b - a)) / step))
        pieces.append(a + np.outer(np.arange(1, n + 1) / n, b - a))
    return np.vstack(pieces)


def segment_points(start, end, step: float = 0.05) -> np.ndarray:
    """Points along a straight segment (scene points): an arrow's shaft, for `place_free`."""
    return dense(np.array([np.asarray(start)[:2], np.asarray(end)[:2]]), step)


def place_free(
    mob: Mobject,
    anchor,
    directions: Sequence[np.ndarray],
    boxes: Sequence[np.ndarray] = (),
    points: np.ndarray | None = None,
    bounds: np.ndarray | None = None,
    gaps: Sequence[float] = (SPACE.tight, SPACE.item, SPACE.section),
    margin: float = 0.06,
    line_margin: float = 0.03,
) -> Mobject:
    """Put `mob` beside the scene point `anchor`: at the nearest gap, and the first direction
    (2-D unit vectors, in order of preference), where its box overlaps none of `boxes`
    ((left, bottom, right, top) arrays: labels, points, arrowheads), covers none of `points`
    (lines it must not lie across: curves and shafts, as from `dense`, kept `line_margin`
    away: more for thick lines), keeps `margin` from every box, and stays inside
    `bounds`; nudged out along the same directions when the nearest ring is crowded, and where
    it costs least when nothing is clear (leaving the bounds costs most, then covering a box,
    then crossing a line)."""
    w, h = mob.width, mob.height
    at = np.asarray(anchor, dtype=float)[:2]
    dirs = np.array([np.asarray(d, dtype=float)[:2] for d in directions])
    blocked = np.array(boxes, dtype=float).reshape(-1, 4) + margin * np.array([-1, -1, 1, 1])
    pts = np.zeros((0, 2)) if points is None else np.asarray(points, dtype=float)[:, :2]
    best, best_cost = None, np.inf
    for ring, gap in enumerate(gaps):
        reach = 0.5 * np.abs(dirs[:, 0]) * w + 0.5 * np.abs(dirs[:, 1]) * h
        centres = at + dirs * (reach + gap)[:, None]
        cand = np.column_stack(
            [
                centres[:, 0] - w / 2,
                centres[:, 1] - h / 2,
                centres[:, 0] + w / 2,
                centres[:, 1] + h / 2,
            ]
        )
        cost = np.zeros(len(cand))
        if len(blocked):
            ox = np.minimum(cand[:, None, 2], blocked[None, :, 2]) - np.maximum(
                cand[:, None, 0], blocked[None, :, 0]
            )
            oy = np.minimum(cand[:, None, 3], blocked[None, :, 3]) - np.maximum(
                cand[:, None, 1], blocked[None, :, 1]
            )
            cost += 100.0 * (np.clip(ox, 0, None) * np.clip(oy, 0, None)).sum(axis=1)
        if len(pts):
            m = line_margin
            inside = (
                (pts[None, :, 0] > cand[:, None, 0] - m)
                & (pts[None, :, 0] < cand[:, None, 2] + m)
                & (pts[None, :, 1] > cand[:, None, 1] - m)
                & (pts[None, :, 1] < cand[:, None, 3] + m)
            )
            cost += 0.01 * inside.sum(axis=1)
        if bounds is not None:
            ox = np.clip(
                np.minimum(cand[:, 2], bounds[2]) - np.maximum(cand[:, 0], bounds[0]), 0, None
            )
            oy = np.clip(
                np.minimum(cand[:, 3], bounds[3]) - np.maximum(cand[:, 1], bounds[1]), 0, None
            )
            cost += 1000.0 * (w * h - ox * oy)
        clear = np.flatnonzero(cost <= 1e-12)
        if len(clear):
            return mob.move_to([*centres[clear[0]], 0.0])
        i = int(np.argmin(cost))
        if cost[i] * (1 + 0.5 * ring) < best_cost - 1e-12:  # nearer rings win a tie
            best, best_cost = centres[i], cost[i] * (1 + 0.5 * ring)
    return mob.move_to([*best, 0.0])


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """The area two boxes (left, bottom, right, top) share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def tip_box(end, size: float) -> np.ndarray:
    """The box an arrowhead of length `size` ending at the scene point `end` may cover."""
    e = np.asarray(end, dtype=float)[:2]
    return np.array([e[0] - size, e[1] - size, e[0] + size, e[1] + size])
