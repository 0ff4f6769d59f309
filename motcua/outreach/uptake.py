"""What outreach brings, counted: a person who follows a tagged link (`?cd=&kenh=`, see `links`) carries the
tag in a signed cookie for `REMEMBER_DAYS`, so that the practice run, the help request or the filing that
follows is counted for that campaign and channel.

Counts only, no tracking of people: the cookie holds the campaign and the channel and nothing else, and a
count row holds a campaign, a channel, a step, a day and a number.

A campaign slug counts only when the campaign exists (`outreach.models.Campaign`): a link naming another is
counted for its channel alone, and an unknown slug is never stored, in a row or in the cookie. The
middleware (`campaigns_middleware`) counts the visit of a tagged link once and keeps the request's tag in
`current` while the view runs, so that a dossier filed in that request is counted too (`count_filing`,
subscribed to the lifecycle's "submit"); nothing about the tag is written on the dossier.
"""

import contextvars
import datetime as dt
import logging

from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone

from .links import Channel, Tag, clean_campaign, tag_of
from .models import Campaign, Step, Uptake

logger = logging.getLogger(__name__)

__all__ = [
    "COOKIE",
    "REMEMBER_DAYS",
    "Step",
    "add",
    "count_filing",
    "current",
    "known",
    "note",
    "remember",
    "tag_for",
    "visit",
]

COOKIE = "motcua_kenh"
SALT = "motcua.outreach.uptake"
REMEMBER_DAYS = 30
# The tag of the request being answered (set by the middleware), for code that runs with no request.
current: contextvars.ContextVar[Tag | None] = contextvars.ContextVar("outreach_tag", default=None)


def known(tag: Tag | None) -> Tag | None:
    """The tag with its campaign kept only if such a campaign exists (one indexed read when it names one)."""
    if tag is None or not tag.campaign or Campaign.objects.filter(slug=tag.campaign).exists():
        return tag
    return Tag("", tag.channel)


def tag_for(request) -> Tag | None:
    """The tag a request carries in its query, else the one remembered from an earlier tagged visit."""
    tag = tag_of(request.GET)
    if tag is not None:
        return known(tag)
    return known(_remembered(request))


def _remembered(request) -> Tag | None:
    value = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=REMEMBER_DAYS * 86400)
    campaign, _, channel = value.partition("|")
    if channel not in Channel.values:
        return None
    return Tag(clean_campaign(campaign), channel)


def remember(request, response, *, tag: Tag | None = None) -> None:
    """Keep the tag of a tagged visit in the visitor's browser (only when the query carries one; `tag`: the
    query's, already checked)."""
    tag = tag or known(tag_of(request.GET))
    if tag is not None:
        response.set_signed_cookie(
            COOKIE,
            f"{tag.campaign}|{tag.channel}",
            salt=SALT,
            max_age=REMEMBER_DAYS * 86400,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )


def note(request, step: str, *, day: dt.date | None = None) -> bool:
    """Count one `step` (a `Step` value) for the request's tag; True when it carried one."""
    tag = tag_for(request)
    if tag is None:
        return False
    add(tag, step, day=day)
    return True


def visit(request, response, *, tag: Tag | None = None) -> bool:
    """A page opened from a tagged link: counted once (not again when the browser already carries the same
    tag: a reload, the Back button) and remembered. True when it was counted. `tag`: the query's, already
    checked by `known`."""
    tag = tag or known(tag_of(request.GET))
    if tag is None:
        return False
    counted = tag != _remembered(request)  # the cookie holds a checked tag
    if counted:
        add(tag, Step.VISIT)
    remember(request, response, tag=tag)
    return counted


def count_filing(transition) -> None:
    """Subscribed to the lifecycle's "submit", inside its transaction: a dossier filed while the request
    carries a tag counts once for it (rolled back with the filing if that fails). A count that cannot be
    written is lost, never the filing: it runs in its own savepoint."""
    tag = current.get()
    if tag is not None:
        try:
            with transaction.atomic():
                add(tag, Step.FILED)
        except DatabaseError:
            logger.exception("outreach: a filing could not be counted for %s", tag)


def add(tag: Tag, step: str, *, day: dt.date | None = None, n: int = 1) -> None:
    """Add `n` to the count of `step` for `tag` on `day` (today, office time): one row per day, updated in
    place, created by whoever comes first."""
    if step not in Step.values:
        raise ValueError(f"unknown step {step!r}")
    day = day or timezone.localdate()
    connection = connections[router.db_for_write(Uptake)]
    quote, table = connection.ops.quote_name, Uptake._meta.db_table
    columns = ", ".join(quote(c) for c in ("campaign", "channel", "step", "day", "count"))
    key = ", ".join(quote(c) for c in ("campaign", "channel", "step", "day"))
    count = quote("count")
    # One statement, on PostgreSQL and SQLite alike: the day's row is created, or added to in place.
    sql = (
        f"INSERT INTO {quote(table)} ({columns}) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608 - names only
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {quote(table)}.{count} + EXCLUDED.{count}"
    )
    params = [tag.campaign, tag.channel, step, connection.ops.adapt_datefield_value(day), n]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
