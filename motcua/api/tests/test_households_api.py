"""One phone, several people, through the JSON API: the son registers on his mother's number, files his own
dossier, and each of them sees only their own; a dossier the desk files for him goes to his account."""

import pytest

from motcua.accounts.services import register
from motcua.catalog.services import get_procedure
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM, file_birth, filed_at_counter
from testkit import last_code

pytestmark = pytest.mark.django_db

PHONE = "+84912345678"


def post(client, path: str, payload: dict, token: str = ""):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1{path}", payload, content_type="application/json", **headers)


def get(client, path: str, token: str):
    return client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_son_registers_on_his_mothers_number_and_files_his_own_dossier(
    client, catalogue, agency, citizen, texted
):
    hers = file_birth(citizen, agency)
    assert post(client, "/auth/otp", {"phone": "0912 345 678"}).status_code == 202
    registered = post(
        client,
        "/auth/register",
        {"phone": "0912 345 678", "otp": last_code(texted, PHONE), "full_name": "Trần Văn Bình"},
    )
    assert registered.status_code == 201
    son_token = registered.json()["token"]

    filed = post(
        client,
        "/dossiers",
        {"procedure": BIRTH, "form": {**BIRTH_FORM, "requester_name": "Trần Văn Bình"}},
        son_token,
    )

    assert filed.status_code == 201
    his = Dossier.objects.get(code=filed.json()["code"])
    assert his.applicant.full_name == "Trần Văn Bình" and his.applicant != citizen
    assert his.applicant_phone == PHONE  # the same phone: both get their texts on it
    mine = get(client, "/dossiers", son_token).json()
    assert [item["code"] for item in mine["items"]] == [his.code]
    assert get(client, f"/dossiers/{hers.code}", son_token).status_code == 404
    mother = post(client, "/auth/token", {"username": "0912345678", "password": "demo-2026"}).json()["token"]
    assert [item["code"] for item in get(client, "/dossiers", mother).json()["items"]] == [hers.code]
    assert get(client, f"/dossiers/{his.code}", mother).status_code == 404


def test_a_dossier_filed_at_the_counter_on_a_shared_phone_goes_to_the_right_person(
    client, catalogue, agency, citizen, desk
):
    son = register(phone=PHONE, full_name="Trần Văn Bình")

    for_her = filed_at_counter(BIRTH, desk=desk, agency=agency)  # "Nguyễn Thị Hường", her card
    assert for_her.applicant == citizen

    for_him = services.file_at_counter(
        procedure=get_procedure(BIRTH),
        agency=agency,
        by=desk,
        applicant_name="Tran Van Binh",
        applicant_phone="0912 345 678",
        form=BIRTH_FORM,
    )
    assert for_him.applicant == son
    for_a_stranger = services.file_at_counter(
        procedure=get_procedure(BIRTH),
        agency=agency,
        by=desk,
        applicant_name="Lê Văn Tư",
        applicant_phone="0912 345 678",
        form=BIRTH_FORM,
    )
    assert for_a_stranger.applicant is None  # nobody on the phone is him: left to be claimed
