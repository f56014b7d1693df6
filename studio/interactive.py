"""`-f html`: the interactive figure, `<scene>.html`. One self-contained file (the video
inlined, inline CSS and script, no network) that plays the scene and lets the reader scrub it
with a slider named after the scene's own parameter (λ, k, …); beside the picture, the
numbers of the frame shown, from the scene's per-frame readouts (`RidgeScene.scrub` and
`frame_readouts`), the same numbers the frame draws.

Contract (tests/test_interactive.py checks it in Chromium): the slider is the page's
`input[type=range]`, its value the frame index; each readout is an element with
`data-key="<readout key>"` whose text is the number as shown and whose `data-value` is the
exact JSON value; the URL hash holds the state (`#lam=0.3`: the first frame whose λ is
nearest 0.3; `#frame=N` where the parameter is not a number), so a post can link one
precise figure. Arrow keys step one frame, space plays and pauses; readers who ask for
reduced motion get the first frame, paused.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narration.script import page_words

from .encode import WEBM, encode_video
from .frames import Frames


@dataclass(frozen=True)
class Figure:
    """What the page shows beside the frames."""

    title: str
    alt_text: str
    readouts: list[dict[str, Any]]  # key, name, decimals of each; the first names the slider
    frames: list[dict[str, Any]]  # the readouts of every frame, in order
    background: str  # the scene's theme: the page around the picture matches it
    text: str
    lang: str = "en"  # the render's language (--lang): the page's lang and its controls' words
    scheme: str = "dark"  # the theme drawn: dark or light
    other: str | None = None  # --theme both: the other theme's page, for readers who prefer it


def data_uri(path: Path, mime: str) -> str:
    """The file at `path` as a data: URI (a page that needs no other file)."""
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def seekable_video(frames: Frames, video: Path) -> str:
    """`frames` as a data: URI of VP9 with a key frame every half second (seeking is quick)
    and no sound, encoded into `video` unless a page of the same render already did (the
    figure, the slides and the article share it)."""
    if not video.exists():
        keys = ("-g", str(max(1, frames.fps // 2)), "-an")
        encode_video(frames, video, (*WEBM, *keys), "encoding the page's video")
    return data_uri(video, "video/webm")


def encode_html(frames: Frames, target: Path, video: Path) -> None:
    """The interactive figure of `frames` (with `frames.figure` set by the job), its video
    in `video` (see seekable_video)."""
    figure: Figure = frames.figure
    if figure is None or len(figure.frames) != frames.count:
        raise ValueError("the interactive figure needs the scene's readouts for every frame")
    target.write_text(page(figure, frames.fps, seekable_video(frames, video)), encoding="utf-8")


def page(figure: Figure, fps: int, video_src: str) -> str:
    e = html.escape
    first = figure.readouts[0]
    readouts = "\n".join(
        f'<div><dt>{e(r["name"])}</dt><dd data-key="{e(r["key"])}"></dd></div>'
        for r in figure.readouts
    )
    words = dict(page_words(figure.lang, "figure", "controls"))  # narration/pages.toml
    state = {"fps": fps, "readouts": figure.readouts, "frames": figure.frames, "words": words}
    if figure.other:
        state["other"] = {
            "page": figure.other,
            "scheme": "light" if figure.scheme == "dark" else "dark",
        }
    data = json.dumps(state, ensure_ascii=False, allow_nan=False).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="{e(figure.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(figure.title)}</title>
<style>:root {{ --background: {figure.background}; --text: {figure.text}; }}{CSS}</style>
</head>
<body>
<figure>
<video id="video" muted playsinline preload="auto" src="{video_src}"
 aria-label="{e(figure.alt_text)}"></video>
<div class="controls">
<button id="play" type="button" aria-label="{e(words["play"])}">{e(words["play"])}</button>
<label for="scrub">{e(first["name"])}</label>
<input id="scrub" type="range" min="0" max="{len(figure.frames) - 1}" step="1" value="0">
</div>
<dl class="readouts">
{readouts}
</dl>
<figcaption>{e(figure.title)} · {e(words["hint"])}</figcaption>
</figure>
<script type="application/json" id="state">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""


CSS = """
body { margin: 0; font: 15px/1.4 system-ui, sans-serif; background: var(--background);
       color: var(--text); }
