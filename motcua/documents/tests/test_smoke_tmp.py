import pytest
from motcua.dossiers.tests.factories import dossier_in
from motcua.dossiers.models import Status
from motcua.documents import services

pytestmark = pytest.mark.django_db


def test_smoke(catalogue, citizen, desk, specialist, leader, agency):
    people = {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}
    d = dossier_in(Status.SUPPLEMENT, people=people, agency=agency)
    d = services_perform = None
    d = dossier_in(Status.PROCESSING, people=people, agency=agency)
    from motcua.dossiers.services import perform
    import datetime as dt

    d = perform(
        d,
        "request_supplement",
        by=specialist,
        note="Thiếu giấy",
        data={"items": ["Giấy chứng sinh bản chính", "Bản sao CCCD"]},
    )
    d = perform(d, "supplement", by=citizen, note="Đã gửi")
    d = perform(
        d,
        "extend",
        by=specialist,
        note="Cần xác minh thêm",
        data={"new_due_date": (d.due_at + dt.timedelta(days=3)).date().isoformat()},
    )
    d = perform(d, "stop", by=specialist, note="Người yêu cầu không đủ điều kiện")
    print(services.available(dossier=d))
    for kind, _ in services.available(dossier=d):
        for fmt in ("docx", "pdf"):
            r = services.render(dossier=d, kind=kind, fmt=fmt, site_url="http://testserver")
            open(f"/tmp/smoke/{r.filename}", "wb").write(r.content)
    r = services.render_register(
        agency=agency, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), fmt="pdf"
    )
    open(f"/tmp/smoke/{r.filename}", "wb").write(r.content)
    for fmt in ("docx", "xlsx"):
        r = services.render_register(
            agency=agency, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), fmt=fmt
        )
        open(f"/tmp/smoke/{r.filename}", "wb").write(r.content)
