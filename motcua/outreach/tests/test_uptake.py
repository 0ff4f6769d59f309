"""Counting what a tagged link brings: per campaign, channel, step and day, nothing about the person."""

import datetime as dt

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from motcua.outreach import uptake
from motcua.outreach.links import Tag
from motcua.outreach.models import Campaign, Uptake

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 1)


def _request(query="", cookies=None):
    request = RequestFactory().get("/thu-tuc/1.001193/" + query)
    request.COOKIES.update(cookies or {})
    return request


@pytest.fixture
def campaigns(agency):
    for slug in ("thang-khai-sinh", "a"):
        Campaign.objects.create(
            agency=agency, name=slug, slug=slug, starts_on=DAY, ends_on=DAY, procedures=["1.001193"]
        )


def test_a_tagged_visit_is_remembered_and_counts_what_follows(campaigns):
    first = _request("?cd=thang-khai-sinh&kenh=loa")
    response = HttpResponse()
    uptake.remember(first, response)
    cookie = response.cookies[uptake.COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 30 * 86400
    assert "thang-khai-sinh|loa" in cookie.value  # the tag, signed; nothing about the person

    later = _request(cookies={uptake.COOKIE: cookie.value})
    assert uptake.tag_for(later) == Tag("thang-khai-sinh", "loa")
    assert uptake.note(later, uptake.Step.HELP, day=DAY)
    assert uptake.note(later, uptake.Step.HELP, day=DAY)
    row = Uptake.objects.get()
    assert (row.campaign, row.channel, row.step, row.day) == ("thang-khai-sinh", "loa", "help", DAY)
    assert row.count == 2


def test_untagged_forged_and_tampered_visits_count_nothing():
    assert not uptake.note(_request(), uptake.Step.VISIT)
    assert not uptake.note(_request("?kenh=tivi"), uptake.Step.VISIT)  # not a channel of ours
    assert not uptake.note(_request(cookies={uptake.COOKIE: "thang|loa"}), uptake.Step.VISIT)  # unsigned
    response = HttpResponse()
    uptake.remember(_request("?kenh=tivi"), response)
    assert uptake.COOKIE not in response.cookies
    assert not Uptake.objects.exists()


def test_a_query_tag_wins_over_the_remembered_one_and_steps_are_checked(campaigns):
    response = HttpResponse()
    uptake.remember(_request("?cd=a&kenh=loa"), response)
    request = _request("?kenh=ap-phich", cookies={uptake.COOKIE: response.cookies[uptake.COOKIE].value})
    assert uptake.tag_for(request) == Tag("", "ap-phich")
    with pytest.raises(ValueError):
        uptake.add(Tag("", "loa"), "liked")
    uptake.add(Tag("", "loa"), uptake.Step.FILED, day=DAY, n=3)
    uptake.add(Tag("", "loa"), uptake.Step.FILED, day=DAY + dt.timedelta(days=1))
    assert sorted(Uptake.objects.values_list("day", "count")) == [(DAY, 3), (DAY + dt.timedelta(days=1), 1)]


def test_a_campaign_that_does_not_exist_is_neither_counted_nor_remembered(campaigns):
    response = HttpResponse()
    first = _request("?cd=khong-co&kenh=loa")
    uptake.remember(first, response)
    assert "khong-co" not in response.cookies[uptake.COOKIE].value
    assert uptake.tag_for(first) == Tag("", "loa")  # counted for its channel alone
    assert uptake.note(first, uptake.Step.VISIT, day=DAY)
    assert list(Uptake.objects.values_list("campaign", "channel")) == [("", "loa")]
