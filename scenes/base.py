"""What every scene shares: the default problem, parameter declarations, and the base class.

A scene's parameters are a frozen dataclass deriving from `Problem` (the 2-weight problem)
or `FromTable` (rows of a data table); `render.py --set` fills it. `solve(params)` turns the
parameters into everything the scene draws (all of it from mathcore); `results` and
`alt_text` report those numbers for the render manifest.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import numpy as np
from manim import DL, UR, Mobject, Scene, config
from manim.mobject.text.tex_mobject import SingleStringMathTex

from mathcore import MathcoreError, QuadraticLoss
from narration import SCRIPTS, Pacing, Script, ScriptError, fixed
from scenes.readout import Readout
from scenes.theme import DARK, Theme
from studio.data import Table, read_table, resolve


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


NAME = re.compile(r"[A-Za-z0-9_.\-]{1,12}")
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
    center: tuple[float, ...] = param((1.2, 2.0), "c, the unconstrained minimiser of f")
    names: tuple[str, ...] = param(
        (), "the two coefficients' names, e.g. the --data columns (empty: w₁ and w₂)"
    )
    data_note: str = param("", "where the problem came from, said on screen (set by --data)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.names) not in (0, 2) or not all(NAME.fullmatch(n) for n in self.names):
            raise ValueError(
                f"names must be two short names (letters, digits, _ . -, up to 12), "
                f"got {list(self.names)}"
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
    """A text on screen and its box, in scene units."""

    text: str
    left: float
    bottom: float
    right: float
    top: float

    def overlaps(self, other: Placed, margin: float = 0.0) -> bool:
        return (
            self.left < other.right - margin
            and other.left < self.right - margin
            and self.bottom < other.top - margin
            and other.bottom < self.top - margin
        )


@dataclass(frozen=True)
class Scrubbed:
    """A number the interactive figure (-f html) shows beside each frame."""

    key: str  # in `frame_readouts` (and the page's data-key)
    name: str  # what the page calls it
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
        self.scene.layout[self.segment] = self.scene.texts_on_screen()


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
    script: ClassVar[str]  # narration/<script>.toml
    script_folder: ClassVar[Path] = SCRIPTS
    beats: ClassVar[tuple[str, ...]]  # every segment the scene may play, in order
    params: Parameters | None = None
    solution: Any = None
    pacing: Pacing | None = None
    theme: Theme = DARK
    loops: ClassVar[bool] = False  # the frame after the last would be the first (no repeat)
    scrub: ClassVar[tuple[Scrubbed, ...]] = ()
    """-f html: the numbers the interactive figure shows beside each frame, in order; the
    first is the parameter the reader's slider moves through (λ, k, …). `frame_readouts`
    gives their values; a scene without them has no interactive figure."""

    @classmethod
    def scrubbed(cls, solution: Any) -> tuple[Scrubbed, ...]:
        """`scrub` as this solution's frames print its numbers (a scene whose decimals
        follow the problem says so here)."""
        return cls.scrub

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
        """One sentence describing the animation for a screen reader."""
        raise NotImplementedError

    @classmethod
    def load_script(cls) -> Script:
        """The scene's script, checked against its beats (raises ScriptError)."""
        script = Script.load(cls.script, cls.script_folder)
        script.check_beats(cls.beats)
        return script

    @classmethod
    def silent_pacing(cls, solution: Any) -> Pacing:
        """Beats paced by reading time alone (no voice)."""
        return Pacing(cls.load_script().fill(cls.results(solution)), {})

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
        self.layout: dict[str, list[Placed]] = {}

    def texts_on_screen(self) -> list[Placed]:
        """Every visible text (formula, label, readout) on screen now, with its box: the
        layout record that tests check at the end of every segment (inside the frame, no two
        overlapping)."""
        found: list[Placed] = []

        def visit(mob: Mobject) -> None:
            if isinstance(mob, SingleStringMathTex | Readout):
                if any(m.get_fill_opacity() > 0.05 for m in mob.family_members_with_points()):
                    name = getattr(mob, "tex_string", None) or f"{mob.value:g}"
                    found.append(Placed(name, *mob.get_corner(DL)[:2], *mob.get_corner(UR)[:2]))
                return
            for sub in mob.submobjects:
                visit(sub)

        for mob in self.mobjects:
            visit(mob)
        return found

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
        """Check that `segment` is one the scene declared, after every one played so far."""
        if segment not in self.beats:
            raise ScriptError(f"{type(self).__name__} plays {segment!r}, not among its beats")
        if self.timeline and self.beats.index(segment) <= self.beats.index(self.timeline[-1].id):
            raise ScriptError(f"{type(self).__name__} plays {segment!r} out of order")

    @contextmanager
    def beat(self, beat_id: str, animation: float = 0.0) -> Iterator[Beat]:
        """Play a beat of the script: what runs inside it is the beat's animation; the beat
        lasts at least what its caption and speech need (it holds at the end if the
        animation was shorter). `animation` is the main animation's own length, so that
        `b.duration` can stretch it to fill the beat."""
        self.enter(beat_id)
        beat = Beat(self, beat_id, animation)
        yield beat
        beat._close()

    def mark(self, name: str, mob: M) -> M:
        """Register a key object under `name` (the optimum's dot, a readout, a conclusion):
        where tests find what the scene drew, to check it against mathcore."""
        self.marks[name] = mob
        return mob
