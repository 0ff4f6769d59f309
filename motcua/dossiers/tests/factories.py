"""Dossiers in any status, reached through the real transitions (never by writing `status` directly)."""

import datetime as dt

from motcua.catalog.services import get_procedure
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status

BIRTH = "1.001193"
RESIDENCE = "1.004222"  # đăng ký thường trú, decided by the commune police (Luật Cư trú, Điều 2 khoản 4)
BIRTH_FORM = {
    "requester_name": "Nguyễn Thị Hường",
    "requester_residence": "Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị",
    "requester_id_type": "can_cuoc",
    "requester_id_number": "045190012345",
    "requester_id_issue_date": "2021-04-10",
    "requester_id_issue_place": "Cục Cảnh sát QLHC về TTXH",
    "requester_relationship": "me",
    "child_name": "Lê Nguyễn Bảo Ngọc",
    "child_birth_date": "2026-11-02",
    "child_sex": "nu",
    "child_ethnicity": "Kinh",
    "child_nationality": "Việt Nam",
    "child_birth_place": "Trung tâm Y tế Vĩnh Linh, tỉnh Quảng Trị",
    "child_home_town": "Vĩnh Linh, Quảng Trị",
    "mother_name": "Nguyễn Thị Hường",
    "mother_birth_year": 1990,
    "mother_ethnicity": "Kinh",
    "mother_nationality": "Việt Nam",
    "mother_residence": "Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị",
    "commitment": True,
}
# The same declaration typed on a keyboard without Vietnamese input: names and places without diacritics.
# Typed without diacritics, and confirmed as written (the filing pages and the API refuse it otherwise): a
# phone with no Vietnamese keyboard. The desk corrects it against the CCCD at reception.
TYPED_FORM = {
    **BIRTH_FORM,
    "requester_name": "nguyen van an",
    "requester_residence": "thon 3, xa vinh linh",
    "as_written": ["requester_name", "requester_residence"],
}

# The shortest honest road to each status: (action, who) pairs applied to a status-1 dossier.
ROADS = {
    Status.NEW: [],
    Status.RECEIVED: [("receive", "desk")],
    Status.REFUSED: [("refuse", "desk")],
    Status.PROCESSING: [("receive", "desk"), ("forward", "desk")],
    Status.SUPPLEMENT: [("receive", "desk"), ("forward", "desk"), ("request_supplement", "specialist")],
    Status.PAYMENT: [("receive", "desk"), ("forward", "desk"), ("request_payment", "specialist")],
    Status.WITHDRAWN: [("withdraw", "citizen")],
    Status.STOPPED: [("receive", "desk"), ("forward", "desk"), ("stop", "specialist")],
    Status.DONE: [
        ("receive", "desk"),
        ("forward", "desk"),
        ("submit_for_approval", "specialist"),
        ("approve", "leader"),
    ],
    Status.RETURNED: [
        ("receive", "desk"),
        ("forward", "desk"),
        ("submit_for_approval", "specialist"),
        ("approve", "leader"),
        ("deliver_result", "desk"),
    ],
}
DATA = {
    "request_supplement": {"items": ["Giấy chứng sinh bản chính"]},
    "request_payment": {"amount_vnd": 8000, "reason": "Lệ phí cấp bản sao trích lục"},
    "deliver_result": {"method": "counter"},
    "confirm_payment": {"receipt_number": "0001234"},
    "correct_declaration": {"form": {"requester_name": "Nguyễn Văn An"}},
    "refund": {"amount_vnd": 8000, "refund_method": "transfer", "refund_reference": "FT26333001"},
    "rate": {"score": 5, "criteria": {"thai_do": 5}},
}


def file_birth(citizen, agency, form=None):
    procedure = get_procedure(BIRTH)
    return services.file_online(
        procedure=procedure, applicant=citizen, agency=agency, form=form or BIRTH_FORM
    )


