"""One name per object, everywhere (DESIGN.md, "The names on screen"): every script's captions
and spoken words, every label the scenes draw, every alt text and catalogue entry use the
glossary — ŵ the least-squares fit, w* the ridge solution, p a point on the circle, w the
weights, H = XᵀX — and none of the sources' other names for the same things."""

from __future__ import annotations

import ast
import re
from pathlib import Path

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


# --- every word drawn comes from a script ----------------------------------------------------
# A language is a folder of scripts: the words a scene draws are its script's [words], never a
# string in scenes/*.py. Formulas stay in code; English inside them does not.

SCENE_FILES = sorted(Path(__file__).resolve().parent.parent.glob("scenes/*.py"))
DRAWS = {"Text", "Tex", "MathTex", "MarkupText", "Paragraph", "SingleStringMathTex", "tex"}
"""Calls whose string arguments are drawn."""
TEXT_COMMAND = re.compile(r"\\(?:text|textrm|textbf|textit|textsf|mathrm|operatorname)\s*\{")
WORD = re.compile(r"[A-Za-z]{3,}")


def english(source: str) -> list[str]:
    """The English words in a piece of TeX: runs of three letters or more that are not TeX
    commands (`\\lambda`, `\\text`) nor template fields (`{name}`)."""
    field = r"\{[A-Za-z_][\w.\[\]]*(?:![rsa])?(?::[<>=^+\-#0-9,_.]*[A-Za-z%]?)?\}"
    bare = re.sub(r"\\[A-Za-z]+|" + field, " ", source)
    return WORD.findall(bare)


def in_text(source: str) -> list[str]:
    """The English inside the TeX text commands of `source` (`\\text{the budget}` →
    ["the", "budget"]); their braces may be split across an f-string's fields."""
    found = []
    for match in TEXT_COMMAND.finditer(source):
        depth, i = 1, match.end()
        while i < len(source) and depth:
            depth += (source[i] == "{") - (source[i] == "}")
            i += 1
        found += english(source[match.end() : i - 1])
    return found


def literal(node: ast.AST) -> str | None:
    """A string constant's text, or an f-string's with each field as `{}`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes (and of the strings that document an assignment)."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for statement in body:
                if isinstance(statement, ast.Expr) and literal(statement.value) is not None:
                    found.add(id(statement.value))
    return found


def callee(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def drawn_english(source: str, where: str = "<scene>") -> list[str]:
    """Every string of a scene module that draws English: a string passed to a call that
    draws it (Text, MathTex, tex …) with a word outside its TeX commands, or anywhere a
    TeX text command (`\\text{…}`) with a word inside it; as 'file:line: string'."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    found = []
    drawn_args = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and callee(node) == "word":  # a [words] key
            skip.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.JoinedStr):  # its parts are read with it
            skip.update(id(part) for part in node.values)
        if isinstance(node, ast.Call) and callee(node) in DRAWS:
            for arg in node.args[:1] if callee(node) == "tex" else node.args:
                for inner in ast.walk(arg):
                    drawn_args.add(id(inner))
    for node in ast.walk(tree):
        text = literal(node)
        if text is None or id(node) in skip:
            continue
        words = in_text(text) + (english(text) if id(node) in drawn_args else [])
        if words:
            found.append((node.lineno, f"{text!r} ({', '.join(sorted(set(words)))})"))
    return [f"{where}:{line}: {what}" for line, what in sorted(found)]


@pytest.mark.parametrize("path", SCENE_FILES, ids=[p.stem for p in SCENE_FILES])
def test_every_word_a_scene_draws_comes_from_its_script(path):
    """English in a drawn string belongs in the scene's script, under [words] (take it with
    `self.word(...)`; set words with formulas in them with `scenes.plane.words_tex`)."""
    found = drawn_english(path.read_text(encoding="utf-8"), path.name)
    assert not found, "English drawn from code, not from the script:\n" + "\n".join(found)


def test_the_word_check_can_fail():
    scene = '''
def construct(self):
    """A docstring may say anything."""
    a = tex(r"f\\ \\text{decreases}", t.descent)
    b = Text("budget")
    c = tex(rf"\\text{{after {n} rounds}}", t.text)
    d = r"\\min_w f(w)\\ \\text{ subject to }\\ g(w) = 0"
    ok = tex(r"\\lambda = {lam:.2f},\\ \\nabla f,\\ \\hat w,\\ w^*", t.text)
    e = tex(r"{budget: inside the circle}", t.text)
    ok2 = tex(rf"\\text{{{self.word('decreases')}}}", t.text)
    ok3 = tex(r"\\mathrm{df} =", t.text)
    ok4 = tex(r"\\text{" + tex_escape(name) + "}", t.text)
    raise ValueError("error messages are not drawn")
'''
    found = drawn_english(scene)
    assert [line.split(":")[1] for line in found] == ["4", "5", "6", "7", "9"], found
    assert "decreases" in found[0] and "subject" in found[3] and "inside" in found[4]


def test_words_with_maths_among_them():
    """scenes.plane.words_tex: a script's words in \\text{} (escaped), its maths fields set as
    maths between them, its other fields formatted into the words."""
    from scenes.plane import InWords, Maths, words_tex

    found = words_tex("{w} shrinks along {q} by 5%", w=Maths("w"), q=Maths("q_j"))
    assert found == r"w\text{ shrinks along }q_j\text{ by 5\%}"
    found = words_tex("after {n} rounds: {pct} short", n=3, pct=InWords(r"1.2\,\%"))
    assert found == r"\text{after 3 rounds: 1.2\,\% short}"
    assert words_tex("ridge: {p}", p=Maths(r"\min_w")) == r"\text{ridge: }\min_w"
    with pytest.raises(KeyError, match="no field 'x'"):
        words_tex("{x} decreases")
