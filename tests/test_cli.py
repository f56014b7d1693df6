"""render.py: listing, errors, outputs, manifest, caching, atomicity, parallel rendering.

CliRunner tests use a tiny test scene in an isolated folder; the subprocess tests run the real
command on a real scene at the draft size."""

from __future__ import annotations

import inspect
import itertools
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import mathcore as mc
import render
import scenes
from scenes import SceneEntry
from scenes.base import RidgeScene
from studio import formats, pipeline
from tests.scenetools import TEST_SIZE, construct, reference_difference

ROOT = Path(__file__).resolve().parent.parent
TINY_SCRIPT = ROOT / "tests" / "tiny.toml"
TINY = {
    "tiny": SceneEntry("tiny", "tests.tiny_scene", "Tiny", script=TINY_SCRIPT),
    "tiny_b": SceneEntry("tiny_b", "tests.tiny_scene", "TinyVariant", script=TINY_SCRIPT),
}


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """Run render.py's command in an empty folder with the tiny scenes catalogued."""
    monkeypatch.setattr(scenes, "CATALOGUE", {**scenes.CATALOGUE, **TINY})
    monkeypatch.setattr(render, "CATALOGUE", scenes.CATALOGUE)
    import studio.job

    monkeypatch.setattr(studio.job, "CATALOGUE", scenes.CATALOGUE)
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)

    def run(*args: str):
        return runner.invoke(render.main, list(args), catch_exceptions=False)

    return run


def manifest(name: str, out: str = "media") -> dict:
    return json.loads(Path(out, f"{name}.json").read_text())


def test_list_plain_and_json(cli):
    plain = cli("--list")
    assert plain.exit_code == 0
    assert plain.output.splitlines()[0].split()[0] == "tangency"
    listing = json.loads(cli("--list", "--json").output)
    by_name = {e["name"]: e for e in listing}
    assert by_name["tangency"]["title"].startswith("The optimum")
    assert by_name["tangency"]["module"] == "scenes/tangency.py"
    assert {"name", "title", "description"} <= set(by_name["tiny"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nope"], ["unknown scene 'nope'", "known: tangency"]),
        ([], ["name a scene or use --all"]),
        (["tiny", "--all"], ["not both"]),
        (["tiny", "--set", "k"], ["expected KEY=VALUE"]),
        (["tiny", "--set", "kk=1"], ["unknown parameter 'kk'", "k=1.0", "run_time=1.0"]),
        (["tiny", "--set", "k=abc"], ['k="abc"', "expected a number", "valid keys"]),
        (["tiny", "--set", "k=-1"], ["k must be > 0"]),
        (["tiny", "--set", "H=[[1,2],[3,4]]"], ["H must be symmetric"]),
        (["tiny", "--set", "H=[[1,0],[0,-1]]"], ["positive semidefinite"]),
        (["tiny", "--set", "center=[1]"], ["center must have 2 rows"]),
        (["tiny", "--set", "center=5"], ["center=5", "expected a JSON list"]),
        (["tiny", "--set", "run_time=-2"], ["run_time must be a number of seconds from 0 to 60"]),
        (["tiny", "--set", "run_time=1e9"], ["run_time must be a number of seconds from 0 to 60"]),
        (["tangency", "--set", "hold_time=0.5"], ["hold_time must be at least 1.5 s"]),
        (["tangency", "--set", "start_angle=38.6"], ["start_angle"]),
        (["tiny", "-q", "ultra"], ["'ultra' is not one of"]),
        (["tiny", "-f", "avi"], ["'avi' is not one of"]),
    ],
)
def test_usage_errors_exit_2_with_one_message_and_write_nothing(cli, args, words):
    result = cli(*args)
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, result.output
    assert "Traceback" not in result.output
    assert not Path("media").exists()


def test_help_params_lists_parameters_with_defaults(cli):
    result = cli("tangency", "--help-params")
    assert result.exit_code == 0
    assert "k = 1.5" in result.output and "start_angle = null" in result.output
    assert "H = [[3.0, 1.2], [1.2, 1.2]]" in result.output


