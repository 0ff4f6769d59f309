from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.phones import login_key
from motcua.agencies.services import roles_of
from motcua.ratelimit import client_ip, too_many

from .forms import SignInForm


def _next_url(request, user) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return "/can-bo/" if roles_of(user) else "/ho-so/"


@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request, data=request.POST or None)
    status = 200
    if request.method == "POST":
        username = login_key(request.POST.get("username", ""))
        if too_many("signin-ip", client_ip(request), limit=30, window=900) or too_many(
            "signin-user", username, limit=10, window=900
        ):
            form = SignInForm(request)
            form.add_error(None, _("Bạn đã thử quá nhiều lần. Vui lòng đợi 15 phút rồi thử lại."))
            status = 429
        elif form.is_valid():
            login(request, form.get_user())
            return redirect(_next_url(request, form.get_user()))
    return render(
        request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")}, status=status
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("/")
