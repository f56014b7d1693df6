"""-f html, the interactive figure: every scene's per-frame readouts are the mathematics
(checked against independent numpy/scipy code, not mathcore), and the page, driven in
Debian's Chromium, shows the frame and the numbers the slider or the URL hash asks for."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq, minimize

from scenes import CATALOGUE
from studio.interactive import Figure
from studio.interactive import page as page_html
from tests.test_augmented import scalar_loop
from tests.test_scene_choose_lambda import check_choose_lambda
from tests.test_scene_ridge_trace import check_ridge_trace
from tests.test_scene_why_ridge import check_why_ridge

ROOT = Path(__file__).resolve().parent.parent
SCENES = [name for name, entry in CATALOGUE.items() if entry.load().scrub]


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> Path:
    """Every scene's interactive figure at draft quality, in one folder."""
    out = tmp_path_factory.mktemp("figures")
    args = [*SCENES, "-q", "draft", "-f", "html", "--out", str(out), "--quiet"]
    done = subprocess.run(
        [sys.executable, str(ROOT / "render.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def manifest(figures: Path, scene: str) -> dict:
    return json.loads((figures / f"{scene}.json").read_text())


def test_every_scene_has_an_interactive_figure():
    assert set(SCENES) == set(CATALOGUE)


# Independent mathematics: f(w) = ½(w − c)ᵀH(w − c) (+ f(c)).


def ridge(H, c, lam):
    return np.linalg.solve(H + lam * np.eye(2), H @ c)


def constrained(H, c, k):
    """argmin f s.t. ‖w‖² ≤ k, and its multiplier, from the secular equation."""
    if c @ c <= k:
        return c, 0.0
    lam = brentq(lambda lam: ridge(H, c, lam) @ ridge(H, c, lam) - k, 0.0, 1e9, xtol=1e-14)
    return ridge(H, c, lam), lam


def l1_constrained(H, c, t):
    """argmin f s.t. ‖w‖₁ ≤ t by SLSQP on w = u − v, u, v ≥ 0."""

    def f(z):
        w = z[:2] - z[2:]
        return 0.5 * (w - c) @ H @ (w - c)

    ball = {"type": "ineq", "fun": lambda z: t - z.sum()}
    z = minimize(f, np.full(4, t / 8), bounds=[(0, None)] * 4, constraints=[ball], tol=1e-14).x
    return z[:2] - z[2:]


def check_lambda_sweep(m, r):
    H, c = np.array(m["params"]["H"]), np.array(m["params"]["center"])
    w = np.array(r["w"])
    if r["lam"] == "∞":
        np.testing.assert_allclose(w, 0, atol=1e-12)
    else:
        np.testing.assert_allclose(w, ridge(H, c, r["lam"]), atol=1e-9)
    assert r["k"] == pytest.approx(w @ w, abs=1e-9)


def check_shadow_price(m, r):
    H, c = np.array(m["params"]["H"]), np.array(m["params"]["center"])
    w, lam = constrained(H, c, r["k"])
    np.testing.assert_allclose(r["w_star"], w, atol=1e-7)
    assert r["lam"] == pytest.approx(lam, abs=1e-6)
    assert r["f_star"] == pytest.approx((w - c) @ H @ (w - c), abs=1e-7)  # ‖Xw − b‖² = 2f


def check_tangency(m, r):
    if r["x"] is None:  # the first beats show the problem alone: no x₁ yet
        assert r == {"angle": None, "x": None, "share": None}
        return
    H, c, k = (np.array(m["params"][key]) for key in ("H", "center", "k"))
    x = np.array(r["x"])
    assert x @ x == pytest.approx(k, rel=1e-9)
    assert r["angle"] == pytest.approx(math.degrees(math.atan2(x[1], x[0])), abs=1e-9)
    grad, tangent = H @ (x - c), np.array([-x[1], x[0]]) / np.linalg.norm(x)
    assert r["share"] == pytest.approx(abs(grad @ tangent) / np.linalg.norm(grad), abs=1e-9)


def check_l1_vs_l2(m, r):
    H, c = np.array(m["params"]["H"]), np.array(m["params"]["center"])
    np.testing.assert_allclose(r["w_l2"], constrained(H, c, r["t"] ** 2)[0], atol=1e-7)
    np.testing.assert_allclose(r["w_l1"], l1_constrained(H, c, r["t"]), atol=1e-5)


def check_projected_gradient(m, r):
    H, c = np.array(m["params"]["H"]), np.array(m["params"]["center"])
    res = m["results"]
    eta, radius = res["step_size"], res["radius"]
    w = plain = np.array(res["start"])
    for _ in range(r["step"]):
        w = w - eta * H @ (w - c)
        w = w * min(1.0, radius / np.linalg.norm(w))
        plain = plain - eta * H @ (plain - c)
    np.testing.assert_allclose(r["w"], w, atol=1e-9)
    np.testing.assert_allclose(r["w_plain"], plain, atol=1e-9)


def check_kkt_slackness(m, r):
    H, k = np.array(m["params"]["H"]), m["results"]["k"]
    w, lam = constrained(H, np.array(r["center"]), k)
    np.testing.assert_allclose(r["w_star"], w, atol=1e-7)
    assert r["lam"] == pytest.approx(lam, abs=1e-6)
    assert r["slack"] == pytest.approx(w @ w - k, abs=1e-7)
    assert r["product"] == pytest.approx(0.0, abs=1e-7)  # complementary slackness


def check_eigen_shrinkage(m, r):
    H, w_hat = np.array(m["params"]["H"]), np.array(m["params"]["center"])
    sigma, Q = np.linalg.eigh(H)
    lam = m["params"]["lam"]
    if lam is None:  # derived: tangency's λ (‖w(λ)‖² = 1.5, three digits) if between σ₂ and
        # σ₁, else √(σ₁σ₂) to two significant digits, clipped to [σ₂, σ₁]
        length2 = lambda x: float(np.sum((sigma / (sigma + x) * (Q.T @ w_hat)) ** 2))  # noqa: E731
        lam = float("nan")
        if w_hat @ w_hat > 1.5:
            lam = float(f"{brentq(lambda x: length2(x) - 1.5, 0.0, 1e6):.3g}")
        if not sigma[0] <= lam <= sigma[1]:
            lam = float(np.clip(float(f"{np.sqrt(np.prod(sigma)):.2g}"), sigma[0], sigma[1]))
    share = r["shrink"]  # each eigen-coordinate that share of the way to σ/(σ + λ) of itself
    expected = Q @ ((1 + share * (sigma / (sigma + lam) - 1)) * (Q.T @ w_hat))
    np.testing.assert_allclose(r["w"], expected, atol=1e-9)
    if share == 1.0:
        np.testing.assert_allclose(r["w"], ridge(H, w_hat, lam), atol=1e-9)


def check_ridge_landscape(m, r):
    H, c, k = (np.array(m["params"][key]) for key in ("H", "center", "k"))
    w, lam = constrained(H, c, k)
    np.testing.assert_allclose(r["w_star"], w, atol=1e-7)
    assert r["lam"] == pytest.approx(lam, abs=1e-6)
    f_min = m["results"]["f_min"]
    assert r["f_star"] == pytest.approx(f_min + 0.5 * (w - c) @ H @ (w - c), abs=1e-7)
    assert 0 <= r["azimuth"] < 360


def check_augmented_lagrangian(m, r):
    """Round t's λ_t and w_t from the method's recurrence solved round by round by Brent's
    method (tests/test_augmented.py's scalar loop), with the run's ρ."""
    H, c, k = (np.array(m["params"][key]) for key in ("H", "center", "k"))
    if r["t"] is None:  # before the first round: only ŵ
        np.testing.assert_allclose(r["w"], c, atol=1e-12)
        return
    rho = 2 * m["results"]["rho"]  # the screen's ρ (g − k unhalved) is half the loop's
    lams, ws, _ = scalar_loop(H, c, float(k), rho, r["t"] + 1)
    assert r["lam"] == pytest.approx(lams[-1], rel=1e-7, abs=1e-12)
    np.testing.assert_allclose(r["w"], ws[-1], atol=1e-7)
    assert r["violation"] == pytest.approx(ws[-1] @ ws[-1] - k, abs=1e-7)


CHECKS = {
    "lambda_sweep": check_lambda_sweep,
    "shadow_price": check_shadow_price,
    "tangency": check_tangency,
    "l1_vs_l2": check_l1_vs_l2,
    "projected_gradient": check_projected_gradient,
    "kkt_slackness": check_kkt_slackness,
    "eigen_shrinkage": check_eigen_shrinkage,
    "ridge_landscape": check_ridge_landscape,
    "ridge_landscape_thumbnail": check_ridge_landscape,
    "augmented_lagrangian": check_augmented_lagrangian,
    "why_ridge": check_why_ridge,
    "ridge_trace": check_ridge_trace,
    "choose_lambda": check_choose_lambda,
}


@pytest.mark.parametrize("scene", SCENES)
def test_every_frames_readouts_are_the_mathematics(figures, scene):
    m = manifest(figures, scene)
    frames = m["scrub"]["frames"]
    assert len(frames) == m["frames"] and m["files"]["html"] == f"{scene}.html"
    keys = [r["key"] for r in m["scrub"]["readouts"]]
    first = [f[keys[0]] for f in frames]
    assert len(set(map(str, first))) > 5, "the slider's parameter hardly moves"
    for i in sorted({0, len(frames) // 3, len(frames) // 2, 2 * len(frames) // 3, len(frames) - 1}):
        assert list(frames[i]) == keys
        CHECKS[scene](m, frames[i])


def open_figure(browser, path: Path, hash_: str = ""):
    page = browser.new_page(viewport={"width": 900, "height": 700})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.emulate_media(reduced_motion="reduce")  # start paused on the first frame
    page.goto(path.as_uri() + hash_)
    page.wait_for_function("document.getElementById('video').readyState >= 2", timeout=15000)
    return page, errors


def state(page) -> dict:
    page.wait_for_function("!document.getElementById('video').seeking")
    return page.evaluate(
        """() => ({
        frame: +document.querySelector('input[type=range]').value,
        time: document.getElementById('video').currentTime,
        paused: document.getElementById('video').paused,
        hash: location.hash,
        values: Object.fromEntries([...document.querySelectorAll('[data-key]')]
            .map(e => [e.dataset.key, JSON.parse(e.dataset.value)])),
        texts: Object.fromEntries([...document.querySelectorAll('[data-key]')]
            .map(e => [e.dataset.key, e.textContent])),
    })"""
    )


@pytest.mark.parametrize("scene", SCENES)
def test_every_page_is_self_contained_and_names_its_slider(figures, browser, scene):
    text = (figures / f"{scene}.html").read_text()
    assert "http://" not in text and "https://" not in text
    assert 'src="data:video/webm;base64,' in text
    m = manifest(figures, scene)
    page, errors = open_figure(browser, figures / f"{scene}.html")
    label = page.eval_on_selector("label[for=scrub]", "e => e.textContent")
    assert label == m["scrub"]["readouts"][0]["name"]
    s = state(page)
    assert s["frame"] == 0 and s["paused"] and s["values"] == m["scrub"]["frames"][0]
    page.close()
    assert errors == []


def test_the_slider_shows_that_frames_picture_and_numbers(figures, browser):
    m = manifest(figures, "lambda_sweep")
    frames, fps = m["scrub"]["frames"], m["fps"]
    page, errors = open_figure(browser, figures / "lambda_sweep.html")
    for i in (len(frames) // 3, len(frames) // 2, 5, len(frames) - 1):
        page.eval_on_selector(
            "input[type=range]",
            f"e => {{ e.value = {i}; e.dispatchEvent(new Event('input')); }}",
        )
        s = state(page)
        assert s["frame"] == i and s["values"] == frames[i]
        assert s["time"] == pytest.approx((i + 0.5) / fps, abs=1e-3)  # frame i on screen
        lam = frames[i]["lam"]
        assert s["texts"]["lam"] == ("∞" if lam == "∞" else f"{lam:.2f}")
        check_lambda_sweep(m, s["values"])
        assert s["hash"] == ("#lam=inf" if lam == "∞" else f"#lam={float(f'{lam:.6g}'):g}")
    page.keyboard.press("ArrowLeft")  # one frame back
    assert state(page)["frame"] == len(frames) - 2
    page.close()
    assert errors == []


def test_a_hash_opens_the_figure_in_that_state(figures, browser):
    frames = manifest(figures, "lambda_sweep")["scrub"]["frames"]
    lams = np.array([math.inf if f["lam"] == "∞" else f["lam"] for f in frames])
    for want, expected in ((0.3, int(np.argmin(np.abs(lams - 0.3)))), ("inf", len(lams) - 1)):
        page, errors = open_figure(browser, figures / "lambda_sweep.html", f"#lam={want}")
        s = state(page)
        if want == "inf":
            expected = int(np.flatnonzero(np.isinf(lams))[0])
        assert s["frame"] == expected and s["paused"] and s["values"] == frames[expected]
        page.close()
        assert errors == []


def test_play_and_pause(figures, browser):
    page, errors = open_figure(browser, figures / "lambda_sweep.html")
    page.click("#play")
    page.wait_for_function("+document.querySelector('input[type=range]').value > 3")
    page.keyboard.press("Space")
    s = state(page)
    assert s["paused"] and s["frame"] > 3
    assert s["values"] == manifest(figures, "lambda_sweep")["scrub"]["frames"][s["frame"]]
    page.close()
    assert errors == []


def test_snippets_and_gallery_embed_the_figure(figures):
    snippet = (figures / "lambda_sweep.embed.md").read_text()
    assert '<iframe src="lambda_sweep.html"' in snippet and "scrubs λ" in snippet
    assert '<iframe src="tangency.html"' in (figures / "index.html").read_text()


def test_a_pair_of_figures_is_one_iframe_that_follows_the_readers_colour_scheme(
    figures, browser, tmp_path
):
    """--theme both: each page sends a reader whose system prefers the other scheme to the
    other theme's page (keeping the hash), at load and when the preference changes."""
    m = manifest(figures, "lambda_sweep")
    video = re.search(
        r'src="(data:video/webm;base64,[^"]+)"', (figures / "lambda_sweep.html").read_text()
    )
    for name, scheme, other in (("fig", "dark", "fig-light"), ("fig-light", "light", "fig")):
        figure = Figure(
            title="t",
            alt_text="a",
            readouts=m["scrub"]["readouts"],
            frames=m["scrub"]["frames"],
            background="#000",
            text="#fff",
            scheme=scheme,
            other=f"{other}.html",
        )
        (tmp_path / f"{name}.html").write_text(page_html(figure, m["fps"], video.group(1)))
    for prefers, start, lands in (
        ("light", "fig", "fig-light"),
        ("dark", "fig-light", "fig"),
        ("dark", "fig", "fig"),
        ("no-preference", "fig-light", "fig-light"),
    ):
        context = browser.new_context(color_scheme=prefers)
        page = context.new_page()
        page.goto((tmp_path / f"{start}.html").as_uri() + "#lam=0.3")
        page.wait_for_timeout(500)  # a redirect, if any, has happened
        page.wait_for_function("document.getElementById('video').readyState >= 2")
        path, _, state_hash = page.url.partition("#")
        assert path.endswith(f"/{lands}.html"), (prefers, start, page.url)
        assert state_hash.startswith("lam="), page.url  # the state came along
        if lands == start == "fig" and prefers == "dark":  # the reader switches to light
            page.emulate_media(color_scheme="light")
            page.wait_for_url("**/fig-light.html#lam=*")
        context.close()
