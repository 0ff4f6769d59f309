"""Practice filing (nộp thử): anyone walks through the real filing steps of a procedure with sample answers,
sees what the officer will see and what the receipt looks like, and nothing is stored.

The steps, their fields and their checks are the real ones (`dossiers.steps.plan`, `DeclarationForm`,
`dossiers.services.merge_answers`); only where the answers live differs: in the visitor's session, one run
at a time, bounded in size, never in a dossier. No file is accepted (the papers step explains instead), no
message is sent, no account is needed. A run is counted once, when it starts (`uptake.note`, Step.PRACTICE).
"""

import datetime as dt
import re

from django.utils import timezone

from motcua.catalog.models import FieldType, Procedure, declaration_fields
from motcua.documents.layout import Grid, Para
from motcua.documents.services import NotApplicable, sample_declaration
from motcua.dossiers.services import merge_answers
from motcua.text import nfc

from .models import Village

__all__ = [
    "LIMIT",
    "SESSION",
    "answers_of",
    "declaration",
    "keep",
    "sample_answers",
    "signer",
    "start",
    "started",
]

SESSION = "practice"  # session: {"code": procedure code, "answers": {...}} of the run under way
LIMIT = 20_000  # characters of answers a practice run keeps in a session; a larger post is refused

# Who signs the declaration, in the order the documents app looks for a signer.
SIGNERS = ("requester_name", "full_name", "applicant_name", "host_name", "owner_name", "head_name")
SAMPLE_NAME = "Nguyễn Văn An"

# Sample people by the field's name: the applicant and the men of a form one name, the women another.
_NAMES = (
    (re.compile(r"^(mother|bride|wife)_name$"), "Trần Thị Bình"),
    (re.compile(r"^child_name$"), "Nguyễn Minh Khang"),
    (re.compile(r"^(deceased)_name$"), "Lê Văn Cường"),
    (re.compile(r"^(subject|person|ward|beneficiary|claimed)_name$"), "Nguyễn Thị Hoa"),
    (re.compile(r"^business_name$"), "Hộ kinh doanh An Bình"),
    (re.compile(r"^document_name$"), "Giấy khai sinh"),
    (re.compile(r"^(full_name|[a-z_]+_name)$"), SAMPLE_NAME),
)
_TEXTS = {
    "requester_id_issue_place": "Bộ Công an",
    "document_issuer": "Ủy ban nhân dân xã",
    "document_reference": "Số 25/2020",
    "death_cause": "Bệnh già",
    "death_time": "08 giờ 30 phút",
    "death_notice": "Giấy báo tử của Trạm Y tế xã",
    "head_relationship": "Con",
    "applicant_relationship": "Con",
    "previous_registration": "Chưa đăng ký lần nào",
    "registration_info": "Giấy khai sinh số 12, quyển số 01/2000",
    "record_info": "Giấy khai sinh số 12, quyển số 01/2000",
}
_TEXTAREAS = {
    "moving_members": "Không có",
    "guests": "Không có",
    "other_parties": "Không có",
}
_TEXTAREA = "Đây là câu trả lời mẫu. Khi nộp thật, bạn ghi đúng việc của mình."
# capital_vnd: the form takes at most 100000 (DeclarationForm caps every number), and so does the sample.
_INTEGERS = {"mother_birth_year": 1996, "father_birth_year": 1994, "members_count": 3, "capital_vnd": 100_000}
_IDS = "038096001234"  # twelve digits, as a personal identification number is written (a sample)


def _place(agency, village: str) -> str:
    """'Thôn 3, xã Vĩnh Linh, tỉnh Quảng Trị': a village of the commune and the commune's own address."""
    address = (agency.address if agency else "") or "xã Vĩnh Linh, tỉnh Quảng Trị"
    return f"{village}, {address[:1].lower()}{address[1:]}"


def _choice(spec) -> str | None:
    """The first choice, except that the applicant (Nguyễn Văn An) is the father when the form asks."""
    values = [c["value"] for c in spec.choices]
    if spec.name.endswith("relationship") and "cha" in values:
        return "cha"
    return values[0] if values else None


def _date(spec, today: dt.date) -> str | None:
    name = spec.name
    if name == "child_birth_date":
        return (today - dt.timedelta(days=10)).isoformat()
    if name.endswith("birth_date"):
        return dt.date(1990, 5, 12).isoformat()
    if name == "death_date":
        return (today - dt.timedelta(days=3)).isoformat()
    if name.endswith("issue_date"):
        return dt.date(2021, 6, 15).isoformat()
    if name.endswith(("_to",)):
        return (today + dt.timedelta(days=30)).isoformat()
    if name.endswith(("_from",)) and name.startswith("residence"):
        return dt.date(2015, 1, 1).isoformat()
    return today.isoformat()


