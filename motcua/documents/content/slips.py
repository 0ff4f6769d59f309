"""The one-stop slips (phiếu): receipt, supplement request, refusal, apology, stop notice, control slip.

The wording follows the forms of Thông tư 01/2018/TT-VPCP and Thông tư 03/2025/TT-VPCP (Phụ lục I); the
number, title and legal basis printed on a slip come from its `DocumentTemplate` row.
"""

import datetime as dt
import io

from django.utils import translation

from motcua.catalog.services import describe_fee, describe_time
from motcua.dossiers.actions import ACTIONS, action_for_slip
from motcua.dossiers.services import format_claim_code, lookup_token
from motcua.text import format_vnd

from ..layout import TEXT_WIDTH, Doc, Grid, Para, Picture, Run, b, i, p
from ..models import DocumentTemplate, Kind
from ..words import amount_in_words, clean_text, date_in_figures, long_date, time_and_date
from .common import (
    NotApplicable,
    Source,
    agency_header,
    applicant_address,
    applicant_phone,
    field,
    form_note,
    local,
    person,
    signature,
    signatures,
    table,
    title,
)

ROLE_LABELS = {
    "citizen": "Công dân",
    "onestop": "Bộ phận Một cửa",
    "specialist": "Chuyên viên",
    "leader": "Lãnh đạo",
    "admin": "Quản trị",
}


def applicant_id(dossier) -> str:
    data = dossier.form_data or {}
    return dossier.applicant_id_number or str(
        data.get("requester_id_number") or data.get("personal_id") or ""
    )


def lookup_address(site_url: str) -> str:
    """The public lookup, printed for typing: the code and the last four digits (or the claim code)."""
    return f"{site_url.rstrip('/')}/tra-cuu/"


def lookup_qr_parts(site_url: str, code: str) -> list[str]:
    """What the receipt's QR code says, in two parts: the lookup's address, then the dossier's signed token,
    which opens its public status with nothing to type. The token is upper-case letters, digits, "." and "-"
    only, so its part takes the compact alphanumeric mode and the code stays as small as it was."""
    return [lookup_address(site_url), f"{lookup_token(code)}/"]


