"""A fault run: a render killed at every stage, two renders into one folder at once, a disk
that fills up, damaged cache entries. After each, the folder holds either the previous files
or a complete new render (never a mix), and the next run recovers."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from studio.manifest import Manifest

ROOT = Path(__file__).resolve().parent.parent
TANGENCY = [sys.executable, str(ROOT / "render.py"), "tangency", "-q", "draft"]
RENDER = [*TANGENCY, "-f", "gif", "-f", "png"]


def consistent(out: Path) -> Manifest:
    """The folder's render is whole: a valid manifest whose every file has its digest."""
    m = Manifest.read(out / "tangency.json")
    assert m is not None
    for name, digest in m.digests.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    return m


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("tangency.*"))}


def test_a_render_killed_at_any_stage_leaves_old_or_new_files_and_recovers(tmp_path):
    out = tmp_path / "media"
    assert subprocess.run([*RENDER, "--out", str(out), "--quiet"]).returncode == 0
    first = snapshot(out)
    consistent(out)
    outcomes = set()
    for delay in (0.3, 1.0, 2.5, 4.0, 6.0, 9.0):
        proc = subprocess.Popen([*RENDER, "--out", str(out), "--force", "--quiet"])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = snapshot(out)
        consistent(out)  # whole, whichever render it is
        outcomes.add("old" if now == first else "new")
        first = now
    assert "old" in outcomes  # the kills did land mid-render
    again = subprocess.run([*RENDER, "--out", str(out)], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    consistent(out)
    leftovers = list((out / ".cache" / "tmp").iterdir())
    assert leftovers == []  # the killed renders' temporary folders were swept


def test_two_renders_into_one_folder_take_turns(tmp_path):
    out = tmp_path / "media"
    runs = [
        subprocess.Popen([*RENDER, "--out", str(out), "--force"], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300)[0] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outputs
    assert any("waiting for another render" in o for o in outputs)
    consistent(out)


def test_a_full_disk_is_refused_cleanly_and_room_lets_it_render(tmp_path):
    """On a 300 KB file system (a private tmpfs) the render is refused before it starts,
    in one line; given room, the same folder renders."""
    out = tmp_path / "small"
    out.mkdir()
    script = f"""
mount -t tmpfs -o size=300k tmpfs {out} || exit 99
export XDG_CACHE_HOME={out}/.xdg
{" ".join(RENDER)} --out {out} --quiet; echo "first $?"
mount -o remount,size=100m {out}
{" ".join(RENDER)} --out {out} --quiet; echo "second $?"
python3 -c "import json,sys; print('manifest', json.load(open('{out}/tangency.json'))['scene'])"
"""
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "first 1" in done.stdout and "not enough free space" in done.stderr
    assert "Traceback" not in done.stderr
    assert "second 0" in done.stdout and "manifest tangency" in done.stdout


def test_a_damaged_latex_cache_entry_is_rebuilt(tmp_path):
    out, env = tmp_path / "media", {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    render = [*TANGENCY, "-f", "png", "--out", str(out)]  # a still: the cache is the point
    assert subprocess.run([*render, "--quiet"], env=env).returncode == 0
    tex = tmp_path / "xdg" / "ridge-lagrange" / "tex"
    svgs = sorted(tex.glob("*.svg"))
    assert svgs and not list(tex.glob(".build-*"))
    for svg in svgs:  # cut short, as a full disk would leave them
        svg.write_bytes(svg.read_bytes()[: len(svg.read_bytes()) // 2])
    again = subprocess.run([*render, "--force"], capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stderr
    assert all(svg.read_bytes().rstrip().endswith(b"</svg>") for svg in svgs)


def test_a_same_size_corruption_is_not_up_to_date(tmp_path):
    out = tmp_path / "media"
    assert subprocess.run([*RENDER, "--out", str(out), "--quiet"]).returncode == 0
    gif = out / "tangency.gif"
    data = bytearray(gif.read_bytes())
    data[len(data) // 2] ^= 0xFF
    gif.write_bytes(bytes(data))
    again = subprocess.run([*RENDER, "--out", str(out)], capture_output=True, text=True)
    assert "rendered" in again.stdout
    consistent(out)


def test_disk_full_while_writing_is_said_in_one_line(monkeypatch, tmp_path):
    """A full disk met while a render writes (after the space check) fails that render with
    one line saying so; the previous files stay."""
    from click.testing import CliRunner

    import render
    from studio import job

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(render.main, ["tangency", "-q", "draft", "-f", "png"]).exit_code == 0
    before = Path("media/tangency.png").read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(job, "embed_snippets", full)
    result = runner.invoke(render.main, ["tangency", "-q", "draft", "-f", "png", "--force"])
    assert result.exit_code == 1
    assert "the disk is full" in result.output and "Traceback" not in result.output
    assert Path("media/tangency.png").read_bytes() == before


def test_ctrl_c_while_starting_up_exits_130_in_one_line(tmp_path):
    proc = subprocess.Popen(
        [*RENDER, "--out", str(tmp_path / "m")], stderr=subprocess.PIPE, text=True
    )
    time.sleep(0.15)  # still importing
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Aborted" not in err


def test_parameters_are_compared_as_values(tmp_path):
    """k=1 and k=1.0, or a default given explicitly, are the same render."""
    out = tmp_path / "media"
    base = [*TANGENCY, "-f", "png", "--out", str(out)]
    assert subprocess.run([*base, "--set", "k=1"], capture_output=True).returncode == 0
    for args in (["--set", "k=1.0"], ["--set", "k=1", "--set", "hold_time=2.5"]):
        again = subprocess.run([*base, *args], capture_output=True, text=True)
        assert "up to date" in again.stdout, (args, again.stdout)
    changed = subprocess.run([*base, "--set", "k=1.1"], capture_output=True, text=True)
    assert "rendered" in changed.stdout
    assert json.loads((out / "tangency.json").read_text())["params"]["k"] == 1.1


def test_a_killed_renders_folder_is_swept_even_when_its_pid_lives_on(tmp_path):
    """PIDs wrap around: a killed render's folder may carry the PID of a live process."""
    from studio.job import OWNER, _sweep_stale, claim

    root = tmp_path / "tmp"
    dead = root / f"tangency-{os.getpid()}-deadbeef"  # a live PID (ours), a free lock
    live = root / f"tangency-{os.getpid()}-cafef00d"
    dead.mkdir(parents=True)
    live.mkdir()
    (dead / OWNER).touch()  # claimed by a process that has died: nobody holds the lock
    owner = claim(live)
    try:
        _sweep_stale(root)
        assert not dead.exists() and live.exists()
    finally:
        os.close(owner)
    _sweep_stale(root)
    assert not live.exists()


def in_private_mounts(script: str) -> subprocess.CompletedProcess:
    """Run the shell `script` as root in its own mount namespace (its mounts vanish with it)."""
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True)


def test_a_read_only_out_folder_is_one_line_exit_2_and_nothing_changes(tmp_path):
    """--out on a read-only file system: empty, a missing subfolder, a previous render (up to
    date, or with --force), and --gallery: each one line, exit 2, before anything renders."""
    out, empty = tmp_path / "media", tmp_path / "empty"
    empty.mkdir()
    png = [*TANGENCY, "-f", "png"]
    assert subprocess.run([*png, "--out", str(out), "--quiet"]).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    runs = {
        "up to date": [*png, "--out", str(out)],
        "force": [*png, "--out", str(out), "--force"],
        "subfolder": [*png, "--out", str(out / "sub")],
        "empty": [*png, "--out", str(empty)],
        "gallery": [sys.executable, str(ROOT / "render.py"), "--gallery", "--out", str(out)],
    }
    script = "".join(
        f"mount --bind {d} {d} && mount -o remount,bind,ro {d} || exit 99\n" for d in (out, empty)
    )
    for name, args in runs.items():
        script += f"echo '## {name}'; {' '.join(args)} 2>&1; echo \"## rc $?\"\n"
    done = in_private_mounts(script)
    assert done.returncode == 0, done.stderr
    for name, report in zip(runs, done.stdout.split("## ")[1::2], strict=True):
        text = report.split("\n", 1)[1].strip()
        assert text.count("\n") == 0 and "is on a read-only file system" in text, (name, text)
        assert "Traceback" not in text
    assert [r.split()[1] for r in done.stdout.split("## ")[2::2]] == ["2"] * len(runs)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not (out / "sub").exists() and not any(empty.iterdir())


DRIVER = """
import sys
sys.path.insert(0, {root!r})
import render, scenes, studio.job, studio.pipeline
from tests.test_cli import TINY

scenes.CATALOGUE = render.CATALOGUE = studio.job.CATALOGUE = {{**scenes.CATALOGUE, **TINY}}
studio.pipeline.check_free_space = lambda *args: None  # the disk fills up after the check
sys.argv = ["render.py", "tiny", "-q", "draft", "-f", "gif", "--out", sys.argv[1], *sys.argv[2:]]
sys.exit(render.cli())
"""


def test_a_disk_that_fills_up_mid_render_is_said_in_one_line(tmp_path):
    """A tmpfs filled (all but 16 KB) after a first render: the second (20 s of frames),
    drawing into the full disk, fails with the README's disk-full line (not ffmpeg's broken pipe),
    keeps the first render's files and leaves a traceback log that is not empty."""
    out = tmp_path / "small"
    out.mkdir()
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(root=str(ROOT)))
    run = f"{sys.executable} {driver} {out} --quiet"
    script = f"""
mount -t tmpfs -o size=20m tmpfs {out} || exit 99
export XDG_CACHE_HOME={tmp_path}/xdg
{run} >/dev/null 2>&1; echo "first $?"
cp {out}/tiny.gif {tmp_path}/first.gif
dd if=/dev/zero of={out}/filler bs=64k 2>/dev/null; truncate -s -16K {out}/filler
{run} --set run_time=20; echo "second $?"
cmp {out}/tiny.gif {tmp_path}/first.gif && echo "kept"
grep -q "No space left on device" {out}/.cache/logs/tiny.log && echo "logged"
ls {out}/.cache/tmp
"""
    done = in_private_mounts(script)
    assert done.returncode == 0, done.stderr
    assert "first 0" in done.stdout and "second 1" in done.stdout, done.stdout + done.stderr
    assert "tiny: the disk is full" in done.stderr, done.stderr
    assert "Broken" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "kept" in done.stdout and "logged" in done.stdout, done.stdout
    assert done.stdout.strip().endswith("logged")  # no temporary folder left


WORKERS = """
import multiprocessing, sys, time
sys.path.insert(0, {root!r})
from studio.job import quiet_worker

pool = multiprocessing.get_context("fork").Pool(2, initializer=quiet_worker)
pool.map(time.sleep, [0.1, 0.1])  # both started
pool.map_async(time.sleep, [30, 30], chunksize=1)  # both busy, as when rendering
time.sleep(0.5)
print(*[p.pid for p in pool._pool], flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has died (its new parent has yet to reap it)


def test_pool_workers_die_with_a_parent_killed_outright():
    """kill -9 of the main process: no busy worker runs on (holding the folder's lock)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKERS.format(root=str(ROOT))], stdout=subprocess.PIPE, text=True
    )
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids)
