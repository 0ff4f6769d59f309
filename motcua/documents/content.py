"""What each document says: the declaration of any procedure and the one-stop slips, as `layout.Doc`.

The wording of the slips follows the forms of Thông tư 01/2018/TT-VPCP and Thông tư 03/2025/TT-VPCP
(Phụ lục I); the number, title and legal basis printed on a slip come from its `DocumentTemplate` row.
The layout follows Nghị định 30/2020/NĐ-CP, Phụ lục I: the two-column header (issuing body with a
short rule; national name and motto with a rule the length of the motto), the italic place-and-date
line with leading zeros, the title in bold capitals, the signature blocks.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from motcua.catalog.text import format_vnd

from .layout import TEXT_WIDTH, Doc, Grid, Para, Picture, Run, b, box, i, p
from .models import DocumentTemplate, Kind
from .words import (
    amount_in_words,
    clean_text,
    date_in_figures,
    date_to_words,
    long_date,
    place_and_date,
    time_and_date,
)

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
HEADER_WIDTHS = [73.0, 92.0]  # the national name in 12 pt bold needs 88 mm
SIGNATURE_SPACE = 54.0  # points left blank for the signature above the signer's name

# Date fields that the official form asks to write in words as well ("ghi bằng chữ").
DATES_IN_WORDS = {("1.001193", "child_birth_date"), ("1.004884", "subject_birth_date")}
# Sections whose fields are printed without a heading (the form has none for them).
UNTITLED_SECTIONS = {"", "Kính gửi", "Cam đoan", "Nơi làm tờ khai", "Đề nghị cấp bản sao"}
# Fields printed in the header or the signature block rather than in the list of fields.
PLACED_FIELDS = {"kinh_gui", "signed_place"}
SIGNER_FIELDS = (
    "requester_name",
    "full_name",
    "applicant_name",
    "host_name",
    "owner_name",
    "head_name",
    "guardian_name",
)
ROLE_LABELS = {
    "citizen": "Công dân",
    "onestop": "Bộ phận Một cửa",
    "specialist": "Chuyên viên",
    "leader": "Lãnh đạo",
    "admin": "Quản trị",
}
ACTION_LABELS = {
    "submit": "Nộp hồ sơ",
    "receive": "Tiếp nhận hồ sơ",
    "refuse": "Từ chối tiếp nhận",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "supplement": "Công dân gửi bổ sung",
    "forward": "Chuyển chuyên viên xử lý",
    "request_payment": "Yêu cầu nộp phí, lệ phí",
    "confirm_payment": "Xác nhận đã nộp phí",
    "submit_for_approval": "Trình lãnh đạo duyệt",
    "approve": "Lãnh đạo duyệt",
    "return_for_rework": "Trả lại để xử lý lại",
    "stop": "Dừng xử lý",
    "withdraw": "Công dân rút hồ sơ",
    "extend": "Gia hạn, hẹn lại ngày trả",
    "deliver_result": "Trả kết quả",
}


class NotApplicable(Exception):
    """The document does not exist for this dossier (yet): no receipt before receipt, and so on."""


@dataclass
class Source:
    """Everything a builder reads, fetched once: the dossier, its events in order, the site's address."""

    dossier: object
    events: list
    site_url: str

    @property
    def agency(self):
        return self.dossier.agency

    @property
    def procedure(self):
        return self.dossier.procedure

    def last(self, action: str):
        for event in reversed(self.events):
            if event.action == action:
                return event
        return None


# --- small helpers ---------------------------------------------------------------------------------------


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def person(user) -> str:
    if user is None:
        return ""
    return user.full_name or user.username


def applicant_id(dossier) -> str:
    data = dossier.form_data or {}
    return dossier.applicant_id_number or str(
        data.get("requester_id_number") or data.get("personal_id") or ""
    )


def applicant_address(dossier) -> str:
    data = dossier.form_data or {}
    return dossier.applicant_address or clean_text(
        data.get("requester_residence") or data.get("residence") or data.get("address") or ""
    )


def applicant_phone(dossier) -> str:
    if not dossier.applicant_phone:
        return ""
    from motcua.accounts.phones import national

    try:
        return national(dossier.applicant_phone)
    except Exception:  # a number typed at the counter that phonenumbers cannot parse is printed as typed
        return dossier.applicant_phone