def _text(spec, place: str, commune: str) -> str | None:
    name = spec.name
    if name in ("kinh_gui", "signed_place"):
        return None  # left blank, the form writes the commune itself
    if name in _TEXTS:
        return _TEXTS[name]
    if name.endswith("ethnicity"):
        return "Kinh"
    if name.endswith("nationality"):
        return "Việt Nam"
    if name.endswith("id_number") or name.endswith("personal_id"):
        return _IDS
    if name.endswith("birth_place"):
        return f"Trạm Y tế {commune}"
    if re.search(r"(residence|address|place|home_town|destination)$", name):
        return place
    for pattern, sample in _NAMES:
        if pattern.match(name):
            return sample
    return "Mẫu" if spec.required else None


def sample_answers(procedure: Procedure, *, agency, today: dt.date | None = None) -> dict:
    """Sensible Vietnamese answers to every field a person usually fills: the applicant is Nguyễn Văn An of
    a village of the commune, a baby born ten days ago, and so on; every answer passes the form's checks."""
    today = today or timezone.localdate()
    first = Village.objects.filter(agency=agency).order_by("name", "pk").first() if agency else None
    place = _place(agency, first.name if first else "Thôn 1")
    commune = place.split(", ")[1] if ", " in place else place
    answers: dict = {}
    for spec in declaration_fields(procedure):
        kind, value = spec.type, None
        if kind == FieldType.TEXT:
            value = _text(spec, place, commune)
        elif kind == FieldType.TEXTAREA:
            value = _TEXTAREAS.get(spec.name, _TEXTAREA)
        elif kind == FieldType.DATE:
            value = _date(spec, today)
        elif kind == FieldType.INTEGER:
            value = str(_INTEGERS.get(spec.name, 1)) if spec.required or spec.name in _INTEGERS else None
        elif kind == FieldType.CHOICE:
            value = _choice(spec)
        elif kind == FieldType.BOOLEAN:
            value = True if spec.required else None
        elif kind == FieldType.PHONE:
            value = "0901234567"
        elif kind == FieldType.ID_NUMBER:
            value = _IDS
        elif kind == FieldType.EMAIL:
            value = "nguyenvanan@example.com"
        if isinstance(value, str):
            value = nfc(value)[: spec.max_length or None]
        if value is not None:
            answers[spec.name] = value
    return answers


# --- the run in the session -------------------------------------------------------------------------------


def started(session, procedure: Procedure) -> bool:
    run = session.get(SESSION)
    if not isinstance(run, dict):
        return False
    return run.get("code") == procedure.code and isinstance(run.get("answers"), dict)


def start(session, procedure: Procedure, *, agency) -> dict:
    """A new run with the sample answers; it replaces any other run of this visitor."""
    answers = sample_answers(procedure, agency=agency)
    session[SESSION] = {"code": procedure.code, "answers": answers}
    return answers


def answers_of(session, procedure: Procedure) -> dict:
    return dict(session[SESSION]["answers"]) if started(session, procedure) else {}


def keep(session, procedure: Procedure, *, data, fields) -> bool:
    """Put what a step posted into the run, as a draft would keep it; False (nothing kept) past `LIMIT`."""
    merged = merge_answers(procedure, answers_of(session, procedure), data=data, fields=fields)
    if sum(len(str(k)) + len(str(v)) for k, v in merged.items()) > LIMIT:
        return False
    session[SESSION] = {"code": procedure.code, "answers": merged}
    return True


def signer(answers: dict) -> str:
    """The applicant's name as the receipt prints it: who signs the declaration."""
    return next((answers[n] for n in SIGNERS if isinstance(answers.get(n), str) and answers[n]), SAMPLE_NAME)


# --- the declaration as it prints --------------------------------------------------------------------------


def declaration(procedure: Procedure, answers: dict, *, agency) -> list[dict]:
    """The declaration the real document engine prints for these answers, as page items: {"runs", "align"}
    for a paragraph, {"rows"} for a ruled table; a layout grid's cells (the header's two columns, the
    signature) follow one another, as a phone's narrow screen needs. Empty when the procedure has no form."""
    try:
        doc = sample_declaration(
            procedure=procedure, agency=agency, form_data=answers, applicant_name=signer(answers)
        )
    except NotApplicable:
        return []
    items: list[dict] = []

    def para(block: Para) -> dict | None:
        runs = [(run.text, run.bold, run.italic) for run in block.runs if run.text]
        return {"runs": runs, "align": block.align} if "".join(t for t, *_ in runs).strip() else None

    for block in doc.blocks:
        if isinstance(block, Para):
            items += filter(None, [para(block)])
        elif isinstance(block, Grid) and block.ruled:
            rows = [
                [" ".join(c.text for c in cell if isinstance(c, Para)) for cell in row] for row in block.rows
            ]
            items.append({"head": rows[: block.header_rows], "rows": rows[block.header_rows :]})
        elif isinstance(block, Grid):
            items += filter(
                None, [para(c) for row in block.rows for cell in row for c in cell if isinstance(c, Para)]
            )
    return items
