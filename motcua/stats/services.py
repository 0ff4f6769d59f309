"""Indicators from what happened: summary rows kept by the lifecycle, rebuilt from the events, read cheaply.

- `record(transition)` is subscribed to every action (apps.py): inside the transition's transaction it adds
  what the event counts (`counts`) to the row of the dossier's agency, procedure and month (`Tally`).
- `rebuild()` replays every `Event` through the same `counts` and writes the rows again (`manage.py
  rebuild_stats`, `--check` compares instead): for data from before the app, and as the proof that the
  rows kept one transition at a time equal what the events say.
- `figures(...)` adds the rows of a period up by month or quarter (a few hundred rows for an agency-year,
  whatever the number of dossiers) and `present` turns them into cells, with small counts suppressed.
- `now_states` counts what is a state rather than an event (still open, overdue) live, on the partial index
  of open dossiers (`dossier_open_by_due`), which holds the small slice of dossiers still in work.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.catalog.models import Level
from motcua.dossiers.models import Attachment, Channel, Dossier, Event, Status, StatusCount

from .indicators import AVERAGE, BY_KEY, GROUPS, INDICATORS, SHARE, SUPPRESS_BELOW, Indicator
from .models import COUNTERS, Tally

__all__ = [
    "Cell",
    "Period",
    "counts",
    "figures",
    "late_dossiers",
    "now_states",
    "outreach_effect",
    "overdue_dossiers",
    "present",
    "rebuild",
    "record",
    "supplemented_twice_dossiers",
    "workload",
]

ONLINE_METHODS = frozenset({"vnpay", "vietqr", "paygov"})  # the desk's cash and an exemption are not
PAYMENTS = frozenset({"confirm_payment", "payment_received"})
# The end of processing for Decision 766 indicator 2.1, of a received dossier: done (9) or stopped (8).
# A refusal happens at intake, before receipt, and a withdrawal waits for the stop that follows it.
ENDINGS = frozenset({"approve", "stop"})
RATE = "rate"  # the feedback app's satisfaction rating: Event.data {"score": 1-5, ...}


# --- what an event counts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """What counting an event needs of its dossier: the same whether it is happening or being replayed."""

    agency_id: int
    procedure_code: str
    bucket: str  # the channel's counter: online_full, online_partial, community, counter
    supplements: int  # supplement requests so far, this event's included
    received: bool  # received (status 2) by the time of this event
    has_files: bool = False  # papers held as files at this event (asked only for an ending)


def bucket(channel: int, filed_by_id, level: str) -> str:
    if channel != Channel.ONLINE:
        return "counter"  # at the counter, or by post
    if filed_by_id is not None:
        return "community"  # filed online for someone, with their consent (services.file_on_behalf)
    return "online_full" if level == Level.FULLY_ONLINE else "online_partial"


def counts(action: str, *, data: dict, due_at, at, seen: Seen) -> dict[str, int]:
    """What one event adds to its month's row: the formulas of `indicators.INDICATORS`, event by event."""
    found: dict[str, int] = {}
    if action == "receive":
        found[f"received_{seen.bucket}"] = 1
    elif action == "refuse":
        found["refused"] = 1
    elif action == "request_supplement" and seen.supplements == 2:
        found["supplemented_twice"] = 1
    elif action in ENDINGS and seen.received:
        found["finished"] = 1
        on_time = due_at is not None and at <= due_at and seen.supplements <= 1
        found["finished_on_time" if on_time else "finished_late"] = 1
        if seen.has_files:
            found["digitised"] = 1
    elif action in PAYMENTS and data.get("payment_method") != "exempt":
        found["fee_paid"] = 1
        if data.get("payment_method") in ONLINE_METHODS:
            found["fee_paid_online"] = 1
    elif action == RATE:
        score = data.get("score")
        if isinstance(score, int) and not isinstance(score, bool) and 1 <= score <= 5:
            found["rating_count"], found["rating_sum"] = 1, score
    return found


