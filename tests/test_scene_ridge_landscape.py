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
from studio.params import build
from tests.problems_grid import NAMES, overrides
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


def decoded(video, width, height) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3).astype(int)


@pytest.mark.parametrize("scene_class", [RidgeLandscape, RidgeLandscapeThumbnail])
def test_render_loops_seamlessly(scene_class, tmp_path, tex_cache):
    """One turn at constant speed that stops a step short: the frame after the last would
    be the first (no jump, and no frame shown twice)."""
    params = dataclasses.replace(scene_class.Params(), spin_time=2.0, resolution=8)
    frames = render_frames(scene_class, params, DARK, (256, 144, 10), tmp_path, tex_cache)
    video = decoded(frames.video, 256, 144)
    assert len(video) == frames.count == len(frames.readouts)
    assert frames.loops and frames.count >= 20  # the captions' reading time sets the length
    solution = scene_class.solve(params)
    pacing = scene_class.silent_pacing(solution)
    assert frames.count == scene_class.frames_to_share(params, pacing, 10)  # known beforehand
    beats = [t.end - t.start for t in frames.timeline]  # constant speed: equal thirds
    assert max(beats) - min(beats) <= 0.1 + 1e-9
    azimuths = np.array([frames.readouts[i]["azimuth"] for i in range(frames.count)])
    steps = np.diff(np.append(azimuths, azimuths[0])) % 360  # the last step wraps round
    np.testing.assert_allclose(steps, 360 / frames.count, atol=1e-4)
    assert azimuths[0] == pytest.approx(params.start_azimuth)
    halfway = video[frames.count // 2]
    assert np.abs(halfway - video[0]).mean() > 0.5  # it does turn in between


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


def test_the_points_are_drawn_over_the_faces_they_lie_on(scene):
    """The surface is cut along a level set, so from 30° up the bowl's near wall hides its
    bottom from most sides: the markers of x*_free and w* are drawn in front of the faces
    around them (like their labels), at every angle of the turn, so the reader always sees
    both points."""
    painter = scene.painter
    surface = {id(face) for face in scene.marks["surface"]}
    faces = {id(mob): pts for pts, mob, _, _ in painter.shapes if id(mob) in surface}
    for name, point in (("c", scene.bottom), ("w_star", scene.star)):
        dot = scene.marks[name]
        for azimuth in np.linspace(0, 2 * np.pi, 24, endpoint=False):
            painter.paint(azimuth)
            screen = painter.camera.project(point[None], azimuth)[0][0][:2]
            after = painter.submobjects[painter.submobjects.index(dot) + 1 :]
            around = [
                m
                for m in after
                if id(m) in faces
                and np.linalg.norm(faces[id(m)].mean(axis=0) - point) < scene.face_size
                and inside(painter.camera.project(faces[id(m)], azimuth)[0][:, :2], screen)
            ]
            assert around == [], (name, np.degrees(azimuth))


@pytest.mark.parametrize("problem", NAMES)
def test_the_surface_is_cut_along_a_level_set_for_every_problem(problem):
    """A level rim (f = cap on the floor's outline) above the whole constraint curve, so the
    bowl never reads as a saddle; the floor's axes end on the rim."""
    params, s = build(RidgeLandscape, overrides(problem, RidgeLandscape))
    loss = params.loss()
    np.testing.assert_allclose(loss.value(s.rim), s.cap, rtol=1e-9)
    assert s.cap > s.circle_values.max()
    for axis in s.floor_axes:
        assert np.all(loss.value(axis) <= s.cap + 1e-9)
