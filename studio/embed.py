"""Copy-paste snippets for one render, `<out>/<stem>.embed.md`, built from its manifest:
each output rendered says how to embed it (`studio.outputs`), in the order of their roles."""

from __future__ import annotations

import html

from .manifest import Manifest
from .outputs import ROLES, rendered_outputs


def embed_snippets(m: Manifest) -> str:
    """Markdown with snippets for the files this render wrote."""
    theme = f" ({m.theme} theme)" if m.pair else ""
    parts = [f"# {m.scene}{theme}: {m.title}", ""]
    for output in sorted(rendered_outputs(m.files), key=lambda o: ROLES.index(o.role)):
        parts += output.snippet(m)
    if m.captions:
        files = " and ".join(f"`{name}`" for name in m.captions.values())
        parts += [f"Captions: {files} (WebVTT for the video element, SRT for video sites).", ""]
    if m.cues:
        parts += ["Long description (what the animation shows, beat by beat):", "", "```html"]
        parts += [long_description(m), "```", ""]
    return "\n".join(parts)


def long_description(m: Manifest) -> str:
    """A <details> with the render's captions in order: the explanation in words, with the
    numbers the frames show, for readers who cannot watch it."""
    e = html.escape
    items = [f"    <li>{e(cue['text'])}</li>" for cue in m.cues]
    summary = "  <summary>What the animation shows</summary>"
    return "\n".join(["<details>", summary, "  <ol>", *items, "  </ol>", "</details>"])
