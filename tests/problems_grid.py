"""Problems unlike the default, for checking that every scene adapts to what a user sets:
c in each quadrant, negative correlation, nearly isotropic H, a long thin ellipse
(eigenvalue ratio 50), ||c||² just above and just below the default budget k = 1.5, a
small and a large ||c||, and the shipped data (with its column names and budgets). Each is
a dict of --set values: `overrides(problem, scene_class)`."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

from studio.data import data_overrides, load


def rotated(big: float, small: float, degrees: float) -> tuple[tuple[float, float], ...]:
    """H = Q diag(big, small) Qᵀ with Q the rotation by `degrees`, rounded as a user types."""
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    h11 = big * c * c + small * s * s
    h22 = big * s * s + small * c * c
    h12 = (big - small) * c * s
    return ((round(h11, 4), round(h12, 4)), (round(h12, 4), round(h22, 4)))


def at_distance(radius2: float, degrees: float) -> tuple[float, float]:
    a, r = math.radians(degrees), math.sqrt(radius2)
    return (round(r * math.cos(a), 4), round(r * math.sin(a), 4))


PROBLEMS: dict[str, dict] = {
    "c in quadrant II": {"center": (-1.5, 1.6)},
    "c in quadrant III": {"center": (-1.4, -1.7)},
    "c in quadrant IV": {"H": ((2.0, 0.6), (0.6, 1.4)), "center": (1.8, -1.2)},
    "negative correlation": {"H": ((3.0, -1.2), (-1.2, 1.2)), "center": (1.2, 2.0)},
    "nearly isotropic": {"H": ((2.0, 0.05), (0.05, 1.9)), "center": (-1.0, 1.8)},
    "long thin ellipse": {"H": rotated(5.0, 0.1, 35.0), "center": (1.6, 1.4)},
    "just outside k": {"center": at_distance(1.6, 50.0)},
    "just inside k": {"center": at_distance(1.4, 50.0)},
    "small c": {"center": (0.3, 0.2)},
    "large c": {"H": ((2.5, 0.8), (0.8, 1.0)), "center": (4.0, 3.0)},
}

DATA = "diabetes data"  # s1 and s2 of data/diabetes.csv, as --data would set them
NAMES = [*PROBLEMS, DATA]


def problems_of(scene_class: type) -> list[str]:
    """The grid's problems a scene takes: all of them for a scene of one problem (it has H and
    ŵ), only the data set for a scene drawn from a data table (choose_lambda, ridge_trace)."""
    return NAMES if "H" in {f.name for f in dataclasses.fields(scene_class.Params)} else [DATA]


def overrides(problem: str, scene_class: type) -> dict:
    """The --set values of `problem` ("default", a PROBLEMS key or DATA) for `scene_class`,
    as the CLI hands them over (parsed JSON: lists, not tuples)."""
    if problem == "default":
        return {}
    if problem == DATA:
        csv = Path(__file__).parent.parent / "data" / "diabetes.csv"
        data = load(csv, ("s1", "s2"), "progression")
        fields = {f.name for f in dataclasses.fields(scene_class.Params)}
        return data_overrides(data, fields, {}, scene_class.load_script())  # --lang's words
    return {k: _json(v) for k, v in PROBLEMS[problem].items()}


def _json(value):
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    return value


def contact_sheet(scene: str, out: Path, theme: str = "dark") -> Path:
    """Render `scene`'s poster at draft for the default and every problem of the grid into
    `out`, and tile them into `out/<scene>-grid.png` (labelled): for looking, not for git."""
    import json
    import subprocess
    import sys

    from PIL import Image, ImageDraw

    from scenes import CATALOGUE

    scene_class = CATALOGUE[scene].load()
    tiles = []
    for i, problem in enumerate(["default", *NAMES]):
        folder = out / f"{scene}-{i}"
        sets = [f"{k}={json.dumps(v)}" for k, v in overrides(problem, scene_class).items()]
        cmd = [sys.executable, "render.py", scene, "-q", "draft", "-f", "png", "--quiet"]
        cmd += ["--theme", theme, "--out", str(folder), *(a for s in sets for a in ("--set", s))]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
        if done.returncode == 0:
            tile = Image.open(folder / f"{scene}.png").convert("RGB")
        else:
            tile = Image.new("RGB", (384, 216), "#400")
            ImageDraw.Draw(tile).text((8, 40), done.stderr.strip()[-200:], fill="white")
        ImageDraw.Draw(tile).text((6, 4), problem, fill="#ff0")
        tiles.append(tile)
    w, h = tiles[0].size
    sheet = Image.new("RGB", (3 * w, -(-len(tiles) // 3) * h))
    for i, tile in enumerate(tiles):
        sheet.paste(tile.resize((w, h)), ((i % 3) * w, (i // 3) * h))
    target = out / f"{scene}-grid.png"
    sheet.save(target)
    return target


if __name__ == "__main__":  # python -m tests.problems_grid SCENE OUT [THEME]
    import sys

    print(contact_sheet(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:]))
