"""Scripts: the format, its errors (one line naming the file and the beat), template fields,
caption wrapping and limits, consistent rounding; and every scene's real script, filled for
the default problem and the grid of other problems, within the limits and speakable."""

from __future__ import annotations

import pytest

from narration import MAX_LINE, Line, Pacing, Script, ScriptError, fixed
from narration.script import OPERATORS, wrap
from scenes import CATALOGUE, EXTRAS
from studio import voice
from studio.params import build
from tests.problems_grid import overrides, problems_of
from tests.scenetools import construct
from tests.tiny_scene import Tiny

GOOD = """
[[beat]]
id = "draw"
caption = "A circle of radius {radius:.2f}."

[[beat]]
id = "touch"
caption = "It touches at {w[0]:.2f}, {w[1]:.2f}."
say = "It touches there."

[[beat.mark]]
id = "why"
caption = "Because λ = {lam:.2f}."
say = "Because lambda is {lam:.2f}."
"""
FIELDS = {"radius": 1.5, "w": [0.955, 0.7654], "lam": 2.3249999999}


def script(tmp_path, text: str) -> Script:
    (tmp_path / "demo.toml").write_text(text, encoding="utf-8")
    return Script.load("demo", tmp_path)


def test_a_script_reads_beats_marks_and_fills_its_fields(tmp_path):
    s = script(tmp_path, GOOD)
    assert [seg.id for seg in s.segments] == ["draw", "touch", "touch.why"]
    lines = s.fill(FIELDS)
    assert lines["draw"].caption == "A circle of radius 1.50." == lines["draw"].spoken
    assert lines["touch"].caption == "It touches at 0.96, 0.77."  # 0.955 rounds half up
    assert lines["touch.why"].caption == "Because λ = 2.32."
    assert lines["touch.why"].spoken == "Because lambda is 2.32."


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (GOOD.replace('id = "touch"', 'id = "draw"'), ["used twice", "draw"]),
        ('[[beat]]\nid = "a"\n', ["beat a", "needs a caption"]),
        ('[[beat]]\nid = "a"\ncaption = "x"\ncolour = "red"\n', ["beat a", "'colour'"]),
        ('[[beat]]\nid = "a b"\ncaption = "x"\n', ["id must be a name"]),
        ('[[beat]]\nid = "a"\ncaption = "x"\npause = 9\n', ["beat a", "pause must be 0–3"]),
        ("[[beat]\nid=", ["demo.toml"]),
        ('title = "x"\n', ["expected [[beat]] tables"]),
    ],
)
def test_bad_scripts_get_one_line_naming_the_file_and_the_beat(tmp_path, text, words):
    with pytest.raises(ScriptError) as info:
        script(tmp_path, text)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_a_scene_plays_its_scripts_beats_and_only_those_in_its_order(tmp_path, tex_cache):
    """The script declares the beats (once); the scene writes each id out where it plays it.
    Read from the scene's code, a beat the script lacks, or a script beat the scene never
    plays, is one line naming the script before anything renders; playing them out of the
    script's order stops the render with one line."""
    script(tmp_path, GOOD)

    class Demo(Tiny):
        script = "demo"
        script_folder = tmp_path

        @classmethod
        def solve(cls, params):
            return {**super().solve(params), **FIELDS}

        def construct(self):
            with self.beat("touch") as b:
                b.mark("why")
            with self.beat("draw"):
                pass

    class Extra(Demo):
        def construct(self):
            super().construct()  # Demo's beats still play, then one more
            with self.beat("end"):
                pass

    class Replaced(Demo):
        def construct(self):  # Demo's beats no longer play
            with self.beat("draw"):
                pass

    class Dynamic(Demo):
        def construct(self):
            for beat in self.beats:
                with self.beat(beat):
                    pass

    assert Demo.beats == ("draw", "touch", "touch.why")
    with pytest.raises(ScriptError, match=r"demo\.toml, beat 'end': Extra plays it; add it"):
        Extra.load_script()
    with pytest.raises(ScriptError, match=r"beat 'touch': Replaced has no such beat"):
        Replaced.load_script()
    with pytest.raises(ScriptError, match="write the beat's id out where it plays"):
        Dynamic.load_script()
    assert Demo.load_script().name == "demo"
    with pytest.raises(ScriptError, match=r"plays 'draw' after 'touch\.why'; the script has them"):
        construct(Demo, tex_dir=tex_cache)


@pytest.mark.parametrize(
    ("caption", "words"),
    [
        ("λ = {lamda:.2f}", ["beat 'a'", "unknown field 'lamda'", "fields: lam"]),
        ("{w[5]:.2f}", ["beat 'a'", "bad field"]),
        ("x " * 60, ["beat 'a'", "more than 2 lines of 42 characters"]),
    ],
)
def test_bad_fields_and_long_captions_name_the_beat(tmp_path, caption, words):
    s = script(tmp_path, f'[[beat]]\nid = "a"\ncaption = "{caption}"\n')
    with pytest.raises(ScriptError) as info:
        s.fill(FIELDS)
    for word in words:
        assert word in str(info.value), str(info.value)


