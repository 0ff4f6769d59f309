"""The public lookup reads without writing: its rate limit counts in the process's memory first and writes
the shared counter in batches (motcua/ratelimit.py), yet the limit still holds across processes and a forged
X-Forwarded-For still does not reset it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua import ratelimit
from motcua.accounts.models import Throttle
from motcua.dossiers.tests.factories import file_birth

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture
def filed(catalogue, agency, citizen):
    return file_birth(citizen, agency)


def test_a_lookup_writes_nothing_in_the_api_or_the_page(client, filed, settings):
    settings.LOOKUP_RATE_LIMIT = 30  # the default
    with CaptureQueriesContext(connection) as api:
        answer = client.get("/api/v1/lookup", {"code": filed.code, "phone_last4": "5678"})
    with CaptureQueriesContext(connection) as page:
        html = client.get("/tra-cuu/", {"ma": filed.code, "so": "5678"})

    assert answer.status_code == 200 and answer.json()["code"] == filed.code
    assert html.status_code == 200 and filed.code in html.text
    assert writes(api) == [] and writes(page) == []


def test_pending_attempts_reach_the_shared_counter_in_one_batch(client, settings):
    settings.LOOKUP_RATE_LIMIT = 30  # batches of 3
    for _ in range(2):
        client.get("/api/v1/lookup", {"code": "X", "phone_last4": "1234"})
    assert not Throttle.objects.exists()

    client.get("/api/v1/lookup", {"code": "X", "phone_last4": "1234"})

    assert Throttle.objects.get().count == 3


def test_attempts_that_waited_a_second_are_written_by_the_next_request(client, settings, time_machine):
    settings.LOOKUP_RATE_LIMIT = 30
    time_machine.move_to(dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC), tick=False)
    client.get("/api/v1/lookup", {"code": "X", "phone_last4": "1234"}, REMOTE_ADDR="203.0.113.1")
    assert not Throttle.objects.exists()

    time_machine.shift(dt.timedelta(seconds=2))
    client.get("/api/v1/lookup", {"code": "X", "phone_last4": "1234"}, REMOTE_ADDR="203.0.113.2")

    assert sorted(Throttle.objects.values_list("count", flat=True)) == [1, 1]


class Process:
    """One of several server processes: its own in-memory tier, the same database."""

    def __init__(self, client, monkeypatch):
        self.client, self.monkeypatch, self.tier = client, monkeypatch, ratelimit._Tier()

    def lookup(self) -> int:
        self.monkeypatch.setattr(ratelimit, "_tier", self.tier)
        return self.client.get("/api/v1/lookup", {"code": "X", "phone_last4": "1234"}).status_code


def test_the_limit_holds_across_two_processes_within_one_batch_each(client, settings, monkeypatch):
    settings.LOOKUP_RATE_LIMIT = 30
    batch = ratelimit.batch_for(30)
    first, second = Process(client, monkeypatch), Process(client, monkeypatch)

    answered_by_first = [first.lookup() for _ in range(20)]
    answered_by_second = []
    while not answered_by_second or answered_by_second[-1] != 429:
        answered_by_second.append(second.lookup())
        assert len(answered_by_second) < 40
    let_through = answered_by_first.count(404) + answered_by_second.count(404)
    # The first process learns what the second wrote at its next batch at the latest.
    after = [first.lookup() for _ in range(batch + 1)]

    assert answered_by_first == [404] * 20
    assert 30 <= let_through <= 30 + 2 * batch
    assert after[-1] == 429


def test_a_forged_forwarded_address_does_not_dodge_the_lookup_limit(client, settings):
    settings.LOOKUP_RATE_LIMIT = 20
    settings.TRUSTED_PROXIES = 1  # our proxy appends the address it saw: 203.0.113.9
    answers = [
        client.get(
            "/api/v1/lookup",
            {"code": "X", "phone_last4": "1234"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9",
        ).status_code
        for n in range(21)
    ]

    assert answers == [404] * 20 + [429]


def test_a_small_limit_is_counted_exactly_attempt_by_attempt(client, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    answers = [client.get("/tra-cuu/", {"ma": "X", "so": "1234"}).status_code for _ in range(4)]

    assert answers == [404, 404, 404, 429]
    assert Throttle.objects.get().count == 4
