"""The api app sits on top: it mounts the other apps' routers, and none of them reaches back into it."""

import ast
from pathlib import Path

import pytest

MOTCUA = Path(__file__).resolve().parents[2]
BELOW_API = [
    "agencies",
    "accounts",
    "catalog",
    "workdays",
    "dossiers",
    "payments",
    "documents",
    "notifications",
]


def imported_modules(source: Path) -> set[str]:
    """Every module `source` imports, at the top or inside a function, relative imports resolved."""
    package = ".".join(source.relative_to(MOTCUA.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            names.update([module, *(f"{module}.{alias.name}" for alias in node.names)])
    return names


@pytest.mark.parametrize("app", BELOW_API)
def test_no_app_below_the_api_imports_it(app):
    offenders = {
        str(source.relative_to(MOTCUA)): sorted(
            name
            for name in imported_modules(source)
            if name == "motcua.api" or name.startswith("motcua.api.")
        )
        for source in (MOTCUA / app).rglob("*.py")
    }
    assert {source: names for source, names in offenders.items() if names} == {}


def test_the_check_sees_a_relative_import_of_the_api(tmp_path, monkeypatch):
    monkeypatch.setattr("motcua.api.tests.test_layers.MOTCUA", tmp_path / "motcua")
    source = tmp_path / "motcua" / "dossiers" / "api.py"
    source.parent.mkdir(parents=True)
    source.write_text("def f():\n    from ..api import api\n")

    assert "motcua.api.api" in imported_modules(source)
