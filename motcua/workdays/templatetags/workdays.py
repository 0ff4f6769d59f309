"""`{% year_to_confirm_notice %}`: the back office's December reminder that next year's calendar awaits."""

from django import template

from motcua import policy

from ..services import year_to_confirm

register = template.Library()


# Those who answer for the calendar: the leader who signs the promised dates, the administrator who keeps it.
AUDIENCE = frozenset({policy.LEADER, policy.ADMIN})


@register.inclusion_tag("workdays/_year_to_confirm.html", takes_context=True)
def year_to_confirm_notice(context) -> dict:
    """For an agency's leaders and administrators, from 1 December while any day of next year is
    unconfirmed; nothing, and no query, for anyone else or in any other month."""
    request = context.get("request")
    user = getattr(request, "user", None)
    officer = getattr(user, "officer", None) if user is not None and user.is_authenticated else None
    if officer is None or not officer.roles & AUDIENCE:
        return {}
    return {"year": year_to_confirm(), "staff": user.is_staff}
