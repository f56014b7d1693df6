"""Voices, offline: espeak-ng and piper give the same audio for the same text, normalised to
−16 LUFS at 48 kHz, trimmed so speech starts at once, cached by text and engine; the author's
recordings replace synthesis and are checked; missing engines and unspeakable text are named
before anything renders."""

from __future__ import annotations

import re
import wave
from pathlib import Path

import numpy as np
import pytest

from narration import Line
from studio import voice
from studio.audio import loudness

SENTENCE = "The gradient of f is minus lambda times the gradient of g, with lambda 2.32."
LINES = {"touch": Line("touch", "∇f = −λ∇g, λ = 2.32.", SENTENCE)}


def lead_in(path: Path) -> float:
    """Seconds before the first sample louder than −50 dBFS."""
    with wave.open(str(path)) as w:
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2") / 32768
        rate = w.getframerate()
    loud = np.flatnonzero(np.abs(samples) > 10 ** (-50 / 20))
    return loud[0] / rate


@pytest.mark.parametrize("engine", ["espeak", "piper"])
def test_speech_is_deterministic_normalised_and_starts_at_once(engine, tmp_path):
    voice.check(engine, LINES, "test")
    first = voice.speak(engine, LINES, {}, tmp_path / "a")["touch"]
    again = voice.speak(engine, LINES, {}, tmp_path / "b")["touch"]
    assert first.path.read_bytes() == again.path.read_bytes()  # the same text, the same audio
    with wave.open(str(first.path)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (48_000, 1, 2)
    assert 2.5 < first.seconds < 8.0
    assert loudness(first.path) == pytest.approx(-16.0, abs=1.0)
    assert lead_in(first.path) < 0.02  # well within one frame


def test_speech_is_cached_by_text_and_engine(tmp_path):
    clip = voice.speak("espeak", LINES, {}, tmp_path)["touch"]
    stamp = clip.path.stat().st_mtime_ns
    assert voice.speak("espeak", LINES, {}, tmp_path)["touch"].path.stat().st_mtime_ns == stamp
    other = {"touch": Line("touch", "x", SENTENCE + " Again.")}
    assert voice.speak("espeak", other, {}, tmp_path)["touch"].path != clip.path
    assert voice.speak("piper", LINES, {}, tmp_path)["touch"].path != clip.path
    assert voice.speak("none", LINES, {}, tmp_path) == {}


def _wav(path: Path, rate: int, width: int, seconds: float = 1.0, channels: int = 1) -> Path:
    t = np.arange(int(rate * seconds)) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        if width == 1:
            data = ((tone + 1) * 127.5).astype(np.uint8)
        else:
            data = (tone * 32767).astype("<i2")
        w.writeframes(np.repeat(data, channels).tobytes())
    return path


def test_a_recording_replaces_synthesis_and_is_normalised(tmp_path):
    folder = tmp_path / "voice" / "tangency"
    folder.mkdir(parents=True)
    _wav(folder / "touch.wav", 44_100, 2, seconds=3.0, channels=2)
    found = voice.recordings_for(tmp_path / "voice", "tangency", LINES)
    assert found == {"touch": folder / "touch.wav"}
    clip = voice.speak("espeak", LINES, found, tmp_path / "cache")["touch"]
    assert clip.seconds == pytest.approx(3.0, abs=0.01)
    assert loudness(clip.path) == pytest.approx(-16.0, abs=1.0)


@pytest.mark.parametrize(
    ("rate", "width", "name", "words"),
    [
        (48_000, 1, "touch.wav", ["touch.wav", "8-bit", "16- or 24-bit PCM WAV"]),
        (8_000, 2, "touch.wav", ["touch.wav", "8000 Hz", "16 kHz or more"]),
        (48_000, 2, "tuch.wav", ["tuch.wav", "no beat 'tuch'"]),
    ],
)
def test_bad_recordings_are_named(tmp_path, rate, width, name, words):
    folder = tmp_path / "tangency"
    folder.mkdir()
    _wav(folder / name, rate, width)
    with pytest.raises(voice.VoiceError) as info:
        voice.recordings_for(tmp_path, "tangency", LINES)
    for word in words:
        assert word in str(info.value), str(info.value)


def test_a_recording_that_is_not_wav_is_named(tmp_path):
    (tmp_path / "tangency").mkdir()
    (tmp_path / "tangency" / "touch.wav").write_bytes(b"ID3\x03 an mp3 renamed")
    with pytest.raises(voice.VoiceError, match=r"touch\.wav: not a PCM WAV file"):
        voice.recordings_for(tmp_path, "tangency", LINES)


def _silent(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(48_000)
        w.writeframes(np.zeros(int(48_000 * seconds), dtype="<i2").tobytes())
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: _silent(p, 0.0), ["touch.wav: no speech in it", "record beat 'touch' again"]),
        (lambda p: _silent(p, 3.0), ["touch.wav: no speech in it"]),
        (lambda p: _wav(p, 16_000, 2, seconds=31.0), ["31.0 s", "at most 30 s"]),
        (lambda p: p.mkdir(), ["touch.wav: not a file", "beat 'touch'"]),
        (lambda p: p.symlink_to(p), ["touch.wav: not a file"]),  # a loop
        (lambda p: p.write_bytes(b"RIFF\x10"), ["not a PCM WAV file (it ends early)"]),  # cut short
    ],
)
def test_recordings_without_speech_too_long_or_not_files_are_refused(tmp_path, make, words):
    """Checked before anything renders, each with one line naming the file and what to do."""
    (tmp_path / "tangency").mkdir()
    make(tmp_path / "tangency" / "touch.wav")
    with pytest.raises(voice.VoiceError) as info:
        voice.recordings_for(tmp_path, "tangency", LINES)
    assert "\n" not in str(info.value) and "()" not in str(info.value)
    for word in words:
        assert word in str(info.value), str(info.value)


def test_a_24_bit_recording_with_speech_passes(tmp_path):
    (tmp_path / "tangency").mkdir()
    _wav(tmp_path / "tangency" / "touch.wav", 48_000, 3, seconds=1.0)
    assert voice.recordings_for(tmp_path, "tangency", LINES) == {
        "touch": tmp_path / "tangency" / "touch.wav"
    }


def test_missing_engines_and_unspeakable_text_are_named(monkeypatch):
    with pytest.raises(voice.VoiceError, match="beat 'touch': a voice cannot read"):
        voice.check("espeak", {"touch": Line("touch", "∇f", "∇f = −λ∇g")}, "x.toml")
    monkeypatch.setattr(voice.shutil, "which", lambda name: None)
    with pytest.raises(voice.VoiceError, match="espeak-ng is not installed"):
        voice.check("espeak", LINES, "x.toml")
    monkeypatch.setattr(voice.Piper, "program", property(lambda self: Path("/nonexistent")))
    with pytest.raises(voice.VoiceError, match=re.escape("pip install -e '.[piper]'")):
        voice.check("piper", LINES, "x.toml")