def file_residence(citizen, agency, code: str = RESIDENCE):
    """A residence procedure (permanent residence by default) filed online: the commune police decides it.
    "Kính gửi" left blank, as most people leave it."""
    procedure = get_procedure(code)
    form = {**sample_form(procedure), "kinh_gui": ""}
    return services.file_online(procedure=procedure, applicant=citizen, agency=agency, form=form)


def dossier_in(status, *, people, agency, awaiting_approval=False):
    """A birth-registration dossier of `people['citizen']` brought to `status` by the right people."""
    dossier = file_birth(people["citizen"], agency)
    road = list(ROADS[Status(status)])
    if awaiting_approval:
        road.append(("submit_for_approval", "specialist"))
    for action, who in road:
        dossier = services.perform(
            dossier, action, by=people[who], note="Ghi chú thử", data=DATA.get(action, {})
        )
    assert dossier.status == status
    return dossier


def sample_form(procedure) -> dict:
    """A valid, filled declaration: a distinct Vietnamese value for every field of `procedure`."""
    form: dict = {}
    for n, spec in enumerate(procedure.form_fields.all(), start=1):
        kind = spec.type
        if spec.name == "kinh_gui":
            form[spec.name] = "Ủy ban nhân dân xã Vĩnh Linh"
        elif spec.name == "signed_place":
            form[spec.name] = "Vĩnh Linh"
        elif kind == "boolean":
            form[spec.name] = True
        elif kind == "choice":
            choices = spec.choices or []
            form[spec.name] = choices[min(1, len(choices) - 1)]["value"]
        elif kind == "date":
            form[spec.name] = dt.date(1980 + n % 40, n % 12 + 1, n % 27 + 1).isoformat()
        elif kind == "integer":
            form[spec.name] = 1990 if "year" in spec.name else n + 1
        elif kind == "id_number":
            form[spec.name] = f"0451900123{n:02d}"
        elif kind == "phone":
            form[spec.name] = "0912 345 678"
        elif kind == "email":
            form[spec.name] = f"nguoi{n}@example.vn"
        elif spec.name.endswith("id_number"):
            form[spec.name] = f"04519{n:02d}12345"
        elif kind == "textarea":
            form[spec.name] = f"Nội dung thứ {n}: hộ ông Trần Văn Hùng ở thôn Tân Trại, xã Vĩnh Linh."
        else:
            text = f"Ánh Dương {n:02d} Đỗ Thị Hường"
            form[spec.name] = text[: spec.max_length] if spec.max_length else text
    return form


def filed_at_counter(
    code: str, *, desk, agency, form: dict | None = None, phone: str = "0912345678", applicant=None
) -> Dossier:
    """A dossier of procedure `code` received at the counter by `desk` with a filled declaration. With
    `phone=""`, for a person who has none: the dossier carries the claim code just issued
    (`issued_claim_code`), as the desk's page and receipt get it."""
    procedure = get_procedure(code)
    return services.file_at_counter(
        procedure=procedure,
        agency=agency,
        by=desk,
        applicant=applicant,
        applicant_name="Nguyễn Thị Hường",
        applicant_phone=phone,
        applicant_id_number="045190012345",
        applicant_address="Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị",
        form=form if form is not None else sample_form(procedure),
    )


def post_steps(client, form: dict, *, code: str = BIRTH):
    """Fill the online form as the pages take it: each step of the declaration posted with "Tiếp tục".
    Returns the answer to the last step (a redirect to the papers when every step was right)."""
    from motcua.dossiers.steps import plan

    response = None
    for step in plan(get_procedure(code)):
        posted = {k: ("on" if v is True else v) for k, v in form.items() if k in step.names}
        posted["as_written"] = [n for n in form.get("as_written", []) if n in step.names]
        response = client.post(f"/thu-tuc/{code}/nop/buoc/{step.number}/", {**posted, "di": "tiep"})
    return response


def number_of_step(name: str, *, code: str = BIRTH) -> int:
    """The step of the online form that asks for the field `name`."""
    from motcua.dossiers.steps import plan, step_of

    return step_of(plan(get_procedure(code)), name).number
