"""Ways in for everyone: phone and code, sign-in by code, the desk, signing out everywhere."""

import pytest
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import AccountEvent, ApiToken, OneTimeCode, User
from testkit import last_code as code_in

pytestmark = pytest.mark.django_db


def last_code(phone="+84912345678") -> str:
    return code_in(SENT[0], phone)


@pytest.fixture(autouse=True)
def _sent(texted):
    SENT[:] = [texted]
    yield


SENT: list = []


def test_registering_by_phone_and_code_creates_a_phone_verified_account(client, agency):
    response = client.post("/dang-ky/", {"phone": "0912 345 678", "full_name": "Nguyễn Thị Hường"})
    assert response["Location"] == "/dang-ky/nhap-ma/"
    page = client.get("/dang-ky/nhap-ma/")
    assert "0912 345 678" in page.text
    response = client.post("/dang-ky/nhap-ma/", {"code": last_code(), "password": ""})
    assert response["Location"] == "/ho-so/"
    user = User.objects.get(phone="+84912345678")
    assert user.full_name == "Nguyễn Thị Hường" and user.identity_level == User.IdentityLevel.PHONE
    assert not user.has_usable_password()
    assert client.get("/ho-so/").status_code == 200


def test_codes_are_stored_hashed_and_expire(client, agency):
    services.send_code("0912345678", purpose="register")
    code = last_code()
    record = OneTimeCode.objects.get()
    assert code not in record.code_hash and len(record.code_hash) == 64
    OneTimeCode.objects.update(expires_at=timezone.now())
    assert services.check_code("0912345678", purpose="register", code=code) is False


def test_five_wrong_codes_spend_the_code(agency):
    services.send_code("0912345678", purpose="register")
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert services.check_code("0912345678", purpose="register", code=wrong) is False
    assert services.check_code("0912345678", purpose="register", code=code) is False


def test_a_wrong_code_says_so_and_offers_the_other_ways_in(client, agency):
    client.post("/dang-ky/", {"phone": "0912345678", "full_name": "Nguyễn Thị Hường"})
    page = client.post("/dang-ky/nhap-ma/", {"code": "12345x"})
    assert "Mã chưa đúng hoặc đã hết hạn" in page.text
    assert "Số điện thoại không đứng tên bạn?" in page.text and "bộ phận một cửa" in page.text


def test_asking_for_codes_again_and_again_is_refused_with_429(client, agency):
    for _ in range(3):
        assert client.post("/dang-ky/", {"phone": "0912345678", "full_name": "A"}).status_code == 302
    refused = client.post("/dang-ky/", {"phone": "0912345678", "full_name": "A"})
    assert refused.status_code == 429 and "đợi 15 phút" in refused.text
    assert [phone for phone, _text in SENT[0]] == ["+84912345678"] * 3