def lookup_url(site_url: str, code: str) -> str:
    return f"{site_url.rstrip('/')}/tra-cuu/?ma={code}"


def qr_png(text: str) -> bytes:
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def due_history(source: Source) -> list[dt.datetime | None]:
    """The promised return time after each event, replaying the lifecycle's rules on the event log.

    The dossier keeps only its current `due_at`; a receipt must print the time promised on the day of
    receipt, and an apology the time it replaces. The rules are those of `dossiers.lifecycle`: receipt
    sets the deadline, a request to the citizen pauses it, the citizen's answer moves it later by the
    working days waited, an extension sets a new day at the same time of day.
    """
    from motcua.workdays.services import due_at, shift_for_pause

    procedure = source.procedure
    due: dt.datetime | None = None
    paused: dt.datetime | None = None
    history: list[dt.datetime | None] = []
    for event in source.events:
        if event.action == "receive":
            due = due_at(event.at, kind=procedure.time_kind, value=procedure.time_value)
        elif event.action in ("request_supplement", "request_payment"):
            if due is not None and paused is None:
                paused = event.at
        elif event.action in ("supplement", "confirm_payment"):
            if due is not None and paused is not None:
                due = shift_for_pause(due, paused_at=paused, resumed_at=event.at)
            paused = None
        elif event.action == "stop":
            paused = None
        elif event.action == "extend":
            new_day = dt.date.fromisoformat(event.data["new_due_date"])
            if due is not None:
                time_of_day = local(due).timetz()
            else:
                time_of_day = dt.time(17, 0, tzinfo=timezone.get_current_timezone())
            due = dt.datetime.combine(new_day, time_of_day)
        history.append(due)
    return history


def due_after(source: Source, event) -> dt.datetime | None:
    return due_history(source)[source.events.index(event)]


def due_before(source: Source, event) -> dt.datetime | None:
    index = source.events.index(event)
    return due_history(source)[index - 1] if index else None


# --- shared parts ----------------------------------------------------------------------------------------


def form_note(text: str) -> Para:
    return p(i(text), align="right", size=11, after=6)


def title(text: str, *lines: Para) -> list[Para]:
    return [p(b(text.upper()), align="center", size=14, before=14, after=2, keep=True), *lines]


def national_header() -> list[Para]:
    return [
        p(b(NATIONAL_NAME), align="center", size=13, after=0),
        Para([b(MOTTO)], align="center", size=14, rule="text", after=6),
    ]


def issuing_body(name: str) -> str:
    """The issuing body in capitals, a People's Committee on two lines: "ỦY BAN NHÂN DÂN\nXÃ VĨNH LINH"."""
    upper = clean_text(name).upper()
    prefix = "ỦY BAN NHÂN DÂN "
    if upper.startswith(prefix) and len(upper) > len(prefix):
        return f"{prefix.strip()}\n{upper[len(prefix) :]}"
    return upper


def agency_header(agency, *, number: str, day: dt.date) -> Grid:
    """Decree 30's header: issuing body left, national name and motto right, number and date below."""
    left: list[Para | Picture] = []
    if agency.parent_name:
        left.append(p(agency.parent_name.upper(), align="center", size=12, after=0))
    left.append(Para([b(issuing_body(agency.name))], align="center", size=12, rule="short", after=0))
    right: list[Para | Picture] = [
        p(b(NATIONAL_NAME), align="center", size=12, after=0),
        Para([b(MOTTO)], align="center", size=13, rule="text", after=0),
    ]
    return Grid(
        widths=HEADER_WIDTHS,
        rows=[
            [left, right],
            [
                [p(number, align="center", size=12, before=4, after=0)] if number else [],
                [p(i(place_and_date(agency.place_name, day)), align="center", size=13, before=4, after=0)],
            ],
        ],
    )


def numbered(template: DocumentTemplate, code: str) -> str:
    return f"Số: {code}/{template.symbol}" if template.symbol else f"Số: {code}"


def field(label: str, value: str = "", *, indent: bool = False) -> Para:
    """ "Label: value ........" with the dots to the right margin; an empty value leaves a dotted line."""
    runs = [Run(f"{label}: ")]
    if value:
        runs.append(b(value))
    return Para(runs, leader=True, indent=indent, after=2)


