"""Copy-paste snippets for one render, `<out>/<stem>.embed.md`, built from its manifest:
each output rendered says how to embed it (`studio.outputs`), in the order of their roles."""

from __future__ import annotations

import html

from narration.script import LANGUAGE_NAMES, page_words

from .manifest import Manifest
from .outputs import ROLES, rendered_outputs


def embed_snippets(m: Manifest) -> str:
    """Markdown with snippets for the files this render wrote, in its language."""
    said = [page_words(m.lang, "theme", m.theme)] if m.pair else []
    said += [LANGUAGE_NAMES.get(m.lang, m.lang)] if m.lang != "en" else []
    about = f" ({', '.join(said)})" if said else ""
    parts = [f"# {m.scene}{about}: {m.title}", ""]
    for output in sorted(rendered_outputs(m.files), key=lambda o: ROLES.index(o.role)):
        parts += output.snippet(m)
    if m.captions:
        files = page_words(m.lang, "embed", "and").join(f"`{name}`" for name in m.captions.values())
        parts += [page_words(m.lang, "embed", "captions", files=files), ""]
    if m.cues:
        parts += [page_words(m.lang, "embed", "long"), "", "```html"]
        parts += [long_description(m), "```", ""]
    return "\n".join(parts)


def long_description(m: Manifest) -> str:
    """A <details> with the render's captions in order: the explanation in words, with the
    numbers the frames show, for readers who cannot watch it (in the render's language,
    marked with `lang` when it is not English)."""
    e = html.escape
    items = [f"    <li>{e(cue['text'])}</li>" for cue in m.cues]
    summary = f"  <summary>{e(page_words(m.lang, 'embed', 'summary'))}</summary>"
    opening = "<details>" if m.lang == "en" else f'<details lang="{e(m.lang)}">'
    return "\n".join([opening, summary, "  <ol>", *items, "  </ol>", "</details>"])
