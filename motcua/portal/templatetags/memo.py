"""`{% memo key ... %}...{% endmemo %}`: a part of a page rendered once per process for each language and
value of its keys, then reused — for the layout's chrome (base.html), which is the same on every page.

What is inside must depend on nothing but the active language, the keys and what is fixed while the process
runs (the URL configuration, static file names, the translations): never on the user, the session, a CSRF
token or the request, other than through a key. At most MAX_PARTS parts are kept (all forgotten beyond);
a changed setting (tests) forgets them all.
"""

from django import template
from django.core.signals import setting_changed
from django.utils.translation import get_language

register = template.Library()
MAX_PARTS = 1000
_parts: dict[tuple, str] = {}


class MemoNode(template.Node):
    # `{% extends %}` looks for blocks in the whole parent template at every render: a memo holds none.
    child_nodelists = ()

    def __init__(self, nodelist, keys, number):
        self.nodelist, self.keys, self.number = nodelist, keys, number

    def render(self, context):
        key = (
            self.origin.name if self.origin else "",
            self.number,  # the n-th memo of its template
            get_language(),
            *(str(k.resolve(context)) for k in self.keys),
        )
        part = _parts.get(key)
        if part is None:
            part = self.nodelist.render(context)
            if len(_parts) >= MAX_PARTS:
                _parts.clear()
            _parts[key] = part
        return part


@register.tag
def memo(parser, token):
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    number = parser.memo_count = getattr(parser, "memo_count", 0) + 1
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, keys, number)


@register.filter
def nav_section(path: str) -> str:
    """Which menu entry a path belongs to (its aria-current), as a memo key: 'thu-tuc', 'tin-tuc' or ''."""
    for section in ("thu-tuc", "tin-tuc"):
        if path.startswith(f"/{section}/"):
            return section
    return ""


def forget(**_kwargs) -> None:
    _parts.clear()


setting_changed.connect(forget, dispatch_uid="memo_forget_on_setting_changed")
