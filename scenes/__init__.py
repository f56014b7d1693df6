"""The scenes, catalogued without importing Manim (so listing and cache checks stay fast).

Each entry names the module and class that draw it; `load()` imports them. Its title and
description are its script's words (`[words.scene]` of narration/<lang>/<scene>.toml), in
every language the scripts are written in.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from narration.script import Script


@dataclass(frozen=True)
class SceneEntry:
    name: str
    module: str
    cls: str
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

    def words(self, lang: str = "en") -> tuple[str, str]:
        """Its title and description in `lang`: its script's [words.scene] (read as TOML,
        without importing the scene)."""
        path = self.script_path
        script = Script.load(path.stem, path.parent, lang)
        return script.word("scene", "title"), script.word("scene", "description")

    @property
    def title(self) -> str:
        """Its English title (`words(lang)` for another language's)."""
        return self.words()[0]

    @property
    def description(self) -> str:
        """Its English description (`words(lang)` for another language's)."""
        return self.words()[1]

    def load(self) -> type:
        return getattr(importlib.import_module(self.module), self.cls)


CATALOGUE: dict[str, SceneEntry] = {
    e.name: e
    for e in [
        SceneEntry("tangency", "scenes.tangency", "Tangency"),
        SceneEntry("lambda_sweep", "scenes.lambda_sweep", "LambdaSweep"),
        SceneEntry("eigen_shrinkage", "scenes.eigen_shrinkage", "EigenShrinkage"),
        SceneEntry("ridge_landscape", "scenes.ridge_landscape", "RidgeLandscape"),
        SceneEntry(
            "ridge_landscape_thumbnail",
            "scenes.ridge_landscape",
            "RidgeLandscapeThumbnail",
            quality="thumb",
        ),
        SceneEntry("l1_vs_l2", "scenes.l1_vs_l2", "L1VsL2"),
        SceneEntry("kkt_slackness", "scenes.kkt_slackness", "KktSlackness"),
        SceneEntry("shadow_price", "scenes.shadow_price", "ShadowPrice"),
        SceneEntry("projected_gradient", "scenes.projected_gradient", "ProjectedGradient"),
        SceneEntry("why_ridge", "scenes.why_ridge", "WhyRidge"),
        SceneEntry("augmented_lagrangian", "scenes.augmented_lagrangian", "AugmentedLagrangian"),
        SceneEntry(
            "choose_lambda",
            "scenes.choose_lambda",
            "ChooseLambda",
            reads=("data/diabetes.csv",),
        ),
        SceneEntry(
            "ridge_trace",
            "scenes.ridge_trace",
            "RidgeTrace",
            reads=("data/diabetes.csv",),
        ),
    ]
}

EXTRAS: dict[str, SceneEntry] = {
    "card": SceneEntry(
        "card",
        "scenes.card",
        "Card",
        script=Path(__file__).parent.parent / "narration" / "explainer.toml",
    )
}
"""Scenes that only the explainer renders (not listed, not rendered by --all)."""
