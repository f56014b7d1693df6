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
