"""The periodic loop: each job on its own interval, and no failure of a job ends the loop.

Time is a fake clock that `sleep` moves forward, so the loop runs for hours in a millisecond.
"""

import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from motcua.periodic import services
from motcua.periodic.services import Job, register, registered, run


class FakeTime:
    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time():
    return FakeTime()


def recording(fake_time, name, *, every, fail_times=0, error=OperationalError):
    """A job that records when it ran and raises `error` on its first `fail_times` runs."""
    runs: list[float] = []

    def func():
        runs.append(fake_time.now)
        if len(runs) <= fail_times:
            raise error("server closed the connection unexpectedly")
        return None

    return Job(name, func, every), runs


@pytest.fixture
def closed_connections(monkeypatch):
    calls = []
    monkeypatch.setattr(services.connections, "close_all", lambda: calls.append("close_all"))
    return calls


def test_a_job_that_dies_on_a_database_error_runs_again_and_succeeds_on_the_next_tick(
    fake_time, closed_connections, caplog
):
    job, runs = recording(fake_time, "sweep_outbox", every=60, fail_times=1)

    with caplog.at_level(logging.ERROR, logger="motcua.periodic.services"):
        run([job], ticks=3, sleep=fake_time.sleep, clock=fake_time.clock)

    assert runs == [1000.0, 1005.0, 1065.0]  # failed, 5 s back-off, succeeded, then its own interval
    assert fake_time.slept == [5.0, 60.0]
    assert closed_connections == ["close_all"]  # once, after the failure
    [record] = caplog.records
    assert record.getMessage() == "periodic job sweep_outbox failed (1 time(s) in a row); next try in 5 s"
    assert record.exc_info[0] is OperationalError  # the traceback is in the log


def test_a_job_that_keeps_failing_backs_off_longer_each_time_up_to_its_interval(
    fake_time, closed_connections
):
    job, runs = recording(fake_time, "paygov_status", every=30, fail_times=99, error=RuntimeError)

    run([job], ticks=6, sleep=fake_time.sleep, clock=fake_time.clock)

    assert fake_time.slept == [5.0, 10.0, 20.0, 30.0, 30.0]
    assert len(runs) == 6  # still running
    assert len(closed_connections) == 6


def test_each_job_keeps_its_own_interval(fake_time):
    every_minute, minute_runs = recording(fake_time, "minute", every=60)
    every_five, five_runs = recording(fake_time, "five", every=300)

    run([every_minute, every_five], ticks=7, sleep=fake_time.sleep, clock=fake_time.clock)

    assert minute_runs == [1000.0 + 60 * n for n in range(7)]
    assert five_runs == [1000.0, 1300.0]


def test_a_failing_job_does_not_delay_the_others(fake_time, closed_connections):
    broken, broken_runs = recording(fake_time, "broken", every=60, fail_times=99, error=ValueError)
    healthy, healthy_runs = recording(fake_time, "healthy", every=60)

    run([broken, healthy], ticks=5, sleep=fake_time.sleep, clock=fake_time.clock)

    assert healthy_runs == [1000.0, 1060.0]
    assert broken_runs == [1000.0, 1005.0, 1015.0, 1035.0]


def test_registering_needs_a_positive_interval():
    with pytest.raises(ValueError, match="positive interval"):
        register("never", lambda: None, every=0)
    assert "never" not in registered()


def test_the_command_refuses_an_unknown_job():
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("periodic", "--job", "no_such_job", "--ticks", "1")


def test_a_scheduler_without_the_lock_stands_by_and_runs_the_jobs_once_it_has_it(fake_time, caplog):
    job, runs = recording(fake_time, "sweep_outbox", every=60)
    answers = iter([False, False, True, True])  # another `periodic` holds the lock, then lets it go

    with caplog.at_level(logging.WARNING, logger="motcua.periodic.services"):
        run([job], ticks=4, sleep=fake_time.sleep, clock=fake_time.clock, leader=lambda: next(answers))

    assert runs == [1010.0, 1070.0]  # nothing while standing by; then on its own interval
    assert fake_time.slept == [services.STANDBY_POLL, services.STANDBY_POLL, 60.0]
    assert [r.getMessage() for r in caplog.records] == [
        "periodic: another scheduler holds the lock; standing by",
        "periodic: the lock is ours; running the jobs",
    ]


def test_a_scheduler_that_loses_the_lock_stops_running_jobs(fake_time):
    job, runs = recording(fake_time, "heartbeat", every=60)
    answers = iter([True, False, False])

    run([job], ticks=3, sleep=fake_time.sleep, clock=fake_time.clock, leader=lambda: next(answers))

    assert runs == [1000.0]


@pytest.mark.django_db
def test_without_postgresql_every_scheduler_leads():
    assert services.is_leader() is True  # SQLite: one machine, one scheduler by construction


def test_each_job_is_announced_before_it_runs(fake_time):
    job, runs = recording(fake_time, "sweep", every=60)
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender.name, len(runs)))

    services.job_started.connect(receiver)
    try:
        run([job], ticks=2, sleep=fake_time.sleep, clock=fake_time.clock, leader=lambda: True)
    finally:
        services.job_started.disconnect(receiver)

    assert seen == [("sweep", 0), ("sweep", 1)]  # each time before the job itself
