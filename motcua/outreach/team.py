"""The community digital team (Tổ công nghệ số cộng đồng): officer accounts of the commune holding the
`community` role, the villages each covers (one member per village), and each member's work — the help
requests given to them, the visits they made, the dossiers they filed for people.

A member sees only their own page (`motcua.policy.own_work_only`); the desk, the leader and the
administrator see every member of their commune and say who covers which village."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua import policy
from motcua.agencies.models import Role
from motcua.dossiers.services import visible_dossiers

from .models import Cover, Entry, HelpRequest, HelpState, Village

__all__ = [
    "TeamRefused",
    "covered_villages",
    "demo_villages",
    "is_member",
    "member_for",
    "member_of",
    "open_requests",
    "members",
    "set_villages",
    "work_of",
]


class TeamRefused(Exception):
    """A change to the team the rules refuse; the message says why."""


def members(agency) -> QuerySet:
    """The active officers of `agency` holding the community role, by name."""
    return (
        get_user_model()
        .objects.filter(officer__agency=agency, groups__name=Role.COMMUNITY, is_active=True)
        .distinct()
        .order_by("full_name", "pk")
    )


def is_member(user, agency) -> bool:
    return user is not None and members(agency).filter(pk=user.pk).exists()


def member_of(village: Village):
    """The member who covers `village`, or None (the request waits for the desk)."""
    cover = Cover.objects.select_related("member").filter(village=village).first()
    if cover is None or not is_member(cover.member, village.agency):
        return None
    return cover.member


def covered_villages(member) -> QuerySet[Village]:
    return Village.objects.filter(cover__member=member)


def member_for(viewer, pk: int):
    """The member `pk` if `viewer` may open their page — a member only their own — else None (404)."""
    officer = getattr(viewer, "officer", None)
    if officer is None:
        return None
    if policy.own_work_only(officer.roles) and viewer.pk != pk:
        return None
    return members(officer.agency).filter(pk=pk).first()


def open_requests(member) -> QuerySet[HelpRequest]:
    """The requests given to `member` that are not closed, whatever other roles they hold."""
    return HelpRequest.objects.filter(assigned_to=member).exclude(state=HelpState.CLOSED)


def set_villages(member, villages: list[Village], *, agency) -> None:
    """`member` covers exactly `villages` (taken from whoever covered them before)."""
    if not is_member(member, agency):
        raise TeamRefused(_("Người này không phải thành viên Tổ công nghệ số cộng đồng của xã."))
    if any(v.agency_id != agency.pk for v in villages):
        raise TeamRefused(_("Thôn này không thuộc xã."))
    with transaction.atomic():
        Cover.objects.filter(member=member).exclude(village__in=villages).delete()
        for village in villages:
            Cover.objects.update_or_create(village=village, defaults={"member": member})


def work_of(member, *, viewer) -> dict:
    """A member's work: their open and closed help requests, their visits, the dossiers they filed (as far
    as `viewer` may see them)."""
    requests = HelpRequest.objects.filter(assigned_to=member, agency_id=member.officer.agency_id)
    return {
        "open": open_requests(member)
        .filter(agency_id=member.officer.agency_id)
        .select_related("village")
        .order_by("-priority", "created_at"),
        "closed": requests.filter(state=HelpState.CLOSED).order_by("-closed_at")[:20],
        "visits": Entry.objects.filter(
            by=member, kind=Entry.Kind.VISIT, request__agency_id=member.officer.agency_id
        )
        .select_related("request")
        .order_by("-at")[:20],
        "filed": visible_dossiers(viewer)
        .filter(filed_by=member)
        .select_related("procedure")
        .order_by("-submitted_at")[:20],
    }


def demo_villages(agency, *, names: list[str], member, covered: int) -> None:
    """The demonstration's villages (`make run`): `member` covers the first `covered` of them, the rest wait
    for the desk. Safe to run again."""
    villages = []
    for name in names:
        village = Village.objects.filter(agency=agency, name__iexact=name).first()
        villages.append(village or Village.objects.create(agency=agency, name=name))
    for village in villages[:covered]:
        Cover.objects.get_or_create(village=village, defaults={"member": member})
