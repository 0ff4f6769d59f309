"""Helpers shared by the tests of several apps (not installed with motcua, like bench/)."""

import os
import re
import shutil

import pytest

PACKAGES = {
    "soffice": "libreoffice-writer-nogui",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "zbarimg": "zbar-tools",
}


def need(tool: str) -> str:
    """The path of `tool`; without it the test fails under CI (which must install it) and skips locally."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is missing: apt-get install {PACKAGES.get(tool, tool)}"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must install it).")
        pytest.skip(f"{message}; this test reads documents with it.")
    return path


def last_code(texted: list[tuple[str, str]], phone: str) -> str:
    """The six digits of the last code texted to `phone` (see the `texted` fixture)."""
    text = next(text for to, text in reversed(texted) if to == phone)
    return re.search(r"\b(\d{6})\b", text).group(1)
