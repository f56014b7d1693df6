"""`-f article`: `<name>.article.html`, the render as a scrolling article. One self-contained
page (the video inlined as the html figure inlines it, no network): the story as paragraphs,
one per beat (`studio.outputs.story`), each the beat's spoken text (or the script's
`article`), beside a sticky figure (above them on a narrow screen).

Contract (tests/test_slides.py checks it in Chromium): each paragraph is an element with
`data-beat="<scene>/<beat id>"` like the slides' steps; the one whose top has passed the
middle of the viewport is `aria-current="true"`, and the figure plays to the last frame of
its beat (seeks there for readers who ask for reduced motion, and when scrolling back). The
figure's text alternative (its video's aria-label and its caption) is the caption of that
beat, and beside it the html figure's readouts of the frame shown (elements with
`data-key`). The explainer's chapters are headings; an outline at the top links them (a
scene's: its beats). Without script the page is each beat's still and its paragraph. It
follows the reader's colour scheme; the figure keeps its render's theme.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from narration.script import page_words

from ..manifest import Manifest
from .story import Story, StoryOutput


@dataclass(frozen=True)
class Article(StoryOutput):
    def page(self, story: Story) -> str:
        return page(story)

    def snippet(self, m: Manifest) -> list[str]:
        file = m.files[self.name]
        return [
            page_words(m.lang, "article", "snippet"),
            "",
            "```html",
            f'<a href="{html.escape(file)}">{html.escape(m.title)}</a>',
            "```",
            "",
        ]

    def card(self, m: Manifest) -> str:
        e = html.escape
        title = page_words(m.lang, "article", "link", title=m.title)
        return f'<a href="{e(m.files[self.name])}">{e(title)}</a>'


def page(story: Story) -> str:
    e = html.escape
    w = {k: e(v) for k, v in page_words(story.lang, "article", "page").items()}
    if not story.steps:
        raise ValueError("an article needs at least one beat")
    body, outline, open_section = [], [], False
    for i, (step, still) in enumerate(zip(story.steps, story.stills, strict=True)):
        if story.chapters and step.chapter:
            if open_section:
                body.append("</section>")
            number = len(outline) + 1
            body.append(f'<section><h2 id="chapter-{number}">{e(step.chapter)}</h2>')
            outline.append(f'<li><a href="#chapter-{number}">{e(step.chapter)}</a></li>')
            open_section = True
        elif not story.chapters and step.top:
            outline.append(f'<li><a href="#beat-{i + 1}">{e(step.caption)}</a></li>')
        body.append(
            f'<div class="beat" id="beat-{i + 1}" data-beat="{e(step.beat)}">'
            f"<p>{e(step.prose)}</p>"
            f'<noscript><img src="{still}" width="{story.width}" height="{story.height}" '
            f'alt="{e(step.caption)}"></noscript></div>'
        )
    if open_section:
        body.append("</section>")
    paragraphs, items = "\n".join(body), "\n".join(outline)
    first = story.steps[0].caption
    return f"""<!doctype html>
<html lang="{e(story.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(story.title)}</title>
<script>document.documentElement.classList.add('js');</script>
<style>:root {{ --background: {story.background}; --text: {story.text}; }}{CSS}</style>
</head>
<body>
<header class="top">
<h1>{e(story.title)}</h1>
<p class="how">{w["how"]}</p>
<nav class="outline" aria-label="{w["outline"]}">
<ol>
{items}
</ol>
</nav>
</header>
<div class="layout">
<figure class="figure" id="figure">
<video id="video" muted playsinline preload="auto" src="{story.video}"
 aria-label="{e(first)}" aria-describedby="about"></video>
<figcaption id="caption">{e(first)}</figcaption>
<dl class="readouts" id="readouts"></dl>
<p id="about" hidden>{e(story.alt_text)}</p>
</figure>
<article class="story">
{paragraphs}
</article>
</div>
<script type="application/json" id="state">{story.state()}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""


