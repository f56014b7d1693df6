"""What a blog author copies: embed snippets per render, and a gallery page of every render.

Both are built from the render manifests only, so they always describe the files that are
there. The gallery is one self-contained HTML file (inline CSS, no scripts, no network) that
works opened from disk.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

VIDEO_TYPES = {"webm": "video/webm", "mp4": "video/mp4"}


def embed_snippets(manifest: dict) -> str:
    """Markdown with copy-paste snippets for the files this render wrote."""
    files, name = manifest["files"], manifest["scene"]
    width, height = manifest["width"], manifest["height"]
    alt = manifest["alt_text"]
    parts = [f"# {name}: {manifest['title']}", ""]
    if "gif" in files:
        parts += [
            "Markdown:",
            "",
            "```markdown",
            f"![{alt}]({files['gif']})",
            "```",
            "",
            "HTML image:",
            "",
            "```html",
            f'<img src="{files["gif"]}" width="{width}" height="{height}" '
            f'alt="{html.escape(alt)}" loading="lazy">',
            "```",
            "",
        ]
    if any(fmt in files for fmt in VIDEO_TYPES):
        parts += ["HTML video (smaller than the GIF; loops like it):", "", "```html"]
        parts.append(_video_tag(manifest))
        parts += ["```", ""]
    if "png" in files:
        parts += ["Still image (the final frame):", "", "```markdown"]
        parts += [f"![{alt}]({files['png']})", "```", ""]
    return "\n".join(parts)


def _video_tag(manifest: dict, indent: str = "") -> str:
    files = manifest["files"]
    poster = f' poster="{files["png"]}"' if "png" in files else ""
    lines = [
        f'{indent}<video autoplay loop muted playsinline width="{manifest["width"]}" '
        f'height="{manifest["height"]}"{poster} '
        f'aria-label="{html.escape(manifest["alt_text"])}">'
    ]
    for fmt, kind in VIDEO_TYPES.items():
        if fmt in files:
            lines.append(f'{indent}  <source src="{files[fmt]}" type="{kind}">')
    lines.append(f"{indent}</video>")
    return "\n".join(lines)


def size_text(n: int) -> str:
    """Bytes as KB or MB."""
    return f"{n / 1024:.0f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"


CSS = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1b1f24; }
header { padding: 1.5rem 2rem; background: #101218; color: #eceff4; }
main { display: grid; gap: 1.5rem; padding: 1.5rem 2rem;
       grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); }
article { background: #fff; border: 1px solid #dde1e6; border-radius: 8px; padding: 1rem; }
article img, article video { width: 100%; height: auto; border-radius: 4px; background: #000; }
h2 { margin: 0.2rem 0 0.4rem; font-size: 1.15rem; }
code, pre { font: 13px/1.4 ui-monospace, monospace; }
pre { background: #f3f4f6; padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; }
table { border-collapse: collapse; font-size: 14px; }
td { padding: 0.1rem 0.6rem 0.1rem 0; vertical-align: top; }
.muted { color: #6b7280; font-size: 14px; }
"""


def _card(manifest: dict) -> str:
    files, name = manifest["files"], manifest["scene"]
    e = html.escape
    if "gif" in files:
        media = (
            f'<img src="{e(files["gif"])}" width="{manifest["width"]}" '
            f'height="{manifest["height"]}" alt="{e(manifest["alt_text"])}">'
        )
    elif any(fmt in files for fmt in VIDEO_TYPES):
        media = _video_tag(manifest)
    else:
        media = f'<img src="{e(files["png"])}" alt="{e(manifest["alt_text"])}">'
    params = "".join(
        f"<tr><td><code>{e(k)}</code></td><td><code>{e(json.dumps(v))}</code></td></tr>"
        for k, v in manifest["params"].items()
    )
    sizes = ", ".join(f"{e(f)} {size_text(b)}" for f, b in manifest["bytes"].items())
    return f"""<article id="{e(name)}">
<h2>{e(manifest["title"])}</h2>
{media}
<p>{e(manifest["description"])}</p>
<p class="muted"><strong>Alt text:</strong> {e(manifest["alt_text"])}</p>
<p class="muted"><code>{e(name)}</code> · {manifest["width"]}×{manifest["height"]},
{manifest["duration_s"]} s, {e(manifest["theme"])} theme · {sizes} ·
<code>python render.py {e(name)}</code></p>
<details><summary>Parameters</summary><table>{params}</table></details>
<details><summary>Embed snippets</summary><pre>{e(embed_snippets(manifest))}</pre></details>
</article>"""


MARK = "<!-- ridge-lagrange gallery: written by render.py -->"
REQUIRED = {
    "scene",
    "title",
    "description",
    "files",
    "bytes",
    "params",
    "alt_text",
    "width",
    "height",
    "duration_s",
    "theme",
}


def manifests(out: Path) -> list[dict]:
    """Every render manifest in `out` (all fields there, all files present), in name order;
    other JSON files are ignored."""
    found = []
    for path in sorted(out.glob("*.json")):
        try:
            manifest = json.loads(path.read_text())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if (
            isinstance(manifest, dict)
            and REQUIRED <= manifest.keys()
            and all((out / f).exists() for f in manifest["files"].values())
        ):
            found.append(manifest)
    return found


def write_gallery(out: Path, order: list[str]) -> Path | None:
    """Write <out>/index.html for every render in `out` (scenes in `order` first). An
    index.html that this function did not write is left alone (None is returned)."""
    target = out / "index.html"
    if target.exists() and MARK not in target.read_text(errors="replace")[:400]:
        return None
    rank = {name: i for i, name in enumerate(order)}
    cards = sorted(manifests(out), key=lambda m: (rank.get(m["scene"], len(rank)), m["scene"]))
    page = f"""<!doctype html>
{MARK}
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ridge regression through Lagrange multipliers: animations</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>Ridge regression through Lagrange multipliers</h1>
<p>{len(cards)} animation{"s" if len(cards) != 1 else ""}; each has a manifest
(<code>&lt;scene&gt;.json</code>) and copy-paste snippets (<code>&lt;scene&gt;.embed.md</code>).
</p></header>
<main>
{chr(10).join(_card(m) for m in cards)}
</main>
</body>
</html>
"""
    staging = out / f".index.html.{os.getpid()}"
    staging.write_text(page)
    os.replace(staging, target)
    return target
