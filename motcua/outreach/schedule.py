"""The broadcast schedule of the commune radio: which bulletin, which day and time, which villages; and its
log — an officer ticks "đã phát" once a bulletin went out, recording which sound went out (the synthetic
voice, a recording, or read aloud live from the script)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.services import get_procedure

from .bulletins import audio_of, script_of
from .models import Broadcast, Bulletin, Village

__all__ = [
    "EARLY_TICK",
    "ScheduleRefused",
    "add_village",
    "aired",
    "broadcast_of",
    "cancel",
    "mark_aired",
    "plan",
    "upcoming",
    "villages",
]

EARLY_TICK = dt.timedelta(minutes=30)  # "đã phát" may be ticked from half an hour before the time
LIVE = "live"


class ScheduleRefused(Exception):
    """A schedule change the rules refuse; the message says why."""


def broadcast_of(agency, pk: int) -> Broadcast | None:
    """One airing of the commune's schedule, or None (another commune's is as unknown as a wrong number)."""
    return Broadcast.objects.select_related("bulletin").filter(agency=agency, pk=pk).first()


def villages(agency) -> QuerySet[Village]:
    return Village.objects.filter(agency=agency)


def add_village(agency, *, name: str) -> Village:
    name = " ".join(name.split())
    if not name:
        raise ScheduleRefused(_("Bạn nhập tên thôn, xóm."))
    try:
        with transaction.atomic():
            return Village.objects.create(agency=agency, name=name)
    except IntegrityError:
        raise ScheduleRefused(_("Thôn “%(name)s” đã có trong danh sách.") % {"name": name}) from None


def plan(agency, *, bulletin: Bulletin, day: dt.date, time: dt.time, chosen: list[Village], note: str, by):
    """Add one airing. Not in the past; only the commune's own bulletins and villages."""
    if bulletin.agency_id != agency.pk or any(v.agency_id != agency.pk for v in chosen):
        raise ScheduleRefused(_("Bản tin hoặc thôn không thuộc xã của bạn."))
    at = timezone.make_aware(dt.datetime.combine(day, time))
    if at < timezone.now() - EARLY_TICK:
        raise ScheduleRefused(_("Giờ phát đã qua. Bạn chọn ngày giờ sắp tới."))
    with transaction.atomic():
        broadcast = Broadcast.objects.create(
            agency=agency, bulletin=bulletin, day=day, time=time, note=note.strip(), created_by=by
        )
        broadcast.villages.set(chosen)
    return broadcast


def upcoming(agency, *, bulletin: Bulletin | None = None, days: int | None = None) -> QuerySet[Broadcast]:
    """Airings not yet ticked, from today, soonest first (`days` ahead at most)."""
    today = timezone.localdate()
    found = Broadcast.objects.filter(agency=agency, aired_at__isnull=True, day__gte=today)
    if bulletin is not None:
        found = found.filter(bulletin=bulletin)
    if days is not None:
        found = found.filter(day__lte=today + dt.timedelta(days=days))
    return found.select_related("bulletin").prefetch_related("villages").order_by("day", "time", "pk")


def aired(agency, *, limit: int = 100) -> QuerySet[Broadcast]:
    """The log: what went out, latest first; and what was due and never ticked."""
    now = timezone.localtime()
    missed = Q(aired_at__isnull=True) & (Q(day__lt=now.date()) | Q(day=now.date(), time__lt=now.time()))
    return (
        Broadcast.objects.filter(Q(agency=agency) & (Q(aired_at__isnull=False) | missed))
        .select_related("bulletin", "aired_by")
        .prefetch_related("villages")
        .order_by("-day", "-time", "-pk")[:limit]
    )


def mark_aired(broadcast: Broadcast, *, by) -> Broadcast:
    """Tick "đã phát": once, and not before half an hour ahead of its time. Records which sound went out."""
    at = timezone.make_aware(dt.datetime.combine(broadcast.day, broadcast.time))
    now = timezone.now()
    if now < at - EARLY_TICK:
        raise ScheduleRefused(_("Chưa đến giờ phát: chỉ đánh dấu “đã phát” sau khi bản tin đã phát."))
    bulletin = broadcast.bulletin
    procedure = get_procedure(bulletin.procedure_code)
    heard = audio_of(bulletin, script_of(bulletin, procedure)) if procedure else None
    kind, seconds = (heard.kind, heard.seconds) if heard else (LIVE, None)
    done = Broadcast.objects.filter(pk=broadcast.pk, aired_at__isnull=True).update(
        aired_at=now, aired_by=by, aired_kind=kind, aired_seconds=seconds
    )
    if not done:
        raise ScheduleRefused(_("Lượt phát này đã được đánh dấu rồi."))
    broadcast.refresh_from_db()
    return broadcast


def cancel(broadcast: Broadcast) -> None:
    """Take an airing off the schedule; one that went out stays in the log."""
    if not Broadcast.objects.filter(pk=broadcast.pk, aired_at__isnull=True).delete()[0]:
        raise ScheduleRefused(_("Lượt phát đã phát thì không xóa được: nó nằm trong nhật ký."))
