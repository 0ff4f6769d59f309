"""Generate many plausible dossiers quickly, for benchmarks (PostgreSQL only; never in production).

`DEMO=1 DATABASE_URL=postgres://... python -m bench.generate_dossiers --count 1000000`, after
`manage.py migrate` and `manage.py load_demo`; `make bench-dossiers` runs it. A plain script rather than a
management command, so that it does not ship with motcua.
"""

import argparse
import datetime as dt
import os
import sys

BENCH_CITIZEN = "+84900000001"
PER_DAY = 9000  # dossiers a day, so that codes stay within the four-digit daily counter

INSERT = """
INSERT INTO dossiers_dossier (
    code, agency_id, procedure_id, applicant_id, applicant_name, applicant_phone, applicant_id_number,
    applicant_address, channel, form_data, status, substate, fee_vnd, created_at, submitted_at, received_at,
    due_at, completed_at, returned_at, closed_at, supplement_count, result_method, idempotency_key, updated_at, fee_pending, claim_code_hash, part)
SELECT
    %(agency_code)s || '-' || to_char(t.day, 'YYMMDD') || '-' || lpad(((g %% %(per_day)s) + 1)::text, 4, '0'),
    %(agency_id)s,
    (%(procedures)s::bigint[])[1 + g %% %(n_procedures)s],
    CASE WHEN g %% 20000 = 0 THEN %(citizen_id)s END,
    'Nguyễn Văn ' || g,
    '+8490' || lpad((g %% 10000000)::text, 7, '0'),
    '', '', 1 + g %% 2, '{}'::jsonb, s.status, '', NULL,
    t.submitted, t.submitted,
    CASE WHEN s.status <> 1 THEN t.submitted + interval '1 hour' END,
    CASE WHEN s.status <> 1 THEN t.submitted + interval '3 days' END,
    CASE WHEN s.status IN (9, 10) THEN t.submitted + interval '2 days' END,
    CASE WHEN s.status = 10 THEN t.submitted + interval '2 days 2 hours' END,
    CASE WHEN s.status IN (3, 8) THEN t.submitted + interval '1 day' END,
    0, '', '', t.submitted, false, '', 0
FROM generate_series(%(start)s, %(stop)s) AS g
CROSS JOIN LATERAL (SELECT (%(count)s - g) / %(per_day)s AS age) AS a
CROSS JOIN LATERAL (SELECT %(last_day)s::date - a.age AS day,
    (%(last_day)s::date - a.age)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' + interval '7 hours 30 minutes'
        + (g %% %(per_day)s) * interval '3 seconds' AS submitted) AS t
-- Older dossiers are finished, as in a real commune; only the last three days are still in work.
CROSS JOIN LATERAL (SELECT CASE WHEN a.age >= 3 THEN
        CASE WHEN g %% 100 < 94 THEN 10 WHEN g %% 100 < 97 THEN 8 ELSE 3 END
    ELSE CASE
        WHEN g %% 100 < 30 THEN 10 WHEN g %% 100 < 40 THEN 9 WHEN g %% 100 < 60 THEN 4 WHEN g %% 100 < 70 THEN 2
        WHEN g %% 100 < 80 THEN 1 WHEN g %% 100 < 85 THEN 5 WHEN g %% 100 < 90 THEN 6 WHEN g %% 100 < 94 THEN 8
        WHEN g %% 100 < 97 THEN 3 ELSE 7 END
    END AS status) AS s
"""


class Refused(Exception):
    """The database or the settings are not those of a benchmark."""


def generate(count: int) -> None:
    """Add generated dossiers to the default agency until it has `count` of them."""
    # Imported here: this script sets Django up itself, and models can be imported only after that.
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from motcua.agencies.services import default_agency
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import recount

    if connection.vendor != "postgresql":
        raise Refused("generate_dossiers needs PostgreSQL (DATABASE_URL=postgres://...).")
    if not settings.DEMO:
        raise Refused("Generated dossiers are for benchmarks on demo data only (DEMO=1).")
    agency = default_agency()
    if agency is None:
        raise Refused("No agency: run `DEMO=1 manage.py load_demo` first.")
    citizen, _ = get_user_model().objects.get_or_create(
        username=BENCH_CITIZEN, defaults={"full_name": "Công dân thử tải", "phone": BENCH_CITIZEN}
    )
    if Dossier.objects.filter(agency=agency, applicant_name__startswith="Nguyễn Văn ").exists():
        print("Generated dossiers are already there; `manage.py flush` to start again.")
        have = count
    else:
        have = 0
    procedures = list(Procedure.objects.current().values_list("pk", flat=True))
    batch = 200_000
    for start in range(have + 1, count + 1, batch):
        stop = min(start + batch - 1, count)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                INSERT,
                {
                    "agency_code": agency.agency_id,
                    "agency_id": agency.pk,
                    "per_day": PER_DAY,
                    "procedures": procedures,
                    "n_procedures": len(procedures),
                    "citizen_id": citizen.pk,
                    "start": start,
                    "stop": stop,
                    "count": count,
                    "last_day": timezone.localdate() - dt.timedelta(days=1),
                },
            )
        print(f"  {stop:,} / {count:,}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_dossier")
    recount(agency.pk)
    print(f"{Dossier.objects.filter(agency=agency).count():,} dossiers at {agency.name}.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate_dossiers",
        description="Add generated dossiers to the default agency until it has --count of them (PostgreSQL).",
    )
    parser.add_argument("--count", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    try:
        generate(args.count)
    except Refused as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
