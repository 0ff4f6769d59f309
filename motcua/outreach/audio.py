"""Sound, offline, with two small Debian programs: `espeak-ng` (the Vietnamese voice) and `lame` (MP3).

- `speak(text, wav)`: espeak-ng reads the text into a WAV file;
- `encode(source, mp3)`: lame makes the MP3 the site serves (mono, 22.05 kHz; 32 kbit/s for the synthetic
  voice, 48 for a person's recording) from a WAV, or from an MP3 it re-encodes;
- `probe(path)`: lame decodes the file; what it cannot decode is not sound. The decoded samples give the
  length and the loudness (RMS), and the share of 50 ms windows that are not quiet — speech, not silence.

Every program gets its text on stdin and its files by path in a private temporary folder: nothing a person
typed is ever an argument of a command.
"""

import array
import math
import shutil
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

__all__ = [
    "AudioError",
    "Sound",
    "Unavailable",
    "available",
    "encode",
    "probe",
    "speak",
    "wav_length",
    "wav_sound",
]

TIMEOUT = 120  # seconds for one program: a two-minute bulletin takes well under one
QUIET = 0.02  # a 50 ms window below this RMS (of full scale) is a pause
WINDOW = 0.05


class AudioError(Exception):
    """A program failed on this input (for an upload: it is not sound it can read)."""


class Unavailable(AudioError):
    """espeak-ng or lame is not installed on this server."""


@dataclass(frozen=True)
class Sound:
    seconds: float
    rms: float  # of full scale, 0..1
    voiced: float  # share of 50 ms windows that are not quiet, 0..1

    @property
    def is_silence(self) -> bool:
        return self.rms < QUIET or self.voiced < 0.2


def available() -> dict[str, bool]:
    return {tool: shutil.which(tool) is not None for tool in ("espeak-ng", "lame")}


def _run(args: list[str], *, text: str | None = None) -> None:
    if shutil.which(args[0]) is None:
        raise Unavailable(args[0])
    try:
        result = subprocess.run(  # noqa: S603 - fixed programs; paths made by us; text on stdin
            args,
            input=text.encode("utf-8") if text is not None else None,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise AudioError(f"{args[0]}: timed out") from exc
    if result.returncode != 0:
        raise AudioError(
            f"{args[0]} ({result.returncode}): {result.stderr.decode('utf-8', 'replace')[-300:]}"
        )


def speak(text: str, wav: Path) -> None:
    """The Vietnamese voice reads `text` (UTF-8 on stdin) into `wav` (22.05 kHz, mono, 16 bit)."""
    voice = settings.BULLETIN_VOICE
    _run(
        [
            "espeak-ng",
            "-v",
            voice["voice"],
            "-s",
            str(voice["speed"]),
            "-g",
            str(voice["gap"]),
            "-b",
            "1",
            "-w",
            str(wav),
            "--stdin",
        ],
        text=text,
    )


def encode(source: Path, mp3: Path, *, kbps: int = 32, mp3_input: bool = False) -> None:
    """`source` (WAV, or MP3 with `mp3_input`) as a mono 22.05 kHz MP3 at `kbps`, without tags."""
    args = ["lame", "--silent", "-m", "m", "--resample", "22.05", "-b", str(kbps)]
    if mp3_input:
        args.append("--mp3input")
    _run([*args, str(source), str(mp3)])


def decode(source: Path, wav: Path) -> None:
    """`source` (MP3 or WAV) decoded to 16-bit WAV; AudioError when lame cannot read it."""
    _run(["lame", "--silent", "--decode", str(source), str(wav)])


def wav_length(wav: Path) -> float:
    """Seconds of a WAV file, from its header."""
    try:
        with wave.open(str(wav), "rb") as handle:
            return handle.getnframes() / handle.getframerate()
    except (wave.Error, EOFError, ZeroDivisionError) as exc:
        raise AudioError(str(exc)) from exc


def wav_sound(wav: Path) -> Sound:
    """Length, loudness and voiced share of a 16-bit PCM WAV. Long files are sampled: every n-th sample
    frame of the first channel, enough for loudness, while the length is exact."""
    with wave.open(str(wav), "rb") as handle:
        rate, channels, width = handle.getframerate(), handle.getnchannels(), handle.getsampwidth()
        frames = handle.getnframes()
        if width != 2 or rate <= 0:
            raise AudioError(f"unexpected WAV: {width * 8} bit, {rate} Hz")
        data = handle.readframes(frames)
    samples = array.array("h")
    samples.frombytes(data[: len(data) - len(data) % 2])
    if sys.byteorder == "big":
        samples.byteswap()
    frames = len(samples) // channels
    seconds = frames / rate
    if frames == 0:
        return Sound(seconds=0.0, rms=0.0, voiced=0.0)
    window = max(int(rate * WINDOW), 1)
    step = 4  # every fourth frame of a window: plenty for its loudness
    total, count, loud, windows = 0.0, 0, 0, 0
    for start in range(0, frames - window + 1, window):
        part = samples[start * channels : (start + window) * channels : channels * step]
        energy = sum(s * s for s in part)
        total, count = total + energy, count + len(part)
        windows += 1
        if part and math.sqrt(energy / len(part)) / 32768 >= QUIET:
            loud += 1
    rms = math.sqrt(total / count) / 32768 if count else 0.0
    return Sound(seconds=seconds, rms=rms, voiced=loud / windows if windows else 0.0)


def probe(source: Path, work: Path) -> Sound:
    """Decode `source` with lame and measure it; AudioError when it is not sound lame can read."""
    wav = work / "probe.wav"
    decode(source, wav)
    try:
        return wav_sound(wav)
    except (wave.Error, EOFError) as exc:
        raise AudioError(str(exc)) from exc
    finally:
        wav.unlink(missing_ok=True)
