"""-f slides and -f article: one render of tangency at draft (both outputs), driven in
Debian's Chromium: every key path of the slides, the time of the video after each step plays,
the print-out's pages, the presenter view following; the article's figure at each paragraph,
at three widths in both colour schemes, its readouts against independent mathematics, its
stills without script. The explainer's steps from its clips' manifests, without rendering."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from narration import Line, Script, ScriptError
from scenes import CATALOGUE
from studio import explainer
from studio.job import RenderJob
from studio.outputs import OUTPUTS
from studio.outputs.story import Clips, steps_of
from tests.test_interactive import check_tangency

ROOT = Path(__file__).resolve().parent.parent
SCENE = "tangency"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """tangency's slides and article at draft quality."""
    folder = tmp_path_factory.mktemp("slides")
    args = [SCENE, "-q", "draft", "-f", "slides", "-f", "article", "--out", str(folder)]
    done = subprocess.run(
        [sys.executable, str(ROOT / "render.py"), *args, "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


@pytest.fixture(scope="module")
def manifest(out) -> dict:
    return json.loads((out / f"{SCENE}.json").read_text())


def state_of(path: Path) -> dict:
    """The page's own data: its steps (beat, frames start … end − 1, caption)."""
    text = path.read_text()
    found = re.search(r'<script type="application/json" id="state">(.*?)</script>', text, re.S)
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def steps(out) -> list[dict]:
    return state_of(out / f"{SCENE}.slides.html")["steps"]


def test_both_are_outputs_of_the_registry():
    for name in ("slides", "article"):
        assert OUTPUTS[name].role == "page" and OUTPUTS[name].extension == f"{name}.html"
    assert "slides" in explainer.FORMATS_ALLOWED and "article" in explainer.FORMATS_ALLOWED


def test_the_files_are_self_contained_and_listed(out, manifest):
    assert manifest["files"]["slides"] == f"{SCENE}.slides.html"
    assert manifest["files"]["article"] == f"{SCENE}.article.html"
    for name in ("slides", "article"):
        text = (out / manifest["files"][name]).read_text()
        assert "http://" not in text and "https://" not in text
        assert 'src="data:video/webm;base64,' in text
        assert manifest["bytes"][name] == (out / manifest["files"][name]).stat().st_size
    assert (out / f"{SCENE}.slides.html").read_text().count('src="data:image/webp;base64,') > 5
    snippet = (out / f"{SCENE}.embed.md").read_text()
    assert f'<a href="{SCENE}.slides.html">' in snippet and f"{SCENE}.slides.html#step=3" in snippet
    assert f'<a href="{SCENE}.article.html">' in snippet


def test_one_step_per_beat_and_the_steps_tile_the_video(out, manifest, steps):
    beats = list(dict.fromkeys(c["id"] for c in manifest["cues"]))  # every segment, in order
    assert [s["beat"] for s in steps] == [f"{SCENE}/{b}" for b in beats]
    assert steps[0]["start"] == 0 and steps[-1]["end"] == manifest["frames"]
    for before, after in itertools.pairwise(steps):
        assert before["end"] == after["start"] > before["start"]
    fps = manifest["fps"]
    for step, beat in zip(steps[1:], beats[1:], strict=True):  # each starts with its words
        cue = next(c for c in manifest["cues"] if c["id"] == beat)
        assert step["start"] == round(cue["start"] * fps)
    assert state_of(out / f"{SCENE}.article.html")["steps"] == steps


# --- the slides


def open_slides(browser, out, hash_="", reduced=False, **options):
    page = browser.new_page(
        viewport={"width": 1280, "height": 720},
        reduced_motion="reduce" if reduced else "no-preference",
        **options,
    )
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto((out / f"{SCENE}.slides.html").as_uri() + hash_)
    page.wait_for_function("document.getElementById('video').readyState >= 2")
    return page, errors


FAST = "document.getElementById('video').playbackRate = 16"  # a step plays in well under 1 s
WATCH = """window.states = [];
new MutationObserver(() => window.states.push(document.body.dataset.state))
    .observe(document.body, {attributes: true, attributeFilter: ['data-state']});"""


def held(page) -> dict:
    """Once the step has played (or been shown): the step shown and the video's time."""
    page.wait_for_function(
        "document.body.dataset.state === 'held' && !document.getElementById('video').seeking",
        timeout=20000,
    )
    return page.evaluate(
        """() => {
        const now = document.querySelectorAll('[aria-current="step"]');
        const v = document.getElementById('video');
        return {count: now.length, beat: now[0] && now[0].dataset.beat, hash: location.hash,
                time: v.currentTime, paused: v.paused, label: document.getElementById('count')
                .textContent};
    }"""
    )


def last_frame(time: float, step: dict, fps: int) -> bool:
    """Whether `time` shows the step's last frame (a seek into the video's last frame may read
    as its very end)."""
    return (step["end"] - 1) / fps - 1e-3 <= time <= step["end"] / fps + 1e-3


def assert_on(s: dict, steps: list[dict], i: int, fps: int) -> None:
    step = steps[i]
    assert s["count"] == 1 and s["beat"] == step["beat"] and s["hash"] == f"#step={i + 1}"
    assert s["paused"] and s["label"] == f"{i + 1} / {len(steps)}"
    assert step["start"] / fps <= s["time"] <= step["end"] / fps  # within the beat's span
    assert last_frame(s["time"], step, fps)


def test_the_keys_step_through_every_beat_and_back(out, manifest, steps, browser):
    fps = manifest["fps"]
    page, errors = open_slides(browser, out)
    page.evaluate(FAST)
    assert_on(held(page), steps, 0, fps)  # the first step plays on opening
    page.evaluate(WATCH)
    keys = ["ArrowRight", "Space", "PageDown", "ArrowDown", "Enter"]
    for i in range(1, len(steps)):
        page.evaluate("window.states = []")
        page.keyboard.press(keys[i % len(keys)])
        page.wait_for_function(f"location.hash === '#step={i + 1}'")
        assert_on(held(page), steps, i, fps)  # its beat's last frame, held …
        assert page.evaluate("window.states")[0] == "playing"  # … after playing it
    page.keyboard.press("ArrowRight")  # past the end: stays
    assert_on(held(page), steps, len(steps) - 1, fps)
    for key, i in (("ArrowLeft", len(steps) - 2), ("PageUp", len(steps) - 3), ("Home", 0)):
        page.evaluate("window.states = []")
        page.keyboard.press(key)  # back: the step's last frame at once, not played
        assert_on(held(page), steps, i, fps)
        assert "playing" not in page.evaluate("window.states")
    page.keyboard.press("End")
    assert_on(held(page), steps, len(steps) - 1, fps)
    page.evaluate("location.hash = '#step=4'")
    page.wait_for_function("document.querySelector('#step-4').getAttribute('aria-current')")
    assert_on(held(page), steps, 3, fps)
    page.click("#next")  # the buttons too
    assert_on(held(page), steps, 4, fps)
    page.close()
    assert errors == []


def test_a_hash_opens_that_step_and_reduced_motion_never_plays(out, manifest, steps, browser):
    fps = manifest["fps"]
    page, errors = open_slides(browser, out, "#step=6", reduced=True)
    assert_on(held(page), steps, 5, fps)
    page.evaluate(WATCH)
    page.keyboard.press("ArrowRight")
    assert_on(held(page), steps, 6, fps)
    assert "playing" not in page.evaluate("window.states")  # shown, not played
    assert not page.is_visible("#step-7 .notes")
    page.keyboard.press("n")  # the notes: the beat's spoken text
    assert page.is_visible("#step-7 .notes")
    lines = CATALOGUE[SCENE].load().load_script().fill(manifest["results"])
    spoken = lines[steps[6]["beat"].split("/")[1]].spoken
    assert spoken in page.inner_text("#step-7 .notes")
    page.close()
    assert errors == []


def test_the_presenter_view_follows_and_steers(out, manifest, steps, browser):
    fps = manifest["fps"]
    page, errors = open_slides(browser, out, "#step=2", reduced=True)
    held(page)
    with page.context.expect_page() as opened:
        page.keyboard.press("p")
    viewer = opened.value
    viewer.wait_for_load_state()
    viewer.wait_for_function("document.body.classList.contains('presenter')")
    viewer.wait_for_function("location.hash.endsWith('step=2')")
    assert viewer.is_visible("#step-2 .notes") and viewer.is_visible("#step-3 .still")
    assert re.fullmatch(r"\d\d:\d\d · \d\d:\d\d", viewer.inner_text("#clock"))
    page.keyboard.press("ArrowRight")  # the main window moves: the presenter view follows
    assert_on(held(page), steps, 2, fps)
    viewer.wait_for_function("document.querySelector('#step-3').getAttribute('aria-current')")
    assert viewer.is_visible("#step-4 .still")  # the next step
    viewer.keyboard.press("End")  # the presenter's keys steer the main window
    page.wait_for_function(f"location.hash === '#step={len(steps)}'")
    assert_on(held(page), steps, len(steps) - 1, fps)
    viewer.wait_for_function(f"location.hash === '#presenter&step={len(steps)}'")
    viewer.close()
    page.close()
    assert errors == []


def test_printing_gives_one_page_per_step(out, steps, browser):
    page, errors = open_slides(browser, out, reduced=True)
    held(page)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.close()
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(steps)
    assert errors == []


# --- the article


def open_article(browser, out, width, scheme, reduced=True):
    page = browser.new_page(
        viewport={"width": width, "height": 800 if width > 400 else 740},
        color_scheme=scheme,
        reduced_motion="reduce" if reduced else "no-preference",
    )
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto((out / f"{SCENE}.article.html").as_uri())
    page.wait_for_function("document.getElementById('video').readyState >= 2")
    return page, errors


def read(page, i: int) -> dict:
    """Scroll paragraph i to the middle of the viewport; what the figure shows then."""
    page.eval_on_selector_all(".beat", f"b => b[{i}].scrollIntoView({{block: 'center'}})")
    page.wait_for_function(
        f"""document.querySelectorAll('.beat')[{i}].getAttribute('aria-current') === 'true'
        && document.body.dataset.state === 'held' && !document.getElementById('video').seeking""",
        timeout=20000,
    )
    return page.evaluate(
        """() => {
        const v = document.getElementById('video'), f = document.getElementById('figure');
        const box = f.getBoundingClientRect();
        return {beats: [...document.querySelectorAll('[aria-current="true"]')]
                    .map(b => b.dataset.beat),
                time: v.currentTime, label: v.getAttribute('aria-label'),
                caption: document.getElementById('caption').textContent,
                values: Object.fromEntries([...document.querySelectorAll('[data-key]')]
                    .map(e => [e.dataset.key, JSON.parse(e.dataset.value)])),
                figure: [box.top, box.bottom, box.left, box.right],
                wide: document.documentElement.scrollWidth, sticky: getComputedStyle(f).position};
    }"""
    )


@pytest.mark.parametrize("width", [360, 720, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_paragraph_puts_the_figure_in_its_beat(out, manifest, steps, browser, width, scheme):
    fps = manifest["fps"]
    page, errors = open_article(browser, out, width, scheme)
    order = [*range(len(steps)), len(steps) // 2, 1]  # down every paragraph, then back up
    for i in order:
        s = read(page, i)
        step = steps[i]
        assert s["beats"] == [step["beat"]]
        assert step["start"] / fps <= s["time"] <= step["end"] / fps
        assert last_frame(s["time"], step, fps)
        assert s["label"] == s["caption"] == step["caption"]  # the text alternative
        assert s["wide"] <= width  # nothing runs off the side
        top, bottom, _, right = s["figure"]
        assert s["sticky"] == "sticky" and 0 <= top and bottom <= 800 and right <= width
        check_tangency(manifest, s["values"])  # the readouts of the frame shown
        assert set(s["values"]) == {"angle", "x", "share"}
    page.close()
    assert errors == []


def test_scrolling_plays_the_beat_to_its_end(out, manifest, steps, browser):
    fps = manifest["fps"]
    page, errors = open_article(browser, out, 1280, "light", reduced=False)
    page.evaluate(FAST)
    page.evaluate(WATCH)
    for i in (0, 1, 2):
        page.evaluate("window.states = []")
        s = read(page, i)
        assert page.evaluate("window.states")[0] == "playing"
        assert s["beats"] == [steps[i]["beat"]]
        assert last_frame(s["time"], steps[i], fps)
    page.close()
    assert errors == []


def test_the_outline_and_the_paragraphs(out, manifest, steps, browser):
    page, errors = open_article(browser, out, 1280, "dark")
    links = page.eval_on_selector_all(".outline a", "a => a.map(x => x.getAttribute('href'))")
    tops = [i for i, s in enumerate(steps) if "." not in s["beat"].split("/")[1]]
    assert links == [f"#beat-{i + 1}" for i in tops]  # the outline lists the beats
    page.click(f".outline a[href='#beat-{tops[2] + 1}']")
    assert read(page, tops[2])["beats"] == [steps[tops[2]]["beat"]]
    texts = page.eval_on_selector_all(".beat p", "p => p.map(x => x.textContent)")
    assert len(texts) == len(steps) and all(texts)
    assert texts[0].startswith("The ellipses are level sets of the loss f, around w hat")
    page.close()
    assert errors == []


def test_without_script_the_article_is_stills_and_paragraphs(out, steps, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 720, "height": 800})
    page = context.new_page()
    page.goto((out / f"{SCENE}.article.html").as_uri())
    assert not page.is_visible("#figure")
    stills = page.locator(".beat img")
    assert stills.count() == len(steps)
    assert all(stills.nth(i).is_visible() for i in range(len(steps)))
    context.close()


def test_without_script_the_slides_are_the_handout(out, steps, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 720, "height": 800})
    page = context.new_page()
    page.goto((out / f"{SCENE}.slides.html").as_uri())
    assert not page.is_visible("video")
    assert page.locator(".step .still:visible").count() == len(steps)
    context.close()


# --- the explainer: steps from its clips' manifests


def clip(cues: list[tuple[str, float]], frames: int) -> SimpleNamespace:
    made = [{"id": i, "part": 0, "start": t, "end": t + 1, "text": i} for i, t in cues]
    return SimpleNamespace(cues=made, frames=frames, scrub=None)


def lines(*ids: str) -> dict:
    return {i: Line(i, f"caption of {i}", f"said {i}") for i in ids}


def test_the_explainers_steps_come_from_its_clips():
    story = Clips(fps=10)
    story.add(
        "explainer",
        clip([("fix", 0.5), ("fix.budget", 2.0)], 40),
        lines("fix", "fix.budget"),
        "The fix",
    )
    story.add("tangency", clip([("problem", 0.5), ("point", 1.5)], 30), lines("problem", "point"))
    steps = steps_of(story.segments, story.starts, story.frames)
    assert [s.beat for s in steps] == [
        "explainer/fix",
        "explainer/fix.budget",
        "tangency/problem",
        "tangency/point",
    ]
    assert [(s.start, s.end) for s in steps] == [(0, 20), (20, 40), (40, 55), (55, 70)]
    assert [s.chapter for s in steps] == ["The fix", "", "", ""]
    assert [s.top for s in steps] == [True, False, True, True]
    assert steps[1].spoken == "said fix.budget" and steps[1].prose == "said fix.budget"


def test_a_scripts_notes_and_article_reach_the_steps(tmp_path):
    """A beat's `notes` (speaker notes) and `article` (fuller prose) are templates filled like
    its caption; the step carries them, the article's paragraph is the `article` text."""
    (tmp_path / "demo.toml").write_text(
        '[[beat]]\nid = "a"\ncaption = "λ = {lam:.2f}."\nnotes = "Ask why λ = {lam:.1f}."\n'
        'article = "Here  λ is {lam:.2f},   because the budget binds."\n'
        '[[beat]]\nid = "b"\ncaption = "Then."\n',
        encoding="utf-8",
    )
    filled = Script.load("demo", tmp_path).fill({"lam": 2.3249})
    assert filled["a"].notes == "Ask why λ = 2.3." and filled["b"].notes == ""
    assert filled["a"].article == "Here λ is 2.32, because the budget binds."
    story = Clips(fps=10)
    story.add("demo", clip([("a", 0.0), ("b", 1.0)], 20), filled)
    a, b = steps_of(story.segments, story.starts, story.frames)
    assert (a.notes, a.prose) == ("Ask why λ = 2.3.", "Here λ is 2.32, because the budget binds.")
    assert (b.notes, b.prose) == ("", "Then.")
    (tmp_path / "bad.toml").write_text('[[beat]]\nid = "a"\ncaption = "x"\nnotes = 3\n')
    with pytest.raises(ScriptError, match="beat a: notes must be text"):
        Script.load("bad", tmp_path)


def test_the_explainers_clips_bring_the_webm_the_slides_join():
    template = RenderJob(explainer.NAME, quality="draft", formats=("slides",), out=Path("x"))
    assert explainer._clip(template, "tangency", {}).formats == ("webm", "png")
    template = dataclasses.replace(template, formats=("mp4", "article"))
    assert explainer._clip(template, "card", {"card": "fix"}).formats == ("mp4", "webm", "png")
    assert explainer._clip(dataclasses.replace(template, formats=("mp4",)), "card", {}).formats == (
        "mp4",
        "png",
    )
