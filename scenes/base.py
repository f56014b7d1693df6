"""What every scene shares: the default problem, parameter declarations, and the base class.

A scene's parameters are a frozen dataclass deriving from `Problem` (the 2-weight problem)
or `FromTable` (rows of a data table); `render.py --set` fills it. `solve(params)` turns the
parameters into everything the scene draws (all of it from mathcore); `results` and
`alt_text` report those numbers for the render manifest.
"""

from __future__ import annotations

import ast
import functools
import inspect
import math
import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import numpy as np
from manim import Arrow, Dot, Mobject, Scene, VMobject, config
from manim.mobject.text.tex_mobject import SingleStringMathTex

from mathcore import MathcoreError, QuadraticLoss
from narration import SCRIPTS, Pacing, Script, ScriptError, fixed
from scenes.readout import Readout
from scenes.theme import DARK, Theme
from studio.data import Table, read_table, resolve


def subpaths_from_points(self: VMobject, points: np.ndarray) -> list[np.ndarray]:
    """VMobject.get_subpaths_from_points from Manim's own vectorised split indices (the
    comparison the camera uses when it draws): the same subpaths, without one np.allclose per
    curve. Manim's version dominated every Transform, become() and always_redraw (align_points
    splits both shapes into subpaths on every frame): a third of a frame's time in the busiest
    scenes. tests/test_plane.py holds the two equal."""
    nppcc = self.n_points_per_cubic_curve
    split = self.get_subpath_split_indices_from_points(points)
    return [points[start:end] for start, end in split if end - start >= nppcc]


MANIM_SUBPATHS = VMobject.get_subpaths_from_points
VMobject.get_subpaths_from_points = subpaths_from_points


def bounding_box(mob: Mobject) -> np.ndarray:
    """(left, bottom, right, top) of a mobject, in scene units: its get_corner(DL) and
    get_corner(UR), from one pass over its boundary points instead of two."""
    points = mob.get_points_defining_boundary()
    if len(points) == 0:
        return np.zeros(4)
    low, high = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
    return np.array([*low, *high])


def nearest(samples: np.ndarray, value: float) -> int:
    """Index of the sample nearest `value`: scenes animate through precomputed samples, so every
    frame shows exactly what mathcore computed for one of them."""
    return int(np.argmin(np.abs(np.asarray(samples) - value)))


def point_text(w) -> str:
    """A 2-D point as plain text for alt texts: (1.20, 2.00)."""
    return "(" + ", ".join(fixed(v, 2) for v in w) + ")"


def point_tex(w) -> str:
    """A 2-D point as TeX for on-screen labels: (1.20,\\ 2.00)."""
    return "(" + r",\ ".join(fixed(v, 2) for v in w) + ")"


def param(default: Any, help: str) -> Any:
    """A scene parameter with its one-line description (shown by `render.py --help-params`)."""
    return field(default=default, metadata={"help": help})


M = TypeVar("M", bound=Mobject)

MAX_SECONDS = 60.0
"""The longest any one timing parameter may be: a scene is a short clip."""
DRAWABLE = (1e-6, 1e6)
"""Every number a scene takes is 0 or between these in size: beyond them nothing is drawable
(and float64 loses the picture long before it loses the mathematics)."""
MAX_CONDITION = 1e4
"""The largest eigenvalue ratio of H a plot shows: ellipses 100 times longer than wide."""


MAX_NAME = 60
MAX_NOTE = 120  # characters of the line saying where the data came from (one line on screen)
NAME = re.compile(rf"[^\x00-\x1f\x7f]{{1,{MAX_NAME}}}")
"""A coefficient's name (a data column's header, as it is): printable, not too long."""
DEFAULT_DATA = "data/diabetes.csv"
"""The shipped data set (data/README.md): the default of every scene drawn from a table."""


def _numbers_in(value: Any) -> list[float]:
    """The floats in a parameter value (nested tuples followed; ints, bools, text skipped)."""
    if isinstance(value, float):
        return [value]
    if isinstance(value, tuple):
        return [n for v in value for n in _numbers_in(v)]
    return []


