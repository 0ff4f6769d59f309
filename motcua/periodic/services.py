"""Jobs that run on a schedule in the worker process, next to `db_worker`: `manage.py periodic`.

django.tasks and django-tasks-db (0.13) have no periodic scheduler, and one small loop is easier to run and
to reason about than a cron line per job. Each app registers its own jobs from its `AppConfig.ready`, so
dependencies run one way: notifications and payments import this module, it imports none of them.

A job is a function without arguments that does its whole work and may be run again at any time (an
earlier run may have died halfway). The loop outlives every failure of a job: a database that restarts
breaks the persistent connections, and the next run must find fresh ones instead of the process exiting.

One scheduler per deployment: on PostgreSQL a job runs only while this process holds the session-level
advisory lock SCHEDULER_LOCK (`is_leader`). A second `periodic` (on another machine, or enabled twice by
mistake) stands by, asking again every STANDBY_POLL seconds, and takes over when the first one's database
session ends (it stopped, died, or its connection broke). Since jobs may run twice anyway, the lock only
spares the work; nothing breaks in the moment two think they hold it.

`job_started` is sent before each job runs, as django.tasks sends `task_started`: apps that keep a
per-process copy of a table (workdays' calendar) forget it there, so the long-lived scheduler sees what
an officer changed on another node.
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections
from django.dispatch import Signal

__all__ = ["Job", "is_leader", "job_started", "register", "registered", "run"]

log = logging.getLogger(__name__)
FIRST_BACKOFF = 5.0  # seconds before a failed job runs again; doubles with each failure, up to its interval
SCHEDULER_LOCK = 0x6D6F7463  # "motc": the advisory lock key of the one running scheduler
STANDBY_POLL = 5.0  # seconds between a standing-by scheduler's tries for the lock
job_started = Signal()  # sender: the Job about to run


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    func: Callable[[], object]
    every: float  # seconds between the end of one run and the start of the next


_jobs: dict[str, Job] = {}


def register(name: str, func: Callable[[], object], *, every: float) -> Job:
    """Run `func` every `every` seconds in `manage.py periodic`. Registering a name again replaces it."""
    if every <= 0:
        raise ValueError(f"periodic job {name!r} needs a positive interval in seconds, got {every!r}")
    job = Job(name, func, every)
    _jobs[name] = job
    return job


def registered() -> dict[str, Job]:
    """The registered jobs by name, in the order the apps registered them."""
    return dict(_jobs)


def is_leader() -> bool:
    """True when this process may run the jobs: always outside PostgreSQL; on PostgreSQL while its
    session holds the advisory lock SCHEDULER_LOCK, which it takes here when nobody holds it. False
    (stand by) when another session holds it or the database cannot be asked."""
    key = getattr(settings, "PERIODIC_LOCK_KEY", SCHEDULER_LOCK)
    try:
        if connection.vendor != "postgresql":
            return True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND pid = pg_backend_pid() AND classid = 0 AND objid = %s AND objsubid = 1)"
                " THEN true ELSE pg_try_advisory_lock(%s) END",
                [key, key],
            )
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        connections.close_all()
        return False


def _run_once(job: Job, failures: int) -> tuple[bool, float]:
    """Run a job once: (succeeded, seconds until it is due again). Never raises an Exception."""
    # What Django does around a request: drop connections that are broken or past CONN_MAX_AGE, and
    # make the next query health-check a persistent one.
    close_old_connections()
    try:
        job_started.send(sender=job)
        result = job.func()
    except Exception:
        backoff = min(job.every, FIRST_BACKOFF * 2**failures)
        log.exception(
            "periodic job %s failed (%d time(s) in a row); next try in %g s", job.name, failures + 1, backoff
        )
        # A restarted or unreachable database leaves connections that would fail the next run too.
        connections.close_all()
        return False, backoff
    if result:
        log.info("periodic job %s: %s", job.name, result)
    close_old_connections()
    return True, job.every


def run(
    jobs: Iterable[Job] | None = None,
    *,
    ticks: int | None = None,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    leader: Callable[[], bool] = lambda: True,
) -> None:
    """Run every job at once, then each again `every` seconds after its run ended, forever.

    One tick runs the jobs that are due, then sleeps until the next one is. A job that raises is logged
    with its traceback, the database connections are closed, and it runs again after a back-off (5 s,
    10 s, 20 s, ... never longer than its own interval); the other jobs keep their schedule. `ticks`
    stops the loop after that many ticks (tests, or a single pass with 1); `sleep` and `clock` are
    injectable for the same reason. Before each job `leader()` must say this process is the one
    scheduler (`manage.py periodic` passes `is_leader`); when it does not, the tick ends and the loop
    asks again after STANDBY_POLL seconds.
    """
    jobs = list(registered().values() if jobs is None else jobs)
    if not jobs:
        raise ValueError("no periodic job to run")
    start = clock()
    due = dict.fromkeys((job.name for job in jobs), start)
    failures = dict.fromkeys(due, 0)
    done = 0
    leading = True
    while True:
        for job in jobs:
            if due[job.name] > clock():
                continue
            if not leader():
                if leading:
                    log.warning("periodic: another scheduler holds the lock; standing by")
                leading = False
                break
            if not leading:
                log.warning("periodic: the lock is ours; running the jobs")
            leading = True
            succeeded, wait = _run_once(job, failures[job.name])
            failures[job.name] = 0 if succeeded else failures[job.name] + 1
            due[job.name] = clock() + wait
        done += 1
        if ticks is not None and done >= ticks:
            return
        wait = min(due.values()) - clock()
        sleep(max(0.0, STANDBY_POLL if not leading else wait))