def signature(title_text: str, hint: str, name: str = "", *, place_date: str = "") -> list[Para | Picture]:
    cell: list[Para | Picture] = []
    if place_date:
        cell.append(p(i(place_date), align="center", before=8, after=2))
    cell.append(p(b(title_text.upper()), align="center", before=0 if place_date else 8, after=0))
    cell.append(p(i(hint), align="center", after=0))
    cell.append(p(b(name) if name else "", align="center", before=SIGNATURE_SPACE, after=0))
    return cell


def signatures(left: list, right: list, *, pair: bool = False) -> Grid:
    """Two signature blocks side by side (`pair`), or one on the right with "Nơi nhận" or nothing left."""
    widths = [TEXT_WIDTH / 2] * 2 if pair else [70.0, TEXT_WIDTH - 70.0]
    return Grid(widths=widths, rows=[[left, right]])


def recipients(lines: list[str]) -> list[Para | Picture]:
    cell: list[Para | Picture] = [p(Run("Nơi nhận:", bold=True, italic=True), size=12, before=8, after=0)]
    cell += [p(line, size=11, after=0) for line in lines]
    return cell


def table(
    widths: list[float], headers: list[str], rows: list[list[str]], *, size: float = 12, padding: float = 1.5
) -> Grid:
    head = [[p(b(h), align="center", size=size, after=0)] for h in headers]
    body = [
        [[p(value, align="center" if n == 0 else "left", size=size, after=0)] for n, value in enumerate(row)]
        for row in rows
    ]
    return Grid(widths=widths, rows=[head, *body], ruled=True, header_rows=1, padding=padding)


def choice_label(spec, value) -> str:
    for choice in spec.choices or []:
        if str(choice.get("value")) == str(value):
            return str(choice.get("label", value))
    return str(value)


# --- declarations ----------------------------------------------------------------------------------------


def form_reference(procedure) -> str:
    """The form's own reference at the top right, from the procedure's legal basis, if it names one.

    "Mẫu CT01, CT08" under Thông tư 56/2021 -> "Mẫu CT01 ban hành kèm theo Thông tư 56/2021/TT-BCA (...)";
    a civil-status declaration -> "Mẫu tờ khai ban hành kèm theo Thông tư 04/2020/TT-BTP (...)".
    """
    import re

    for basis in procedure.legal_basis or []:
        article, text = str(basis.get("article", "")), str(basis.get("title", ""))
        match = re.match(r"^Mẫu\s+(số\s+)?([\w.]+)", article)
        if match:
            return f"Mẫu {match.group(1) or ''}{match.group(2)} ban hành kèm theo {text}"
        if article.lower().startswith(("tờ khai", "phiếu yêu cầu")):
            return f"Mẫu ban hành kèm theo {text}"
    return ""


def _date_value(raw) -> tuple[str, dt.date | None]:
    try:
        day = dt.date.fromisoformat(str(raw))
    except ValueError:
        return clean_text(raw), None
    return date_in_figures(day), day


def field_paragraphs(procedure, spec, raw) -> list[Para]:
    """One field of the e-declaration as it reads on paper."""
    label = spec.label
    empty = raw is None or raw == "" or raw is False
    kind = spec.type
    if kind == "boolean":
        if spec.name == "commitment":
            return [p(label, align="justify", indent=True, before=4, after=4)]
        return [p(box(not empty), " ", label, align="justify", after=2)]
    if kind == "choice":
        known = {str(c.get("value")) for c in spec.choices or []}
        runs: list[Run] = [Run(f"{label}: ")]
        for choice in spec.choices or []:
            runs += [
                box(not empty and str(choice.get("value")) == str(raw)),
                Run(f" {choice.get('label')}   "),
            ]
        if not empty and str(raw) not in known:  # data from an older version of the form
            runs.append(b(str(raw)))
        runs[-1] = Run(runs[-1].text.rstrip(), bold=runs[-1].bold)
        return [Para(runs, after=2)]
    if empty:
        return [field(label)]
    if kind == "date":
        text, day = _date_value(raw)
        out = [field(label, text)]
        if day is not None and (procedure.code, spec.name) in DATES_IN_WORDS:
            out.append(field("Ghi bằng chữ", date_to_words(day)))
        return out
    if kind == "integer" and spec.name.endswith("_vnd") and str(raw).isdigit():
        amount = int(raw)
        return [field(label, f"{format_vnd(amount)} ({amount_in_words(amount)})")]
    return [field(label, clean_text(raw))]


