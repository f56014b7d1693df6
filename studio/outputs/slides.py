"""`-f slides`: `<name>.slides.html`, the render as a lecturer's deck. One self-contained page
(the video inlined as the html figure inlines it, the stills of every step, inline CSS and
script, no network), one step per beat (`studio.outputs.story`; the explainer's cards are
steps too).

Contract (tests/test_slides.py checks it in Chromium): the current step is the element with
`aria-current="step"` and `data-beat="<scene>/<beat id>"` (a card's: `explainer/<card id>`);
the URL hash keeps it, counted from 1 (`#step=12`). → ↓ Space PageDown Enter (a clicker's
keys) advance: the step plays its beat's span and holds its last frame; ← ↑ PageUp Backspace
go back, Home and End to the ends, each showing that step's last frame at once, as a hash
does. `N` shows the notes (the beat's spoken text and the script's `notes`); `P` opens the
presenter view: the same file with `#presenter` in a second window (current and next step,
the notes, a clock) that follows the main window (postMessage through `window.opener`, and a
BroadcastChannel) and steers it with the same keys. Printing gives one page per step: its
last frame, its caption, its notes. Readers who ask for reduced motion get each step's last
frame without it playing; without script the page is the handout.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from narration.script import page_words

from ..manifest import Manifest
from .story import Story, StoryOutput


@dataclass(frozen=True)
class Slides(StoryOutput):
    def page(self, story: Story) -> str:
        return page(story)

    def snippet(self, m: Manifest) -> list[str]:
        file = m.files[self.name]
        title = page_words(m.lang, "slides", "link", title=m.title)
        return [
            page_words(m.lang, "slides", "snippet", link=f"{file}#step=3"),
            "",
            "```html",
            f'<a href="{html.escape(file)}">{html.escape(title)}</a>',
            "```",
            "",
        ]

    def card(self, m: Manifest) -> str:
        e = html.escape
        title = page_words(m.lang, "slides", "link", title=m.title)
        return f'<a href="{e(m.files[self.name])}">{e(title)}</a>'


def page(story: Story) -> str:
    e = html.escape
    w = {k: e(v) for k, v in page_words(story.lang, "slides", "page").items()}
    n = len(story.steps)
    if not n:
        raise ValueError("slides need at least one beat")
    items = []
    for i, (step, still) in enumerate(zip(story.steps, story.stills, strict=True)):
        notes = "".join(f"<p>{e(text)}</p>" for text in (step.spoken, step.notes) if text)
        chapter = f'<p class="chapter">{e(step.chapter)}</p>' if step.chapter else ""
        items.append(
            f'<li class="step" id="step-{i + 1}" data-beat="{e(step.beat)}">{chapter}'
            f'<img class="still" src="{still}" width="{story.width}" height="{story.height}" '
            f'alt="{e(step.caption)}">'
            f'<p class="caption">{e(step.caption)}</p>'
            f'<aside class="notes" aria-label="{w["notes"]}"><h2>{w["notes"]}</h2>{notes}</aside>'
            f'<p class="number">{i + 1} / {n}</p></li>'
        )
    steps = "\n".join(items)
    return f"""<!doctype html>
<html lang="{e(story.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(story.title)}: {w["slides"]}</title>
<script>document.documentElement.classList.add('js');</script>
<style>:root {{ --background: {story.background}; --text: {story.text}; }}{CSS}</style>
</head>
<body>
<main class="deck" aria-label="{e(story.title)}: {w["slides"]}">
<div class="bar">
<button id="prev" type="button" aria-label="{w["previous"]}">‹</button>
<span id="count" aria-live="polite">1 / {n}</span>
<button id="next" type="button" aria-label="{w["next"]}">›</button>
<span class="hint">{w["hint"]}</span>
<span id="clock" class="clock"></span>
</div>
<div class="stage">
<video id="video" muted playsinline preload="auto" src="{story.video}"
 aria-label="{e(story.alt_text)}"></video>
</div>
<p class="up-next">{w["up_next"]}</p>
<ol class="steps">
{steps}
</ol>
</main>
<script type="application/json" id="state">{story.state()}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""


