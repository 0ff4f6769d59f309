"""Keyset paging for long lists (the back-office queue, a citizen's dossiers): a page starts after (or ends
before) the row a link names by its sort key, so a page costs the same on row 25 as on row 250,000, with no
OFFSET and no COUNT(*) of the whole list.

A list is sorted by `keys`, (field, descending) pairs ending with the primary key; every field's NULLs come
last, in either direction. The cursor in a link ("?sau=…" for the next page, "?truoc=…" for the previous
one) is the key of the last (or first) row shown: datetimes as microseconds since 1970 UTC, integers as
they are, "-" for NULL, joined by ".". A cursor that does not parse is the first page.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import F, Q, QuerySet

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
AFTER, BEFORE = "sau", "truoc"  # the query parameters of the next and the previous page


@dataclass
class Page:
    """One page of rows, with the cursors of its neighbours (None: no such page)."""

    object_list: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    query: dict = field(default_factory=dict)  # the list's other parameters, kept in the links

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)

    @property
    def next_url(self) -> str:
        return "?" + urlencode({**self.query, AFTER: self.next_cursor}) if self.next_cursor else ""

    @property
    def previous_url(self) -> str:
        return "?" + urlencode({**self.query, BEFORE: self.previous_cursor}) if self.previous_cursor else ""


def encode(values) -> str:
    parts = []
    for value in values:
        if value is None:
            parts.append("-")
        elif isinstance(value, dt.datetime):
            delta = value - EPOCH
            parts.append(str((delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds))
        else:
            parts.append(str(int(value)))
    return ".".join(parts)


def decode(cursor: str, kinds) -> list | None:
    """The values of a cursor, by the kinds of the keys ("datetime" or "int"), or None if it is not one."""
    parts = cursor.split(".")
    if len(parts) != len(kinds) or len(cursor) > 200:
        return None
    values = []
    for part, kind in zip(parts, kinds, strict=True):
        if part == "-":
            values.append(None)
            continue
        if not (part.isascii() and part.lstrip("-").isdigit()):
            return None
        number = int(part)
        if kind == "datetime":
            try:
                values.append(EPOCH + dt.timedelta(microseconds=number))
            except OverflowError:
                return None
        else:
            values.append(number)
    return values if values[-1] is not None else None  # the primary key is never NULL


def _order(keys, forward: bool):
    nulls = {"nulls_last": True} if forward else {"nulls_first": True}
    order = []
    for name, descending in keys:
        if descending == forward:  # descending forward, or ascending read backwards
            order.append(F(name).desc(**nulls))
        else:
            order.append(F(name).asc(**nulls))
    return order


def _beyond(name: str, descending: bool, value, forward: bool) -> Q:
    """Rows strictly past `value` on one key, in the direction read (NULLs are last going forward)."""
    if forward:
        if value is None:
            return Q(pk__in=[])
        past = Q(**{f"{name}__lt" if descending else f"{name}__gt": value})
        return past | Q(**{f"{name}__isnull": True})
    if value is None:
        return Q(**{f"{name}__isnull": False})
    return Q(**{f"{name}__gt" if descending else f"{name}__lt": value})


def _equal(name: str, value) -> Q:
    return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def past(keys, values, forward: bool) -> Q:
    """The rows after (forward) or before the row whose sort key is `values`."""
    condition = Q(pk__in=[])
    for i in reversed(range(len(keys))):
        name, descending = keys[i]
        here = _beyond(name, descending, values[i], forward)
        condition = here | (_equal(name, values[i]) & condition) if i < len(keys) - 1 else here
    return condition


def first_page(rows: QuerySet, keys, fields, size: int) -> QuerySet:
    """The query of the first page of `rows`, as `page` reads it (with one row more, to know if there is
    a next page): for a list whose first page is a prepared query."""
    return rows.order_by(*_order(keys, True)).values_list(*fields)[: size + 1]


def page(rows, keys, kinds, params, size: int, fields, *, first=None) -> Page:
    """The page of `rows` (a queryset, or a function that makes it, of rows holding `fields`, which include
    the keys) the request's `params` ask for: the first one, the one after ?sau= or the one before
    ?truoc=. `first`: a function giving the first page's rows as `first_page` would (a prepared query,
    the page nearly every visit reads); then `rows` is made only for another page."""
    query = {k: v for k, v in params.items() if k not in (AFTER, BEFORE, "trang") and v}
    names = [name for name, _ in keys]
    after = decode(params.get(AFTER, ""), kinds) if params.get(AFTER) else None
    before = decode(params.get(BEFORE, ""), kinds) if params.get(BEFORE) and after is None else None
    forward = before is None
    if first is not None and forward and after is None:
        found = list(first())
    else:
        rows = rows() if callable(rows) else rows
        if after is not None:
            rows = rows.filter(past(keys, after, True))
        elif before is not None:
            rows = rows.filter(past(keys, before, False))
        found = list(rows.order_by(*_order(keys, forward)).values_list(*fields)[: size + 1])
    more = len(found) > size
    found = found[:size]
    if not forward:
        found.reverse()
    result = Page(found, query=query)
    if found:
        first = [found[0][fields.index(n)] for n in names]
        last = [found[-1][fields.index(n)] for n in names]
        if (forward and more) or not forward:
            result.next_cursor = encode(last)
        if after is not None or (not forward and more):
            result.previous_cursor = encode(first)
    return result