def declaration(source: Source, *, today: dt.date) -> Doc:
    dossier, procedure, agency = source.dossier, source.procedure, source.agency
    specs = list(procedure.form_fields.all())
    if not procedure.form_title or not specs:
        raise NotApplicable
    data = dossier.form_data or {}
    day = local(dossier.submitted_at).date() if dossier.submitted_at else today
    blocks: list = []
    reference = form_reference(procedure)
    if reference:
        blocks.append(form_note(reference))
    blocks += national_header()
    addressee = clean_text(data.get("kinh_gui") or agency.name)
    blocks += title(procedure.form_title)
    if any(spec.name == "kinh_gui" for spec in specs):
        blocks.append(p("Kính gửi: ", b(addressee), align="center", before=4, after=8))
    else:
        blocks.append(p("", after=6))
    section = None
    for spec in specs:
        if spec.name in PLACED_FIELDS:
            continue
        if spec.section != section and spec.section not in UNTITLED_SECTIONS:
            blocks.append(p(b(spec.section), before=6, after=2, keep=True))
        section = spec.section
        blocks += field_paragraphs(procedure, spec, data.get(spec.name))
    place = clean_text(data.get("signed_place") or agency.place_name)
    place_date = f"Làm tại {place_and_date(place, day)}"
    hint = "(Ký, ghi rõ họ, chữ đệm, tên)"
    names = {spec.name for spec in specs}
    if {"bride_name", "groom_name"} <= names:
        blocks.append(
            Grid(widths=[70.0, TEXT_WIDTH - 70.0], rows=[[[], [p(i(place_date), align="center", before=8)]]])
        )
        blocks.append(
            signatures(
                signature("Bên nữ", hint, clean_text(data.get("bride_name", ""))),
                signature("Bên nam", hint, clean_text(data.get("groom_name", ""))),
                pair=True,
            )
        )
    else:
        signer = next((data[n] for n in SIGNER_FIELDS if n in names and data.get(n)), dossier.applicant_name)
        blocks.append(
            signatures([], signature("Người yêu cầu", hint, clean_text(signer), place_date=place_date))
        )
    return Doc(
        kind=Kind.DECLARATION,
        filename=f"to-khai-{dossier.code}",
        title=procedure.form_title,
        blocks=blocks,
    )


# --- the one-stop slips ----------------------------------------------------------------------------------