def month_of(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date().replace(day=1)


def record(transition) -> None:
    """The lifecycle's subscriber: count the transition's event in its month's row (same transaction)."""
    dossier, event = transition.dossier, transition.event
    action = event.action
    if action not in {"receive", "refuse", "request_supplement", RATE} | ENDINGS | PAYMENTS:
        return
    seen = Seen(
        agency_id=dossier.agency_id,
        procedure_code=dossier.procedure.code,
        bucket=bucket(dossier.channel, dossier.filed_by_id, dossier.procedure.level),
        supplements=dossier.supplement_count,
        received=dossier.received_at is not None,
        has_files=action in ENDINGS
        and Attachment.objects.filter(dossier=dossier, uploaded_at__lte=event.at).exists(),
    )
    found = counts(action, data=event.data or {}, due_at=event.due_at, at=event.at, seen=seen)
    if found:
        _add(seen.agency_id, seen.procedure_code, month_of(event.at), found)


def _add(agency_id: int, procedure_code: str, month: dt.date, found: dict[str, int]) -> None:
    rows = Tally.objects.filter(agency_id=agency_id, procedure_code=procedure_code, month=month)
    change = {name: F(name) + n for name, n in found.items()}
    if rows.update(**change):
        return
    try:
        with transaction.atomic():
            Tally.objects.create(agency_id=agency_id, procedure_code=procedure_code, month=month, **found)
    except IntegrityError:  # created by a concurrent transition a moment ago
        rows.update(**change)


# --- the same rows, from the events alone -------------------------------------------------------------------


def replay(agency_id: int | None = None) -> dict[tuple[int, str, dt.date], dict[str, int]]:
    """The rows the events say, by (agency, procedure code, month): every event in order, dossier by
    dossier, through `counts`."""
    first_file = Attachment.objects.filter(dossier=OuterRef("dossier")).order_by("uploaded_at", "pk")
    events = Event.objects.order_by("dossier_id", "at", "pk")
    if agency_id is not None:
        events = events.filter(dossier__agency_id=agency_id)
    wanted = {"receive", "refuse", "request_supplement", RATE} | ENDINGS | PAYMENTS
    rows = events.filter(action__in=wanted).annotate(
        first_file=Subquery(first_file.values("uploaded_at")[:1])
    )
    found: dict[tuple[int, str, dt.date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    current, supplements, received = None, 0, False
    for row in rows.values(
        "dossier_id",
        "action",
        "data",
        "due_at",
        "at",
        "first_file",
        "dossier__agency_id",
        "dossier__procedure__code",
        "dossier__procedure__level",
        "dossier__channel",
        "dossier__filed_by_id",
    ).iterator(chunk_size=5000):
        if row["dossier_id"] != current:
            current, supplements, received = row["dossier_id"], 0, False
        action = row["action"]
        if action == "request_supplement":
            supplements += 1
        elif action == "receive":
            received = True
        seen = Seen(
            agency_id=row["dossier__agency_id"],
            procedure_code=row["dossier__procedure__code"],
            bucket=bucket(
                row["dossier__channel"], row["dossier__filed_by_id"], row["dossier__procedure__level"]
            ),
            supplements=supplements,
            received=received,
            has_files=row["first_file"] is not None and row["first_file"] <= row["at"],
        )
        for name, n in counts(
            action, data=row["data"] or {}, due_at=row["due_at"], at=row["at"], seen=seen
        ).items():
            found[seen.agency_id, seen.procedure_code, month_of(row["at"])][name] += n
    return {key: dict(value) for key, value in found.items()}


def kept(agency_id: int | None = None) -> dict[tuple[int, str, dt.date], dict[str, int]]:
    """The rows as the lifecycle kept them, in `replay`'s shape (counters at 0 left out)."""
    rows = Tally.objects.all() if agency_id is None else Tally.objects.filter(agency_id=agency_id)
    return {
        (row["agency_id"], row["procedure_code"], row["month"]): {c: row[c] for c in COUNTERS if row[c]}
        for row in rows.values("agency_id", "procedure_code", "month", *COUNTERS)
        if any(row[c] for c in COUNTERS)
    }


@transaction.atomic
def rebuild(agency_id: int | None = None) -> int:
    """Write the rows again from the events; the number of rows written."""
    found = replay(agency_id)
    (Tally.objects.all() if agency_id is None else Tally.objects.filter(agency_id=agency_id)).delete()
    Tally.objects.bulk_create(
        (
            Tally(agency_id=a, procedure_code=code, month=month, **values)
            for (a, code, month), values in found.items()
        ),
        batch_size=1000,
    )
    return len(found)


# --- reading: periods and cells -----------------------------------------------------------------------------


@dataclass
class Period:
    start: dt.date  # the first day of its first month
    label: str  # "2026-03" or "2026-Q1"
    values: dict[str, int] = field(default_factory=dict)


def quarter_of(month: dt.date) -> dt.date:
    return month.replace(month=(month.month - 1) // 3 * 3 + 1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def figures(
    *,
    agency_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    procedure_code: str = "",
    by: str = "month",
) -> list[Period]:
    """The counters of every month (or quarter) from `start` to `end`, each period listed even when empty."""
    rows = Tally.objects.filter(
        agency_id__in=list(agency_ids), month__gte=start.replace(day=1), month__lte=end
    )
    if procedure_code:
        rows = rows.filter(procedure_code=procedure_code)
    sums = {
        row["month"]: row for row in rows.values("month").order_by().annotate(**{c: Sum(c) for c in COUNTERS})
    }
    periods: dict[dt.date, Period] = {}
    for month in months_between(start, end):
        key = quarter_of(month) if by == "quarter" else month
        label = f"{key.year}-Q{(key.month - 1) // 3 + 1}" if by == "quarter" else f"{key:%Y-%m}"
        period = periods.setdefault(key, Period(key, label, dict.fromkeys(COUNTERS, 0)))
        for c in COUNTERS:
            period.values[c] += (sums.get(month) or {}).get(c) or 0
    return list(periods.values())


def total(periods: list[Period]) -> Period:
    whole = Period(periods[0].start if periods else dt.date.today(), "total", dict.fromkeys(COUNTERS, 0))
    for period in periods:
        for c in COUNTERS:
            whole.values[c] += period.values[c]
    return whole


@dataclass(frozen=True)
class Cell:
    """One figure as shown: `value` None when suppressed; `mark` says why ("<3", or "hidden" for a count
    hidden so that a total minus the other parts does not give a small one back)."""

    value: int | float | None
    mark: str = ""

    @property
    def text(self) -> str:
        if self.mark == "<3":
            return "<3"
        if self.mark == "hidden":
            return "x"
        if self.value is None:
            return "–"
        if isinstance(self.value, float):
            return f"{self.value:.1f}".replace(".", ",")
        return f"{self.value:,}".replace(",", ".")


def _small(n: int) -> bool:
    return 0 < n < SUPPRESS_BELOW


def _value(indicator: Indicator, values: dict[str, int], suppress: bool = True) -> Cell:
    """One figure; with `suppress` False (the officers' own agency), every figure exactly."""
    if not suppress:
        if indicator.kind == SHARE or indicator.kind == AVERAGE:
            num = sum(values[c] for c in indicator.numerator)
            den = sum(values[c] for c in indicator.denominator)
            if not den:
                return Cell(None)
            return Cell(round(100 * num / den, 1) if indicator.kind == SHARE else round(num / den, 2))
        return Cell(sum(values[c] for c in indicator.parts))
    if indicator.kind == SHARE:
        num = sum(values[c] for c in indicator.numerator)
        den = sum(values[c] for c in indicator.denominator)
        # A share shows its numerator and its complement to anyone who knows the total: both must be safe.
        if den < SUPPRESS_BELOW or _small(num) or _small(den - num):
            return Cell(None, "<3" if den else "")
        return Cell(round(100 * num / den, 1))
    if indicator.kind == AVERAGE:
        count = sum(values[c] for c in indicator.denominator)
        if count < SUPPRESS_BELOW:
            return Cell(None, "<3" if count else "")
        return Cell(round(sum(values[c] for c in indicator.numerator) / count, 2))
    n = sum(values[c] for c in indicator.parts)
    return Cell(None, "<3") if _small(n) else Cell(n)


def present(values: dict[str, int], *, suppress: bool = True) -> dict[str, Cell]:
    """The cells of one period's counters, small counts suppressed, and one more part of a group hidden
    when a single part of it is (so that the group's total minus the others gives nothing away)."""
    cells = {indicator.key: _value(indicator, values, suppress) for indicator in INDICATORS}
    for whole, parts in GROUPS if suppress else ():
        if cells[whole].value is None:
            continue
        hidden = [p for p in parts if cells[p].mark]
        if len(hidden) == 1:
            # The smallest other part that is not zero (a zero hides nothing, and says nothing either).
            others = sorted((cells[p].value, p) for p in parts if not cells[p].mark and cells[p].value)
            if others:
                cells[others[0][1]] = Cell(None, "hidden")
    return cells


OPEN_STATUSES = (Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT)


def now_states(agency_ids: Iterable[int], *, procedure_code: str = "", now=None) -> dict[int, dict[str, int]]:
    """Per agency: dossiers still in work, and those overdue now. "Still in work" is the lifecycle's own
    `StatusCount` (statuses 1, 2, 4, 5, 6: the same dossiers as `_open`) unless one procedure is asked,
    then a count on the open dossiers' index; "overdue" a range of that index (due before now)."""
    now = now or timezone.now()
    agency_ids = list(agency_ids)
    result: dict[int, dict[str, int]] = {a: {"open": 0, "overdue": 0} for a in agency_ids}
    if procedure_code:
        opened = _open(agency_ids, procedure_code).values("agency_id").order_by().annotate(n=Count("pk"))
    else:
        opened = (
            StatusCount.objects.filter(agency_id__in=agency_ids, status__in=OPEN_STATUSES)
            .values("agency_id")
            .order_by()
            .annotate(n=Sum("count"))
        )
    overdue = _open(agency_ids, procedure_code).filter(_overdue(now))
    for name, query in (
        ("open", opened),
        ("overdue", overdue.values("agency_id").order_by().annotate(n=Count("pk"))),
    ):
        for row in query:
            result.setdefault(row["agency_id"], {"open": 0, "overdue": 0})[name] = row["n"] or 0
    return result


def _open(agency_ids: Iterable[int], procedure_code: str = ""):
    # The condition of the partial index `dossier_open_by_due`, and not yet done (9 waits to be returned).
    rows = Dossier.objects.filter(
        agency_id__in=list(agency_ids),
        returned_at__isnull=True,
        closed_at__isnull=True,
        status__gt=Status.DRAFT,
        completed_at__isnull=True,
    ).exclude(status__in=(Status.REFUSED, Status.STOPPED, Status.WITHDRAWN))
    if procedure_code:
        rows = rows.filter(procedure__code=procedure_code)
    return rows


def _overdue(now) -> Q:
    """Dossier.is_overdue as a query: past its promised date, judged when its clock stopped if it did."""
    # Both cases are due before now (a clock stops in the past): the first term lets the index range on it.
    return Q(due_at__lt=now) & (
        Q(paused_at__isnull=True) | Q(paused_at__isnull=False, due_at__lt=F("paused_at"))
    )


# --- the officers' drill-down and workload ------------------------------------------------------------------

DRILL_LIMIT = 200


def _ended_between(start: dt.datetime, end: dt.datetime) -> Q:
    return Q(completed_at__gte=start, completed_at__lt=end) | Q(
        completed_at__isnull=True, closed_at__gte=start, closed_at__lt=end, status=Status.STOPPED
    )


def late_dossiers(agency_id: int, *, start: dt.datetime, end: dt.datetime):
    """The dossiers behind "Quá hạn": received, ended in the period, after their date or asked twice."""
    ended = Dossier.objects.filter(agency_id=agency_id, received_at__isnull=False).filter(
        _ended_between(start, end)
    )
    late = Q(supplement_count__gt=1) | Q(completed_at__isnull=False, completed_at__gt=F("due_at"))
    late |= Q(completed_at__isnull=True, closed_at__gt=F("due_at"))
    return ended.filter(late).select_related("procedure", "assigned_to").order_by("due_at")[:DRILL_LIMIT]


def overdue_dossiers(agency_id: int, *, now=None):
    now = now or timezone.now()
    return (
        _open([agency_id])
        .filter(_overdue(now))
        .select_related("procedure", "assigned_to")
        .order_by("due_at")[:DRILL_LIMIT]
    )


def supplemented_twice_dossiers(agency_id: int, *, start: dt.datetime, end: dt.datetime):
    """Dossiers asked for papers a second time within the period (the event of the second request)."""
    second = (
        Event.objects.filter(dossier=OuterRef("pk"), action="request_supplement")
        .order_by("at", "pk")
        .values("at")
    )
    return (
        Dossier.objects.filter(agency_id=agency_id, supplement_count__gt=1)
        .annotate(second_at=Subquery(second[1:2]))
        .filter(second_at__gte=start, second_at__lt=end)
        .select_related("procedure", "assigned_to")
        .order_by("second_at")[:DRILL_LIMIT]
    )


def workload(agency_id: int, *, start: dt.datetime, end: dt.datetime, now=None) -> list[dict]:
    """Per officer: dossiers in their hands now, of them overdue, and the actions they took in the period."""
    now = now or timezone.now()
    open_ = _open([agency_id]).filter(assigned_to__isnull=False)
    held = {r["assigned_to"]: r["n"] for r in open_.values("assigned_to").order_by().annotate(n=Count("pk"))}
    late = {
        r["assigned_to"]: r["n"]
        for r in open_.filter(_overdue(now)).values("assigned_to").order_by().annotate(n=Count("pk"))
    }
    acted = {
        r["actor"]: r["n"]
        for r in Event.objects.filter(
            dossier__agency_id=agency_id, at__gte=start, at__lt=end, actor__isnull=False
        )
        .exclude(role__in=("citizen", "claimant"))
        .values("actor")
        .order_by()
        .annotate(n=Count("pk"))
    }
    from motcua.agencies.models import Officer

    rows = []
    for officer in (
        Officer.objects.filter(agency_id=agency_id).select_related("user").order_by("user__full_name")
    ):
        pk = officer.user_id
        rows.append(
            {
                "name": officer.user.full_name or officer.user.username,
                "held": held.get(pk, 0),
                "overdue": late.get(pk, 0),
                "actions": acted.get(pk, 0),
            }
        )
    return rows


# --- outreach -----------------------------------------------------------------------------------------------


def _campaign_dates() -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Each campaign's first and last day, when the outreach app keeps campaigns with dates (it may not)."""
    try:
        model = apps.get_model("outreach", "Campaign")
    except LookupError:
        return {}
    names = {f.name for f in model._meta.get_fields()}
    slug = next((n for n in ("slug", "code", "tag") if n in names), None)
    first = next(
        (n for n in ("starts_on", "start_date", "start", "begins_on", "from_date") if n in names), None
    )
    last = next((n for n in ("ends_on", "end_date", "end", "until", "to_date") if n in names), None)
    if slug is None or first is None:
        return {}
    return {
        row[slug]: (row[first], row[last] if last else None)
        for row in model.objects.values(slug, first, *([last] if last else []))
    }


def outreach_effect(*, start: dt.date, end: dt.date) -> list[dict]:
    """Per campaign and channel: visits, practice runs, help requests and filings, each before, during and
    after the campaign when its dates are known (else in the period as a whole)."""
    from motcua.outreach.links import Channel as OutreachChannel
    from motcua.outreach.models import Step, Uptake

    dates = _campaign_dates()
    channel_labels = dict(OutreachChannel.choices)
    table: dict[tuple[str, str], dict] = {}
    rows = Uptake.objects.filter(day__gte=start, day__lte=end).values(
        "campaign", "channel", "step", "day", "count"
    )
    for row in rows.iterator():
        key = (row["campaign"], row["channel"])
        entry = table.setdefault(
            key,
            {
                "campaign": row["campaign"],
                "channel": channel_labels.get(row["channel"], row["channel"]),
                "dates": dates.get(row["campaign"]),
                "steps": {s: {"before": 0, "during": 0, "after": 0, "all": 0} for s in Step.values},
            },
        )
        phase = "during"
        if entry["dates"]:
            first, last = entry["dates"]
            if first and row["day"] < first:
                phase = "before"
            elif last and row["day"] > last:
                phase = "after"
        cell = entry["steps"][row["step"]]
        cell[phase] += row["count"]
        cell["all"] += row["count"]
    return sorted(table.values(), key=lambda e: (e["campaign"], e["channel"]))


def agencies() -> list[Agency]:
    return list(Agency.objects.filter(is_active=True).order_by("name"))


def indicator(key: str) -> Indicator:
    return BY_KEY[key]
