from django.apps import AppConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _


def _forget_overrides(*, using: str = "default", **kwargs) -> None:
    from . import services

    services.clear_cache()
    # A request running alongside may reload the old rows before this transaction commits; forgetting
    # again at commit time drops that stale copy.
    transaction.on_commit(services.clear_cache, using=using)


def _forget_overrides_for_new_unit_of_work(**kwargs) -> None:
    from . import services

    # Another process (a second app-server worker, the admin on another node) may have changed the
    # table; re-reading it once per request or task keeps every process in step for one query.
    services.clear_cache()


class WorkdaysConfig(AppConfig):
    name = "motcua.workdays"
    verbose_name = _("Lịch làm việc")

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.db.models.signals import post_delete, post_save
        from django.tasks.signals import task_started

        from motcua.periodic.services import job_started

        from .models import DayOverride

        post_save.connect(_forget_overrides, sender=DayOverride, dispatch_uid="workdays.override_saved")
        post_delete.connect(_forget_overrides, sender=DayOverride, dispatch_uid="workdays.override_deleted")
        request_started.connect(_forget_overrides_for_new_unit_of_work, dispatch_uid="workdays.request")
        task_started.connect(_forget_overrides_for_new_unit_of_work, dispatch_uid="workdays.task")
        # `manage.py periodic` lives for months and serves no request: forget before each of its jobs too.
        job_started.connect(_forget_overrides_for_new_unit_of_work, dispatch_uid="workdays.periodic_job")
