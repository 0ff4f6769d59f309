"""Catalogue texts in the reader's language: `{{ procedure|tr:"name" }}`, `{{ basis|tr:"title" }}`.

In English a text not yet translated is shown in Vietnamese inside `<span lang="vi">`; `tr_plain` gives
the bare text for a <title> or an attribute, where markup cannot go.
"""

from django import template

from motcua.catalog.models import Translated, shown_item

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    if isinstance(obj, Translated):
        return obj.tr(field)
    return shown_item(obj, field) if isinstance(obj, dict) else ""


@register.filter
def tr_plain(obj, field: str) -> str:
    if isinstance(obj, Translated):
        return obj.tr(field, marked=False)
    return shown_item(obj, field, marked=False) if isinstance(obj, dict) else ""
