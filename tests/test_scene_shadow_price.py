"""shadow_price: the tangent's slope is −λ of the plotted loss (checked against scipy), the
sweep fits the problem, the labels keep off their curves and each other, and k never jumps."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from scenes.plane import box_of, dense
from scenes.shadow_price import ShadowPrice, ShadowPriceParams
from scenes.theme import DARK
from studio.frames import render_frames
from tests.problems_grid import PROBLEMS
from tests.scenetools import construct, data_point
from tests.test_scene_tangency import constrained

DEFAULT = ShadowPriceParams()


@pytest.fixture(scope="module")
def scene(tex_cache):
    return construct(ShadowPrice, tex_dir=tex_cache)


def test_shadow_price_slope_is_minus_lambda_of_the_plotted_loss():
    """f*(k) = ‖Xw* − b‖² − ‖Xŵ − b‖² = (w* − ŵ)ᵀH(w* − ŵ) and λ (scipy's SLSQP, numpy)
    at a few budgets; the plotted curve's own slope is −λ where it is smooth."""
    s = ShadowPrice.solve(DEFAULT)
    curve = s.curve
    H, c = np.asarray(DEFAULT.H), np.asarray(DEFAULT.center)
    for i in (0, s.focus, s.binding_end - 10):
        w, lam = constrained(H, c, curve.k[i])
        assert curve.f_star[i] == pytest.approx((w - c) @ H @ (w - c), abs=1e-6)
        assert curve.lam[i] == pytest.approx(lam, rel=1e-5)
    np.testing.assert_allclose(curve.slope, -curve.lam)
    binding = slice(5, s.binding_end - 5)
    fd = np.gradient(curve.f_star, curve.k)
    np.testing.assert_allclose(fd[binding], curve.slope[binding], rtol=0.02, atol=0.02)
    flat = curve.k >= s.w_hat_norm2
    assert flat.any() and np.all(curve.lam[flat] == 0) and np.all(curve.slope[flat] == 0)
    assert np.all(curve.lam[: s.binding_end] > 0)
    assert s.graph[0] == pytest.approx((0.0, c @ H @ c))  # f*(0): w = 0


@pytest.mark.parametrize("problem", ["default", *PROBLEMS])
def test_the_sweep_derives_from_the_problem(problem):
    """k runs from 5% of ‖ŵ‖² to 15% past it, whatever ŵ is; most of the sweep's samples
    (so most of its time) are where the constraint binds and λ changes."""
    params = dataclasses.replace(DEFAULT, **PROBLEMS.get(problem, {}))
    s = ShadowPrice.solve(params)
    norm2 = float(np.sum(np.asarray(params.center) ** 2))
    assert s.w_hat_norm2 == pytest.approx(norm2)
    assert s.curve.k[0] == pytest.approx(0.05 * norm2)
    assert s.curve.k[-1] == pytest.approx(1.15 * norm2)
    assert s.binding_end > 0.75 * len(s.curve.k)
    assert s.curve.k[s.binding_end] == pytest.approx(norm2)
    assert 0 < s.focus < s.binding_end


def test_explicit_budgets_are_honoured_and_checked():
    s = ShadowPrice.solve(dataclasses.replace(DEFAULT, k_min=0.5, k_max=3.0))  # all binding
    assert s.curve.k[0] == 0.5 and s.curve.k[-1] == 3.0 and np.all(s.curve.lam > 0)
    with pytest.raises(ValueError, match="k_min < k_max"):
        ShadowPriceParams(k_min=3.0, k_max=2.0)
    with pytest.raises(ValueError, match="k_max"):
        ShadowPrice.solve(dataclasses.replace(DEFAULT, k_max=0.2, k_min=0.3))


def test_shadow_price_scene_objects(scene):
    s = scene.solution
    at = s.focus  # the scene ends back on the middle of the binding part
    end = (s.curve.k[at], s.curve.f_star[at])
    plot_dot, w_star = scene.marks["plot_dot"], scene.marks["w_star"]
    assert np.linalg.norm(plot_dot.get_center() - scene.value_axes.c2p(*end)) < scene.pixel
    assert np.linalg.norm(w_star.get_center() - scene.axes.c2p(*s.curve.w[at])) < scene.pixel
    k, lam, slope = (row[1].value for row in scene.marks["readouts"])
    assert k == s.curve.k[at] and lam == s.curve.lam[at] and slope == -lam


def test_the_triangle_rises_lambda_per_unit_run(scene):
    """Rise over run of the drawn triangle, read back in the plot's units, is −λ."""
    s, axes = scene.solution, scene.value_axes
    run_leg, rise_leg = scene.marks["triangle"].submobjects
    start, corner = (data_point(axes, p) for p in (run_leg.get_start(), run_leg.get_end()))
    bottom = data_point(axes, rise_leg.get_end())
    assert start == pytest.approx((s.curve.k[s.focus], s.curve.f_star[s.focus]), rel=1e-6)
    assert corner[1] == pytest.approx(start[1], abs=1e-9)
    slope = (bottom[1] - corner[1]) / (corner[0] - start[0])
    assert slope == pytest.approx(-s.curve.lam[s.focus], rel=1e-6)


def test_shadow_price_when_the_constraint_never_binds(tex_cache):
    params = dataclasses.replace(DEFAULT, center=(0.0, 0.0))  # f* ≡ 0 for every k
    scene = construct(ShadowPrice, params, tex_dir=tex_cache)
    assert np.all(scene.solution.curve.f_star == 0) and np.all(scene.solution.curve.lam == 0)
    assert [seg.id for seg in scene.timeline] == [
        "problem",
        "problem.plot",
        "flat",
        "price",
        "price.lesson",
    ]


def test_the_interactive_figure_prints_k_and_lambda_as_the_frames_do():
    """Small budgets get more decimals on screen (`places`); the page's readouts follow."""
    for center, more in (((1.2, 2.0), False), ((0.12, 0.2), True)):
        s = ShadowPrice.solve(ShadowPrice.Params(center=center))
        decimals = {r.key: r.decimals for r in ShadowPrice.scrubbed(s)}
        assert decimals["k"] == decimals["lam"] == ShadowPrice.places(s)
        assert (ShadowPrice.places(s) > 2) == more
        assert decimals["w_star"] == 2


@pytest.mark.parametrize("problem", ["default", "c in quadrant IV", "long thin ellipse"])
def test_labels_keep_off_their_curves_and_never_stack(problem, tex_cache):
    """At samples across the sweep: "f = f*(k)" keeps a visible gap (more than its thick
    curve's half width) from every point of its own level set, and is not shown while that
    level set is a speck by ŵ (on U2 it floated by a dot); w*'s label and ŵ's never
    overlap, and where w* = ŵ one label names both."""
    params = dataclasses.replace(DEFAULT, **PROBLEMS.get(problem, {}))
    scene = construct(ShadowPrice, params, tex_dir=tex_cache)
    s, axes = scene.solution, scene.axes
    named_specks = 0
    for i in np.linspace(0, len(s.curve.k) - 1, 40).astype(int):
        scene.sample.set_value(i)
        scene.place_plane_labels()
        if s.curve.lam[i] > 0:
            box = box_of(scene.touching_label) + 0.06 * np.array([-1, -1, 1, 1])
            level = dense(_scene(axes, scene.clipped(s.touching[i])))
            inside = (
                (level[:, 0] > box[0])
                & (level[:, 0] < box[2])
                & (level[:, 1] > box[1])
                & (level[:, 1] < box[3])
            )
            assert not inside.any(), (problem, i)
            named = scene.touching_label[1].get_fill_opacity() > 0.5
            assert named == (np.ptp(level[:, :2], axis=0).max() >= ShadowPrice.speck)
            named_specks += not named
            a, b = box_of(scene.w_label), box_of(scene.center_label)
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])
        else:
            assert scene.same_label.get_fill_opacity() > 0.5
            assert scene.center_label[1].get_fill_opacity() == 0
            assert scene.w_label[1].get_fill_opacity() == 0
            assert scene.same_label[1].tex_string == r"w^* = \hat w"
    assert named_specks > 0  # the sweep reaches a speck of a level set, unnamed


