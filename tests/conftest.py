"""Test-session rules: a skipped test is a failure (CI must not count it as a pass)."""

import os
import time
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and exitstatus == 0:
        reporter.write_line(
            f"FAILED: {skipped} test(s) skipped; skips are not passes here", red=True
        )
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, config):
    """After --update-references: what changed, and where to look at it (the descriptions
    the run's workers left in tests/reference/changes/)."""
    from tests.scenetools import REFERENCES

    if not config.getoption("--update-references"):
        return
    for described in sorted((REFERENCES / "changes").glob("*.txt")):
        if described.stat().st_mtime >= config.started:
            picture = described.with_suffix(".png")
            terminalreporter.write_line(
                f"reference updated: {described.read_text()} → {picture}", yellow=True
            )


def pytest_configure(config):
    """Renders in tests (also in subprocesses) keep their LaTeX in pytest's cache folder, not
    the user's: isolated, and warm from one test run to the next."""
    config.started = time.time()
    cache = getattr(config, "cache", None)
    if cache is not None:
        os.environ["XDG_CACHE_HOME"] = str(cache.mkdir("xdg"))


def pytest_addoption(parser):
    parser.addoption(
        "--update-references",
        action="store_true",
        help="rewrite tests/reference/*.png from this run's renders (then look at them)",
    )


@pytest.fixture(scope="session")
def tex_cache() -> Path:
    """The LaTeX cache the renders use (in pytest's cache folder: see pytest_configure)."""
    from studio.texcache import shared_dir

    return shared_dir()


@pytest.fixture(scope="session")
def update_references(request) -> bool:
    return request.config.getoption("--update-references")


@pytest.fixture
def still(tmp_path, tex_cache):
    """Render the final frame of a scene at the test size; returns the PNG's path."""
    from scenes.theme import THEMES
    from studio.frames import render_frames
    from tests.scenetools import TEST_SIZE

    def render(scene_class, params=None, theme="dark") -> Path:
        params = params if params is not None else scene_class.Params()
        frames = render_frames(
            scene_class, params, THEMES[theme], (*TEST_SIZE, 5), tmp_path, tex_cache, still=True
        )
        return frames.poster

    return render


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (a module that opens its
    own with `sync_playwright()` inside a test must not have this one open)."""
    from playwright.sync_api import sync_playwright

    from tests.test_gallery import CHROMIUM, FLAGS

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()
