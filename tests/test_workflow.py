"""The batch-render workflow: it parses, passes actionlint, and takes its scenes from the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from scenes import CATALOGUE
from tests import actionlint

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "render.yml"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def test_workflow_parses_with_the_three_jobs():
    flow = load()
    assert set(flow[True]) == {"push", "workflow_dispatch"}  # YAML reads the key `on` as True
    jobs = flow["jobs"]
    assert list(jobs) == ["list", "render", "collect"]
    assert jobs["render"]["needs"] == "list" and jobs["collect"]["needs"] == "render"
    matrix = jobs["render"]["strategy"]["matrix"]["scene"]
    assert matrix == "${{ fromJSON(needs.list.outputs.scenes) }}"


def test_no_scene_is_hard_coded():
    text = WORKFLOW.read_text()
    for name in CATALOGUE:
        assert name not in text


def test_each_scene_uploads_its_files_and_collect_merges_them():
    jobs = load()["jobs"]
    upload = next(s for s in jobs["render"]["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == "scene-${{ matrix.scene }}"
    download = next(s for s in jobs["collect"]["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"]["pattern"] == "scene-*" and download["with"]["merge-multiple"] is True


def test_the_list_step_produces_the_scene_names():
    """The list job pipes `render.py --list --json` through jq '[.[].name]'."""
    step = load()["jobs"]["list"]["steps"][-1]["run"]
    assert "render.py --list --json" in step and "jq -c '[.[].name]'" in step
    listing = subprocess.run(
        [sys.executable, str(ROOT / "render.py"), "--list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert [e["name"] for e in json.loads(listing)] == list(CATALOGUE)


LISTING_NEEDS = {"click", "numpy", "scipy", "PIL"}  # what the list job installs (pillow: PIL)


def test_listing_needs_only_what_the_list_job_installs():
    """`render.py --list --json` imports no third-party package beyond the list job's."""
    probe = (
        "import runpy, sys, sysconfig\n"
        "sys.argv = ['render.py', '--list', '--json']\n"
        "try:\n    runpy.run_path('render.py', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "site = sysconfig.get_paths()['purelib']\n"
        "names = {m.split('.')[0] for m, mod in list(sys.modules.items())\n"
        "         if (getattr(mod, '__file__', None) or '').startswith(site)}\n"
        "print('IMPORTED', sorted(names))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    imported = set(eval(out.split("IMPORTED", 1)[1]))
    assert "manim" not in imported
    installing = {name for name in imported if name.startswith(("_distutils", "__editable__"))}
    assert imported - installing <= LISTING_NEEDS, imported - installing - LISTING_NEEDS
    step = load()["jobs"]["list"]["steps"][-1]["run"]
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
