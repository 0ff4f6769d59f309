"""The notice of a fee names its kind: a certification's phí is not called a lệ phí."""

import pytest

from motcua.catalog.services import get_procedure
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Event
from motcua.dossiers.tests.factories import sample_form
from motcua.notifications.texts import render_event

pytestmark = pytest.mark.django_db


def test_asking_for_a_certification_charge_says_phi(catalogue, agency, people, monday):
    procedure = get_procedure("2.000884")
    dossier = dossiers.file_at_counter(
        procedure=procedure,
        agency=agency,
        by=people["desk"],
        applicant_name="Nguyễn Thị Hường",
        applicant_phone="0912345678",
        form=sample_form(procedure),
    )
    dossier = dossiers.perform(dossier, "confirm_payment", by=people["desk"], data={"receipt_number": "BL-1"})
    paid = render_event(Event.objects.filter(dossier=dossier, action="confirm_payment").latest("pk"))
    assert paid.long.startswith(f"Đã nhận 10.000 đồng phí của hồ sơ {dossier.code} (")
    asked = dossiers.perform(
        dossier,
        "request_payment",
        by=people["desk"],
        data={"amount_vnd": 10000, "reason": "Phí chứng thực chữ ký"},
    )
    notice = render_event(Event.objects.filter(dossier=asked, action="request_payment").latest("pk"))
    assert notice.long.startswith(f"Hồ sơ {dossier.code} cần nộp phí 10.000 đồng. Cách nộp:")