def test_a_missing_script_is_named(tmp_path):
    with pytest.raises(ScriptError, match="no script for scene 'nothing'"):
        Script.load("nothing", tmp_path)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (0.6 / 1.6, 2, "0.38"),
        (0.375, 2, "0.38"),
        (2.325, 2, "2.33"),
        (-0.001, 2, "0.00"),
        (-1.005, 2, "-1.01"),
        (1e-17, 3, "0.000"),
        (2.3249999999, 2, "2.32"),
        (12.0, 0, "12"),
    ],
)
def test_numbers_round_half_up_on_their_decimal_form(value, decimals, text):
    assert fixed(value, decimals) == text


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Short.", ("Short.",)),
        (
            "Which directions shrink: each by σⱼ/(σⱼ + λ).",
            ("Which directions shrink:", "each by σⱼ/(σⱼ + λ)."),
        ),
        (
            "x₀ = w* is a stationary point of h(w, λ) = f(w) + λ(g(w) − k).",
            ("x₀ = w* is a stationary point", "of h(w, λ) = f(w) + λ(g(w) − k)."),
        ),
        (  # the most even break would split ∇f = −λ∇g
            "So w* stays put where ∇f = −λ∇g, with λ = 2.32.",
            ("So w* stays put where", "∇f = −λ∇g, with λ = 2.32."),
        ),
        (  # … or split "k = 1.50"
            "At λ = 2.32 the budget is k = 1.50: the w* of the tangency picture.",
            ("At λ = 2.32 the budget is k = 1.50:", "the w* of the tangency picture."),
        ),
    ],
)
def test_captions_break_evenly_and_never_inside_brackets_or_formulas(text, lines):
    assert wrap(text) == lines
    assert all(len(line) <= MAX_LINE for line in wrap(text))


def test_a_segment_lasts_its_reading_time_or_its_speech_and_a_pause():
    line = Line("a", "x" * 34, "x")  # 2 s at 17 characters a second
    assert Pacing({"a": line}, {}).need("a") == pytest.approx(2.0)
    assert Pacing({"a": line}, {"a": 3.0}).need("a") == pytest.approx(3.6)  # 0.6 s pause
    key = Line("k", "x" * 34, "x", pause=1.5)  # a key result: a longer pause after it
    assert Pacing({"k": key}, {"k": 3.0}).need("k") == pytest.approx(4.5)
    short = Line("b", "Hi.", "Hi.")
    assert Pacing({"b": short}, {}).need("b") == pytest.approx(0.83)  # a cue's minimum
    formula = "∇f = −λ∇g, λ = 2.32 (k = 1.5)"  # more than half of it symbols and digits
    assert Line("s", formula, "").reading_time == pytest.approx(len(formula) / 15)  # slower


# --- every real script -----------------------------------------------------------------------

SCENES = {**CATALOGUE, "card": EXTRAS["card"]}
CASES = [(name, "default") for name in SCENES] + [
    (name, problem) for name in CATALOGUE for problem in problems_of(CATALOGUE[name].load())
]


@pytest.mark.parametrize(("name", "problem"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_every_script_matches_its_scene_and_fills_within_the_limits(name, problem):
    scene_class = SCENES[name].load()
    assert SCENES[name].script_path.stem == scene_class.script
    _, solution = build(scene_class, overrides(problem, scene_class))
    script = scene_class.load_script()
    lines = script.fill(scene_class.results(solution))
    assert tuple(lines) == scene_class.beats
    voice.check("espeak", lines, script.where)  # every spoken form is plain words
    assert broken_formulas(lines) == []


def broken_formulas(lines) -> list[str]:
    """The captions whose two lines break beside an operator: a formula split in two."""
    return [
        f"{line.id}: {' / '.join(shown)}"
        for line in lines.values()
        if len(shown := wrap(line.caption)) == 2
        and (shown[0][-1] in OPERATORS or shown[1][0] in OPERATORS)
    ]


WORDS = '\n[words]\nheading = "A circle"\n'


@pytest.mark.parametrize(
    ("translated", "words"),
    [
        (GOOD.replace('id = "why"', 'id = "weil"') + WORDS, ["beat 'touch.why': missing"]),
        (GOOD.replace('say = "It touches there."\n', "") + WORDS, ["beat 'touch': no 'say'"]),
        (GOOD + '[[beat]]\nid = "extra"\ncaption = "x"\n' + WORDS, ["'extra'", "English"]),
        (GOOD + '\n[words]\ntitel = "Ein Kreis"\n', ["no [words] entry 'heading'"]),
    ],
)
def test_a_translation_has_every_key_of_the_english_script(tmp_path, translated, words):
    (tmp_path / "demo.toml").write_text(GOOD + WORDS, encoding="utf-8")
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "demo.toml").write_text(translated, encoding="utf-8")
    with pytest.raises(ScriptError) as info:
        Script.load("demo", tmp_path, lang="de")
    assert "de/demo.toml" in str(info.value) and "\n" not in str(info.value)
    for word in words:
        assert word in str(info.value), str(info.value)
    (tmp_path / "de" / "demo.toml").write_text(GOOD + WORDS.replace("A circle", "Ein Kreis"))
    assert Script.load("demo", tmp_path, lang="de").word("heading") == "Ein Kreis"
    with pytest.raises(ScriptError, match="--lang fr: not one of en, de, es"):
        Script.load("demo", tmp_path, lang="fr")
