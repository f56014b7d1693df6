"""Colours, text sizes and gaps for every scene: one role, one colour, in every scene; a dark and a
light theme.

Roles (each colour means one thing everywhere):
- `text`: words, formulas, the moving point being tested (x₁), highlights of an exact value;
- `muted`: axes, ticks, tangent lines and other scaffolding (never an explanation);
- `f`: the loss: its level sets, ∇f, the unconstrained minimum c = x*_free;
- `g`: the constraint: the circle, disk or diamond, ∇g, the budget k (or t) and its readouts;
- `descent`: the direction along the constraint in which f decreases (and only that);
- `optimum`: the constrained optimum w*, λ, the regularisation path, what converges to w*;
- `panel`: the background of insets; `background`: the frame, and the plates under labels.

The f/g pair is the Okabe–Ito blue/orange pair, distinguishable with every common form of
colour blindness; descent is Okabe–Ito's bluish green, the optimum a yellow (dark) or reddish
purple (light). In the light theme the orange, green and grey are darkened so that every text
colour has WCAG AA contrast (4.5:1) against the background and the panel; labels drawn over
the level sets sit on plates of the background colour (`scenes.plane.plate`), because no
colour keeps 4.5:1 against the rings' fill in both themes.
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import ManimColor, interpolate_color


@dataclass(frozen=True)
class TypeScale:
    """MathTex font sizes by role. In a 768 px GIF shown in a 720 px column, a lower-case x
    at `note` size is about 6 px high: the smallest that stays legible, so nothing is drawn
    smaller (tests/test_legibility.py checks every scene)."""

    title: float = 34  # the scene's main formula or statement
    body: float = 30  # panel lines, conclusions
    label: float = 28  # labels on the plot, readouts
    note: float = 26  # tick values and short annotations


TEXT = TypeScale()


@dataclass(frozen=True)
class SpaceScale:
    """Gaps in scene units, by what they separate (a frame is 14.2 × 8 units; at the blog
    size a unit is 54 px). Layouts take their gaps from here, never from a tuned number."""

    tight: float = 0.1  # a label and the point, line or arrow it names
    line: float = 0.15  # lines of one statement; rows of one readout table
    item: float = 0.3  # items of one beat: a statement and its formula, a readout block
    section: float = 0.55  # one beat's block and the next
    edge: float = 0.4  # the frame's edges


SPACE = SpaceScale()


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str  # labels, captions, the moving point
    muted: str  # axes, tangent lines, secondary text
    f: str  # the loss: level sets, ∇f, the centre c
    g: str  # the constraint: circle / diamond, ∇g
    descent: str  # the direction along the constraint in which f decreases
    optimum: str  # w*, the constrained optimum, and the regularisation path
    panel: str  # background of insets and readouts
    ring_fill: float  # opacity of each level set's fill (they stack towards c)

    def level_color(self, fraction: float) -> ManimColor:
        """Colour of the level set a `fraction` (0 inner … 1 outer) of the way out from c:
        the f colour fading towards the background."""
        return interpolate_color(ManimColor(self.f), ManimColor(self.background), 0.65 * fraction)


DARK = Theme(
    name="dark",
    background="#101218",
    text="#ECEFF4",
    muted="#8C95A6",
    f="#56B4E9",
    g="#E69F00",
    descent="#1DB388",
    optimum="#F0E442",
    panel="#1B1F29",
    ring_fill=0.05,
)

LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    text="#1B1F24",
    muted="#5B6270",
    f="#0072B2",
    g="#B34700",
    descent="#007A5A",
    optimum="#A23B8F",
    panel="#F3F4F6",
    ring_fill=0.025,
)

THEMES = {t.name: t for t in (DARK, LIGHT)}