def qr_png(content: str | list[str]) -> bytes:
    """A QR code; given parts, each is encoded in the most compact mode it allows (the text is their join)."""
    import segno

    buffer = io.BytesIO()
    segno.make(content, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def due_history(source: Source) -> list[dt.datetime | None]:
    """The promised return time after each event, as the lifecycle recorded it with the event: a receipt
    prints the time promised on the day of receipt, an apology the time it replaces."""
    return [event.due_at for event in source.events]


def due_after(source: Source, event) -> dt.datetime | None:
    return due_history(source)[source.events.index(event)]


def due_before(source: Source, event) -> dt.datetime | None:
    index = source.events.index(event)
    return due_history(source)[index - 1] if index else None


def numbered(template: DocumentTemplate, code: str) -> str:
    return f"Số: {code}/{template.symbol}" if template.symbol else f"Số: {code}"


def recipients(lines: list[str]) -> list[Para | Picture]:
    cell: list[Para | Picture] = [p(Run("Nơi nhận:", bold=True, italic=True), size=12, before=8, after=0)]
    cell += [p(line, size=11, after=0) for line in lines]
    return cell


def _slip_start(source: Source, template: DocumentTemplate, day: dt.date, *lines: Para) -> list:
    return [
        form_note(template.form_note),
        agency_header(
            source.agency, number=numbered(template, source.dossier.code), day=day, body=source.body
        ),
        *title(template.title, *lines),
    ]


def _code_line(code: str) -> Para:
    return p("Mã hồ sơ: ", b(code), align="center", after=8)


def _addressee(dossier) -> Para:
    return p("Kính gửi: Ông/Bà ", b(dossier.applicant_name), align="center", before=2, after=8)


def _documents_rows(dossier) -> list[list[str]]:
    slots = set(dossier.attachments.values_list("slot", flat=True))
    rows = []
    for n, document in enumerate(dossier.procedure.documents.all(), start=1):
        if not document.required and str(n) not in slots:
            continue
        note = "Đã nộp bản điện tử" if str(n) in slots else ""
        rows.append(
            [str(len(rows) + 1), document.name, document.get_kind_display(), f"{document.copies:02d}", note]
        )
    return rows


def _fee_paragraphs(dossier) -> list[Para]:
    if dossier.fee_vnd is not None:
        amount = dossier.fee_vnd
        return [field("7. Phí, lệ phí", f"{format_vnd(amount)} (Bằng chữ: {amount_in_words(amount)})")]
    lines = describe_fee(dossier.procedure)
    if len(lines) == 1 and lines[0].text == "Miễn phí":
        return [field("7. Phí, lệ phí", "Miễn phí")]
    out = [p("7. Phí, lệ phí (theo quy định, nếu thuộc trường hợp phải nộp):", after=2)]
    out += [p(f"- {line.label}: {line.text}", indent=True, size=12, after=1) for line in lines]
    return out


def receipt(source: Source, template: DocumentTemplate, event) -> Doc:
    dossier, agency, body = source.dossier, source.agency, source.body
    received = local(event.at)
    due = due_after(source, event)
    blocks = _slip_start(source, template, received.date(), _code_line(dossier.code))
    blocks += [
        p(f"{body.name} tiếp nhận hồ sơ của:", after=2),
        field("Ông/Bà", dossier.applicant_name),
        field("Số định danh cá nhân", applicant_id(dossier)),
        field("Địa chỉ", applicant_address(dossier)),
        field("Số điện thoại", applicant_phone(dossier)),
        field("Nội dung yêu cầu giải quyết", dossier.procedure.name),
        p("1. Thành phần hồ sơ nộp gồm:", before=2, after=2, keep=True),
        table(
            [10, 88, 32, 15, 20],
            ["TT", "Tên giấy tờ", "Hình thức", "Số lượng", "Ghi chú"],
            _documents_rows(dossier) or [["", "", "", "", ""]],
        ),
        p("2. Số lượng hồ sơ: ", b("01"), " (bộ)", before=4, after=2),
        field("3. Thời gian giải quyết hồ sơ theo quy định", describe_time(dossier.procedure)),
        field("4. Thời gian nhận hồ sơ", time_and_date(received)),
        field("5. Thời gian trả kết quả giải quyết hồ sơ", time_and_date(local(due)) if due else ""),
        field("6. Nhận kết quả tại", f"{agency.name}, {agency.address}"),
        *_fee_paragraphs(dossier),
        Grid(
            widths=[34, TEXT_WIDTH - 34],
            rows=[
                [
                    [
                        Picture(
                            qr_png(lookup_qr_parts(source.site_url, dossier.code)),
                            30,
                            alt="Mã QR tra cứu hồ sơ",
                        )
                    ],
                    _claim_code_cell(source) or _lookup_cell(source),
                ]
            ],
        ),
        signatures(
            signature("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", dossier.applicant_name),
            signature("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", person(event.actor)),
            pair=True,
        ),
    ]
    return Doc(
        kind=Kind.RECEIPT, filename=f"giay-tiep-nhan-{dossier.code}", title=template.title, blocks=blocks
    )


def _lookup_cell(source: Source) -> list[Para | Picture]:
    """Beside the QR code: how to look the dossier up without it."""
    return [
        p(
            "Tra cứu tình trạng hồ sơ: quét mã QR bên cạnh, không cần nhập gì; hoặc vào địa chỉ",
            before=10,
            after=0,
        ),
        p(b(lookup_address(source.site_url)), after=0),
        p(f"và nhập mã hồ sơ {source.dossier.code} cùng 4 số cuối điện thoại của người nộp.", after=0),
    ]


def _claim_code_cell(source: Source) -> list[Para | Picture]:
    """Beside the QR code, for a person without a phone: the claim code the desk has just issued, what it is
    for, and how to look the dossier up with it. Nothing for a dossier that has no claim code."""
    dossier = source.dossier
    if dossier.applicant_phone or not dossier.claim_code_hash:
        return []
    if source.claim_code:
        code = p("Mã nhận hồ sơ: ", b(format_claim_code(source.claim_code)), size=14, after=1)
    else:  # printed again later: the code is not kept in clear, it was printed once, when it was issued
        code = p("Mã nhận hồ sơ: ", i("đã in trên giấy tiếp nhận giao cho người nộp."), size=12, after=1)
    return [
        code,
        p(
            "Người nộp không có số điện thoại. Mã nhận hồ sơ dùng thay cho 4 số cuối điện thoại khi tra cứu "
            "hồ sơ, và để người nộp hoặc người thân nhận hồ sơ vào tài khoản dịch vụ công (mục “Nhận hồ sơ "
            "đã được nộp thay”). Giữ kín mã; mất mã, đề nghị Bộ phận Một cửa cấp lại.",
            align="justify",
            size=11,
            after=1,
        ),
        p(
            "Tra cứu: quét mã QR bên cạnh, không cần nhập gì; hoặc vào địa chỉ dưới đây và nhập mã hồ sơ "
            "cùng mã nhận hồ sơ:",
            size=11,
            after=0,
        ),
        p(b(lookup_address(source.site_url)), size=11, after=0),
    ]


def supplement(source: Source, template: DocumentTemplate, event) -> Doc:
    dossier, agency, body = source.dossier, source.agency, source.body
    request = dossier.supplement_requests.filter(requested_at__lte=event.at + dt.timedelta(seconds=5)).first()
    if request is None:
        raise NotApplicable
    asked = local(event.at)
    received = dossier.received_at or dossier.submitted_at
    blocks = _slip_start(source, template, asked.date(), _addressee(dossier))
    blocks += [
        field("Mã hồ sơ", dossier.code),
        field("Nội dung yêu cầu giải quyết", dossier.procedure.name),
        p(
            f"Ngày {date_in_figures(local(received).date())}, {body.name} đã tiếp nhận hồ sơ của Ông/Bà ",
            b(dossier.applicant_name),
            ". Tuy nhiên, hồ sơ chưa đầy đủ, chưa hợp lệ. Đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ "
            "gồm những nội dung sau:",
            align="justify",
            indent=True,
            before=4,
            after=2,
        ),
    ]
    blocks += [
        p(f"{n}. ", b(item), indent=True, align="justify", after=2) for n, item in enumerate(request.items, 1)
    ]
    blocks += [
        p("Lý do: ", request.reason, indent=True, align="justify", after=2),
        p(
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với ",
            person(request.requested_by),
            f", số điện thoại {agency.phone}" if agency.phone else "",
            " để được hướng dẫn.",
            indent=True,
            align="justify",
            after=2,
        ),
        p("Xin trân trọng cảm ơn!", indent=True, after=6),
        signatures([], signature("Người hướng dẫn", "(Ký và ghi rõ họ tên)", person(request.requested_by))),
    ]
    return Doc(
        kind=Kind.SUPPLEMENT, filename=f"phieu-bo-sung-{dossier.code}", title=template.title, blocks=blocks
    )


def refusal(source: Source, template: DocumentTemplate, event) -> Doc:
    dossier, body = source.dossier, source.body
    day = local(event.at).date()
    blocks = _slip_start(source, template, day)
    blocks += [
        p(f"{body.name} tiếp nhận hồ sơ của:", before=10, after=2),
        field("Ông/Bà", dossier.applicant_name),
        field("Mã hồ sơ", dossier.code),
        field("Nội dung yêu cầu giải quyết", dossier.procedure.name),
        p(
            "Căn cứ quy định tại thủ tục hành chính đã được công bố, "
            f"{body.name} từ chối tiếp nhận, giải quyết hồ sơ này vì lý do sau:",
            indent=True,
            align="justify",
            before=4,
            after=2,
        ),
        p(b(event.note), indent=True, align="justify", after=2),
        p("Xin thông báo cho Ông/Bà được biết và thực hiện./.", indent=True, after=6),
        signatures([], signature("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", person(event.actor))),
    ]
    return Doc(
        kind=Kind.REFUSAL, filename=f"phieu-tu-choi-{dossier.code}", title=template.title, blocks=blocks
    )


def apology(source: Source, template: DocumentTemplate, event) -> Doc:
    dossier, body = source.dossier, source.body
    day = local(event.at).date()
    old, new = due_before(source, event), due_after(source, event)
    received = dossier.received_at or dossier.submitted_at
    new_text = time_and_date(local(new)) if new else ""
    is_2018 = template.valid_from.year < 2025
    closing = (
        f"{body.name} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào {new_text}."
        if is_2018
        else f"{body.name} trân trọng xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ, "
        f"hẹn trả kết quả vào {new_text}."
    )
    blocks = _slip_start(source, template, day, _addressee(dossier))
    blocks += [
        p(
            f"Ngày {date_in_figures(local(received).date())}, {body.name} "
            "tiếp nhận giải quyết hồ sơ của Ông/Bà ",
            b(dossier.applicant_name),
            ".",
            indent=True,
            align="justify",
            before=4,
            after=2,
        ),
        field("Mã hồ sơ", dossier.code, indent=True),
        field("Nội dung yêu cầu giải quyết", dossier.procedure.name, indent=True),
        field("Thời hẹn trả kết quả giải quyết hồ sơ", time_and_date(local(old)) if old else "", indent=True),
        p(
            f"Tuy nhiên đến nay, {body.name} chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng hạn ghi "
            "trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
            indent=True,
            align="justify",
            after=2,
        ),
        p("Lý do: ", event.note, indent=True, align="justify", after=2),
        p(
            f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {closing}",
            indent=True,
            align="justify",
            after=2,
        ),
        p("Mong nhận được sự thông cảm của Ông/Bà./.", indent=True, after=8),
        signatures(
            recipients([f"- Ông/Bà {clean_text(dossier.applicant_name)};", "- Lưu: VT, Bộ phận Một cửa."]),
            signature(body.signer, "(Ký, ghi rõ họ tên và đóng dấu)"),
        ),
    ]
    return Doc(kind=Kind.APOLOGY, filename=f"xin-loi-{dossier.code}", title=template.title, blocks=blocks)


def stop_notice(source: Source, template: DocumentTemplate, event) -> Doc:
    dossier, body = source.dossier, source.body
    day = local(event.at).date()
    received = dossier.received_at or dossier.submitted_at
    blocks = _slip_start(source, template, day, _addressee(dossier))
    blocks += [
        p(
            f"Ngày {date_in_figures(local(received).date())}, {body.name} tiếp nhận hồ sơ của Ông/Bà ",
            b(dossier.applicant_name),
            ".",
            indent=True,
            align="justify",
            before=4,
            after=2,
        ),
        field("Mã hồ sơ", dossier.code, indent=True),
        field("Nội dung yêu cầu giải quyết", dossier.procedure.name, indent=True),
        p(
            f"{body.name} thông báo dừng giải quyết hồ sơ nêu trên kể từ {long_date(day)}, vì lý do sau:",
            indent=True,
            align="justify",
            after=2,
        ),
        p(b(event.note), indent=True, align="justify", after=2),
        p(
            "Ông/Bà nhận lại hồ sơ đã nộp tại Bộ phận Một cửa. Xin thông báo để Ông/Bà được biết./.",
            indent=True,
            align="justify",
            after=8,
        ),
        signatures(
            recipients([f"- Ông/Bà {clean_text(dossier.applicant_name)};", "- Lưu: VT, Bộ phận Một cửa."]),
            signature(body.signer, "(Ký, ghi rõ họ tên và đóng dấu)"),
        ),
    ]
    return Doc(kind=Kind.STOP, filename=f"thong-bao-dung-{dossier.code}", title=template.title, blocks=blocks)


def _timeliness(at: dt.datetime, due: dt.datetime | None) -> str:
    if due is None:
        return ""
    if at > due:
        return "Quá hạn"
    return "Trước hạn" if local(at).date() < local(due).date() else "Đúng hạn"


def _receiver(source: Source, index: int) -> str:
    """Who took the dossier over after event `index`: whoever acted on it next, else the citizen."""
    event = source.events[index]
    for later in source.events[index + 1 :]:
        if later.actor_id:
            return f"{person(later.actor)} ({ROLE_LABELS.get(later.role, later.role)})"
    if event.action in ("refuse", "stop", "deliver_result", "request_supplement", "request_payment"):
        return f"{source.dossier.applicant_name} (Công dân)"
    return ""


def control_slip(source: Source, template: DocumentTemplate, event) -> Doc:
    """Every hand-over of the dossier from the event log, with whether it was on time.

    Free-text notes are printed only for the events the citizen may see, so the citizen and the officer
    get the same document.
    """
    dossier, body = source.dossier, source.body
    day = local(event.at).date()
    history = due_history(source)
    rows = []
    for index, item in enumerate(source.events):
        note = item.note if item.citizen_visible else ""
        rows.append(
            [
                str(index + 1),
                local(item.at).strftime("%H:%M\n%d/%m/%Y"),
                action_label(item.action),
                f"{person(item.actor)} ({ROLE_LABELS.get(item.role, item.role)})" if item.actor else "",
                _receiver(source, index),
                _timeliness(item.at, history[index - 1] if index else None),
                note,
            ]
        )
    blocks = _slip_start(source, template, day, _code_line(dossier.code))
    blocks += [
        field("Người nộp hồ sơ", dossier.applicant_name),
        field("Nội dung yêu cầu giải quyết", dossier.procedure.name),
        field("Cơ quan (bộ phận) giải quyết hồ sơ", body.name),
        field("Cơ quan phối hợp giải quyết hồ sơ"),
        p("Quá trình giao, nhận hồ sơ:", before=4, after=2, keep=True),
        table(
            [9, 30, 27, 29, 29, 18, 23],
            ["TT", "Thời gian giao, nhận", "Nội dung", "Người giao", "Người nhận", "Kết quả", "Ghi chú"],
            rows,
            size=11,
        ),
        p(
            i(
                "Kết quả: Trước hạn / Đúng hạn / Quá hạn so với thời hạn trả kết quả "
                "tại thời điểm giao, nhận."
            ),
            size=11,
            before=2,
        ),
    ]
    return Doc(
        kind=Kind.CONTROL, filename=f"phieu-kiem-soat-{dossier.code}", title=template.title, blocks=blocks
    )


def action_label(name: str) -> str:
    """What an event did, in the words of the action catalogue (documents are in Vietnamese)."""
    action = ACTIONS.get(name)
    with translation.override("vi"):
        return str(action.record) if action else name


# Each slip's builder; the event it is made from is the action that names it in the action catalogue.
BUILDERS = {
    Kind.RECEIPT: receipt,
    Kind.SUPPLEMENT: supplement,
    Kind.REFUSAL: refusal,
    Kind.APOLOGY: apology,
    Kind.STOP: stop_notice,
    Kind.CONTROL: control_slip,
}
SLIPS = {kind: (action_for_slip(kind).name, builder) for kind, builder in BUILDERS.items()}
