"""The commune radio's schedule: which bulletin, which day and time, which villages; and the log of what
went out, ticked by an officer."""

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.catalog.services import get_procedure
from motcua.outreach import bulletins, schedule
from motcua.outreach.models import Broadcast

pytestmark = pytest.mark.django_db
BIRTH = "1.001193"
MONDAY_8AM = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC) - dt.timedelta(hours=7)  # 08:00 in Vĩnh Linh


@pytest.fixture
def travel():
    with time_machine.travel(MONDAY_8AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def villages(agency):
    return [schedule.add_village(agency, name=name) for name in ("Thôn Tân Trại", "Thôn Hồ Xá")]


@pytest.fixture
def bulletin(catalogue, agency):
    return bulletins.bulletin_for(agency, BIRTH)


def test_an_officer_plans_an_airing_in_some_villages(travel, bulletin, villages, agency, desk):
    airing = schedule.plan(
        agency,
        bulletin=bulletin,
        day=dt.date(2026, 12, 8),
        time=dt.time(6, 0),
        chosen=villages[:1],
        note="",
        by=desk,
    )
    assert list(airing.villages.all()) == villages[:1]
    assert list(schedule.upcoming(agency)) == [airing]
    assert list(schedule.upcoming(agency, bulletin=bulletin, days=0)) == []


def test_an_airing_in_the_past_is_refused(travel, bulletin, agency, desk):
    with pytest.raises(schedule.ScheduleRefused, match="Giờ phát đã qua"):
        schedule.plan(
            agency,
            bulletin=bulletin,
            day=dt.date(2026, 12, 7),
            time=dt.time(6, 0),
            chosen=[],
            note="",
            by=desk,
        )


def test_another_communes_village_cannot_be_chosen(travel, bulletin, agency, other_agency, desk):
    theirs = schedule.add_village(other_agency, name="Thôn Cửa Tùng")
    with pytest.raises(schedule.ScheduleRefused, match="không thuộc xã của bạn"):
        schedule.plan(
            agency,
            bulletin=bulletin,
            day=dt.date(2026, 12, 8),
            time=dt.time(6, 0),
            chosen=[theirs],
            note="",
            by=desk,
        )


def test_a_village_is_listed_once_whatever_its_case(agency, other_agency):
    schedule.add_village(agency, name="Thôn  Tân Trại")
    with pytest.raises(schedule.ScheduleRefused, match="đã có trong danh sách"):
        schedule.add_village(agency, name="thôn tân trại")
    assert schedule.add_village(other_agency, name="Thôn Tân Trại").name == "Thôn Tân Trại"


def test_ticking_aired_writes_the_log_with_the_sound_that_went_out(travel, bulletin, villages, agency, desk):
    airing = schedule.plan(
        agency,
        bulletin=bulletin,
        day=dt.date(2026, 12, 7),
        time=dt.time(8, 15),
        chosen=villages,
        note="",
        by=desk,
    )
    travel.shift(dt.timedelta(minutes=20))
    schedule.mark_aired(airing, by=desk)
    airing.refresh_from_db()
    assert airing.aired_by == desk and airing.aired_at == timezone.now()
    assert airing.aired_kind == "live"  # no sound yet: read aloud from the script
    assert list(schedule.aired(agency)) == [airing] and list(schedule.upcoming(agency)) == []


def test_the_log_says_when_the_synthetic_voice_went_out(travel, bulletin, agency, desk, media):
    text = bulletins.script_of(bulletin, get_procedure(BIRTH))
    bulletin.audio.save("loa.mp3", ContentFile(b"ID3 mp3"), save=False)
    bulletin.audio_sha, bulletin.audio_seconds = bulletins.voice_sha(text), 86.0
    bulletin.save()
    airing = schedule.plan(
        agency, bulletin=bulletin, day=dt.date(2026, 12, 7), time=dt.time(8, 0), chosen=[], note="", by=desk
    )
    schedule.mark_aired(airing, by=desk)
    airing.refresh_from_db()
    assert (airing.aired_kind, airing.aired_seconds) == ("tts", 86.0)


def test_an_airing_cannot_be_ticked_long_before_its_time_nor_twice(travel, bulletin, agency, desk):
    airing = schedule.plan(
        agency, bulletin=bulletin, day=dt.date(2026, 12, 7), time=dt.time(17, 0), chosen=[], note="", by=desk
    )
    with pytest.raises(schedule.ScheduleRefused, match="Chưa đến giờ phát"):
        schedule.mark_aired(airing, by=desk)
    travel.move_to(MONDAY_8AM + dt.timedelta(hours=8, minutes=45))  # 16:45, a quarter of an hour early
    schedule.mark_aired(airing, by=desk)
    with pytest.raises(schedule.ScheduleRefused, match="đã được đánh dấu rồi"):
        schedule.mark_aired(airing, by=desk)


def test_an_airing_that_went_out_stays_in_the_log(travel, bulletin, agency, desk):
    airing = schedule.plan(
        agency, bulletin=bulletin, day=dt.date(2026, 12, 7), time=dt.time(8, 0), chosen=[], note="", by=desk
    )
    schedule.mark_aired(airing, by=desk)
    with pytest.raises(schedule.ScheduleRefused, match="nằm trong nhật ký"):
        schedule.cancel(airing)
    later = schedule.plan(
        agency, bulletin=bulletin, day=dt.date(2026, 12, 9), time=dt.time(8, 0), chosen=[], note="", by=desk
    )
    schedule.cancel(later)
    assert list(Broadcast.objects.all()) == [airing]


def test_an_airing_past_its_time_and_not_ticked_shows_in_the_log(travel, bulletin, agency, desk):
    airing = schedule.plan(
        agency, bulletin=bulletin, day=dt.date(2026, 12, 7), time=dt.time(8, 10), chosen=[], note="", by=desk
    )
    assert list(schedule.aired(agency)) == []
    travel.shift(dt.timedelta(hours=1))
    assert list(schedule.aired(agency)) == [airing]


# --- the page ---------------------------------------------------------------------------------------------


def test_the_schedule_page_plans_ticks_and_logs(client, travel, bulletin, villages, agency, desk):
    client.force_login(desk)
    response = client.post(
        "/can-bo/lich-phat-loa/",
        {
            "thu_tuc": BIRTH,
            "ngay": "2026-12-07",
            "gio": "08:10",
            "thon": [villages[1].pk],
            "ghi_chu": "Phát hai lần",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đã thêm lượt phát vào lịch." in page and "07/12/2026 08:10" in page and "Phát hai lần" in page
    airing = Broadcast.objects.get()
    response = client.post(f"/can-bo/lich-phat-loa/{airing.pk}/da-phat/", follow=True)
    assert "Đã ghi vào nhật ký: lượt phát đã phát." in response.content.decode()
    assert "đọc trực tiếp" in response.content.decode()


def test_the_schedule_page_adds_a_village(client, agency, desk, catalogue):
    client.force_login(desk)
    page = client.post(
        "/can-bo/lich-phat-loa/", {"them-thon": "1", "ten": "Thôn Mới"}, follow=True
    ).content.decode()
    assert "Đã thêm Thôn Mới." in page
    page = client.post("/can-bo/lich-phat-loa/", {"them-thon": "1", "ten": "thôn mới"}).content.decode()
    assert "đã có trong danh sách" in page


def test_another_communes_officer_cannot_tick_our_airing(client, travel, bulletin, agency, desk, other_desk):
    airing = schedule.plan(
        agency, bulletin=bulletin, day=dt.date(2026, 12, 7), time=dt.time(8, 0), chosen=[], note="", by=desk
    )
    client.force_login(other_desk)
    assert client.post(f"/can-bo/lich-phat-loa/{airing.pk}/da-phat/").status_code == 404
    assert client.post(f"/can-bo/lich-phat-loa/{airing.pk}/xoa/").status_code == 404
    airing.refresh_from_db()
    assert airing.aired_at is None


def test_a_specialist_has_no_schedule_to_keep(client, catalogue, specialist):
    client.force_login(specialist)
    assert client.get("/can-bo/lich-phat-loa/").status_code == 404
    assert client.get("/can-bo/loa/").status_code == 404
    assert client.get("/can-bo/ap-phich/").status_code == 200  # but prints posters
