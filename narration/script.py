"""A scene's script: its beats in words, read from `narration/<scene>.toml` (and the words
around every render, `narration/pages.toml`: a script of [words] alone).

    [[beat]]
    id = "touch"
    caption = "∇f and ∇g point in opposite directions: λ = {lam:.2f}."
    say = "The gradient of f is minus lambda times the gradient of g."   # optional

    pause = 1.2              # optional: seconds of silence after it is said (a key result)
    notes = "Ask the room which way ∇f points first."   # optional: the slides' speaker notes
    article = "Fuller prose for the scrolling article's paragraph (default: the spoken text)."

    [[beat.mark]]            # optional sub-steps the scene times inside the beat
    id = "lagrangian"
    caption = "h(w, λ) = f(w) + λ(g(w) − k)"

Each beat (and each mark inside it) is a segment: one caption (a cue, or two when its speech
outlasts one), spoken as `say` (default: the caption). Numbers are template fields filled
from the scene's results, never typed: `{lam:.2f}`, `{w_star[0]:.2f}`. A segment lasts at
least as long as a viewer needs to read its caption (17 characters a second, 15 for a line
full of symbols), and as its speech plus a pause (`pause`, default SPEECH_PAUSE).
"""

from __future__ import annotations

import functools
import math
import string
import textwrap
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
LANGUAGES = ("en", "de", "es")
"""The languages the scripts are written in: English in narration/, the others in
narration/<lang>/ (`--lang`)."""
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "es": "Español"}
"""Each language as its speakers name it (a caption track's label, the gallery's filter)."""
PAGES = "pages"
"""The script of the words around a render rather than in it (narration/pages.toml, [words]
only): its snippets, its gallery card, its interactive figure's title."""

