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
            "A point slides along the constraint circle until ∇f is anti-parallel to ∇g: "
            "there a level set of f touches the circle and ∇f = −λ∇g.",
        ),
        SceneEntry(
            "lambda_sweep",
            "scenes.lambda_sweep",
            "LambdaSweep",
            "λ slides the solution from x*_free to the origin",
            "As λ grows, w(λ) leaves the regularisation path from the unconstrained minimum to "
            "0; at every λ the circle through w(λ) touches a level set of f.",
        ),
        SceneEntry(
            "eigen_shrinkage",
            "scenes.eigen_shrinkage",
            "EigenShrinkage",
            "Rotate, rescale, rotate back",
            "θ̂_ridge = Q(Σ + λI)⁻¹ΣQᵀθ̂: turn H's eigenvectors onto the axes, shrink each "
            "component by σⱼ/(σⱼ + λ), turn back onto the direct solve.",
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
            "The L2 disk and the L1 diamond shrink side by side; the L1 optimum reaches a corner "
            "where a coordinate is exactly 0, the L2 optimum keeps both coordinates.",
        ),
        SceneEntry(
            "kkt_slackness",
            "scenes.kkt_slackness",
            "KktSlackness",
            "Inactive or active: complementary slackness",
            "The unconstrained minimum loops in and out of the circle: inside λ = 0, outside "
            "the solution sits on the circle with λ > 0, and λ·(||w||² − k) stays 0.",
        ),
        SceneEntry(
            "shadow_price",
            "scenes.shadow_price",
            "ShadowPrice",
            "λ is the price of the constraint",
            "As the budget k grows, the tangent of the optimal loss f*(k) has slope −λ(k); "
            "beyond ||c||² the constraint stops binding and the curve is flat.",
        ),
        SceneEntry(
            "projected_gradient",
            "scenes.projected_gradient",
            "ProjectedGradient",
            "Gradient step, then project back",
            "Projected gradient descent converges to the constrained optimum marked by the "
            "solver; plain gradient descent from the same start heads to the unconstrained one.",
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
