"""A world of dossiers moved through the one transition path, and the satisfaction rating's shape.

The `rate` action belongs to the feedback app (another branch): until it is in the action table, a rating is
written here in the shape agreed in TEAM.md (an Event of action "rate", data {"score": 1-5, ...}) and handed
to the stats subscriber as the lifecycle would hand it (a Transition), so that both the kept rows and the
rebuild from the events see it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.services import get_procedure
from motcua.dossiers import services as dossiers
from motcua.dossiers.lifecycle import SYSTEM_ACTOR
from motcua.dossiers.models import Event, Status
from motcua.dossiers.tests.factories import BIRTH, filed_at_counter, sample_form

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PARTLY = "1.000894"  # đăng ký kết hôn: trực tuyến một phần
FULLY = BIRTH  # đăng ký khai sinh: trực tuyến toàn trình
COUNTER = "2.000884"  # chứng thực chữ ký: nộp trực tiếp


def online(citizen, agency, code=FULLY):
    procedure = get_procedure(code)
    return dossiers.file_online(
        procedure=procedure, applicant=citizen, agency=agency, form=sample_form(procedure)
    )


def by_team(community, agency, code=FULLY):
    procedure = get_procedure(code)
    return dossiers.file_on_behalf(
        procedure=procedure,
        agency=agency,
        by=community,
        applicant_name="Trần Văn Ba",
        applicant_phone="0987000111",
        form=sample_form(procedure),
        consent=True,
    )


def at_counter(desk, agency, code=COUNTER):
    return filed_at_counter(code, desk=desk, agency=agency)


def with_file(dossier, by):
    upload = SimpleUploadedFile("giay-to.pdf", PDF, content_type="application/pdf")
    dossiers.add_attachment(dossier, upload=upload, slot="1", by=by)
    return dossier


def act(dossier, action, who, **data):
    return dossiers.perform(dossier, action, by=who, note="Ghi chú", data=data)


def to_approval(dossier, people):
    for action, who in (("forward", "desk"), ("submit_for_approval", "specialist")):
        dossier = act(dossier, action, people[who])
    return dossier


def finish(dossier, people):
    """Forward, submit, approve: the end of processing (status 9)."""
    return act(to_approval(dossier, people), "approve", people["leader"])


def pay_online(dossier, people):
    dossier = act(dossier, "request_payment", people["specialist"], amount_vnd=8000, reason="Lệ phí")
    return act(dossier, "payment_received", SYSTEM_ACTOR, amount_vnd=8000, payment_method="vnpay")


def pay_cash(dossier, people):
    dossier = act(dossier, "request_payment", people["specialist"], amount_vnd=8000, reason="Lệ phí")
    return act(dossier, "confirm_payment", people["desk"], receipt_number="BL-1", payment_method="cash")


def rate(dossier, citizen, score: int):
    """The citizen rates a delivered dossier through the lifecycle's `rate` action, as the account does."""
    assert dossier.status == Status.RETURNED
    dossiers.perform(dossier, "rate", by=citizen, data={"score": score, "criteria": {"thai_do": score}})
    return Event.objects.filter(dossier=dossier, action="rate").get()