figure { margin: 0; padding: 0.5rem; max-width: 960px; }
video { width: 100%; height: auto; display: block; background: #000; }
.controls { display: flex; gap: 0.6rem; align-items: center; margin: 0.4rem 0; }
.controls input { flex: 1; }
button { font: inherit; min-width: 4.5em; }
dl.readouts { display: flex; flex-wrap: wrap; gap: 0.2rem 1.2rem; margin: 0.2rem 0; }
dl.readouts div { display: flex; gap: 0.4rem; }
dt { opacity: 0.8; }
dd { margin: 0; font-variant-numeric: tabular-nums; }
figcaption { opacity: 0.8; font-size: 13px; }
"""

SCRIPT = r"""
const S = JSON.parse(document.getElementById('state').textContent);
if (S.other) {  // --theme both: one iframe, the page of the scheme the reader's system prefers
  const prefers = matchMedia('(prefers-color-scheme: ' + S.other.scheme + ')');
  const follow = () => { if (prefers.matches) location.replace(S.other.page + location.hash); };
  follow();
  prefers.addEventListener('change', follow);
}
const video = document.getElementById('video');
const slider = document.getElementById('scrub');
const button = document.getElementById('play');
const cells = [...document.querySelectorAll('[data-key]')];
const last = S.frames.length - 1;
const first = S.readouts[0];
const decimals = Object.fromEntries(S.readouts.map(r => [r.key, r.decimals]));
let shown = 0;

function text(x, places) {  // as the frames print numbers: fixed decimals, no '-0.00'
  if (x === null) return '—';
  if (Array.isArray(x)) return '(' + x.map(v => text(v, places)).join(', ') + ')';
  if (typeof x === 'number') return x.toFixed(places).replace(/^-(0\.?0*)$/, '$1');
  return String(x);
}

function show(i) {  // the slider and the readouts of frame i
  shown = i;
  const r = S.frames[i];
  slider.value = String(i);
  slider.setAttribute('aria-valuetext', first.name + ' = ' + text(r[first.key], first.decimals));
  for (const cell of cells) {
    const x = r[cell.dataset.key] ?? null;
    cell.textContent = text(x, decimals[cell.dataset.key]);
    cell.dataset.value = JSON.stringify(x);
  }
}

function remember(i) {
  const x = S.frames[i][first.key];
  const value = x === '∞' ? 'inf' : typeof x === 'number' ? String(+x.toPrecision(6)) : '';
  history.replaceState(null, '', value ? '#' + first.key + '=' + value : '#frame=' + i);
}

function seek(i) {  // pause on frame i: the middle of its display interval
  i = Math.max(0, Math.min(last, i));
  video.pause();
  button.textContent = S.words.play;
  button.setAttribute('aria-label', S.words.play);
  video.currentTime = (i + 0.5) / S.fps;
  show(i);
  remember(i);
}

function frameAt(seconds) {
  return Math.max(0, Math.min(last, Math.floor(seconds * S.fps + 1e-6)));
}

function follow(now, meta) {  // while playing: the frame presented
  if (video.paused) return;
  show(frameAt(meta.mediaTime));
  video.requestVideoFrameCallback(follow);
}

function pause() {  // on the frame on screen (the clock can lag the frame presented)
  seek(Math.max(shown, frameAt(video.currentTime)));
}

function play() {
  if (shown >= last) {
    video.currentTime = 0;
    show(0);
  }
  button.textContent = S.words.pause;
  button.setAttribute('aria-label', S.words.pause);
  video.play();
  if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(follow);
}

function decoded(part) {  // a %-escape that is not UTF-8 ('%=', '%E0%A4%A') means nothing
  try { return decodeURIComponent(part); } catch (e) { return null; }
}

function fromHash() {  // '#key=value': the first frame whose value is nearest
  const m = location.hash.match(/^#([^=]+)=(.+)$/);
  if (!m) return null;
  const key = decoded(m[1]);
  if (key === null) return null;
  if (key === 'frame') return Math.max(0, Math.min(last, parseInt(m[2], 10) || 0));
  const want = m[2] === 'inf' ? Infinity : parseFloat(m[2]);
  if (Number.isNaN(want)) return null;
  let best = null, gap = Infinity;
  S.frames.forEach((r, i) => {
    const x = r[key] === '∞' ? Infinity : r[key];
    if (typeof x !== 'number') return;
    const d = x === want ? 0 : Math.abs(x - want);
    if (d < gap) { best = i; gap = d; }
  });
  return best;
}

slider.addEventListener('input', () => seek(+slider.value));
button.addEventListener('click', () => (video.paused ? play() : pause()));
video.addEventListener('timeupdate', () => {
  if (!video.paused && !('requestVideoFrameCallback' in video)) show(frameAt(video.currentTime));
});
video.addEventListener('ended', () => seek(last));
document.addEventListener('keydown', (ev) => {
  if (ev.target === slider && ev.key.startsWith('Arrow')) return;  // the slider steps itself
  const step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[ev.key];
  if (step) { seek(shown + step); ev.preventDefault(); }
  else if (ev.key === ' ' && ev.target.tagName !== 'BUTTON') {
    video.paused ? play() : pause();
    ev.preventDefault();
  } else if (ev.key === 'Home') seek(0);
  else if (ev.key === 'End') seek(last);
});
window.addEventListener('hashchange', () => { const i = fromHash(); if (i !== null) seek(i); });

const start = fromHash();
if (start !== null) seek(start);
else {
  show(0);
  if (!matchMedia('(prefers-reduced-motion: reduce)').matches) play();
}
"""
