"""The README says what the code does: its preset and format tables match the records, and
its example of a new scene is a working scene that keeps the rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from manim import FadeIn

import mathcore as mc
import render
from narration import fixed
from scenes.base import Timed, param, point_text
from scenes.plane import PlaneScene, View
from studio.formats import FORMATS
from studio.presets import QUALITIES
from tests.scenetools import construct
from tests.test_scenes_only_draw import mathcore_calls

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def option_row(option: str) -> str:
    return next(line for line in README.splitlines() if line.startswith(f"| `{option}`"))


def test_quality_row_lists_every_preset_as_the_table_has_it():
    row = option_row("-q/--quality")
    listed = re.findall(r"`(\w+)` (\d+×\d+@\d+)", row)
    assert listed == [(q.name, str(q)) for q in QUALITIES.values()]
    help_text = CliRunner().invoke(render.main, ["--help"]).output
    for q in QUALITIES.values():
        assert f"{q.name} {q}" in " ".join(help_text.split())


def test_format_row_lists_every_format():
    assert re.findall(r"`(\w+)`", option_row("-f/--format")) == list(FORMATS)


def test_the_example_scene_works_and_only_draws(tex_cache, tmp_path):
    section = README.split("**Adding a scene.**", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    script = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    (tmp_path / "spot.toml").write_text(script)
    names = {
        "dataclass": dataclass,
        "np": np,
        "mc": mc,
        "FadeIn": FadeIn,
        "Timed": Timed,
        "param": param,
        "point_text": point_text,
        "PlaneScene": PlaneScene,
        "View": View,
    }
    exec(code, names)
    spot = names["Spot"]
    spot.script_folder = tmp_path
    params = spot.Params()
    solution = spot.solve(params)
    lines = spot.load_script().fill(spot.results(solution))
    with mathcore_calls() as calls:
        scene = construct(spot, params, tex_dir=tex_cache, solution=solution)
        results = spot.results(solution)
    assert calls == []
    best = mc.solve_constrained(params.loss(), params.k)
    assert results == {"w_star": best.w.tolist(), "lam": best.lam}
    assert np.linalg.norm(scene.marks["w_star"].get_center() - scene.axes.c2p(*best.w)) < 1e-9
    assert [s.id for s in scene.timeline] == ["problem", "optimum"]
    assert f"λ = {fixed(best.lam, 2)}" in lines["optimum"].caption
