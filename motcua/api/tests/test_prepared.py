"""`motcua.prepared`: a queryset compiled once answers as the queryset itself would, call after call, with
each call's own arguments — datetimes aware, JSON decoded, booleans as booleans, on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import dossier_in
from motcua.prepared import Prepared, columns

pytestmark = pytest.mark.django_db
FIELDS = ("pk", "code", "submitted_at", "form_data", "fee_pending", "procedure__code", "agency__address")


def by_code(code: str):
    return columns(Dossier.objects.filter(code=code).order_by(), *FIELDS, Value("x"))


def test_prepared_rows_are_the_querysets_rows_for_each_call(catalogue, agency, people):
    first = dossier_in(Status.RECEIVED, people=people, agency=agency)
    second = dossier_in(Status.PAYMENT, people=people, agency=agency)
    prepared = Prepared(by_code, code=str)
    for dossier in (first, second, first):
        expected = [list(row) for row in by_code(dossier.code)]
        assert prepared.rows(code=dossier.code) == expected
        assert expected[0][2].tzinfo is not None and isinstance(expected[0][3], dict)
        assert expected[0][4] is (dossier.code == second.code)  # a fee asked
    assert prepared.rows(code="000.20.44.H54-991231-9999") == []


def test_columns_come_in_the_order_asked(catalogue, agency, people):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    row = Prepared(lambda pk: columns(Dossier.objects.filter(pk=pk), "agency__address", "code", "pk"), pk=int)
    assert row.rows(pk=dossier.pk) == [[agency.address, dossier.code, dossier.pk]]


def test_prepared_objects_are_the_querysets_instances_with_their_related_ones(catalogue, agency, people):
    """`objects()` builds what iterating the queryset builds: the same fields, deferred ones deferred, and
    the select_related procedure already there (no query when it is read)."""
    filed = dossier_in(Status.RECEIVED, people=people, agency=agency)

    def build(code):
        related = Dossier.objects.select_related("procedure")
        return related.filter(code=code).only("code", "status", "procedure__name")

    by_code = Prepared(build, code=str)
    [found] = by_code.objects(code=filed.code)
    expected = build(filed.code).get()
    assert (found.pk, found.code, found.status) == (expected.pk, expected.code, expected.status)
    assert found.get_deferred_fields() == expected.get_deferred_fields()
    with CaptureQueriesContext(connection) as queries:
        assert found.procedure.name == expected.procedure.name
    assert len(queries) == 0
    assert by_code.objects(code="no such code") == []
    with pytest.raises(TypeError):
        Prepared(lambda code: Dossier.objects.filter(code=code).values_list("pk"), code=str).objects(code="x")


def test_a_datetime_argument_compares_as_the_querysets_does(catalogue, agency, people):
    """A datetime goes where its stand-in was, adapted as the backend adapts it (text on SQLite)."""
    filed = dossier_in(Status.RECEIVED, people=people, agency=agency)

    def filed_after(code, after):
        return Dossier.objects.filter(code=code, submitted_at__gt=after).values_list("code")

    prepared = Prepared(filed_after, code=str, after=dt.datetime)
    just_before = filed.submitted_at - dt.timedelta(microseconds=1)
    found_then = [[filed.code]]
    for after, found in ((just_before, found_then), (filed.submitted_at, []), (just_before, found_then)):
        assert prepared.rows(code=filed.code, after=after) == found
        assert [list(row) for row in filed_after(filed.code, after)] == found


def test_count_counts_the_rows_a_capped_query_has(catalogue, agency, people):
    for status in (Status.NEW, Status.RECEIVED, Status.PAYMENT):
        dossier_in(status, people=people, agency=agency)
    capped = Prepared(lambda agency: Dossier.objects.filter(agency_id=agency).values("pk")[:2], agency=int)
    assert capped.count(agency=agency.pk) == 2
    assert (
        Prepared(lambda agency: Dossier.objects.filter(agency_id=agency).values("pk"), agency=int).count(
            agency=agency.pk
        )
        == Dossier.objects.filter(agency=agency).count()
    )
    assert capped.count(agency=agency.pk + 1000) == 0