@dataclass(frozen=True)
class Parameters:
    """What every scene's parameters share: each is checked when the dataclass is built
    (timings bounded, every number finite and drawable), so a bad --set is one line."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_time") and not (
                math.isfinite(value) and 0 <= value <= MAX_SECONDS
            ):
                raise ValueError(
                    f"{f.name} must be a number of seconds from 0 to {MAX_SECONDS:g}, got {value!r}"
                )
            for number in _numbers_in(value):
                if not math.isfinite(number) or abs(number) > DRAWABLE[1]:
                    raise ValueError(
                        f"{f.name}: {number!r} is too large to draw (|x| ≤ {DRAWABLE[1]:g})"
                    )
                if 0 < abs(number) < DRAWABLE[0]:
                    raise ValueError(
                        f"{f.name}: {number!r} is too small to draw (0 or |x| ≥ {DRAWABLE[0]:g})"
                    )


@dataclass(frozen=True)
class Problem(Parameters):
    """The problem every scene shares by default, so the series reads as one story: a tilted
    ellipse (eigenvalues 3.6 and 0.6, ratio 6), c in the first quadrant at distance 2.33."""

    H: tuple[tuple[float, ...], ...] = param(
        ((3.0, 1.2), (1.2, 1.2)), "H = XᵀX, the Hessian of f: symmetric positive definite 2×2"
    )
    center: tuple[float, ...] = param(
        (1.2, 2.0), "ŵ, the least-squares fit: f's unconstrained minimiser"
    )
    names: tuple[str, ...] = param(
        (), "the two coefficients' names, e.g. the --data columns (empty: w₁ and w₂)"
    )
    data_note: str = param("", "where the problem came from, said on screen (set by --data)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.data_note) > MAX_NOTE or not self.data_note.isprintable():
            raise ValueError(
                f"data_note must be one printable line of at most {MAX_NOTE} characters, "
                f"got {len(self.data_note)} characters"
            )
        if len(self.names) not in (0, 2) or not all(NAME.fullmatch(n) for n in self.names):
            raise ValueError(
                f"names must be two names of 1–{MAX_NAME} printable characters, "
                f"got {list(self.names)!r:.120}"
            )

    def loss(self) -> QuadraticLoss:
        """The problem as a mathcore loss; scenes draw closed ellipses, so H must be 2×2 and
        positive definite."""
        loss = QuadraticLoss(self.H, self.center)
        if loss.n != 2:
            raise MathcoreError(f"H must be 2×2 for a planar scene, got {loss.n}×{loss.n}")
        sigma = [float(f"{s:.6g}") for s in loss.sigma]
        if loss.sigma[-1] <= 0:
            raise MathcoreError(
                f"H must be positive definite to draw its level sets as ellipses, got "
                f"eigenvalues {sigma}"
            )
        condition = float(loss.sigma[0] / loss.sigma[-1])
        if condition > MAX_CONDITION:
            raise MathcoreError(
                f"H is positive definite but too ill-conditioned to draw: eigenvalues {sigma}, "
                f"condition number {condition:.3g} > {MAX_CONDITION:g} (its ellipses would be "
                f"{math.sqrt(condition):.3g} times longer than wide); bring the eigenvalues closer"
            )
        return loss


@dataclass(frozen=True)
class Held(Parameters):
    """A scene that ends holding its last frame."""

    hold_time: float = param(2.5, "seconds to hold the final frame (at least 1.5, to read it)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.hold_time < 1.5:
            raise ValueError(f"hold_time must be at least 1.5 s, got {self.hold_time}")


@dataclass(frozen=True)
class Timed(Held, Problem):
    """A scene of the 2-weight problem that ends holding its last frame (it opens on the
    problem already drawn)."""


@dataclass(frozen=True)
class FromTable(Parameters):
    """A scene drawn from the rows of a data table (any number of feature columns) rather
    than from one 2×2 problem: cross-validation, coefficient paths. `--data FILE --x … --y`
    set these fields."""

    data: str = param(
        DEFAULT_DATA,
        "a CSV file with a header row (a relative path: from the current folder, else from "
        "the project's folder)",
    )
    x: tuple[str, ...] = param((), "the feature columns, in order (empty: every column but y)")
    y: str = param("progression", "the response column")
    intercept: bool = param(True, "centre the columns and y (the intercept is not penalised)")
    standardize: bool = param(True, "scale each column to unit standard deviation")

    def table(self) -> Table:
        """The columns as read (raises DataError, a ValueError, in one line)."""
        return read_table(resolve(self.data), self.x, self.y)


@dataclass(frozen=True)
class Placed:
    """A thing on screen and its box, in scene units: a text (with its cap height: the
    height of a capital letter at its size), a point or an arrowhead."""

    text: str  # a text's TeX (or value); a point's or arrowhead's mark name, else its kind
    left: float
    bottom: float
    right: float
    top: float
    cap: float = 0.0  # a text's cap height (0 for points and arrowheads)
    tick: bool = False  # a tick value on an axis (a smaller minimum applies)

    def overlaps(self, other: Placed, margin: float = 0.0) -> bool:
        return (
            self.left < other.right - margin
            and other.left < self.right - margin
            and self.bottom < other.top - margin
            and other.bottom < self.top - margin
        )

    def outside(self) -> bool:
        half_w, half_h = config.frame_width / 2, config.frame_height / 2
        return (
            self.left < -half_w or self.right > half_w or self.bottom < -half_h or self.top > half_h
        )


CAP_PER_SIZE = 0.00709
"""A capital letter's height, in scene units, per point of MathTex font size (measured: an X
at font size 26 is 0.184 units high)."""
MIN_TEXT_PX, MIN_TICK_PX, MIN_ARROW_PX = 9, 7, 20
"""At the blog size, the smallest cap height of a label or readout, of a tick value, and the
shortest arrow a render may show (tests hold every scene to them)."""


@dataclass(frozen=True)
class Layout:
    """What is on screen at the end of a segment: its texts, points and arrowheads (boxes in
    scene units) and its arrows' lengths; `report` checks them in pixels."""

    texts: tuple[Placed, ...]
    points: tuple[Placed, ...]
    tips: tuple[Placed, ...]
    arrows: tuple[float, ...]  # lengths, scene units

    def report(self, pixels_per_unit: float) -> dict[str, Any]:
        """Overlaps (two texts, a text and a point, a text and an arrowhead), what is outside
        the frame, and the smallest text and tick cap heights and the shortest arrow, in
        pixels (None where there is none)."""
        margin = 0.02
        overlaps = [
            [a.text, b.text]
            for i, a in enumerate(self.texts)
            for b in [*self.texts[i + 1 :], *self.points, *self.tips]
            if a.overlaps(b, margin)
        ]
        outside = [p.text for p in (*self.texts, *self.points, *self.tips) if p.outside()]

        def smallest(values) -> float | None:
            values = list(values)
            return round(min(values) * pixels_per_unit, 1) if values else None

        return {
            "overlaps": overlaps,
            "outside": outside,
            "min_text_px": smallest(t.cap for t in self.texts if not t.tick),
            "min_tick_px": smallest(t.cap for t in self.texts if t.tick),
            "min_arrow_px": smallest(self.arrows),
        }


