"""The output registry: every format is one module of studio/outputs/; the snippets and the
gallery loop over it; animated WebP; the poster with every moving render; snippets that fit
any column; narrated video started by the reader; the figure's hash key named."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from studio import embed, gallery
from studio.formats import FORMATS, with_poster
from studio.outputs import OUTPUTS
from studio.outputs.html import link
from tests.test_cli import cli  # noqa: F401
from tests.test_gallery import CHROMIUM, FLAGS
from tests.test_manifest import GOOD

ROOT = Path(__file__).resolve().parent.parent


def test_embed_and_gallery_never_name_a_format():
    for module in (embed, gallery):
        text = Path(module.__file__).read_text()
        for name in OUTPUTS:
            assert not re.search(rf"[\"']{name}[\"']", text), (module.__name__, name)


def test_every_format_is_one_module_of_the_registry():
    assert FORMATS is OUTPUTS
    for name, output in OUTPUTS.items():
        assert (ROOT / "studio" / "outputs" / f"{name}.py").is_file()
        assert output.name == name and output.role in ("image", "video", "page", "still")


def test_a_moving_render_always_brings_its_poster():
    assert with_poster(("gif",)) == ("gif", "png")
    assert with_poster(("webm", "mp4")) == ("webm", "mp4", "png")
    assert with_poster(("png",)) == ("png",)
    assert with_poster(("gif", "png")) == ("gif", "png")


def test_the_html_snippet_names_the_hash_key():
    scrub = {
        "readouts": [{"key": "lam", "name": "λ", "decimals": 2}],
        "frames": [{"lam": 0.1}, {"lam": 0.3}, {"lam": 0.5}],
    }
    m = dataclasses.replace(GOOD, scrub=scrub)
    assert link(m, "x.html") == "x.html#lam=<value>, e.g. x.html#lam=0.30"
    # --theme both: one iframe, whose page follows the reader's colour scheme
    files = {"html": f"{m.scene}.html"}
    alone = "\n".join(OUTPUTS["html"].snippet(dataclasses.replace(m, files=files)))
    pair = dataclasses.replace(m, files=files, pair=f"{m.scene}-light", theme="dark")
    paired = "\n".join(OUTPUTS["html"].snippet(pair))
    assert alone.count("<iframe") == paired.count("<iframe") == 1
    assert "readers who prefer light" in paired and "prefer" not in alone


@pytest.fixture
def webp(cli):  # noqa: F811
    done = cli("tiny", "-q", "draft", "-f", "webp", "-f", "gif")
    assert done.exit_code == 0, done.output
    return Path("media").resolve()


def test_webp_fits_its_budget_and_is_served_first_with_the_gif_as_fallback(webp):
    m = json.loads((webp / "tiny.json").read_text())
    assert m["files"] == {"gif": "tiny.gif", "png": "tiny.png", "webp": "tiny.webp"}
    fit = m["notes"]["webp"]
    assert m["bytes"]["webp"] == fit["bytes"] <= fit["budget"] == 1024 * 1024
    assert fit["ssim"] >= 0.97
    assert (webp / "tiny.webp").read_bytes()[8:12] == b"WEBP"
    snippet = (webp / "tiny.embed.md").read_text()
    picture = snippet[snippet.index("<picture>") : snippet.index("</picture>") + 10]
    assert picture.index("tiny.png") < picture.index("tiny.webp") < picture.index("tiny.gif")
    assert '<source srcset="tiny.webp" type="image/webp">' in picture
    assert '<img src="tiny.gif"' in picture and 'style="max-width:100%;height:auto"' in picture
    assert "![A circle of radius 1.00.](tiny.gif)" in snippet  # Markdown: the universal one
    (webp / "post.html").write_text(f'<!doctype html><body style="width:300px">{picture}</body>')
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 320, "height": 600})
        page.goto((webp / "post.html").as_uri())
        page.wait_for_function("document.querySelector('img').complete")
        src = page.evaluate("document.querySelector('img').currentSrc")
        width = page.evaluate("document.querySelector('img').getBoundingClientRect().width")
        browser.close()
    assert src.rsplit("/", 1)[1] == "tiny.webp"
    assert width <= 300  # fits a column narrower than the render


def test_a_webp_budget_too_small_fails_in_one_line(cli):  # noqa: F811
    done = cli("tiny", "-q", "draft", "-f", "webp", "--webp-max-kb", "50")
    m = Path("media/tiny.json")
    if done.exit_code == 0:  # tiny fits in 50 KB: the budget is recorded
        assert json.loads(m.read_text())["notes"]["webp"]["budget"] == 50 * 1024
    else:
        assert "raise --webp-max-kb" in done.output and "Traceback" not in done.output


def test_a_narrated_video_snippet_plays_with_sound_on_a_click(cli):  # noqa: F811
    done = cli("tiny", "-q", "draft", "-f", "webm", "--voice", "espeak")
    assert done.exit_code == 0, done.output
    snippet = Path("media/tiny.espeak.embed.md").read_text()
    first = snippet[snippet.index("<video") :].splitlines()[0]
    assert "controls" in first and "muted" not in first and "autoplay" not in first
    assert "<video autoplay loop muted playsinline controls" in snippet  # the silent loop
    size = Path("media/tiny.espeak.webm").stat().st_size
    assert f"WEBM {size / 1024:.0f} KB" in snippet  # words from the measured bytes
    assert 'style="max-width:100%;height:auto"' in first


def test_a_folder_entry_accumulates_formats_until_the_frames_inputs_change(cli):  # noqa: F811
    assert cli("tiny", "-q", "draft").exit_code == 0
    gif = Path("media/tiny.gif")
    stamp = gif.stat().st_mtime_ns
    assert cli("tiny", "-q", "draft", "-f", "webp").exit_code == 0
    m = json.loads(Path("media/tiny.json").read_text())
    assert set(m["files"]) == {"gif", "png", "webp"} and gif.stat().st_mtime_ns == stamp
    assert set(m["digests"]) == {"tiny.gif", "tiny.png", "tiny.webp"}
    assert m["captions"] == {"vtt": "tiny.vtt", "srt": "tiny.srt"}
    snippet = Path("media/tiny.embed.md").read_text()
    assert "tiny.webp" in snippet and '<img src="tiny.gif"' in snippet
    again = cli("tiny", "-q", "draft", "-f", "gif", "-f", "webp")
    assert "up to date" in again.output
    page = Path("media/index.html").read_text()
    assert "tiny.webp" in page and "tiny.gif" in page
    # other parameters: the old files go, all together
    assert cli("tiny", "-q", "draft", "-f", "png", "--set", "k=0.5").exit_code == 0
    m = json.loads(Path("media/tiny.json").read_text())
    assert m["files"] == {"png": "tiny.png"} and m["params"]["k"] == 0.5
    assert sorted(p.name for p in Path("media").glob("tiny.*")) == [
        "tiny.embed.md",
        "tiny.json",
        "tiny.png",
    ]


def test_a_still_added_later_keeps_the_moving_renders_captions(cli):  # noqa: F811
    assert cli("tiny", "-q", "draft", "-f", "webm", "--voice", "none").exit_code == 0
    Path("media/tiny.png").unlink()  # as if it had been rendered before the poster came along
    assert cli("tiny", "-q", "draft", "-f", "png", "--voice", "none").exit_code == 0
    m = json.loads(Path("media/tiny.json").read_text())
    assert set(m["files"]) == {"webm", "png"} and m["cues"] and m["duration_s"] > 1
    assert "tiny.vtt" in Path("media/tiny.embed.md").read_text()


def _cue_end(vtt: Path) -> float:
    """The end of the last cue of a WebVTT file, in seconds."""
    ends = re.findall(r"--> (\d+):(\d+):(\d+)\.(\d+)", vtt.read_text())
    h, m, s, ms = (int(x) for x in ends[-1])
    return 3600 * h + 60 * m + s + ms / 1000


def _length(video: Path) -> float:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", video],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout)


def test_silent_and_narrated_renders_each_keep_captions_of_their_own_timing(cli):  # noqa: F811
    """`tiny` (a GIF) then `tiny -f webm` (narrated by default): both stay, each moving file
    with the cue file of its own timing, and every cue file ends within its video."""
    assert cli("tiny", "-q", "draft").exit_code == 0
    gif_vtt = Path("media/tiny.vtt").read_bytes()
    assert cli("tiny", "-q", "draft", "-f", "webm", "-f", "gif").exit_code == 0
    silent = json.loads(Path("media/tiny.json").read_text())
    narrated = json.loads(Path("media/tiny.espeak.json").read_text())
    assert silent["files"] == {"gif": "tiny.gif", "png": "tiny.png"}
    assert silent["voice"] == "none" and Path("media/tiny.vtt").read_bytes() == gif_vtt
    assert narrated["voice"] == "espeak"
    assert narrated["files"] == {
        "webm": "tiny.espeak.webm",
        "gif": "tiny.espeak.gif",
        "png": "tiny.espeak.png",
    }
    assert narrated["captions"] == {"vtt": "tiny.espeak.vtt", "srt": "tiny.espeak.srt"}
    snippet = Path("media/tiny.espeak.embed.md").read_text()
    assert 'src="tiny.espeak.vtt"' in snippet and 'src="tiny.vtt"' not in snippet
    for m in (silent, narrated):
        end = _cue_end(Path("media", m["captions"]["vtt"]))
        assert end <= m["duration_s"] + 1e-3
        for fmt, name in m["files"].items():
            if fmt == "webm":
                assert end <= _length(Path("media", name)) + 1e-3
    page = Path("media/index.html").read_text()
    assert 'id="tiny"' in page and 'id="tiny.espeak"' in page
