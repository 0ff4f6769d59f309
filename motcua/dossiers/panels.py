"""Sections that other apps add to the citizen's dossier page (payments shows how to pay), so that the
dossiers app shows them without knowing those apps. Registered from the other app's `AppConfig.ready`."""

from collections.abc import Callable

_panels: list[tuple[str, Callable]] = []


def add_panel(template: str, context: Callable) -> None:
    """Show `template` on the citizen's dossier page when `context(dossier)` returns a dict (merged into
    the page's context); None leaves the section out."""
    if (template, context) not in _panels:
        _panels.append((template, context))


def panels_for(dossier) -> tuple[list[str], dict]:
    """The templates to include and the context they need."""
    templates: list[str] = []
    context: dict = {}
    for template, make in _panels:
        extra = make(dossier)
        if extra is not None:
            templates.append(template)
            context.update(extra)
    return templates, context
