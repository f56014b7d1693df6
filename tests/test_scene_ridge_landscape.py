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
    assert RidgeLandscape.results(s)["f_min"] == LOSS.f_min


def test_points_sit_at_their_3d_positions(scene):
    s = scene.solution
    np.testing.assert_allclose(scene.star, scene.display(s.optimum.w, s.f_star)[0])
    np.testing.assert_allclose(scene.bottom, scene.display(s.loss.center, s.loss.f_min)[0])
    # display → data: the square is centred, heights scaled from f_min
    np.testing.assert_allclose(scene.star[:2] + scene.mid, s.optimum.w)
    assert scene.star[2] == pytest.approx((s.f_star - s.loss.f_min) * scene.z_scale)
    assert scene.bottom[2] == 0.0
    # on screen, each dot is centred on the camera's projection of its point
    azimuth = scene.azimuth.get_value()
    for dot, point in zip(scene.dots, (scene.star, scene.bottom), strict=True):
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
