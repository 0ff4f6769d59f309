"""A procedure filed only in person (level `truc_tiep`) is filed by no online path: not the filing page,
not its review step, not the API — one rule, `services.check_online`."""

import pytest

from motcua.catalog.services import get_procedure
from motcua.dossiers import services
from motcua.dossiers.lifecycle import NotAllowed
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db
WILL = "2.001019"  # certifying a will: in person only, and no declaration to fill
COUNTER_ONLY = "Thủ tục này chưa nộp trực tuyến được."
IN_PERSON_ONLY = "Thủ tục này chỉ nộp trực tiếp tại bộ phận một cửa."


def test_an_in_person_procedure_is_not_filed_online(catalogue):
    with pytest.raises(NotAllowed, match=IN_PERSON_ONLY):
        services.check_online(get_procedure(WILL))


def test_an_online_procedure_passes(catalogue):
    services.check_online(get_procedure("1.001193"))


def test_the_filing_page_of_an_in_person_procedure_sends_the_citizen_to_the_desk(
    client, catalogue, agency, citizen
):
    client.force_login(citizen)

    page = client.get(f"/thu-tuc/{WILL}/nop/")

    assert page.status_code == 200
    assert COUNTER_ONLY in page.text
    assert not Dossier.objects.exists()


def test_the_review_step_of_an_in_person_procedure_files_nothing(client, catalogue, agency, citizen):
    client.force_login(citizen)

    page = client.get(f"/thu-tuc/{WILL}/nop/xem-lai/")
    response = client.post(f"/thu-tuc/{WILL}/nop/xem-lai/")

    assert COUNTER_ONLY in page.text and COUNTER_ONLY in response.text
    assert not Dossier.objects.exists()


def test_the_api_answers_409_for_an_in_person_procedure(client, catalogue, agency, citizen):
    token = client.post(
        "/api/v1/auth/token",
        {"username": "0912345678", "password": "demo-2026"},
        content_type="application/json",
    ).json()["token"]

    response = client.post(
        "/api/v1/dossiers",
        {"procedure": WILL, "form": {}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert (response.status_code, response.json()) == (409, {"detail": IN_PERSON_ONLY})
    assert not Dossier.objects.exists()
