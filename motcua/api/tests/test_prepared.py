"""`motcua.prepared`: a queryset compiled once answers as the queryset itself would, call after call, with
each call's own arguments — datetimes aware, JSON decoded, booleans as booleans, on SQLite and PostgreSQL."""

import pytest
from django.db.models import Value

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
