"""Campaigns: a poster's QR code leads to the guide with the campaign's tag, and the visit and the filing
that follow are counted for it; its message goes to those who asked, within the SMS budget, each once,
and stops for anyone who says so."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM, post_steps
from motcua.notifications import services as notifications
from motcua.notifications.models import Message, SmsBudget
from motcua.notifications.tests.fakes import FakeEsms
from motcua.outreach import campaigns
from motcua.outreach.models import Campaign, SendState, Uptake

from .pdf import page_png, qr_codes

pytestmark = pytest.mark.django_db
SITE = "https://dichvucong.vinhlinh.example.vn"
SLUG = "thang-khai-sinh"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def campaign(catalogue, agency):
    today = timezone.localdate()
    return Campaign.objects.create(
        agency=agency,
        name="Tháng khai sinh trực tuyến",
        slug=SLUG,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=27),
        procedures=[BIRTH],
        life_events=["gia-dinh-co-em-be"],
        message="Xa Vinh Linh: dang ky khai sinh truc tuyen, mien le phi, nop tai nha.",
    )


def counts(slug: str = SLUG) -> dict[str, int]:
    rows = Uptake.objects.filter(campaign=slug)
    return {
        step: sum(r.count for r in rows if r.step == step) for step in ("visit", "filed", "help", "practice")
    }


def test_a_posters_qr_leads_to_the_guide_and_the_visit_and_the_filing_are_counted_once(
    client, campaign, agency, citizen
):
    pdf = client.get(f"/thu-tuc/{BIRTH}/ap-phich.pdf?cd={SLUG}").content
    [link] = qr_codes(page_png(pdf))
    assert link == f"{SITE}/thu-tuc/{BIRTH}/?cd={SLUG}&kenh=ap-phich"
    before = counts()

    client.force_login(citizen)
    guide = client.get(link.removeprefix(SITE))
    assert guide.status_code == 200 and "private" in guide["Cache-Control"]
    assert counts() == {**before, "visit": before["visit"] + 1}
    client.get(link.removeprefix(SITE))  # the same page again (a reload): not a second visit
    assert counts()["visit"] == before["visit"] + 1

    post_steps(client, BIRTH_FORM)
    client.post(f"/thu-tuc/{BIRTH}/nop/xem-lai/")
    dossier = Dossier.objects.get()
    assert dossier.status == 1
    assert counts() == {**before, "visit": before["visit"] + 1, "filed": before["filed"] + 1}
    assert list(Uptake.objects.values_list("channel", flat=True).distinct()) == ["ap-phich"]
    # Counts only: nothing about the campaign on the dossier, nothing about the person in a count.
    assert SLUG not in str(Dossier.objects.filter(pk=dossier.pk).values().get())

    report = campaigns.report(campaign).as_dict()
    assert report["channels"]["ap-phich"]["visit"] == {"before": 0, "during": 1, "after": 0}
    assert report["total"]["filed"]["during"] == 1
    assert report["filings"]["online"] == {"before": 0, "during": 1, "after": 0}


def test_the_report_counts_every_filing_of_its_procedures_tagged_or_not(campaign, agency, citizen):
    from motcua.dossiers.tests.factories import file_birth

    file_birth(citizen, agency)  # no link followed: not in the campaign's counts, in its procedures' filings
    old = file_birth(citizen, agency, form={**BIRTH_FORM, "child_birth_date": "2025-01-05"})
    Dossier.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=10))
    report = campaigns.report(campaign)
    assert report.total.counts["filed"] == {"before": 0, "during": 0, "after": 0}
    assert report.filings.online == {"before": 1, "during": 1, "after": 0}
    assert report.filings.windows["before"][1] == campaign.starts_on - dt.timedelta(days=1)


def test_a_filing_with_no_tag_and_a_made_up_campaign_count_nothing_for_the_campaign(
    client, campaign, agency, citizen
):
    client.force_login(citizen)
    client.get(f"/thu-tuc/{BIRTH}/?cd=khong-co-that&kenh=loa")
    post_steps(client, BIRTH_FORM)
    client.post(f"/thu-tuc/{BIRTH}/nop/xem-lai/")
    assert Dossier.objects.get().status == 1
    assert counts() == {"visit": 0, "filed": 0, "help": 0, "practice": 0}
    assert sorted(Uptake.objects.values_list("campaign", "channel", "step", "count")) == [
        ("", "loa", "filed", 1),
        ("", "loa", "visit", 1),
    ]
    assert not Uptake.objects.filter(campaign="khong-co-that").exists()


def test_an_office_page_or_an_untagged_page_counts_nothing(client, campaign, desk):
    client.get(f"/thu-tuc/{BIRTH}/")
    client.force_login(desk)
    client.get(f"/can-bo/chien-dich/?cd={SLUG}&kenh=loa")
    assert not Uptake.objects.exists()


# --- the message --------------------------------------------------------------------------------------------


@pytest.fixture
def readers(citizen, other_citizen):
    for person in (citizen, other_citizen):
        notifications.set_news(person, news=True)
    return [citizen, other_citizen]


def budget(agency, *, limit: int, used: int = 0):
    month = timezone.localdate().replace(day=1)
    SmsBudget.objects.update_or_create(
        agency=agency, month=month, slice="", defaults={"limit": limit, "used": used}
    )


def test_a_campaign_that_would_overrun_the_sms_budget_refuses_to_start_and_says_by_how_much(
    client, campaign, agency, desk, readers
):
    planned = campaigns.plan(campaign, site_url=SITE)
    assert planned.recipients == 2 and planned.parts == 4  # two parts each, the opt-out link included
    budget(agency, limit=100, used=97)
    client.force_login(desk)
    page = client.get(f"/can-bo/chien-dich/{campaign.pk}/")
    assert "thiếu 1 phần tin" in page.text
    answer = client.post(f"/can-bo/chien-dich/{campaign.pk}/gui-tin/", {"confirm": "on"}, follow=True)
    assert "cần 4 phần tin, chỉ còn 3, thiếu 1 phần tin" in answer.text
    campaign.refresh_from_db()
    assert campaign.send_state == SendState.NONE and not Message.objects.filter(kind="campaign").exists()
    assert notifications.budget_of(agency).used == 97  # nothing reserved


@pytest.fixture
def esms(settings):
    service = FakeEsms()
    settings.NOTIFICATIONS = {
        "CHANNELS": {"sms": ["esms"], "zalo": [], "email": []},
        "PROVIDERS": {
            "esms": {
                "BACKEND": "motcua.notifications.providers.EsmsProvider",
                "OPTIONS": {"url": service.url, "api_key": service.api_key, "secret": service.secret},
            }
        },
        "HTTP_TIMEOUT": 0.3,
    }
    yield service
    service.close()


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """What `db_worker` does, in the test's own transaction: run every task that is due, until none is."""
    from django_tasks_db.models import DBTaskResult

    def run() -> None:
        while (row := DBTaskResult.objects.ready().first()) is not None:
            row.claim("test-worker")
            result = row.task_result
            with django_capture_on_commit_callbacks(execute=True):
                value = row.task.call(*result.args, **result.kwargs)
            row.set_successful(value)

    return run


