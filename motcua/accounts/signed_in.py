"""The signed-in person, read once per request in one statement: the user, their officer row with its agency
and body, and their role names (`Officer.roles`).

AuthenticationMiddleware asks for the user on every page; the ORM's select_related with an annotated
subquery cost more CPU to compile (~1.1 ms) than the rest of a short page's queries together. The statement
is written once per process from the models' own metadata (so a new column is read without a change here)
and its rows are turned into model instances with `Model.from_db` and the fields' database converters, as
the ORM does. Nothing is cached between requests: a role taken away, an officer row removed or an account
deactivated counts from the very next request (motcua/accounts/tests/test_signed_in.py).
"""

from functools import cache

from django.db import connections

from .models import User

AGGREGATES = {"postgresql": "STRING_AGG({}, ',')", "sqlite": "GROUP_CONCAT({}, ',')"}


class _Part:
    """One model's columns in the statement: its fields, their converters, its slice of a row."""

    def __init__(self, model, alias: str, connection, start: int):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        quote = connection.ops.quote_name
        self.columns = [f"{alias}.{quote(f.column)}" for f in self.fields]
        self.converters = []
        for i, field in enumerate(self.fields):
            col = field.get_col(alias)
            found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            if found:
                self.converters.append((i, found, col))
        self.start, self.end = start, start + len(self.fields)
        self.pk_at = self.fields.index(model._meta.pk)

    def build(self, row, connection, using: str):
        values = list(row[self.start : self.end])
        if values[self.pk_at] is None:  # no row joined
            return None
        for i, converters, col in self.converters:
            for converter in converters:
                values[i] = converter(values[i], col, connection)
        return self.model.from_db(using, self.names, values)


@cache
def _statement(using: str):
    connection = connections[using]
    aggregate = AGGREGATES.get(connection.vendor)
    if aggregate is None:
        return None
    quote = connection.ops.quote_name
    officer_model = User._meta.get_field("officer").related_model
    agency_model = officer_model._meta.get_field("agency").related_model
    body_model = officer_model._meta.get_field("body").related_model
    group_model = User._meta.get_field("groups").related_model
    through = User._meta.get_field("groups").remote_field.through
    parts = []
    start = 0
    for model, alias in ((User, "u"), (officer_model, "o"), (agency_model, "a"), (body_model, "b")):
        parts.append(_Part(model, alias, connection, start))
        start = parts[-1].end

    def table(model):
        return quote(model._meta.db_table)

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    # Only quoted table and column names from the models' metadata go into the text; the id is a parameter.
    pk = quote(User._meta.pk.column)
    names = aggregate.format(f"g.{column(group_model, 'name')}")
    roles = (
        f"(SELECT {names} FROM {table(through)} t "  # noqa: S608
        f"JOIN {table(group_model)} g ON g.{quote(group_model._meta.pk.column)} = "
        f"t.{column(through, 'group')} WHERE t.{column(through, 'user')} = u.{pk})"
    )
    columns = ", ".join(c for p in parts for c in p.columns)
    sql = (
        f"SELECT {columns}, {roles} "  # noqa: S608
        f"FROM {table(User)} u "
        f"LEFT JOIN {table(officer_model)} o ON o.{column(officer_model, 'user')} = u.{pk} "
        f"LEFT JOIN {table(agency_model)} a ON a.{quote(agency_model._meta.pk.column)} = "
        f"o.{column(officer_model, 'agency')} "
        f"LEFT JOIN {table(body_model)} b ON b.{quote(body_model._meta.pk.column)} = "
        f"o.{column(officer_model, 'body')} "
        f"WHERE u.{pk} = %s"
    )
    return sql, parts


def has_one_statement(using: str = "default") -> bool:
    """Whether the database `using` has the string aggregate the one statement needs (SQLite and
    PostgreSQL); elsewhere the caller asks the ORM instead of `signed_in_user`."""
    return _statement(using) is not None


def signed_in_user(user_id, using: str = "default"):
    """The user `user_id` with `officer` (None if not one), its `agency` and `body`, and `officer.roles`
    filled; None if there is no such user. One query, on a database where `has_one_statement`."""
    sql, (user_part, officer_part, agency_part, body_part) = _statement(using)
    try:
        user_id = User._meta.pk.to_python(user_id)
    except Exception:  # noqa: BLE001 — a session holding something else is nobody
        return None
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user = user_part.build(row, connection, using)
    officer = officer_part.build(row, connection, using)
    User._meta.get_field("officer").set_cached_value(user, officer)  # None: not an officer, no query later
    if officer is not None:
        meta = officer._meta
        meta.get_field("user").set_cached_value(officer, user)
        meta.get_field("agency").set_cached_value(officer, agency_part.build(row, connection, using))
        meta.get_field("body").set_cached_value(officer, body_part.build(row, connection, using))
        officer.remember_roles((row[-1] or "").split(","))
    return user
