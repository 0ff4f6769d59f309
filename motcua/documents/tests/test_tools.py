"""Tests that read documents with LibreOffice, poppler or zbar fail under CI without them, skip locally."""

import pytest

from .tools import need


def test_a_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must install it"):
        need("soffice-that-is-not-installed")


def test_a_missing_tool_skips_locally_with_its_package_name(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(pytest.skip.Exception, match="apt-get install libreoffice-writer-nogui"):
        need("soffice")
