"""ridge_landscape — the constrained loss landscape, spinning (seed 000, Figure 3).

The surface z = f(w) over a square around the origin and ŵ, coloured by height; the cylinder
||w||² = k and the curve where it cuts the surface (f restricted to the constraint); ŵ, the
least-squares fit, at the bottom of the bowl and w*, the ridge solution, at the lowest point
of the curve, with a drop line to the floor, where the 2D picture (the circle and the level
set touching it) is drawn. The camera turns 360° at constant speed and stops one step short:
the frame after the last would be the first, so the loop has no jump and no repeated frame.
The legend's lines and w*'s label arrive with the beats that name them.

    manim -ql scenes/ridge_landscape.py RidgeLandscape
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Dot,
    ManimColor,
    Mobject,
    ValueTracker,
    VGroup,
    config,
    interpolate_color,
    linear,
)

import mathcore as mc
from narration import Pacing, fixed
from scenes.base import Problem, RidgeScene, Scrubbed, param, point_tex, point_text
from scenes.plane import (
    Maths,
    around,
    box_of,
    dense,
    place_free,
    plate,
    tex,
    tip_box,
    words_tex,
)
from scenes.space import OrthoCamera, Painter
from scenes.theme import TEXT

VIRIDIS = ["#440154", "#414487", "#2A788E", "#22A884", "#7AD151", "#FDE725"]


def height_color(fraction: float) -> ManimColor:
    """A perceptually uniform, colour-blind-safe map (viridis) from 0 (low) to 1 (high)."""
    x = min(max(fraction, 0.0), 1.0) * (len(VIRIDIS) - 1)
    i = min(int(x), len(VIRIDIS) - 2)
    return interpolate_color(ManimColor(VIRIDIS[i]), ManimColor(VIRIDIS[i + 1]), x - i)


@dataclass(frozen=True)
class RidgeLandscapeParams(Problem):
    k: float = param(1.5, "budget: the cylinder ||w||² = k")
    resolution: int = param(
        26, "surface detail: the bowl has 2/3 this many bands of f, each of 2× this many faces"
    )
    elevation: float = param(30.0, "camera height above the floor, in degrees")
    start_azimuth: float = param(20.0, "camera direction at the start, in degrees")
    spin_time: float = param(12.0, "seconds for the camera's 360° turn (longer if words need it)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 4 <= self.resolution <= 80:
            raise ValueError(f"resolution must be between 4 and 80, got {self.resolution}")
        if not 5 <= self.elevation <= 85:
            raise ValueError(f"elevation must be between 5 and 85 degrees, got {self.elevation}")
        if not 2 <= self.spin_time <= 60:
            raise ValueError(f"spin_time must be 2–60 s, got {self.spin_time}")


@dataclass(frozen=True)
class LandscapeSolution:
    center: np.ndarray  # ŵ, the least-squares fit (the unconstrained minimiser)
    f_min: float  # f(c)
    k: float
    optimum: mc.ConstrainedSolution
    f_star: float
    grid: tuple[np.ndarray, np.ndarray, np.ndarray]  # W1, W2, f on the square
    bowl: np.ndarray  # (bands + 1, sectors + 1, 2): ŵ, then level sets of f out to the rim
    bowl_levels: np.ndarray  # f on each of them: f_min, …, cap
    circle_points: np.ndarray  # the circle ||w||² = k (closed)
    circle_values: np.ndarray  # f on it
    touching: np.ndarray  # the level set of f through w*
    cap: float  # the surface is cut at this height of f: along a level set, a level rim
    rim: np.ndarray  # that level set, f = cap: the floor's outline
    floor_axes: np.ndarray  # the w₁ and w₂ axes on the floor, inside the rim: (2, 2, 2)

    @property
    def square(self) -> tuple[float, float, float, float]:
        w1, w2, _ = self.grid
        return float(w1.min()), float(w1.max()), float(w2.min()), float(w2.max())


class RidgeLandscape(RidgeScene):
    """The loss surface with the constraint cylinder, the camera turning once around it."""

    Params = RidgeLandscapeParams
    loops = True
    legend = True  # the text on the right
    screen_center = (-2.0, -0.1)  # where the target point of the camera is drawn
    zoom = 1.65
    margin = 0.3  # data units between the square's edge and the circle
    bowl = 0.45  # room on every side of ŵ, as a fraction of the larger of ||ŵ|| and √k
    height = 0.45  # the cap's height as a fraction of the square's side (display units)
    above_curve = 1.3  # the cap, relative to the highest point of the curve above f_min
    scrub = (
        Scrubbed("azimuth", decimals=0),
        Scrubbed("w_star"),
        Scrubbed("f_star"),
        Scrubbed("lam"),
    )
    point_labels = True  # w* and ŵ follow their points
    fade_in = 0.03  # share of the turn over which a beat's legend lines fade in
    surface_opacity = 0.72  # see-through: the cylinder and the cut show behind the near wall
    dot_size = 0.1  # scene units: the radius of the dots at w* and ŵ

    @classmethod
    def solve(cls, params: RidgeLandscapeParams) -> LandscapeSolution:
        loss = params.loss()
        optimum = mc.solve_constrained(loss, params.k)
        angles = np.linspace(0, 2 * np.pi, 181)
        values = mc.f_on_circle(loss, params.k, angles)
        circle = mc.point_on_circle(params.k, angles)
        cap = loss.f_min + cls.above_curve * (float(values.max()) - loss.f_min)
        rim = mc.level_set(loss, cap, 240)  # the surface is cut along this level set
        points = np.vstack([rim, circle])
        lo, hi = points.min(axis=0) - cls.margin, points.max(axis=0) + cls.margin
        mid, half = (lo + hi) / 2, float(np.max(hi - lo)) / 2
        xlim, ylim = (mid[0] - half, mid[0] + half), (mid[1] - half, mid[1] + half)
        grid = mc.loss_surface(loss, xlim, ylim, num=params.resolution + 1)
        # the bowl as bands between level sets (evenly spaced in radius), so that every face
        # lies between two heights: colour bands follow the contours, and the rim is a ring
        bands, sectors = max(2, 2 * params.resolution // 3), 2 * params.resolution
        levels = np.concatenate([[loss.f_min], mc.level_values(loss, rim[0], bands)])
        bowl = np.stack(
            [np.repeat(loss.center[None], sectors + 1, axis=0)]
            + [mc.level_set(loss, level, sectors) for level in levels[1:]]
        )
        axes = []  # the floor's w₁ and w₂ axes, inside the rim
        for unit in np.eye(2):
            line = np.linspace(-2 * half, 2 * half, 801)[:, None] * unit
            inside = line[loss.value(line) <= cap]
            axes.append(inside[[0, -1]] if len(inside) > 1 else np.zeros((2, 2)))
        return LandscapeSolution(
            center=loss.center,
            f_min=loss.f_min,
            k=params.k,
            optimum=optimum,
            f_star=loss.value(optimum.w),
            grid=grid,
            bowl=bowl,
            bowl_levels=levels,
            circle_points=circle,
            circle_values=values,
            touching=mc.level_set_through(loss, optimum.w, 180)
            if optimum.active
            else mc.circle(params.k, 180),
            cap=cap,
            rim=rim,
            floor_axes=np.array(axes),
        )

    @classmethod
    def results(cls, s: LandscapeSolution) -> dict:
        return {
            "w_star": s.optimum.w.tolist(),
            "f_star": s.f_star,
            "center": s.center.tolist(),
            "f_min": s.f_min,
            "k": s.k,
            "lam": s.optimum.lam,
            "active": s.optimum.active,
        }

    def frame_readouts(self) -> dict:
        """Where the camera looks from (its azimuth), and the optimum, which does not move."""
        s = self.solution
        azimuth = getattr(self, "azimuth", None)
        angle = self.params.start_azimuth if azimuth is None else math.degrees(azimuth.get_value())
        return {
            "azimuth": angle % 360.0,
            "w_star": s.optimum.w.tolist(),
            "f_star": float(s.f_star),
            "lam": float(s.optimum.lam),
        }

    @classmethod
    def alt_text(cls, s: LandscapeSolution) -> str:
        return cls.alt(
            "text",
            f_min=fixed(s.f_min, 2),
            w_hat=point_text(s.center),
            k=f"{s.k:g}",
            w_star=point_text(s.optimum.w),
            f_star=fixed(s.f_star, 2),
        )

    # --- geometry in display units ------------------------------------------------------------

    def display(self, w, value) -> np.ndarray:
        """Data point w with loss `value` → display coordinates (the square centred, f scaled)."""
        w = np.atleast_2d(w)
        z = (np.atleast_1d(value) - self.solution.f_min) * self.z_scale
        z = np.broadcast_to(z, (len(w),))
        return np.column_stack([w[:, 0] - self.mid[0], w[:, 1] - self.mid[1], z])

    def floor_point(self, w) -> np.ndarray:
        return self.display(w, self.solution.f_min) + np.array([0.0, 0.0, self.floor])

    # --- beats --------------------------------------------------------------------------------

    @classmethod
    def beat_frames(cls, params: RidgeLandscapeParams, pacing: Pacing, fps: int) -> int:
        """Frames in each beat, a third of the turn each: spin_time's third, or what the
        longest beat's words need, in whole frames (so that every step turns as far, across
        beats too)."""
        seconds = max(params.spin_time / len(cls.beats), *(pacing.need(b) for b in cls.beats))
        return math.ceil(seconds * fps - 1e-9)

    @classmethod
    def frames_to_share(cls, params: RidgeLandscapeParams, pacing: Pacing, fps: int) -> int:
        """Painting the surface costs far more than encoding it: the turn is shared among
        the cores."""
        return len(cls.beats) * cls.beat_frames(params, pacing, fps)

    def get_moving_and_static_mobjects(self, animations) -> tuple[list, list]:
        """Everything moves, as the top-level mobjects: the renderer flattens their families
        every frame, so the painter's far-to-near order of that frame is the order drawn.
        (Manim flattens the families once, when a play begins, which would freeze the order
        of the first frame of each beat while the camera turns: faces in the wrong order.)"""
        return [*self.mobjects, *self.foreground_mobjects], []

    def construct(self) -> None:
        self.build_world()
        self.label_overlay()
        run_time = self.beat_seconds()
        start = self.azimuth.get_value()
        # --- the bowl, the cylinder, the lowest point: a third of the turn each
        with self.beat("bowl", run_time):
            self.turn(start, 1 / 3, run_time)
        with self.beat("cylinder", run_time):
            self.turn(start, 2 / 3, run_time)
        with self.beat("lowest", run_time):
            self.turn(start, 1, run_time)

    def beat_seconds(self) -> float:
        """A beat's run time: a hair under its whole frames, as Manim plays
        np.arange(0, run_time, 1 / fps)."""
        frames = self.beat_frames(self.params, self.pacing, config.frame_rate)
        return (frames - 1e-6) / config.frame_rate

    def turn(self, start: float, share: float, run_time: float) -> None:
        """Turn the camera, at constant speed, to `share` of a full turn from `start`."""
        self.play(
            self.azimuth.animate.set_value(start + 2 * math.pi * share),
            rate_func=linear,
            run_time=run_time,
        )

    def build_world(self) -> None:
        s = self.solution
        x0, x1, y0, y1 = s.square
        self.mid = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        side = x1 - x0
        self.z_scale = self.height * side / (s.cap - s.f_min)
        self.floor = -0.14 * side
        camera = OrthoCamera(
            elevation=math.radians(self.params.elevation),
            scale=self.zoom * 6.2 / (1.45 * side),
            target=np.array([0.0, 0.0, 0.3 * self.height * side]),
            screen_center=np.array([*self.screen_center, 0.0]),
        )
        self.painter = painter = Painter(camera)
        self.draw_floor(painter)
        self.draw_surface(painter)
        self.draw_constraint(painter)
        self.draw_points(painter)
        self.azimuth = ValueTracker(math.radians(self.params.start_azimuth))
        painter.add_updater(lambda m: m.paint(self.azimuth.get_value()))
        painter.paint(self.azimuth.get_value())
        self.add(painter)

    def draw_floor(self, painter: Painter) -> None:
        s, t = self.solution, self.theme
        x0, x1, y0, y1 = s.square
        floor = self.floor_point(s.rim)  # the floor is the rim's outline: a level set
        floor_mob = painter.polygon(floor, t.panel, opacity=0.9, stroke_width=2, backdrop=True)
        floor_mob.set_stroke(t.muted, width=2, opacity=1.0)  # its edge, also on white
        for axis in s.floor_axes:
            painter.polyline(self.floor_point(axis), t.muted, 2, backdrop=True)
        painter.polyline(self.floor_point(s.circle_points), t.g, 3, backdrop=True)
        inside = (s.touching[:, 0] >= x0) & (s.touching[:, 0] <= x1)
        inside &= (s.touching[:, 1] >= y0) & (s.touching[:, 1] <= y1)
        touching = np.where(inside[:, None], s.touching, np.nan)
        for piece in np.split(touching, np.flatnonzero(~inside)):
            piece = piece[~np.isnan(piece[:, 0])]
            if len(piece) > 1:
                painter.polyline(self.floor_point(piece), t.f, 3, backdrop=True)
        self.floor_marks = [self.floor_point(s.optimum.w)[0], self.floor_point(s.center)[0]]

    def draw_surface(self, painter: Painter) -> None:
        s = self.solution
        top = s.cap - s.f_min
        self.face_size = 0.0  # the largest face diagonal: how far "on the surface" reaches
        faces = []
        rings = [
            self.display(ring, level) for ring, level in zip(s.bowl, s.bowl_levels, strict=True)
        ]
        for i in range(1, len(rings)):
            inner, outer = rings[i - 1], rings[i]
            middle = (s.bowl_levels[i - 1] + s.bowl_levels[i]) / 2
            color = height_color((middle - s.f_min) / top)
            for j in range(len(outer) - 1):
                corners = [outer[j], outer[j + 1], inner[j + 1]]
                if i > 1:  # a quad between two level sets; around ŵ a triangle
                    corners.append(inner[j])
                face = np.array(corners)
                reach = float(np.max(np.linalg.norm(face[:, None] - face[None], axis=-1)))
                self.face_size = max(self.face_size, reach)
                faces.append(painter.polygon(face, color, opacity=self.surface_opacity, graph=True))
        self.mark("surface", VGroup(*faces))

    def draw_constraint(self, painter: Painter) -> None:
        s, t = self.solution, self.theme
        pts, values = s.circle_points, s.circle_values
        surface = self.display(pts, values)
        base = self.floor_point(pts)
        top = self.display(pts, np.full(len(pts), s.cap))
        top[:, 2] = np.maximum(top[:, 2], surface[:, 2] + 0.05)
        # the cylinder in narrow strips, cut into bands below and above the surface, so each
        # piece is small enough to sort correctly against the faces around it
        step, bands = 4, ((base, surface, 2, 0.16), (surface, top, 4, 0.22))
        for a in range(0, len(pts) - 1, step):
            seg = slice(a, min(a + step, len(pts) - 1) + 1)
            for low, high, count, opacity in bands:
                edges = np.linspace(0, 1, count + 1)
                for u0, u1 in itertools.pairwise(edges):
                    bottom = low[seg] + u0 * (high[seg] - low[seg])
                    upper = low[seg] + u1 * (high[seg] - low[seg])
                    painter.polygon(np.vstack([bottom, upper[::-1]]), t.g, opacity, 0)
        # what lies on the surface is drawn in front of the faces it lies on (a lift of a face
        # size), and behind any face nearer the camera than that
        painter.segments(surface, t.g, 6, lift=self.face_size)
        self.cut = surface  # the curve labels keep off
        painter.segments(top, t.g, 1.5, lift=0.02, opacity=0.5)

    def draw_points(self, painter: Painter) -> None:
        s, t = self.solution, self.theme
        star = self.display(s.optimum.w, s.f_star)[0]
        bottom = self.display(s.center, s.f_min)[0]
        drop = np.linspace(star, self.floor_marks[0], 12)
        self.drop = drop
        painter.segments(drop, t.background, 7, lift=0.25 * self.face_size)  # a casing: the
        painter.segments(drop, t.optimum, 3, lift=0.26 * self.face_size)  # line on any colour
        self.star, self.bottom = star, bottom
        # the points are round dots over the picture, like their labels (moved to where the
        # camera sees them every frame): the lowest point is marked unmistakably from every side
        dots = [
            Dot(radius=self.dot_size, color=color).set_stroke(t.background, 3, opacity=1.0)
            for color in (t.optimum, t.f)
        ]
        self.dots = dots
        corner = self.floor_point(s.floor_axes[0, :1])[0]  # the f axis, up from the floor's
        corner[:2] = self.floor_point(s.rim[np.argmin(s.rim.sum(axis=1))][None])[0, :2]  # edge
        self.f_top = corner.copy()
        self.f_top[2] = self.display(s.center, s.cap)[0, 2]
        painter.polyline(np.array([corner, self.f_top]), t.muted, 2)
        self.mark("w_star", dots[0])
        self.mark("c", dots[1])
        angles = np.linspace(0, 2 * np.pi, 12, endpoint=False)
        disc = np.column_stack([np.cos(angles), np.sin(angles), np.zeros(12)])  # a flat dot
        for floor_mark, color in zip(self.floor_marks, (t.optimum, t.f), strict=True):
            painter.polygon(floor_mark + 0.05 * disc, color, 1.0, 1, backdrop=True)

    def label_overlay(self) -> None:
        """Labels on plates that follow their points, placed each frame by rule, in order,
        each clear of the dots, the cut curve, the drop line, the floor's circle and the labels
        placed before it (w*, ŵ, the axis names w₁, w₂ and f); and a legend that stays put.
        The legend's lines and w*'s label arrive with the beats that name them (bowl,
        cylinder, lowest point): a function of the camera's turn, like every frame."""
        s, t = self.solution, self.theme
        camera = self.painter.camera
        legend = VGroup()  # none in the thumbnail
        if self.legend:
            floor = [words_tex(line, w_star=Maths("w^*")) for line in self.word("floor")]
            legend = VGroup(
                tex(words_tex(self.word("height"), f=Maths("f(w)")), t.text, TEXT.label),
                tex(rf"\|w\|^2 = k = {s.k:g}", t.g, TEXT.label),
                tex(words_tex(self.word("lowest")), t.text, TEXT.label),
                tex(r"w^* = " + point_tex(s.optimum.w), t.optimum, TEXT.label),
                tex(rf"\lambda = {fixed(s.optimum.lam, 2)}", t.optimum, TEXT.label),
                *(tex(line, t.text, TEXT.label) for line in floor),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
            legend.to_corner(UP + RIGHT, buff=0.4)
            self.mark("legend", legend)
        shown = [legend] if self.legend else []
        arrivals = [(legend[:1], 0.0), (legend[1:2], 1 / 3), (legend[2:], 2 / 3)]
        followers = []
        if self.point_labels:
            followers = [
                (plate(tex(r"w^*", t.optimum, TEXT.body), t), self.star, UP + RIGHT, 2 / 3),
                (plate(tex(r"\hat w", t.f, TEXT.body), t), self.bottom, DOWN, 0.0),
                (
                    plate(tex(r"w_1", t.text, TEXT.label), t),
                    self.floor_point(s.floor_axes[0, 1:])[0],
                    RIGHT,
                    0.0,
                ),
                (
                    plate(tex(r"w_2", t.text, TEXT.label), t),
                    self.floor_point(s.floor_axes[1, 1:])[0],
                    UP,
                    0.0,
                ),
                (plate(tex(r"f", t.text, TEXT.label), t), self.f_top, UP, 0.0),
            ]
            self.mark("w_star_label", followers[0][0])
            self.mark("center_label", followers[1][0])
        lines_3d = [self.cut, self.drop, self.floor_point(s.circle_points)]
        start = self.azimuth.get_value()
        half = config.frame_width / 2 - 0.1, config.frame_height / 2 - 0.1
        bounds = np.array([-half[0], -half[1], half[0], half[1]])

        def arrived(at: float) -> float:
            """The opacity of what arrives at `at` of the turn (0 at the start: from frame 0)."""
            if at <= 0:
                return 1.0
            turned = (self.azimuth.get_value() - start) / (2 * math.pi)
            return float(np.clip((turned - at) / self.fade_in + 1.0, 0.0, 1.0))

        # each frame moves the labels from where they were built, not from the last frame
        # drawn: the frames do not depend on which were drawn before (studio.frames.Share)
        built = [[m.points.copy() for m in f[0].family_members_with_points()] for f in followers]

        def place(_):
            azimuth = self.azimuth.get_value()
            for part, at in arrivals:
                part.set_opacity(arrived(at))
            dots, _ = camera.project(np.array([self.star, self.bottom]), azimuth)
            for dot, at in zip(self.dots, dots, strict=True):
                dot.move_to(at)
            boxes = [box_of(m) for m in shown] + [tip_box(d, 0.12) for d in dots]
            lines = np.vstack([dense(camera.project(p, azimuth)[0]) for p in lines_3d])
            for (label, point, direction, at), points in zip(followers, built, strict=True):
                for member, begin in zip(label.family_members_with_points(), points, strict=True):
                    member.points = begin.copy()
                screen, _ = camera.project(point[None], azimuth)
                place_free(label, screen[0], around(direction[:2]), boxes, lines, bounds)
                label.set_opacity(arrived(at))
                if arrived(at) > 0:
                    boxes.append(box_of(label))

        layout = Mobject().add_updater(place)
        place(layout)
        self.add(layout, *self.dots, *shown, *(f[0] for f in followers))
        self.labels = [f[0] for f in followers]


class RidgeLandscapeThumbnail(RidgeLandscape):
    """A short, light loop for the top of a post: no legend or labels (too small to read at
    480 px), the surface centred, one beat, a slow turn."""

    legend = False
    point_labels = False
    screen_center = (0.0, -0.1)
    zoom = 1.7
    dot_size = 0.16  # 11 px across at 480 px wide, as the full scene's are at 768

    @dataclass(frozen=True)
    class Params(RidgeLandscapeParams):
        resolution: int = param(
            18, "surface detail: the bowl has 2/3 this many bands of f, each of 2× this many faces"
        )
        spin_time: float = param(
            7.0, "seconds for the camera's 360° turn (at most a caption's 7 s: it stays up)"
        )

    def construct(self) -> None:
        self.build_world()
        self.label_overlay()
        run_time = self.beat_seconds()
        # --- one slow turn
        with self.beat("spin", run_time):
            self.turn(self.azimuth.get_value(), 1, run_time)
