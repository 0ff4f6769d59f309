"""Which waits stop the processing clock, walked through the lifecycle: the supplement stops it (Decision 766,
index 2.1, cited in `states.CLOCK_STOPS`); the fee does not, its wait counts against the promised date."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.states import CLOCK_STOPS, NEEDS_CITIZEN

from .factories import dossier_in

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of March 2026 in Vietnam: Monday 2, Tuesday 3, Wednesday 4, Thursday 5, Friday 6, Monday 9."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=VN)


def act(moment: dt.datetime, dossier: Dossier, action: str, who, **data) -> Dossier:
    with time_machine.travel(moment, tick=False):
        return services.perform(dossier, action, by=who, note="Ghi chú thử", data=data)


@pytest.fixture
def processing(catalogue, agency, people):
    """A birth registration (a same-day procedure) received and forwarded on Monday 2/3/2026 at 09:00."""
    with time_machine.travel(at(2, 9), tick=False):
        dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    assert dossier.due_at == at(2, 17)
    return dossier


def overdue(dossier: Dossier, moment: dt.datetime) -> bool:
    """Overdue as the back office sees it, on the dossier and in the queue's filter."""
    in_queue = Dossier.objects.filter(services.overdue_filter(moment), pk=dossier.pk).exists()
    assert dossier.is_overdue(moment) is in_queue
    return in_queue


def test_only_the_supplement_stops_the_clock_and_it_carries_its_source():
    assert set(CLOCK_STOPS) == {Status.SUPPLEMENT}
    assert Status.PAYMENT in NEEDS_CITIZEN  # the fee is still the citizen's to do, only the clock runs on
    assert "Quyết định 766/QĐ-TTg ngày 23/6/2022" in CLOCK_STOPS[Status.SUPPLEMENT]
    assert "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" in CLOCK_STOPS[Status.SUPPLEMENT]


def test_waiting_for_papers_stops_the_clock(processing, people):
    papers = ["Giấy chứng sinh"]
    dossier = act(at(2, 10), processing, "request_supplement", people["specialist"], items=papers)
    assert dossier.status == Status.SUPPLEMENT and dossier.paused_at == at(2, 10)
    # Stopped in time: not overdue while the citizen gathers the papers, whatever the day.
    assert not overdue(dossier, at(5, 9))

    # Back on Thursday: Monday, Tuesday and Wednesday were spent waiting, three working days added.
    dossier = act(at(5, 10), dossier, "supplement", people["citizen"])
    assert dossier.status == Status.PROCESSING and dossier.paused_at is None
    assert dossier.due_at == at(5, 17)
    assert dossier.events.last().due_at == at(5, 17)  # what the slips and the citizen's page print
    assert not overdue(dossier, at(5, 16))

    dossier = act(at(5, 14), dossier, "submit_for_approval", people["specialist"])
    dossier = act(at(5, 15), dossier, "approve", people["leader"])
    assert dossier.on_time is True


def test_a_dossier_already_late_when_it_stops_stays_late(processing, people):
    papers = ["Giấy chứng sinh"]
    dossier = act(at(3, 9), processing, "request_supplement", people["specialist"], items=papers)
    assert overdue(dossier, at(4, 9))


def test_waiting_for_the_fee_does_not_stop_the_clock(processing, people):
    fee = {"amount_vnd": 8000, "reason": "Lệ phí đăng ký khai sinh quá hạn"}
    dossier = act(at(2, 10), processing, "request_payment", people["specialist"], **fee)
    assert dossier.status == Status.PAYMENT and dossier.paused_at is None
    assert dossier.due_at == at(2, 17)
    assert overdue(dossier, at(3, 9))  # still unpaid the next morning: past the promised 17:00 on Monday

    # Paid at the desk on Wednesday: the dossier goes back to the specialist, the promise stays Monday's.
    dossier = act(at(4, 10), dossier, "confirm_payment", people["desk"], receipt_number="0001234")
    assert dossier.status == Status.PROCESSING and dossier.fee_pending is False
    assert dossier.due_at == at(2, 17)
    assert dossier.events.last().due_at == at(2, 17)

    dossier = act(at(4, 14), dossier, "submit_for_approval", people["specialist"])
    dossier = act(at(4, 15), dossier, "approve", people["leader"])
    assert dossier.on_time is False
