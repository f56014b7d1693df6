"""Captions timed from the scene's clock, their check, their files; and what a render does
with them and with a voice: .vtt/.srt beside every moving format, speech muxed into MP4 (AAC)
and WebM (Opus) with each cue starting within a frame of its speech, burnt-in captions, and
every bad narration input refused before anything renders."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from narration import Line
from scenes.base import Spoken
from studio.audio import speech_onsets
from studio.captions import Cue, band_height, make_cues, problems, to_ass, to_srt, to_vtt
from tests.test_cli import cli, manifest  # noqa: F401  (the CliRunner fixture)

LINES = {
    "a": Line("a", "The ellipses are level sets of the loss f.", "x"),
    "b": Line("b", "At x₀ a level set just touches the circle: ∇f = −λ∇g.", "x"),
}


def test_cues_start_on_the_frame_their_segment_started_and_last_at_most_7_s():
    timeline = [Spoken("a", 0.0, 3.0), Spoken("b", 3.0, 12.05)]
    cues = make_cues(timeline, LINES, fps=20, duration=12.0)
    assert [(c.id, c.start, c.end) for c in cues] == [("a", 0.0, 3.0), ("b", 3.0, 10.0)]
    assert cues[1].lines == ("At x₀ a level set just", "touches the circle: ∇f = −λ∇g.")
    assert problems(cues, ["a", "b"]) == []


def test_a_caption_stays_until_its_speech_ends_split_in_two_cues_when_that_is_long():
    """8.5 s of speech in a 9 s beat: one cue would leave at 7 s, before the words end; each
    of the caption's two lines becomes a cue (timed by its share of the characters), the
    second lasting until the speech ends. Speech within 7 s keeps one cue."""
    timeline = [Spoken("a", 0.0, 3.0), Spoken("b", 3.0, 12.0)]
    cues = make_cues(timeline, LINES, fps=20, duration=12.0, speech={"a": 2.0, "b": 8.5})
    assert [(c.name, c.start, c.end) for c in cues] == [
        ("a", 0.0, 3.0),
        ("b", 3.0, 6.6),  # 22 of 52 characters of 8.5 s, on a frame
        ("b/2", 6.6, 11.5),
    ]
    assert [c.lines for c in cues[1:]] == [(line,) for line in LINES["b"].lines]
    assert problems(cues, ["a", "b"], {"a": 2.0, "b": 11.5}) == []
    capped = make_cues(timeline, LINES, fps=20, duration=12.0)  # silent: one cue, 7 s
    assert problems(capped, ["a", "b"], {"b": 11.5}) == ["b: the caption leaves 1.50 s early"]
    # 19 s of speech: each line stays longer than 7 s, as long as the words last
    timeline = [Spoken("a", 0.0, 3.0), Spoken("b", 3.0, 25.0)]
    long = make_cues(timeline, LINES, fps=20, duration=25.0, speech={"a": 2.0, "b": 19.0})
    assert [(c.name, c.end - c.start > 7) for c in long[1:]] == [("b", True), ("b/2", True)]
    assert long[-1].end == 22.0 and problems(long, ["a", "b"], {"b": 22.0}) == []
    assert problems(long, ["a", "b"], {"b": 12.0}) == ["b/2: on screen 10.95 s, not 0.83–7.0 s"]


@pytest.mark.parametrize(
    ("cues", "words"),
    [
        ([Cue("a", 0, 0.5, ("short",))], "on screen 0.50 s"),
        ([Cue("a", 0, 8, ("long",))], "on screen 8.00 s"),
        ([Cue("a", 0, 1, ("x" * 30,))], "30.0 characters a second"),
        ([Cue("a", 0, 5, ("x" * 43,))], "more than 2 lines of 42"),
        ([Cue("a", 0, 5, ("x", "y", "z"))], "more than 2 lines"),
        ([Cue("a", 0, 3, ("x",)), Cue("b", 2, 4, ("y",))], "a and b overlap"),
        ([Cue("b", 0, 2, ("x",)), Cue("a", 2, 4, ("y",))], "against the script's order"),
    ],
)
def test_the_check_finds_every_broken_limit(cues, words):
    found = problems(cues, ["a", "b"])
    assert any(words in f for f in found), found


def test_vtt_srt_and_ass_files():
    cues = [Cue("a", 0.0, 2.5, ("One line",)), Cue("b", 62.05, 65.0, ("Two", "lines"))]
    assert to_vtt(cues) == (
        "WEBVTT\n\na\n00:00:00.000 --> 00:00:02.500\nOne line\n\n"
        "b\n00:01:02.050 --> 00:01:05.000\nTwo\nlines\n"
    )
    assert to_srt(cues).startswith("1\n00:00:00,000 --> 00:00:02,500\nOne line\n\n2\n")
    ass = to_ass(cues, 768, 432, "#ECEFF4", "#101218")
    assert f"PlayResY: {432 + band_height(432)}" in ass
    assert "&H00F4EFEC" in ass and "&H00181210" in ass  # colours as &HAABBGGRR
    assert r"Dialogue: 0, 0:01:02.05, 0:01:05.00, Caption, Two\Nlines" in ass


# --- renders -------------------------------------------------------------------------------


def probe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def test_a_narrated_render_muxes_speech_in_sync_with_its_captions(cli):  # noqa: F811
    done = cli("tiny", "-q", "draft", "-f", "mp4", "-f", "webm", "-f", "gif", "--voice", "espeak")
    assert done.exit_code == 0, done.output
    m = manifest("tiny.espeak")  # a narrated render: <stem>.<voice>.*
    assert m["voice"] == "espeak" and m["captions"] == {
        "vtt": "tiny.espeak.vtt",
        "srt": "tiny.espeak.srt",
    }
    assert [c["id"] for c in m["cues"]] == ["draw"]
    vtt = Path("media/tiny.espeak.vtt").read_text()
    assert "A circle of radius 1.00." in vtt
    for fmt, codec in (("mp4", "aac"), ("webm", "opus")):
        streams = {s["codec_type"]: s for s in probe(Path(f"media/tiny.espeak.{fmt}"))["streams"]}
        assert streams["audio"]["codec_name"] == codec
        assert int(streams["audio"]["sample_rate"]) == 48_000
        onset = speech_onsets(Path(f"media/tiny.espeak.{fmt}"), -45, 0.15, 0.01)[0]
        assert abs(onset - m["cues"][0]["start"]) <= 1 / m["fps"] + 0.03  # a frame, codec delay
    assert "audio" not in {s["codec_type"] for s in probe(Path("media/tiny.espeak.gif"))["streams"]}
    embed = Path("media/tiny.espeak.embed.md").read_text()
    assert (
        '<track kind="captions" srclang="en" label="English" src="tiny.espeak.vtt" default>'
        in embed
    )


def test_burnt_captions_add_a_band_with_the_words(cli):  # noqa: F811
    assert cli("tiny", "-q", "draft", "-f", "mp4", "--captions", "burn").exit_code == 0
    video = probe(Path("media/tiny.espeak.mp4"))["streams"][0]
    assert (video["width"], video["height"]) == (384, 216 + band_height(216))
    raw = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-ss",
            "0.5",
            "-i",
            "media/tiny.espeak.mp4",
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    frame = np.frombuffer(raw, np.uint8).reshape(video["height"], video["width"], 3)
    band = frame[216:].astype(int)
    background = np.array([0x10, 0x12, 0x18])
    lit = np.abs(band - background).max(axis=-1) > 80
    assert lit.mean() > 0.01  # the caption's letters are there


@pytest.mark.parametrize(
    ("script", "args", "words"),
    [
        ('[[beat]]\nid = "drw"\ncaption = "x"\n', [], ["tiny.toml", "beat 'drw'", "no such beat"]),
        ('[[beat]]\nid = "draw"\ncaption = "{radios:.2f}"\n', [], ["unknown field 'radios'"]),
        ('[[beat]]\nid = "draw"\ncaption = "∇f"\n', ["--voice", "espeak"], ["cannot read"]),
    ],
)
def test_bad_narration_is_refused_before_anything_renders(
    cli,  # noqa: F811
    monkeypatch,
    tmp_path,
    script,
    args,
    words,
):
    from tests import tiny_scene

    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "tiny.toml").write_text(script)
    monkeypatch.setattr(tiny_scene.Tiny, "script_folder", folder)
    result = cli("tiny", "-q", "draft", *args)
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, result.output
    assert "Traceback" not in result.output and not Path("media").exists()


def test_a_bad_recording_is_refused_before_anything_renders(cli, tmp_path):  # noqa: F811
    folder = tmp_path / "voice" / "tiny"
    folder.mkdir(parents=True)
    (folder / "draw.wav").write_bytes(b"not a wav")
    result = cli("tiny", "-q", "draft", "-f", "mp4", "--recordings", str(tmp_path / "voice"))
    assert result.exit_code == 2 and "draw.wav: not a PCM WAV file" in result.output
    assert not Path("media").exists()
