"""A database that cannot be reached (PostgreSQL restarting) is a 503 that says what happened and to try
again, with Retry-After; not the 500 "something is broken" page. Any other error stays a 500."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down(monkeypatch):
    def execute(self, *args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(CursorWrapper, "execute", execute)


def test_a_page_answers_503_with_a_message_to_try_again(catalogue, visitor, database_down):
    response = visitor.get("/thu-tuc/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Hệ thống đang tạm gián đoạn trong giây lát" in page
    assert "Việc bạn vừa làm chưa được lưu" in page


def test_the_api_answers_503_with_a_detail(catalogue, visitor, database_down):
    response = visitor.get("/api/v1/procedures")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "tạm gián đoạn" in response.json()["detail"]


def test_any_other_error_is_still_the_500_page(catalogue, visitor, monkeypatch):
    def execute(self, *args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(CursorWrapper, "execute", execute)

    response = visitor.get("/thu-tuc/")

    assert response.status_code == 500
    assert "Xin lỗi, hệ thống đang gặp sự cố" in response.content.decode()
