"""One phone, several people: a household's members each have their own account on the shared number.

Hường (the mother) has an account on 0912 345 678; her son Bình, who has no phone of his own, registers on
the same number; the desk adds her husband after checking his ID card. Signing in with the shared phone
asks "Bạn là ai?" only once the code (or the password) was right.
"""

import pytest
from django.test import Client

from bench.weight import page_weight
from motcua.accounts import households, services
from motcua.accounts.models import AccountEvent, User
from motcua.agencies.services import set_officer
from testkit import last_code

pytestmark = pytest.mark.django_db

PHONE = "+84912345678"
SON = "Trần Văn Bình"
HUSBAND_CARD = "045058012345"  # born 1958, a man, registered in Quảng Trị (045)


@pytest.fixture
def son(citizen):
    user = services.register(phone="0912 345 678", full_name=SON, password="mat-khau-cua-binh")
    assert user != citizen
    return user


def register(client, texted, name, *, next_url=""):
    query = f"?next={next_url}" if next_url else ""
    assert client.post(f"/dang-ky/{query}", {"phone": "0912 345 678", "full_name": name, "next": next_url})[
        "Location"
    ] == ("/dang-ky/nhap-ma/")
    return client.post("/dang-ky/nhap-ma/", {"code": last_code(texted, PHONE), "password": ""})


def signed_in(client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


# --- registering on a number a household already uses -------------------------------------------------------


def test_the_son_registers_on_his_mothers_number_and_gets_his_own_account(client, citizen, texted):
    done = register(client, texted, SON)

    assert done["Location"] == "/ho-so/"
    son = signed_in(client)
    assert son != citizen and (son.full_name, son.phone) == (SON, PHONE)
    assert son.username == "+84912345678.2" and son.identity_level == User.IdentityLevel.PHONE
    page = client.get("/ho-so/")
    assert "Đã tạo tài khoản riêng của bạn trên số điện thoại này" in page.text
    citizen.refresh_from_db()
    assert citizen.check_password("demo-2026") and citizen.full_name == "Nguyễn Thị Hường"


def test_the_same_person_registering_again_is_signed_in_not_duplicated(client, citizen, texted):
    done = register(client, texted, "nguyen thi huong")

    assert done["Location"] == "/ho-so/" and signed_in(client) == citizen
    assert User.objects.filter(phone=PHONE).count() == 1


def test_at_most_six_people_share_one_number(client, citizen, texted):
    for n in range(2, 7):
        services.register(phone=PHONE, full_name=f"Người Thứ {n}")

    page = register(client, texted, "Người Thứ Bảy")

    assert page.status_code == 200 and signed_in(client) is None
    assert "Số điện thoại này đã có 6 người dùng chung, không thêm được nữa." in page.text
    assert User.objects.filter(phone=PHONE).count() == 6


def test_an_officers_number_is_never_shared(citizen, agency):
    set_officer(citizen, agency=agency, roles=["onestop"])
    with pytest.raises(services.AccountExists):
        services.register(phone=PHONE, full_name=SON)


# --- "Bạn là ai?" after a sign-in code ----------------------------------------------------------------------


def test_signing_in_by_code_with_two_people_asks_who_only_after_the_code(client, citizen, son, texted):
    asked = client.post("/dang-nhap/ma/", {"phone": "0912345678"})
    code_page = client.get(asked["Location"])

    for text in (code_page.text, client.get("/dang-nhap/ma/").text):  # before the code: no one is named
        for shown in ("Hường", "Bình", "N… ", "T… "):
            assert shown not in text

    wrong = "000000" if last_code(texted, PHONE) != "000000" else "111111"
    refused = client.post("/dang-nhap/ma/nhap/", {"code": wrong})
    assert "Bình" not in refused.text and client.get("/dang-nhap/ban-la-ai/")["Location"] == "/dang-nhap/"

    right = client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE)})
    assert right["Location"] == "/dang-nhap/ban-la-ai/" and signed_in(client) is None
    who = client.get("/dang-nhap/ban-la-ai/")
    assert "Bạn là ai?" in who.text
    assert "Nguyễn T… Hường" in who.text and "Trần V… Bình" in who.text
    assert "Nguyễn Thị Hường" not in who.text and SON not in who.text

    chosen = client.post("/dang-nhap/ban-la-ai/", {"nguoi": "2"})

    assert chosen["Location"] == "/ho-so/" and signed_in(client) == son
    assert "who" not in client.session


