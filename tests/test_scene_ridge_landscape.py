"""ridge_landscape: points where mathcore puts them, depth order, a seamless loop, labels
placed by rule at every angle of the turn, and readouts arriving with their beats. The final
still is compared with its reference in tests/test_references.py."""

from __future__ import annotations

import dataclasses
import math
import subprocess

import numpy as np
import pytest

import mathcore as mc
from scenes.plane import box_of, overlap, tip_box
from scenes.ridge_landscape import RidgeLandscape, RidgeLandscapeParams, RidgeLandscapeThumbnail
from scenes.theme import DARK
from studio.frames import render_frames
from studio.params import build
from tests.problems_grid import NAMES, overrides
from tests.scenetools import construct

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


@pytest.mark.parametrize("turned", [0.0, 0.3, 0.55, 0.8])
def test_painter_draws_far_to_near(scene, turned):
    """The floor first, then far to near by mean depth; the bowl's faces among themselves:
    every face seen from above (the far wall's inside) before every face seen from below
    (the near wall), which a line of sight crosses first."""
    painter = scene.painter
    azimuth = scene.azimuth.get_value() + 2 * math.pi * turned
    painter.paint(azimuth)
    index = {id(mob): i for i, (_, mob, _, _) in enumerate(painter.shapes)}
    order = [index[id(mob)] for mob in painter.submobjects]
    keys = []
    for i in order:
        pts, _, lift, backdrop = painter.shapes[i]
        keys.append(np.inf if backdrop else painter.camera.project(pts, azimuth)[1].mean() - lift)
    keys = np.array(keys)
    backdrop = int(np.sum(keys == np.inf))
    assert np.all(keys[:backdrop] == np.inf)  # the floor first
    others = [k for i, k in zip(order, keys, strict=True) if i not in painter.normals]
    assert np.all(np.diff(others[backdrop:]) <= 1e-12)  # then farthest to nearest
    ce, se = math.cos(painter.camera.elevation), math.sin(painter.camera.elevation)
    to_camera = np.array([ce * math.cos(azimuth), ce * math.sin(azimuth), se])
    faces = [i for i in order if i in painter.normals]
    below = [bool(painter.normals[i] @ to_camera < 0) for i in faces]
    assert 0 < sum(below) < len(below)
    assert below == sorted(below)  # seen from above, then from below
    painter.paint(scene.azimuth.get_value())


def test_every_frame_draws_its_own_depth_order(scene):
    """Manim flattens the moving mobjects' families when a play begins; the scene hands over
    the top-level mobjects instead, so the painter's order of each frame is the one drawn."""
    moving, static = scene.get_moving_and_static_mobjects([])
    assert scene.painter in moving and static == []
    assert not any(m in moving for m in scene.painter.submobjects)


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


def turned_to(scene, share: float) -> None:
    """The camera `share` of the way round from its start, every updater run."""
    scene.azimuth.set_value(math.radians(scene.params.start_azimuth) + 2 * math.pi * share)
    scene.update_mobjects(0)


def test_the_legend_and_the_w_star_label_arrive_with_their_beats(scene):
    """bowl: the height line; cylinder: + the budget; lowest point: + w*, λ and the floor,
    and w*'s label (the legend's lines as the captions name them)."""
    legend, label = scene.marks["legend"], scene.marks["w_star_label"]

    def shown(mob) -> bool:
        return all(m.get_fill_opacity() > 0.95 for m in mob.family_members_with_points())

    def hidden(mob) -> bool:
        return all(m.get_fill_opacity() < 0.05 for m in mob.family_members_with_points())

    turned_to(scene, 0.0)
    assert shown(legend[0]) and hidden(legend[1]) and hidden(legend[2:]) and hidden(label)
    assert shown(scene.marks["center_label"])
    turned_to(scene, 0.5)
    assert shown(legend[:2]) and hidden(legend[2:]) and hidden(label)
    turned_to(scene, 0.9)
    assert shown(legend) and shown(label)
    turned_to(scene, 1.0)


