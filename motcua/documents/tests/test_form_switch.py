"""Thông tư 03/2025/TT-VPCP's forms apply from 15/9/2025: a slip dated 14/9/2025 is still a Thông tư 01/2018
form, whatever the day it is printed. Each slip is rendered to PDF and read back with pdftotext."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.documents import services
from motcua.documents.models import Kind

from .factories import refused, with_every_slip
from .tools import pdf_text, save_png, visible

pytestmark = pytest.mark.django_db

LAST_DAY_2018, FIRST_DAY_2025 = dt.date(2025, 9, 14), dt.date(2025, 9, 15)
TT_2018 = "ban hành kèm theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ"
TT_2025 = "Phụ lục I ban hành kèm theo Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Văn phòng Chính phủ"

# The form each slip is on either side of the switch: (Mẫu số, title), or None when that circular has none.
FORMS = {
    Kind.RECEIPT: (
        ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
        ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    ),
    Kind.SUPPLEMENT: (
        ("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
        ("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    ),
    Kind.REFUSAL: (
        ("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
        ("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    ),
    Kind.APOLOGY: (
        ("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
        ("04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
    ),
    Kind.STOP: (None, ("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")),
    Kind.CONTROL: (
        ("05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
        ("06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    ),
}


def on_day(dossier, day: dt.date):
    """The dossier's whole history moved to `day` (from 08:00, a minute apart): the slips' own dates."""
    start = dt.datetime.combine(day, dt.time(8), tzinfo=timezone.get_current_timezone())
    for n, event in enumerate(dossier.events.order_by("at", "pk")):
        type(event).objects.filter(pk=event.pk).update(at=start + dt.timedelta(minutes=n))
        if event.action == "request_supplement":  # the request slip prints the request made with it
            dossier.supplement_requests.update(requested_at=start + dt.timedelta(minutes=n))
    type(dossier).objects.filter(pk=dossier.pk).update(submitted_at=start, received_at=start)
    dossier.refresh_from_db()
    return dossier


def slip_pdf(dossier, kind: str) -> str:
    """The slip as a PDF, printed today (1/12/2026 or whenever the test runs), read back as visible text."""
    rendered = services.render(dossier=dossier, kind=kind, fmt="pdf", today=timezone.localdate())
    save_png(rendered.content, f"form-switch-{kind}-{dossier.events.first().at:%Y%m%d}")
    return visible(pdf_text(rendered.content))


@pytest.fixture
def dossier(catalogue, agency, people, request):
    kind = request.node.callspec.params["kind"]
    return refused(people, agency) if kind == Kind.REFUSAL else with_every_slip(people, agency)


@pytest.mark.parametrize("kind", list(FORMS))
def test_a_slip_of_14_september_2025_is_a_form_of_thong_tu_01_2018(dossier, kind):
    form = FORMS[kind][0]
    on_day(dossier, LAST_DAY_2018)
    if form is None:  # Thông tư 01/2018 had no stop notice
        with pytest.raises(services.NotApplicable):
            slip_pdf(dossier, kind)
        return
    number, title = form
    text = slip_pdf(dossier, kind)
    assert visible(f"Mẫu số {number}, {TT_2018}") in text
    assert visible(title) in text
    assert visible("ngày 14 tháng 9 năm 2025") in text
    assert "03/2025/TT-VPCP" not in text


@pytest.mark.parametrize("kind", list(FORMS))
def test_a_slip_of_15_september_2025_is_a_form_of_thong_tu_03_2025(dossier, kind):
    number, title = FORMS[kind][1]
    on_day(dossier, FIRST_DAY_2025)
    text = slip_pdf(dossier, kind)
    assert visible(f"Mẫu số {number}, {TT_2025}") in text
    assert visible(title) in text
    assert visible("ngày 15 tháng 9 năm 2025") in text
    assert "01/2018/TT-VPCP" not in text


def test_the_documents_list_names_the_form_in_force_on_each_slips_own_date(catalogue, agency, people):
    dossier = on_day(with_every_slip(people, agency), LAST_DAY_2018)
    titles = dict(services.available(dossier=dossier))
    assert titles[Kind.APOLOGY] == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert Kind.STOP not in titles
    on_day(dossier, FIRST_DAY_2025)
    titles = dict(services.available(dossier=dossier))
    assert titles[Kind.APOLOGY] == "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    assert titles[Kind.STOP] == "Thông báo dừng giải quyết hồ sơ"


def test_every_form_version_names_its_circular_annex_and_effective_day():
    from motcua.documents.models import DocumentTemplate

    versions = DocumentTemplate.objects.exclude(kind=Kind.FEE_RECEIPT)
    assert {(t.valid_from, t.valid_to) for t in versions.filter(legal_basis__contains="01/2018/TT-VPCP")} == {
        (dt.date(2018, 11, 23), FIRST_DAY_2025)
    }
    current = versions.filter(legal_basis__contains="03/2025/TT-VPCP")
    assert {(t.valid_from, t.valid_to, t.article) for t in current} == {(FIRST_DAY_2025, None, "Phụ lục I")}
    assert sorted(t.number for t in current) == ["01", "02", "03", "04", "05", "06", "07"]
