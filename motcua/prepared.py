"""Read queries compiled once per process, for the few answers read on every request of an API client.

Compiling a queryset to SQL costs ~0.4-1 ms of CPU per query, more than PostgreSQL takes to answer it on a
million rows. A `Prepared` query is written as a queryset as usual; it is built once with stand-in
arguments, Django compiles it, and the SQL and its parameters are kept. Each call puts its own arguments
where the stand-ins were, runs the SQL on the current thread's connection and converts the rows with
Django's own converters (aware datetimes, JSON decoded, booleans on SQLite), as `values_list` would:

    by_code = Prepared(lambda code: Dossier.objects.filter(code=code).values_list("pk", "status"), code=str)
    rows = by_code.rows(code="000.00.00.H01-261202-0001")

`rows()` is for `values_list()` querysets (rows as lists; `columns()` makes one whose columns come in the
order given); `count()` counts the rows of any of them (a sliced one too: a capped count); `objects()`
for a model queryset, giving its instances with their `select_related` ones
built by the ORM's own populators, as iterating the queryset would. An argument is `str`, `int` or
`datetime` (aware, compared with a DateTimeField); the queryset must use it as a parameter as given (an
exact match, a comparison or a foreign key, not `iexact` or `__date`); one it does not use is ignored.
"""

import datetime as dt
import threading
from collections.abc import Callable
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, QuerySet
from django.db.models.query import get_related_populators

__all__ = ["Prepared", "columns"]

# Stand-ins: values no caller passes; integers stay within a 32-bit column's range (an out-of-range value
# makes Django drop the condition as never true).
_INT_BASE = 2_147_000_000
_DATETIME_BASE = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)  # plus n microseconds


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], **arguments: type):
        self._build = build
        self._arguments = arguments
        self._compiled: dict[str, tuple] = {}  # by database alias
        self._counting: dict[str, str] = {}
        self._lock = threading.Lock()

    def _stand_ins(self) -> dict:
        stand_ins = {}
        for n, (name, kind) in enumerate(self._arguments.items()):
            if kind is int:
                stand_ins[name] = _INT_BASE + n
            elif kind is str:
                stand_ins[name] = f"\u2983prepared:{name}\u2984"
            elif kind is dt.datetime:
                stand_ins[name] = _DATETIME_BASE + dt.timedelta(microseconds=n)
            else:
                raise TypeError(f"argument {name}: str, int or datetime, not {kind!r}")
        return stand_ins

    def _compile(self, using: str) -> tuple:
        with self._lock:
            if using in self._compiled:
                return self._compiled[using]
            stand_ins = self._stand_ins()
            queryset = self._build(**stand_ins)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            # Where each stand-in went, as given or as the backend adapted it (SQLite: a datetime as text).
            adapt = connections[using].ops.adapt_datetimefield_value
            by_value = {}
            for name, value in stand_ins.items():
                by_value[(type(value), value)] = (name, None)
                if isinstance(value, dt.datetime) and (adapted := adapt(value)) is not value:
                    by_value[(type(adapted), adapted)] = (name, adapt)
            slots = [(i, *by_value[(type(p), p)]) for i, p in enumerate(params) if (type(p), p) in by_value]
            fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
            compiled = (
                compiler,
                sql,
                list(params),
                slots,
                compiler.get_converters(fields),
                _models(queryset, compiler),
            )
            self._compiled[using] = compiled
            return compiled

    def _params(self, using: str, arguments: dict) -> tuple[tuple, list]:
        compiled = self._compiled.get(using) or self._compile(using)
        params = compiled[2].copy()
        for i, name, adapt in compiled[3]:
            params[i] = adapt(arguments[name]) if adapt else arguments[name]
        return compiled, params

    def _fetch(self, using: str, arguments: dict) -> tuple:
        compiled, params = self._params(using, arguments)
        sql = compiled[1]
        with _cursor(connections[using]) as cursor:
            cursor.execute(sql, params)
            return compiled, cursor.fetchall()

    def rows(self, using: str = DEFAULT_DB_ALIAS, **arguments) -> list[list]:
        (compiler, _sql, _params, _slots, converters, _models), rows = self._fetch(using, arguments)
        if not converters:
            return [list(row) for row in rows]
        return list(compiler.apply_converters(rows, converters))

    def count(self, using: str = DEFAULT_DB_ALIAS, **arguments) -> int:
        """How many rows the query has: `SELECT COUNT(*)` around it, prepared once as well."""
        compiled, params = self._params(using, arguments)
        counting = self._counting.get(using)
        if counting is None:
            counting = self._counting[using] = f"SELECT COUNT(*) FROM ({compiled[1]}) counted"  # noqa: S608
        with _cursor(connections[using]) as cursor:
            cursor.execute(counting, params)
            return cursor.fetchone()[0]

    def objects(self, using: str = DEFAULT_DB_ALIAS, **arguments) -> list:
        (compiler, _sql, _params, _slots, converters, models), rows = self._fetch(using, arguments)
        if models is None:
            raise TypeError("objects() needs a model queryset, not values() or values_list()")
        model, (start, end), names, mode, related = models
        if converters:  # as the queryset's results_iter, with the converters found once
            rows = compiler.apply_converters(rows, converters)
        found = []
        for row in rows:
            instance = model.from_db(using, names, row[start:end], fetch_mode=mode)
            for populator in related:
                populator.populate(row, instance)
            found.append(instance)
        return found


def _models(queryset: QuerySet, compiler) -> tuple | None:
    """What `objects()` needs to build instances from the rows of a model queryset compiled by `compiler`;
    None for values() and values_list()."""
    klass = compiler.klass_info
    if klass is None or queryset._fields is not None:
        return None
    start, end = klass["select_fields"][0], klass["select_fields"][-1] + 1
    names = [column[0].target.attname for column in compiler.select[start:end]]
    mode = queryset._fetch_mode
    related = get_related_populators(klass, compiler.select, compiler.using, mode)
    return klass["model"], (start, end), names, mode, related


def _cursor(connection):
    """A cursor for a prepared query. On PostgreSQL one that binds parameters on the server and prepares
    the statement on the connection (Django turns psycopg's automatic preparing off for poolers), so that
    PostgreSQL parses and plans it once per connection, not on every request (0.3-0.7 ms of its CPU each
    time). Behind PgBouncer in transaction mode this needs PgBouncer >= 1.21 with max_prepared_statements.
    Elsewhere, the connection's usual cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: psycopg prepares nothing, even when asked
        raw.prepare_threshold = 2**31  # still nothing by itself; these cursors ask (prepare=True)
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_preparing_cursor_class()(raw))


@cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor  # psycopg only

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


def columns(queryset: QuerySet, *values) -> QuerySet:
    """`queryset.values_list(*values)` with its columns in exactly this order (field names or expressions):
    `values_list` itself may put the columns of joined models and expressions in an order of its own."""
    named = {f"c{n}": F(v) if isinstance(v, str) else v for n, v in enumerate(values)}
    return queryset.annotate(**named).values_list(*named)
