"""Private pages stay private on a shared phone: nothing personal is kept by the browser or a cache.

Every answer about a person carries `Cache-Control: private, no-store`, set in one place (the access
policy's middleware), so that the next person to pick up the phone cannot bring it back with Back.
"""

import pytest

from motcua.accounts.services import issue_token
from motcua.catalog.services import get_procedure
from motcua.dossiers import services
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import BIRTH, dossier_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(catalogue, agency, citizen, desk, specialist, leader):
    people = {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}
    return dossier_in(Status.RECEIVED, people=people, agency=agency)


def stores_nothing(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


@pytest.mark.parametrize(
    "page",
    [
        "/ho-so/",
        "/ho-so/{code}/",
        "/ho-so/{code}/van-ban/",
        "/ho-so/nhan/",
        f"/thu-tuc/{BIRTH}/nop/",
        f"/thu-tuc/{BIRTH}/nop/buoc/2/",
        f"/thu-tuc/{BIRTH}/nop/giay-to/",
        "/thong-bao/",
        "/thong-bao/cach-nhan/",
    ],
)
def test_a_citizens_own_pages_are_never_stored(client, dossier, citizen, page):
    client.force_login(citizen)

    response = client.get(page.format(code=dossier.code))

    assert response.status_code == 200
    assert stores_nothing(response), response.get("Cache-Control")


@pytest.mark.parametrize("page", [f"/thu-tuc/{BIRTH}/nop/xem-lai/", f"/thu-tuc/{BIRTH}/nop/xoa/"])
def test_the_pages_of_a_citizens_draft_are_never_stored(client, catalogue, agency, citizen, page):
    services.start_draft(procedure=get_procedure(BIRTH), applicant=citizen, agency=agency)
    client.force_login(citizen)

    response = client.get(page)

    assert response.status_code == 200
    assert stores_nothing(response), response.get("Cache-Control")


@pytest.mark.parametrize(
    "page",
    [
        "/can-bo/",
        "/can-bo/ho-so/{code}/",
        "/can-bo/tiep-nhan/",
        f"/can-bo/tiep-nhan/{BIRTH}/",
        "/can-bo/cong-dan/?sdt=0912345678",
        "/can-bo/thanh-toan/",
        "/can-bo/tin-nhan/",
        "/can-bo/so-theo-doi/",
    ],
)
def test_office_pages_are_never_stored(client, dossier, desk, page):
    client.force_login(desk)

    response = client.get(page.format(code=dossier.code))

    assert response.status_code == 200
    assert stores_nothing(response), response.get("Cache-Control")


@pytest.mark.parametrize("call", ["/api/v1/dossiers", "/api/v1/dossiers/{code}", "/api/v1/notifications"])
def test_personal_api_answers_are_never_stored(client, dossier, citizen, call):
    response = client.get(call.format(code=dossier.code), HTTP_AUTHORIZATION=f"Bearer {issue_token(citizen)}")

    assert response.status_code == 200
    assert stores_nothing(response), response.get("Cache-Control")


def test_a_new_token_is_never_stored(client, citizen):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "0912345678", "password": "demo-2026"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert stores_nothing(response)


def test_a_lookup_result_is_never_stored(client, dossier):
    page = client.get("/tra-cuu/", {"ma": dossier.code, "so": "5678"})
    answer = client.get("/api/v1/lookup", {"code": dossier.code, "phone_last4": "5678"})

    assert (page.status_code, answer.status_code) == (200, 200)
    assert stores_nothing(page) and stores_nothing(answer)


def test_a_public_page_shown_to_someone_signed_in_is_not_stored(client, catalogue, citizen):
    # The layout names what is theirs ("Hồ sơ của tôi", sign out everywhere): it is their page now.
    client.force_login(citizen)

    assert stores_nothing(client.get("/"))
    assert stores_nothing(client.get(f"/thu-tuc/{BIRTH}/"))


def test_public_pages_for_a_visitor_stay_cacheable(client, catalogue):
    for page in ("/", "/thu-tuc/", f"/thu-tuc/{BIRTH}/", "/api/v1/procedures"):
        response = client.get(page)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), page


def test_the_receipts_qr_code_stays_publicly_cacheable_even_for_its_citizen(client, dossier, citizen):
    client.force_login(citizen)

    response = client.get(f"/ho-so/{dossier.code}/qr.svg")

    assert response["Cache-Control"] == "max-age=86400, public"
