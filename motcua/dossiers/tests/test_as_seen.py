"""`services.AsSeen`: a prepared query over what a person may see answers, for every kind of person, what
the same queryset written for that person answers, and a fixed keyword (a page size, a cap) gets its own
compiled query instead of reusing one written for another value."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import dossier_in

pytestmark = pytest.mark.django_db


def codes(user, limit):
    return services.visible_dossiers(user).order_by("-pk").values_list("code")[:limit]


def test_each_kind_of_person_reads_what_they_see(
    catalogue, agency, other_agency, people, community, administrator
):
    mine = dossier_in(Status.RECEIVED, people=people, agency=agency)
    theirs = dossier_in(Status.NEW, people=people, agency=other_agency)
    seen = services.AsSeen(codes)
    everyone = {**people, "community": community, "administrator": administrator}
    for who, user in everyone.items():
        expected = [list(row) for row in codes(user, 10)]
        assert seen.rows(user, limit=10) == expected, who
        assert seen.count(user, limit=10) == len(expected), who
    assert [mine.code] in seen.rows(people["desk"], limit=10)
    assert [theirs.code] not in seen.rows(people["desk"], limit=10)
    assert seen.rows(community, limit=10) == []  # a volunteer sees only what they filed


def test_a_fixed_keyword_is_written_into_a_query_of_its_own(catalogue, agency, people):
    for status in (Status.NEW, Status.RECEIVED, Status.PROCESSING):
        dossier_in(status, people=people, agency=agency)
    seen = services.AsSeen(codes)
    assert len(seen.rows(people["desk"], limit=1)) == 1
    assert len(seen.rows(people["desk"], limit=3)) == 3
    assert seen.count(people["desk"], limit=2) == 2


def test_a_datetime_parameter_is_each_calls_own(catalogue, agency, people):
    filed = dossier_in(Status.RECEIVED, people=people, agency=agency)
    after = services.AsSeen(
        lambda user, since: (
            services.visible_dossiers(user).filter(submitted_at__gte=since).values_list("code")
        ),
        since=dt.datetime,
    )
    assert after.rows(people["desk"], since=filed.submitted_at) == [[filed.code]]
    assert after.rows(people["desk"], since=timezone.now() + dt.timedelta(minutes=1)) == []
    assert Dossier.objects.filter(submitted_at__gte=filed.submitted_at).count() == 1