@dataclass(frozen=True)
class Scrubbed:
    """A number the interactive figure (-f html) shows beside each frame."""

    key: str  # in `frame_readouts` (and the page's data-key)
    name: str = ""  # what the page calls it: the script's [words.readout] entry `key`
    decimals: int = 2


@dataclass(frozen=True)
class Spoken:
    """A segment as it played: when it started and ended on the scene's clock (seconds,
    on whole frames)."""

    id: str
    start: float
    end: float


class Beat:
    """A beat being played (from `RidgeScene.beat`): its segments last at least what the
    pacing needs; `duration` is what the beat's main animation should take."""

    def __init__(self, scene: RidgeScene, beat_id: str, animation: float):
        self.scene, self.id, self.animation = scene, beat_id, animation
        self.segment = beat_id
        self.started = scene.clock()

    @property
    def duration(self) -> float:
        """max(the animation's own length, what the current segment needs)."""
        return max(self.animation, self.scene.pacing.need(self.segment))

    def mark(self, name: str) -> float:
        """End the current segment (holding until it has lasted what it needs) and start the
        mark `name`; returns the seconds the mark needs."""
        self._close()
        self.segment, self.started = f"{self.id}.{name}", self.scene.clock()
        self.scene.enter(self.segment)
        return self.scene.pacing.need(self.segment)

    def _close(self) -> None:
        short = self.scene.pacing.need(self.segment) - (self.scene.clock() - self.started)
        frames = math.ceil(short * config.frame_rate - 1e-6)
        if frames > 0:  # whole frames, rounded up: Manim floors a still wait to whole frames
            self.scene.wait(frames / config.frame_rate + 1e-6)
        self.scene.timeline.append(Spoken(self.segment, self.started, self.scene.clock()))
        self.scene.layout[self.segment] = self.scene.on_screen()


class ScriptBeats:
    """A scene class's `beats`: the segment ids of its script, in order. The script is where
    beats are declared (once); a scene plays them, or some of them, in that order."""

    def __get__(self, scene: Any, cls: type[RidgeScene]) -> tuple[str, ...]:
        return tuple(segment.id for segment in cls.load_script().segments)


