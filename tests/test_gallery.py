"""The gallery page and embed snippets, checked in a real browser (Debian's Chromium, driven
by Playwright): every image and video loads, no console errors, the first picture is drawn
on the page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from tests.test_cli import cli  # noqa: F401  (the CliRunner fixture with the tiny scenes)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture
def gallery(cli):  # noqa: F811
    """Two renders: one with a GIF, one with video only (narrated by default: its files are
    tiny_b.espeak.*); returns media/index.html."""
    assert cli("tiny", "-q", "draft", "-f", "gif", "-f", "png").exit_code == 0
    done = cli("tiny_b", "-q", "draft", "-f", "webm", "-f", "mp4", "-f", "png")
    assert done.exit_code == 0, done.output
    return Path("media/index.html").resolve()


def test_gallery_lists_every_render_without_network(gallery):
    page = gallery.read_text()
    assert page.count("<article") == 2
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert (
        'src="tiny.gif"' in page
        and 'src="tiny_b.espeak.webm"' in page
        and 'poster="tiny_b.espeak.png"' in page
    )
    assert "A circle of radius 1.00." in page  # the alt text from the manifest


def test_gallery_leaves_foreign_files_alone(cli):  # noqa: F811
    Path("media").mkdir()
    Path("media/index.html").write_text("<p>my own page</p>")
    Path("media/notes.json").write_text('{"scene": "mine"}')  # JSON that is not a manifest
    done = cli("tiny", "-q", "draft")
    assert done.exit_code == 0, done.output
    assert Path("media/index.html").read_text() == "<p>my own page</p>"
    Path("media/index.html").unlink()
    assert cli("tiny", "-q", "draft").exit_code == 0  # up to date, and the gallery is written
    assert Path("media/index.html").read_text().count("<article") == 1


def test_gallery_option_rebuilds_one_page_from_merged_folders(cli):  # noqa: F811
    """What CI's collect job does: two folders rendered apart, merged, one gallery."""
    assert cli("tiny", "-q", "draft", "--out", "a").exit_code == 0
    assert cli("tiny_b", "-q", "draft", "--out", "b").exit_code == 0
    shutil.copytree("a", "merged", ignore=shutil.ignore_patterns(".cache", "index.html"))
    shutil.copytree("b", "merged", dirs_exist_ok=True, ignore=shutil.ignore_patterns(".cache"))
    assert Path("merged/index.html").read_text().count("<article") == 1  # b's page
    done = cli("--gallery", "--out", "merged")
    assert done.exit_code == 0, done.output
    assert Path("merged/index.html").read_text().count("<article") == 2
    assert sorted(p.name for p in Path("merged").glob("*.gif")) == ["tiny.gif", "tiny_b.gif"]
    done = cli("--gallery", "--out", "nowhere")
    assert done.exit_code == 2 and "no such folder" in done.output


def test_embed_snippets_cover_the_rendered_formats(gallery):
    gif = Path("media/tiny.embed.md").read_text()
    assert "![A circle of radius 1.00.](tiny.gif)" in gif
    assert '<img src="tiny.gif" width="384" height="216"' in gif and "<video" not in gif
    assert (  # the still for readers who ask for reduced motion
        '<picture>\n  <source srcset="tiny.png" media="(prefers-reduced-motion: reduce)">' in gif
    )
    assert "<details>\n  <summary>What the animation shows</summary>" in gif
    assert "<li>A circle of radius 1.00.</li>" in gif  # tiny's one caption, filled in
    video = Path("media/tiny_b.espeak.embed.md").read_text()
    assert "<video autoplay loop muted playsinline controls" in video
    assert 'poster="tiny_b.espeak.png"' in video
    assert video.index("tiny_b.espeak.webm") < video.index("tiny_b.espeak.mp4")
    assert json.loads(Path("media/tiny.json").read_text())["embed"] == "tiny.embed.md"


def test_gallery_loads_in_chromium(gallery, tmp_path):
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(gallery.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_function(
            "[...document.querySelectorAll('video')].every(v => v.readyState >= 2)", timeout=15000
        )
        images = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        videos = page.eval_on_selector_all("video", "els => els.map(e => e.videoWidth)")
        shot = tmp_path / "figure.png"  # what a reader sees where the first picture is
        page.locator("img").first.screenshot(path=str(shot))
        browser.close()
    assert images and all(w > 0 for w in images), images
    assert videos and all(w > 0 for w in videos), videos
    assert errors == []
    drawn = np.asarray(Image.open(shot).convert("RGB"))
    background = drawn[0, 0]  # the scene's background, then its circle and text
    assert np.mean(np.any(drawn != background, axis=-1)) > 0.01
    assert len(np.unique(drawn.reshape(-1, 3), axis=0)) > 2  # a GIF: a few, antialiased


def test_the_gallery_filters_by_scene_without_a_script(gallery):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(gallery.as_uri())
        shown = (
            "[...document.querySelectorAll('article')].filter(a => a.offsetParent).map(a => a.id)"
        )
        assert page.evaluate(shown) == ["tiny", "tiny_b.espeak"]
        page.get_by_label("tiny_b", exact=True).check()
        assert page.evaluate(shown) == ["tiny_b.espeak"]
        page.get_by_label("all", exact=True).check()
        assert page.evaluate(shown) == ["tiny", "tiny_b.espeak"]
        browser.close()


@pytest.fixture
def both(cli):  # noqa: F811
    """tiny rendered in both themes (GIF and still); returns the media folder."""
    done = cli("tiny", "-q", "draft", "-f", "gif", "-f", "png", "--theme", "both")
    assert done.exit_code == 0, done.output
    return Path("media").resolve()


def test_theme_both_writes_a_dark_and_a_light_render_that_point_to_each_other(both):
    dark, light = (json.loads((both / f"{n}.json").read_text()) for n in ("tiny", "tiny-light"))
    assert (dark["theme"], dark["pair"], light["theme"], light["pair"]) == (
        "dark",
        "tiny-light",
        "light",
        "tiny",
    )
    assert light["files"] == {"gif": "tiny-light.gif", "png": "tiny-light.png"}
    background = [
        np.asarray(Image.open(both / f"{n}.png").convert("L"))[2, 2] for n in ("tiny", "tiny-light")
    ]
    assert background[0] < 60 < 200 < background[1]
    page = (both / "index.html").read_text()
    assert page.count("<article") == 1 and page.count("<figure>") == 2
    assert "dark and light themes" in page


@pytest.mark.parametrize(
    ("scheme", "motion", "shown"),
    [
        ("dark", "no-preference", "tiny.gif"),
        ("light", "no-preference", "tiny-light.gif"),
        ("dark", "reduce", "tiny.png"),
        ("light", "reduce", "tiny-light.png"),
    ],
)
def test_the_picture_snippet_serves_the_readers_theme_and_motion(both, scheme, motion, shown):
    snippet = (both / "tiny.embed.md").read_text()
    picture = snippet[snippet.index("<picture>") : snippet.index("</picture>") + 10]
    (both / "post.html").write_text(f"<!doctype html><body>{picture}</body>")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.emulate_media(color_scheme=scheme, reduced_motion=motion)
        page.goto((both / "post.html").as_uri())
        page.wait_for_function("document.querySelector('img').complete")
        src = page.evaluate("document.querySelector('img').currentSrc")
        browser.close()
    assert src.rsplit("/", 1)[1] == shown
