"""What other apps may ask of agencies and officers."""

import threading
import time

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save

from .models import Agency, Body, BodyKind, Officer, Role

__all__ = [
    "agency_for",
    "body_for",
    "default_agency",
    "ensure_role_groups",
    "officers_of",
    "forget_site_agency",
    "roles_of",
    "set_officer",
    "site_agency",
]


def ensure_role_groups() -> None:
    for role in Role.values:
        Group.objects.get_or_create(name=role)


def default_agency() -> Agency | None:
    """The agency a citizen-facing page speaks for when the deployment has several."""
    from django.conf import settings

    agencies = Agency.objects.filter(is_active=True)
    if settings.DEFAULT_AGENCY_ID:
        return agencies.filter(agency_id=settings.DEFAULT_AGENCY_ID).first()
    return agencies.order_by("pk").first()


# The site agency as every page's header and footer show it: (DEFAULT_AGENCY_ID, read at, agency).
_site: tuple[str, float, Agency | None] | None = None
_site_lock = threading.Lock()
_clock = time.monotonic


def site_agency() -> Agency | None:
    """`default_agency()` for display (every page's header and footer), remembered by this process for
    SITE_AGENCY_SECONDS (30): a page does not query for it. Saving or deleting an agency forgets it at
    once in the process that saved; another process or node shows the change within SITE_AGENCY_SECONDS.
    What is written (a filing's agency) keeps asking `default_agency()`. Treat the answer as read-only:
    it is shared by the threads of the process."""
    from django.conf import settings

    global _site
    key, now, cached = settings.DEFAULT_AGENCY_ID, _clock(), _site
    if cached is not None and cached[0] == key and now - cached[1] < settings.SITE_AGENCY_SECONDS:
        return cached[2]
    agency = default_agency()
    with _site_lock:
        _site = (key, now, agency)
    return agency


def forget_site_agency(**_kwargs) -> None:
    global _site
    with _site_lock:
        _site = None


post_save.connect(forget_site_agency, sender=Agency, dispatch_uid="forget_site_agency_saved")
post_delete.connect(forget_site_agency, sender=Agency, dispatch_uid="forget_site_agency_deleted")


def agency_for(user) -> Agency | None:
    officer = getattr(user, "officer", None) if user.is_authenticated else None
    return officer.agency if officer else None


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(user.groups.values_list("name", flat=True)) & set(Role.values)


def body_for(agency: Agency, kind: str) -> Body:
    """Who decides a procedure of `kind` at `agency`, as its documents name it (`Body.for_agency`)."""
    return Body.for_agency(agency, kind)


def officers_of(agency_id: int, kind: str, *, role: str) -> QuerySet[Officer]:
    """The officers of `agency_id` who hold `role` in its body of `kind` (no body: the committee)."""
    in_body = Q(body__kind=kind)
    if kind == BodyKind.COMMITTEE:
        in_body |= Q(body__isnull=True)
    return Officer.objects.filter(in_body, agency_id=agency_id, user__groups__name=role)


@transaction.atomic
def set_officer(
    user, *, agency: Agency, roles: list[str], title: str = "", body: Body | None = None
) -> Officer:
    """Make `user` an officer of `agency` with exactly `roles`, working for its `body` (None: its People's
    Committee)."""
    if body is not None and body.agency_id != agency.pk:
        raise ValueError(f"{body} is not a body of {agency}")
    ensure_role_groups()
    officer, _ = Officer.objects.update_or_create(
        user=user, defaults={"agency": agency, "title": title, "body": body}
    )
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name__in=roles))
    user.groups.add(*Group.objects.filter(name__in=roles))
    user.is_staff = Role.ADMIN in roles or user.is_superuser
    user.save(update_fields=["is_staff"])
    return officer
