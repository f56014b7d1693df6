"""The gallery page of every render in an output folder, built from the render manifests
only, so it always describes the files that are there. One self-contained HTML file (inline
CSS, no scripts, no network) that works opened from disk.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
from pathlib import Path

from narration.script import LANGUAGE_NAMES, page_words

from .embed import embed_snippets
from .manifest import Manifest, ManifestError
from .outputs import rendered_outputs
from .outputs.base import size_text

CSS = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1b1f24; }
header { padding: 1.5rem 2rem; background: #101218; color: #eceff4; }
main { display: grid; gap: 1.5rem; padding: 1.5rem 2rem;
       grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); }
article { background: #fff; border: 1px solid #dde1e6; border-radius: 8px; padding: 1rem; }
article iframe { width: 100%; border: 0; }
.fit { container-type: inline-size; }
article.pair { grid-column: 1 / -1; }
article img, article video { width: 100%; height: auto; border-radius: 4px; background: #000; }
h2 { margin: 0.2rem 0 0.4rem; font-size: 1.15rem; }
code, pre { font: 13px/1.4 ui-monospace, monospace; }
pre { background: #f3f4f6; padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; }
table { border-collapse: collapse; font-size: 14px; }
td { padding: 0.1rem 0.6rem 0.1rem 0; vertical-align: top; }
.muted { color: #6b7280; font-size: 14px; }
.themes { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5rem; }
figure { margin: 0; }
figcaption { font-size: 14px; color: #6b7280; }
nav { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; margin-top: 0.8rem; font-size: 14px; }
nav input { margin-right: 0.25rem; }
"""


def stem(m: Manifest) -> str:
    """The render's files' stem (`<scene>` or, for the light half of --theme both,
    `<scene>-light`)."""
    return m.embed.removesuffix(".embed.md")


def _media(m: Manifest) -> str:
    """The card's picture: what the output of lowest card rank rendered shows."""
    return min(rendered_outputs(m.files), key=lambda o: o.card_rank).card(m)


def _filter(scenes: list[str], languages: list[str]) -> tuple[str, str]:
    """Radio buttons that show one scene's cards (or all), and, when the folder holds
    renders in more than one language, one language's; and the CSS that does it: no script,
    so the page still works opened from disk with scripts off."""
    e = html.escape
    names = ["all", *scenes]
    buttons = "".join(
        f'<label><input type="radio" name="show" id="show-{i}"{" checked" if i == 0 else ""}>'
        f"{e(name)}</label>"
        for i, name in enumerate(names)
    )
    rules = "".join(
        f'body:has(#show-{i}:checked) article:not([data-scene="{e(name)}"]) {{ display: none; }}\n'
        for i, name in enumerate(scenes, start=1)
    )
    nav = f'<nav aria-label="Show one scene">Show: {buttons}</nav>'
    if len(languages) > 1:
        choices = "".join(
            f'<label lang="{e(code)}"><input type="radio" name="lang" id="lang-{e(code)}">'
            f"{e(LANGUAGE_NAMES.get(code, code))}</label>"
            for code in languages
        )
        every = '<label><input type="radio" name="lang" id="lang-all" checked>all</label>'
        nav += f'\n<nav aria-label="Show one language">Language: {every}{choices}</nav>'
        rules += "".join(
            f'body:has(#lang-{e(code)}:checked) article:not([data-lang="{e(code)}"]) '
            "{ display: none; }\n"
            for code in languages
        )
    return nav, rules


