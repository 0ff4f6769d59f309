"""The dossier API as a mobile client or a partner uses it: tokens, filing, files, actions, lookup.

Every call goes through the Django test client with a bearer token from POST /api/v1/auth/token.
Time is frozen on a working Tuesday morning, so dates and deadlines are exact.
"""

import datetime as dt
import hashlib
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import Attachment, Dossier, Event, Status
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM, dossier_in, file_birth

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY_MORNING = dt.datetime(2026, 11, 10, 9, 0, tzinfo=VN)  # a working day, before the 15:00 cut-off
PASSWORD = "demo-2026"
CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$")
CONTRACT_KEYS = {
    "code",
    "procedure",
    "status",
    "submitted_at",
    "received_at",
    "due_at",
    "completed_at",
    "returned_at",
    "on_time",
    "fee",
    "payment",
    "supplement_request",
    "events",
    "actions",
}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
TOO_MANY_ATTEMPTS = "Bạn đã thử quá nhiều lần. Vui lòng đợi 15 phút rồi thử lại."
TOO_MANY_LOOKUPS = "Bạn đã tra cứu quá nhiều lần. Vui lòng đợi 10 phút rồi thử lại."
NOT_FOUND = {"detail": "Không tìm thấy hồ sơ."}
# Letters that only Vietnamese uses among the languages an error message could come out in.
VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I
)


class Caller:
    """One person (or nobody) calling /api/v1 with their bearer token."""

    def __init__(self, client, token: str | None = None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path: str, payload: dict | None = None, **headers):
        return self.client.post(
            f"/api/v1{path}", payload or {}, content_type="application/json", **self.headers, **headers
        )

    def file(self, form: dict = BIRTH_FORM, **extra):
        return self.post("/dossiers", {"procedure": BIRTH, "form": form, **extra})

    def act(self, code: str, action: str, **payload):
        return self.post(f"/dossiers/{code}/actions/{action}", payload)

    def upload(self, code: str, upload, slot: str = "1"):
        return self.client.post(
            f"/api/v1/dossiers/{code}/attachments", {"slot": slot, "file": upload}, **self.headers
        )


def ask_token(client, username: str, password: str = PASSWORD):
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.fixture(autouse=True)
def tuesday_morning(time_machine):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def api(client):
    """`api(user)` is that user signed in to the API; `api()` is an anonymous caller."""

    def caller(user=None) -> Caller:
        if user is None:
            return Caller(client)
        response = ask_token(client, user.username)
        assert response.status_code == 200, response.content
        return Caller(client, response.json()["token"])

    return caller


# --- tokens -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["0912345678", "0912 345 678", "+84912345678"])
def test_citizen_gets_a_token_with_the_phone_written_any_usual_way(client, citizen, username):
    response = ask_token(client, username)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "user"}
    assert body["user"] == {"name": "Nguyễn Thị Hường", "roles": ["citizen"]}
    assert isinstance(body["token"], str) and len(body["token"]) >= 32


def test_desk_officer_token_carries_the_onestop_role(client, desk):
    response = ask_token(client, "motcua")

    assert response.status_code == 200
    assert response.json()["user"] == {"name": "Trần Thị Mai", "roles": ["onestop"]}


def test_officer_with_a_dotted_username_gets_a_token(client, other_desk):
    response = ask_token(client, "motcua.cuatung")

    assert response.status_code == 200
    assert response.json()["user"] == {"name": "Hoàng Thị Lan", "roles": ["leader", "onestop", "specialist"]}


def test_wrong_password_is_401_in_vietnamese(client, citizen):
    response = ask_token(client, "0912345678", "sai-mat-khau")

    assert response.status_code == 401
    assert response.json() == {"detail": "Số điện thoại (hoặc tên đăng nhập) hoặc mật khẩu chưa đúng."}


def test_eleventh_wrong_attempt_for_one_username_is_429(client, citizen):
    first_ten = [ask_token(client, "0912345678", "sai-mat-khau").status_code for _ in range(10)]

    eleventh = ask_token(client, "0912345678", "sai-mat-khau")

    assert first_ten == [401] * 10
    assert eleventh.status_code == 429
    assert eleventh.json() == {"detail": TOO_MANY_ATTEMPTS}


