"""The civil-status declarations as the Ministry of Justice's forms print them, line for line.

Each `OfficialForm` holds the form's lines in the order the form has them, as the form words them, with a
blank for each answer: `{field}` prints that field of the e-declaration (a date dd/mm/yyyy, a choice by
its label), `{field:how}` prints it another way (see `HOW`). The lines are the mapping from the
e-declaration's fields to the form: `mapping(form)` lists (field name, template line) for every field, and
a test walks the lines of a rendered declaration against them.

What the web form says to help a person fill it in (`FormField.help_text`, and the label of a web-only
field such as "Nếu chọn Khác, ghi rõ quan hệ") is never printed: only the words below are. The form's own
footnote markers ("(1)", "(2)" …) and its footnotes, which tell a person how to fill in a blank paper
form, are left out of a filled one.

Sources: the forms of Thông tư 04/2020/TT-BTP (28/5/2020) as replaced by Thông tư 04/2024/TT-BTP. The
national portal's published texts were not reachable from here; the lines were checked against
independent reproductions of the current forms (see each form's `source_note`).
"""

import datetime as dt
from dataclasses import dataclass, field
from string import Formatter

from ..words import clean_text, date_in_figures, date_to_words, long_date

# Kinds of line, which decide where and how a line is drawn (content/declarations.py).
ADDRESSEE = "addressee"  # "Kính gửi: …", centred under the title
FIELD = "field"  # "Label: value ……" with a dotted leader
LEAD = "lead"  # a sentence of the form's own that introduces what follows (bold)
NOTE = "note"  # a sentence of the form's own that introduces what follows (italic)
SENTENCE = "sentence"  # a sentence of the commitment, justified, first line indented
COPIES = "copies"  # the copies requested, left of the signature
PLACE_DATE = "place_date"  # "Làm tại: …, ngày … tháng … năm …", above the signature
SIGNATURE = "signature"  # the signer's title ("Bên nữ|Bên nam" for two); the name goes under the signature
ROW = "row"  # a row of the form's table, its cells parted by "|" (the first row is the table's heading)
CELL = "cell"  # one cell of a row
SIGN_HINT = "(Ký, ghi rõ họ, chữ đệm, tên)"
BLANK = "…………"  # an unanswered blank in the middle of a line
GAP = "\u2003\u2003"  # two em spaces between an answer and the next label on the same line


@dataclass(frozen=True)
class Line:
    text: str  # the form's words, each blank as {field} or {field:how}
    kind: str = FIELD

    def slots(self) -> list[tuple[str, str]]:
        """(field, how) for each blank of the line, in order."""
        return [(name, how or "") for _lit, name, how, _conv in Formatter().parse(self.text) if name]

    def parts(self) -> list[tuple[str, str, str]]:
        """(words before the blank, field, how) for each blank, and the words after the last one."""
        return [(lit, name or "", how or "") for lit, name, how, _conv in Formatter().parse(self.text)]


@dataclass(frozen=True)
class OfficialForm:
    codes: tuple[str, ...]  # the procedures whose declaration this is
    title: str
    lines: tuple[Line, ...]
    source: str  # the legal text and where in it the form is
    source_date: dt.date
    effective_from: dt.date  # dossiers filed from this day print this form
    source_note: str = ""  # what was and was not verified
    signers: tuple[str, ...] = ("requester_name",)  # the name printed under each signature
    extra_fields: tuple[str, ...] = field(default=())  # web fields folded into a line (e.g. "…_other")


def _fields_of(name: str, how: str) -> list[str]:
    """The e-declaration's fields a blank prints."""
    if how == "identity":
        return [f"{name}_id_type", f"{name}_id_number", f"{name}_id_issue_date", f"{name}_id_issue_place"]
    if how == "other":
        return [name, f"{name}_other"]
    if how == "detail":
        return [name, f"{name}_detail"]
    return [name]


def mapping(form: OfficialForm) -> list[tuple[str, str]]:
    """(field name, template line) for every field the form prints, in the form's order."""
    out: list[tuple[str, str]] = []
    for line in form.lines:
        for name, how in line.slots():
            for field_name in _fields_of(name, how):
                if (field_name, line.text) not in out:
                    out.append((field_name, line.text))
    return out


def mapped_fields(form: OfficialForm) -> set[str]:
    return {name for name, _line in mapping(form)}


# --- the values -------------------------------------------------------------------------------------------


def _date(raw) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        return None


