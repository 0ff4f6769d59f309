"""Every page shows the site agency (header, footer) without asking the database for it each time, and
still shows a change: at once in the process that saved it, within SITE_AGENCY_SECONDS in any other."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.agencies import services
from motcua.agencies.models import Agency

pytestmark = pytest.mark.django_db


def agency_reads(captured) -> int:
    return sum('"agencies_agency"' in q["sql"] for q in captured.captured_queries)


def test_a_second_page_does_not_read_the_agency(client, agency):
    first = client.get("/tra-cuu/")
    with CaptureQueriesContext(connection) as second:
        page = client.get("/tra-cuu/")

    assert agency.name in first.text and agency.name in page.text
    assert agency_reads(second) == 0


def test_an_agency_saved_here_shows_on_the_next_page(client, agency):
    client.get("/tra-cuu/")
    agency.name = "Ủy ban nhân dân xã Mới Đổi Tên"
    agency.save()

    assert "Ủy ban nhân dân xã Mới Đổi Tên" in client.get("/tra-cuu/").text


def test_an_agency_changed_by_another_node_shows_within_the_staleness_bound(client, agency, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(services, "_clock", lambda: now[0])
    client.get("/tra-cuu/")
    Agency.objects.filter(pk=agency.pk).update(name="Ủy ban nhân dân xã Nơi Khác Sửa")  # no signal here

    now[0] += 29
    still = client.get("/tra-cuu/").text
    now[0] += 2
    later = client.get("/tra-cuu/").text

    assert agency.name in still
    assert "Ủy ban nhân dân xã Nơi Khác Sửa" in later


def test_the_site_agency_follows_default_agency_id(client, agency, other_agency, settings):
    settings.DEFAULT_AGENCY_ID = agency.agency_id
    assert agency.name in client.get("/tra-cuu/").text
    settings.DEFAULT_AGENCY_ID = other_agency.agency_id

    assert other_agency.name in client.get("/tra-cuu/").text
