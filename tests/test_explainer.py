"""The explainer, on a one-chapter story (title card, tangency with its card, closing card):
chapters in the video's metadata and in a YouTube list, captions offset to each clip's
start, one speech track, a manifest and gallery entry; --set reaches the chapter; after one
sentence of a script changes, only that clip renders again and the video is re-joined."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import scenes
from narration import SCRIPTS
from scenes import SceneEntry
from studio import explainer
from tests.test_captions import probe
from tests.test_cli import cli  # noqa: F401


@pytest.fixture
def story(cli, monkeypatch, tmp_path):  # noqa: F811
    """A one-chapter explainer whose tangency script is a copy we may edit."""
    from scenes.tangency import Tangency

    folder = tmp_path / "scripts"
    folder.mkdir()
    shutil.copy(SCRIPTS / "tangency.toml", folder / "tangency.toml")
    entry = scenes.CATALOGUE["tangency"]
    monkeypatch.setitem(
        scenes.CATALOGUE,
        "tangency",
        SceneEntry(**{**entry.__dict__, "script": folder / "tangency.toml"}),
    )
    monkeypatch.setattr(Tangency, "script_folder", folder)
    story = (
        explainer.Part("title"),
        explainer.Part("tangency", ("tangency",)),
        explainer.STORY[-1],
    )
    monkeypatch.setattr(explainer, "STORY", story)
    return cli, folder / "tangency.toml"


def chapters_of(video: Path) -> list[tuple[float, str]]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(video)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [(float(c["start_time"]), c["tags"]["title"]) for c in json.loads(out)["chapters"]]


def test_the_explainer_is_one_chaptered_narrated_video(story):
    run, script = story
    done = run("explainer", "-q", "draft", "--set", "k=1.2", "-j", "2")
    assert done.exit_code == 0, done.output
    assert "0 of 4 clips cached" in done.output
    m = json.loads(Path("media/explainer.json").read_text())
    titles = [c["title"] for c in m["results"]["chapters"]]
    assert titles == [
        "Why does ridge regression shrink weights, and which ones?",
        "Where the best weights sit",
        "Three things to keep",
    ]
    for fmt in ("mp4", "webm"):
        video = Path(f"media/explainer.{fmt}")
        marks = chapters_of(video)
        assert [t for _, t in marks] == titles
        assert [s for s, _ in marks] == pytest.approx(
            [c["start"] for c in m["results"]["chapters"]], abs=0.002
        )
        streams = probe(video)["streams"]
        assert {"video", "audio"} <= {s["codec_type"] for s in streams}  # MP4 adds a chapter track
        assert float(probe(video)["format"]["duration"]) == pytest.approx(m["duration_s"], abs=0.15)
    listing = Path("media/explainer.chapters.txt").read_text().splitlines()
    assert listing[0] == f"0:00 {titles[0]}" and len(listing) == 3
    cue_ids = [c["id"] for c in m["cues"]]
    assert (
        cue_ids[0] == "card:title"
        and "tangency:touch" in cue_ids
        and cue_ids[-1] == "card:closing.shrink"
    )
    starts = [c["start"] for c in m["cues"]]
    assert starts == sorted(starts) and m["cues"][-1]["end"] <= m["duration_s"] + 1e-6
    # --set reached the chapter: λ for k = 1.2
    touch = " ".join(c["text"] for c in m["cues"] if c["id"] == "tangency:touch")  # its parts
    assert "λ = 2.99" in touch
    assert "explainer.mp4" in Path("media/index.html").read_text()

    # edit one sentence: only that clip renders again
    script.write_text(script.read_text().replace("just touches the circle", "touches the circle"))
    again = run("explainer", "-q", "draft", "--set", "k=1.2", "-j", "2")
    assert again.exit_code == 0, again.output
    assert "3 of 4 clips cached" in again.output
    assert "touches the circle" in Path("media/explainer.vtt").read_text()
    assert "up to date" in run("explainer", "-q", "draft", "--set", "k=1.2").output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["explainer", "-f", "gif"], "the explainer is a video"),
        (["explainer", "tangency"], "render the explainer on its own"),
        (["explainer", "--theme", "both"], "render the explainer in one theme"),
        (["explainer", "--set", "kk=1"], "no chapter of the explainer takes it"),
    ],
)
def test_explainer_usage_errors(cli, args, words):  # noqa: F811
    result = cli(*args)
    assert result.exit_code == 2 and words in result.output, result.output
