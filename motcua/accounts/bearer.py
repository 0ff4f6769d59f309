"""Who an API bearer token belongs to, with all the access policy asks of them, in one query.

Every API request reads its token: the user, whether they are active, their officer row, the body they
work for and their roles (groups). Nothing of it is cached between requests, on purpose: an officer's
access is a public authority's, so a revoked token (signed out everywhere, a phone moved), a deactivated
account or a role taken away stops working on the very next request, on every app node — and one indexed
query costs less than the ORM compiling it would (`motcua.prepared`: compiled once per process).
"""

from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.utils import timezone

from motcua.agencies.models import BodyKind, Officer, Role
from motcua.prepared import Prepared, columns

from .models import ApiToken, User

__all__ = ["caller_for"]

_USER = [f.attname for f in User._meta.concrete_fields]
_OFFICER = [f.attname for f in Officer._meta.concrete_fields]  # from_db takes them in this order
_ROLES = frozenset(Role.values)


def _token_query(key_hash: str):
    groups = (
        User.groups.through.objects.filter(user_id=OuterRef("user_id"), group__name__in=sorted(_ROLES))
        .order_by()
        .values("user_id")
        .annotate(names=StringAgg("group__name", Value(" ")))
        .values("names")
    )
    return columns(
        ApiToken.objects.filter(key_hash=key_hash, user__is_active=True).order_by(),
        "expires_at",
        *(f"user__{name}" for name in _USER),
        *(f"user__officer__{name}" for name in _OFFICER),
        "user__officer__body__kind",
        Subquery(groups),
    )


_BY_HASH = Prepared(_token_query, key_hash=str)
_officer_of = Officer._meta.get_field("user").remote_field  # the reverse one-to-one `user.officer`


def caller_for(key_hash: str) -> User | None:
    """The active user whose unexpired token has this hash, else None. The user comes with `user.officer`
    (or none), the officer's `roles` and `body_kind` already known: reading them makes no query."""
    rows = _BY_HASH.rows(key_hash=key_hash)
    if not rows or rows[0][0] <= timezone.now():
        return None
    row = rows[0]
    user = User.from_db("default", _USER, row[1 : 1 + len(_USER)])
    rest = row[1 + len(_USER) :]
    officer_values, body_kind, groups = rest[: len(_OFFICER)], rest[-2], rest[-1]
    officer = None
    if officer_values[0] is not None:
        officer = Officer.from_db("default", _OFFICER, officer_values)
        officer.user = user
        officer.__dict__["roles"] = set((groups or "").split())  # Officer.roles, cached
        officer.__dict__["body_kind"] = body_kind or BodyKind.COMMITTEE  # Officer.body_kind, cached
    _officer_of.set_cached_value(user, officer)
    return user
