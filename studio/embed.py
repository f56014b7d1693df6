"""Copy-paste snippets for one render, `<out>/<scene>.embed.md`, built from its manifest."""

from __future__ import annotations

import html

from .formats import FORMATS
from .manifest import Manifest

HEAVY_GIF = 2 * 2**20  # bytes: above this, the snippets point to the video
CONTROLS = 130  # px below the picture in the interactive figure: slider, readouts, caption


def embed_snippets(m: Manifest) -> str:
    """Markdown with snippets for the files this render wrote."""
    theme = f" ({m.theme} theme)" if m.pair else ""
    parts = [f"# {m.scene}{theme}: {m.title}", ""]
    if "gif" in m.files:
        gif = m.files["gif"]
        parts += [
            "Markdown:",
            "",
            "```markdown",
            f"![{m.alt_text}]({gif})",
            "```",
            "",
            image_intro(m),
            "",
            "```html",
            image_tag(m),
            "```",
            "",
        ]
    if m.bytes.get("gif", 0) > HEAVY_GIF:
        parts += [
            f"Note: this GIF is {m.bytes['gif'] / 2**20:.1f} MB, heavy for a page: embed the "
            "video below (render with -f webm -f mp4), or fit the GIF with --gif-max-kb.",
            "",
        ]
    if m.gif_fit:
        f = m.gif_fit
        parts += [
            f"The GIF was fitted in {f['budget'] // 1024} KB: {f['colors']} colours, lossy "
            f"{f['lossy']}, {m.gif_fps} fps, {round(100 * f['scale'])}% size; SSIM "
            f"{f['ssim']} against the lossless frames.",
            "",
        ]
    if any(FORMATS[name].video for name in m.files):
        parts += ["HTML video (smaller than the GIF; loops like it):", "", "```html"]
        parts.append(video_tag(m))
        parts += ["```", ""]
    if "html" in m.files:
        first = slider_name(m)
        parts += [
            f"Interactive figure (the reader scrubs {first}; link one state with "
            f"{m.files['html']}#<key>=<value>):",
            "",
            "```html",
            iframe_tag(m),
            "```",
            "",
        ]
    if "png" in m.files:
        parts += ["Still image (the poster: the frame that sums the scene up):", "", "```markdown"]
        parts += [f"![{m.alt_text}]({m.files['png']})", "```", ""]
    if m.captions:
        files = " and ".join(f"`{name}`" for name in m.captions.values())
        parts += [f"Captions: {files} (WebVTT for the video element, SRT for video sites).", ""]
    if m.cues:
        parts += ["Long description (what the animation shows, beat by beat):", "", "```html"]
        parts += [long_description(m), "```", ""]
    return "\n".join(parts)


def image_intro(m: Manifest) -> str:
    """What the <picture> snippet does for the reader."""
    if "png" not in m.files:
        return (
            "HTML image (render with -f png too, and readers who ask for reduced motion get "
            "the still):"
        )
    said = "HTML image (readers who ask for reduced motion get the still, WCAG 2.2.2"
    other = other_theme(m)
    if other:
        said += f"; readers whose system prefers {other[0]} get the {other[0]} render"
    return said + "):"


def other_theme(m: Manifest) -> tuple[str, dict[str, str]] | None:
    """With --theme both: the other theme's name and its files (format → file name)."""
    if m.pair is None:
        return None
    theme = "light" if m.theme == "dark" else "dark"
    return theme, {name: f"{m.pair}.{FORMATS[name].extension}" for name in m.files}


def image_tag(m: Manifest) -> str:
    """The GIF as an <img>; inside a <picture> when there is a choice: the still for readers
    whose system asks for reduced motion (a looping GIF cannot be paused), and with --theme
    both the other theme's files for readers whose system prefers it."""
    e = html.escape
    img = (
        f'<img src="{e(m.files["gif"])}" width="{m.width}" height="{m.height}" '
        f'alt="{e(m.alt_text)}" loading="lazy">'
    )
    sources = []  # the first whose media matches wins
    other = other_theme(m)
    still = "(prefers-reduced-motion: reduce)"
    if other and "png" in m.files:
        sources.append((other[1]["png"], f"{still} and (prefers-color-scheme: {other[0]})"))
    if "png" in m.files:
        sources.append((m.files["png"], still))
    if other:
        sources.append((other[1]["gif"], f"(prefers-color-scheme: {other[0]})"))
    if not sources:
        return img
    lines = [f'  <source srcset="{e(src)}" media="{media}">' for src, media in sources]
    return "\n".join(["<picture>", *lines, f"  {img}", "</picture>"])


def slider_name(m: Manifest) -> str:
    """What the interactive figure's slider moves through (its first readout's name)."""
    try:
        return str(m.scrub["readouts"][0]["name"])
    except (TypeError, KeyError, IndexError):
        return "the slider"


def iframe_tag(m: Manifest, style: str = "border: 0") -> str:
    """The interactive figure in an <iframe>: the picture plus room for its controls."""
    e = html.escape
    return (
        f'<iframe src="{e(m.files["html"])}" width="{m.width}" height="{m.height + CONTROLS}" '
        f'title="{e(m.title)}: interactive figure" loading="lazy" style="{e(style)}"></iframe>'
    )


def long_description(m: Manifest) -> str:
    """A <details> with the render's captions in order: the explanation in words, with the
    numbers the frames show, for readers who cannot watch it."""
    e = html.escape
    items = [f"    <li>{e(cue['text'])}</li>" for cue in m.cues]
    summary = "  <summary>What the animation shows</summary>"
    return "\n".join(["<details>", summary, "  <ol>", *items, "  </ol>", "</details>"])


def video_tag(m: Manifest, captions: bool = True) -> str:
    """<video> with a source per video format rendered (in FORMATS order; with --theme both,
    each preceded by the other theme's for readers whose system prefers it), the poster,
    controls (a reader can pause it) and (with `captions`) the WebVTT track. A page opened
    from disk cannot load a track (browsers treat file: URLs as separate origins), so the
    gallery leaves it out."""
    e = html.escape
    poster = f' poster="{e(m.files["png"])}"' if "png" in m.files else ""
    lines = [
        f'<video autoplay loop muted playsinline controls width="{m.width}" height="{m.height}"'
        f'{poster} aria-label="{e(m.alt_text)}">'
    ]
    other = other_theme(m)
    for name, fmt in FORMATS.items():
        if fmt.video and name in m.files:
            if other:
                lines.append(
                    f'  <source src="{e(other[1][name])}" type="{fmt.mime}" '
                    f'media="(prefers-color-scheme: {other[0]})">'
                )
            lines.append(f'  <source src="{e(m.files[name])}" type="{fmt.mime}">')
    if captions and "vtt" in m.captions:
        lines.append(
            f'  <track kind="captions" srclang="en" label="English" '
            f'src="{e(m.captions["vtt"])}" default>'
        )
    lines.append("</video>")
    return "\n".join(lines)