def test_render_writes_each_format_and_a_full_manifest(cli):
    result = cli(
        "tiny",
        "-q",
        "draft",
        "-f",
        "gif",
        "-f",
        "png",
        "-f",
        "mp4",
        "--set",
        "k=2.25",
        "--voice",
        "none",
    )
    assert result.exit_code == 0, result.output
    m = manifest("tiny")
    for fmt in ("gif", "png", "mp4"):
        path = Path("media", f"tiny.{fmt}")
        assert path.stat().st_size == m["bytes"][fmt] > 0
        assert m["files"][fmt] == f"tiny.{fmt}"
    assert m["scene"] == "tiny" and m["title"] == "Tiny"
    assert m["module"] == "tests/tiny_scene.py" and m["scene_class"] == "Tiny"
    assert m["params"]["k"] == 2.25 and m["params"]["H"] == [[3.0, 1.2], [1.2, 1.2]]
    assert m["results"] == {"radius": 1.5, "center": [1.2, 2.0]}
    assert m["alt_text"] == "A circle of radius 1.50."
    assert (m["quality"], m["width"], m["height"], m["fps"]) == ("draft", 384, 216, 10)
    # the first frame alone for the lead-in (0.5 s), then 1 s of Create and a 0.2 s wait,
    # held to the caption's reading time: 24 characters at 17 a second is 1.41 s, 15 frames
    # at 10 fps
    assert RidgeScene.lead_in == 0.5
    assert m["frames"] == 20 and m["duration_s"] == 2.0
    assert m["cues"] == [
        {"id": "draw", "part": 0, "start": 0.5, "end": 2.0, "text": "A circle of radius 1.50."}
    ]
    assert m["gif_fps"] == 20 and len(m["inputs_hash"]) == 64
    assert m["manim_version"].startswith("0.22")
    assert "tiny" in result.output and "rendered" in result.output
    assert not list(Path("media/.cache/tmp").iterdir())


def test_second_run_is_up_to_date_and_changes_render_again(cli, monkeypatch):
    assert cli("tiny", "-q", "draft").exit_code == 0
    gif = Path("media/tiny.gif")
    stamp = gif.stat().st_mtime_ns
    with monkeypatch.context() as m:  # up to date: nothing solved, nothing drawn
        for name in ("plan", "render_scene"):
            m.setattr(pipeline, name, lambda *a, name=name, **k: pytest.fail(name))
        again = cli("tiny", "-q", "draft")
    assert again.exit_code == 0 and "up to date" in again.output
    assert gif.stat().st_mtime_ns == stamp
    changed = cli("tiny", "-q", "draft", "--set", "k=0.5")
    assert "rendered" in changed.output and gif.stat().st_mtime_ns != stamp
    assert manifest("tiny")["params"]["k"] == 0.5
    stamp = gif.stat().st_mtime_ns
    assert "rendered" in cli("tiny", "-q", "draft", "--set", "k=0.5", "--force").output
    assert gif.stat().st_mtime_ns != stamp
    assert "rendered" in cli("tiny", "-q", "draft", "--set", "k=0.5", "--theme", "light").output


@pytest.mark.parametrize("damage", ["[]", "null", '{"scene": 3}', "\udcff"])
def test_a_damaged_manifest_is_rendered_again(cli, damage):
    assert cli("tiny", "-q", "draft").exit_code == 0
    Path("media/tiny.json").write_bytes(damage.encode("utf-8", "surrogateescape"))
    again = cli("tiny", "-q", "draft")
    assert again.exit_code == 0 and "rendered" in again.output, again.output
    assert manifest("tiny")["scene"] == "tiny"


def test_failed_render_leaves_previous_files_byte_identical(cli):
    assert cli("tiny", "-q", "draft", "-f", "gif", "-f", "png").exit_code == 0
    before = {p.name: p.read_bytes() for p in Path("media").glob("tiny.*")}
    result = cli("tiny", "-q", "draft", "-f", "gif", "-f", "png", "--set", "fail_after=0.5")
    assert result.exit_code == 1
    assert "tiny: RuntimeError: tiny scene failed on purpose" in result.output
    assert "Traceback" not in result.output
    after = {p.name: p.read_bytes() for p in Path("media").glob("tiny.*")}
    assert after == before
    assert not list(Path("media/.cache/tmp").iterdir())
    assert "Traceback" in Path("media/.cache/logs/tiny.log").read_text()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_failure_does_not_stop_the_others(cli, jobs):
    result = cli("tiny", "tiny_b", "-q", "draft", "--set", "fail_after=0.3", "-j", jobs)
    assert result.exit_code == 1
    rows = {
        line.split()[0]: line.split()[1]
        for line in result.output.splitlines()
        if line.startswith(("tiny ", "tiny_b "))
    }
    assert rows == {"tiny": "failed", "tiny_b": "rendered"}
    assert Path("media/tiny_b.gif").exists() and not Path("media/tiny.gif").exists()


def test_parallel_jobs_write_the_same_files_as_serial(cli):
    assert cli("tiny", "tiny_b", "-q", "draft", "--out", "serial", "-j", "1").exit_code == 0
    assert cli("tiny", "tiny_b", "-q", "draft", "--out", "parallel", "-j", "2").exit_code == 0
    for name in ("tiny", "tiny_b"):
        assert (
            Path("serial", f"{name}.gif").read_bytes()
            == Path("parallel", f"{name}.gif").read_bytes()
        )
        a, b = manifest(name, "serial"), manifest(name, "parallel")
        assert a["inputs_hash"] == b["inputs_hash"] and a["bytes"] == b["bytes"]