def test_a_script_cannot_drain_the_sms_budget_from_one_address(client, agency):
    statuses = [
        client.post(
            "/api/v1/auth/otp", {"phone": f"09123456{n:02d}"}, content_type="application/json"
        ).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [202] * 10 and statuses[10:] == [429, 429]


def test_registration_through_the_api(client, agency):
    assert (
        client.post("/api/v1/auth/otp", {"phone": "0912345678"}, content_type="application/json").status_code
        == 202
    )
    bad = client.post(
        "/api/v1/auth/register",
        {"phone": "0912345678", "otp": "000000", "full_name": "Hường"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    client.post("/api/v1/auth/otp", {"phone": "0912345678"}, content_type="application/json")
    good = client.post(
        "/api/v1/auth/register",
        {
            "phone": "+84 912 345 678",
            "otp": last_code(),
            "full_name": "Nguyễn Thị Hường",
            "password": "mat-khau-dai-2026",
        },
        content_type="application/json",
    )
    assert good.status_code == 201
    assert good.json()["user"] == {"name": "Nguyễn Thị Hường", "roles": ["citizen"]}
    assert User.objects.get(phone="+84912345678").check_password("mat-khau-dai-2026")


def test_passwords_are_hashed_with_argon2id_at_owasps_parameters(settings):
    from django.contrib.auth.hashers import make_password

    from motcua import settings as production

    assert production.PASSWORD_HASHERS[0] == "motcua.accounts.hashers.OwaspArgon2PasswordHasher"
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the tests use a fast hasher elsewhere
    # OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane (motcua/accounts/hashers.py)
    assert make_password("mat-khau-dai-2026").startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_password_hashed_with_djangos_argon2_defaults_still_signs_in_and_is_rehashed(settings, citizen):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from motcua import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    citizen.password = Argon2PasswordHasher().encode("mat-khau-dai-2026", "cuSaltCuaDjango1")
    citizen.save(update_fields=["password"])
    assert "$m=102400,t=2,p=8$" in citizen.password

    assert citizen.check_password("mat-khau-dai-2026")

    citizen.refresh_from_db()
    assert citizen.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert citizen.check_password("mat-khau-dai-2026")
    assert not citizen.check_password("mat-khau-khac-2026")


def test_signing_in_with_a_code(client, citizen):
    response = client.post("/dang-nhap/ma/", {"phone": "0912 345 678"})
    assert response["Location"] == "/dang-nhap/ma/nhap/"
    assert client.post("/dang-nhap/ma/nhap/", {"code": last_code()})["Location"] == "/ho-so/"


def test_signing_out_everywhere_ends_every_session_and_token(client, citizen):
    other_phone = type(client)()
    other_phone.force_login(citizen)
    services.issue_token(citizen)
    client.force_login(citizen)
    client.post("/dang-xuat/moi-noi/")
    assert other_phone.get("/ho-so/").status_code == 302  # back to the sign-in page
    assert ApiToken.objects.filter(user=citizen).count() == 0


def test_the_desk_verifies_an_account_with_the_id_card_and_keeps_an_audit_entry(client, desk, citizen):
    client.force_login(desk)
    page = client.post(
        "/can-bo/cong-dan/",
        {
            "sdt": "0912345678",
            "viec": "xac-thuc",
            "id_number": "045190012345",
            "full_name": "Nguyễn Thị Hường",
            "note": "Đối chiếu căn cước",
        },
    )
    assert page.status_code == 302
    citizen.refresh_from_db()
    assert citizen.identity_level == User.IdentityLevel.DESK and citizen.id_number == "045190012345"
    event = AccountEvent.objects.get()
    assert (event.action, event.by, event.note) == ("verified_at_desk", desk, "Đối chiếu căn cước")


def test_the_desk_refuses_an_impossible_id_number(client, desk, citizen):
    client.force_login(desk)
    page = client.post(
        "/can-bo/cong-dan/",
        {
            "sdt": "0912345678",
            "viec": "xac-thuc",
            "id_number": "999190012345",
            "full_name": "Nguyễn Thị Hường",
        },
    )
    assert page.status_code == 200 and "Cần sửa lại" in page.text
    assert AccountEvent.objects.count() == 0


def test_a_lost_phone_moves_the_account_to_a_new_number_and_signs_the_old_one_out(client, desk, citizen):
    old_phone = type(client)()
    old_phone.force_login(citizen)
    client.force_login(desk)
    verified = {"sdt": "0912345678", "viec": "xac-thuc", "full_name": "Nguyễn Thị Hường"}
    client.post("/can-bo/cong-dan/", {**verified, "id_number": "045190012345"})
    client.post(
        "/can-bo/cong-dan/",
        {
            "sdt": "0912345678",
            "viec": "doi-so",
            "id_number": "045190012345",
            "new_phone": "0987 000 111",
            "note": "Mất máy",
        },
    )
    citizen.refresh_from_db()
    assert citizen.phone == "+84987000111" and citizen.username == "+84987000111"
    assert old_phone.get("/ho-so/").status_code == 302
    assert AccountEvent.objects.get(action="phone_changed").data == {
        "old": "+84912345678",
        "new": "+84987000111",
        "old_texted": True,
    }


def test_only_the_desk_opens_the_accounts_page(client, specialist, citizen):
    client.force_login(specialist)
    assert client.get("/can-bo/cong-dan/").status_code == 404
    client.force_login(citizen)
    assert client.get("/can-bo/cong-dan/").status_code == 404
