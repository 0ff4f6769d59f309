"""Signs of life of the background processes, for /readyz and /metrics.

`manage.py periodic` runs `tick` every minute: it records its own beat and, unless one is already waiting,
enqueues `worker_beat`, which a `db_worker` runs and records as the worker's beat. So a recent worker beat
shows the whole chain works: the loop enqueues, a worker takes tasks from the queue and runs them. With
TASKS_BACKEND=immediate the task runs inside `periodic`, the only background process then.
"""

import datetime as dt

from django.tasks import task
from django.utils import timezone

from .models import Heartbeat

PERIODIC, WORKER = "periodic", "worker"
KEEP_RESULTS = dt.timedelta(hours=1)  # the heartbeat's own finished task rows, pruned by the task


def beat(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


def last_seen(name: str) -> dt.datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("seen_at", flat=True).first()


@task()
def worker_beat() -> None:
    beat(WORKER)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        task_path=worker_beat.module_path, status="SUCCESSFUL", finished_at__lt=timezone.now() - KEEP_RESULTS
    ).delete()


def tick() -> str:
    beat(PERIODIC)
    from django_tasks_db.models import DBTaskResult

    if not DBTaskResult.objects.filter(task_path=worker_beat.module_path, status="READY").exists():
        worker_beat.enqueue()
    return ""
