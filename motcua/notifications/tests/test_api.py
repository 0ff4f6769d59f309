"""GET /api/v1/notifications: the bearer's own messages as
{"items": [{"at", "channel", "event", "text", "status"}]}."""

import pytest

from motcua.accounts.services import issue_token
from motcua.dossiers.models import Status
from motcua.dossiers.services import perform
from motcua.notifications import services

from .conftest import dossier_in

pytestmark = pytest.mark.django_db
CODE = "000.20.44.H54-261123-0001"


def _get(client, user):
    return client.get("/api/v1/notifications", HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")


@pytest.fixture
def received(catalogue, agency, people, monday, django_capture_on_commit_callbacks):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "receive", by=people["desk"])
    return dossier


def test_the_api_returns_the_callers_messages_newest_first(client, received, citizen):
    response = _get(client, citizen)

    assert response.status_code == 200
    due = "17 giờ 00, thứ Hai, ngày 23/11/2026"
    assert response.json() == {
        "items": [
            {
                "at": "2026-11-23T02:00:00Z",
                "channel": "sms",
                "event": "dossier.received",
                "text": f"Hồ sơ {CODE} đã được tiếp nhận. Hẹn trả kết quả: {due}.",
                "status": "queued",
            },
            {
                "at": "2026-11-23T02:00:00Z",
                "channel": "inapp",
                "event": "dossier.received",
                "text": f"Hồ sơ {CODE} (Đăng ký khai sinh) đã được Ủy ban nhân dân xã Vĩnh Linh tiếp nhận. "
                f"Hẹn trả kết quả: {due}.",
                "status": "delivered",
            },
        ]
    }


def test_the_api_shows_nothing_of_someone_elses_messages(client, received, other_citizen):
    response = _get(client, other_citizen)

    assert response.json() == {"items": []}


def test_the_api_never_lists_sign_in_codes(client, citizen, monday):
    services.send_sms(citizen.phone, "Mã xác thực Dịch vụ công: 482913.")
    services.set_channels(citizen, channels=["sms"])

    assert _get(client, citizen).json() == {"items": []}


def test_the_api_needs_a_token(client):
    response = client.get("/api/v1/notifications")

    assert response.status_code == 401
