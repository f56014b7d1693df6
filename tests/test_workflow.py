"""The batch-render workflow: it parses, passes actionlint, and takes its scenes and the
explainer's chapters from the CLI."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scenes import CATALOGUE
from studio import explainer
from studio.job import sources_digest
from studio.texcache import shared_dir
from tests import actionlint

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "render.yml"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def test_workflow_parses_with_its_jobs():
    flow = load()
    assert set(flow[True]) == {"push", "workflow_dispatch"}  # YAML reads the key `on` as True
    jobs = flow["jobs"]
    assert list(jobs) == ["list", "render", "explainer", "collect", "pages"]
    assert jobs["render"]["needs"] == "list" and jobs["explainer"]["needs"] == "list"
    assert jobs["collect"]["needs"] == ["render", "explainer"]
    matrix = jobs["render"]["strategy"]["matrix"]["scene"]
    assert matrix == "${{ fromJSON(needs.list.outputs.scenes) }}"
    chapters = jobs["explainer"]["strategy"]["matrix"]["chapter"]
    assert chapters == "${{ fromJSON(needs.list.outputs.chapters) }}"
    assert jobs["list"]["outputs"]["chapters"] == "${{ steps.chapters.outputs.chapters }}"


def test_no_scene_is_hard_coded():
    text = WORKFLOW.read_text()
    for name in CATALOGUE:
        assert name not in text


def test_each_scene_uploads_its_files_and_collect_merges_them_into_one_gallery():
    jobs = load()["jobs"]
    upload = next(s for s in jobs["render"]["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == "scene-${{ matrix.scene.name }}"
    download = next(s for s in jobs["collect"]["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"]["pattern"] == "scene-*" and download["with"]["merge-multiple"] is True
    assert any(
        "render.py --gallery --out media" in s.get("run", "") for s in jobs["collect"]["steps"]
    )


def test_a_scene_renders_only_when_its_sources_changed():
    """The media cache is keyed on the sources digest the listing reports; on a hit every
    later step (packages, render) is skipped and the cached files are uploaded."""
    steps = load()["jobs"]["render"]["steps"]
    media = next(s for s in steps if s.get("id") == "media")
    assert "${{ matrix.scene.sources }}" in media["with"]["key"]
    assert media["with"]["path"] == "media/${{ matrix.scene.name }}.*"
    later = steps[steps.index(media) + 1 :]
    for step in later:
        if "upload-artifact" not in step.get("uses", ""):
            assert step["if"] == "steps.media.outputs.cache-hit != 'true'", step


CLIPS = "media/.cache/clips\nmedia/.cache/voice\n"  # a chapter's clips and their speech


def test_a_chapter_renders_only_when_its_inputs_changed_and_uploads_its_clips():
    """The explainer's chapter job: its clips' cache keyed on the listing's inputs digest;
    on a hit every later step but the upload is skipped; the render is `--chapter N`."""
    steps = load()["jobs"]["explainer"]["steps"]
    clips = next(s for s in steps if s.get("id") == "clips")
    assert clips["with"]["path"] == CLIPS
    key = clips["with"]["key"]
    assert "${{ matrix.chapter.chapter }}" in key and "${{ matrix.chapter.inputs }}" in key
    later = steps[steps.index(clips) + 1 :]
    for step in later:
        if "upload-artifact" not in step.get("uses", ""):
            assert step["if"] == "steps.clips.outputs.cache-hit != 'true'", step
    render = next(s for s in steps if "./run.sh render" in s.get("run", ""))
    assert render["env"]["CHAPTER"] == "${{ matrix.chapter.chapter }}"
    assert 'render explainer --chapter "$CHAPTER" "${options[@]}"' in render["run"]
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == "explainer-chapter-${{ matrix.chapter.chapter }}"
    assert upload["with"]["path"] == CLIPS
    assert upload["with"]["include-hidden-files"] is True  # upload-artifact skips .cache
    assert upload["with"]["if-no-files-found"] == "error"


def test_collect_assembles_the_chapters_and_publishes_the_explainer():
    """The chapters' clips land in media/.cache, where `--assemble` (with the options the
    list and the chapters used) finds them; the clips leave before Pages and the release
    take media/, which then holds the explainer's video, chapters, captions, slides and
    article."""
    flow = load()
    options = shlex.split(flow["env"]["EXPLAINER"])
    formats = {options[i + 1] for i, o in enumerate(options) if o == "-f"}
    assert {"webm", "mp4", "slides", "article"} <= formats <= set(explainer.FORMATS_ALLOWED)
    jobs = flow["jobs"]
    runs = [
        s["run"]
        for job in ("list", "explainer", "collect")
        for s in jobs[job]["steps"]
        if "run" in s
    ]
    uses = [run for run in runs if "render.py explainer" in run or "render explainer" in run]
    assert len(uses) == 3
    for run in uses:  # one set of options: what is listed is what is rendered and joined
        assert 'read -ra options <<< "$EXPLAINER"' in run and '"${options[@]}"' in run
    steps = jobs["collect"]["steps"]
    download = next(s for s in steps if s.get("with", {}).get("pattern") == "explainer-chapter-*")
    assert download["with"] == {
        "pattern": "explainer-chapter-*",
        "merge-multiple": True,
        "path": "media/.cache",
    }
    join = next(s for s in steps if "--assemble" in s.get("run", ""))
    assert steps.index(download) < steps.index(join)
    lines = join["run"].splitlines()
    assemble = next(i for i, line in enumerate(lines) if "--assemble" in line)
    assert "./run.sh render explainer --assemble" in lines[assemble]
    assert lines[-1].startswith("rm -rf media/.cache")
    published = [
        s
        for s in steps
        if "upload-pages-artifact" in s.get("uses", "") or "gh release" in s.get("run", "")
    ]
    assert len(published) == 2 and all(steps.index(s) > steps.index(join) for s in published)
    assert "media/*.*" in published[1]["run"]  # explainer.mp4, .vtt, .chapters.txt, .slides.html, …


def test_packages_pip_and_latex_are_cached_where_the_setup_puts_them():
    for job in ("render", "explainer"):
        steps = load()["jobs"][job]["steps"]
        paths = {s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/cache")}
        assert {"~/apt-archives", "~/.cache/pip", "~/.cache/ridge-lagrange/tex"} <= paths
        render = next(s for s in steps if "./run.sh render" in s.get("run", ""))
        assert "APT_ARCHIVES=~/apt-archives" in render["run"]
    assert "APT_ARCHIVES" in (ROOT / "run.sh").read_text()
    assert str(shared_dir()).endswith("ridge-lagrange/tex")


def test_pages_from_main_and_a_release_on_tags():
    jobs = load()["jobs"]
    pages_upload = next(
        s for s in jobs["collect"]["steps"] if "upload-pages-artifact" in s.get("uses", "")
    )
    assert pages_upload["if"] == "github.ref == 'refs/heads/main'"
    assert jobs["pages"]["if"] == "github.ref == 'refs/heads/main'"
    assert jobs["pages"]["permissions"] == {"pages": "write", "id-token": "write"}
    release = next(s for s in jobs["collect"]["steps"] if "gh release upload" in s.get("run", ""))
    assert release["if"] == "startsWith(github.ref, 'refs/tags/')"
    assert jobs["collect"]["permissions"] == {"contents": "write"}


def test_the_list_step_produces_the_scene_names_and_their_sources():
    """The list job pipes `render.py --list --json` through jq '[.[] | {name, sources}]'."""
    step = next(s for s in load()["jobs"]["list"]["steps"] if s.get("id") == "list")["run"]
    assert "render.py --list --json" in step and "jq -c '[.[] | {name, sources}]'" in step
    listing = subprocess.run(
        [sys.executable, str(ROOT / "render.py"), "--list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries = json.loads(listing)
    assert [e["name"] for e in entries] == list(CATALOGUE)
    assert [e["sources"] for e in entries] == [sources_digest(e) for e in CATALOGUE.values()]


def test_the_chapters_step_lists_the_explainer_with_the_workflow_options():
    """The list job pipes `render.py explainer --list --json` with the explainer's options
    through jq '[.[] | {chapter, inputs}]': every chapter of the story, each with a digest."""
    flow = load()
    step = next(s for s in flow["jobs"]["list"]["steps"] if s.get("id") == "chapters")["run"]
    assert 'render.py explainer --list --json "${options[@]}"' in step
    assert "jq -c '[.[] | {chapter, inputs}]'" in step
    options = shlex.split(flow["env"]["EXPLAINER"])
    listing = subprocess.run(
        [sys.executable, str(ROOT / "render.py"), "explainer", "--list", "--json", *options],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries = json.loads(listing)
    assert [e["chapter"] for e in entries] == list(range(len(explainer.STORY)))
    assert all(len(e["inputs"]) == 64 for e in entries)
    assert len({e["inputs"] for e in entries}) == len(entries)


LISTING_NEEDS = {"click", "numpy", "scipy", "PIL"}  # what the list job installs (pillow: PIL)


@pytest.mark.parametrize("listed", [[], ["explainer"]])
def test_listing_needs_only_what_the_list_job_installs(listed):
    """`render.py --list --json` and `render.py explainer --list --json` import no
    third-party package beyond the list job's."""
    probe = (
        "import runpy, sys, sysconfig\n"
        f"sys.argv = ['render.py', *{listed}, '--list', '--json']\n"
        "try:\n    runpy.run_path('render.py', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "from pathlib import Path\n"
        "site = sysconfig.get_paths()['purelib']\n"
        "files = [getattr(mod, '__file__', None) or '' for mod in list(sys.modules.values())]\n"
        "names = {Path(f).relative_to(site).parts[0].split('.')[0]  # the installed package\n"
        "         for f in files if f.startswith(site)}\n"
        "print('IMPORTED', sorted(names))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    imported = set(eval(out.split("IMPORTED", 1)[1]))
    assert "manim" not in imported
    installing = {name for name in imported if name.startswith(("_distutils", "__editable__"))}
    assert imported - installing <= LISTING_NEEDS, imported - installing - LISTING_NEEDS
    step = next(s for s in load()["jobs"]["list"]["steps"] if s.get("id") == "list")["run"]
    assert "pip install --quiet click numpy scipy pillow" in step


def test_actionlint_is_clean():
    done = actionlint.lint(WORKFLOW)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        WORKFLOW.read_text().replace("needs.list.outputs.scenes", "needs.lst.outputs")
    )
    done = actionlint.lint(broken)
    assert done.returncode == 1 and "lst" in done.stdout