def test_the_choice_is_only_among_the_people_proven(client, citizen, son, other_citizen, texted):
    client.post("/dang-nhap/ma/", {"phone": "0912345678"})
    client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE)})

    for forged in ("3", "0", "-1", str(other_citizen.pk), "1e1", "²"):
        page = client.post("/dang-nhap/ban-la-ai/", {"nguoi": forged})
        assert page.status_code == 422 and signed_in(client) is None


def test_the_choice_expires(client, citizen, son, texted):
    client.post("/dang-nhap/ma/", {"phone": "0912345678"})
    client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE)})
    session = client.session
    session["who"] = {**session["who"], "until": session["who"]["until"] - 11 * 60}
    session.save()

    late = client.post("/dang-nhap/ban-la-ai/", {"nguoi": "1"})

    assert late["Location"] == "/dang-nhap/" and signed_in(client) is None


def test_a_locked_member_is_not_offered_and_one_left_is_signed_in_straight_away(client, citizen, son, texted):
    User.objects.filter(pk=citizen.pk).update(is_active=False)
    client.post("/dang-nhap/ma/", {"phone": "0912345678"})

    done = client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE)})

    assert done["Location"] == "/ho-so/" and signed_in(client) == son


# --- the password -------------------------------------------------------------------------------------------


def test_a_password_only_one_of_them_has_signs_that_one_in(client, citizen, son):
    done = client.post("/dang-nhap/", {"username": "0912 345 678", "password": "mat-khau-cua-binh"})

    assert done["Location"] == "/ho-so/" and signed_in(client) == son


def test_one_password_for_the_whole_family_asks_who_after_it_matched(client, citizen, son):
    son.set_password("demo-2026")
    son.save()
    wrong = client.post("/dang-nhap/", {"username": "0912 345 678", "password": "sai-mat-khau"})
    assert wrong.status_code == 200 and "Bình" not in wrong.text

    right = client.post("/dang-nhap/", {"username": "0912 345 678", "password": "demo-2026"})

    assert right["Location"] == "/dang-nhap/ban-la-ai/"
    client.post("/dang-nhap/ban-la-ai/", {"nguoi": "1"})
    assert signed_in(client) == citizen


def test_the_personal_id_number_is_an_identifier_too(client, citizen, son):
    son.set_password("demo-2026")
    son.id_number = HUSBAND_CARD
    son.save()

    done = client.post("/dang-nhap/", {"username": "045 058 012 345", "password": "demo-2026"})

    assert done["Location"] == "/ho-so/" and signed_in(client) == son


def test_the_api_token_asks_who_with_a_409_then_takes_the_choice(client, citizen, son):
    son.set_password("demo-2026")
    son.save()
    credentials = {"username": "0912345678", "password": "demo-2026"}

    several = client.post("/api/v1/auth/token", credentials, content_type="application/json")

    assert several.status_code == 409
    assert several.json()["people"] == [
        {"choice": 1, "name": "Nguyễn T… Hường"},
        {"choice": 2, "name": "Trần V… Bình"},
    ]
    chosen = client.post("/api/v1/auth/token", {**credentials, "person": 2}, content_type="application/json")
    assert chosen.status_code == 200 and chosen.json()["user"]["name"] == SON
    wrong = client.post(
        "/api/v1/auth/token", {**credentials, "password": "sai", "person": 2}, content_type="application/json"
    )
    assert wrong.status_code == 401


def test_the_admin_sign_in_answers_a_shared_password_as_a_wrong_one(client, citizen, son):
    son.set_password("demo-2026")
    son.save()

    page = client.post("/quan-tri/login/", {"username": "0912345678", "password": "demo-2026"})

    assert page.status_code == 200 and "_auth_user_id" not in client.session


