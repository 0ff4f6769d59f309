from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, login, logout
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from motcua.agencies.services import roles_of
from motcua.ratelimit import client_ip

from . import services
from .forms import SignInForm


def _next_url(request, user) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return "/can-bo/" if roles_of(user) else "/ho-so/"


def refused(response, retry_after: int):
    """A 429 that says when to come back."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request, data=request.POST or None)
    context = {"form": form, "next": request.GET.get("next", "")}
    if request.method == "POST":
        ip, username = client_ip(request), request.POST.get("username", "")
        try:
            services.check_password_allowed(ip=ip, username=username)
        except services.TooManyAttempts as exc:
            # The form is not validated (that would check the password): it is shown again, unbound.
            context["form"] = SignInForm(request, initial={"username": username[:150]})
            context["refusal"] = str(exc)
            return refused(render(request, "accounts/sign_in.html", context), exc.retry_after)
        if form.is_valid():
            login(request, form.get_user())
            return redirect(_next_url(request, form.get_user()))
        services.count_failed_password(ip=ip, username=username)
    return render(request, "accounts/sign_in.html", context)


@never_cache
@csrf_protect
def admin_sign_in(request, extra_context=None):
    """The Django admin's sign-in page (/quan-tri/login/), under the limits of every other sign-in."""
    if request.method != "POST":
        return admin.site.login(request, extra_context)
    ip, username = client_ip(request), request.POST.get("username", "")
    try:
        services.check_password_allowed(ip=ip, username=username)
    except services.TooManyAttempts as exc:
        messages.error(request, str(exc))
        context = {
            **admin.site.each_context(request),
            "title": _("Đăng nhập"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            "form": AdminAuthenticationForm(request, initial={"username": username[:150]}),
            REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME, ""),
        }
        return refused(TemplateResponse(request, "admin/login.html", context), exc.retry_after)
    response = admin.site.login(request, extra_context)
    if response.status_code != 302:  # the form came back: a wrong password, or not an administrator
        services.count_failed_password(ip=ip, username=username)
    return response


@require_POST
def sign_out(request):
    logout(request)
    return redirect("/")
