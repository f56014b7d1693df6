"""--gif-max-kb: the best GIF that fits (the first step of the ladder whose file does), its
choice and SSIM in the manifest and the snippets; a budget nothing fits is one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenes.tangency import Tangency
from scenes.theme import THEMES
from studio.encode import GIF_LADDER, EncodeError, encode_gif, fit_gif
from studio.frames import render_frames
from tests.test_cli import cli  # noqa: F401


@pytest.fixture(scope="module")
def frames(tmp_path_factory, tex_cache):
    work = tmp_path_factory.mktemp("frames")
    params = Tangency.Params()
    return render_frames(Tangency, params, THEMES["dark"], (384, 216, 10), work, tex_cache)


def test_the_best_gif_that_fits(frames, tmp_path):
    best = tmp_path / "best.gif"
    encode_gif(frames, best)
    budget = int(0.7 * best.stat().st_size)
    fitted = fit_gif(frames, tmp_path / "fitted.gif", budget)
    assert fitted["bytes"] == (tmp_path / "fitted.gif").stat().st_size <= budget
    chosen = next(i for i, s in enumerate(GIF_LADDER) if s.describe().items() <= fitted.items())
    assert chosen > 0
    for better in GIF_LADDER[:chosen]:  # every better step is over the budget
        encode_gif(frames, tmp_path / "better.gif", better)
        assert (tmp_path / "better.gif").stat().st_size > budget
    assert 0.9 < fitted["ssim"] < 1.0


def test_a_budget_nothing_fits_is_one_line(frames, tmp_path):
    with pytest.raises(EncodeError, match=r"no GIF of this scene fits in 1 KB") as err:
        fit_gif(frames, tmp_path / "x.gif", 1024)
    assert "\n" not in str(err.value)


def test_the_manifest_and_snippets_record_the_choice(cli):  # noqa: F811
    done = cli("tangency", "-q", "draft", "--gif-max-kb", "60")
    assert done.exit_code == 0, done.output
    m = json.loads(Path("media/tangency.json").read_text())
    assert m["gif_fit"]["budget"] == 60 * 1024
    assert m["bytes"]["gif"] == m["gif_fit"]["bytes"] <= 60 * 1024
    assert m["gif_fps"] == (m["gif_fit"]["fps"] or 20)
    assert "The GIF was fitted in 60 KB" in Path("media/tangency.embed.md").read_text()
    assert cli("tangency", "-q", "draft", "--gif-max-kb", "10").exit_code == 2  # below 50