def test_a_started_campaign_texts_each_reader_once_through_the_worker(
    client,
    campaign,
    agency,
    desk,
    readers,
    citizen,
    other_citizen,
    esms,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    somebody_else = other_citizen.__class__.objects.create(username="+84911111111", phone="+84911111111")
    budget(agency, limit=100, used=10)
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/can-bo/chien-dich/{campaign.pk}/gui-tin/", {"confirm": "on"})
        client.post(f"/can-bo/chien-dich/{campaign.pk}/gui-tin/", {"confirm": "on"})  # twice: once
    assert not Message.objects.filter(kind="campaign").exists()  # the worker does the sending
    assert "Gửi cho 2 người: 0 tin đã vào hàng đợi" in client.get(f"/can-bo/chien-dich/{campaign.pk}/").text
    run_tasks()
    assert sorted(m["Phone"] for m in esms.sent()) == ["0912345678", "0987654321"]
    sent = Message.objects.filter(kind="campaign").order_by("recipient_id")
    assert [m.recipient_id for m in sent] == [citizen.pk, other_citizen.pk]
    assert somebody_else.pk not in [m.recipient_id for m in sent]
    assert notifications.budget_of(agency).used == 10 + 4
    text = sent[0].text
    assert f"{SITE}/thu-tuc/{BIRTH}/?cd={SLUG}&kenh=sms" in text and "Tu choi: " in text
    campaigns.queue_messages(campaign_id=campaign.pk, site_url=SITE)  # the worker again: nothing new
    assert Message.objects.filter(kind="campaign").count() == 2
    campaign.refresh_from_db()
    assert (campaign.send_state, campaign.recipients, campaign.queued) == (SendState.DONE, 2, 2)
    page = client.get(f"/can-bo/chien-dich/{campaign.pk}/")
    assert "Gửi cho 2 người: 2 tin đã vào hàng đợi, 2 đã gửi, 0 không gửi được, 0 đang chờ." in page.text


def test_the_opt_out_link_in_a_message_stops_the_news_without_signing_in(client, campaign, readers, citizen):
    text = campaigns.message_for(campaign, site_url=SITE, user_pk=citizen.pk)
    link = text.rsplit("Tu choi: ", 1)[1]
    assert link.startswith(f"{SITE}/tu-choi-tin/")
    path = link.removeprefix(SITE)
    page = client.get(path)
    assert page.status_code == 200 and notifications.wants_news(citizen)  # a link preview stops nothing
    done = client.post(path)
    assert "sẽ không nhận tin" in done.text and not notifications.wants_news(citizen)
    assert notifications.channels_for(citizen) == ["inapp", "sms"]  # dossier notices still go out
    assert campaigns.plan(campaign, site_url=SITE).recipients == 1


@pytest.mark.parametrize("token", ["1-000000000000", "zz", "1-abc", "ễ-000000000000", "1-0000000000000"])
def test_a_forged_opt_out_link_is_not_found(client, readers, citizen, token):
    assert client.get(f"/tu-choi-tin/{token}/").status_code == 404
    assert client.post(f"/tu-choi-tin/{token}/").status_code == 404
    assert notifications.wants_news(citizen)


def test_a_citizen_asks_for_news_in_their_preferences_off_by_default(client, citizen):
    client.force_login(citizen)
    page = client.get("/thong-bao/cach-nhan/")
    assert 'name="news"' in page.text and "checked" not in page.text.split('name="news"')[1].split(">")[0]
    assert not notifications.wants_news(citizen)
    client.post("/thong-bao/cach-nhan/", {"first": "inapp", "news": "on"})
    assert notifications.wants_news(citizen)


# --- the officers -------------------------------------------------------------------------------------------


def test_an_officer_creates_a_campaign_and_sees_its_kit_and_report(client, catalogue, agency, desk):
    client.force_login(desk)
    assert client.get("/can-bo/chien-dich/moi/").status_code == 200
    answer = client.post(
        "/can-bo/chien-dich/moi/",
        {
            "name": "Tháng khai sinh trực tuyến",
            "slug": SLUG,
            "starts_on": "01/12/2026",
            "ends_on": "31/12/2026",
            "procedures": [BIRTH],
        },
    )
    campaign = Campaign.objects.get()
    assert answer["Location"] == f"/can-bo/chien-dich/{campaign.pk}/" and campaign.agency == agency
    page = client.get(answer["Location"]).text
    assert f"/thu-tuc/{BIRTH}/ap-phich.pdf?cd={SLUG}" in page and f"/can-bo/loa/{BIRTH}/" in page
    assert "Lượt xem" in page and "Hồ sơ đã nộp" in page and "Trước" in page
    assert f"{SITE}/thu-tuc/{BIRTH}/?cd={SLUG}&amp;kenh=zalo" in page  # for the commune's Zalo page


def test_a_wrong_slug_or_dates_are_refused_in_plain_words(client, catalogue, agency, desk):
    client.force_login(desk)
    page = client.post(
        "/can-bo/chien-dich/moi/",
        {"name": "X", "slug": "Tháng Một", "starts_on": "2026-12-31", "ends_on": "2026-12-01"},
    ).text
    assert (
        "chỉ gồm chữ không dấu" in page and "phải sau ngày bắt đầu" in page and "ít nhất một thủ tục" in page
    )
    assert not Campaign.objects.exists()


def test_only_the_agencys_officers_reach_its_campaigns(
    client, campaign, citizen, community, other_desk, leader, administrator
):
    paths = [f"/can-bo/chien-dich/{campaign.pk}/", f"/can-bo/chien-dich/{campaign.pk}/sua/"]
    for who, status in [
        (citizen, 404),
        (community, 404),
        (other_desk, 404),
        (leader, 200),
        (administrator, 200),
    ]:
        client.force_login(who)
        for path in paths:
            assert client.get(path).status_code == status, (who, path)
    client.force_login(other_desk)
    assert client.post(f"/can-bo/chien-dich/{campaign.pk}/gui-tin/", {"confirm": "on"}).status_code == 404
    assert campaign.name not in client.get("/can-bo/chien-dich/").text


def test_a_message_in_vietnamese_letters_says_tu_choi_with_accents_and_costs_more(campaign, readers, citizen):
    campaign.message = "Xã Vĩnh Linh: đăng ký khai sinh trực tuyến, miễn lệ phí."
    text = campaigns.message_for(campaign, site_url=SITE, user_pk=citizen.pk)
    assert "Từ chối: " in text
    assert campaigns.plan(campaign, site_url=SITE).worst == 4


def test_the_opt_out_page_fits_the_budget(client, readers, citizen):
    from bench.weight import page_weight

    weight = page_weight(client, f"/tu-choi-tin/{campaigns.opt_out_token(citizen.pk)}/")
    assert weight["total"] <= 14 * 1024, weight


def test_an_untagged_request_costs_no_query_and_a_tagged_one_a_read_and_a_write(
    rf, campaign, django_assert_num_queries
):
    from django.http import HttpResponse
    from django.urls import resolve

    from motcua.outreach.campaigns_middleware import CampaignTagMiddleware

    middleware = CampaignTagMiddleware(lambda request: HttpResponse())
    with django_assert_num_queries(0):
        middleware(rf.get(f"/thu-tuc/{BIRTH}/"))
    request = rf.get(f"/thu-tuc/{BIRTH}/?cd={SLUG}&kenh=loa")
    request.resolver_match = resolve(f"/thu-tuc/{BIRTH}/")
    with django_assert_num_queries(2):  # that the campaign exists; the count, one INSERT … ON CONFLICT
        response = middleware(request)
    assert Uptake.objects.get(campaign=SLUG).count == 1 and "motcua_kenh" in response.cookies


def test_parts_reserved_for_someone_who_opted_out_before_the_worker_came_go_back_to_the_budget(
    client, campaign, agency, desk, readers, citizen, esms, run_tasks, django_capture_on_commit_callbacks
):
    budget(agency, limit=100, used=0)
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/can-bo/chien-dich/{campaign.pk}/gui-tin/", {"confirm": "on"})
    assert notifications.budget_of(agency).used == 4
    client.post(f"/tu-choi-tin/{campaigns.opt_out_token(citizen.pk)}/")
    run_tasks()
    assert [m.recipient_id for m in Message.objects.filter(kind="campaign")] == [readers[1].pk]
    assert notifications.budget_of(agency).used == 2
    campaign.refresh_from_db()
    assert (campaign.recipients, campaign.queued, campaign.segments) == (2, 1, 2)


def test_a_campaigns_code_cannot_change_once_saved(client, campaign, desk):
    client.force_login(desk)
    client.post(
        f"/can-bo/chien-dich/{campaign.pk}/sua/",
        {"name": "Tháng khai sinh", "slug": "khac", "starts_on": "2026-12-01", "ends_on": "2026-12-31",
         "procedures": [BIRTH], "message": campaign.message},
    )  # fmt: skip
    campaign.refresh_from_db()
    assert (campaign.name, campaign.slug) == ("Tháng khai sinh", SLUG)
