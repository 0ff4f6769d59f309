"""Access decorators: who may open which page. Another person's dossier is always a 404."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


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
