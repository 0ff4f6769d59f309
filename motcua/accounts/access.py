"""Who may open which page: the access policy (motcua/policy.py) applied to every request, in one place.

`PolicyMiddleware` finds the rule of the route asked for and answers before any view runs: a sign-in
page or 401 for nobody signed in, 404 for someone the rule does not admit. It marks every personal
answer `Cache-Control: private, no-store`. The decorators below are the views' own second lock (a view
reached without the middleware); they never admit anyone the table turns away.
"""

from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from motcua import policy

from .services import user_for_token

# --- who is asking ----------------------------------------------------------------------------------------


def subject_of(user) -> policy.Subject:
    """The policy's view of a user: signed in or not, their roles, their agency."""
    if user is None or not user.is_authenticated:
        return policy.ANONYMOUS
    officer = getattr(user, "officer", None)
    return policy.Subject(
        signed_in=True,
        roles=frozenset(officer.roles) if officer else frozenset(),
        agency_id=officer.agency_id if officer else None,
        staff=user.is_staff and user.is_active,
    )


def bearer_caller(request, token: str):
    """The user of an API bearer token, looked up once per request (the middleware, then the API's auth)."""
    seen = getattr(request, "_bearer", None)
    if seen is None or seen[0] != token:
        seen = request._bearer = (token, user_for_token(token))
    return seen[1]


def _bearer_token(request) -> str | None:
    # As django-ninja's HttpBearer reads it, so that both agree on who is calling.
    parts = request.headers.get("Authorization", "").split(" ")
    return " ".join(parts[1:]) if parts[0].lower() == "bearer" else None


def sign_in_needed() -> str:
    return _("Bạn cần đăng nhập: mã truy cập thiếu, sai hoặc đã hết hạn.")


# --- the one place the table is applied -------------------------------------------------------------------


class PolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        rule = policy.rule_for(match.route) if match else None
        if (rule is not None and rule.private) or _for_someone_signed_in(request, response):
            patch_cache_control(response, private=True, no_store=True)  # and drops any "public"
        return response

    def process_view(self, request, view, args, kwargs):
        match = request.resolver_match
        rule = policy.rule_for(match.route)
        api = "api" in match.namespaces
        if rule is None:  # a route nobody wrote a rule for is closed (and fails policy.E001)
            return _not_found(api)
        if rule.permission == policy.PUBLIC:
            return None
        if api:  # the API knows its callers by bearer token only, never by the session cookie
            token = _bearer_token(request)
            user = bearer_caller(request, token) if token else None
            request.user = user or AnonymousUser()
        if not request.user.is_authenticated:
            if api:
                return JsonResponse({"detail": sign_in_needed()}, status=401)
            return redirect_to_login(request.get_full_path())
        if rule.permission != policy.SIGNED_IN and not policy.allows(
            subject_of(request.user), rule.permission
        ):
            return _not_found(api)
        return None


def _not_found(api: bool):
    if api:
        return JsonResponse({"detail": _("Không tìm thấy.")}, status=404)
    raise Http404


def _for_someone_signed_in(request, response) -> bool:
    """A page that looked at who is signed in (the layout does, for its menu) was made for that person.
    Answers that set their own public caching (the receipt's QR code) never look."""
    if "public" in response.get("Cache-Control", ""):
        return False
    session = getattr(request, "session", None)
    return bool(session is not None and session.accessed and request.user.is_authenticated)


# --- the views' second lock -------------------------------------------------------------------------------


def citizen_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def officer_required(view):
    """Signed-in officers only; anyone else signed in gets a 404, as if the back office did not exist."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request.user, "officer", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
