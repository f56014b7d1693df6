"""One name per object, everywhere (DESIGN.md, "The names on screen"): every script's captions
and spoken words, every label the scenes draw, every alt text and catalogue entry use the
glossary — ŵ the least-squares fit, w* the ridge solution, p a point on the circle, w the
weights, H = XᵀX — and none of the sources' other names for the same things."""

from __future__ import annotations

import re

import pytest

from scenes import CATALOGUE, EXTRAS
from tests.scenetools import construct

SCENES = {**CATALOGUE, "card": EXTRAS["card"]}

WORDS = {  # in captions, speech, alt texts and descriptions: the other names of one thing
    r"x\*_?free|x\*free|x_free": "x*_free (say ŵ)",
    r"free minimum|unconstrained minimum": "another name for ŵ, the least-squares fit",
    r"\bcent(re|er)\b": "'the centre' (say ŵ, the least-squares fit)",
    r"θ|theta": "θ (the weights are w)",
    r"x₀|x₁|x zero|x one\b": "x₀/x₁ (say w* and p)",
    r"\bc\b(?![\w'])": "c as a point's name (say ŵ)",
    r"‖c‖|\|\|c\|\|": "‖c‖ (say ‖ŵ‖)",
}
TEX = {  # in the TeX the scenes draw
    r"x\^\*|x\^\{\*\}|mathrm\{free\}": "x*_free",
    r"\\theta": "θ",
    r"(?<![\\A-Za-z])x_[01]": "x₀/x₁",
    r"(?<![\\A-Za-z{])c(?![A-Za-z])": "c as a point's name",
}


def breaks(text: str, rules: dict[str, str]) -> list[str]:
    return [why for pattern, why in rules.items() if re.search(pattern, text)]


@pytest.mark.parametrize("name", list(SCENES))
def test_every_script_uses_the_glossary(name):
    scene_class = SCENES[name].load()
    solution = scene_class.solve(scene_class.Params())
    lines = scene_class.load_script().fill(scene_class.results(solution))
    found = []
    for line in lines.values():
        if "_" in line.caption:
            found.append(f"{line.id}: '_' in the caption (typeset the name)")
        for text in (line.caption, line.spoken):
            found += [f"{line.id}: {why}" for why in breaks(text, WORDS)]
    assert found == []


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_catalogue_entry_and_alt_text_uses_the_glossary(name):
    entry = CATALOGUE[name]
    scene_class = entry.load()
    alt = scene_class.alt_text(scene_class.solve(scene_class.Params()))
    found = breaks(entry.title, WORDS) + breaks(entry.description, WORDS) + breaks(alt, WORDS)
    assert found == []


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_label_on_screen_uses_the_glossary(name, tex_cache):
    scene = construct(CATALOGUE[name].load(), tex_dir=tex_cache)
    drawn = {t.text for lay in scene.layout.values() for t in lay.texts}
    found = sorted({f"{text!r}: {why}" for text in drawn for why in breaks(text, TEX)})
    assert found == []


def test_the_glossary_check_can_fail():
    assert breaks("w* = x*_free, λ = 0", WORDS) and breaks("head to c.", WORDS)
    assert breaks(r"\|x^*_{\mathrm{free}}\|^2", TEX) and breaks(r"\hat\theta", TEX)
    assert breaks(r"\nabla f(x_1)", TEX) and breaks(r"\text{head to } c", TEX)
    assert not breaks("ŵ, the least-squares fit, and w* with λ = 0.52; p on the circle", WORDS)
    assert not breaks(r"\hat w = (1.20,\ 2.00),\ \cdot\ \checkmark\ \text{circle}", TEX)
