"""Limits nobody dodges and accounts nobody takes over (issue 10): the client's address comes from the
trusted proxies only; codes that may reach a number with no account are limited per network and for the
whole site; a wrong password slows the one who types it, not the owner; an officer's account never opens
with an SMS code; registration never touches an existing account; the desk moves a number only for its own
citizens, with their card, telling the old number; no page says whether a number has an account."""

import datetime as dt

import pytest
import time_machine
from django.test import Client, RequestFactory

from motcua.accounts import services
from motcua.accounts.models import AccountEvent, OneTimeCode, User
from motcua.agencies.services import set_officer
from motcua.ratelimit import client_ip, network
from testkit import last_code

pytestmark = pytest.mark.django_db

OFFICER_PHONE = "+84905000111"
WRONG = {"username": "0912345678", "password": "sai-mat-khau"}
RIGHT = {"username": "0912345678", "password": "demo-2026"}


@pytest.fixture(autouse=True)
def _still():
    """Time stands still, so that every Retry-After is the whole window."""
    with time_machine.travel(dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def quantri(agency):
    """The commune's administrator, who also gave the system a phone number."""
    user = User.objects.create_user(
        username="quantri", password="demo-2026", full_name="Phạm Văn Quản", phone=OFFICER_PHONE
    )
    set_officer(user, agency=agency, roles=["admin"])
    user.refresh_from_db()
    return user


def otp(client, phone, purpose="register", **extra):
    return client.post(
        "/api/v1/auth/otp", {"phone": phone, "purpose": purpose}, content_type="application/json", **extra
    )


# --- finding 2: the client's address comes from the trusted proxies only ------------------------------------


def request_from(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_a_forwarded_header_is_ignored_even_behind_tls(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # what HTTPS=1 sets

    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_one_proxy_the_client_is_the_address_that_proxy_saw(settings):
    settings.TRUSTED_PROXIES = 1

    assert client_ip(request_from("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXIES = 2

    assert client_ip(request_from("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.3")) == "203.0.113.9"


def test_a_request_that_skipped_a_proxy_or_carries_garbage_counts_as_the_connection(settings):
    settings.TRUSTED_PROXIES = 2

    assert client_ip(request_from("10.0.0.2", "203.0.113.9")) == "10.0.0.2"
    assert client_ip(request_from("10.0.0.2", "x, <script>, 10.0.0.3")) == "10.0.0.2"


def test_networks_are_a_slash_24_for_ipv4_and_a_slash_64_for_ipv6():
    assert network("203.0.113.77") == "203.0.113.0/24"
    assert network("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert network("") == ""


def test_forged_forwarded_addresses_do_not_reset_the_sign_in_limit(client, citizen, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    statuses = [
        client.post(
            "/api/v1/auth/token",
            {"username": f"nguoi-{n}", "password": "x"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(31)
    ]

    assert statuses == [401] * 30 + [429]


# --- finding 1: codes that may reach a number with no account -----------------------------------------------


def test_codes_that_may_reach_a_number_with_no_account_are_limited_per_network(
    client, agency, settings, texted
):
    settings.CODE_REQUESTS_PER_NETWORK_PER_HOUR = 3

    statuses = [otp(client, f"09123456{n:02d}", REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(5)]

    assert statuses == [202, 202, 202, 429, 429]
    assert len(texted) == 3
    assert otp(client, "0912345699", REMOTE_ADDR="198.51.100.1").status_code == 202  # another network


def test_codes_that_may_reach_a_number_with_no_account_are_limited_for_the_whole_site(
    client, citizen, settings, texted
):
    settings.CODE_REQUESTS_PER_HOUR = 4

    answers = [otp(client, f"09123456{n:02d}", REMOTE_ADDR=f"203.0.{n}.1") for n in range(6)]

    assert [a.status_code for a in answers] == [202] * 4 + [429] * 2
    assert answers[-1]["Retry-After"] == "3600"
    assert answers[-1].json() == {
        "detail": "Đang có quá nhiều yêu cầu gửi mã. Vui lòng thử lại sau 60 phút, "
        "hoặc đến bộ phận một cửa để được hỗ trợ."
    }
    # A citizen who has an account still signs in with a code while registration is held.
    assert otp(client, "0912345678", purpose="signin", REMOTE_ADDR="192.0.2.1").status_code == 202
    assert texted[-1][0] == "+84912345678"


def test_a_code_refused_on_a_page_says_when_to_come_back(client, agency):
    for _ in range(3):
        client.post("/dang-ky/", {"phone": "0912345678", "full_name": "A"})

    refused = client.post("/dang-ky/", {"phone": "0912345678", "full_name": "A"})

    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert "Bạn đã xin mã nhiều lần. Vui lòng đợi 15 phút rồi thử lại." in refused.text


# --- finding 10: no page says whether a number has an account -----------------------------------------------


def test_signing_in_by_code_answers_the_same_whether_or_not_the_number_has_an_account(
    client, citizen, texted
):
    known = client.post("/dang-nhap/ma/", {"phone": "0912 345 678"})
    unknown = Client().post("/dang-nhap/ma/", {"phone": "0905 111 222"})

    assert (known.status_code, known["Location"]) == (302, "/dang-nhap/ma/nhap/")
    assert (unknown.status_code, unknown["Location"]) == (302, "/dang-nhap/ma/nhap/")
    assert [phone for phone, _text in texted] == ["+84912345678"]  # no code to a number with no account


def test_registering_answers_the_same_whether_or_not_the_number_has_an_account(client, citizen):
    known = client.post("/dang-ky/", {"phone": "0912 345 678", "full_name": "Nguyễn Thị Hường"})
    unknown = Client().post("/dang-ky/", {"phone": "0905 111 222", "full_name": "Lê Văn Nam"})

    assert (known.status_code, known["Location"]) == (302, "/dang-ky/nhap-ma/")
    assert (unknown.status_code, unknown["Location"]) == (302, "/dang-ky/nhap-ma/")


def test_probing_numbers_on_the_sign_in_by_code_page_is_throttled(client, agency):
    statuses = [client.post("/dang-nhap/ma/", {"phone": f"09051112{n:02d}"}).status_code for n in range(11)]

    assert statuses == [302] * 10 + [429]


# --- finding 9 and the lockouts: a wrong password slows the one who types it --------------------------------


def test_the_eleventh_wrong_password_is_refused_with_429_and_a_plain_message(client, citizen):
    for _ in range(10):
        assert client.post("/dang-nhap/", WRONG).status_code == 200

    refused = client.post("/dang-nhap/", WRONG)

    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert "Bạn đã thử quá nhiều lần. Vui lòng đợi 15 phút rồi thử lại." in refused.text
    assert 'name="username"' in refused.text and "0912345678" in refused.text


def test_ten_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(citizen):
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(10):
        attacker.post("/dang-nhap/", WRONG)
    assert attacker.post("/dang-nhap/", RIGHT).status_code == 429  # the right one, from the attacker

    owner = Client(REMOTE_ADDR="198.51.100.20")

    assert owner.post("/dang-nhap/", RIGHT)["Location"] == "/ho-so/"
    token = owner.post("/api/v1/auth/token", RIGHT, content_type="application/json")
    assert token.status_code == 200


def test_signing_in_again_and_again_with_the_right_password_is_never_refused(client, citizen):
    for _ in range(12):
        assert client.post("/dang-nhap/", RIGHT).status_code == 302
        client.post("/dang-xuat/")


def test_the_api_token_refuses_with_429_and_retry_after(client, citizen):
    for _ in range(10):
        client.post("/api/v1/auth/token", WRONG, content_type="application/json")

    refused = client.post("/api/v1/auth/token", RIGHT, content_type="application/json")

    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert refused.json() == {"detail": "Bạn đã thử quá nhiều lần. Vui lòng đợi 15 phút rồi thử lại."}


# --- finding 3: the Django admin's sign-in ------------------------------------------------------------------

ADMIN_WRONG = {"username": "quantri", "password": "sai-mat-khau", "next": "/quan-tri/"}
ADMIN_RIGHT = {"username": "quantri", "password": "demo-2026", "next": "/quan-tri/"}


def test_the_admin_sign_in_is_throttled_like_every_other_sign_in(client, quantri):
    for _ in range(10):
        assert client.post("/quan-tri/login/", ADMIN_WRONG).status_code == 200

    refused = client.post("/quan-tri/login/", ADMIN_RIGHT)

    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert "Bạn đã thử quá nhiều lần. Vui lòng đợi 15 phút rồi thử lại." in refused.text
    assert "_auth_user_id" not in client.session
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert elsewhere.post("/quan-tri/login/", ADMIN_RIGHT)["Location"] == "/quan-tri/"


def test_the_sign_in_doors_share_one_count(client, quantri):
    for _ in range(4):
        client.post("/quan-tri/login/", ADMIN_WRONG)
        client.post("/dang-nhap/", {"username": "quantri", "password": "sai"})
    client.post(
        "/api/v1/auth/token", {"username": "quantri", "password": "sai"}, content_type="application/json"
    )
    client.post(
        "/api/v1/auth/token", {"username": "QuanTri", "password": "sai"}, content_type="application/json"
    )

    assert client.post("/quan-tri/login/", ADMIN_RIGHT).status_code == 429


# --- finding 4: officer accounts are officer accounts -------------------------------------------------------


def test_no_code_is_texted_to_an_officers_number(client, quantri, texted):
    assert client.post("/dang-nhap/ma/", {"phone": "0905 000 111"})["Location"] == "/dang-nhap/ma/nhap/"
    assert otp(client, "0905000111", purpose="register").status_code == 202
    assert client.post("/dang-ky/", {"phone": "0905000111", "full_name": "Kẻ Gian"}).status_code == 302

    assert texted == []
    assert OneTimeCode.objects.count() == 0


def test_a_code_never_opens_an_officers_account(client, citizen, agency, texted):
    client.post("/dang-nhap/ma/", {"phone": "0912345678"})
    set_officer(citizen, agency=agency, roles=["onestop"])  # she joined the commune's staff meanwhile

    page = client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, "+84912345678")})

    assert page.status_code == 200 and "_auth_user_id" not in client.session
    assert "Tài khoản cán bộ đăng nhập bằng mật khẩu." in page.text


def test_registering_through_the_api_never_touches_an_existing_account(client, citizen, texted):
    otp(client, "0912345678")

    answer = client.post(
        "/api/v1/auth/register",
        {
            "phone": "0912345678",
            "otp": last_code(texted, "+84912345678"),
            "full_name": "nguyen thi huong",  # the same person, typed without diacritics
            "password": "mat-khau-cua-ke-gian",
        },
        content_type="application/json",
    )

    assert answer.status_code == 409
    assert answer.json() == {
        "detail": "Số điện thoại này đã có tài khoản. Bạn đăng nhập bằng mật khẩu, "
        "hoặc bằng mã gửi qua tin nhắn."
    }
    citizen.refresh_from_db()
    assert citizen.check_password("demo-2026") and citizen.full_name == "Nguyễn Thị Hường"


def test_another_person_registering_on_a_shared_number_gets_an_account_of_their_own(client, citizen, texted):
    otp(client, "0912345678")

    answer = client.post(
        "/api/v1/auth/register",
        {
            "phone": "0912345678",
            "otp": last_code(texted, "+84912345678"),
            "full_name": "Trần Văn Bình",
            "password": "mat-khau-cua-binh",
        },
        content_type="application/json",
    )

    assert answer.status_code == 201 and answer.json()["user"]["name"] == "Trần Văn Bình"
    son = User.objects.get(full_name="Trần Văn Bình")
    assert (son.phone, son.username) == ("+84912345678", "+84912345678.2")
    citizen.refresh_from_db()
    assert citizen.check_password("demo-2026") and citizen.full_name == "Nguyễn Thị Hường"


def test_a_code_for_an_officers_number_never_resets_the_officers_password(client, citizen, agency, texted):
    otp(client, "0912345678")  # a registration code, asked before the number became an officer's
    set_officer(citizen, agency=agency, roles=["admin"])

    answer = client.post(
        "/api/v1/auth/register",
        {
            "phone": "0912345678",
            "otp": last_code(texted, "+84912345678"),
            "full_name": "Kẻ Gian",
            "password": "mat-khau-cua-ke-gian",
        },
        content_type="application/json",
    )

    assert answer.status_code == 409
    citizen.refresh_from_db()
    assert citizen.check_password("demo-2026") and citizen.full_name == "Nguyễn Thị Hường"


def test_registering_again_on_the_page_signs_the_citizen_in_and_changes_nothing(client, citizen, texted):
    client.post("/dang-ky/", {"phone": "0912345678", "full_name": "NGUYEN THI HUONG"})

    done = client.post("/dang-ky/nhap-ma/", {"code": last_code(texted, "+84912345678"), "password": ""})

    assert done["Location"] == "/ho-so/"
    assert client.session["_auth_user_id"] == str(citizen.pk)
    citizen.refresh_from_db()
    assert citizen.full_name == "Nguyễn Thị Hường" and citizen.check_password("demo-2026")


def test_the_register_service_refuses_the_same_person_on_a_number_again(citizen):
    with pytest.raises(services.AccountExists) as exists:
        services.register(phone="0912 345 678", full_name="Nguyễn  Thị Hường", password="mat-khau-khac-2026")
    assert exists.value.person == citizen


def test_the_register_service_refuses_an_officers_number(citizen, agency):
    set_officer(citizen, agency=agency, roles=["onestop"])
    with pytest.raises(services.AccountExists) as exists:
        services.register(phone="0912 345 678", full_name="Kẻ Gian", password="mat-khau-cua-ke-gian")
    assert exists.value.person is None


# --- finding 4: a new number at the desk --------------------------------------------------------------------

CARD = "045190012345"


@pytest.fixture
def our_citizen(citizen, agency, filed):
    """A citizen of the commune: she filed a dossier there, and her card's number is on her account."""
    filed(citizen, agency)
    User.objects.filter(pk=citizen.pk).update(id_number=CARD, identity_level=User.IdentityLevel.DESK)
    citizen.refresh_from_db()
    return citizen


def move(client, *, card=CARD, new_phone="0987 000 111"):
    return client.post(
        "/can-bo/cong-dan/",
        {"sdt": "0912345678", "viec": "doi-so", "new_phone": new_phone, "id_number": card, "note": "Mất máy"},
    )


def test_a_new_number_at_the_desk_needs_the_number_on_the_citizens_card(client, desk, our_citizen):
    client.force_login(desk)

    page = move(client, card="045190054321")

    assert page.status_code == 200
    assert "Số định danh không khớp với tài khoản. Bạn đối chiếu lại căn cước của người dân." in page.text
    our_citizen.refresh_from_db()
    assert our_citizen.phone == "+84912345678"
    assert not AccountEvent.objects.filter(action="phone_changed").exists()


def test_a_new_number_at_the_desk_texts_the_old_number_and_is_in_the_audit_log(
    client, desk, our_citizen, agency, texted
):
    client.force_login(desk)

    assert move(client).status_code == 302

    our_citizen.refresh_from_db()
    assert our_citizen.phone == "+84987000111"
    assert [phone for phone, _text in texted] == ["+84912345678"]
    assert "chuyển sang số mới" in texted[0][1] and "Ủy ban nhân dân xã Vĩnh Linh" in texted[0][1]
    event = AccountEvent.objects.get(action="phone_changed")
    assert (event.by, event.agency, event.note) == (desk, agency, "Mất máy")
    assert event.data == {"old": "+84912345678", "new": "+84987000111", "old_texted": True}


def test_an_officer_of_another_commune_cannot_move_our_citizen_to_a_new_number(
    client, other_desk, our_citizen, texted
):
    client.force_login(other_desk)

    page = move(client)

    assert page.status_code == 200
    assert "Người này không phải công dân của cơ quan bạn" in page.text
    our_citizen.refresh_from_db()
    assert our_citizen.phone == "+84912345678" and texted == []


def test_an_officer_of_another_commune_cannot_verify_our_citizen_either(client, other_desk, our_citizen):
    client.force_login(other_desk)

    page = client.post(
        "/can-bo/cong-dan/",
        {"sdt": "0912345678", "viec": "xac-thuc", "id_number": "045190054321", "full_name": "Kẻ Gian"},
    )

    assert page.status_code == 200 and "Người này không phải công dân của cơ quan bạn" in page.text
    our_citizen.refresh_from_db()
    assert our_citizen.id_number == CARD


def test_the_desk_cannot_overwrite_the_card_number_on_an_account(client, desk, our_citizen):
    client.force_login(desk)

    page = client.post(
        "/can-bo/cong-dan/",
        {
            "sdt": "0912345678",
            "viec": "xac-thuc",
            "id_number": "045190054321",
            "full_name": "Nguyễn Thị Hường",
        },
    )

    assert "Số định danh không khớp với tài khoản." in page.text
    our_citizen.refresh_from_db()
    assert our_citizen.id_number == CARD


def test_an_account_without_a_card_number_is_verified_before_it_moves(client, desk, citizen, agency, filed):
    filed(citizen, agency)
    client.force_login(desk)

    page = move(client)

    assert "Tài khoản chưa có số định danh để đối chiếu" in page.text
    citizen.refresh_from_db()
    assert citizen.phone == "+84912345678"


def test_a_citizen_verified_at_our_desk_is_ours(client, desk, citizen):
    client.force_login(desk)
    client.post(
        "/can-bo/cong-dan/",
        {"sdt": "0912345678", "viec": "xac-thuc", "id_number": CARD, "full_name": "Nguyễn Thị Hường"},
    )

    assert move(client).status_code == 302

    citizen.refresh_from_db()
    assert citizen.phone == "+84987000111"
