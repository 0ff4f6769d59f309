"""A dossier event as the national portal's messages: the DongBoHoSoMC dossier and the CapNhatTienDoHoSoMC
step (the field names and their sources in protocol.py; what fills each field in docs/national-portal.md).

Texts go out as they are stored (NFC); the portal's words for the actors' roles are in Vietnamese whatever
the language of the officer who acted, so they are not translated.
"""

from django.utils import translation

from motcua.accounts.services import national
from motcua.agencies.models import Role
from motcua.agencies.services import body_for
from motcua.dossiers.actions import ACTIONS
from motcua.dossiers.models import Dossier, Event
from motcua.dossiers.states import Channel

from .models import FieldCode
from .protocol import MAX_PERSON, MAX_SUMMARY, PROGRESS, SYNC, cut, portal_time

__all__ = ["messages_for"]

# ChucDanh: what the actor is, in the portal's language.
ROLE_TITLES = {
    Role.ONESTOP: "Cán bộ một cửa",
    Role.SPECIALIST: "Chuyên viên",
    Role.LEADER: "Lãnh đạo",
    Role.ADMIN: "Quản trị",
    Role.COMMUNITY: "Tổ công nghệ số cộng đồng",
    "citizen": "Công dân",
    "claimant": "Công dân",
    "system": "Hệ thống",
}
# HinhThuc (how the result is returned): 0 at the counter, 1 by post (OpenCPS: viaPostal 2 -> 1).
RESULT_BY_POST = "post"


def _phone(e164: str) -> str:
    return national(e164).replace(" ", "") if e164 else ""


def _field_code(field: str) -> str:
    return FieldCode.objects.filter(field=field).values_list("code", flat=True).first() or ""


def _supplements(dossier: Dossier) -> list[dict]:
    """DanhSachHoSoBoSung: each request for papers, with the promised date before and after it."""
    rows = []
    for request in dossier.supplement_requests.select_related("requested_by").order_by("requested_at", "pk"):
        rows.append(
            {
                "HoSoBoSungId": str(request.pk),
                "NguoiYeuCauBoSung": cut(str(request.requested_by), MAX_PERSON),
                "NoiDungBoSung": cut(
                    "; ".join(request.items) + (f". {request.reason}" if request.reason else ""), MAX_SUMMARY
                ),
                "NgayBoSung": portal_time(request.requested_at),
                "NgayTiepNhanBoSung": portal_time(request.resolved_at),
            }
        )
    return rows


def dossier_record(dossier: Dossier, event: Event) -> dict:
    """The HoSo object of DongBoHoSoMC: the dossier as it stands right after `event`."""
    procedure, agency = dossier.procedure, dossier.agency
    email = getattr(dossier.applicant, "email", "") or ""
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": _field_code(procedure.field),
        "TenLinhVuc": procedure.field,
        "KenhThucHien": str(dossier.channel or Channel.ONLINE),
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": "1",  # a citizen (2 = a business): motcua files for people
        "MaDoiTuong": "",
        "ThongTinKhac": "",
        "Email": email,
        "Fax": "",
        "SoDienThoai": _phone(dossier.applicant_phone),
        "TrichYeuHoSo": cut(f"{procedure.name} — {dossier.applicant_name}", MAX_SUMMARY),
        "NgayTiepNhan": portal_time(dossier.received_at),
        "NgayHenTra": portal_time(dossier.due_at),
        "TrangThaiHoSo": str(dossier.status),
        "NgayTra": portal_time(dossier.returned_at),
        "ThongTinTra": "",
        "HinhThuc": "1" if dossier.result_method == RESULT_BY_POST else "0",
        "NgayKetThucXuLy": portal_time(dossier.end_at),
        "DonViXuLy": body_for(agency, procedure.executing_body).name,  # Công an xã for residence
        "GhiChu": cut(event.note, MAX_SUMMARY) if event.citizen_visible else "",
        "TaiLieuNop": [],
        "DanhSachLePhi": [],
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": _supplements(dossier) if dossier.supplement_count else [],
        "DanhSachGiayToKetQua": [],
    }


def step_record(dossier: Dossier, event: Event) -> dict:
    """One step of CapNhatTienDoHoSoMC: who did what, when, and the status it led to."""
    actor = str(event.actor) if event.actor_id else "Hệ thống"
    action = ACTIONS.get(event.action)
    done = str(action.record) if action else event.action
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": cut(actor, MAX_PERSON),
        "ChucDanh": ROLE_TITLES.get(event.role, ""),
        "ThoiDiemXuLy": portal_time(event.at),
        "PhongBanXuLy": dossier.agency.name,
        "NoiDungXuLy": cut(
            done + (f": {event.note}" if event.note and event.citizen_visible else ""), MAX_SUMMARY
        ),
        "TrangThai": str(event.to_status),
        "NgayBatDau": portal_time(event.at),
        "NgayKetThucTheoQuyDinh": portal_time(event.due_at),
    }


def messages_for(dossier: Dossier, event: Event, *, known: bool) -> list[dict]:
    """The two calls that tell the portal about `event`; `known` once the portal has the dossier. In
    Vietnamese whatever the language of the request that performed the action."""
    with translation.override("vi"):
        return [
            {
                "service": SYNC,
                "isUpdating": "True" if known else "False",
                "data": [dossier_record(dossier, event)],
            },
            {"service": PROGRESS, "data": [step_record(dossier, event)]},
        ]