def test_wrong_attempts_count_against_the_account_whatever_the_phone_spelling(client, citizen):
    # An attacker must not get ten more guesses by writing the same phone number another way.
    for username in ["0912345678", "+84912345678"] * 5:
        ask_token(client, username, "sai-mat-khau")

    eleventh = ask_token(client, "84912345678", "sai-mat-khau")

    assert eleventh.status_code == 429


def test_too_many_attempts_stay_refused_for_the_whole_15_minute_window(client, citizen, tuesday_morning):
    for _ in range(11):
        ask_token(client, "0912345678", "sai-mat-khau")

    tuesday_morning.shift(dt.timedelta(minutes=6))
    later = ask_token(client, "0912345678", "sai-mat-khau")

    assert later.status_code == 429


def test_after_the_15_minute_window_the_citizen_may_try_again(client, citizen, tuesday_morning):
    for _ in range(11):
        ask_token(client, "0912345678", "sai-mat-khau")

    tuesday_morning.shift(dt.timedelta(minutes=15, seconds=1))
    later = ask_token(client, "0912345678")

    assert later.status_code == 200


# --- who is calling ---------------------------------------------------------------------------------------


def test_no_token_is_401(client):
    assert client.get("/api/v1/dossiers").status_code == 401


def test_garbage_token_is_401(client):
    response = client.get("/api/v1/dossiers", HTTP_AUTHORIZATION="Bearer not-a-token-at-all")

    assert response.status_code == 401


def test_401_explains_itself_in_vietnamese(client):
    detail = client.get("/api/v1/dossiers").json()["detail"]

    assert VIETNAMESE_LETTERS.search(detail), detail


# --- filing -----------------------------------------------------------------------------------------------


def test_citizen_files_online_and_gets_the_whole_contract(api, catalogue, agency, citizen):
    response = api(citizen).file()

    assert response.status_code == 201
    body = response.json()
    assert set(body) >= CONTRACT_KEYS
    assert CODE.match(body["code"]), body["code"]
    assert body["procedure"]["code"] == BIRTH
    assert body["status"] == {"code": 1, "label": "Mới đăng ký", "substate": None}
    assert dt.datetime.fromisoformat(body["submitted_at"]) == TUESDAY_MORNING
    assert body["received_at"] is None and body["due_at"] is None and body["on_time"] is None
    assert body["actions"] == ["withdraw"]


def test_the_code_is_agency_id_local_day_and_daily_counter(api, catalogue, agency, citizen):
    first, second = api(citizen).file().json()["code"], api(citizen).file().json()["code"]

    assert [first, second] == ["000.20.44.H54-261110-0001", "000.20.44.H54-261110-0002"]


def test_same_idempotency_key_twice_files_one_dossier(api, catalogue, agency, citizen):
    caller = api(citizen)

    first = caller.post("/dossiers", {"procedure": BIRTH, "form": BIRTH_FORM}, HTTP_IDEMPOTENCY_KEY="lan-1")
    again = caller.post("/dossiers", {"procedure": BIRTH, "form": BIRTH_FORM}, HTTP_IDEMPOTENCY_KEY="lan-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1


def test_missing_required_field_is_422_naming_it_and_files_nothing(api, catalogue, agency, citizen):
    form = {k: v for k, v in BIRTH_FORM.items() if k != "child_name"}

    response = api(citizen).file(form=form)

    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "form.child_name", "message": "Trường này là bắt buộc."}]
    assert Dossier.objects.count() == 0  # not even a draft


def test_unknown_procedure_is_404(api, catalogue, agency, citizen):
    response = api(citizen).post("/dossiers", {"procedure": "9.999999", "form": BIRTH_FORM})

    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy thủ tục này."}
    assert Dossier.objects.count() == 0


def test_body_without_procedure_is_422_naming_the_json_field(api, catalogue, agency, citizen):
    response = api(citizen).post("/dossiers", {"form": BIRTH_FORM})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == ["procedure"]


def test_schema_errors_speak_vietnamese(api, catalogue, agency, citizen):
    response = api(citizen).post("/dossiers", {"form": BIRTH_FORM})

    messages = [error["message"] for error in response.json()["detail"]]
    assert messages and all(VIETNAMESE_LETTERS.search(m) for m in messages), messages