CSS = """
@page { size: A4 landscape; margin: 12mm; }
html, body { margin: 0; }
body { font: 18px/1.4 system-ui, sans-serif; background: var(--background);
       color: var(--text); }
button { font: inherit; color: inherit; background: transparent; min-width: 44px;
         min-height: 36px; border: 1px solid currentColor; border-radius: 6px; cursor: pointer; }
.steps { list-style: none; margin: 0; padding: 0.5rem 1rem; }
.step { margin: 0 auto 2rem; max-width: 60rem; }
.still { display: block; width: 100%; height: auto; }
.caption { font-size: clamp(17px, 2.4vw, 30px); margin: 0.3em 0; text-align: center; }
.chapter { margin: 0; text-align: center; font-weight: 600; opacity: 0.85; }
.notes h2 { font-size: 0.8em; margin: 0.4em 0 0; text-transform: uppercase;
            letter-spacing: 0.05em; opacity: 0.85; }
.notes p { margin: 0.3em 0; }
.number { margin: 0; text-align: center; font-size: 0.8em; opacity: 0.85; }
.bar, .stage, .up-next, .clock { display: none; }
/* with script: a deck */
.js .deck { display: flex; flex-direction: column; height: 100vh; height: 100dvh; }
.js .stage { display: flex; flex: 1 1 auto; min-height: 0; cursor: pointer; }
.js .stage video { width: 100%; height: 100%; object-fit: contain; display: block; }
.js .bar { display: flex; order: 3; gap: 0.6rem; align-items: center; justify-content: center;
           padding: 0.3rem 0.5rem 0.5rem; font-size: 15px; }
.js .steps { flex: none; max-height: 40vh; overflow: auto; padding: 0.2rem 1rem; }
.js .step { display: none; margin: 0 auto; }
.js .step[aria-current="step"] { display: block; }
.js .step .still, .js .step .number, .js .notes { display: none; }
.js .show-notes .step[aria-current="step"] .notes { display: block; max-width: 46rem;
                                                     margin: 0 auto; }
@media (max-width: 600px) { .hint { display: none; } body { font-size: 16px; } }
/* the presenter view: current step, next step, notes, a clock */
.presenter .deck { display: grid; grid-template-columns: 3fr 2fr;
                   grid-template-rows: auto minmax(0, 1fr) minmax(0, 1fr);
                   grid-template-areas: "bar bar" "stage upnext" "now upnext"; gap: 0.5rem; }
.presenter .bar { grid-area: bar; order: 0; }
.presenter .stage { grid-area: stage; }
.presenter .steps { display: contents; }
.presenter .step[aria-current="step"] { grid-area: now; overflow: auto; padding: 0 1rem; }
.presenter .step[aria-current="step"] .notes { display: block; font-size: 1.15em; }
.presenter .caption { text-align: left; font-size: 20px; }
.presenter .up-next { display: block; grid-area: upnext; margin: 0 1rem; font-weight: 600; }
.presenter .step.next { display: block; grid-area: upnext; padding: 1.8rem 1rem 0; }
.presenter .step.next .still { display: block; }
.presenter .clock { display: inline; font-variant-numeric: tabular-nums; margin-left: 1rem; }
@media (prefers-reduced-motion: reduce) { * { scroll-behavior: auto; } }
/* the handout: one page a step */
@media print {
  body { background: #fff; color: #000; font-size: 12pt; }
  .js .deck { display: block; height: auto; }
  .bar, .stage, .up-next, .js .bar, .js .stage { display: none !important; }
  .steps, .js .steps { display: block; max-height: none; overflow: visible; padding: 0; }
  .step, .js .step { display: block !important; margin: 0; max-width: none;
                     break-after: page; break-inside: avoid; }
  .step:last-child { break-after: auto; }
  .step .still, .js .step .still { display: block !important; width: auto; max-width: 100%;
                                   max-height: 105mm; margin: 0 auto; }
  .step .notes, .js .step .notes { display: block !important; }
  .step .number, .js .step .number { display: block !important; }
  .caption { font-size: 16pt; }
}
"""

