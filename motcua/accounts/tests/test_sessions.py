"""Nothing lost: a citizen stays signed in 30 days after their last visit unless they ticked "Máy dùng chung";
every way in returns where the citizen started (`next`); the VNeID button shows only when VNeID is set up."""

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from motcua.accounts import services
from motcua.periodic.services import registered
from testkit import last_code

pytestmark = pytest.mark.django_db

PHONE = "+84912345678"
THIRTY_DAYS = 30 * 24 * 3600
FORM = "/thu-tuc/1.001193/nop/"


def cookie(response):
    return response.cookies["sessionid"]


def server_expiry(client) -> dt.timedelta:
    row = Session.objects.get(session_key=client.cookies["sessionid"].value)
    return row.expire_date - timezone.now()


# --- how long a session lasts -------------------------------------------------------------------------------


def test_a_citizen_stays_signed_in_30_days_without_the_tick(client, citizen):
    response = client.post("/dang-nhap/", {"username": "0912 345 678", "password": "demo-2026"})

    assert response["Location"] == "/ho-so/"
    assert cookie(response)["max-age"] == THIRTY_DAYS
    assert dt.timedelta(days=29, hours=23) < server_expiry(client) <= dt.timedelta(days=30)


def test_on_a_shared_device_the_session_ends_with_the_browser(client, citizen):
    page = client.get("/dang-nhap/")
    assert "Máy dùng chung (đăng xuất khi đóng trình duyệt)" in page.text

    response = client.post(
        "/dang-nhap/", {"username": "0912 345 678", "password": "demo-2026", "shared": "on"}
    )

    assert response["Location"] == "/ho-so/"
    assert cookie(response)["max-age"] == "" and cookie(response)["expires"] == ""
    assert server_expiry(client) <= dt.timedelta(hours=8)


def test_the_tick_works_with_a_code_too(client, citizen, texted):
    client.post("/dang-nhap/ma/", {"phone": "0912345678"})
    response = client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE), "shared": "on"})
    assert cookie(response)["max-age"] == ""

    other = type(client)()
    other.post("/dang-nhap/ma/", {"phone": "0912345678"})
    response = other.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE)})
    assert cookie(response)["max-age"] == THIRTY_DAYS


def test_the_tick_carries_over_to_who_is_signing_in(client, citizen, texted):
    services.register(phone=PHONE, full_name="Trần Văn Bình")
    client.post("/dang-nhap/ma/", {"phone": "0912345678"})
    client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE), "shared": "on"})

    response = client.post("/dang-nhap/ban-la-ai/", {"nguoi": "2"})

    assert cookie(response)["max-age"] == ""


def test_registering_gets_a_long_session_too(client, agency, texted):
    client.post("/dang-ky/", {"phone": "0912345678", "full_name": "Nguyễn Thị Hường"})
    response = client.post("/dang-ky/nhap-ma/", {"code": last_code(texted, PHONE), "password": ""})
    assert cookie(response)["max-age"] == THIRTY_DAYS


def test_an_officers_session_ends_with_the_browser_and_after_8_hours(client, desk):
    response = client.post("/dang-nhap/", {"username": "motcua", "password": "demo-2026"})

    assert response["Location"] == "/can-bo/"
    assert cookie(response)["max-age"] == ""
    assert dt.timedelta(hours=7, minutes=59) < server_expiry(client) <= dt.timedelta(hours=8)


def test_the_30_days_slide_renewed_at_most_once_a_day(client, citizen):
    client.post("/dang-nhap/", {"username": "0912 345 678", "password": "demo-2026"})
    same_day = client.get("/ho-so/")
    assert "sessionid" not in same_day.cookies  # not written again on every page

    Session.objects.update(expire_date=timezone.now() + dt.timedelta(days=12))  # last seen 18 days ago
    later = client.get("/ho-so/")

    assert later.status_code == 200 and cookie(later)["max-age"] == THIRTY_DAYS
    assert server_expiry(client) > dt.timedelta(days=29, hours=23)


def test_an_expired_session_is_over(client, citizen):
    client.post("/dang-nhap/", {"username": "0912 345 678", "password": "demo-2026"})
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))

    assert client.get("/ho-so/")["Location"] == "/dang-nhap/?next=/ho-so/"


# --- back where the citizen started -------------------------------------------------------------------------


