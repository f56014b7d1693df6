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

    @property
    def path(self) -> Path:
        """The module's file, for `manim <path> <class>` (found without importing it)."""
        return Path(importlib.util.find_spec(self.module).origin)

    @property
    def relative_path(self) -> str:
        """The module's file relative to the project root."""
        return str(self.path.relative_to(Path(__file__).parent.parent))

    def load(self) -> type:
        return getattr(importlib.import_module(self.module), self.cls)


CATALOGUE: dict[str, SceneEntry] = {
    e.name: e
    for e in [
        SceneEntry(
            "tangency", "scenes.tangency", "Tangency",
            "The optimum is where a level set touches the circle",
            "A point slides along the constraint circle until ∇f is anti-parallel to ∇g: "
            "there a level set of f touches the circle and ∇f = −λ∇g.",
        ),
        SceneEntry(
            "lambda_sweep", "scenes.lambda_sweep", "LambdaSweep",
            "λ slides the solution from x*_free to the origin",
            "As λ grows, w(λ) leaves the regularisation path from the unconstrained minimum to "
            "0; at every λ the circle through w(λ) touches a level set of f.",
        ),
        SceneEntry(
            "eigen_shrinkage", "scenes.eigen_shrinkage", "EigenShrinkage",
            "Rotate, rescale, rotate back",
            "θ̂_ridge = Q(Σ + λI)⁻¹ΣQᵀθ̂: turn H's eigenvectors onto the axes, shrink each "
            "component by σⱼ/(σⱼ + λ), turn back onto the direct solve.",
        ),
    ]
}  # fmt: skip

SHARED_MODULES = ("__init__.py", "base.py", "plane.py", "theme.py")
"""Modules every scene depends on (their source is part of every scene's cache key)."""