SCRIPT = r"""
const S = JSON.parse(document.getElementById('state').textContent);
const video = document.getElementById('video');
const steps = [...document.querySelectorAll('.step')];
const count = document.getElementById('count');
const clock = document.getElementById('clock');
const reduce = matchMedia('(prefers-reduced-motion: reduce)');
const presenter = /^#(.*&)?presenter(&|$)/.test(location.hash);
const me = Math.random().toString(36).slice(2);  // this window, in messages
const heard = {};  // the last message number heard from each window
const channel = 'BroadcastChannel' in window ? new BroadcastChannel('slides:' + S.name) : null;
const last = S.steps.length - 1;
let current = -1, target = null, said = 0, viewer = null;

const at = f => (f + 0.5) / S.fps;  // the middle of frame f's display interval
const end = i => S.steps[i].end - 1;  // a step's last frame

function hold(i) {  // step i's last frame, at once
  target = null;
  video.pause();
  video.currentTime = at(end(i));
  document.body.dataset.state = 'held';
}

function check(now, meta) {  // while a step plays: stop on its last frame
  if (target === null) return;
  if (meta.mediaTime * S.fps + 0.5 >= end(target)) hold(target);
  else video.requestVideoFrameCallback(check);
}

function play(i) {  // from the frame shown if it is just before or inside step i
  const s = S.steps[i], frame = video.currentTime * S.fps;
  if (!(frame >= s.start - 1 && frame < s.end - 0.5)) video.currentTime = at(s.start);
  target = i;
  document.body.dataset.state = 'playing';
  const started = video.play();
  if (started) started.catch(() => { if (target === i) hold(i); });
  if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(check);
}

function send(msg) {
  said += 1;
  msg = { ...msg, from: me, n: said };
  const other = presenter ? window.opener : viewer;
  try { if (other && !other.closed) other.postMessage(msg, '*'); } catch (e) { /* gone */ }
  if (channel) channel.postMessage(msg);
}

function go(i, forward) {  // show step i: play it when it is the next one, else its end
  i = Math.max(0, Math.min(last, i));
  const advance = forward && i === current + 1;
  steps.forEach((el, k) => {
    if (k === i) el.setAttribute('aria-current', 'step');
    else el.removeAttribute('aria-current');
    el.classList.toggle('next', k === i + 1);
  });
  count.textContent = (i + 1) + ' / ' + S.steps.length;
  current = i;
  history.replaceState(null, '', (presenter ? '#presenter&' : '#') + 'step=' + (i + 1));
  if (advance && !reduce.matches) play(i); else hold(i);
  if (!presenter) send({ step: i, forward: advance });
}

function ask(i, forward) {  // the presenter view steers the main window, if it is there
  if (presenter && window.opener && !window.opener.closed) send({ go: i, forward });
  else go(i, forward);
}

function receive(msg) {
  if (!msg || typeof msg !== 'object' || msg.from === me) return;
  if ((heard[msg.from] || 0) >= msg.n) return;  // the same message by the other route
  heard[msg.from] = msg.n;
  if (presenter && typeof msg.step === 'number') go(msg.step, msg.forward);
  else if (!presenter && typeof msg.go === 'number') go(msg.go, msg.forward);
  else if (!presenter && msg.hello) send({ step: current, forward: false });
}

function openPresenter() {
  const base = location.href.split('#')[0];
  if (viewer && !viewer.closed) { viewer.focus(); return; }
  viewer = window.open(base + '#presenter&step=' + (current + 1), 'presenter-' + S.name,
                       'width=1100,height=720');
}

function fromHash() {
  const m = location.hash.match(/step=(\d+)/);
  return m ? Math.max(1, Math.min(S.steps.length, parseInt(m[1], 10))) - 1 : null;
}

const NEXT = ['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'];
const BACK = ['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'];
document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;  // Ctrl+P prints
  const k = ev.key;
  if (ev.target.tagName === 'BUTTON' && (k === ' ' || k === 'Enter')) return;
  if (k === ' ' && ev.shiftKey) ask(current - 1, false);
  else if (NEXT.includes(k)) ask(current + 1, true);
  else if (BACK.includes(k)) ask(current - 1, false);
  else if (k === 'Home') ask(0, false);
  else if (k === 'End') ask(last, false);
  else if (k === 'n' || k === 'N') document.body.classList.toggle('show-notes');
  else if ((k === 'p' || k === 'P') && !presenter) openPresenter();
  else return;
  ev.preventDefault();
});
document.getElementById('next').addEventListener('click', () => ask(current + 1, true));
document.getElementById('prev').addEventListener('click', () => ask(current - 1, false));
document.querySelector('.stage').addEventListener('click', () => ask(current + 1, true));
video.addEventListener('timeupdate', () => {  // without frame callbacks
  if (target !== null && !('requestVideoFrameCallback' in video)
      && video.currentTime * S.fps + 0.5 >= end(target)) hold(target);
});
video.addEventListener('ended', () => { if (target !== null) hold(target); });
window.addEventListener('hashchange', () => {
  const i = fromHash();
  if (i !== null && i !== current) go(i, false);
});
window.addEventListener('message', (ev) => receive(ev.data));
if (channel) channel.onmessage = (ev) => receive(ev.data);

if (presenter) {
  document.body.classList.add('presenter');
  const opened = Date.now();
  const two = x => String(x).padStart(2, '0');
  const tick = () => {
    const s = Math.floor((Date.now() - opened) / 1000), now = new Date();
    clock.textContent = two(Math.floor(s / 60)) + ':' + two(s % 60) + ' · '
      + two(now.getHours()) + ':' + two(now.getMinutes());
  };
  tick();
  setInterval(tick, 1000);
}
const start = fromHash();
if (start !== null) go(start, false); else go(0, true);
if (presenter) send({ hello: true });
"""


SLIDES = Slides("slides", "slides.html", "text/html", "page")