def _scene(axes, points):
    return np.array([axes.c2p(*p) for p in points])


def test_k_never_jumps_and_ends_where_the_scene_sums_up(tmp_path, tex_cache):
    """Frame by frame (10 fps): k changes by at most half its range in any second (the old
    ending jumped back across all of it in about one), and the last frame is at k_focus."""
    s = ShadowPrice.solve(DEFAULT)
    frames = render_frames(ShadowPrice, DEFAULT, DARK, (128, 72, 10), tmp_path, tex_cache, s)
    ks = np.array([frames.readouts[i]["k"] for i in sorted(frames.readouts)])
    assert len(ks) == frames.count
    assert np.abs(ks[10:] - ks[:-10]).max() <= 0.5 * s.curve.k[-1]
    assert ks[-1] == s.curve.k[s.focus] and ks.max() == s.curve.k[-1]


def test_labels_shown_and_hidden_by_the_sample_are_redrawn_every_frame(scene):
    """ŵ's label, hidden while w* = ŵ and shown again as k glides back, comes after the
    first mobject that updates: Manim redraws those every frame (the ones before it are kept
    as a still backdrop, where the label would stay hidden)."""
    first = min(i for i, m in enumerate(scene.mobjects) if any(f.updaters for f in m.get_family()))
    for label in (scene.center_label, scene.w_label, scene.same_label, scene.touching_label):
        assert scene.mobjects.index(label) > first
