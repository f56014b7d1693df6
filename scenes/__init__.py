"""The scenes, catalogued without importing Manim (so listing and cache checks stay fast).

Each entry names the module and class that draw it; `load()` imports them.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SceneEntry:
    name: str
    module: str
    cls: str
    title: str
    description: str
    quality: str | None = None  # the preset used when -q is not given (None: the default)
    script: Path | None = None  # its narration (None: narration/<name>.toml)
    reads: tuple[str, ...] = ()  # project data files it reads by default (in its cache key)

    @property
    def path(self) -> Path:
        """The module's file, for `manim <path> <class>` (found without importing it)."""
        return Path(importlib.util.find_spec(self.module).origin)

    @property
    def relative_path(self) -> str:
        """The module's file relative to the project root."""
        return str(self.path.relative_to(Path(__file__).parent.parent))

    @property
    def script_path(self) -> Path:
        """The scene's script (the class's `script` names the same file)."""
        return self.script or Path(__file__).parent.parent / "narration" / f"{self.name}.toml"

    def load(self) -> type:
        return getattr(importlib.import_module(self.module), self.cls)


CATALOGUE: dict[str, SceneEntry] = {
    e.name: e
    for e in [
        SceneEntry(
            "tangency",
            "scenes.tangency",
            "Tangency",
            "The optimum is where a level set touches the circle",
            "A point p slides along the budget's circle until ∇f and −λ∇g, drawn on one scale, "
            "coincide: there, at w*, a level set of f touches the circle and ∇f = −λ∇g.",
        ),
        SceneEntry(
            "lambda_sweep",
            "scenes.lambda_sweep",
            "LambdaSweep",
            "Penalty and budget: one family, two names",
            "Ridge, least squares + λ‖w‖², finds the same w as the budget ‖w‖² ≤ k: as λ grows, "
            "w(λ) slides from ŵ to 0 and the circle through it touches a level set of f.",
        ),
        SceneEntry(
            "eigen_shrinkage",
            "scenes.eigen_shrinkage",
            "EigenShrinkage",
            "Which weights shrink: rotate, rescale, rotate back",
            "w* = Q(Σ + λI)⁻¹ΣQᵀŵ with H = XᵀX = QΣQᵀ: turn H's eigenvectors onto the axes, "
            "shrink each coordinate by σⱼ/(σⱼ + λ) (the small-σ direction most), turn back onto "
            "the direct solve.",
        ),
        SceneEntry(
            "ridge_landscape",
            "scenes.ridge_landscape",
            "RidgeLandscape",
            "The constrained loss landscape, spinning",
            "The loss surface cut by the cylinder ||w||² = k; the lowest point of the cut is "
            "the constrained minimum; the camera turns once around, as a seamless loop.",
        ),
        SceneEntry(
            "ridge_landscape_thumbnail",
            "scenes.ridge_landscape",
            "RidgeLandscapeThumbnail",
            "The constrained loss landscape, a small loop",
            "A short, small version of ridge_landscape for the top of a post.",
            quality="thumb",
        ),
        SceneEntry(
            "l1_vs_l2",
            "scenes.l1_vs_l2",
            "L1VsL2",
            "Why L1 gives zeros and L2 does not",
            "The L2 disk and the L1 diamond shrink side by side; the L1 optimum reaches the "
            "corner the level sets meet first, where a coordinate is exactly 0; the L2 optimum "
            "meets no axis on its way to 0.",
        ),
        SceneEntry(
            "kkt_slackness",
            "scenes.kkt_slackness",
            "KktSlackness",
            "Inactive or active: complementary slackness",
            "The least-squares fit ŵ loops in and out of the circle as the data change: inside "
            "w* = ŵ and λ = 0; outside w* sits on the circle, ∇f and −λ∇g balance with λ > 0; "
            "λ·(‖w*‖² − k) stays 0.",
        ),
        SceneEntry(
            "shadow_price",
            "scenes.shadow_price",
            "ShadowPrice",
            "λ is the price of the constraint",
            "As the budget k grows, the tangent of the optimal loss f*(k) has slope −λ(k); "
            "beyond ‖ŵ‖² the budget stops binding and the curve is flat.",
        ),
        SceneEntry(
            "projected_gradient",
            "scenes.projected_gradient",
            "ProjectedGradient",
            "Gradient step, then project back",
            "Projected gradient descent converges to the constrained optimum marked by the "
            "solver; plain gradient descent from the same start heads to the unconstrained one.",
        ),
        SceneEntry(
            "why_ridge",
            "scenes.why_ridge",
            "WhyRidge",
            "The problem ridge solves",
            "Data drawn again and again: each least-squares fit ŵ lands far off along q₂, the "
            "eigenvector of H's small eigenvalue σ₂; as λ grows each fit moves to w(λ) and the "
            "cloud gathers, off the true w: a little bias buys much less spread.",
        ),
        SceneEntry(
            "augmented_lagrangian",
            "scenes.augmented_lagrangian",
            "AugmentedLagrangian",
            "How λ is found, not given",
            "The augmented Lagrangian method: minimise f + λg + (ρ/2)g² over w, raise the price "
            "λ by ρg(w), repeat; from λ = 0 the iterates close in on w* and λ climbs to λ*.",
        ),
        SceneEntry(
            "choose_lambda",
            "scenes.choose_lambda",
            "ChooseLambda",
            "How λ is chosen",
            "K-fold cross-validated error against log λ with ±1 standard-error bars: the λ with "
            "the lowest error and the largest λ within one standard error, the weights w(λ) "
            "beside it; then, on simulated data, the bias² and variance whose sum CV estimates.",
            reads=("data/diabetes.csv",),
        ),
        SceneEntry(
            "ridge_trace",
            "scenes.ridge_trace",
            "RidgeTrace",
            "More than two weights",
            "Every weight of a data set against the effective degrees of freedom "
            "df(λ) = Σ σⱼ/(σⱼ + λ), from ŵ at df = p to 0, beside one bar per eigenvalue of H "
            "shrinking by σⱼ/(σⱼ + λ); where a weight changes sign or grows first, it is marked.",
            reads=("data/diabetes.csv",),
        ),
    ]
}

EXTRAS: dict[str, SceneEntry] = {
    "card": SceneEntry(
        "card",
        "scenes.card",
        "Card",
        "A card of the explainer",
        "The explainer's title, chapter and closing cards.",
        script=Path(__file__).parent.parent / "narration" / "explainer.toml",
    )
}
"""Scenes that only the explainer renders (not listed, not rendered by --all)."""
