"""Languages (`--lang`): every language's scripts have every key of the English ones, fill
within the caption limits and are speakable for every scene and problem; the words the
scenes draw fit in German too; a missing key or an unknown language is one line and exit 2
before anything renders; a German render sits beside the English one, its captions, manifest,
snippets and html figure in German."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

import render
import scenes
from narration import Script, ScriptError
from narration.script import LANGUAGES, PAGES, _word_keys, speaking
from scenes import CATALOGUE, EXTRAS, SceneEntry
from studio import voice
from studio.job import RenderJob
from studio.manifest import Manifest
from studio.outputs.html import slider_name
from studio.params import build
from tests.problems_grid import overrides, problems_of
from tests.scenetools import construct
from tests.test_layout import layout_problems
from tests.test_narration import broken_formulas
from tests.tiny_scene import Tiny

SCENES = {**CATALOGUE, "card": EXTRAS["card"]}
OTHER = [lang for lang in LANGUAGES if lang != "en"]
CASES = [(lang, name) for lang in OTHER for name in SCENES]


@pytest.mark.parametrize(("lang", "name"), CASES, ids=[f"{lang}-{n}" for lang, n in CASES])
def test_every_language_has_every_key_of_english_and_fills_within_the_limits(lang, name):
    """Every beat, spoken form and [words] entry of the English script (Script.load checks
    them), filled for every problem the scene takes, within the caption limits, each spoken
    form plain words of the language."""
    scene_class = SCENES[name].load()
    script = Script.load(scene_class.script, lang=lang)
    assert script.lang == lang and f"{lang}/" in script.where
    with speaking(lang):
        assert scene_class.load_script().path == script.path  # the scene reads it
    problems = ["default"] + (problems_of(scene_class) if name in CATALOGUE else [])
    for problem in problems:
        with speaking(lang):  # results in words (eigen_shrinkage's amounts) are the language's
            _, solution = build(scene_class, overrides(problem, scene_class))
            lines = script.fill(scene_class.results(solution))
        assert tuple(lines) == scene_class.beats
        voice.check("espeak", lines, script.where, lang)
        assert broken_formulas(lines) == []


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_the_german_words_stay_in_the_frame_and_apart(name, tex_cache):
    """German words are long: every scene's labels still fit, at every beat (the layout
    check of tests/test_layout.py, in German, for the default problem)."""
    scene_class = CATALOGUE[name].load()
    with speaking("de"):
        params, solution = build(scene_class, {})
        scene = construct(scene_class, params, tex_dir=tex_cache, solution=solution)
    assert layout_problems(scene) == []


def test_the_cards_words_are_german(tex_cache):
    """The explainer's cards take their headings from narration/de/explainer.toml."""
    card = EXTRAS["card"].load()
    english = Script.load("explainer").word("tangency", "heading")
    german = Script.load("explainer", lang="de").word("tangency", "heading")
    assert german != english
    with speaking("de"):
        _, solution = build(card, {"card": "tangency", "chapter": 3})
        assert german in card.alt_text(solution)


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_alt_texts_and_readout_names_are_the_languages(name):
    """Every scene's alt text and the html figure's readout names come from its script's
    [words.alt] and [words.readout]: they differ from the English ones in German and
    Spanish, and say nothing English in them."""
    scene_class = CATALOGUE[name].load()
    _, solution = build(scene_class, {})
    english = scene_class.alt_text(solution)
    for lang in OTHER:
        with speaking(lang):
            said = scene_class.alt_text(solution)
            names = [r.name for r in scene_class.scrubbed(solution)]
        script = Script.load(scene_class.script, lang=lang)
        assert said != english and "least-squares" not in said and " the " not in said, said
        assert names == [script.word("readout", r.key) for r in scene_class.scrub]


@pytest.mark.parametrize("lang", OTHER)
def test_the_words_around_a_render_are_the_languages(lang):
    """narration/<lang>/pages.toml (the snippets' and gallery cards' words) has every entry
    of the English one (Script.load checks it), each different from the English words."""
    english, mine = Script.load(PAGES), Script.load(PAGES, lang=lang)
    assert mine.segments == () and mine.lang == lang
    keys = [k for k in _word_keys(english.words) if k not in SAME_WORDS]
    assert keys and [k for k in keys if mine.word(*k) == english.word(*k)] == []


SAME_WORDS = {("embed", "markdown"), ("card", "seconds"), ("figure", "controls", "pause")}


