"""Wall 6 of issue 11: "nguyen van an" went unchecked into the legal declaration and the slips, and nobody at
the desk could correct it. Now the desk corrects the declaration at reception through the API (and the
office page), the event keeps the old and the new value, the declaration prints the new name, and the
citizen is told by text what was changed."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import BIRTH, TYPED_FORM
from motcua.notifications.models import Message
from motcua.notifications.texts import SMS_MAX_PARTS, sms_parts
from testkit import need

pytestmark = pytest.mark.django_db
TYPED = TYPED_FORM


@pytest.fixture
def token(client):
    def ask(user) -> dict:
        answer = client.post(
            "/api/v1/auth/token",
            {"username": user.username, "password": "demo-2026"},
            content_type="application/json",
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {answer.json()['token']}"}

    return ask


def pdf_text(pdf: bytes) -> str:
    import subprocess

    result = subprocess.run(  # noqa: S603
        [need("pdftotext"), "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def test_the_desk_corrects_nguyen_van_an_and_everyone_reads_nguyen_van_an_with_diacritics(
    client, catalogue, agency, people, token, django_capture_on_commit_callbacks
):
    citizen, desk = token(people["citizen"]), token(people["desk"])
    filed = client.post(
        "/api/v1/dossiers", {"procedure": BIRTH, "form": TYPED}, content_type="application/json", **citizen
    )
    code = filed.json()["code"]
    before = client.get(f"/api/v1/dossiers/{code}/documents/to-khai.pdf", **desk)
    assert "nguyen van an" in pdf_text(before.content)
    assert "correct_declaration" in client.get(f"/api/v1/dossiers/{code}", **desk).json()["actions"]

    with django_capture_on_commit_callbacks(execute=True):
        corrected = client.post(
            f"/api/v1/dossiers/{code}/actions/correct_declaration",
            {
                "note": "Đối chiếu căn cước công dân",
                "form": {"requester_name": "Nguyễn Văn An", "requester_residence": "Thôn 3, xã Vĩnh Linh"},
            },
            content_type="application/json",
            **desk,
        )

    assert corrected.status_code == 200, corrected.content
    body = corrected.json()
    assert body["form"]["requester_name"] == "Nguyễn Văn An"
    assert body["events"][-1]["action"] == "correct_declaration"
    event = Dossier.objects.get(code=code).events.latest("pk")
    assert [(c["old"], c["new"]) for c in event.data["changes"]] == [
        ("nguyen van an", "Nguyễn Văn An"),
        ("thon 3, xa vinh linh", "Thôn 3, xã Vĩnh Linh"),
    ]
    after = pdf_text(client.get(f"/api/v1/dossiers/{code}/documents/to-khai.pdf", **desk).content)
    assert "Nguyễn Văn An" in after and "nguyen van an" not in after
    assert "Thôn 3, xã Vĩnh Linh" in after
    sms = Message.objects.get(event=event, channel="sms")
    assert sms.address == "+84912345678" and sms.kind == "dossier.declaration_corrected"
    assert sms.text == (
        f"Hồ sơ {code}: bộ phận một cửa đã sửa tờ khai thành: Nguyễn Văn An; Thôn 3, xã Vĩnh Linh. Xem "
        "trên trang hồ sơ."
    )
    assert sms_parts(sms.text) <= SMS_MAX_PARTS
    told = Message.objects.get(event=event, channel="inapp").text
    assert "Họ, chữ đệm, tên người yêu cầu: “nguyen van an” thành “Nguyễn Văn An”" in told
    assert "Lý do: Đối chiếu căn cước công dân." in told


def test_a_wrong_correction_is_422_field_by_field(client, catalogue, agency, people, token):
    citizen, desk = token(people["citizen"]), token(people["desk"])
    code = client.post(
        "/api/v1/dossiers", {"procedure": BIRTH, "form": TYPED}, content_type="application/json", **citizen
    ).json()["code"]

    refused = client.post(
        f"/api/v1/dossiers/{code}/actions/correct_declaration",
        {"form": {"requester_name": "", "child_birth_date": "hôm qua"}},
        content_type="application/json",
        **desk,
    )

    assert refused.status_code == 422
    fields = {error["field"] for error in refused.json()["detail"]}
    assert fields == {"note", "form.requester_name", "form.child_birth_date"}


def test_the_citizen_cannot_correct_their_declaration_through_this_action(
    client, catalogue, agency, people, token
):
    citizen = token(people["citizen"])
    code = client.post(
        "/api/v1/dossiers", {"procedure": BIRTH, "form": TYPED}, content_type="application/json", **citizen
    ).json()["code"]

    refused = client.post(
        f"/api/v1/dossiers/{code}/actions/correct_declaration",
        {"note": "x", "form": {"requester_name": "Nguyễn Văn An"}},
        content_type="application/json",
        **citizen,
    )

    assert refused.status_code == 403