_speaking = ["en"]  # the language Script.load reads when none is given: see `speaking`


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Inside, a script loaded without a language (a scene's `load_script`, its words) is
    read in `lang`: how a render job carries its --lang into the scene it draws (and into
    processes forked to draw it)."""
    if lang not in LANGUAGES:
        raise ScriptError(f"--lang {lang}: not one of {', '.join(LANGUAGES)}")
    _speaking.append(lang)
    try:
        yield
    finally:
        _speaking.pop()


@functools.cache
def _pages(lang: str) -> Script:
    return Script.load(PAGES, lang=lang)


def page_words(lang: str, *keys: str, **fields: Any) -> Any:
    """The words around a render in `lang`, from narration/<lang>/pages.toml: a text with
    its `fields` filled (`page_words("de", "video", "silent", sizes=…)` for [words.video]
    silent), or a table of texts (`page_words("de", "slides", "page")`)."""
    found = _pages(lang).word(*keys)
    return found.format(**fields) if isinstance(found, str) else found


def language() -> str:
    """The language scripts are read in here (`speaking`; English by default)."""
    return _speaking[-1]


READING_CPS = 17.0  # characters a second a viewer reads
SYMBOL_CPS = 15.0  # … in a caption full of symbols (formulas and numbers read slower)
SYMBOL_SHARE = 0.15  # a caption is full of symbols when this share of it is not words
MAX_LINE = 42  # characters a caption line
MAX_LINES = 2  # lines a cue
MIN_CUE = 0.83  # seconds a cue stays on screen, at least
MAX_CUE = 7.0  # … and at most
SPEECH_PAUSE = 0.6  # seconds after a segment's speech before the next segment starts
MAX_PAUSE = 3.0  # the longest pause a script may ask for


class ScriptError(ValueError):
    """A script that cannot be used; the message names the file and the beat."""


def fixed(value: float, decimals: int) -> str:
    """`value` with `decimals` decimals, rounded half up on its shortest decimal form, so
    0.6/1.6 (0.37499999999999994 in binary) shows as 0.38 like the exact 0.375: every label,
    caption and alt text rounds the same way. No '-0.00'."""
    exact = Decimal(f"{value:.12g}").quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{exact:f}"
    return text[1:] if text.startswith("-") and not any(c in text for c in "123456789") else text


SHORT_NAME = 14
"""Characters of a name (a data column's) the screen shows (alt texts have it whole)."""


def short_name(name: str, limit: int = SHORT_NAME) -> str:
    """`name` whole up to `limit` characters, else cut with an ellipsis."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def plain(value: float, significant: int = 6) -> str:
    """`value` to `significant` digits, never in exponent form: 1080, 0.00012, 2.5 (a budget
    a reader can read, where `{k:g}` would print 1.08e+03)."""
    text = format(Decimal(f"{value:.{significant}g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Number(float):
    """A float whose fixed-point formats (`{x:.2f}`) round like `fixed` and whose general
    format (`{x:g}`) is `plain`: never an exponent."""

    def __format__(self, spec: str) -> str:
        if spec.endswith("f") and spec[:-1].startswith(".") and spec[1:-1].isdigit():
            return fixed(float(self), int(spec[1:-1]))
        if spec == "g":
            return plain(float(self))
        return format(float(self), spec)


class SpokenNumber(Number):
    """A Number as a voice reads it in a language that writes a decimal comma (German,
    Spanish): `{lam:.2f}` is "2,32", which espeak-ng reads "zwei Komma drei zwei" (given
    "2.32", its German voice says "zwei Punkt zweiunddreißig")."""

    def __format__(self, spec: str) -> str:
        return super().__format__(spec).replace(".", ",")


DECIMAL_COMMA = ("de", "es")
"""The languages whose voices read a decimal comma (their captions keep the point, as the
numbers drawn on screen do)."""


def _numbers(value: Any, kind: type[Number] = Number) -> Any:
    """Results with every float as a Number (lists and dicts followed)."""
    if isinstance(value, float):
        return kind(value)
    if isinstance(value, list | tuple):
        return [_numbers(v, kind) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v, kind) for k, v in value.items()}
    return value


WORDLIKE = set(" ,.;:!?'\"-–„“”«»¿¡")


def wordlike(char: str) -> bool:
    """A character of words in any of the LANGUAGES: a Latin letter (ä, ß, é, ñ too) or
    punctuation; not a digit, nor a Greek letter (λ, σ) or another symbol of a formula."""
    if char in WORDLIKE:
        return True
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


def reading_speed(text: str) -> float:
    """Characters a second a viewer reads `text` at: READING_CPS for words, SYMBOL_CPS when
    at least SYMBOL_SHARE of it is symbols and digits (formulas, numbers). The same in
    every language (a German or Spanish letter is a letter)."""
    symbols = sum(1 for char in text if not wordlike(char))
    return SYMBOL_CPS if symbols >= SYMBOL_SHARE * max(len(text), 1) else READING_CPS


OPERATORS = frozenset("=<>≤≥≈+−×·/→∝")
"""A caption never breaks beside one of these: a formula stays on one line."""


def wrap(text: str) -> tuple[str, ...]:
    """`text` in caption lines: see Line.lines."""
    if len(text) <= MAX_LINE:
        return (text,)
    breaks = []
    depth = 0
    for i, char in enumerate(text):
        depth += (char in "([{") - (char in ")]}")
        if char == " " and len(text[:i]) <= MAX_LINE and len(text[i + 1 :]) <= MAX_LINE:
            in_formula = text[i - 1] in OPERATORS or text[i + 1] in OPERATORS
            named = text[i + 1].isdigit()  # a number stays with the word that names it
            breaks.append((depth > 0, in_formula, named, max(i, len(text) - i - 1), i))
    if not breaks:
        return tuple(textwrap.wrap(text, MAX_LINE, break_on_hyphens=False))
    *_, at = min(breaks)
    return (text[:at], text[at + 1 :])


@dataclass(frozen=True)
class Segment:
    """One caption cue of a script: a beat (id "touch") or a mark in it ("touch.lagrangian")."""

    id: str
    caption: str  # a template
    say: str | None  # a template; None: say the caption
    pause: float = SPEECH_PAUSE  # seconds of silence after it is said
    notes: str | None = None  # a template: the slides' speaker notes beside the spoken text
    article: str | None = None  # a template: the article's paragraph instead of the spoken text


@dataclass(frozen=True)
class Line:
    """A segment filled in: what is shown and what is said."""

    id: str
    caption: str
    spoken: str
    pause: float = SPEECH_PAUSE
    notes: str = ""  # the slides' speaker notes (beside the spoken text)
    article: str = ""  # the article's paragraph (empty: the spoken text)

    @property
    def lines(self) -> tuple[str, ...]:
        """The caption in lines of at most MAX_LINE characters: one if it fits, else the most
        balanced break into two that splits no bracket, no formula (a space beside an
        OPERATOR) and no word from the number after it (each rule given up, in the reverse
        order, only when no break keeps it), else as many lines as it takes."""
        return wrap(self.caption)

    @property
    def reading_time(self) -> float:
        """Seconds a viewer needs to read the caption, and never less than MIN_CUE."""
        return max(len(self.caption) / reading_speed(self.caption), MIN_CUE)


@dataclass(frozen=True)
class Script:
    name: str  # the scene's name: narration/<name>.toml
    path: Path
    segments: tuple[Segment, ...]  # in order: each beat, then its marks
    words: Mapping[str, Any] = field(default_factory=dict)  # [words]: what the scene draws
    lang: str = "en"  # the language it is written in

    def word(self, *keys: str) -> Any:
        """A text the scene draws, from the script's [words] table (`word("fix", "lines")`
        for `[words.fix] lines = [...]`); raises ScriptError naming the file and the key."""
        value: Any = self.words
        for i, key in enumerate(keys):
            if not isinstance(value, Mapping) or key not in value:
                raise ScriptError(f"{self.where}: no [words] entry {'.'.join(keys[: i + 1])!r}")
            value = value[key]
        return value

    @classmethod
    def load(cls, name: str, folder: Path = SCRIPTS, lang: str | None = None) -> Script:
        """The script of scene `name` in language `lang` (None: the one being spoken, see
        `speaking`): <folder>/<name>.toml for English, <folder>/<lang>/<name>.toml for
        another language, which must have every beat, every spoken form and every [words]
        entry the English one has."""
        lang = language() if lang is None else lang
        if lang not in LANGUAGES:
            raise ScriptError(f"--lang {lang}: not one of {', '.join(LANGUAGES)}")
        if lang != "en":
            english = cls.load(name, folder, "en")
            translated = cls._read(name, folder / lang)
            translated.check_against(english)
            return replace(translated, lang=lang)
        return cls._read(name, folder)

    def check_against(self, english: Script) -> None:
        """Every key of the English script is here too: one line naming the file, the beat
        and the key otherwise."""
        mine = {s.id: s for s in self.segments}
        for seg in english.segments:
            if seg.id not in mine:
                raise ScriptError(f"{self.where}, beat {seg.id!r}: missing (the English has it)")
            if seg.say is not None and mine[seg.id].say is None:
                raise ScriptError(f"{self.where}, beat {seg.id!r}: no 'say' (the English has one)")
        extra = [i for i in mine if i not in {s.id for s in english.segments}]
        if extra:
            raise ScriptError(
                f"{self.where}, beat {extra[0]!r}: the English script has no such beat"
            )
        for key in _word_keys(english.words):
            try:
                mine_word = self.word(*key)
            except ScriptError:
                raise ScriptError(
                    f"{self.where}: no [words] entry {'.'.join(key)!r} (the English has one)"
                ) from None
            theirs = english.word(*key)
            kind = "a list" if isinstance(theirs, list) else "a text"
            if (kind == "a list") != isinstance(mine_word, list):
                raise ScriptError(
                    f"{self.where}: [words] entry {'.'.join(key)!r} must be {kind}, as in English"
                )
            extra = sorted(_fields(mine_word) - _fields(theirs))
            if extra:
                raise ScriptError(
                    f"{self.where}: [words] entry {'.'.join(key)!r} has a field {{{extra[0]}}} "
                    "the English has not (the scene fills only the English one's)"
                )

    @classmethod
    def _read(cls, name: str, folder: Path) -> Script:
        path = folder / f"{name}.toml"
        where = _shown(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ScriptError(f"{where}: no script for scene {name!r}") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ScriptError(f"{where}: {err}") from None
        beats, words = data.get("beat", []), data.get("words", {})
        if (
            not isinstance(beats, list)
            or not (beats or words)
            or not set(data) <= {"beat", "words"}
        ):
            raise ScriptError(f"{where}: expected [[beat]] tables (and a [words] table)")
        _check_words(words, where, "words")
        segments: list[Segment] = []
        for beat in beats:
            segments.append(_segment(beat, where, prefix=""))
            marks = beat.get("mark", [])
            if not isinstance(marks, list):
                raise ScriptError(f"{where}, beat {segments[-1].id!r}: use [[beat.mark]] tables")
            segments += [_segment(m, where, prefix=f"{segments[-1].id}.") for m in marks]
        ids = [s.id for s in segments]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ScriptError(f"{where}: beat ids used twice: {', '.join(repeated)}")
        return cls(name, path, tuple(segments), words)

    @property
    def where(self) -> str:
        return _shown(self.path)

    def fill(self, results: Mapping[str, Any]) -> dict[str, Line]:
        """Every segment with its template fields filled from `results`, checked against the
        caption limits; raises ScriptError naming the beat."""
        fields = _numbers(dict(results))
        said = _numbers(dict(results), SpokenNumber if self.lang in DECIMAL_COMMA else Number)
        filled = {}
        for seg in self.segments:
            caption = self._format(seg, "caption", seg.caption, fields)
            key, template = ("say", seg.say) if seg.say else ("caption", seg.caption)
            spoken = self._format(seg, key, template, said)
            notes, article = (
                self._format(seg, key, text, fields) if text else ""
                for key, text in (("notes", seg.notes), ("article", seg.article))
            )
            line = Line(seg.id, caption, spoken, seg.pause, notes, article)
            if len(line.lines) > MAX_LINES or any(len(x) > MAX_LINE for x in line.lines):
                raise ScriptError(
                    f"{self.where}, beat {seg.id!r}: the caption needs more than {MAX_LINES} "
                    f"lines of {MAX_LINE} characters ({len(caption)} characters): shorten it "
                    "or split it with a [[beat.mark]]"
                )
            filled[seg.id] = line
        return filled

    def _format(self, seg: Segment, key: str, template: str, fields: dict) -> str:
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
            for name in names:
                root = name.split("[")[0].split(".")[0]
                if root not in fields:
                    raise KeyError(root)
            return template.format_map(fields)
        except KeyError as err:
            known = ", ".join(sorted(fields))
            raise ScriptError(
                f"{self.where}, beat {seg.id!r}: unknown field {err.args[0]!r} in its {key} "
                f"(fields: {known})"
            ) from None
        except (IndexError, ValueError, TypeError, AttributeError) as err:
            raise ScriptError(
                f"{self.where}, beat {seg.id!r}: bad field in its {key}: {err}"
            ) from None


def _fields(value: Any) -> set[str]:
    """The template fields of a [words] text (or of every text of a list); a TeX line's
    braces (`$\\text{budget:}…$`) are not fields."""
    texts = value if isinstance(value, list) else [value]
    try:
        names = {
            name.split("[")[0].split(".")[0]
            for text in texts
            if not text.startswith("$")  # a TeX formula: its braces are TeX's
            for _, name, _, _ in string.Formatter().parse(text)
            if name
        }
    except ValueError:  # a stray brace: a text without fields
        return set()
    return {name for name in names if name.isidentifier()}


def _word_keys(words: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key path of a [words] table down to its texts and lists."""
    keys = []
    for name, value in words.items():
        if isinstance(value, Mapping):
            keys += _word_keys(value, (*prefix, name))
        else:
            keys.append((*prefix, name))
    return keys


def _check_words(value: Any, where: str, key: str) -> None:
    """[words] holds texts, lists of texts and tables of them."""
    if isinstance(value, dict):
        for name, inner in value.items():
            _check_words(inner, where, f"{key}.{name}")
    elif isinstance(value, list):
        if not all(isinstance(v, str) and v.strip() for v in value):
            raise ScriptError(f"{where}: [{key}] must be a list of texts")
    elif not isinstance(value, str) or not value.strip():
        raise ScriptError(f"{where}: {key} must be a text, a list of texts or a table")


def _shown(path: Path) -> str:
    """The path as a user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _segment(table: Any, where: str, prefix: str) -> Segment:
    if not isinstance(table, dict):
        raise ScriptError(f"{where}: a beat must be a table with id and caption")
    beat_id = table.get("id")
    label = f"beat {prefix}{beat_id}" if isinstance(beat_id, str) else "a beat"
    allowed = {"id", "caption", "say", "pause", "notes", "article"}
    allowed |= {"mark"} if not prefix else set()
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ScriptError(
            f"{where}, {label}: unknown key {unknown[0]!r} "
            "(use id, caption, say, pause, notes, article)"
        )
    if not isinstance(beat_id, str) or not beat_id.isidentifier():
        raise ScriptError(f"{where}, {label}: id must be a name like 'touch'")
    caption, say = table.get("caption"), table.get("say")
    if not isinstance(caption, str) or not caption.strip():
        raise ScriptError(f"{where}, {label}: needs a caption")
    if say is not None and (not isinstance(say, str) or not say.strip()):
        raise ScriptError(f"{where}, {label}: say must be text")
    pause = table.get("pause", SPEECH_PAUSE)
    if isinstance(pause, bool) or not isinstance(pause, int | float):
        raise ScriptError(f"{where}, {label}: pause must be a number of seconds")
    if not 0 <= pause <= MAX_PAUSE:
        raise ScriptError(f"{where}, {label}: pause must be 0–{MAX_PAUSE:g} s, got {pause}")
    for key in ("notes", "article"):
        if table.get(key) is not None and (
            not isinstance(table[key], str) or not table[key].strip()
        ):
            raise ScriptError(f"{where}, {label}: {key} must be text")
    notes, article = (
        " ".join(table[k].split()) if table.get(k) else None for k in ("notes", "article")
    )
    caption, say = " ".join(caption.split()), say and " ".join(say.split())
    return Segment(prefix + beat_id, caption, say, float(pause), notes, article)


@dataclass(frozen=True)
class Pacing:
    """What the scene's beats need: for each segment, its caption and the seconds it must
    last at least (its reading time, and its speech plus a pause)."""

    lines: Mapping[str, Line]
    speech: Mapping[str, float]  # seconds of speech per segment (none: silent)

    def need(self, segment: str) -> float:
        line = self.lines[segment]
        spoken = self.speech.get(segment, 0.0)
        return max(line.reading_time, spoken + line.pause if spoken else 0.0)

    def total(self) -> float:
        return math.fsum(self.need(s) for s in self.lines)
