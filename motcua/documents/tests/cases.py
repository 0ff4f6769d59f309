"""Every kind of document, built for a known dossier at a known moment, with what it must print."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine

from motcua.catalog.services import get_procedure
from motcua.documents import services
from motcua.documents.content.common import MOTTO, NATIONAL_NAME
from motcua.documents.content.official_forms import official_form
from motcua.documents.content.register import register, register_rows
from motcua.documents.layout import Doc
from motcua.documents.models import Kind

from .factories import (
    DECLARATIONS,
    EXTENSION_REASON,
    REFUSAL_REASON,
    STOP_REASON,
    SUPPLEMENT_ITEMS,
    SUPPLEMENT_REASON,
    filed_at_counter,
    printed,
    refused,
    sample_form,
    with_every_slip,
)

# Friday 20 November 2026, 09:05 at the commune: a same-day procedure is due at 17:00 that day.
NOW = dt.datetime(2026, 11, 20, 9, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SITE = "https://dichvucong.vinhlinh.example.vn"
SLIP_KINDS = [Kind.RECEIPT, Kind.SUPPLEMENT, Kind.REFUSAL, Kind.APOLOGY, Kind.STOP, Kind.CONTROL]
NAMES = [*(f"to-khai-{code}" for code in DECLARATIONS), *SLIP_KINDS, Kind.REGISTER]
HEADER = [NATIONAL_NAME, MOTTO]
AGENCY_HEADER = ["ỦY BAN NHÂN DÂN\nXÃ VĨNH LINH", "Vĩnh Linh, ngày 20 tháng 11 năm 2026"]


@dataclass
class Case:
    name: str
    doc: Doc
    expected: list[str]  # every one must appear exactly in the document's text


def case_once(built: dict[str, Case], name: str, request) -> Case:
    """The case `name` from `built`; the first test that asks makes it, with its catalogue, commune, people.

    A case depends only on its name: the same people and commune, the same frozen moment. The tests of one
    module that read the same document from several sides share it instead of each filing the same dossier.
    """
    if name not in built:
        request.getfixturevalue("catalogue")
        people, agency = request.getfixturevalue("people"), request.getfixturevalue("agency")
        with time_machine.travel(NOW, tick=False):
            built[name] = make_case(name, people, agency)
    return built[name]


def make_case(name: str, people: dict, agency) -> Case:
    """Call inside time_machine.travel(NOW, tick=False), with the catalogue loaded."""
    if name.startswith("to-khai-"):
        code = name.removeprefix("to-khai-")
        procedure = get_procedure(code)
        form = sample_form(procedure)
        dossier = filed_at_counter(code, desk=people["desk"], agency=agency, form=form)
        doc = services.build(dossier=dossier, kind=Kind.DECLARATION, site_url=SITE)
        official = official_form(procedure, NOW.date()) is not None  # "Làm tại:" as the form words it
        expected = [
            *HEADER,
            procedure.form_title,
            f"Làm tại{':' if official else ''} Vĩnh Linh, ngày 20 tháng 11 năm 2026",
            "NGƯỜI YÊU CẦU" if "bride_name" not in form else "BÊN NỮ",
            *printed(procedure, form),
        ]
        return Case(name, doc, expected)
    if name == Kind.REGISTER:
        dossier = with_every_slip(people, agency)
        rendered_doc = _register_doc(agency)
        return Case(
            name, rendered_doc, ["SỔ THEO DÕI HỒ SƠ", dossier.code, "Đăng ký khai sinh", "20/11/2026\n09:05"]
        )
    dossier = refused(people, agency) if name == Kind.REFUSAL else with_every_slip(people, agency)
    doc = services.build(dossier=dossier, kind=name, site_url=SITE)
    common = [*HEADER, *AGENCY_HEADER, dossier.code, dossier.applicant_name]
    extra = {
        Kind.RECEIPT: [
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "045190012345",
            "0912 345 678",
            "Đăng ký khai sinh",
            "Giấy chứng sinh do bệnh viện, trạm y tế cấp",
            "09 giờ 05 phút, ngày 20 tháng 11 năm 2026",
            "17 giờ 00 phút, ngày 20 tháng 11 năm 2026",
            f"{SITE}/tra-cuu/",
            f"và nhập mã hồ sơ {dossier.code} cùng 4 số cuối điện thoại của người nộp.",
            "Trần Thị Mai",
        ],
        Kind.SUPPLEMENT: ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", *SUPPLEMENT_ITEMS, SUPPLEMENT_REASON],
        Kind.REFUSAL: ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", REFUSAL_REASON],
        Kind.APOLOGY: [
            "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
            EXTENSION_REASON,
            "17 giờ 00 phút, ngày 20 tháng 11 năm 2026",
            "17 giờ 00 phút, ngày 27 tháng 11 năm 2026",
        ],
        Kind.STOP: ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", STOP_REASON],
        Kind.CONTROL: [
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            "Tiếp nhận hồ sơ",
            "Chuyển chuyên viên xử lý",
            "Yêu cầu bổ sung hồ sơ",
            "Gia hạn, hẹn lại ngày trả",
            "Dừng xử lý",
            "Trần Thị Mai (Bộ phận Một cửa)",
            "Lê Văn Hùng (Chuyên viên)",
        ],
    }[name]
    return Case(name, doc, [*common, *extra])


def _register_doc(agency) -> Doc:
    template = services.template_for(Kind.REGISTER, on=NOW.date())
    rows = register_rows(services.register_dossiers(agency=agency, start=NOW.date(), end=NOW.date()))
    return register(agency, template, rows, start=NOW.date(), end=NOW.date())