@functools.cache
def played_segments(cls: type) -> frozenset[str] | None:
    """The segments a scene class's code plays, read from its source and its bases' (the
    methods it does not redefine): every `with self.beat("id") as b:` and, inside it,
    `b.mark("name")` ("id.name"). Beat ids are written out where they play, so the script
    can be checked against them before anything renders; raises ScriptError for one that is
    not a literal. None when a class that defines `construct` has no source to read (made at
    run time: nothing to check)."""
    found: set[str] = set()
    overridden: set[str] = set()  # methods a subclass redefines: the base's do not play
    for klass in cls.__mro__:
        if klass in (RidgeScene, Scene) or not issubclass(klass, RidgeScene):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError):
            if "construct" in vars(klass):
                return None
            continue
        methods = [f for f in tree.body[0].body if isinstance(f, ast.FunctionDef)]
        playing = [f for f in methods if f.name not in overridden]
        overridden.update(f.name for f in methods if not _extends(f))
        for node in (n for f in playing for n in ast.walk(f)):
            if not isinstance(node, ast.With):
                continue
            for item in node.items:
                beats = _call_ids(item.context_expr, "self", "beat", klass)
                found.update(beats)
                name = item.optional_vars
                if beats and isinstance(name, ast.Name):
                    for inner in ast.walk(ast.Module(body=node.body, type_ignores=[])):
                        for mark in _call_ids(inner, name.id, "mark", klass):
                            found.update(f"{beat}.{mark}" for beat in beats)
    return frozenset(found)


def _extends(method: ast.FunctionDef) -> bool:
    """Whether a method calls the one it overrides (`super().<name>(…)`): the base's beats
    still play."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method.name
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "super"
        for node in ast.walk(method)
    )


def _call_ids(node: ast.AST, owner: str, method: str, klass: type) -> list[str]:
    """The literal first argument of a call `owner.method(...)` (either literal of
    `"a" if … else "b"`); none when `node` is not such a call."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == owner
    ):
        return []
    first = node.args[0] if node.args else None
    choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
    if all(isinstance(c, ast.Constant) and isinstance(c.value, str) for c in choices):
        return [c.value for c in choices]
    raise ScriptError(
        f"{klass.__name__}: write the {method}'s id out where it plays "
        f'({owner}.{method}("id")), so the script can be checked against it'
    )


