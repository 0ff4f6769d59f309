"""What other apps may ask of agencies and officers."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q, QuerySet

from .models import Agency, Body, BodyKind, Officer, Role

__all__ = [
    "agency_for",
    "body_for",
    "default_agency",
    "ensure_role_groups",
    "officers_of",
    "roles_of",
    "set_officer",
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