@pytest.mark.parametrize("name", list(SCENES))
def test_a_scenes_title_and_description_are_the_languages(name):
    """A scene's title and description (its manifest's, so its snippets' heading, gallery
    card and html figure's) are its script's [words.scene] in the render's --lang: the
    English ones are the catalogue's, the German and Spanish ones are translated."""
    english = SCENES[name].words()
    assert english == (SCENES[name].title, SCENES[name].description)
    for lang in OTHER:
        words = RenderJob(name, lang=lang).words
        script = Script.load(SCENES[name].script_path.stem, lang=lang)
        assert words == (script.word("scene", "title"), script.word("scene", "description"))
        assert words[0] != english[0] and words[1] != english[1], (lang, words)
    german = RenderJob("tangency", lang="de").words[0]
    assert german == "Das Optimum liegt dort, wo eine Höhenlinie den Kreis berührt"


TURNS = {  # ridge_trace's alt text on the turns of one column (s2, s3) and of several
    "en": ("a change of sign on the way for s2; an initial growth in size for s3", "s2 and s3;"),
    "de": ("Vorzeichenwechsel unterwegs bei s2; anfängliches Wachstum bei s3", "s2 und s3;"),
    "es": ("cambio de signo por el camino en s2; crecimiento inicial en s3", "s2 y s3;"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_alt_text_of_one_name_reads_as_well_as_of_several(lang):
    """An alt text listing column names agrees with one name as with several (no plural
    verb after a single name)."""
    scene_class = CATALOGUE["ridge_trace"].load()
    one, several = TURNS[lang]
    with speaking(lang):
        _, solution = build(scene_class, {"x": ["s2", "s3", "s4"]})  # (bp's growth on
        # bmi, bp, s1, s2 is too small to see: not marked, not said)
        assert one in scene_class.alt_text(solution)
        _, solution = build(scene_class, {})
        assert one.split(" s2;")[0] + " age, sex, s1, " + several in scene_class.alt_text(solution)


def test_one_letter_words_are_upright_on_the_cards():
    """A lone letter on a card is a variable (maths italic) unless the language has it as a
    word: English "a", Spanish "y" and "o" stay upright; w and k are set as maths."""
    from scenes.card import text_tex

    spanish = Script.load("explainer", lang="es").word("letters", "words")
    found = text_tex("Penalización y presupuesto k", spanish)
    assert r"\text{Penalización y presupuesto }k" in found, found
    english = Script.load("explainer").word("letters", "words")
    assert text_tex("a w", english) == r"\text{a }w\text{}"
    assert text_tex("w y", english) == r"\text{}w\text{ }y\text{}"  # y: a variable in English


# --- the command line -------------------------------------------------------------------------


def shell(monkeypatch, capsys, *args: str) -> tuple[int, list[str]]:
    """render.py as the shell runs it (render.cli): its exit status and its stderr lines."""
    monkeypatch.setattr(sys, "argv", ["render.py", *args])
    status = render.cli()
    return status, capsys.readouterr().err.strip().splitlines()


def test_an_unknown_language_is_one_line_and_exit_2(monkeypatch, capsys, tmp_path):
    status, err = shell(monkeypatch, capsys, "tangency", "--lang", "xx", "--out", str(tmp_path))
    assert status == 2 and len(err) == 1 and "--lang" in err[0] and "'xx'" in err[0], err
    assert list(tmp_path.iterdir()) == []


def test_piper_in_german_is_one_line_and_exit_2(monkeypatch, capsys, tmp_path):
    args = ("tangency", "--lang", "de", "--voice", "piper", "--out", str(tmp_path))
    status, err = shell(monkeypatch, capsys, *args)
    assert status == 2 and len(err) == 1, err
    assert "--voice piper has no voice for --lang de" in err[0], err


TINY_WORDS = '\n[words]\nlabel = "a circle"\n'


@pytest.mark.parametrize(
    ("german", "said"),
    [
        (None, ["de/tiny.toml", "no script for scene 'tiny'"]),
        ('[[beat]]\nid = "draw"\ncaption = "Ein Kreis."\n', ["beat 'draw'", "no 'say'"]),
        (
            '[[beat]]\nid = "draw"\ncaption = "Ein Kreis."\nsay = "Ein Kreis."\n'
            '[words.scene]\ntitle = "Winzig"\ndescription = "Ein Test."\n',
            ["de/tiny.toml", "no [words] entry 'label'"],
        ),
    ],
    ids=["no-file", "no-say", "no-word"],
)
def test_a_missing_key_is_one_line_naming_file_beat_and_key(
    monkeypatch, capsys, tmp_path, german, said
):
    """A translation without a file, a beat's spoken form or a [words] entry: one line,
    exit 2, nothing rendered."""
    folder = tmp_path / "scripts"
    (folder / "de").mkdir(parents=True)
    english = (Path(__file__).parent / "tiny.toml").read_text() + TINY_WORDS
    (folder / "tiny.toml").write_text(english, encoding="utf-8")
    if german is not None:
        (folder / "de" / "tiny.toml").write_text(german, encoding="utf-8")
    entry = SceneEntry("tiny", "tests.tiny_scene", "Tiny", script=folder / "tiny.toml")
    monkeypatch.setattr(scenes, "CATALOGUE", {**scenes.CATALOGUE, "tiny": entry})
    monkeypatch.setattr(render, "CATALOGUE", scenes.CATALOGUE)
    import studio.job

    monkeypatch.setattr(studio.job, "CATALOGUE", scenes.CATALOGUE)
    monkeypatch.setattr(Tiny, "script_folder", folder)
    out = tmp_path / "media"
    args = ("tiny", "-q", "draft", "-f", "png", "--lang", "de", "--out", str(out))
    status, err = shell(monkeypatch, capsys, *args)
    assert status == 2 and len(err) == 1, err
    assert err[0].startswith("Error: tiny.de: "), err
    for words in said:
        assert words in err[0], err
    assert not list(out.glob("tiny*"))
    with pytest.raises(ScriptError):  # the loader says the same
        Script.load("tiny", folder, lang="de")


# --- a real render --------------------------------------------------------------------------


def test_a_german_render_sits_beside_the_english_one(monkeypatch, capsys, tmp_path):
    """tangency in German, draft quality: its files are tangency.de.*, its manifest says
    `de`, its captions are the German script's, its html figure and snippets say lang de, and
    the gallery offers the language; an English render in the same folder keeps its files."""
    out = tmp_path / "media"
    common = ("tangency", "-q", "draft", "--voice", "none", "--out", str(out), "--quiet")
    status, err = shell(
        monkeypatch, capsys, *common, "-f", "gif", "-f", "html", "-f", "webm", "--lang", "de"
    )
    assert status == 0, err
    names = {p.name for p in out.iterdir()}
    for ext in ("gif", "html", "webm", "png", "vtt", "srt", "json", "embed.md"):
        assert f"tangency.de.{ext}" in names, names
    m = json.loads((out / "tangency.de.json").read_text())
    assert m["lang"] == "de" and m["files"]["gif"] == "tangency.de.gif"
    vtt = (out / "tangency.de.vtt").read_text(encoding="utf-8")
    german = Script.load("tangency", lang="de").segments[0].caption.split()[:3]
    assert " ".join(german) in vtt and "Höhenlinien" in vtt
    assert "level sets" not in vtt
    page = (out / "tangency.de.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in page and "Abspielen" in page
    assert "Höhenlinien" in m["alt_text"] and "level sets" not in m["alt_text"], m["alt_text"]
    german_script = Script.load("tangency", lang="de")
    names = [r["name"] for r in m["scrub"]["readouts"]]
    assert names == [german_script.word("readout", r["key"]) for r in m["scrub"]["readouts"]]
    assert "Anteil von ∇f entlang des Kreises" in names, names
    snippets = (out / "tangency.de.embed.md").read_text(encoding="utf-8")
    german_title = Script.load("tangency", lang="de").word("scene", "title")
    assert m["title"] == german_title and snippets.startswith(
        f"# tangency (Deutsch): {german_title}"
    )
    assert 'srclang="de" label="Deutsch"' in snippets
    assert '<details lang="de">' in snippets
    for said in ("Untertitel: `tangency.de.vtt` und", "HTML-Bild (", "Interaktive Abbildung ("):
        assert said in snippets, snippets  # the snippets' own words: narration/de/pages.toml
    for english in ("Captions", "HTML image", "Interactive figure", "the still", "the reader"):
        assert english not in snippets, english
    manifest = Manifest.from_json(json.dumps({**m, "scrub": None}))
    assert slider_name(manifest) == "den Schieberegler"  # a figure without readouts
    status, err = shell(monkeypatch, capsys, *common, "-f", "gif")  # English beside it
    assert status == 0, err
    assert (out / "tangency.gif").exists() and (out / "tangency.de.gif").exists()
    assert json.loads((out / "tangency.json").read_text())["lang"] == "en"
    gallery = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-lang="de"' in gallery and 'data-lang="en"' in gallery
    assert "Deutsch" in gallery and "--lang de" in gallery
    german_card = gallery.split('<article id="tangency.de"')[1].split("</article>")[0]
    assert german_card.startswith(' data-scene="tangency" lang="de"'), german_card[:80]
    for said in ("Alternativtext:", "dunkles Farbschema", "Parameter</summary>", "Einbettung"):
        assert said in german_card, said
    for english in ("Alt text", "dark theme", "Parameters", "Embed snippets"):
        assert english not in german_card, english
    shutil.rmtree(out)
