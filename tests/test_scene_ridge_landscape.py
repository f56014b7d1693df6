"""ridge_landscape: points where mathcore puts them, depth order, and a seamless loop."""

from __future__ import annotations

import dataclasses
import subprocess

import numpy as np
import pytest

import mathcore as mc
from scenes.ridge_landscape import RidgeLandscape, RidgeLandscapeParams, RidgeLandscapeThumbnail
from scenes.theme import DARK
from studio.frames import render_frames
from tests.scenetools import compare_to_reference, construct

DEFAULT = RidgeLandscapeParams()
LOSS = mc.QuadraticLoss(DEFAULT.H, DEFAULT.center)


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(RidgeLandscape, dataclasses.replace(DEFAULT, resolution=10), tex_dir=tex_cache)


def test_constrained_minimum_is_the_lowest_point_of_the_curve(scene):
    s = scene.solution
    ref = mc.solve_constrained(LOSS, DEFAULT.k)
    np.testing.assert_allclose(s.optimum.w, ref.w, rtol=1e-14)
    assert s.f_star == pytest.approx(LOSS.value(ref.w), rel=1e-14)
    assert s.f_star <= s.circle_values.min() + 1e-12
    lowest = s.circle_points[np.argmin(s.circle_values)]
    assert np.linalg.norm(lowest - ref.w) < 2 * np.pi * np.sqrt(DEFAULT.k) / 180
    assert RidgeLandscape.results(s)["f_min"] == LOSS.f_min == s.f_min


def test_points_sit_at_their_3d_positions(scene):
    s = scene.solution
    np.testing.assert_allclose(scene.star, scene.display(s.optimum.w, s.f_star)[0])
    np.testing.assert_allclose(scene.bottom, scene.display(s.center, s.f_min)[0])
    # display → data: the square is centred, heights scaled from f_min
    np.testing.assert_allclose(scene.star[:2] + scene.mid, s.optimum.w)
    assert scene.star[2] == pytest.approx((s.f_star - s.f_min) * scene.z_scale)
    assert scene.bottom[2] == 0.0
    # on screen, each dot is centred on the camera's projection of its point
    azimuth = scene.azimuth.get_value()
    dots = scene.marks["w_star"], scene.marks["c"]
    for dot, point in zip(dots, (scene.star, scene.bottom), strict=True):
        screen, _ = scene.painter.camera.project(point[None], azimuth)
        assert np.linalg.norm(dot.get_center() - screen[0]) < scene.pixel


def test_painter_draws_far_to_near(scene):
    painter = scene.painter
    shapes = {id(mob): (pts, lift, backdrop) for pts, mob, lift, backdrop in painter.shapes}
    keys = []
    for mob in painter.submobjects:
        pts, lift, backdrop = shapes[id(mob)]
        if backdrop:
            keys.append(np.inf)
            continue
        _, depth = painter.camera.project(pts, scene.azimuth.get_value())
        keys.append(depth.mean() - lift)
    backdrop = [k for k in keys if k == np.inf]
    assert keys[: len(backdrop)] == backdrop  # the floor first
    rest = np.array(keys[len(backdrop) :])
    assert np.all(np.diff(rest) <= 1e-12)  # then farthest to nearest


def first_and_last_frames(video, width, height) -> tuple[np.ndarray, np.ndarray]:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
    return frames[0].astype(int), frames[-1].astype(int), len(frames)


@pytest.mark.parametrize("scene_class", [RidgeLandscape, RidgeLandscapeThumbnail])
def test_render_loops_seamlessly(scene_class, tmp_path, tex_cache):
    params = dataclasses.replace(scene_class.Params(), spin_time=1.5, resolution=8)
    frames = render_frames(scene_class, params, DARK, (256, 144, 10), tmp_path, tex_cache)
    first, last, count = first_and_last_frames(frames.video, 256, 144)
    assert count == frames.count == 16  # 15 frames of the turn and the repeated first
    assert frames.loops and frames.played == 15
    assert np.abs(first - last).max() <= 2
    middle = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(frames.video),
            "-vf",
            "select=eq(n\\,7)",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    halfway = np.frombuffer(middle, np.uint8).reshape(144, 256, 3).astype(int)
    assert np.abs(halfway - first).mean() > 3  # it does turn in between


def test_thumbnail_is_smaller_and_shorter():
    thumb = RidgeLandscapeThumbnail.Params()
    assert thumb.spin_time < DEFAULT.spin_time and thumb.resolution < DEFAULT.resolution


def test_bad_parameters_are_rejected():
    with pytest.raises(ValueError, match="resolution"):
        RidgeLandscapeParams(resolution=500)
    with pytest.raises(ValueError, match="elevation"):
        RidgeLandscapeParams(elevation=90)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_still_matches_reference(still, update_references, theme):
    image = still(RidgeLandscape, theme=theme)
    diff = compare_to_reference(image, f"ridge_landscape_{theme}", update_references)
    assert diff["mean"] < 1.5 and diff["changed"] < 0.002, diff


def inside(polygon: np.ndarray, point: np.ndarray) -> bool:
    """Even–odd test of a 2D point against a polygon's vertices."""
    x, y = point
    hit = False
    for (x0, y0), (x1, y1) in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def hidden_by_surface(scene, point: np.ndarray, azimuth: float) -> bool:
    """Cast a ray from a display point towards the camera: is it ever under the surface?"""
    s, camera = scene.solution, scene.painter.camera
    ce, se = np.cos(camera.elevation), np.sin(camera.elevation)
    toward = np.array([ce * np.cos(azimuth), ce * np.sin(azimuth), se])
    x0, x1, y0, y1 = s.square
    for t in np.linspace(0.02, 20, 4000):
        p = point + t * toward
        w = p[:2] + scene.mid
        if not (x0 <= w[0] <= x1 and y0 <= w[1] <= y1):
            continue
        height = (LOSS.value(w) - s.f_min) * scene.z_scale
        if p[2] < height and LOSS.value(w) <= s.cap:
            return True
    return False


def test_bottom_point_is_drawn_under_the_faces_that_hide_it(scene):
    """Occlusion, checked against geometry: where a ray from the bowl's bottom point to the
    camera passes under the surface, some face covering the point on screen is drawn after
    the dot; where nothing hides it, no covering face is drawn after it."""
    painter, dot = scene.painter, scene.marks["c"]
    surface = {id(face) for face in scene.marks["surface"]}
    faces = {id(mob): pts for pts, mob, _, _ in painter.shapes if id(mob) in surface}
    seen = set()
    for azimuth in np.linspace(0, 2 * np.pi, 24, endpoint=False):
        painter.paint(azimuth)
        screen = painter.camera.project(scene.bottom[None], azimuth)[0][0][:2]
        after = painter.submobjects[painter.submobjects.index(dot) + 1 :]
        covering = [
            m
            for m in after
            if id(m) in faces
            and inside(painter.camera.project(faces[id(m)], azimuth)[0][:, :2], screen)
        ]
        hidden = hidden_by_surface(scene, scene.bottom, azimuth)
        seen.add(hidden)
        assert bool(covering) == hidden, (np.degrees(azimuth), hidden, len(covering))
    assert seen == {True, False}  # both cases occur around the turn