class RidgeScene(Scene):
    """A Manim scene that draws what mathcore computed for its parameters.

    Subclasses set `Params` and implement `solve`, `results`, `alt_text` and `construct`.
    `solve` returns every number the scene draws; `construct` only picks samples from it and
    draws them (tests/test_scenes_only_draw.py holds every scene to that). The pipeline
    assigns `params`, `solution` (solved once per render) and `theme` on the instance before
    rendering; a plain `manim scenes/<module>.py <Class>` run uses the defaults and solves
    in `setup`.
    """

    Params: ClassVar[type[Parameters]] = Problem
    script: ClassVar[str]  # narration/<script>.toml (a catalogued scene: its entry's)
    script_folder: ClassVar[Path] = SCRIPTS
    beats: ClassVar[tuple[str, ...]] = ScriptBeats()  # its script's segments, in order
    params: Parameters | None = None
    solution: Any = None
    pacing: Pacing | None = None
    theme: Theme = DARK
    loops: ClassVar[bool] = False  # the frame after the last would be the first (no repeat)
    plays_one_card: ClassVar[bool] = False  # plays the one beat its parameters name (a card)
    lead_in: ClassVar[float] = 0.5  # seconds the first frame shows before the first words
    scrub: ClassVar[tuple[Scrubbed, ...]] = ()
    """-f html: the numbers the interactive figure shows beside each frame, in order; the
    first is the parameter the reader's slider moves through (λ, k, …). `frame_readouts`
    gives their values; a scene without them has no interactive figure."""

    def __init_subclass__(cls, **kwargs):
        """A catalogued scene reads the script its catalogue entry names; any other class
        names its own or inherits it (a variant plays its parent's script)."""
        super().__init_subclass__(**kwargs)
        from scenes import CATALOGUE, EXTRAS

        module = cls.__module__.rpartition(".")[2]  # `manim scenes/x.py X` imports it as `x`
        for entry in (*CATALOGUE.values(), *EXTRAS.values()):
            if (entry.module.rpartition(".")[2], entry.cls) == (module, cls.__name__):
                cls.script = entry.script_path.stem

    @classmethod
    def scrubbed(cls, solution: Any) -> tuple[Scrubbed, ...]:
        """`scrub` as this solution's frames print its numbers (a scene whose decimals
        follow the problem says so here, starting from these), each named by the script's
        [words.readout] entry of its key, in the language being spoken."""
        script = cls.load_script()
        return tuple(replace(r, name=script.word("readout", r.key)) for r in cls.scrub)

    @classmethod
    def frames_to_share(cls, params: Parameters, pacing: Pacing, fps: int) -> int | None:
        """How many frames the scene draws, known before drawing: a render on several cores
        gives each an equal run of them (studio.frames.Share). None (the default): drawn by
        one process, which keeps two cores busy anyway (drawing, and encoding the frames);
        sharing pays where drawing a frame costs far more than encoding it (the 3D scene)."""
        return None

    @classmethod
    def solve(cls, params: Parameters) -> Any:
        """Everything the scene draws, computed by mathcore (raises MathcoreError)."""
        raise NotImplementedError

    @classmethod
    def results(cls, solution: Any) -> dict[str, Any]:
        """The numbers the scene shows, as JSON-ready values, for the manifest."""
        raise NotImplementedError

    @classmethod
    def alt_text(cls, solution: Any) -> str:
        """One sentence describing the animation for a screen reader (from `alt`)."""
        raise NotImplementedError

    @classmethod
    def alt(cls, key: str, **values: Any) -> str:
        """The script's [words.alt] entry `key` with its fields filled (numbers already
        formatted by the scene), in the language being spoken: alt texts are words too."""
        return cls.load_script().word("alt", key).format(**values)

    @classmethod
    def load_script(cls) -> Script:
        """The scene's script, checked against the beats its code plays (raises ScriptError
        naming the file and the beat)."""
        script = Script.load(cls.script, cls.script_folder)
        played = None if cls.plays_one_card else played_segments(cls)
        if played is None:
            return script
        ids = [s.id for s in script.segments]
        unplayed = [i for i in ids if i not in played]
        if unplayed:
            raise ScriptError(
                f"{script.where}, beat {unplayed[0]!r}: {cls.__name__} has no such beat "
                f"(it plays {', '.join(sorted(played)) or 'none'})"
            )
        missing = sorted(played - set(ids))
        if missing:
            raise ScriptError(
                f"{script.where}, beat {missing[0]!r}: {cls.__name__} plays it; add it"
            )
        return script

    @classmethod
    def silent_pacing(cls, solution: Any) -> Pacing:
        """Beats paced by reading time alone (no voice)."""
        return Pacing(cls.load_script().fill(cls.results(solution)), {})

    def word(self, *keys: str) -> Any:
        """A text the scene draws, from its script's [words] table (`word("plot", "lam")` for
        `[words.plot] lam = "…"`), in the language being spoken: no word the scene draws is
        written in its code, so a language is a folder of scripts."""
        script = self.__dict__.get("_words")
        if script is None:
            script = self._words = self.load_script()
        return script.word(*keys)

    def setup(self) -> None:
        if self.params is None:
            self.params = self.Params()
        if self.solution is None:
            self.solution = self.solve(self.params)
        if self.pacing is None:
            self.pacing = self.silent_pacing(self.solution)
        self.camera.background_color = self.theme.background
        self.marks: dict[str, Mobject] = {}
        self.timeline: list[Spoken] = []
        self.poster: np.ndarray | None = None
        self.layout: dict[str, Layout] = {}

    def on_screen(self) -> Layout:
        """Every visible text (formula, label, readout, tick value), point and arrow on
        screen now, with its box: the layout record of the end of every segment."""
        texts: list[Placed] = []
        points: list[Placed] = []
        tips: list[Placed] = []
        arrows: list[float] = []
        names = {id(mob): name for name, mob in self.marks.items()}

        def box(mob: Mobject) -> tuple[float, ...]:
            return tuple(float(v) for v in bounding_box(mob))

        def shown(mob: Mobject) -> bool:
            return any(
                m.get_fill_opacity() > 0.05 or m.get_stroke_opacity() > 0.05
                for m in mob.family_members_with_points()
            )

        def visit(mob: Mobject) -> None:
            if isinstance(mob, SingleStringMathTex | Readout):
                if shown(mob):
                    cap = mob.cap_height() if isinstance(mob, Readout) else mob.font_size
                    cap *= 1 if isinstance(mob, Readout) else CAP_PER_SIZE
                    name = getattr(mob, "tex_string", None) or f"{mob.value:g}"
                    tick = getattr(mob, "is_tick", False)
                    texts.append(Placed(name, *box(mob), cap=cap, tick=tick))
                return
            if isinstance(mob, Dot) and shown(mob):
                points.append(Placed(names.get(id(mob), "a point"), *box(mob)))
                return
            if isinstance(mob, Arrow):
                if mob.has_no_points() or not shown(mob):
                    return
                arrows.append(float(np.linalg.norm(mob.get_end() - mob.get_start())))
                tip = mob.tip if mob.has_tip() else None
                if tip is not None:
                    tips.append(Placed(f"{names.get(id(mob), 'an arrow')}'s head", *box(tip)))
                return
            for sub in mob.submobjects:
                visit(sub)

        for mob in self.mobjects:
            visit(mob)
        return Layout(tuple(texts), tuple(points), tuple(tips), tuple(arrows))

    def layout_report(self, width: int) -> dict[str, Any]:
        """The manifest's `layout`: each segment's `Layout.report` in pixels of a render
        `width` pixels wide."""
        scale = width / config.frame_width
        return {"beats": [{"beat": seg, **lay.report(scale)} for seg, lay in self.layout.items()]}

    def play_internal(self, skip_rendering: bool = False) -> None:
        """Manim's play loop, except that a frame the renderer will not draw (another
        worker's: studio.frames.Share) is only counted, without updating the mobjects for
        it. Every animation here is a function of its progress and every updater of the
        trackers, so the frames drawn are the same as when all are."""
        draws = getattr(self.renderer, "draws_next", None)
        if draws is None or skip_rendering or self.renderer.skip_animations:
            super().play_internal(skip_rendering)
            return
        self.duration = self.get_run_time(self.animations)
        self.time_progression = self._get_animation_time_progression(self.animations, self.duration)
        for t in self.time_progression:
            if draws():
                self.update_to_time(t)
                self.renderer.render(self, t, self.moving_mobjects)
            else:
                self.renderer.add_frame(None)
        for animation in self.animations:
            animation.finish()
            animation.clean_up_from_scene(self)
        self.update_mobjects(0)
        self.renderer.static_image = None
        self.time_progression.close()

    def frame_readouts(self) -> dict[str, Any]:
        """The `scrub` numbers as the frame on screen shows them (JSON-ready: finite floats,
        lists of them, "∞", or None where undefined), read from the solution like everything
        drawn."""
        return {}

    def take_poster(self) -> None:
        """Keep the frame on screen now as the poster (the PNG): the frame that best sums
        the scene up. Without it, the poster is the last frame."""
        self.renderer.update_frame(self)
        self.poster = self.renderer.get_frame().copy()

    def clock(self) -> float:
        """The scene's own clock: seconds of frames played so far."""
        return self.renderer.time

    def enter(self, segment: str) -> None:
        """Check that `segment` is one of the script's, after every one played so far."""
        beats, where = self.beats, self.load_script().where
        if segment not in beats:
            raise ScriptError(
                f"{where}: {type(self).__name__} plays {segment!r}; add it to the script "
                f"(its beats: {', '.join(beats)})"
            )
        if self.timeline and beats.index(segment) <= beats.index(self.timeline[-1].id):
            raise ScriptError(
                f"{where}: {type(self).__name__} plays {segment!r} after "
                f"{self.timeline[-1].id!r}; the script has them the other way round"
            )

    @contextmanager
    def beat(self, beat_id: str, animation: float = 0.0) -> Iterator[Beat]:
        """Play a beat of the script: what runs inside it is the beat's animation; the beat
        lasts at least what its caption and speech need (it holds at the end if the
        animation was shorter). `animation` is the main animation's own length, so that
        `b.duration` can stretch it to fill the beat."""
        self.enter(beat_id)
        if not self.timeline and not self.loops and self.clock() < 1e-9 and self.lead_in > 0:
            self.wait(self.lead_in)  # the picture first, then the words (and the voice)
        beat = Beat(self, beat_id, animation)
        yield beat
        beat._close()

    def mark(self, name: str, mob: M) -> M:
        """Register a key object under `name` (the optimum's dot, a readout, a conclusion):
        where tests find what the scene drew, to check it against mathcore."""
        self.marks[name] = mob
        return mob