def _card(m: Manifest, other: Manifest | None = None) -> str:
    """One render's card, in the render's language; with `other` (the other theme of --theme
    both), both side by side."""
    e = html.escape
    media = _media(m)
    if other is not None:
        media = "".join(
            f"<figure>{_media(x)}<figcaption>{e(page_words(x.lang, 'theme', x.theme))}</figcaption>"
            "</figure>"
            for x in (m, other)
        )
        media = f'<div class="themes">{media}</div>'
    params = "".join(
        f"<tr><td><code>{e(k)}</code></td><td><code>{e(json.dumps(v))}</code></td></tr>"
        for k, v in m.params.items()
    )
    sizes = ", ".join(f"{e(f)} {size_text(b)}" for f, b in m.bytes.items())
    themes = page_words(m.lang, "theme", "pair" if other else m.theme)
    pair = ' class="pair"' if other else ""
    language = LANGUAGE_NAMES.get(m.lang, m.lang)
    option = f" --lang {e(m.lang)}" if m.lang != "en" else ""
    seconds = page_words(m.lang, "card", "seconds", seconds=m.duration_s)
    parameters, snippets = (page_words(m.lang, "card", key) for key in ("parameters", "snippets"))
    return f"""<article id="{e(stem(m))}" data-scene="{e(m.scene)}" lang="{e(m.lang)}" \
data-lang="{e(m.lang)}"{pair}>
<h2>{e(m.title)}</h2>
{media}
<p>{e(m.description)}</p>
<p class="muted"><strong>{e(page_words(m.lang, "card", "alt"))}</strong> {e(m.alt_text)}</p>
<p class="muted"><code>{e(m.scene)}</code> · {e(str(m.width))}×{e(str(m.height))},
{e(seconds)}, {e(themes)} · {e(language)} · {sizes} ·
<code>python render.py {e(m.scene)}{option}</code></p>
<details><summary>{e(parameters)}</summary><table>{params}</table></details>
<details><summary>{e(snippets)}</summary><pre>{e(embed_snippets(m))}</pre></details>
</article>"""


MARK = "<!-- ridge-lagrange gallery: written by render.py -->"


def manifests(out: Path) -> tuple[list[Manifest], list[str]]:
    """Every valid render manifest in `out` whose files are all present, in name order, and
    one line for each JSON file that looks like a manifest but cannot be used (other JSON
    files are not the gallery's business)."""
    found, skipped = [], []
    for path in sorted(out.glob("*.json")):
        try:
            m = Manifest.from_json(path.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError, ManifestError) as err:
            if _looks_like_manifest(path):
                skipped.append(f"{path.name}: {err}")
            continue
        missing = [f for f in m.files.values() if not (out / f).exists()]
        if missing:
            skipped.append(f"{path.name}: {missing[0]} is missing")
        else:
            found.append(m)
    return found, skipped


def _looks_like_manifest(path: Path) -> bool:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return True  # damaged beyond reading: say so
    return isinstance(data, dict) and bool({"scene", "inputs_hash"} & data.keys())


def write_gallery(out: Path, order: list[str]) -> tuple[Path | None, list[str]]:
    """Write <out>/index.html for every render in `out` (scenes in `order` first); returns
    its path (None: an index.html that this function did not write is left alone) and a line
    for each manifest it skipped."""
    target = out / "index.html"
    if target.exists() and MARK not in target.read_text(errors="replace")[:400]:
        return None, []
    rank = {name: i for i, name in enumerate(order)}
    found, skipped = manifests(out)
    by_stem = {stem(m): m for m in found}
    paired = {m.pair: by_stem.get(m.pair) for m in found if m.pair and m.theme == "dark"}
    shown = [m for m in found if paired.get(stem(m)) is None]  # not a light half shown paired
    cards = sorted(shown, key=lambda m: (rank.get(m.scene, len(rank)), m.scene, stem(m)))
    languages = sorted({m.lang for m in cards}, key=lambda c: (c != "en", c))
    nav, rules = _filter(list(dict.fromkeys(m.scene for m in cards)), languages)
    page = f"""<!doctype html>
{MARK}
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ridge regression through Lagrange multipliers: animations</title>
<style>{CSS}{rules}</style>
</head>
<body>
<header><h1>Ridge regression through Lagrange multipliers</h1>
<p>{len(cards)} animation{"s" if len(cards) != 1 else ""}; each has a manifest
(<code>&lt;scene&gt;.json</code>) and copy-paste snippets (<code>&lt;scene&gt;.embed.md</code>).
</p>
{nav}</header>
<main>
{chr(10).join(_card(m, paired.get(m.pair) if m.pair else None) for m in cards)}
</main>
</body>
</html>
"""
    staging = out / f".index.html.{os.getpid()}"
    try:
        staging.write_text(page)
        os.replace(staging, target)
    except OSError:
        with contextlib.suppress(OSError):
            staging.unlink(missing_ok=True)  # a full disk leaves no half page behind
        raise
    return target, skipped
