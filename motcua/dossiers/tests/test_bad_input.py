"""Bad input gets a clear 4xx, never a 500 (issue 10, finding 9).

A NUL byte cannot be stored in PostgreSQL: before the middleware (motcua/middleware.py) and the API's
parser (motcua/api/api.py) refused it, each of these was a 500 there at the first query that carried it.
Huge numbers and long notes are refused by the action catalogue and `perform`; the pages and the API say so
with a 422, field by field.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.services import issue_token
from motcua.dossiers.models import Attachment, Dossier, Event, Status

from .factories import BIRTH, BIRTH_FORM, dossier_in

pytestmark = pytest.mark.django_db
REFUSED = "Yêu cầu có ký tự điều khiển (như ký tự NUL), không xử lý được. Bạn xóa ký tự đó rồi gửi lại."
NOT_JSON = "Nội dung gửi lên không phải JSON hợp lệ."
TOO_LONG_NOTE = "Lời ghi quá dài: không quá 5.000 ký tự."
TOO_BIG_AMOUNT = "Số tiền quá lớn: không quá một tỷ đồng."
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # a 500 is an answer to assert on, not an exception
    return client


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def post_json(client, path: str, body, **headers):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", **headers)


def refused_in_plain_vietnamese(response) -> bool:
    return (
        response.status_code == 400
        and response["Content-Type"] == "text/plain; charset=utf-8"
        and response.text == REFUSED
    )


# --- NUL and control characters, wherever they come in -------------------------------------------------


def test_a_nul_in_the_public_lookup_api_is_a_400_in_vietnamese(client, catalogue, agency):
    response = client.get("/api/v1/lookup", {"code": "\x00", "phone_last4": "5678"})
    assert response.status_code == 400
    assert response.json() == {"detail": REFUSED}


def test_a_nul_in_the_lookup_page_is_a_400_in_vietnamese(client, catalogue, agency):
    assert refused_in_plain_vietnamese(client.get("/tra-cuu/?ma=%00&so=5678"))


def test_a_nul_in_a_procedure_path_is_a_400(client, catalogue):
    assert refused_in_plain_vietnamese(client.get("/thu-tuc/%00/"))
    assert refused_in_plain_vietnamese(client.get("/thu-tuc/1.001193%00/nop/"))


def test_a_nul_in_the_api_token_username_is_a_400(client, citizen):
    response = post_json(
        client, "/api/v1/auth/token", {"username": "0912345678\x00", "password": "demo-2026"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": REFUSED}


def test_a_nul_in_the_applicant_name_filed_on_behalf_is_a_400_and_files_nothing(
    client, catalogue, agency, desk
):
    body = {"procedure": BIRTH, "form": BIRTH_FORM, "applicant": {"name": "Nguyễn Thị\x00 Hường"}}
    response = post_json(client, "/api/v1/dossiers", body, **bearer(desk))
    assert response.status_code == 400 and response.json() == {"detail": REFUSED}
    client.force_login(desk)
    page = client.post(
        f"/can-bo/tiep-nhan/{BIRTH}/",
        {
            **{k: ("on" if v is True else v) for k, v in BIRTH_FORM.items()},
            "nguoi-nop-applicant_name": "A\x00",
        },
    )
    assert refused_in_plain_vietnamese(page)
    assert not Dossier.objects.exists()


def test_a_nul_in_a_declaration_sent_to_the_api_is_a_400_and_stores_nothing(
    client, catalogue, agency, citizen
):
    # The API stored the raw declaration in a draft before validating it: the NUL reached the INSERT.
    body = {"procedure": BIRTH, "form": {**BIRTH_FORM, "child_name": "Bé\x00Na"}}
    response = post_json(client, "/api/v1/dossiers", body, **bearer(citizen))
    assert response.status_code == 400 and response.json() == {"detail": REFUSED}
    assert not Dossier.objects.exists()


def test_a_nul_in_a_json_key_or_deep_inside_is_a_400(client, catalogue, agency, citizen):
    for form in ({"child_name\x00": "Bé Na"}, {"nested": [{"deeper": ["\x1b[31m"]}]}):
        response = post_json(
            client, "/api/v1/dossiers", {"procedure": BIRTH, "form": form}, **bearer(citizen)
        )
        assert response.status_code == 400 and response.json() == {"detail": REFUSED}


def test_half_a_surrogate_pair_in_json_is_a_400(client, catalogue, agency, citizen):
    # JSON may write "\ud800"; no database can store it (a UnicodeEncodeError, on SQLite too).
    body = '{"procedure": "1.001193", "form": {"child_name": "B\\ud800"}}'
    response = post_json(client, "/api/v1/dossiers", body, **bearer(citizen))
    assert response.status_code == 400 and response.json() == {"detail": REFUSED}


@pytest.mark.parametrize("body", [b"{", b'{"username": ', b"\xff\xfe{}", b"[" * 100_000, b"1" * 5000])
def test_a_body_that_is_not_json_is_a_400_in_vietnamese(client, db, body):
    response = post_json(client, "/api/v1/auth/token", body)
    assert response.status_code == 400
    assert response.json() == {"detail": NOT_JSON}


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_or_an_infinite_number_in_json_is_a_400(client, catalogue, agency, citizen, number):
    # Python reads them; PostgreSQL's jsonb refused the draft that stored the raw declaration (500).
    body = json.dumps({"procedure": BIRTH, "form": {**BIRTH_FORM, "child_name": "X"}}).replace('"X"', number)
    response = post_json(client, "/api/v1/dossiers", body, **bearer(citizen))
    assert response.status_code == 400 and response.json() == {"detail": NOT_JSON}
    assert not Dossier.objects.exists()


def test_a_nul_in_a_form_field_of_the_filing_page_is_a_400_and_keeps_nothing(
    client, catalogue, agency, citizen
):
    client.force_login(citizen)
    response = client.post(f"/thu-tuc/{BIRTH}/nop/buoc/1/", {"child_name": "Bé\x00Na", "di": "tiep"})
    assert refused_in_plain_vietnamese(response)
    assert not Dossier.objects.exists()  # not even the draft the first save makes


def test_a_nul_in_the_upload_slot_is_a_400(client, catalogue, agency, citizen):
    dossier = dossier_in(Status.NEW, people={"citizen": citizen}, agency=agency)
    upload = SimpleUploadedFile("giay.png", PNG, content_type="image/png")
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/attachments", {"slot": "1\x00", "file": upload}, **bearer(citizen)
    )
    assert response.status_code == 400 and response.json() == {"detail": REFUSED}


def test_a_nul_in_a_header_is_a_400(client, catalogue, agency, citizen):
    # The Idempotency-Key header is stored with the dossier; X-Forwarded-For is a rate-limit key.
    body = {"procedure": BIRTH, "form": BIRTH_FORM}
    response = post_json(client, "/api/v1/dossiers", body, HTTP_IDEMPOTENCY_KEY="k\x00", **bearer(citizen))
    assert response.status_code == 400 and response.json() == {"detail": REFUSED}
    assert refused_in_plain_vietnamese(
        client.get("/tra-cuu/?ma=X&so=1234", HTTP_X_FORWARDED_FOR="1.2.3.4\x00")
    )
    assert not Dossier.objects.exists()


def test_a_nul_in_the_session_cookie_is_a_400(client, db):
    # A quoted cookie may write a NUL as \000; the session store looked it up in the database.
    cookie = 'sessionid="' + "\\000" * 8 + '"'
    assert refused_in_plain_vietnamese(client.get("/ho-so/", HTTP_COOKIE=cookie))


def test_tabs_and_line_breaks_pass(client, catalogue, agency, people):
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)
    client.force_login(people["desk"])
    response = client.post(
        f"/can-bo/ho-so/{dossier.code}/xu-ly/request_supplement/",
        {"items": "Giấy chứng sinh\r\nSổ hộ khẩu", "note": "Cần bổ sung:\r\n\t- hai giấy tờ"},
    )
    assert response.status_code == 302
    event = Event.objects.get(dossier=dossier, action="request_supplement")
    assert event.note == "Cần bổ sung:\r\n\t- hai giấy tờ"


def test_a_digit_that_is_not_ascii_in_the_queue_filter_is_no_filter(client, catalogue, agency, people):
    # str.isdigit() says yes to "²" and int() refused it: a 500 on the officers' queue.
    dossier_in(Status.NEW, people=people, agency=agency)
    client.force_login(people["desk"])
    response = client.get("/can-bo/", {"trang-thai": "²"})
    assert response.status_code == 200
    assert response.context["params"]["status"] is None and len(response.context["page"].object_list) == 1


def test_a_digit_that_is_not_ascii_as_the_file_to_remove_removes_nothing(client, catalogue, agency, citizen):
    client.force_login(citizen)
    client.post(
        f"/thu-tuc/{BIRTH}/nop/giay-to/", {"di": "tiep", "file-khac": SimpleUploadedFile("a.png", PNG)}
    )
    response = client.post(f"/thu-tuc/{BIRTH}/nop/giay-to/", {"xoa": "²"})
    assert response.status_code == 302
    assert Attachment.objects.count() == 1


# --- huge numbers and long text --------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [2**31, 2**63, 2**70])
def test_an_amount_of_2_31_or_more_is_a_422_in_the_api(client, catalogue, agency, people, amount):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    response = post_json(
        client,
        f"/api/v1/dossiers/{dossier.code}/actions/request_payment",
        {"amount_vnd": amount, "reason": "Lệ phí"},
        **bearer(people["specialist"]),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "amount_vnd", "message": TOO_BIG_AMOUNT}]
    assert Dossier.objects.get(pk=dossier.pk).fee_vnd is None


def test_an_amount_of_2_31_is_a_422_on_the_office_page(client, catalogue, agency, people):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    client.force_login(people["specialist"])
    response = client.post(
        f"/can-bo/ho-so/{dossier.code}/xu-ly/request_payment/", {"amount_vnd": str(2**31), "reason": "Lệ phí"}
    )
    assert response.status_code == 422
    assert TOO_BIG_AMOUNT in response.text


def test_a_note_over_5000_characters_is_a_422_in_the_api(client, catalogue, agency, people):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    response = post_json(
        client,
        f"/api/v1/dossiers/{dossier.code}/actions/receive",
        {"note": "x" * 5001},
        **bearer(people["desk"]),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "note", "message": TOO_LONG_NOTE}]
    assert Dossier.objects.get(pk=dossier.pk).status == Status.NEW


def test_a_note_over_5000_characters_is_a_422_on_the_office_page(client, catalogue, agency, people):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    client.force_login(people["desk"])
    response = client.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/refuse/", {"note": "x" * 2_000_000})
    assert response.status_code == 422
    assert TOO_LONG_NOTE in response.text
    assert not Event.objects.filter(action="refuse").exists()


def test_a_citizens_long_supplement_note_is_a_422_page(client, catalogue, agency, people):
    dossier = dossier_in(Status.SUPPLEMENT, people=people, agency=agency)
    client.force_login(people["citizen"])
    response = client.post(f"/ho-so/{dossier.code}/bo-sung/", {"note": "x" * 5001})
    assert response.status_code == 422
    assert TOO_LONG_NOTE in response.text


def test_a_citizens_long_withdrawal_reason_is_a_422_page(client, catalogue, agency, people):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    client.force_login(people["citizen"])
    response = client.post(f"/ho-so/{dossier.code}/rut/", {"note": "x" * 5001})
    assert response.status_code == 422
    assert response.context["withdraw_error"] == TOO_LONG_NOTE and TOO_LONG_NOTE in response.text
    assert Dossier.objects.get(pk=dossier.pk).status == Status.NEW


def test_more_than_50_supplement_items_is_a_422_in_the_api(client, catalogue, agency, people):
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)
    response = post_json(
        client,
        f"/api/v1/dossiers/{dossier.code}/actions/request_supplement",
        {"items": [f"Giấy {n}" for n in range(51)]},
        **bearer(people["desk"]),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "items", "message": "Quá nhiều: không quá 50 mục."}]


def test_a_huge_offset_in_the_dossier_list_is_a_422(client, catalogue, agency, citizen):
    # PostgreSQL refused an OFFSET past 2**63 with a 500.
    response = client.get("/api/v1/dossiers", {"offset": str(10**20)}, **bearer(citizen))
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "offset", "message": "Phải nhỏ hơn hoặc bằng 1000000000."}]
