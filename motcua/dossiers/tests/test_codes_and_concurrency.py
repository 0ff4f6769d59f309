"""Dossier codes are issued atomically per agency and day; two officers at once: one wins."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status

from .factories import dossier_in, file_birth

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db
def test_codes_count_per_agency_and_restart_each_day(catalogue, agency, other_agency, citizen):
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=VN), tick=False):
        first = file_birth(citizen, agency).code
        second = file_birth(citizen, agency).code
        elsewhere = file_birth(citizen, other_agency).code
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0, tzinfo=VN), tick=False):
        next_day = file_birth(citizen, agency).code
    assert [first, second, elsewhere, next_day] == [
        "000.20.44.H54-261120-0001",
        "000.20.44.H54-261120-0002",
        "000.21.44.H54-261120-0001",
        "000.20.44.H54-261121-0001",
    ]


@pytest.mark.django_db
def test_the_day_of_the_code_is_the_local_day_in_vietnam(catalogue, agency, citizen):
    # 23:30 UTC on the 20th is already 06:30 on the 21st in Vĩnh Linh.
    with time_machine.travel(dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC), tick=False):
        assert file_birth(citizen, agency).code == "000.20.44.H54-261121-0001"


@pytest.mark.django_db
def test_an_invalid_declaration_uses_no_number(catalogue, agency, citizen):
    with pytest.raises(services.Invalid):
        file_birth(citizen, agency, form={"child_name": "Thiếu nhiều trường"})
    assert file_birth(citizen, agency).code.endswith("-0001")
    assert Dossier.objects.count() == 1


def _in_threads(count, work):
    """Run `work(i)` in `count` threads released at the same instant; returns results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # collected and asserted on by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_consecutive_codes_without_duplicates(catalogue, agency, citizen):
    results = _in_threads(8, lambda i: file_birth(citizen, agency).code)
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in results)
    assert numbers == list(range(1, 9))


@pytest.mark.django_db(transaction=True)
def test_two_officers_receiving_at_once_one_wins_the_other_gets_not_allowed(catalogue, agency, citizen, desk):
    from django.contrib.auth import get_user_model

    from motcua.agencies.services import set_officer

    second_desk = get_user_model().objects.create_user(
        username="motcua2", password="x", full_name="Võ Thị Hoa"
    )
    set_officer(second_desk, agency=agency, roles=["onestop"])
    dossier = file_birth(citizen, agency)
    officers = [desk, get_user_model().objects.get(pk=second_desk.pk)]
    results = _in_threads(2, lambda i: services.perform(dossier, "receive", by=officers[i]).status)
    assert sorted(type(r).__name__ if isinstance(r, Exception) else str(r) for r in results) == [
        "2",
        "NotAllowed",
    ]
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.events.filter(action="receive").count() == 1


@pytest.mark.django_db
def test_waiting_on_the_citizen_does_not_count_against_the_deadline(
    catalogue, agency, citizen, desk, specialist, leader
):
    people = {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}
    # Received Monday 2027-02-01 09:00: same-day procedure, due 17:00 that day.
    with time_machine.travel(dt.datetime(2027, 2, 1, 9, 0, tzinfo=VN), tick=False):
        dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
        assert dossier.due_at == dt.datetime(2027, 2, 1, 17, 0, tzinfo=VN)
        dossier = services.perform(
            dossier, "request_supplement", by=specialist, note="Thiếu", data={"items": ["Giấy chứng sinh"]}
        )
    # The citizen answers on Wednesday 2027-02-03: two working days of waiting (Mon, Tue) are added.
    with time_machine.travel(dt.datetime(2027, 2, 3, 10, 0, tzinfo=VN), tick=False):
        dossier = services.perform(dossier, "supplement", by=citizen, note="Đã gửi bản chụp qua Zalo")
    assert dossier.due_at == dt.datetime(2027, 2, 3, 17, 0, tzinfo=VN)


@pytest.mark.django_db
def test_a_same_day_dossier_received_after_three_pm_is_due_next_working_day(catalogue, agency, citizen, desk):
    dossier = file_birth(citizen, agency)
    # Wednesday 2027-02-03 15:30, the eve of the Tết break (4-10 February 2027).
    with time_machine.travel(dt.datetime(2027, 2, 3, 15, 30, tzinfo=VN), tick=False):
        dossier = services.perform(dossier, "receive", by=desk)
    assert dossier.due_at == dt.datetime(2027, 2, 11, 17, 0, tzinfo=VN)


def test_a_transition_locks_the_dossier_row_not_its_agency_or_procedure():
    """PostgreSQL's FOR UPDATE without OF locks every joined row: a transition (and a submission, which
    uses the same lock) must lock only its dossier, or every transition of the agency waits for the one
    before (compiled for PostgreSQL, so
    that the SQLite run checks it too; SQLite has no row locks)."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    from motcua.dossiers import lifecycle

    postgres = DatabaseWrapper({**connection.settings_dict, "ENGINE": "django.db.backends.postgresql"})
    postgres.__dict__["pg_version"] = 150000  # compiled only: no server is asked
    postgres.get_autocommit = lambda: False  # as inside the transition's transaction
    query = lifecycle.locked_dossiers().filter(pk=1).query
    sql, _params = query.get_compiler(connection=postgres).as_sql()
    assert sql.endswith('FOR UPDATE OF "dossiers_dossier"')
    assert 'INNER JOIN "agencies_agency"' in sql  # the agency and procedure are still read with it


@pytest.mark.django_db
def test_status_counters_are_locked_in_status_order_whichever_way_a_dossier_moves(agency):
    """Two transitions moving opposite ways (a fee asked, 2 -> 6, while another dossier's fee is paid,
    6 -> 2) must take the two counters' row locks in one order, or each holds one and waits for the
    other (PostgreSQL: deadlock detected)."""
    import re

    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers import lifecycle
    from motcua.dossiers.models import StatusCount

    for status in (Status.RECEIVED, Status.PAYMENT):
        StatusCount.objects.create(agency=agency, status=status, count=5)
    orders = []
    for before, after in ((Status.RECEIVED, Status.PAYMENT), (Status.PAYMENT, Status.RECEIVED)):
        with CaptureQueriesContext(connection) as queries:
            lifecycle._count_move(agency.pk, before, after)
        updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "dossiers_statuscount"')]
        orders.append([int(re.search(r'"status" = (\d+)', sql).group(1)) for sql in updates])
    assert orders == [[Status.RECEIVED, Status.PAYMENT], [Status.RECEIVED, Status.PAYMENT]]
    assert StatusCount.objects.get(agency=agency, status=Status.RECEIVED).count == 5
    assert StatusCount.objects.get(agency=agency, status=Status.PAYMENT).count == 5