CSS = """
:root { color-scheme: light dark; --page: #fbfaf7; --ink: #1d1d1b; --soft: #55554f;
        --rule: #d9d7cf; --link: #0a58ca; --now: #0a58ca; }
@media (prefers-color-scheme: dark) {
  :root { --page: #131518; --ink: #e9e8e4; --soft: #b3b1aa; --rule: #34373c;
          --link: #8ab4f8; --now: #8ab4f8; }
}
html, body { margin: 0; }
body { background: var(--page); color: var(--ink);
       font: 19px/1.65 Charter, 'Iowan Old Style', Georgia, serif; }
a { color: var(--link); }
header.top { max-width: 40rem; margin: 0 auto; padding: 2rem 1.2rem 1rem; }
h1 { font: 700 clamp(1.6rem, 4.2vw, 2.4rem)/1.2 system-ui, sans-serif; margin: 0 0 0.5rem; }
h2 { font: 700 1.35rem/1.3 system-ui, sans-serif; margin: 0 0 1.2rem; }
.how { color: var(--soft); margin: 0 0 1rem; font-size: 0.9em; }
.outline { border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule);
           padding: 0.4rem 0; font: 16px/1.45 system-ui, sans-serif; }
.outline ol { margin: 0.3rem 0; padding-left: 1.6rem; }
.outline li { margin: 0.25rem 0; }
.layout { max-width: 76rem; margin: 0 auto; padding: 0 1.2rem; }
.figure { margin: 0; background: var(--background); color: var(--text);
          border-radius: 8px; padding: 0.5rem; font: 15px/1.4 system-ui, sans-serif; }
.figure video { display: block; width: 100%; height: auto; }
.figure figcaption { margin: 0.4rem 0.2rem 0; }
.readouts { display: flex; flex-wrap: wrap; gap: 0.1rem 1rem; margin: 0.3rem 0.2rem 0; }
.readouts:empty { display: none; }
.readouts div { display: flex; gap: 0.35rem; }
.readouts dt { opacity: 0.85; }
.readouts dd { margin: 0; font-variant-numeric: tabular-nums; }
.beat { max-width: 36rem; }
.beat p { margin: 0; padding-left: 0.9rem; border-left: 3px solid transparent; }
.beat[aria-current] p { border-left-color: var(--now); }
.beat img { display: block; width: 100%; height: auto; margin: 0.8rem 0 2rem; }
/* with script: the figure sticks, the paragraphs scroll past it */
.js .story { padding: 12vh 0 60vh; }
.js .beat { margin: 0 0 50vh; }
.js section + section { margin-top: -20vh; }
html:not(.js) .figure { display: none; }
html:not(.js) .beat { margin: 0 auto 2.5rem; }
@media (min-width: 900px) {
  .js .layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr);
                gap: 2.5rem; align-items: start; }
  .js .figure { grid-column: 2; grid-row: 1; position: sticky; top: 12vh; }
  .js .story { grid-column: 1; grid-row: 1; }
}
@media (max-width: 899px) {
  .js .layout { padding: 0 1rem; }
  .js .figure { position: sticky; top: 0; z-index: 1; margin: 0 -1rem; border-radius: 0;
                padding: 0.4rem 1rem; }
  .js .figure video { max-height: 36vh; object-fit: contain; }
  .js .figure figcaption { position: absolute; width: 1px; height: 1px; overflow: hidden;
                           clip-path: inset(50%); white-space: nowrap; }
  .readouts { font-size: 14px; }
  .js .beat { margin-left: auto; margin-right: auto; }
  .js section h2 { max-width: 36rem; margin-left: auto; margin-right: auto; }
  body { font-size: 18px; }
}
@media (prefers-reduced-motion: reduce) { html { scroll-behavior: auto; } }
@media print { .figure { display: none; } .js .beat { margin: 0 0 1rem; } }
"""