# --- at the desk --------------------------------------------------------------------------------------------


def add(client, *, card=HUSBAND_CARD, name="Trần Văn Hải", note="Chồng, dùng chung máy của vợ"):
    return client.post(
        "/can-bo/cong-dan/",
        {"sdt": "0912345678", "viec": "them-nguoi", "full_name": name, "id_number": card, "note": note},
    )


def test_the_desk_adds_a_person_to_a_shared_phone_after_checking_the_card(
    client, desk, citizen, agency, texted
):
    client.force_login(desk)
    page = client.get("/can-bo/cong-dan/", {"sdt": "0912345678"})
    assert "Thêm người dùng chung số này" in page.text

    done = add(client)

    husband = User.objects.get(full_name="Trần Văn Hải")
    assert done["Location"] == f"/can-bo/cong-dan/?sdt=+84912345678&nguoi={husband.pk}"
    assert (husband.phone, husband.id_number, husband.identity_level) == (
        PHONE,
        HUSBAND_CARD,
        User.IdentityLevel.DESK,
    )
    assert not husband.has_usable_password()
    event = AccountEvent.objects.get(user=husband)
    assert (event.action, event.by, event.agency, event.note) == (
        "added_to_shared_phone",
        desk,
        agency,
        "Chồng, dùng chung máy của vợ",
    )
    assert event.data == {"phone": PHONE, "id_number_last4": "2345", "sharing": 1, "texted": True}
    assert texted == [
        (PHONE, "Ủy ban nhân dân xã Vĩnh Linh đã thêm Trần V… Hải dùng chung số này. "
         "Nếu sai, báo ngay bộ phận một cửa.")
    ]  # fmt: skip
    assert services.citizen_of(husband, agency)
    listing = client.get(done["Location"])
    assert "Những người dùng chung số này" in listing.text
    assert "Thêm vào số điện thoại dùng chung" in listing.text  # the audit log, in words
    citizen.refresh_from_db()
    assert citizen.id_number == "" and citizen.full_name == "Nguyễn Thị Hường"  # she is untouched

    # He signs in with a code sent to the shared phone, then says who he is.
    person = Client()
    person.post("/dang-nhap/ma/", {"phone": "0912345678"})
    person.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE)})
    assert "Trần V… Hải, sinh 1958" in person.get("/dang-nhap/ban-la-ai/").text
    person.post("/dang-nhap/ban-la-ai/", {"nguoi": "2"})
    assert signed_in(person) == husband


def test_the_desk_refuses_an_impossible_card_or_one_that_has_an_account(client, desk, citizen, texted):
    client.force_login(desk)
    assert "Cần sửa lại" in add(client, card="999190012345").text
    User.objects.filter(pk=citizen.pk).update(id_number=HUSBAND_CARD)
    assert "Số định danh này đã có tài khoản." in add(client).text
    assert User.objects.count() == 2 and texted == []  # Hường and the desk


def test_the_desk_cannot_share_an_officers_number(client, desk, agency, texted):
    officer = User.objects.create_user(username="canbo", phone=PHONE, password="demo-2026")
    set_officer(officer, agency=agency, roles=["specialist"])
    client.force_login(desk)

    page = add(client)

    assert not User.objects.filter(full_name="Trần Văn Hải").exists() and texted == []
    assert page.status_code == 200


def test_the_desk_picks_one_of_the_people_on_a_number(client, desk, citizen, son, agency, filed):
    filed(son, agency)  # Bình is the commune's citizen; Hường is of no agency yet: both are this desk's
    client.force_login(desk)

    page = client.get("/can-bo/cong-dan/", {"sdt": "0912345678", "nguoi": son.pk})

    assert '<h2 id="h-person">Trần Văn Bình</h2>' in page.text
    assert "Nguyễn Thị Hường" in page.text  # in the list of people sharing the number
    verified = client.post(
        "/can-bo/cong-dan/",
        {"sdt": "0912345678", "nguoi": son.pk, "viec": "xac-thuc", "id_number": "045200012345",
         "full_name": SON},
    )  # fmt: skip
    assert verified.status_code == 302
    son.refresh_from_db()
    citizen.refresh_from_db()
    assert son.identity_level == User.IdentityLevel.DESK and citizen.identity_level == 0


