"""What every way in shares: where to go after signing in (`next`), signing in itself (with the session's
lifetime), and the "Bạn là ai?" step of a phone several people share.

`next` is carried through every step of every way in (the password page, the code pages, registration,
VNeID, "Bạn là ai?") and checked with `url_has_allowed_host_and_scheme` each time it is read, so that a
citizen who started from "Nộp hồ sơ trực tuyến" is back on the form afterwards, and nobody is sent off
the site.
"""

import time

from django.contrib.auth import login
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from motcua.agencies.services import roles_of

from .models import User
from .session_store import mark_shared_device

BACKEND = "motcua.accounts.backends.PhoneOrUsernameBackend"
WHO = "who"  # the session's pending choice: {"ids", "next", "shared", "until"}
WHO_LIFETIME = 600  # seconds to pick one's name after the code or the password was right


def safe_next(request, wanted: str | None) -> str:
    """`wanted` when it is a path on this site, else ''."""
    wanted = (wanted or "").strip()[:1000]
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return ""


def next_from(request) -> str:
    """The `next` of this request (a form's hidden field, or the query), checked."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def next_url(request, user, wanted: str | None = None) -> str:
    """Where `user` goes after signing in: where they started, else their own home."""
    return safe_next(request, wanted) or ("/can-bo/" if roles_of(user) else "/ho-so/")


def log_in(request, user: User, *, shared: bool = False) -> None:
    mark_shared_device(request, shared)
    login(request, user, backend=BACKEND)


def ask_who(request, people: list[User], *, wanted: str, shared: bool):
    """Several people share the proven phone (or the password): the next page asks which one is signing in.
    Only the accounts proven here can be picked, within WHO_LIFETIME seconds."""
    request.session[WHO] = {
        "ids": [person.pk for person in people],
        "next": safe_next(request, wanted),
        "shared": bool(shared),
        "until": int(time.time()) + WHO_LIFETIME,
    }
    return redirect("accounts:who")


def pending_who(request) -> dict | None:
    pending = request.session.get(WHO)
    if not pending or pending.get("until", 0) < time.time():
        request.session.pop(WHO, None)
        return None
    return pending
