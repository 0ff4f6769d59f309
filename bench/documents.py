"""Render time and size of every declaration and slip, DOCX and PDF (aim: DOCX <= 20 ms, PDF <= 300 ms).

Import once Django is set up on a throwaway database with the catalogue loaded (as `python -m bench`
does); `bench()` leaves the database as it found it: everything it creates is rolled back. Alone:
`python -m bench documents`. Times are medians of several renders of an already built document (the
database work of gathering it is measured apart, as "build").
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.agencies.models import Agency
from motcua.agencies.services import set_officer
from motcua.catalog.models import Procedure
from motcua.documents import services
from motcua.documents.docx_writer import write as write_docx
from motcua.documents.models import Kind
from motcua.documents.pdf_writer import write as write_pdf
from motcua.documents.tests.factories import filed_at_counter, refused, with_every_slip

RUNS = 7


def _median_ms(action, runs: int = RUNS) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), result


def _people(agency):
    users = {}
    for key, username, name, roles in [
        ("citizen", "+84900000001", "Nguyễn Thị Hường", []),
        ("desk", "bench.motcua", "Trần Thị Mai", ["onestop"]),
        ("specialist", "bench.chuyenvien", "Lê Văn Hùng", ["specialist"]),
        ("leader", "bench.lanhdao", "Nguyễn Văn Bình", ["leader"]),
    ]:
        user = get_user_model().objects.create_user(
            username=username, password=None, full_name=name, phone=username if not roles else None
        )
        if roles:
            set_officer(user, agency=agency, roles=roles)
            user.refresh_from_db()
        users[key] = user
    return users


def _cases(people, agency):
    cases = []
    codes = (
        Procedure.objects.current()
        .exclude(form_title="")
        .filter(form_fields__isnull=False)
        .values_list("code", flat=True)
        .distinct()
        .order_by("code")
    )
    for code in codes:
        cases.append(
            (f"tờ khai {code}", filed_at_counter(code, desk=people["desk"], agency=agency), Kind.DECLARATION)
        )
    slips = with_every_slip(people, agency)
    for kind in [Kind.RECEIPT, Kind.SUPPLEMENT, Kind.APOLOGY, Kind.STOP, Kind.CONTROL]:
        cases.append((kind.value, slips, kind))
    cases.append((Kind.REFUSAL.value, refused(people, agency), Kind.REFUSAL))
    return cases


def bench() -> None:
    print(f"documents, median of {RUNS} renders (aim: DOCX <= 20 ms, PDF <= 300 ms):")
    with transaction.atomic():
        agency = Agency.objects.create(
            agency_id="000.99.44.H54",
            name="Ủy ban nhân dân xã Vĩnh Linh",
            province_code=44,
            ward_code=19363,
            address="Xã Vĩnh Linh, tỉnh Quảng Trị",
            phone="0233 3 000 000",
        )
        people = _people(agency)
        site = "https://dichvucong.example.vn"
        cases = _cases(people, agency)
        warm = services.build(dossier=cases[0][1], kind=cases[0][2], site_url=site)
        write_docx(warm), write_pdf(warm)  # imports, fonts and caches, once per process
        docx_all, pdf_all = [], []
        for label, dossier, kind in cases:
            build_ms, doc = _median_ms(
                lambda d=dossier, k=kind: services.build(dossier=d, kind=k, site_url=site), 3
            )
            docx_ms, docx = _median_ms(lambda doc=doc: write_docx(doc))
            pdf_ms, pdf = _median_ms(lambda doc=doc: write_pdf(doc), 5)
            docx_all.append(docx_ms)
            pdf_all.append(pdf_ms)
            print(
                f"  {label:<22} build {build_ms:5.1f} ms · DOCX {docx_ms:5.1f} ms {len(docx):>7,} B"
                f" · PDF {pdf_ms:6.1f} ms {len(pdf):>7,} B"
            )
        print(
            f"  all {len(docx_all)} documents: median DOCX {statistics.median(docx_all):.1f} ms,"
            f" median PDF {statistics.median(pdf_all):.1f} ms"
        )
        transaction.set_rollback(True)