SCRIPT = r"""
const S = JSON.parse(document.getElementById('state').textContent);
const video = document.getElementById('video');
const figure = document.getElementById('figure');
const caption = document.getElementById('caption');
const list = document.getElementById('readouts');
const beats = [...document.querySelectorAll('.beat')];
const reduce = matchMedia('(prefers-reduced-motion: reduce)');
let active = -1, target = null, block = null, cells = [];

const at = f => (f + 0.5) / S.fps;  // the middle of frame f's display interval
const end = i => S.steps[i].end - 1;  // a beat's last frame

function text(x, places) {  // as the html figure prints numbers
  if (x === null || x === undefined) return '—';
  if (Array.isArray(x)) return '(' + x.map(v => text(v, places)).join(', ') + ')';
  if (typeof x === 'number') return x.toFixed(places).replace(/^-(0\.?0*)$/, '$1');
  return String(x);
}

function show(f) {  // the readouts of frame f
  figure.dataset.frame = String(f);
  const b = S.readouts.find(r => f >= r.start && f < r.start + r.frames.length) || null;
  if (b !== block) {
    block = b;
    list.replaceChildren();
    cells = [];
    for (const r of (b ? b.readouts : [])) {
      const row = document.createElement('div');
      const dt = document.createElement('dt'), dd = document.createElement('dd');
      dt.textContent = r.name;
      dd.dataset.key = r.key;
      dd.dataset.places = r.decimals;
      row.append(dt, dd);
      list.append(row);
      cells.push(dd);
    }
  }
  if (!b) return;
  const now = b.frames[f - b.start];
  for (const cell of cells) {
    const x = now[cell.dataset.key] ?? null;
    cell.textContent = text(x, +cell.dataset.places);
    cell.dataset.value = JSON.stringify(x);
  }
}

function hold(f) {  // frame f, paused
  target = null;
  video.pause();
  video.currentTime = at(f);
  show(f);
  document.body.dataset.state = 'held';
}

function check(now, meta) {  // while a beat plays: follow the frames, stop on its last
  const f = Math.round(meta.mediaTime * S.fps);
  if (target === null) return;
  if (f >= end(target)) hold(end(target));
  else { show(f); video.requestVideoFrameCallback(check); }
}

function play(i) {  // from the frame shown if it is just before or inside beat i
  const s = S.steps[i], frame = video.currentTime * S.fps;
  if (!(frame >= s.start - 1 && frame < s.end - 0.5)) video.currentTime = at(s.start);
  target = i;
  document.body.dataset.state = 'playing';
  const started = video.play();
  if (started) started.catch(() => { if (target === i) hold(end(i)); });
  if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(check);
}

function activate(i) {  // i: the paragraph being read (-1: none yet)
  if (i === active) return;
  const forward = i > active;
  active = i;
  beats.forEach((b, k) => (k === i ? b.setAttribute('aria-current', 'true')
                                   : b.removeAttribute('aria-current')));
  const words = S.steps[Math.max(i, 0)].caption;
  caption.textContent = words;
  video.setAttribute('aria-label', words);
  if (i < 0) hold(0);
  else if (forward && !reduce.matches) play(i);
  else hold(end(i));
}

function follow() {  // the paragraph whose top has passed the middle of the viewport
  const y = innerHeight / 2;
  let i = -1;
  beats.forEach((b, k) => { if (b.getBoundingClientRect().top <= y) i = k; });
  activate(i);
}

let queued = false;
function later() {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => { queued = false; follow(); });
}
video.addEventListener('timeupdate', () => {  // without frame callbacks
  if (target !== null && !('requestVideoFrameCallback' in video)
      && Math.round(video.currentTime * S.fps) >= end(target)) hold(end(target));
});
video.addEventListener('ended', () => { if (target !== null) hold(end(target)); });
for (const link of document.querySelectorAll('.outline a')) {  // to the middle, below the figure
  link.addEventListener('click', (ev) => {
    const to = document.getElementById(link.hash.slice(1));
    const beat = to && (to.closest('.beat') || to.parentElement.querySelector('.beat'));
    if (!beat) return;
    ev.preventDefault();
    beat.scrollIntoView({ block: 'center' });
    history.replaceState(null, '', link.hash);
  });
}
addEventListener('scroll', later, { passive: true });
addEventListener('resize', later);
show(0);
follow();
"""


ARTICLE = Article("article", "article.html", "text/html", "page")
