"""Who decides (issue 12, item 3): the commune police decides residence, the People's Committee the rest.

"Cơ quan đăng ký cư trú" is Công an xã, phường, thị trấn (Luật Cư trú số 68/2020/QH14, Điều 2 khoản 4;
Nghị định 154/2024/NĐ-CP). Before, every dossier was the People's Committee's: its leader approved a
permanent residence registration. Now a procedure names its executing body in the catalogue; the one-stop
desk still receives every dossier, and a specialist or leader acts only on those of their own body.
"""

import pytest

from motcua.accounts.services import issue_token
from motcua.agencies.models import BodyKind
from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.models import Status, Substate

from .factories import BIRTH, RESIDENCE, dossier_in, file_birth, file_residence

pytestmark = pytest.mark.django_db

REFUSED_APPROVAL = "Bạn không có quyền “Duyệt” hồ sơ này."


def awaiting_approval(dossier, people, police):
    """Received and forwarded by the desk to the police, submitted by the police for approval."""
    dossier = services.perform(dossier, "receive", by=people["desk"])
    dossier = services.perform(dossier, "forward", by=people["desk"], data={"assignee": police.pk})
    return services.perform(dossier, "submit_for_approval", by=police)


def approve_by_api(client, user, code: str):
    return client.post(
        f"/api/v1/dossiers/{code}/actions/approve",
        {"note": ""},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}",
    )


def test_the_catalogue_names_the_police_for_every_residence_procedure_and_no_other(catalogue):
    residence = Procedure.objects.filter(field="Cư trú")

    assert residence.count() == 10
    assert set(residence.values_list("executing_body", flat=True)) == {BodyKind.POLICE}
    # Besides the police, only the health insurance card of the joined-up birth is another body's (BHXH).
    others = Procedure.objects.exclude(field="Cư trú")
    assert set(others.exclude(code="2.000986-3").values_list("executing_body", flat=True)) == {
        BodyKind.COMMITTEE
    }
    assert others.get(code="2.000986-3").executing_body == BodyKind.SOCIAL_INSURANCE
    assert Procedure.objects.get(code=RESIDENCE).executing_body == BodyKind.POLICE
    assert Procedure.objects.get(code=BIRTH).executing_body == BodyKind.COMMITTEE


def test_the_desk_receives_residence_and_birth_alike(catalogue, agency, people, police):
    residence = file_residence(people["citizen"], agency)
    birth = file_birth(people["citizen"], agency)

    for dossier in (residence, birth):
        assert services.perform(dossier, "receive", by=people["desk"]).status == Status.RECEIVED


def test_a_committee_leader_may_not_approve_a_residence_dossier(client, catalogue, agency, people, police):
    dossier = awaiting_approval(file_residence(people["citizen"], agency), people, police)

    with pytest.raises(services.Forbidden) as refused:
        services.perform(dossier, "approve", by=people["leader"])

    # The very refusal any role without the right gets (a specialist approving a birth, here).
    birth = dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=True)
    with pytest.raises(services.Forbidden) as other_refusal:
        services.perform(birth, "approve", by=people["specialist"])
    assert str(refused.value) == str(other_refusal.value) == REFUSED_APPROVAL
    response = approve_by_api(client, people["leader"], dossier.code)
    assert (response.status_code, response.json()) == (403, {"detail": REFUSED_APPROVAL})
    dossier.refresh_from_db()
    assert (dossier.status, dossier.substate) == (Status.PROCESSING, Substate.AWAITING_APPROVAL)
    assert "approve" not in [a.name for a in services.available(dossier, people["leader"])]


def test_the_police_chief_approves_a_residence_dossier(client, catalogue, agency, people, police):
    dossier = awaiting_approval(file_residence(people["citizen"], agency), people, police)
    assert "approve" in [a.name for a in services.available(dossier, police)]

    response = approve_by_api(client, police, dossier.code)

    assert response.status_code == 200, response.content
    dossier.refresh_from_db()
    assert dossier.status == Status.DONE
    event = dossier.events.latest("pk")
    assert (event.action, event.actor, event.role) == ("approve", police, "leader")


def test_a_committee_leader_still_approves_a_birth_and_the_police_may_not(catalogue, agency, people, police):
    birth = dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=True)

    assert services.available(birth, police) == []
    with pytest.raises(services.Forbidden, match=REFUSED_APPROVAL):
        services.perform(birth, "approve", by=police)
    assert services.perform(birth, "approve", by=people["leader"]).status == Status.DONE


def test_a_residence_dossier_goes_to_a_police_specialist_only(client, catalogue, agency, people, police):
    dossier = services.perform(file_residence(people["citizen"], agency), "receive", by=people["desk"])

    with pytest.raises(services.Invalid) as invalid:
        services.perform(dossier, "forward", by=people["desk"], data={"assignee": people["specialist"].pk})
    assert invalid.value.errors == {"assignee": "Chọn một chuyên viên của cơ quan."}
    client.force_login(people["desk"])
    page = client.get(f"/can-bo/ho-so/{dossier.code}/")
    assert list(page.context["specialists"]) == [police]
    dossier = services.perform(dossier, "forward", by=people["desk"], data={"assignee": police.pk})
    assert dossier.assigned_to == police


def test_a_committee_specialist_does_not_handle_residence(catalogue, agency, people, police):
    dossier = services.perform(file_residence(people["citizen"], agency), "receive", by=people["desk"])
    dossier = services.perform(dossier, "forward", by=people["desk"])

    with pytest.raises(services.Forbidden):
        services.perform(dossier, "submit_for_approval", by=people["specialist"])
    assert services.available(dossier, people["specialist"]) == []


def test_each_body_finds_its_own_dossiers_in_its_queue_and_the_desk_finds_all(
    client, catalogue, agency, people, police
):
    residence = awaiting_approval(file_residence(people["citizen"], agency), people, police)
    birth = dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=True)

    def queue(user, **params):
        client.force_login(user)
        response = client.get("/can-bo/", params)
        return response, {d.code for d in response.context["page"].object_list}

    response, codes = queue(police)
    assert codes == {residence.code}
    assert response.context["awaiting_approval"] == 1
    assert dict(response.context["counts"])[Status.PROCESSING] == 1
    assert queue(police, **{"cho-duyet": 1})[1] == {residence.code}
    response, codes = queue(people["leader"])
    assert codes == {birth.code}
    assert response.context["awaiting_approval"] == 1
    assert queue(people["desk"])[1] == {residence.code, birth.code}