# --- the whole journey ------------------------------------------------------------------------------------


def test_birth_registration_journey_through_the_api(api, catalogue, agency, people):
    citizen, desk = api(people["citizen"]), api(people["desk"])
    specialist, leader = api(people["specialist"]), api(people["leader"])
    code = citizen.file().json()["code"]

    # The desk asks for a missing paper: the list of papers is required.
    no_items = desk.act(code, "request_supplement", note="Thiếu giấy chứng sinh")
    assert no_items.status_code == 422
    assert no_items.json()["detail"] == [
        {"field": "items", "message": "Cần liệt kê ít nhất một giấy tờ cần bổ sung."}
    ]
    asked = desk.act(code, "request_supplement", items=["Giấy chứng sinh"], note="Thiếu giấy chứng sinh")
    assert asked.status_code == 200
    assert asked.json()["status"]["code"] == 5
    assert citizen.get(f"/dossiers/{code}").json()["supplement_request"]["items"] == ["Giấy chứng sinh"]

    # The citizen sends the paper and answers.
    uploaded = citizen.upload(code, SimpleUploadedFile("giay-chung-sinh.pdf", PDF, "application/pdf"))
    assert uploaded.status_code == 201
    assert uploaded.json() == {
        "id": Attachment.objects.get().pk,
        "name": "giay-chung-sinh.pdf",
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "slot": "1",
    }
    assert citizen.act(code, "supplement").json()["status"]["code"] == 1

    # The desk receives it: the clock starts; receiving twice is refused and changes nothing.
    received = desk.act(code, "receive").json()
    assert received["status"]["code"] == 2
    assert dt.datetime.fromisoformat(received["due_at"]) == dt.datetime(2026, 11, 10, 17, 0, tzinfo=VN)
    events_before = Event.objects.filter(dossier__code=code).count()
    twice = desk.act(code, "receive")
    assert twice.status_code == 409
    assert twice.json() == {"detail": "Không thể “Tiếp nhận” khi hồ sơ đang ở trạng thái “Được tiếp nhận”."}
    assert Event.objects.filter(dossier__code=code).count() == events_before

    # Forwarded, submitted, returned for rework (a reason is required), submitted again, approved.
    assert desk.act(code, "forward").json()["status"]["code"] == 4
    submitted = specialist.act(code, "submit_for_approval").json()
    assert submitted["status"] == {"code": 4, "label": "Đang xử lý", "substate": "awaiting_approval"}
    no_reason = leader.act(code, "return_for_rework")
    assert no_reason.status_code == 422
    assert no_reason.json()["detail"] == [{"field": "note", "message": "Cần ghi rõ lý do."}]
    reworked = leader.act(code, "return_for_rework", note="Ghi lại quê quán của trẻ")
    assert reworked.json()["status"]["substate"] == "rework"
    assert specialist.act(code, "submit_for_approval").json()["status"]["substate"] == "awaiting_approval"
    approved = leader.act(code, "approve").json()
    assert approved["status"]["code"] == 9
    assert dt.datetime.fromisoformat(approved["completed_at"]) == TUESDAY_MORNING
    assert approved["on_time"] is True

    # The result is handed over at the counter.
    delivered = desk.act(code, "deliver_result", method="counter")
    assert delivered.status_code == 200
    assert delivered.json()["status"]["code"] == 10

    # Anyone with the code and the phone's last four digits sees the status, and nothing personal.
    anybody = api()
    looked_up = anybody.get("/lookup", code=code, phone_last4="5678")
    assert looked_up.status_code == 200
    assert looked_up.json()["status"] == {"code": 10, "label": "Đã trả kết quả"}
    text = json.dumps(looked_up.json(), ensure_ascii=False) + looked_up.content.decode()
    for personal in ["Nguyễn Thị Hường", "912345678", "045190012345", "Lê Nguyễn Bảo Ngọc", "Tân Trại"]:
        assert personal not in text
    wrong_digits = anybody.get("/lookup", code=code, phone_last4="0000")
    unknown_code = anybody.get("/lookup", code="000.20.44.H54-991231-9999", phone_last4="5678")
    assert (wrong_digits.status_code, wrong_digits.json()) == (404, NOT_FOUND)
    assert wrong_digits.content == unknown_code.content