def _choice(spec, raw) -> str:
    for choice in (spec.choices if spec else None) or []:
        if str(choice.get("value")) == str(raw):
            return clean_text(choice.get("label", raw))
    return clean_text(raw)


def value(name: str, how: str, data: dict, specs: dict) -> str:
    """The words a blank is filled with; "" when the person left it empty."""
    if how == "identity":
        number = clean_text(data.get(f"{name}_id_number") or "")
        if not number:
            return ""
        kind = _choice(specs.get(f"{name}_id_type"), data.get(f"{name}_id_type") or "")
        text = f"{kind} số {number}" if kind else number
        place = clean_text(data.get(f"{name}_id_issue_place") or "")
        day = _date(data.get(f"{name}_id_issue_date") or "")
        if place:
            text += f" do {place} cấp"
        if day:
            text += f" ngày {date_in_figures(day)}" if place else f" cấp ngày {date_in_figures(day)}"
        return text
    raw = data.get(name)
    if how in ("yes", "no", "sentence"):
        return ""  # a box, drawn by `box_checked`; a commitment is the form's own sentence
    if raw is None or raw == "" or raw is False:
        return ""
    spec = specs.get(name)
    if how == "other":
        other = clean_text(data.get(f"{name}_other") or "")
        if str(raw) == "khac" and other:
            return other
        return _choice(spec, raw)
    if how == "detail":  # a choice and what the person wrote about it: "Đã ly hôn, theo Bản án số …"
        detail = clean_text(data.get(f"{name}_detail") or "")
        label = "" if str(raw) == "khac" else _choice(spec, raw)
        return ", ".join(part for part in (label, detail) if part)
    if how == "words":
        day = _date(raw)
        return date_to_words(day) if day else ""
    if how == "long":
        day = _date(raw)
        return long_date(day) if day else clean_text(raw)
    kind = getattr(spec, "type", "text")
    if kind == "date":
        day = _date(raw)
        return date_in_figures(day) if day else clean_text(raw)
    if kind == "choice":
        return _choice(spec, raw)
    return clean_text(raw)


def box_checked(how: str, data: dict, name: str) -> bool:
    """Whether the "Có" (how="yes") or "Không" (how="no") box is ticked."""
    asked = bool(data.get(name))
    return asked if how == "yes" else not asked


# --- the forms --------------------------------------------------------------------------------------------

TT04_2024 = "Thông tư 04/2024/TT-BTP sửa đổi, bổ sung Thông tư 04/2020/TT-BTP"
TT04_2024_DATE = dt.date(2024, 6, 6)
TT04_2024_FROM = dt.date(2024, 7, 20)
VERIFIED = (
    "Câu chữ từng dòng đối chiếu với các bản sao công khai của mẫu hiện hành (mẫu do Thông tư 04/2024/TT-BTP "
    "thay thế mẫu của Thông tư 04/2020/TT-BTP). Chưa đối chiếu được với bản gốc trên Công báo; ngày ban hành "
    "06/6/2024 và ngày hiệu lực 20/7/2024 cần xác minh lại."
)

