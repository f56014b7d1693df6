"""MP4 (H.264): the <video> source every browser plays; AAC narration."""

from __future__ import annotations

from ..encode import MP4 as CODEC
from .base import Video

AAC = ("aac", "-b:a", "128k", "-ar", "48000")
MP4 = Video("mp4", "mp4", "video/mp4", audio=AAC, stream=CODEC, codec=CODEC, what="MP4 encoding")