def test_labels_stay_clear_of_each_other_and_of_the_lowest_point(scene):
    """At every angle of the turn: no two labels overlap, none covers a dot (w*, the cut's
    lowest point, or ŵ), and every label stays in the frame."""
    camera = scene.painter.camera
    for share in np.linspace(0.0, 1.0, 24, endpoint=False):
        turned_to(scene, share)
        azimuth = scene.azimuth.get_value()
        dots, _ = camera.project(np.array([scene.star, scene.bottom]), azimuth)
        boxes = [box_of(m) for m in scene.labels if m.get_fill_opacity() > 0.05]
        for i, a in enumerate(boxes):
            assert all(overlap(a, b) == 0 for b in boxes[i + 1 :]), share
            assert all(overlap(a, tip_box(d, 0.08)) == 0 for d in dots), share
            assert -7.11 < a[0] and a[2] < 7.11 and -4 < a[1] and a[3] < 4
    turned_to(scene, 1.0)


def test_the_3d_object_fills_the_left_of_the_frame(scene):
    """Bigger than issue 27's 240×220 px (of 768): across the turn the bowl's outline spans
    at least 7 scene units (380 px) on screen, and at every angle it stays between the
    frame's left edge and the legend."""
    camera = scene.painter.camera
    legend = box_of(scene.marks["legend"])
    widths = []
    for share in np.linspace(0.0, 1.0, 12, endpoint=False):
        rim, _ = camera.project(scene.floor_point(scene.solution.rim), share * 2 * math.pi)
        widths.append(rim[:, 0].max() - rim[:, 0].min())
        assert rim[:, 0].max() < legend[0] and rim[:, 0].min() > -7.11
    assert max(widths) > 7.0


def test_the_points_are_drawn_over_the_picture_at_every_angle(scene):
    """The surface is cut along a level set, so from 30° up the bowl's near wall hides its
    bottom from most sides: the dots of ŵ and w* are drawn over the painted picture (like
    their labels), each where the camera sees its point, at every angle of the turn, so the
    reader always sees both points."""
    camera = scene.painter.camera
    for share in np.linspace(0.0, 1.0, 24, endpoint=False):
        turned_to(scene, share)
        azimuth = scene.azimuth.get_value()
        for name, point in (("c", scene.bottom), ("w_star", scene.star)):
            dot = scene.marks[name]
            assert scene.mobjects.index(dot) > scene.mobjects.index(scene.painter)
            screen, _ = camera.project(point[None], azimuth)
            assert np.linalg.norm(dot.get_center() - screen[0]) < 1e-9
            assert dot.radius * 768 / 14.222 >= 5  # a 10 px dot at the blog size
    turned_to(scene, 1.0)


@pytest.mark.parametrize("problem", NAMES)
def test_the_surface_is_cut_along_a_level_set_for_every_problem(problem):
    """A level rim (f = cap on the floor's outline) above the whole constraint curve, so the
    bowl never reads as a saddle; the floor's axes end on the rim; the bowl's bands are level
    sets of f from ŵ out to that rim, so its colour bands follow the contours."""
    params, s = build(RidgeLandscape, overrides(problem, RidgeLandscape))
    loss = params.loss()
    np.testing.assert_allclose(loss.value(s.rim), s.cap, rtol=1e-9)
    assert s.cap > s.circle_values.max()
    for axis in s.floor_axes:
        assert np.all(loss.value(axis) <= s.cap + 1e-9)
    np.testing.assert_allclose(s.bowl[0], np.broadcast_to(s.center, s.bowl[0].shape))
    for ring, level in zip(s.bowl[1:], s.bowl_levels[1:], strict=True):
        np.testing.assert_allclose(loss.value(ring), level, rtol=1e-9)
    assert s.bowl_levels[0] == s.f_min and s.bowl_levels[-1] == pytest.approx(s.cap, rel=1e-12)
    assert np.all(np.diff(s.bowl_levels) > 0)