# --- attachments ------------------------------------------------------------------------------------------


def test_executable_renamed_pdf_is_422_and_leaves_nothing(api, catalogue, agency, citizen, media):
    code = file_birth(citizen, agency).code
    upload = SimpleUploadedFile("giay.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 256, "application/pdf")

    response = api(citizen).upload(code, upload)

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "file",
            "message": "Tệp “giay.pdf” không phải ảnh (JPG, PNG, WEBP) hoặc PDF. Bạn chọn tệp khác.",
        }
    ]
    assert Attachment.objects.count() == 0
    assert files_in(media) == []


def test_zero_byte_file_is_422(api, catalogue, agency, citizen, media):
    code = file_birth(citizen, agency).code

    response = api(citizen).upload(code, SimpleUploadedFile("trong.pdf", b"", "application/pdf"))

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["file"]
    assert Attachment.objects.count() == 0
    assert files_in(media) == []


def test_file_over_10_mb_is_422(api, catalogue, agency, citizen, media):
    code = file_birth(citizen, agency).code
    big = SimpleUploadedFile("to.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")

    response = api(citizen).upload(code, big)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["file"]
    assert Attachment.objects.count() == 0
    assert files_in(media) == []


def test_citizen_adds_no_file_while_the_dossier_is_being_processed(api, catalogue, agency, people, media):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)

    response = api(people["citizen"]).upload(dossier.code, SimpleUploadedFile("them.pdf", PDF))

    assert response.status_code == 409
    assert Attachment.objects.count() == 0
    assert files_in(media) == []


def test_answering_a_supplement_with_neither_a_file_nor_a_note_is_422(api, catalogue, agency, people):
    # The dossier page refuses an empty answer ("Bạn cần gửi ít nhất một tệp hoặc ghi lời nhắn cho cán bộ");
    # the API must not let the same citizen bounce the dossier back to the officer with nothing in it.
    dossier = dossier_in(Status.SUPPLEMENT, people=people, agency=agency)

    response = api(people["citizen"]).act(dossier.code, "supplement")

    assert response.status_code == 422
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT


# --- roles ------------------------------------------------------------------------------------------------


def test_citizen_approving_their_own_dossier_is_403_and_changes_nothing(api, catalogue, agency, people):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=True)

    response = api(people["citizen"]).act(dossier.code, "approve")

    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn không có quyền “Duyệt” hồ sơ này."}
    dossier.refresh_from_db()
    assert (dossier.status, dossier.substate) == (Status.PROCESSING, "awaiting_approval")


# --- filing on behalf -------------------------------------------------------------------------------------


def test_desk_files_on_behalf_and_the_dossier_is_received_at_once(api, catalogue, agency, desk):
    response = api(desk).file(applicant={"name": "Trần Văn Cụ", "phone": "0905123456"})

    assert response.status_code == 201
    body = response.json()
    assert body["status"]["code"] == 2
    assert dt.datetime.fromisoformat(body["received_at"]) == TUESDAY_MORNING
    assert [(e["action"], e["actor"]) for e in body["events"]] == [
        ("submit", "Trần Thị Mai"),
        ("receive", "Trần Thị Mai"),
    ]
    dossier = Dossier.objects.get(code=body["code"])
    assert (dossier.applicant_name, dossier.applicant_phone, dossier.filed_by) == (
        "Trần Văn Cụ",
        "+84905123456",
        desk,
    )


def test_desk_retrying_a_filing_on_behalf_with_one_idempotency_key_files_one_dossier(
    api, catalogue, agency, desk
):
    # A flaky connection at the counter must not give one citizen two dossiers and two codes.
    caller = api(desk)
    payload = {"procedure": BIRTH, "form": BIRTH_FORM, "applicant": {"name": "Trần Văn Cụ"}}

    first = caller.post("/dossiers", payload, HTTP_IDEMPOTENCY_KEY="quay-1")
    again = caller.post("/dossiers", payload, HTTP_IDEMPOTENCY_KEY="quay-1")

    assert again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1


def test_citizen_sending_an_applicant_is_403(api, catalogue, agency, citizen):
    response = api(citizen).file(applicant={"name": "Trần Văn Cụ", "phone": "0905123456"})

    assert response.status_code == 403
    assert Dossier.objects.count() == 0


