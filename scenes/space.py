"""3D drawing without Manim's ThreeDScene: an orthographic camera and a painter that
re-projects polygons and polylines every frame and draws them far to near.

Manim's Cairo renderer does not depth-sort across objects, and its ThreeDScene costs about
0.4 s a frame for a 24×24 surface (per-face shading and normals in Python). Projecting every
vertex at once with numpy and reusing one VMobject per primitive, re-ordered by depth each
frame, draws the same picture about five times faster, with curves and points correctly
hidden behind the surface (see bench/landscape_speed.py).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from manim import VGroup, VMobject


@dataclass(frozen=True)
class OrthoCamera:
    """Looks at the point `target` from `elevation` radians above the floor plane and azimuth
    θ (radians, about the vertical axis); `scale` scene units per display unit, the target
    drawn at `screen_center`."""

    elevation: float
    scale: float
    target: np.ndarray
    screen_center: np.ndarray

    def project(self, points: np.ndarray, azimuth: float) -> tuple[np.ndarray, np.ndarray]:
        """Display points (N, 3) → scene points (N, 3) and depths (N,), larger = farther."""
        p = np.asarray(points, dtype=float) - self.target
        ca, sa = math.cos(azimuth), math.sin(azimuth)
        ce, se = math.cos(self.elevation), math.sin(self.elevation)
        across = -sa * p[:, 0] + ca * p[:, 1]
        toward = ca * p[:, 0] + sa * p[:, 1]  # horizontal component towards the camera
        screen = np.zeros((len(p), 3))
        screen[:, 0] = across
        screen[:, 1] = -se * toward + ce * p[:, 2]
        screen = self.screen_center + self.scale * screen
        depth = -(ce * toward + se * p[:, 2])
        return screen, depth


class Painter(VGroup):
    """Polygons and polylines in display space, drawn far to near from a camera whose azimuth
    changes: call `paint(azimuth)` every frame (e.g. from an updater).

    `backdrop` primitives (the floor) are drawn first, in the order added; the others are
    sorted by mean vertex depth minus their `lift` (a lift puts a curve lying on a surface in
    front of the faces it lies on).

    Faces of a `graph` (a convex surface z = f(x, y), such as a bowl) are then re-ordered among
    themselves: a line of sight crosses such a surface at most twice, first from below (the
    near wall's underside) and then from above (the far wall's inside), so every face seen from
    below is drawn after every face seen from above. Mean depth alone gets this wrong for steep
    walls (a high face on the far wall can be nearer on average than a low one on the near
    wall), which shows as a checkerboard through a see-through bowl."""

    def __init__(self, camera: OrthoCamera):
        super().__init__()
        self.camera = camera
        self.shapes: list[tuple[np.ndarray, VMobject, float, bool]] = []
        self.normals: dict[int, np.ndarray] = {}  # shape index → a graph face's upward normal

    def polygon(
        self,
        points,
        color,
        opacity: float,
        stroke_width: float = 0.6,
        lift: float = 0.0,
        backdrop: bool = False,
        graph: bool = False,
    ) -> VMobject:
        pts = np.asarray(points, dtype=float)
        mob = VMobject(fill_color=color, fill_opacity=opacity, stroke_color=color)
        mob.set_stroke(width=stroke_width, opacity=min(1.0, opacity + 0.1))
        if graph:  # the face's normal, pointing up (into the region above the graph)
            normal = np.cross(pts[1] - pts[0], pts[-1] - pts[0])
            self.normals[len(self.shapes)] = normal if normal[2] >= 0 else -normal
        self.shapes.append((np.vstack([pts, pts[:1]]), mob, lift, backdrop))
        return mob

    def polyline(
        self,
        points,
        color,
        width: float,
        lift: float = 0.0,
        backdrop: bool = False,
        opacity: float = 1.0,
    ) -> VMobject:
        mob = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
        self.shapes.append((np.asarray(points, dtype=float), mob, lift, backdrop))
        return mob

    def segments(self, points, color, width: float, lift: float = 0.0, **style) -> None:
        """A polyline as separate segments, so each is depth-sorted on its own."""
        pts = np.asarray(points, dtype=float)
        for a, b in itertools.pairwise(pts):
            self.polyline([a, b], color, width, lift, **style)

    def paint(self, azimuth: float) -> Painter:
        if not hasattr(self, "_all"):
            self._all = np.vstack([s[0] for s in self.shapes])
            self._starts = np.cumsum([0] + [len(s[0]) for s in self.shapes])
            self._lift = np.array([s[2] for s in self.shapes])
            self._backdrop = np.array([s[3] for s in self.shapes])
        screen, depth = self.camera.project(self._all, azimuth)
        mean_depth = np.add.reduceat(depth, self._starts[:-1]) / np.diff(self._starts)
        key = np.where(self._backdrop, np.inf, mean_depth - self._lift)
        for (_, mob, _, _), a, b in zip(
            self.shapes, self._starts[:-1], self._starts[1:], strict=True
        ):
            mob.set_points_as_corners(screen[a:b])
        order = np.argsort(-key, kind="stable")
        if self.normals:
            order = self.graph_order(order, key, azimuth)
        self.submobjects = [self.shapes[i][1] for i in order]
        return self

    def graph_order(self, order: np.ndarray, key: np.ndarray, azimuth: float) -> np.ndarray:
        """`order` with the graph's faces, in the places they hold, re-ordered: those seen from
        above first (far to near), then those seen from below (far to near)."""
        faces = np.array(sorted(self.normals))
        normals = np.array([self.normals[i] for i in faces])
        ce, se = math.cos(self.camera.elevation), math.sin(self.camera.elevation)
        to_camera = np.array([ce * math.cos(azimuth), ce * math.sin(azimuth), se])
        from_below = normals @ to_camera < 0
        resorted = faces[np.lexsort((-key[faces], from_below))]
        slots = np.isin(order, faces)
        order = order.copy()
        order[slots] = resorted
        return order
