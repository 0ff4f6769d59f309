"""Background work: thin tasks taking ids; the rules are in the module that defines each task."""

from .bulletins import render_audio

__all__ = ["render_audio"]