def test_missing_system_tool_is_named(cli, monkeypatch):
    monkeypatch.setattr(formats.shutil, "which", lambda t: None if t == "ffmpeg" else "/bin/x")
    result = cli("tiny", "-q", "draft")
    assert result.exit_code == 1
    assert "ffmpeg (apt-get install ffmpeg)" in result.output
    assert not Path("media/tiny.gif").exists()


# --- real processes, real scenes ---------------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "render.py"), *args], cwd=cwd, capture_output=True, text=True
    )


def test_real_scene_renders_in_a_subprocess(tmp_path):
    done = run_cli("tangency", "-q", "draft", "-f", "gif", "-f", "png", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    m = manifest("tangency", str(tmp_path / "media"))
    ref = mc.solve_constrained(mc.QuadraticLoss([[3.0, 1.2], [1.2, 1.2]], [1.2, 2.0]), 1.5)
    np.testing.assert_allclose(m["results"]["w_star"], ref.w, rtol=1e-12)
    assert m["results"]["lam"] == pytest.approx(ref.lam, rel=1e-12)
    assert "λ = 2.32" in m["alt_text"]
    # the script sets the length: cues follow each other from the lead-in to the end
    cues = m["cues"]
    assert cues[0]["start"] == RidgeScene.lead_in and m["duration_s"] >= cues[-1]["end"]
    assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(cues))
    assert 15 <= m["duration_s"] <= 60
    assert done.stdout.splitlines()[-1].split()[:2] == ["tangency", "rendered"]
    # the layout measured at the end of every segment played, in pixels of this render (384
    # wide): what the scene records at the blog size (768), halved
    layout = m["layout"]["beats"]
    blog = construct(scenes.CATALOGUE["tangency"].load()).layout_report(768)["beats"]
    assert [b["beat"] for b in layout] == [b["beat"] for b in blog]
    assert len(layout) >= 8 and {"problem", "touch"} <= {b["beat"] for b in layout}
    assert all(b["overlaps"] == [] and b["outside"] == [] for b in layout)
    for ours, big in zip(layout, blog, strict=True):
        for key in ("min_text_px", "min_tick_px", "min_arrow_px"):
            if big[key] is not None:
                assert ours[key] == pytest.approx(big[key] / 2, abs=0.06), (ours["beat"], key)


@pytest.mark.parametrize(
    ("scenes_args", "sig"),
    [
        (["tangency"], signal.SIGINT),
        (["tangency", "lambda_sweep", "eigen_shrinkage", "-j", "2"], signal.SIGINT),
        (["tangency", "lambda_sweep", "eigen_shrinkage", "-j", "2"], signal.SIGTERM),
    ],
    ids=["one scene, Ctrl-C", "parallel, Ctrl-C", "parallel, SIGTERM"],
)
def test_interrupt_keeps_previous_output_and_cleans_up(tmp_path, scenes_args, sig):
    out = tmp_path / "media"
    out.mkdir()
    (out / "tangency.gif").write_bytes(b"previous")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "render.py"), *scenes_args, "-q", "draft", "--force"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    tmp_root = out / ".cache" / "tmp"
    deadline = time.time() + 60
    while time.time() < deadline and not (tmp_root.exists() and any(tmp_root.iterdir())):
        time.sleep(0.05)
    time.sleep(1.0)  # well into the render
    proc.send_signal(sig)  # to the main process only; Ctrl-C would reach the workers too
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert (out / "tangency.gif").read_bytes() == b"previous"
    assert not (out / "tangency.json").exists()
    assert not any(tmp_root.iterdir())
    assert not any(p.suffix in (".json", ".md") for p in out.iterdir())


@pytest.fixture(scope="session")
def manim_media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("manim-media")


