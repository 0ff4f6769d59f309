"""Assisted filing by the community digital team, and claiming the dossier into one's own account."""

import pytest

from motcua.agencies.services import set_officer
from motcua.dossiers.models import Dossier, Status
from testkit import last_code

from .factories import BIRTH_FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(agency, django_user_model):
    user = django_user_model.objects.create_user(
        username="totruong", password="demo-2026", full_name="Võ Văn Tâm"
    )
    set_officer(user, agency=agency, roles=["community"])
    return user


def on_behalf(client, helper, *, consent=True, phone="0905 123 456"):
    client.force_login(helper)
    data = {
        "nguoi-nop-applicant_name": "Trần Văn Cụ",
        "nguoi-nop-applicant_phone": phone,
        **{k: ("on" if v is True else v) for k, v in BIRTH_FORM.items()},
    }
    if consent:
        data["nguoi-nop-consent"] = "on"
    return client.post("/can-bo/tiep-nhan/1.001193/", data)


def test_a_helper_files_for_a_citizen_with_consent_and_the_desk_still_receives_it(
    client, catalogue, helper, desk
):
    response = on_behalf(client, helper)
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    assert (dossier.status, dossier.filed_by, dossier.channel) == (Status.NEW, helper, 2)
    assert dossier.events.get().data == {"consent": True}
    client.force_login(desk)
    assert [a.name for a in client.get(f"/can-bo/ho-so/{dossier.code}/").context["actions"]][0] == "receive"


def test_without_consent_nothing_is_filed(client, catalogue, helper):
    response = on_behalf(client, helper, consent=False)
    assert response.status_code == 200 and Dossier.objects.count() == 0


def test_a_helper_sees_only_what_they_filed(client, catalogue, helper, citizen, agency):
    from .factories import file_birth

    file_birth(citizen, agency)
    on_behalf(client, helper)
    client.force_login(helper)
    codes = [d.code for d in client.get("/can-bo/").context["page"].object_list]
    assert codes == [Dossier.objects.get(filed_by=helper).code]


def test_the_citizen_claims_the_dossier_with_its_code_and_a_code_to_its_phone(
    client, catalogue, helper, django_user_model, texted
):
    on_behalf(client, helper)
    dossier = Dossier.objects.get()
    owner = django_user_model.objects.create_user(
        username="+84905123456", phone="+84905123456", full_name="Cụ"
    )
    client.force_login(owner)
    client.post("/ho-so/nhan/", {"ma": dossier.code})
    response = client.post("/ho-so/nhan/", {"otp": last_code(texted, "+84905123456")})
    assert response["Location"] == dossier.get_absolute_url()
    dossier.refresh_from_db()
    assert dossier.applicant == owner


def test_claiming_an_unknown_code_looks_the_same_and_sends_nothing(client, catalogue, citizen, texted):
    client.force_login(citizen)
    response = client.post("/ho-so/nhan/", {"ma": "000.20.44.H54-261129-9999"}, follow=True)
    assert "Nếu mã hồ sơ đúng, chúng tôi đã gửi mã" in response.text
    assert texted == []


def test_a_procedure_needing_a_verified_account_says_how_to_get_one(client, catalogue, citizen, agency):
    from motcua.catalog.models import Procedure
    from motcua.dossiers import services

    Procedure.objects.filter(code="1.001193").update(min_identity_level=2)
    guide = client.get("/thu-tuc/1.001193/")
    assert "Đã xác thực tại bộ phận một cửa" in guide.text
    assert "Mang căn cước đến bộ phận một cửa" in guide.text
    client.force_login(citizen)
    page = client.get("/thu-tuc/1.001193/nop/")
    assert "cần tài khoản đã xác thực tại bộ phận một cửa" in page.text
    from .factories import file_birth

    with pytest.raises(services.Forbidden):
        file_birth(citizen, agency)
    citizen.identity_level = 2
    citizen.save()
    assert file_birth(citizen, agency).status == Status.NEW


def test_the_claim_page_answers_alike_for_a_known_and_an_unknown_code_on_every_try(
    client, catalogue, helper, citizen, other_citizen
):
    on_behalf(client, helper)
    known = Dossier.objects.get().code
    answers = {}
    for person, code in [(citizen, known), (other_citizen, "000.20.44.H54-261129-9999")]:
        client.force_login(person)
        tries = [client.post("/ho-so/nhan/", {"ma": code}) for _ in range(5)]
        answers[code] = [(r.status_code, r.get("Location", "")) for r in tries]

    assert answers[known] == answers["000.20.44.H54-261129-9999"]
    assert [status for status, _where in answers[known]] == [302, 302, 302, 429, 429]
