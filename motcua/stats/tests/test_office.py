"""The officers' side: the dossiers behind a figure, each officer's workload, the outreach's counts, and the
province view that only the administrator (the province's role, until it exists) opens."""

import datetime as dt

import pytest
import time_machine

from motcua.outreach.links import Tag
from motcua.outreach.uptake import add
from motcua.stats import services

from .helpers import act, finish, online

pytestmark = pytest.mark.django_db
ZONE = dt.timezone(dt.timedelta(hours=7))
MARCH = dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZONE)
APRIL = dt.datetime(2026, 4, 1, tzinfo=ZONE)


@pytest.fixture
def late_and_open(catalogue, agency, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(MARCH, tick=True) as clock:
        on_time = finish(act(online(people["citizen"], agency), "receive", people["desk"]), people)
        late = act(online(people["citizen"], agency), "receive", people["desk"])
        still_open = act(online(people["citizen"], agency), "receive", people["desk"])
        clock.move_to(MARCH + dt.timedelta(days=14))
        late = finish(late, people)
    return {"on_time": on_time, "late": late, "open": still_open}


def test_the_drill_down_lists_the_dossiers_behind_the_figures(late_and_open, agency):
    start = dt.datetime(2026, 3, 1, tzinfo=ZONE)
    assert [d.code for d in services.late_dossiers(agency.pk, start=start, end=APRIL)] == [
        late_and_open["late"].code
    ]
    overdue = services.overdue_dossiers(agency.pk, now=MARCH + dt.timedelta(days=20))
    assert [d.code for d in overdue] == [late_and_open["open"].code]
    figures = services.present(
        services.figures(agency_ids=[agency.pk], start=start.date(), end=start.date())[0].values
    )
    assert figures["finished_late"].value is None  # one: suppressed in public; the officers see the list


def test_the_dashboard_shows_exact_figures_workload_and_links(client, late_and_open, people):
    client.force_login(people["specialist"])
    page = client.get("/can-bo/thong-ke/?tu=2026-03&den=2026-03").content.decode()
    assert "/can-bo/thong-ke/ho-so/tre-han/?tu=2026-03&amp;den=2026-03" in page
    assert "Lê Văn Hùng" in page  # the specialist's row of the workload table
    listed = client.get("/can-bo/thong-ke/ho-so/tre-han/?tu=2026-03&den=2026-03").content.decode()
    assert late_and_open["late"].code in listed and late_and_open["on_time"].code not in listed
    assert client.get("/can-bo/thong-ke/ho-so/khong-co/").status_code == 404


def test_another_communes_officer_sees_only_their_own(client, late_and_open, other_desk):
    client.force_login(other_desk)
    listed = client.get("/can-bo/thong-ke/ho-so/tre-han/?tu=2026-03&den=2026-03").content.decode()
    assert late_and_open["late"].code not in listed
    page = client.get("/can-bo/thong-ke/?tu=2026-03&den=2026-03&co-quan=000.20.44.H54").content.decode()
    assert "Cửa Tùng" in page and late_and_open["late"].code not in page


def test_the_province_view_is_the_administrators(client, late_and_open, administrator, people, other_agency):
    client.force_login(people["leader"])
    assert client.get("/can-bo/thong-ke/tinh/").status_code == 404
    client.force_login(administrator)
    page = client.get("/can-bo/thong-ke/tinh/?tu=2026-03&den=2026-03").content.decode()
    assert "Vĩnh Linh" in page and "Cửa Tùng" in page
    assert late_and_open["late"].code not in page  # counts only


def test_the_outreach_effect_per_campaign_and_channel(db):
    add(Tag("thang-khai-sinh", "loa"), "visit", day=dt.date(2026, 3, 3), n=40)
    add(Tag("thang-khai-sinh", "loa"), "filed", day=dt.date(2026, 3, 4), n=6)
    add(Tag("thang-khai-sinh", "ap-phich"), "visit", day=dt.date(2026, 3, 5), n=9)
    add(Tag("", "sms"), "help", day=dt.date(2026, 2, 5), n=2)  # before the period asked
    effect = services.outreach_effect(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    loa = next(e for e in effect if e["campaign"] == "thang-khai-sinh" and e["channel"] == "Loa truyền thanh")
    assert loa["steps"]["visit"]["all"] == 40 and loa["steps"]["filed"]["all"] == 6
    assert loa["steps"]["practice"]["all"] == 0 and loa["steps"]["help"]["all"] == 0
    assert len(effect) == 2  # no campaign dates known: each row is the period as a whole