def test_registering_from_the_online_form_lands_back_on_it(client, catalogue, agency, texted):
    sent_to_sign_in = client.get(FORM)
    assert sent_to_sign_in["Location"] == f"/dang-nhap/?next={FORM}"
    sign_in_page = client.get(sent_to_sign_in["Location"])
    register_link = re.search(r'href="(/dang-ky/[^"]*)"', sign_in_page.text).group(1)
    assert register_link == "/dang-ky/?next=/thu-tuc/1.001193/nop/"
    register_page = client.get(register_link)
    assert f'name="next" value="{FORM}"' in register_page.text

    client.post(register_link, {"phone": "0912345678", "full_name": "Nguyễn Thị Hường", "next": FORM})
    done = client.post("/dang-ky/nhap-ma/", {"code": last_code(texted, PHONE), "password": ""})

    assert done["Location"] == FORM
    assert client.get(FORM).status_code == 200


def test_signing_in_by_code_lands_back_where_it_started(client, citizen, texted):
    page = client.get(f"/dang-nhap/ma/?next={FORM}")
    assert f'name="next" value="{FORM}"' in page.text
    client.post("/dang-nhap/ma/", {"phone": "0912345678", "next": FORM})
    code_page = client.get("/dang-nhap/ma/nhap/")
    assert f'href="/dang-nhap/ma/?next={FORM}"' in code_page.text  # "Xin mã mới" keeps it

    done = client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE)})

    assert done["Location"] == FORM


def test_who_is_signing_in_lands_back_where_it_started(client, citizen, texted):
    services.register(phone=PHONE, full_name="Trần Văn Bình")
    client.post("/dang-nhap/ma/", {"phone": "0912345678", "next": FORM})
    client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE)})

    assert client.post("/dang-nhap/ban-la-ai/", {"nguoi": "2"})["Location"] == FORM


def test_the_password_with_several_people_keeps_next(client, citizen):
    son = services.register(phone=PHONE, full_name="Trần Văn Bình", password="demo-2026")
    asked = client.post(f"/dang-nhap/?next={FORM}", {"username": "0912345678", "password": "demo-2026"})
    assert asked["Location"] == "/dang-nhap/ban-la-ai/"

    assert client.post("/dang-nhap/ban-la-ai/", {"nguoi": "2"})["Location"] == FORM
    assert client.session["_auth_user_id"] == str(son.pk)


@pytest.mark.parametrize("elsewhere", ["https://lua-dao.example/", "//lua-dao.example/", "javascript:x()"])
def test_a_next_off_the_site_is_ignored_on_every_way_in(client, citizen, texted, elsewhere):
    client.post("/dang-ky/", {"phone": "0912345678", "full_name": "Trần Văn Bình", "next": elsewhere})
    assert client.post("/dang-ky/nhap-ma/", {"code": last_code(texted, PHONE)})["Location"] == "/ho-so/"
    client.logout()
    client.post("/dang-nhap/ma/", {"phone": "0912345678", "next": elsewhere})
    client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE)})
    assert client.post("/dang-nhap/ban-la-ai/", {"nguoi": "1"})["Location"] == "/ho-so/"
    client.logout()
    credentials = {"username": "0912345678", "password": "demo-2026", "next": elsewhere}
    signed = client.post("/dang-nhap/", credentials)
    assert signed["Location"] == "/ho-so/"


# --- the VNeID button ---------------------------------------------------------------------------------------

WAYS_IN = ["/dang-nhap/", "/dang-ky/", "/dang-nhap/ma/"]


def test_no_vneid_button_while_vneid_is_not_set_up(client, settings):
    settings.VNEID_ISSUER = ""
    for url in WAYS_IN:
        page = client.get(url).text
        assert "/dang-nhap/vneid/" not in page and "VNeID" not in page, url


def test_the_vneid_button_when_vneid_is_set_up_keeps_next(client, settings):
    settings.VNEID_ISSUER = "https://vneid.example"
    settings.VNEID_CLIENT_ID = "motcua"
    settings.VNEID_CLIENT_SECRET = "bi-mat"
    for url in WAYS_IN:
        page = client.get(f"{url}?next={FORM}").text
        assert f'<a href="/dang-nhap/vneid/?next={FORM}">' in page, url


def test_expired_sessions_are_deleted_by_a_daily_job(client, citizen):
    client.post("/dang-nhap/", {"username": "0912 345 678", "password": "demo-2026"})
    other = type(client)()
    other.post("/dang-nhap/", {"username": "0912 345 678", "password": "demo-2026"})
    Session.objects.filter(session_key=other.cookies["sessionid"].value).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    job = registered()["clear_sessions"]

    job.func()

    assert job.every == 24 * 3600
    assert list(Session.objects.values_list("session_key", flat=True)) == [client.cookies["sessionid"].value]