@pytest.mark.parametrize("name", list(scenes.CATALOGUE))
def test_every_scene_is_a_plain_manim_scene(name, manim_media, update_references):
    """`manim -s <module> <Class>`, as the manifest names them, renders the final frame, and
    it is exactly the scene's reference still (tests/test_references.py) — or, for a scene
    whose poster is an earlier frame (it calls `take_poster`), the reference of its last
    frame, `<name>_last_dark.png`: plain Manim draws the same picture as the pipeline."""
    entry = scenes.CATALOGUE[name]
    early_poster = "take_poster" in inspect.getsource(entry.load())
    reference = f"{name}_last_dark" if early_poster else f"{name}_dark"
    manim = Path(sys.executable).with_name("manim")
    done = subprocess.run(
        [
            str(manim),
            "-s",
            "-r",
            f"{TEST_SIZE[0]},{TEST_SIZE[1]}",
            "--media_dir",
            str(manim_media),
            entry.relative_path,
            entry.cls,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    still = next(manim_media.rglob(f"{entry.cls}_ManimCE_*.png"))
    found = reference_difference(still, reference, update_references and early_poster)
    assert found.identical, found.describe()


# --- hostile inputs (issue 29): one line each, the right exit status, nothing changed ----------


def test_a_usage_error_is_one_line_in_the_shell(tmp_path):
    """Not click's usage, hint and error (four lines): one line, exit 2."""
    for args in (["nope"], ["tangency", "-q", "ultra"], ["tangency", "--set", "k"]):
        done = run_cli(*args, "--out", str(tmp_path / "media"), cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
        assert not (tmp_path / "media").exists()


def test_a_recording_that_is_a_folder_or_a_loop_is_refused_before_rendering(cli):
    """<recordings>/<scene>/<beat>.wav a folder or a symlink loop, with a previous render in
    --out (whose up-to-date check hashes the recordings): one line, exit 2, files kept."""
    args = ("tiny", "-q", "draft", "-f", "png", "--voice", "espeak")
    assert cli(*args).exit_code == 0, "the default recordings folder may be absent"
    before = {p.name: p.read_bytes() for p in Path("media").glob("tiny.*")}
    beat = Path("voice", "tiny", "draw.wav")
    beat.parent.mkdir(parents=True)
    for make in (beat.mkdir, lambda: (beat.rmdir(), beat.symlink_to(beat.name))):
        make()
        result = cli(*args, "--recordings", "voice")
        assert result.exit_code == 2, result.output
        assert "draw.wav: not a file (the recording of beat 'draw')" in result.output
        assert "Traceback" not in result.output and "rendering" not in result.output
        assert {p.name: p.read_bytes() for p in Path("media").glob("tiny.*")} == before


def test_a_recordings_folder_that_does_not_exist_is_refused(cli):
    result = cli("tiny", "-q", "draft", "-f", "png", "--recordings", "/no/such/dir")
    assert result.exit_code == 2
    assert "--recordings /no/such/dir: no such folder" in result.output
    assert not Path("media").exists()


@pytest.mark.parametrize(
    ("make", "out", "words"),
    [
        (lambda: Path("loop").symlink_to("loop"), "loop", "--out loop: a symlink loop"),
        (lambda: Path("loop").symlink_to("loop"), "loop/sub", "--out loop/sub: a symlink loop"),
        (
            lambda: Path("gone").symlink_to("nowhere"),
            "gone",
            "--out gone: gone is a symlink to nowhere, which does not exist",
        ),
        (lambda: Path("file").write_text("x"), "file/sub", "file is a file, not a folder"),
    ],
    ids=["loop", "inside a loop", "dangling", "under a file"],
)
def test_an_out_folder_that_cannot_be_one_is_refused(cli, make, out, words):
    make()
    for args in (["tiny", "-q", "draft"], ["--gallery"]):
        result = cli(*args, "--out", out)
        assert result.exit_code == 2, result.output
        assert words in result.output and "Traceback" not in result.output


def test_an_out_folder_whose_lock_cannot_be_made_is_one_line_exit_1(cli):
    """A failure of the machine met when taking the folder's lock (here: .cache is a file)."""
    Path("media").mkdir()
    Path("media/.cache").write_text("not a folder")
    result = cli("tiny", "-q", "draft")
    assert result.exit_code == 1, result.output
    assert "Error: cannot write in media: File exists (media/.cache)" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in Path("media").iterdir()) == [".cache"]


def test_after_ctrl_c_the_gallery_shows_what_finished(cli, monkeypatch):
    """Ctrl-C once the first of two scenes has rendered: exit 130, and index.html has it."""
    render_all = pipeline.render_all

    def interrupted_after_one(plans, workers, quiet, done):
        render_all(plans[:1], workers, quiet, done)
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "render_all", interrupted_after_one)
    result = cli("tiny", "tiny_b", "-q", "draft", "-f", "png")
    assert result.exit_code == 130, result.output
    assert "new files for tiny; previous files kept for tiny_b" in result.output
    page = Path("media/index.html").read_text()
    assert 'id="tiny"' in page and 'id="tiny_b"' not in page


def test_an_up_to_date_run_sweeps_a_killed_renders_temporary_folder(cli):
    from studio.job import OWNER

    assert cli("tiny", "-q", "draft", "-f", "png").exit_code == 0
    left = Path("media/.cache/tmp/tiny-999999-deadbeef")  # its render was killed with -9
    left.mkdir()
    (left / OWNER).touch()
    (left / "frames.mkv").write_bytes(b"x" * 1000)
    again = cli("tiny", "-q", "draft", "-f", "png")
    assert "up to date" in again.output
    assert not left.exists()