def _slip_start(source: Source, template: DocumentTemplate, day: dt.date, *lines: Para) -> list:
    return [
        form_note(template.form_note),
        agency_header(source.agency, number=numbered(template, source.dossier.code), day=day),
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
    from motcua.catalog.services import describe_fee

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
    from motcua.catalog.services import describe_time

    dossier, agency = source.dossier, source.agency
    received = local(event.at)
    due = due_after(source, event)
    url = lookup_url(source.site_url, dossier.code)
    blocks = _slip_start(source, template, received.date(), _code_line(dossier.code))
    blocks += [
        p(f"{agency.name} tiếp nhận hồ sơ của:", after=2),
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
                    [Picture(qr_png(url), 30, alt="Mã QR tra cứu hồ sơ")],
                    [
                        p(
                            "Tra cứu tình trạng hồ sơ: quét mã QR bên cạnh hoặc vào địa chỉ",
                            before=14,
                            after=0,
                        ),
                        p(b(url), after=0),
                        p(f"và nhập mã hồ sơ {dossier.code} cùng 4 số cuối điện thoại.", after=0),
                    ],
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


def supplement(source: Source, template: DocumentTemplate, event) -> Doc:
    dossier, agency = source.dossier, source.agency
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
            f"Ngày {date_in_figures(local(received).date())}, {agency.name} đã tiếp nhận hồ sơ của Ông/Bà ",
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
    dossier, agency = source.dossier, source.agency
    day = local(event.at).date()
    blocks = _slip_start(source, template, day)
    blocks += [
        p(f"{agency.name} tiếp nhận hồ sơ của:", before=10, after=2),
        field("Ông/Bà", dossier.applicant_name),
        field("Mã hồ sơ", dossier.code),
        field("Nội dung yêu cầu giải quyết", dossier.procedure.name),
        p(
            "Căn cứ quy định tại thủ tục hành chính đã được công bố, "
            f"{agency.name} từ chối tiếp nhận, giải quyết hồ sơ này vì lý do sau:",
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
    dossier, agency = source.dossier, source.agency
    day = local(event.at).date()
    old, new = due_before(source, event), due_after(source, event)
    received = dossier.received_at or dossier.submitted_at
    new_text = time_and_date(local(new)) if new else ""
    is_2018 = template.valid_from.year < 2025
    closing = (
        f"{agency.name} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào {new_text}."
        if is_2018
        else f"{agency.name} trân trọng xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ, "
        f"hẹn trả kết quả vào {new_text}."
    )
    blocks = _slip_start(source, template, day, _addressee(dossier))
    blocks += [
        p(
            f"Ngày {date_in_figures(local(received).date())}, {agency.name} "
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
            f"Tuy nhiên đến nay, {agency.name} chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng hạn ghi "
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
            signature("Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên và đóng dấu)"),
        ),
    ]
    return Doc(kind=Kind.APOLOGY, filename=f"xin-loi-{dossier.code}", title=template.title, blocks=blocks)


def stop_notice(source: Source, template: DocumentTemplate, event) -> Doc:
    dossier, agency = source.dossier, source.agency
    day = local(event.at).date()
    received = dossier.received_at or dossier.submitted_at
    blocks = _slip_start(source, template, day, _addressee(dossier))
    blocks += [
        p(
            f"Ngày {date_in_figures(local(received).date())}, {agency.name} tiếp nhận hồ sơ của Ông/Bà ",
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
            f"{agency.name} thông báo dừng giải quyết hồ sơ nêu trên kể từ {long_date(day)}, vì lý do sau:",
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
            signature("Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên và đóng dấu)"),
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
    dossier, agency = source.dossier, source.agency
    day = local(event.at).date()
    history = due_history(source)
    rows = []
    for index, item in enumerate(source.events):
        note = item.note if item.citizen_visible else ""
        rows.append(
            [
                str(index + 1),
                local(item.at).strftime("%H:%M\n%d/%m/%Y"),
                ACTION_LABELS.get(item.action, item.action),
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
        field("Cơ quan (bộ phận) giải quyết hồ sơ", agency.name),
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


# --- the fee receipt (biên lai thu phí, lệ phí) -------------------------------------------------------------

PAYMENT_METHODS = {
    "cash": "Tiền mặt",
    "tiền mặt": "Tiền mặt",
    "vnpay": "Thanh toán trực tuyến qua VNPay",
    "chuyển khoản": "Chuyển khoản",
    "vietqr": "Chuyển khoản (VietQR)",
    "paygov": "Thanh toán qua Nền tảng thanh toán trực tuyến quốc gia",
}


def paid_fee(dossier):
    """The dossier's latest paid `PaymentRequest`, or None (also when the payments app is not installed)."""
    from django.apps import apps

    if not apps.is_installed("motcua.payments"):
        return None
    from django.db.models import F

    return (
        dossier.payment_requests.filter(state="paid")
        .order_by(F("paid_at").desc(nulls_last=True), "-pk")
        .first()
    )


def paid_on(payment) -> dt.datetime:
    return local(payment.paid_at or payment.requested_at)


def payment_method(method: str) -> str:
    text = clean_text(method).strip()
    return PAYMENT_METHODS.get(text.lower(), text)


def _collector(source: Source, payment) -> str:
    """Who took the money: the officer who confirmed a cash payment; nobody by name for a bank or gateway."""
    if payment.method != "cash":
        return ""
    event = source.last("confirm_payment")
    return person(event.actor) if event is not None else ""


def fee_receipt(source: Source, template: DocumentTemplate, payment) -> Doc:
    """The e-receipt of a paid fee: what Nghị định 123/2020 (Điều 32) asks a receipt to say.

    The number is the receipt number the officer typed for cash, else the payment reference (a bank or
    gateway payment has no paper receipt); the amount in figures and in words; who paid, for what
    dossier and procedure; how; and the collector's signature block.
    """
    dossier, agency = source.dossier, source.agency
    paid = paid_on(payment)
    number = clean_text(payment.receipt_number).strip() or payment.reference
    amount = payment.amount_vnd
    blocks: list = [
        form_note(f"Biên lai điện tử lập theo {template.legal_basis}"),
        agency_header(agency, number=f"Số: {number}", day=paid.date()),
        *title(template.title, p(i("(Biên lai điện tử)"), align="center", after=8)),
        field("Đơn vị thu", agency.name),
        field("Địa chỉ đơn vị thu", agency.address),
        field("Họ tên người nộp tiền", dossier.applicant_name),
    ]
    address = applicant_address(dossier)
    if address:
        blocks.append(field("Địa chỉ", address))
    blocks += [
        field("Mã hồ sơ", dossier.code),
        field("Thủ tục hành chính", dossier.procedure.name),
        field("Tên loại phí, lệ phí", clean_text(payment.reason) or "Phí, lệ phí"),
        field("Số tiền", format_vnd(amount)),
        field("Số tiền bằng chữ", amount_in_words(amount)),
        field("Hình thức thanh toán", payment_method(payment.method)),
    ]
    if number != payment.reference:
        blocks.append(field("Mã thanh toán", payment.reference))
    blocks += [
        field("Thời gian nộp", time_and_date(paid)),
        signatures(
            [],
            signature("Người thu tiền", "(Ký, ghi rõ họ tên)", _collector(source, payment)),
        ),
    ]
    return Doc(
        kind=Kind.FEE_RECEIPT, filename=f"bien-lai-{dossier.code}", title=template.title, blocks=blocks
    )


# --- the register -----------------------------------------------------------------------------------------

REGISTER_HEADERS = [
    "TT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết",
    "Có kết quả giải quyết",
    "Trả kết quả cho cá nhân, tổ chức",
    "Ghi chú",
]
REGISTER_WIDTHS = [8, 25, 32, 10, 24, 27, 20, 19, 19, 19, 19, 19, 11]  # 252 mm: A4 landscape


def _when(moment) -> str:
    return local(moment).strftime("%d/%m/%Y\n%H:%M") if moment else ""


def register_rows(dossiers) -> list[list[str]]:
    rows = []
    for n, dossier in enumerate(dossiers, start=1):
        forwarded = next((e.at for e in dossier.forward_events), None)
        contact = ", ".join(part for part in [applicant_address(dossier), applicant_phone(dossier)] if part)
        rows.append(
            [
                str(n),
                dossier.code,
                dossier.procedure.name,
                "01",
                dossier.applicant_name,
                contact,
                dossier.agency.name,
                _when(dossier.received_at),
                _when(dossier.due_at),
                _when(forwarded),
                _when(dossier.completed_at),
                _when(dossier.returned_at),
                dossier.status_label if dossier.status in (3, 7, 8) else "",
            ]
        )
    return rows


def register(
    agency, template: DocumentTemplate, rows: list[list[str]], *, start: dt.date, end: dt.date
) -> Doc:
    blocks = [
        form_note(template.form_note),
        Grid(
            widths=[100, 152],
            rows=[
                [
                    [Para([b(issuing_body(agency.name))], align="center", size=12, rule="short", after=0)],
                    [
                        p(b(NATIONAL_NAME), align="center", size=12, after=0),
                        Para([b(MOTTO)], align="center", size=13, rule="text", after=0),
                    ],
                ]
            ],
        ),
        *title(
            template.title,
            p(
                i(f"Từ ngày {date_in_figures(start)} đến ngày {date_in_figures(end)}"),
                align="center",
                after=8,
            ),
        ),
        table(REGISTER_WIDTHS, REGISTER_HEADERS, rows or [[""] * len(REGISTER_HEADERS)], size=10, padding=1),
        p(i(f"Tổng số: {len(rows):02d} hồ sơ."), size=12, before=4),
    ]
    return Doc(
        kind=Kind.REGISTER,
        filename=f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}",
        title=template.title,
        blocks=blocks,
        landscape=True,
    )


# Which event each slip is made from, and its builder.
SLIPS = {
    Kind.RECEIPT: ("receive", receipt),
    Kind.SUPPLEMENT: ("request_supplement", supplement),
    Kind.REFUSAL: ("refuse", refusal),
    Kind.APOLOGY: ("extend", apology),
    Kind.STOP: ("stop", stop_notice),
    Kind.CONTROL: ("receive", control_slip),
}
