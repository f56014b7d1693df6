"""The explainer, on a one-chapter story (title card, tangency with its card, closing card):
chapters in the video's metadata and in a YouTube list, captions offset to each clip's
start, one speech track, a manifest and gallery entry; --set reaches the chapter; after one
sentence of a script changes, only that clip renders again and the video is re-joined.
Rendered as CI renders it (each chapter on its own machine, --assemble joining what they
made) it is the same video as rendered on one machine; `--list --json` keys each chapter."""

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


def stream_digest(video: Path, stream: str) -> str:
    """The MD5 of a video's stream ("v", "a") as stored (not decoded)."""
    cmd = ["ffmpeg", "-v", "error", "-i", str(video), "-map", f"0:{stream}", "-c", "copy"]
    return subprocess.run(
        [*cmd, "-f", "md5", "-"], capture_output=True, text=True, check=True
    ).stdout.strip()


def joined(out: str = "media") -> dict:
    """The explainer in `out` as a viewer gets it: its streams, chapter marks, captions and
    chapter list, the manifest's cues and chapters."""
    m = json.loads(Path(out, "explainer.json").read_text())
    seen: dict = {"cues": m["cues"], "chapters": m["results"]["chapters"]}
    for fmt in ("mp4", "webm"):
        video = Path(out, f"explainer.{fmt}")
        seen[fmt] = (stream_digest(video, "v"), stream_digest(video, "a"), chapters_of(video))
    for kind in ("vtt", "srt", "chapters.txt"):
        seen[kind] = Path(out, f"explainer.{kind}").read_text()
    return seen


def arrive(machine: str) -> None:
    """What CI's collect job downloads from a chapter's job: its clips and their speech."""
    for folder in ("clips", "voice"):
        shutil.copytree(
            Path(machine, ".cache", folder), Path("media/.cache", folder), dirs_exist_ok=True
        )


def test_the_explainer_is_one_chaptered_narrated_video(story):
    """Rendered as CI does (--chapter on two machines, --assemble where their clips arrive),
    then on one machine from the same clips: the same streams, captions and chapter marks.
    Then what the video holds, and a one-sentence edit."""
    run, script = story
    options = ("-q", "draft", "--set", "k=1.2", "-j", "2")
    nothing = run("explainer", "--assemble", *options)
    assert nothing.exit_code == 2, nothing.output
    assert (
        "--assemble: no clips rendered with these options in media/.cache/clips/" in nothing.output
    )
    # as CI renders it: the chapters on two machines, then the join where they arrive
    for machine, chapters in (("m1", ["1"]), ("m02", ["0", "2"])):
        picked = [a for n in chapters for a in ("--chapter", n)]
        done = run("explainer", *picked, *options, "--out", machine)
        assert done.exit_code == 0, done.output
        assert f"explainer chapter {', '.join(chapters)}: 0 of 2 clips cached" in done.output
        assert not Path(machine, "explainer.json").exists()
    arrive("m1")
    early = run("explainer", "--assemble", *options)
    assert early.exit_code == 2, early.output
    assert "no clips of chapters 0 (title), 2 (closing)" in early.output
    assert "--chapter 0 --chapter 2" in early.output and not Path("media/explainer.mp4").exists()
    arrive("m02")
    done = run("explainer", "--assemble", *options)
    assert done.exit_code == 0, done.output
    assert "explainer: 4 of 4 clips cached" in done.output
    split = joined()
    # on one machine: the same clips (all cached), joined into the same video
    for path in Path("media").glob("explainer.*"):
        path.unlink()
    done = run("explainer", *options)
    assert done.exit_code == 0, done.output
    assert "explainer: 4 of 4 clips cached" in done.output
    assert joined() == split
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

    # edit one sentence: --assemble refuses (that clip is not rendered), the video stays
    script.write_text(script.read_text().replace("just touches the circle", "touches the circle"))
    video = Path("media/explainer.mp4").read_bytes()
    refused = run("explainer", "--assemble", *options)
    assert refused.exit_code == 2 and "no clips of chapter 1 (tangency)" in refused.output
    assert Path("media/explainer.mp4").read_bytes() == video
    # and only that clip renders again
    again = run("explainer", *options)
    assert again.exit_code == 0, again.output
    assert "3 of 4 clips cached" in again.output
    assert "touches the circle" in Path("media/explainer.vtt").read_text()
    assert "up to date" in run("explainer", "-q", "draft", "--set", "k=1.2").output


def test_the_chapter_listing_keys_each_chapter_on_its_inputs(story):
    """What CI's matrix is made of: numbers --chapter takes, headings, and an inputs digest
    that changes with a chapter's script (that chapter's only) and with the options."""
    run, script = story

    def listing(*options: str) -> list[dict]:
        done = run("explainer", "--list", "--json", *options)
        assert done.exit_code == 0, done.output
        return json.loads(done.output)

    before = listing("-q", "draft")
    assert [(c["chapter"], c["card"], c["scenes"]) for c in before] == [
        (0, "title", []),
        (1, "tangency", ["tangency"]),
        (2, "closing", []),
    ]
    assert before[1]["title"] == "Where the best weights sit"
    assert all(len(c["inputs"]) == 64 for c in before) and len({c["inputs"] for c in before}) == 3
    assert all(a["inputs"] != b["inputs"] for a, b in zip(listing(), before, strict=True))
    script.write_text(script.read_text().replace("just touches the circle", "touches the circle"))
    after = listing("-q", "draft")
    assert [a["inputs"] == b["inputs"] for a, b in zip(after, before, strict=True)] == [
        True,
        False,
        True,
    ]
    plain = run("explainer", "--list").output.splitlines()
    assert plain[1] == " 1  Where the best weights sit  (card, tangency)"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["explainer", "-f", "gif"], "the explainer is a video"),
        (["explainer", "tangency"], "render the explainer on its own"),
        (["explainer", "--theme", "both"], "render the explainer in one theme"),
        (["explainer", "--set", "kk=1"], "no chapter of the explainer takes it"),
        (["explainer", "--chapter", "12"], "--chapter 12: the chapters are 0 to 11"),
        (["explainer", "--chapter", "1", "--assemble"], "give one"),
        (["tangency", "--assemble"], "--chapter and --assemble are the explainer's"),
    ],
)
def test_explainer_usage_errors(cli, args, words):  # noqa: F811
    result = cli(*args)
    assert result.exit_code == 2 and words in result.output, result.output
