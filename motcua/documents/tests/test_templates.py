"""Slip templates are versioned data: the circular in force on a document's date decides its form."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.documents import services
from motcua.documents.models import DocumentTemplate, Kind

from .factories import with_every_slip

pytestmark = pytest.mark.django_db
TT_2018 = "Thông tư số 01/2018/TT-VPCP"
TT_2025 = "Thông tư số 03/2025/TT-VPCP"


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def move_events(dossier, day: dt.date) -> None:
    """Pretend the whole history happened on `day` (the catalogue's versions start on 2025-07-01)."""
    for n, event in enumerate(dossier.events.order_by("at", "pk")):
        type(event).objects.filter(pk=event.pk).update(at=at(day) + dt.timedelta(minutes=n))


def test_both_circulars_are_seeded():
    rows = DocumentTemplate.objects.all()
    assert rows.filter(legal_basis__startswith=TT_2018).count() == 6
    assert rows.filter(legal_basis__startswith=TT_2025).count() == 7
    assert not rows.filter(legal_basis__startswith=TT_2018, kind=Kind.STOP).exists()


def test_thong_tu_01_2018_applies_to_14_september_2025_and_03_2025_from_15_september():
    # Nghị định 118/2025 (1/7/2025) issues no forms; Thông tư 03/2025 of 15/9/2025 does, in Phụ lục I.
    assert TT_2018 in services.template_for(Kind.RECEIPT, on=dt.date(2025, 7, 1)).legal_basis
    assert TT_2018 in services.template_for(Kind.RECEIPT, on=dt.date(2025, 9, 14)).legal_basis
    assert TT_2025 in services.template_for(Kind.RECEIPT, on=dt.date(2025, 9, 15)).legal_basis
    assert services.template_for(Kind.RECEIPT, on=dt.date(2018, 11, 22)) is None


def test_a_receipt_of_14_september_2025_is_form_01_of_thong_tu_01_2018(catalogue, agency, people):
    dossier = with_every_slip(people, agency)
    move_events(dossier, dt.date(2025, 9, 14))
    texts = services.build(dossier=dossier, kind=Kind.RECEIPT).texts()
    assert texts[0] == f"Mẫu số 01, ban hành kèm theo {TT_2018} ngày 23/11/2018 của Văn phòng Chính phủ"
    assert "Vĩnh Linh, ngày 14 tháng 9 năm 2025" in texts


def test_a_receipt_of_15_september_2025_is_form_01_of_thong_tu_03_2025(catalogue, agency, people):
    dossier = with_every_slip(people, agency)
    move_events(dossier, dt.date(2025, 9, 15))
    texts = services.build(dossier=dossier, kind=Kind.RECEIPT).texts()
    assert texts[0] == (
        f"Mẫu số 01, Phụ lục I ban hành kèm theo {TT_2025} ngày 15/9/2025 của Văn phòng Chính phủ"
    )


def test_the_control_slip_is_form_05_before_and_form_06_after_the_change(catalogue, agency, people):
    dossier = with_every_slip(people, agency)
    move_events(dossier, dt.date(2025, 9, 14))
    assert services.build(dossier=dossier, kind=Kind.CONTROL).texts()[0].startswith("Mẫu số 05,")
    move_events(dossier, dt.date(2025, 9, 15))
    assert services.build(dossier=dossier, kind=Kind.CONTROL).texts()[0].startswith("Mẫu số 06,")


def test_the_apology_changes_title_with_the_circular(catalogue, agency, people):
    dossier = with_every_slip(people, agency)
    move_events(dossier, dt.date(2025, 9, 14))
    assert (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
        in services.build(dossier=dossier, kind=Kind.APOLOGY).texts()
    )
    move_events(dossier, dt.date(2025, 9, 15))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in (
        services.build(dossier=dossier, kind=Kind.APOLOGY).texts()
    )


def test_there_is_no_stop_notice_before_thong_tu_03_2025(catalogue, agency, people):
    dossier = with_every_slip(people, agency)
    move_events(dossier, dt.date(2025, 9, 14))
    with pytest.raises(services.NotApplicable):
        services.build(dossier=dossier, kind=Kind.STOP)
    assert Kind.STOP not in dict(services.available(dossier=dossier))


def test_a_new_circular_takes_over_on_its_day(catalogue, agency, people):
    current = DocumentTemplate.objects.get(kind=Kind.RECEIPT, valid_to__isnull=True)
    current.valid_to = dt.date(2027, 1, 1)
    current.save()
    DocumentTemplate.objects.create(
        kind=Kind.RECEIPT,
        number="01",
        title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        symbol="TNHS",
        legal_basis="Thông tư số 09/2026/TT-VPCP",
        valid_from=dt.date(2027, 1, 1),
    )
    dossier = with_every_slip(people, agency)
    move_events(dossier, dt.date(2027, 1, 4))
    assert services.build(dossier=dossier, kind=Kind.RECEIPT).texts()[0] == (
        "Mẫu số 01, ban hành kèm theo Thông tư số 09/2026/TT-VPCP"
    )


def test_overlapping_versions_are_refused():
    overlapping = DocumentTemplate(
        kind=Kind.RECEIPT,
        number="01",
        title="x",
        legal_basis="Thông tư thử",
        valid_from=dt.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError):
        overlapping.clean()