def test_another_communes_citizen_on_the_number_stays_hidden(client, other_desk, citizen, son, agency, filed):
    filed(citizen, agency)
    filed(son, agency)
    client.force_login(other_desk)

    page = client.get("/can-bo/cong-dan/", {"sdt": "0912345678"})

    assert "Người này không phải công dân của cơ quan bạn" in page.text
    assert "Hường" not in page.text and "Bình" not in page.text


def test_a_new_number_at_the_desk_may_be_a_households(client, desk, citizen, son, agency, filed, texted):
    filed(son, agency)
    son.id_number = "045200012345"
    son.save()
    other = services.register(phone="0987000111", full_name="Lê Thị Hoa")
    client.force_login(desk)

    client.post(
        "/can-bo/cong-dan/",
        {"sdt": "0912345678", "nguoi": son.pk, "viec": "doi-so", "id_number": "045200012345",
         "new_phone": "0987 000 111", "note": "Về ở với vợ"},
    )  # fmt: skip

    son.refresh_from_db()
    assert (son.phone, son.username) == ("+84987000111", "+84987000111.2")
    other.refresh_from_db()
    assert other.username == "+84987000111"


# --- what the household's members see of each other ---------------------------------------------------------


def test_each_person_sees_only_their_own_dossiers(client, citizen, son, agency, filed):
    hers, his = filed(citizen, agency), filed(son, agency)

    client.force_login(son)
    mine = client.get("/ho-so/").text
    assert his.code in mine and hers.code not in mine
    assert client.get(hers.get_absolute_url()).status_code == 404
    token = services.issue_token(son)
    listed = client.get("/api/v1/dossiers", headers={"authorization": f"Bearer {token}"}).json()
    assert [item["code"] for item in listed["items"]] == [his.code]

    client.force_login(citizen)
    assert hers.code in client.get("/ho-so/").text and his.code not in client.get("/ho-so/").text


def test_a_dossier_filed_for_someone_goes_to_the_right_member(citizen, son):
    assert services.person_for("0912 345 678", full_name="TRAN VAN BINH") == son
    assert services.person_for("0912345678", full_name="Nguyễn Thị Hường") == citizen
    assert services.person_for("0912345678", full_name="Trần Văn Hải") is None  # nobody: unclaimed
    son.id_number = "045200012345"
    son.save()
    assert services.person_for("0912345678", full_name="Bình", id_number="045200012345") == son
    assert services.person_for("0912345678", full_name=SON, id_number="045190054321") is None


# --- names on a screen --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "card", "shown"),
    [
        ("Nguyễn Văn An", "045058012345", "Nguyễn V… An, sinh 1958"),
        ("Nguyễn Thị Phương Hoàng Thanh Hường", "", "Nguyễn T… P… H… T… Hường"),
        ("Trần Bình", "", "T… Bình"),
        ("Hường", "", "Hường"),
        ("", "", "Người chưa ghi tên"),
        ("Lê Văn Nam", "999", "Lê V… Nam"),  # a malformed number says no year
    ],
)
def test_masked_names(name, card, shown):
    assert households.masked_name(User(full_name=name, id_number=card)) == shown


def test_two_people_who_read_alike_are_told_apart():
    people = [User(full_name="Nguyễn Văn An"), User(full_name="Nguyễn Viết An")]
    assert households.labels(people) == ["Nguyễn V… An (người thứ 1)", "Nguyễn V… An (người thứ 2)"]


def test_the_who_page_fits_the_budget(client, citizen, son, texted):
    client.post("/dang-nhap/ma/", {"phone": "0912345678"})
    client.post("/dang-nhap/ma/nhap/", {"code": last_code(texted, PHONE)})

    weight = page_weight(client, "/dang-nhap/ban-la-ai/")

    assert weight["total"] <= 14 * 1024, weight
