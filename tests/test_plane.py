"""The drawing helpers' arithmetic: clipping to the plot window, fitting the window."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from manim import VMobject, tempconfig

import mathcore as mc
from scenes.base import MANIM_SUBPATHS, subpaths_from_points
from scenes.plane import clip_polygon, clip_polyline, fit_window, tex, tex_escape
from scenes.readout import Readout
from studio.frames import manim_options
from studio.texcache import install

BOX = (0.0, 2.0, 0.0, 1.0)


def area(poly: np.ndarray) -> float:
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def test_polygon_clipping_keeps_exactly_the_part_inside():
    square = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=float)
    np.testing.assert_allclose(clip_polygon(square, BOX), [[0, 0], [1, 0], [1, 1], [0, 1]])
    inside = np.array([[0.5, 0.2], [1.5, 0.2], [1.0, 0.8]])
    np.testing.assert_array_equal(clip_polygon(inside, BOX), inside)
    assert clip_polygon(inside + 5, BOX).shape == (0, 2)


def test_clipped_ellipse_area_matches_sampling():
    loss = mc.QuadraticLoss([[3.0, 1.2], [1.2, 1.2]], [1.2, 0.4])
    ring = mc.level_set(loss, 1.5, num=2000)[:-1]
    clipped = clip_polygon(ring, BOX)
    assert np.all((clipped >= [0, 0]) & (clipped <= [2, 1]))
    rng = np.random.default_rng(0)
    pts = rng.uniform([0, 0], [2, 1], size=(200_000, 2))
    inside = loss.value(pts) <= 1.5
    assert area(clipped) == pytest.approx(2.0 * inside.mean(), rel=0.01)


def test_polyline_clipping_splits_where_the_curve_leaves():
    line = np.array([[-1.0, 0.5], [3.0, 0.5]])
    (piece,) = clip_polyline(line, BOX)
    np.testing.assert_allclose(piece, [[0, 0.5], [2, 0.5]])
    zigzag = np.array([[0.5, 0.5], [0.5, 1.5], [1.5, 1.5], [1.5, 0.5], [1.8, 0.2]])
    pieces = clip_polyline(zigzag, BOX)
    assert len(pieces) == 2
    np.testing.assert_allclose(pieces[0], [[0.5, 0.5], [0.5, 1.0]])
    np.testing.assert_allclose(pieces[1], [[1.5, 1.0], [1.5, 0.5], [1.8, 0.2]])
    assert clip_polyline(zigzag + 10, BOX) == []


def test_fit_window_grows_to_the_points_and_keeps_the_aspect():
    points = np.array([[3.0, 0.0], [-1.0, 0.5]])
    x, y, unit = fit_window((-1, 1), (-1, 1), points, box=(8.0, 4.0), pad=0.1, reference=1.0)
    assert x[0] <= -1 - 0.4 and x[1] >= 3 + 0.4 and y[0] <= -1 and y[1] >= 1
    assert (x[1] - x[0]) * unit == pytest.approx(8.0) and (y[1] - y[0]) * unit == pytest.approx(4.0)
    same = fit_window((-1, 1), (-1, 1), np.zeros((1, 2)) + 1.0, box=(4.0, 4.0), reference=1.0)
    assert same == ((-1.0, 1.0), (-1.0, 1.0), 2.0)


def test_fit_window_scales_the_default_down_for_a_small_problem():
    """A problem a hundred times smaller than the default's gets a window a hundred times
    smaller, not a dot in the default window."""
    small = np.array([[0.012, 0.02], [-0.012, -0.012]])
    x, y, _ = fit_window((-1.75, 3.25), (-1.5, 3.0), small, box=(8.0, 7.2))
    assert x[1] - x[0] < 0.1 and y[1] - y[0] < 0.1
    assert x[0] <= -0.012 and x[1] >= 0.012 and y[0] <= -0.012 and y[1] >= 0.02


def test_text_is_escaped_for_tex_and_compiles(tex_cache):
    """Every character TeX treats specially, a shortened name's '…' and a character LaTeX
    cannot set here: one formula that compiles, saying each as text."""
    hostile = r"a_b & 5% #1 $2 {x} ^ ~ < > | \ temperature…" + "ж"
    escaped = tex_escape(hostile)
    assert r"\_" in escaped and r"\ldots{}" in escaped and escaped.endswith("?")
    assert "…" not in escaped and "ж" not in escaped
    install()
    with tempconfig(manim_options(tex_cache.parent, "none", (384, 216, 5), tex_cache)):
        drawn = tex(r"\text{" + escaped + "}", "#ffffff")
    assert drawn.width > 0 and len(drawn.submobjects[0]) > 20


@pytest.mark.parametrize(
    "value, shown",
    [
        (1000.0, "1000"),
        (123.456, "123"),
        (12.345, "12.3"),
        (1.2345, "1.23"),
        (0.01234, "0.01"),
        (-12.345, "-12.3"),
        (0.0, "0.00"),
        (-0.001, "0.00"),
    ],
)
def test_a_readout_keeps_its_significant_digits(tex_cache, value, shown):
    """lambda_sweep's λ: three significant digits, at most two decimals (λ = 1000, not
    1000.00), each character drawn from its glyph."""
    install()
    with tempconfig(manim_options(tex_cache.parent, "none", (384, 216, 5), tex_cache)):
        readout = Readout(0.0, 2, significant=3).set_value(value)
    assert readout.text == shown and len(readout.submobjects) == 1 + len(shown)


@settings(max_examples=200, deadline=None)
@given(
    curves=st.integers(0, 12),
    extra=st.integers(0, 3),
    joins=st.lists(st.sampled_from(["same", "near", "apart", "nan", "inf"]), min_size=12),
    seed=st.integers(0, 2**16),
)
def test_subpaths_are_manims_own(curves, extra, joins, seed):
    """scenes.base's vectorised get_subpaths_from_points splits exactly where Manim's does:
    joins equal, within its tolerance, apart, or non-finite, and a ragged tail."""
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(4 * curves + extra, 3))
    for i, join in zip(range(4, len(points), 4), joins, strict=False):
        if join == "same":
            points[i] = points[i - 1]
        elif join == "near":
            points[i] = points[i - 1] + 1e-9
        elif join == "nan":
            points[i - 1, 0] = points[i, 0] = np.nan
        elif join == "inf":
            points[i - 1, 1] = points[i, 1] = np.inf
    mob = VMobject()
    ours = subpaths_from_points(mob, points)
    manims = MANIM_SUBPATHS(mob, points)
    assert len(ours) == len(manims)
    for a, b in zip(ours, manims, strict=True):
        np.testing.assert_array_equal(a, b)
