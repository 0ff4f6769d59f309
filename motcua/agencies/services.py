"""What other apps may ask of agencies and officers."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Agency, Officer, Role

__all__ = ["agency_for", "default_agency", "ensure_role_groups", "roles_of", "set_officer"]


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


@transaction.atomic
def set_officer(user, *, agency: Agency, roles: list[str], title: str = "") -> Officer:
    """Make `user` an officer of `agency` with exactly `roles`."""
    ensure_role_groups()
    officer, _ = Officer.objects.update_or_create(user=user, defaults={"agency": agency, "title": title})
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name__in=roles))
    user.groups.add(*Group.objects.filter(name__in=roles))
    user.is_staff = Role.ADMIN in roles or user.is_superuser
    user.save(update_fields=["is_staff"])
    return officer
