"""WebM (VP9): the first <video> source, smaller than the MP4; Opus narration."""

from __future__ import annotations

from ..encode import WEBM as CODEC
from .base import Video

OPUS = ("libopus", "-b:a", "96k", "-ar", "48000")
WEBM = Video(
    "webm", "webm", "video/webm", audio=OPUS, stream=CODEC, codec=CODEC, what="WebM encoding"
)
