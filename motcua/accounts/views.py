from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from motcua.ratelimit import client_ip

from . import services
from .forms import SignInForm
from .signin import ask_who, log_in, next_from, next_url


def refused(response, retry_after: int):
    """A 429 that says when to come back."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request, data=request.POST or None)
    wanted = next_from(request)
    context = {"form": form, "next": wanted}
    if request.method == "POST":
        ip, username = client_ip(request), request.POST.get("username", "")
        try:
            services.check_password_allowed(ip=ip, username=username)
        except services.TooManyAttempts as exc:
            # The form is not validated (that would check the password): it is shown again, unbound.
            context["form"] = SignInForm(request, initial={"username": username[:150]})
            context["refusal"] = str(exc)
            return refused(render(request, "accounts/sign_in.html", context), exc.retry_after)
        shared = request.POST.get("shared") == "on"
        try:
            valid = form.is_valid()
        except services.SeveralPeople as several:  # the password is right for several people on the phone
            return ask_who(request, several.people, wanted=wanted, shared=shared)
        if valid:
            user = form.get_user()
            log_in(request, user, shared=form.cleaned_data["shared"])
            return redirect(next_url(request, user, wanted))
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
        return refused(_admin_page_again(request, username), exc.retry_after)
    try:
        response = admin.site.login(request, extra_context)
    except services.SeveralPeople:  # citizens sharing a phone and a password: not an administrator either
        form = AdminAuthenticationForm(request, initial={"username": username[:150]})
        messages.error(request, form.error_messages["invalid_login"] % {"username": _("tên đăng nhập")})
        response = _admin_page_again(request, username)
    if response.status_code != 302:  # the form came back: a wrong password, or not an administrator
        services.count_failed_password(ip=ip, username=username)
    return response


def _admin_page_again(request, username: str) -> TemplateResponse:
    """The admin's sign-in page again, unbound (its form is not validated: that would check a password)."""
    context = {
        **admin.site.each_context(request),
        "title": _("Đăng nhập"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        "form": AdminAuthenticationForm(request, initial={"username": username[:150]}),
        REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME, ""),
    }
    return TemplateResponse(request, "admin/login.html", context)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("/")