def test_specialist_sending_an_applicant_is_403(api, catalogue, agency, specialist):
    # Filing at the counter is the one-stop desk's role: a role refusal is 403, not 409 (status conflict).
    response = api(specialist).file(applicant={"name": "Trần Văn Cụ", "phone": "0905123456"})

    assert response.status_code == 403
    assert Dossier.objects.count() == 0


# --- lists ------------------------------------------------------------------------------------------------


def test_desk_lists_the_agency_dossiers_with_a_status(api, catalogue, agency, people):
    new = dossier_in(Status.NEW, people=people, agency=agency)
    dossier_in(Status.RECEIVED, people=people, agency=agency)

    body = api(people["desk"]).get("/dossiers", status=1).json()

    assert body["count"] == 1
    assert [item["code"] for item in body["items"]] == [new.code]


def test_officer_of_another_commune_lists_none_of_ours(api, catalogue, agency, people, other_desk):
    dossier_in(Status.NEW, people=people, agency=agency)

    body = api(other_desk).get("/dossiers", status=1).json()

    assert body == {"count": 0, "items": []}


def test_citizen_lists_only_their_own_dossiers(api, catalogue, agency, people, other_citizen):
    mine = dossier_in(Status.NEW, people=people, agency=agency)
    file_birth(other_citizen, agency)

    body = api(people["citizen"]).get("/dossiers").json()

    assert [item["code"] for item in body["items"]] == [mine.code]


def test_negative_offset_is_422_naming_offset(api, catalogue, agency, desk):
    response = api(desk).get("/dossiers", offset=-1)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == ["offset"]


# --- extending the due date -------------------------------------------------------------------------------


def test_extend_to_a_day_before_the_due_date_is_422(api, catalogue, agency, people):
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)  # due Tuesday 10 November, 17:00

    response = api(people["desk"]).act(dossier.code, "extend", new_due_date="2026-11-09", note="Cần xác minh")

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "new_due_date", "message": "Ngày hẹn mới phải sau ngày hẹn hiện tại."}
    ]
    dossier.refresh_from_db()
    assert dossier.due_at == dt.datetime(2026, 11, 10, 17, 0, tzinfo=VN)


def test_extend_moves_the_due_date_keeping_the_hour(api, catalogue, agency, people):
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)

    response = api(people["desk"]).act(dossier.code, "extend", new_due_date="2026-11-13", note="Cần xác minh")

    assert response.status_code == 200
    assert dt.datetime.fromisoformat(response.json()["due_at"]) == dt.datetime(2026, 11, 13, 17, 0, tzinfo=VN)


# --- public lookup ----------------------------------------------------------------------------------------


def test_public_lookup_answers_the_31st_request_from_one_address_with_429(api, settings):
    settings.LOOKUP_RATE_LIMIT = 30  # the default; the benchmark raises it through the environment
    anybody = api()
    first_thirty = [anybody.get("/lookup", code="X", phone_last4="1234").status_code for _ in range(30)]

    thirty_first = anybody.get("/lookup", code="X", phone_last4="1234")

    assert first_thirty == [404] * 30
    assert thirty_first.status_code == 429
    assert thirty_first.json() == {"detail": TOO_MANY_LOOKUPS}


def test_public_lookup_stays_limited_for_its_whole_10_minute_window(api, settings, tuesday_morning):
    settings.LOOKUP_RATE_LIMIT = 30
    anybody = api()
    for _ in range(31):
        anybody.get("/lookup", code="X", phone_last4="1234")

    tuesday_morning.shift(dt.timedelta(minutes=6))
    later = anybody.get("/lookup", code="X", phone_last4="1234")

    assert later.status_code == 429


def test_a_note_with_a_nul_character_is_refused_not_a_server_error(client, catalogue, agency, citizen, desk):
    # Refused where the API reads its body (issue 10), as the pages refuse it in a form: the client learns of
    # its bug instead of having its text changed behind its back.
    from motcua.accounts.services import issue_token
    from motcua.dossiers.tests.factories import file_birth

    dossier = file_birth(citizen, agency)
    token = issue_token(desk)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/refuse",
        {"note": "Thiếu\x00 giấy"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Yêu cầu có ký tự điều khiển (như ký tự NUL)")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.NEW
