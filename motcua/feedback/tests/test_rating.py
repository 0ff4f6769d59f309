"""The satisfaction rating: the lifecycle action `rate`, once per delivered dossier, by its citizen (their
account) or the desk (the counter tablet); anyone else gets the answer of a dossier that does not exist."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Event, Status
from motcua.dossiers.satisfaction import CRITERIA
from motcua.dossiers.tests.factories import dossier_in

pytestmark = pytest.mark.django_db
ALL_FIVES = {f"tc-{slug}": "5" for slug in CRITERIA}


@pytest.fixture
def delivered(catalogue, people, agency):
    return dossier_in(Status.RETURNED, people=people, agency=agency)


def test_the_citizen_rates_a_delivered_dossier_once_and_the_event_holds_score_criteria_and_comment(
    client, delivered, citizen
):
    client.force_login(citizen)
    url = f"/ho-so/{delivered.code}/danh-gia/"

    page = client.post(
        url, {"score": "4", "tc-thai_do": "5", "tc-thoi_gian": "3", "comment": " Cán bộ tận tình "}
    )

    assert page.status_code == 302 and page["Location"] == delivered.get_absolute_url()
    event = Event.objects.get(dossier=delivered, action="rate")
    assert event.data == {"score": 4, "criteria": {"thoi_gian": 3, "thai_do": 5}, "comment": True}
    assert (event.note, event.role, event.citizen_visible, event.to_status) == (
        "Cán bộ tận tình",
        "citizen",
        False,
        10,
    )
    assert Status(services.dossier_for(citizen, delivered.code).status) == Status.RETURNED


def test_a_second_rating_is_refused_with_a_clear_message_and_changes_nothing(client, delivered, citizen):
    client.force_login(citizen)
    url = f"/ho-so/{delivered.code}/danh-gia/"
    client.post(url, {"score": "5"})

    again = client.post(url, {"score": "1", **ALL_FIVES})

    assert again.status_code == 409
    assert "đã được đánh giá" in again.content.decode()
    assert list(Event.objects.filter(action="rate").values_list("data", flat=True)) == [
        {"score": 5, "criteria": {}, "comment": False}
    ]
    with pytest.raises(services.NotAllowed, match="Mỗi hồ sơ chỉ đánh giá một lần"):
        services.perform(delivered, "rate", by=citizen, data={"score": 3})


def test_the_dossier_page_asks_once_then_shows_the_rating(client, delivered, citizen):
    client.force_login(citizen)
    before = client.get(delivered.get_absolute_url()).content.decode()
    mine = client.get("/ho-so/").content.decode()
    client.post(f"/ho-so/{delivered.code}/danh-gia/", {"score": "5"})
    after = client.get(delivered.get_absolute_url()).content.decode()

    assert f'href="/ho-so/{delivered.code}/danh-gia/"' in before
    assert "Mời bạn đánh giá mức độ hài lòng" in mine
    assert f'href="/ho-so/{delivered.code}/danh-gia/"' not in after and "5/5 (Rất hài lòng)" in after
    assert "Mời bạn đánh giá mức độ hài lòng" not in client.get("/ho-so/").content.decode()


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.PROCESSING, Status.DONE])
def test_only_a_delivered_dossier_is_rated(client, catalogue, people, agency, citizen, status):
    dossier = dossier_in(status, people=people, agency=agency)
    client.force_login(citizen)

    page = client.post(f"/ho-so/{dossier.code}/danh-gia/", {"score": "5"})

    assert page.status_code == 302
    assert not Event.objects.filter(action="rate").exists()
    with pytest.raises(services.NotAllowed):
        services.perform(dossier, "rate", by=citizen, data={"score": 5})


def test_a_score_out_of_range_or_an_unknown_criterion_is_named_and_nothing_is_recorded(
    client, delivered, citizen
):
    client.force_login(citizen)
    url = f"/ho-so/{delivered.code}/danh-gia/"

    bad_score = client.post(url, {"score": "7"})
    bad_criterion = client.post(url, {"score": "4", "tc-thai_do": "9"})
    long_comment = client.post(url, {"score": "4", "comment": "x" * 1001})

    assert [r.status_code for r in (bad_score, bad_criterion, long_comment)] == [422, 422, 422]
    assert "Chọn mức hài lòng từ 1 đến 5." in bad_score.content.decode()
    assert "Thái độ của cán bộ" in bad_criterion.content.decode()
    assert "Ý kiến không quá 1.000 ký tự." in long_comment.content.decode()
    with pytest.raises(services.Invalid) as error:
        services.perform(delivered, "rate", by=citizen, data={"score": 4, "criteria": {"khong_co": 5}})
    assert set(error.value.errors) == {"criteria"}
    assert not Event.objects.filter(action="rate").exists()


def test_the_desk_opens_the_counter_tablet_for_the_citizen_and_it_shows_nothing_of_the_officer(
    client, delivered, desk
):
    client.force_login(desk)
    office = client.get(f"/can-bo/ho-so/{delivered.code}/").content.decode()
    tablet = client.get(f"/can-bo/ho-so/{delivered.code}/danh-gia/")

    thanks = client.post(f"/can-bo/ho-so/{delivered.code}/danh-gia/", {"score": "3", "tc-mot_cua": "4"})

    assert 'href="danh-gia/"' in office
    assert tablet.status_code == 200
    body = tablet.content.decode()
    assert "Trần Thị Mai" not in body and "/can-bo/" not in body.replace(
        f"/can-bo/ho-so/{delivered.code}/", ""
    )
    assert thanks.status_code == 200 and "Cảm ơn ông/bà đã đánh giá" in thanks.content.decode()
    event = Event.objects.get(action="rate")
    assert (event.role, event.actor, event.data) == (
        "onestop",
        desk,
        {"score": 3, "criteria": {"mot_cua": 4}, "comment": False},
    )
    assert 'href="danh-gia/"' not in client.get(f"/can-bo/ho-so/{delivered.code}/").content.decode()


@pytest.mark.parametrize("persona", ["other_citizen", "specialist", "leader", "other_desk"])
def test_anyone_else_gets_the_answer_of_a_dossier_that_does_not_exist(client, delivered, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = "/can-bo/ho-so/{}/danh-gia/" if getattr(user, "officer", None) else "/ho-so/{}/danh-gia/"

    theirs = [
        client.get(page.format(delivered.code)),
        client.post(page.format(delivered.code), {"score": "1"}),
    ]
    unknown = [
        client.get(page.format("000.00.00.H00-260101-9999")),
        client.post(page.format("X"), {"score": "1"}),
    ]

    assert [r.status_code for r in theirs] == [r.status_code for r in unknown] == [404, 404]
    assert not Event.objects.filter(action="rate").exists()
    if persona in ("specialist", "leader"):
        with pytest.raises(services.Forbidden):
            services.perform(delivered, "rate", by=user, data={"score": 1})
