"""The statistics over the benchmark's generated dossiers: summary rows, then the time of an agency-year.

Generated dossiers (bench/generate_dossiers.py) are written by SQL, without the events the lifecycle would
have recorded, so `manage.py rebuild_stats` has nothing to replay. `seed(agency_id)` writes instead the rows
the lifecycle would have kept for what the dossiers' own dates say (receipt by channel; the end of
processing, on time or late, digitised), in a handful of grouped queries. `measure` then times what a
request does: `stats.report.build` for twelve months (the summary rows plus the live open/overdue counts).

`python -m bench.stats` (DATABASE_URL, DEMO=1), run by `make bench-dossiers`.
"""

import os
import statistics
import time
from collections import defaultdict


def seed(agency_id: int) -> int:
    """Write the agency's summary rows from its dossiers' dates; the number of rows."""
    from django.db.models import Case, Count, Exists, F, OuterRef, Q, When
    from django.db.models.functions import Coalesce, TruncMonth
    from django.utils import timezone

    from motcua.dossiers.models import Attachment, Dossier, Status
    from motcua.stats.models import Tally
    from motcua.stats.services import bucket

    zone = timezone.get_current_timezone()
    rows: dict[tuple[str, object], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    dossiers = Dossier.objects.filter(agency_id=agency_id, received_at__isnull=False).order_by()
    received = (
        dossiers.annotate(month=TruncMonth("received_at", tzinfo=zone), team=F("filed_by_id"))
        .values("month", "procedure__code", "procedure__level", "channel", "team")
        .annotate(n=Count("pk"))
    )
    for row in received:
        key = (row["procedure__code"], row["month"].date() if hasattr(row["month"], "date") else row["month"])
        rows[key][f"received_{bucket(row['channel'], row['team'], row['procedure__level'])}"] += row["n"]
    ended = dossiers.filter(Q(completed_at__isnull=False) | Q(status=Status.STOPPED, closed_at__isnull=False))
    ended = ended.annotate(
        end=Coalesce("completed_at", "closed_at"),
        month=TruncMonth(Coalesce("completed_at", "closed_at"), tzinfo=zone),
        on_time=Case(When(Q(end__lte=F("due_at"), supplement_count__lte=1), then=1), default=0),
        files=Case(When(Exists(Attachment.objects.filter(dossier=OuterRef("pk"))), then=1), default=0),
    )
    for row in ended.values("month", "procedure__code", "on_time", "files").annotate(n=Count("pk")):
        key = (row["procedure__code"], row["month"].date() if hasattr(row["month"], "date") else row["month"])
        rows[key]["finished"] += row["n"]
        rows[key]["finished_on_time" if row["on_time"] else "finished_late"] += row["n"]
        if row["files"]:
            rows[key]["digitised"] += row["n"]
    Tally.objects.filter(agency_id=agency_id).delete()
    Tally.objects.bulk_create(
        Tally(agency_id=agency_id, procedure_code=code, month=month, **values)
        for (code, month), values in rows.items()
    )
    return len(rows)


def measure(agency_id: int, *, runs: int = 7) -> tuple[float, float]:
    """Milliseconds (median, slowest) of the last twelve months' indicators, as a request builds them."""
    from motcua.agencies.models import Agency
    from motcua.stats import report

    agency = Agency.objects.get(pk=agency_id)
    query = report.parse({"agency": agency.agency_id}, names=report.API_NAMES)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        built = report.build(query)
        times.append((time.perf_counter() - start) * 1000)
        assert built.rows, "no months"
    return statistics.median(times), max(times)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from motcua.agencies.services import default_agency
    from motcua.dossiers.models import Dossier

    agency = default_agency()
    start = time.perf_counter()
    written = seed(agency.pk)
    seeded = time.perf_counter() - start
    median, slowest = measure(agency.pk)
    count = Dossier.objects.filter(agency=agency).count()
    print(
        f"statistics: {count:,} dossiers -> {written} summary rows ({seeded:.1f} s); indicators of an "
        f"agency-year: median {median:.0f} ms, slowest {slowest:.0f} ms of 7"
    )


if __name__ == "__main__":
    main()
