"""One scene across cores: a scene's frames drawn by two processes (blocks of frames dealt
out in turn) and joined are the frames one process draws, poster included: the same number,
at the same times, and for the scene that shares its frames in a render (the 3D turn:
RidgeScene.frames_to_share) the same pixels. Any other scene would match up to
floating-point rounding (a worker that skips frames does not run their updaters, so a label
moved by relative shifts can land an ulp away and flip antialiased edge pixels: in all, at
most 0.5% of the pixels differ; by more than 4 levels (of 255) only on two frames at most,
in under 0.5% of their pixels; measured at 5 fps: eigen_shrinkage's frames 98 and 132)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scenes import CATALOGUE
from scenes.theme import THEMES
from studio.encode import MP4, WEBM, video_output
from studio.job import draw

SIZE = (192, 108, 5)  # small and slow: the point is which frames, not how many pixels
CUTS = tuple(range(7, 10_000, 7))  # many hand-overs between the workers, at odd places


def decoded(video: Path) -> np.ndarray:
    """Every frame of `video` as RGB, shape (frames, height, width, 3)."""
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(done.stdout, dtype=np.uint8).reshape(-1, SIZE[1], SIZE[0], 3)


def render(entry, shares: int, workdir: Path, tex_cache: Path):
    scene_class = entry.load()
    params = scene_class.Params()
    workdir.mkdir()
    return draw(
        scene_class,
        shares,
        CUTS if shares > 1 else None,
        params=params,
        theme=THEMES["dark"],
        size=SIZE,
        workdir=workdir,
        tex_dir=tex_cache,
        solution=scene_class.solve(params),
    )


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_two_workers_draw_exactly_the_frames_of_one(name, tmp_path, tex_cache):
    entry = CATALOGUE[name]
    one = render(entry, 1, tmp_path / "one", tex_cache)
    two = render(entry, 2, tmp_path / "two", tex_cache)
    assert two.count == one.count > 2 * CUTS[0]
    assert [s.start for s in two.timeline] == [s.start for s in one.timeline]
    a, b = decoded(one.video).astype(int), decoded(two.video).astype(int)
    assert a.shape == b.shape
    gap = np.abs(a - b).max(axis=-1)
    posters = [np.asarray(Image.open(f.poster).convert("RGB"), dtype=int) for f in (one, two)]
    poster_gap = np.abs(posters[0] - posters[1]).max()
    scene_class = entry.load()
    solution = scene_class.solve(scene_class.Params())
    pacing = scene_class.silent_pacing(solution)
    if scene_class.frames_to_share(scene_class.Params(), pacing, SIZE[2]) is not None:
        assert gap.max() == 0 and poster_gap == 0  # shared in renders: identical
    else:  # not shared in renders: nearly identical (a label an ulp away after a cut)
        flipped = (gap > 4).reshape(len(gap), -1).mean(axis=1)  # per frame: pixels off by > 4
        assert np.count_nonzero(flipped) <= 2, np.flatnonzero(flipped)  # eigen_shrinkage: 2
        assert flipped.max() <= 5e-3, flipped.max()
        assert (gap > 0).mean() <= 5e-3, (gap > 0).mean()
        assert poster_gap <= 4


def test_videos_encoded_by_the_workers_are_joined_into_one_each(tmp_path, tex_cache):
    """Without lossless frames, each worker encodes its run of frames as it draws them; the
    runs are joined by stream copy into one MP4 and one WebM: every frame, one per 1/fps,
    the picture one process encodes (the same frames, encoded in two pieces)."""
    scene_class = CATALOGUE["ridge_landscape"].load()
    params = scene_class.Params()
    solution = scene_class.solve(params)
    streams = {"mp4": video_output(MP4), "webm": video_output(WEBM)}
    videos = {}
    for shares in (1, 2):
        (tmp_path / str(shares)).mkdir()
        frames = draw(
            scene_class,
            shares,
            params=params,
            theme=THEMES["dark"],
            size=SIZE,
            workdir=tmp_path / str(shares),
            tex_dir=tex_cache,
            solution=solution,
            pacing=scene_class.silent_pacing(solution),
            streams=streams,
            lossless=False,
        )
        assert frames.video is None and set(frames.streamed) == set(streams)
        assert frames.count == scene_class.frames_to_share(
            params, scene_class.silent_pacing(solution), SIZE[2]
        )
        videos[shares] = frames
    for extension in streams:
        one, two = (decoded(videos[n].streamed[extension]).astype(int) for n in (1, 2))
        assert len(one) == len(two) == videos[1].count
        assert np.abs(one - two).mean() < 1.0
        stamps = subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "v",
                "-show_entries",
                "frame=pts_time",
                "-of",
                "csv=p=0",
                str(videos[2].streamed[extension]),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        times = np.array([float(t.strip(",")) for t in stamps])
        np.testing.assert_allclose(times, np.arange(len(one)) / SIZE[2], atol=2e-3)
