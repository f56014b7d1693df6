"""Copy-paste snippets for one render, `<out>/<scene>.embed.md`, built from its manifest."""

from __future__ import annotations

import html

from .formats import FORMATS
from .manifest import Manifest


def embed_snippets(m: Manifest) -> str:
    """Markdown with snippets for the files this render wrote."""
    parts = [f"# {m.scene}: {m.title}", ""]
    if "gif" in m.files:
        gif = m.files["gif"]
        parts += [
            "Markdown:",
            "",
            "```markdown",
            f"![{m.alt_text}]({gif})",
            "```",
            "",
            "HTML image:",
            "",
            "```html",
            f'<img src="{html.escape(gif)}" width="{m.width}" height="{m.height}" '
            f'alt="{html.escape(m.alt_text)}" loading="lazy">',
            "```",
            "",
        ]
    if any(FORMATS[name].video for name in m.files):
        parts += ["HTML video (smaller than the GIF; loops like it):", "", "```html"]
        parts.append(video_tag(m))
        parts += ["```", ""]
    if "png" in m.files:
        parts += ["Still image (the final frame):", "", "```markdown"]
        parts += [f"![{m.alt_text}]({m.files['png']})", "```", ""]
    return "\n".join(parts)


def video_tag(m: Manifest) -> str:
    """<video> with a source per video format rendered (in FORMATS order) and the poster."""
    e = html.escape
    poster = f' poster="{e(m.files["png"])}"' if "png" in m.files else ""
    lines = [
        f'<video autoplay loop muted playsinline width="{m.width}" height="{m.height}"'
        f'{poster} aria-label="{e(m.alt_text)}">'
    ]
    for name, fmt in FORMATS.items():
        if fmt.video and name in m.files:
            lines.append(f'  <source src="{e(m.files[name])}" type="{fmt.mime}">')
    lines.append("</video>")
    return "\n".join(lines)