BIRTH = OfficialForm(
    codes=("1.001193",),
    title="TỜ KHAI ĐĂNG KÝ KHAI SINH",
    source=f"{TT04_2024}, Phụ lục: Tờ khai đăng ký khai sinh",
    source_date=TT04_2024_DATE,
    effective_from=TT04_2024_FROM,
    source_note=(
        VERIFIED + " Dòng Giấy chứng nhận kết hôn của cha, mẹ và giấy tờ tùy thân của cha, mẹ theo mẫu 2024; "
        "dòng 'Số … Quyển số … đăng ký ngày … tại …' theo bản sao, cần xác minh câu chữ."
    ),
    extra_fields=("requester_relationship_other",),
    lines=(
        Line("Kính gửi: {kinh_gui}", ADDRESSEE),
        Line("Họ, chữ đệm, tên người yêu cầu: {requester_name}"),
        Line("Ngày, tháng, năm sinh: {requester_birth_date}"),
        Line("Nơi cư trú: {requester_residence}"),
        Line("Giấy tờ tùy thân: {requester:identity}"),
        Line("Quan hệ với người được khai sinh: {requester_relationship:other}"),
        Line("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:", LEAD),
        Line("Họ, chữ đệm, tên: {child_name}"),
        Line("Ngày, tháng, năm sinh: {child_birth_date} ghi bằng chữ: {child_birth_date:words}"),
        Line("Giới tính: {child_sex} Dân tộc: {child_ethnicity} Quốc tịch: {child_nationality}"),
        Line("Nơi sinh: {child_birth_place}"),
        Line("Quê quán: {child_home_town}"),
        Line("Họ, chữ đệm, tên người mẹ: {mother_name}"),
        Line("Năm sinh: {mother_birth_year} Dân tộc: {mother_ethnicity} Quốc tịch: {mother_nationality}"),
        Line("Nơi cư trú: {mother_residence}"),
        Line("Giấy tờ tùy thân: {mother_id_number}"),
        Line("Họ, chữ đệm, tên người cha: {father_name}"),
        Line("Năm sinh: {father_birth_year} Dân tộc: {father_ethnicity} Quốc tịch: {father_nationality}"),
        Line("Nơi cư trú: {father_residence}"),
        Line("Giấy tờ tùy thân: {father_id_number}"),
        Line("Thông tin về Giấy chứng nhận kết hôn của cha, mẹ trẻ (nếu cha, mẹ trẻ đã ĐKKH):", NOTE),
        Line(
            "Số: {parents_marriage_number} Quyển số: {parents_marriage_book} "
            "đăng ký ngày {parents_marriage_date} tại {parents_marriage_place}"
        ),
        Line(
            "{commitment:sentence}Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật, "
            "được sự thỏa thuận nhất trí của các bên liên quan theo quy định pháp luật.",
            SENTENCE,
        ),
        Line("Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.", SENTENCE),
        Line("Đề nghị cấp bản sao: Có {copies_requested:yes} Không {copies_requested:no}", COPIES),
        Line("Số lượng: {copies_count} bản", COPIES),
        Line("Làm tại: {signed_place}", PLACE_DATE),
        Line("Người yêu cầu", SIGNATURE),
    ),
)

DEATH = OfficialForm(
    codes=("1.000656",),
    title="TỜ KHAI ĐĂNG KÝ KHAI TỬ",
    source=f"{TT04_2024}, Phụ lục: Tờ khai đăng ký khai tử",
    source_date=TT04_2024_DATE,
    effective_from=TT04_2024_FROM,
    source_note=VERIFIED + " Câu cam đoan theo mẫu 2020 (giữ nguyên ở mẫu 2024), cần xác minh câu chữ.",
    extra_fields=("requester_relationship_other",),
    lines=(
        Line("Kính gửi: {kinh_gui}", ADDRESSEE),
        Line("Họ, chữ đệm, tên người yêu cầu: {requester_name}"),
        Line("Ngày, tháng, năm sinh: {requester_birth_date}"),
        Line("Nơi cư trú: {requester_residence}"),
        Line("Giấy tờ tùy thân: {requester:identity}"),
        Line("Quan hệ với người đã chết: {requester_relationship:other}"),
        Line("Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:", LEAD),
        Line("Họ, chữ đệm, tên: {deceased_name}"),
        Line("Ngày, tháng, năm sinh: {deceased_birth_date}"),
        Line("Giới tính: {deceased_sex} Dân tộc: {deceased_ethnicity} Quốc tịch: {deceased_nationality}"),
        Line("Nơi cư trú cuối cùng: {deceased_residence}"),
        Line("Giấy tờ tùy thân: {deceased_id_number}"),
        Line("Đã chết vào lúc: {death_time}, {death_date:long}"),
        Line("Nơi chết: {death_place}"),
        Line("Nguyên nhân chết: {death_cause}"),
        Line("Số Giấy báo tử/Giấy tờ thay thế Giấy báo tử: {death_notice}"),
        Line(
            "{commitment:sentence}Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách "
            "nhiệm trước pháp luật về cam đoan của mình.",
            SENTENCE,
        ),
        Line("Đề nghị cấp bản sao: Có {copies_requested:yes} Không {copies_requested:no}", COPIES),
        Line("Số lượng: {copies_count} bản", COPIES),
        Line("Làm tại: {signed_place}", PLACE_DATE),
        Line("Người yêu cầu", SIGNATURE),
    ),
)

