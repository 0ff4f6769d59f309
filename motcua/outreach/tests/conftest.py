import struct
import wave
from pathlib import Path

import pytest

from testkit import need


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def voice():
    """espeak-ng and lame, the two programs that make a bulletin's sound (CI installs them)."""
    need("espeak-ng")
    need("lame")


def write_wav(path: Path, samples: list[int], *, rate: int = 22050) -> Path:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return path
