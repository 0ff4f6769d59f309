"""Long lists page by keyset (dossiers/keyset.py): the queue and a citizen's dossiers never ask the database
for an OFFSET or a COUNT(*) of every open dossier, their pages cover the list exactly once even where many
rows share a sort key, and a page costs the same few queries however many rows there are."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.dossiers import keyset, office, views
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import dossier_in, file_birth

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'href="(\?[^"]*)" rel="next"')
PREVIOUS = re.compile(r'href="(\?[^"]*)" rel="prev"')


def tie(dossiers, *, due, submitted):
    """Give dossiers the same sort key (a generated data set has thousands filed in the same second)."""
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(due_at=due, submitted_at=submitted)


def walk(client, path, codes_of):
    """Every page from the first by "Trang sau", then back by "Trang trước": the pages' codes both ways."""
    forward, link = [], ""
    while True:
        response = client.get(path + link.replace("&amp;", "&"))
        forward.append(codes_of(response))
        found = NEXT.search(response.text)
        if not found:
            break
        link = found.group(1)
    backward = [forward[-1]]
    while found := PREVIOUS.search(response.text):
        response = client.get(path + found.group(1).replace("&amp;", "&"))
        backward.append(codes_of(response))
    return forward, backward[::-1]


@pytest.fixture
def many(catalogue, agency, people):
    """13 open dossiers: runs of equal due dates and filing times, and some with no due date."""
    filed = [file_birth(people["citizen"], agency) for _ in range(13)]
    now = timezone.now().replace(microsecond=0)
    tie(filed[0:5], due=now + dt.timedelta(days=2), submitted=now - dt.timedelta(days=1))
    tie(filed[5:8], due=now + dt.timedelta(days=2), submitted=now - dt.timedelta(days=2))
    tie(filed[8:10], due=now - dt.timedelta(days=1, microseconds=1), submitted=now - dt.timedelta(days=3))
    tie(filed[10:13], due=None, submitted=now)
    return filed


def test_queue_pages_cover_every_open_dossier_once_in_order(client, many, people, monkeypatch):
    monkeypatch.setattr(office, "PAGE_SIZE", 3)
    client.force_login(people["desk"])
    forward, backward = walk(client, "/can-bo/", lambda r: [d.code for d in r.context["page"].object_list])
    rows = list(
        Dossier.objects.filter(pk__in=[d.pk for d in many]).values_list(
            "due_at", "submitted_at", "pk", "code"
        )
    )
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    expected = [code for *_, code in sorted(rows, key=lambda r: (r[0] or far, r[1], r[2]))]
    assert [len(p) for p in forward] == [3, 3, 3, 3, 1]
    assert [code for p in forward for code in p] == expected  # every one, once, in the queue's order
    assert backward == forward  # "Trang trước" gives back the same pages


def test_queue_filters_are_kept_from_page_to_page(client, many, people, monkeypatch):
    monkeypatch.setattr(office, "PAGE_SIZE", 2)
    client.force_login(people["desk"])
    forward, _ = walk(
        client, "/can-bo/?trang-thai=1", lambda r: [d.code for d in r.context["page"].object_list]
    )
    assert sorted(code for p in forward for code in p) == sorted(d.code for d in many)
    first = client.get("/can-bo/", {"q": "5678"})
    assert "q=5678" in NEXT.search(first.text).group(1)


def test_no_offset_and_no_uncapped_count_on_a_later_queue_page(client, many, people, monkeypatch):
    monkeypatch.setattr(office, "PAGE_SIZE", 3)
    client.force_login(people["desk"])
    link = NEXT.search(client.get("/can-bo/").text).group(1).replace("&amp;", "&")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/can-bo/" + link).status_code == 200
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not any("OFFSET" in s for s in sql)
    counts = [s for s in sql if "COUNT(" in s and "DOSSIERS_DOSSIER" in s]
    assert len(counts) == 1 and "LIMIT" in counts[0]  # the overdue pill, capped


def test_capped_counts_say_more_than(client, many, people, monkeypatch):
    monkeypatch.setattr(office, "COUNT_CAP", 1)
    client.force_login(people["desk"])
    response = client.get("/can-bo/")
    assert response.context["overdue"] == 2 and "Hơn 1 hồ sơ quá hạn" in response.text


def test_a_cursor_that_is_not_one_is_the_first_page(client, many, people):
    client.force_login(people["desk"])
    first = [d.code for d in client.get("/can-bo/").context["page"].object_list]
    for junk in ("x", "1.2", "-.-.-", "1.2.3.4", "99999999999999999999999.1.1", "1.2.x"):
        response = client.get("/can-bo/", {"sau": junk})
        assert response.status_code == 200 and [d.code for d in response.context["page"].object_list] == first


def test_cursor_round_trip():
    when = dt.datetime(2026, 12, 2, 7, 5, 3, 123456, tzinfo=dt.UTC)
    text = keyset.encode([when, None, 42])
    assert keyset.decode(text, ("datetime", "datetime", "int")) == [when, None, 42]


def test_citizen_pages_cover_every_dossier_once(client, many, people, monkeypatch):
    monkeypatch.setattr(views, "MINE_PAGE_SIZE", 4)
    client.force_login(people["citizen"])
    forward, backward = walk(client, "/ho-so/", lambda r: [d.code for d in r.context["others"]])
    rows = list(Dossier.objects.filter(pk__in=[d.pk for d in many]).values_list("submitted_at", "pk", "code"))
    expected = [code for *_, code in sorted(rows, key=lambda r: (r[0], r[1]), reverse=True)]
    assert [len(p) for p in forward] == [4, 4, 4, 1]
    assert [code for p in forward for code in p] == expected
    assert backward == forward
    counts = dict(client.get("/ho-so/").context["counts"])
    assert counts[Status.NEW] == 13  # counted in the database when the page does not hold them all


# The desk: session, user with officer and roles, site agency, status counters, the page, overdue. A leader:
# their body's counts instead of the counters, awaiting approval, and in December the calendar reminder.
@pytest.mark.parametrize(("who", "most"), [("desk", 5), ("leader", 7)])
def test_queue_queries_do_not_grow_with_the_list(client, catalogue, agency, people, who, most):
    client.force_login(people[who])
    client.get("/can-bo/")  # the process reads the site agency once, then remembers it (SITE_AGENCY_SECONDS)
    sizes = []
    for _ in range(2):
        for status in (Status.NEW, Status.PROCESSING, Status.DONE):
            dossier_in(status, people=people, agency=agency)
        with CaptureQueriesContext(connection) as queries:
            client.get("/can-bo/")
        sizes.append(len(queries))
    assert sizes[0] == sizes[1] <= most


def test_citizen_list_queries_do_not_grow_with_the_list(client, catalogue, agency, people):
    client.force_login(people["citizen"])
    client.get("/ho-so/")  # the process reads the site agency once, then remembers it (SITE_AGENCY_SECONDS)
    sizes = []
    for _ in range(2):
        for status in (Status.NEW, Status.SUPPLEMENT, Status.DONE, Status.RETURNED):
            dossier_in(status, people=people, agency=agency)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/ho-so/")
        sizes.append(len(queries))
    assert len(response.context["action_needed"]) == 4 and len(response.context["others"]) == 4
    # session, user, needing action, their result files, the others, drafts, joined filings
    assert sizes[0] == sizes[1] <= 7
