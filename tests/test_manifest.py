"""The manifest as one typed record: it round-trips, and anything that does not validate reads
as absent (so the scene renders again and the gallery skips it). The cache key hashes exactly
the project modules a scene imports."""

from __future__ import annotations

import dataclasses
import json
import sys

import pytest

from studio.job import RenderJob, inputs_hash
from studio.manifest import SCHEMA, Manifest, ManifestError
from studio.sources import ROOT, project_files

GOOD = Manifest(
    scene="tiny",
    title="Tiny",
    description="A tiny test scene.",
    module="tests/tiny_scene.py",
    scene_class="Tiny",
    params={"k": 1.0, "H": [[3.0, 1.2], [1.2, 1.2]]},
    defaults={"k": 1.0, "H": [[3.0, 1.2], [1.2, 1.2]]},
    overrides={},
    results={"radius": 1.0, "path_lams": [0.0, "inf"]},
    alt_text="A circle.",
    quality="draft",
    width=384,
    height=216,
    fps=10,
    gif_fps=20,
    gif_fit=None,
    frames=12,
    duration_s=1.2,
    loop=False,
    theme="dark",
    pair=None,
    files={"gif": "tiny.gif"},
    captions={"vtt": "tiny.vtt", "srt": "tiny.srt"},
    cues=[{"id": "draw", "start": 0.0, "end": 1.2, "text": "A circle."}],
    voice="none",
    data=None,
    scrub=None,
    embed="tiny.embed.md",
    bytes={"gif": 1234},
    digests={"tiny.gif": "0" * 64},
    render_seconds=1.5,
    inputs_hash="0" * 64,
    manim_version="0.22.0",
)


def test_round_trip():
    text = GOOD.to_json()
    assert json.loads(text)["schema"] == SCHEMA
    assert Manifest.from_json(text) == GOOD


def _damaged(**changes) -> str:
    data = json.loads(GOOD.to_json())
    data.update(changes)
    return json.dumps(data)


def _without(key: str) -> str:
    return json.dumps({k: v for k, v in json.loads(GOOD.to_json()).items() if k != key})


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[]", "not a JSON object"),
        ("null", "not a JSON object"),
        ("{", "not JSON"),
        (_damaged(width="384"), "width"),
        (_damaged(width=True), "width"),
        (_damaged(duration_s="1.2"), "duration_s"),
        (_damaged(files={"gif": 3}), "files"),
        (_damaged(bytes=[1, 2]), "bytes"),
        (_damaged(cues=[{"id": 1}, 3]), "cues"),
        (_damaged(gif_fps=None), None),  # None is allowed: no GIF
        (_damaged(schema=SCHEMA - 1), "schema"),
        (_damaged(extra=1), "extra"),
        (
            json.dumps({k: v for k, v in json.loads(GOOD.to_json()).items() if k != "title"}),
            "title",
        ),
        (_damaged(duration_s=float("nan")), "duration_s"),
    ],
)
def test_anything_that_does_not_validate_is_refused(text, words):
    if words is None:
        assert Manifest.from_json(text).gif_fps is None
        return
    with pytest.raises(ManifestError, match=words):
        Manifest.from_json(text)


def test_read_treats_unreadable_files_as_absent(tmp_path):
    path = tmp_path / "m.json"
    assert Manifest.read(path) is None
    path.write_bytes(b"\xff\xfe not utf-8")
    assert Manifest.read(path) is None
    path.write_text("[]")
    assert Manifest.read(path) is None
    path.write_text(GOOD.to_json())
    assert Manifest.read(path) == GOOD


def test_a_non_finite_result_never_reaches_a_manifest():
    with pytest.raises(ValueError):
        dataclasses.replace(GOOD, results={"lam": float("inf")}).to_json()


# --- the cache key -------------------------------------------------------------------------


def test_a_scene_hashes_its_imports_and_the_pipeline_but_not_the_gallery():
    files = {str(p.relative_to(ROOT)) for p in project_files(["scenes.tangency"])}
    assert {"scenes/tangency.py", "scenes/plane.py", "scenes/base.py", "scenes/theme.py"} <= files
    assert {"scenes/__init__.py", "mathcore/__init__.py", "mathcore/ridge.py"} <= files
    assert "scenes/lambda_sweep.py" not in files
    # of the studio, a scene reads only the data reader (tables for the data scenes)
    assert {f for f in files if f.startswith("studio")} == {"studio/__init__.py", "studio/data.py"}
    job = RenderJob("tangency")
    pipeline = {str(p.relative_to(ROOT)) for p in project_files(["studio.frames", "studio.embed"])}
    assert "studio/gallery.py" not in pipeline and "studio/encode.py" in pipeline
    assert inputs_hash(job) == inputs_hash(RenderJob("tangency"))
    assert inputs_hash(job) != inputs_hash(dataclasses.replace(job, theme="light"))


def test_imports_are_followed_by_pythons_rules(tmp_path, monkeypatch):
    """`import a.b`, `from . import x`, `from .x import y`, `from pkg import module` and a
    package's __init__ all count; a name imported from a module and other projects do not."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from . import leaf\n")
    (pkg / "sub" / "leaf.py").write_text("import json\n")
    (pkg / "helper.py").write_text("VALUE = 1\n")
    (pkg / "other.py").write_text("")
    (pkg / "unused.py").write_text("")
    (pkg / "scene.py").write_text(
        "import pkg.sub\nfrom .helper import VALUE\nfrom pkg import other\nimport numpy\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = {str(p.relative_to(tmp_path)) for p in project_files(["pkg.scene"], root=tmp_path)}
    assert found == {
        "pkg/__init__.py",
        "pkg/scene.py",
        "pkg/sub/__init__.py",
        "pkg/sub/leaf.py",
        "pkg/helper.py",
        "pkg/other.py",
    }
    assert "pkg.scene" not in sys.modules  # found without running it
