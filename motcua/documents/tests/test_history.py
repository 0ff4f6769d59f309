"""The slips print the deadline as it stood at each step, replayed from the event log."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.documents import services
from motcua.documents.content.common import Source
from motcua.documents.content.slips import due_history
from motcua.documents.models import Kind
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import file_birth

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_replayed_deadline_ends_where_the_lifecycle_put_it(catalogue, agency, people):
    """Receipt, a supplement that waits three working days, a payment, an extension: the same due date."""
    with time_machine.travel(dt.datetime(2026, 11, 16, 9, 0, tzinfo=TZ), tick=False) as clock:
        dossier = file_birth(people["citizen"], agency)
        dossier = perform(dossier, "receive", by=people["desk"])
        dossier = perform(dossier, "forward", by=people["desk"])
        dossier = perform(
            dossier, "request_supplement", by=people["specialist"], note="Thiếu giấy", data={"items": ["A"]}
        )
        clock.move_to(dt.datetime(2026, 11, 19, 10, 0, tzinfo=TZ))
        dossier = perform(dossier, "supplement", by=people["citizen"], note="Đã gửi")
        received_due = dossier.due_at
        clock.move_to(dt.datetime(2026, 11, 20, 10, 0, tzinfo=TZ))
        dossier = perform(
            dossier, "extend", by=people["specialist"], note="Xác minh", data={"new_due_date": "2026-11-27"}
        )
    source = Source(dossier=dossier, events=list(dossier.events.order_by("at", "pk")), site_url="")
    history = due_history(source)
    assert history[-1] == dossier.due_at
    assert history[-2] == received_due
    receipt_due = dt.datetime(2026, 11, 16, 17, 0, tzinfo=TZ)
    assert history[1] == receipt_due  # same-day procedure received at 09:00
    texts = services.build(dossier=dossier, kind=Kind.RECEIPT).texts()
    assert any("17 giờ 00 phút, ngày 16 tháng 11 năm 2026" in t for t in texts)
    apology = " ".join(services.build(dossier=dossier, kind=Kind.APOLOGY).texts())
    assert "17 giờ 00 phút, ngày 19 tháng 11 năm 2026" in apology  # moved by the three days waited
    assert "17 giờ 00 phút, ngày 27 tháng 11 năm 2026" in apology


def test_the_control_slip_lists_every_hand_over_but_no_internal_note(catalogue, agency, people):
    dossier = file_birth(people["citizen"], agency)
    for action, who, note in [
        ("receive", "desk", ""),
        ("forward", "desk", ""),
        ("submit_for_approval", "specialist", ""),
        ("return_for_rework", "leader", "Ghi chú nội bộ: sai tên mẹ"),
        ("submit_for_approval", "specialist", ""),
        ("approve", "leader", ""),
    ]:
        dossier = perform(dossier, action, by=people[who], note=note)
    texts = services.build(dossier=dossier, kind=Kind.CONTROL).texts()
    for label in [
        "Nộp hồ sơ",
        "Tiếp nhận hồ sơ",
        "Trình lãnh đạo duyệt",
        "Trả lại để xử lý lại",
        "Lãnh đạo duyệt",
    ]:
        assert label in texts
    assert "Nguyễn Văn Bình (Lãnh đạo)" in texts
    assert not [t for t in texts if "Ghi chú nội bộ" in t]
    assert texts.count("Trình lãnh đạo duyệt") == 2


def test_a_fee_due_is_printed_in_figures_and_in_words_on_the_receipt(catalogue, agency, people):
    from motcua.dossiers.models import Dossier

    from .factories import with_every_slip

    dossier = with_every_slip(people, agency)
    Dossier.objects.filter(pk=dossier.pk).update(fee_vnd=105_000)
    dossier.refresh_from_db()
    texts = services.build(dossier=dossier, kind=Kind.RECEIPT).texts()
    assert "7. Phí, lệ phí: 105.000 đồng (Bằng chữ: Một trăm linh năm nghìn đồng)" in texts


def test_without_a_fee_the_receipt_lists_the_procedures_fees(catalogue, agency, people):
    from .factories import with_every_slip

    texts = services.build(dossier=with_every_slip(people, agency), kind=Kind.RECEIPT).texts()
    assert "- Phí cấp bản sao Trích lục khai sinh (nếu xin thêm): 8.000 đồng/bản" in texts
    assert "Địa chỉ: Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị" in texts  # from the declaration