MARITAL_STATUS = OfficialForm(
    codes=("1.004873",),
    title="TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
    source=f"{TT04_2024}, Phụ lục: Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
    source_date=TT04_2024_DATE,
    effective_from=TT04_2024_FROM,
    source_note=(
        VERIFIED
        + " Dòng 'Quan hệ với người được cấp Giấy xác nhận' theo bản mẫu .docx công khai (bản khác ghi "
        "thêm 'tình trạng hôn nhân'); mẫu không có mục đề nghị cấp bản sao."
    ),
    extra_fields=("requester_relationship_other",),
    lines=(
        Line("Kính gửi: {kinh_gui}", ADDRESSEE),
        Line("Họ, chữ đệm, tên người yêu cầu: {requester_name}"),
        Line("Ngày, tháng, năm sinh: {requester_birth_date}"),
        Line("Nơi cư trú: {requester_residence}"),
        Line("Giấy tờ tùy thân: {requester:identity}"),
        Line("Quan hệ với người được cấp Giấy xác nhận: {requester_relationship:other}"),
        Line("Đề nghị cấp Giấy xác nhận tình trạng hôn nhân cho người có tên dưới đây:", LEAD),
        Line("Họ, chữ đệm, tên: {subject_name}"),
        Line("Ngày, tháng, năm sinh: {subject_birth_date}"),
        Line("Giới tính: {subject_sex} Dân tộc: {subject_ethnicity} Quốc tịch: {subject_nationality}"),
        Line("Nơi cư trú: {subject_residence}"),
        Line("Giấy tờ tùy thân: {subject:identity}"),
        Line(
            "Trong thời gian cư trú tại: {residence_period_place} từ ngày {residence_period_from} "
            "đến ngày {residence_period_to}"
        ),
        Line("Tình trạng hôn nhân: {marital_status:detail}"),
        Line("Mục đích sử dụng Giấy xác nhận tình trạng hôn nhân: {purpose:detail}"),
        Line(
            "{commitment:sentence}Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách "
            "nhiệm trước pháp luật về cam đoan của mình.",
            SENTENCE,
        ),
        Line("Làm tại: {signed_place}", PLACE_DATE),
        Line("Người yêu cầu", SIGNATURE),
    ),
)

MARRIAGE = OfficialForm(
    codes=("1.000894",),
    title="TỜ KHAI ĐĂNG KÝ KẾT HÔN",
    source=f"{TT04_2024}, Phụ lục: Tờ khai đăng ký kết hôn",
    source_date=TT04_2024_DATE,
    effective_from=TT04_2024_FROM,
    source_note=(
        VERIFIED
        + " Bảng thông tin hai bên và ba câu cam đoan theo các bản mẫu công khai; chưa đối chiếu được "
        "việc mẫu 2024 có thêm dòng nào cho bảng hay không."
    ),
    signers=("bride_name", "groom_name"),
    lines=(
        Line("Kính gửi: {kinh_gui}", ADDRESSEE),
        Line("Thông tin|Bên nữ|Bên nam", ROW),
        Line("Họ, chữ đệm, tên|{bride_name}|{groom_name}", ROW),
        Line("Ngày, tháng, năm sinh|{bride_birth_date}|{groom_birth_date}", ROW),
        Line("Dân tộc|{bride_ethnicity}|{groom_ethnicity}", ROW),
        Line("Quốc tịch|{bride_nationality}|{groom_nationality}", ROW),
        Line("Nơi cư trú|{bride_residence}|{groom_residence}", ROW),
        Line("Giấy tờ tùy thân|{bride_id_number}|{groom_id_number}", ROW),
        Line("Kết hôn lần thứ mấy|{bride_marriage_count}|{groom_marriage_count}", ROW),
        Line(
            "{commitment:sentence}Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn "
            "của chúng tôi là tự nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình Việt Nam.",
            SENTENCE,
        ),
        Line("Chúng tôi chịu hoàn toàn trách nhiệm trước pháp luật về cam đoan của mình.", SENTENCE),
        Line("Đề nghị Quý cơ quan đăng ký.", SENTENCE),
        Line("Đề nghị cấp bản sao: Có {copies_requested:yes} Không {copies_requested:no}", COPIES),
        Line("Số lượng: {copies_count} bản", COPIES),
        Line("Làm tại: {signed_place}", PLACE_DATE),
        Line("Bên nữ|Bên nam", SIGNATURE),
    ),
)

FORMS: tuple[OfficialForm, ...] = (BIRTH, DEATH, MARITAL_STATUS, MARRIAGE)


def official_form(procedure, day: dt.date) -> OfficialForm | None:
    """The official form the declaration of `procedure` prints for a dossier of `day`, if there is one."""
    for form in FORMS:
        if procedure.code in form.codes and day >= form.effective_from:
            return form
    return None
