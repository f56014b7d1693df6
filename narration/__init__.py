"""The words of every scene: one script per scene (`narration/<scene>.toml`) with its beats'
captions and spoken forms, and the model that reads, checks and fills them (standard library
only, so scenes and the studio can both use it). See `narration/script.py` for the format.
"""

from .script import (
    MAX_CUE,
    MAX_LINE,
    MAX_LINES,
    MIN_CUE,
    READING_CPS,
    SCRIPTS,
    SPEECH_PAUSE,
    Line,
    Number,
    Pacing,
    Script,
    ScriptError,
    Segment,
    fixed,
    plain,
    reading_speed,
    short_name,
    wrap,
)

__all__ = [
    "MAX_CUE",
    "MAX_LINE",
    "MAX_LINES",
    "MIN_CUE",
    "READING_CPS",
    "SCRIPTS",
    "SPEECH_PAUSE",
    "Line",
    "Number",
    "Pacing",
    "Script",
    "ScriptError",
    "Segment",
    "fixed",
    "plain",
    "reading_speed",
    "short_name",
    "wrap",
]
