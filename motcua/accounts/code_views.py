"""Ways in with a phone: register, sign in with a one-time code, sign out everywhere.

Every page that can fail says why in plain words and offers the other ways in (VNeID, the desk, an
officer filing for you), so that nobody is left at a dead end. No page says whether a number has an
account: asking for a code answers the same either way (`services.send_code`).
"""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.ratelimit import client_ip

from . import services
from .forms import CodeAndPasswordForm, CodeForm, PhoneForm, RegisterForm
from .models import OneTimeCode
from .views import refused

BACKEND = "motcua.accounts.backends.PhoneOrUsernameBackend"


def _send(request, form, *, purpose: str, template: str):
    """Ask for a code; the page again with a 429 when it is refused, else None."""
    try:
        services.send_code(form.cleaned_data["phone"], purpose=purpose, ip=client_ip(request))
    except services.CodeRefused as exc:
        form.add_error(None, str(exc))
        return refused(render(request, template, {"form": form}), exc.retry_after)
    return None


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if failed := _send(
            request, form, purpose=OneTimeCode.Purpose.REGISTER, template="accounts/register.html"
        ):
            return failed
        request.session["register"] = {
            "phone": form.cleaned_data["phone"],
            "name": form.cleaned_data["full_name"],
        }
        return redirect("accounts:register_code")
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def register_code(request):
    pending = request.session.get("register")
    if not pending:
        return redirect("accounts:register")
    form = CodeAndPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.check_code(
            pending["phone"], purpose=OneTimeCode.Purpose.REGISTER, code=form.cleaned_data["code"]
        ):
            try:
                user = services.register(
                    phone=pending["phone"], full_name=pending["name"], password=form.cleaned_data["password"]
                )
                done = _("Đã tạo tài khoản. Bạn có thể nộp hồ sơ ngay.")
            except services.AccountExists:
                # The phone proved itself, as when signing in with a code: its citizen is signed in, and
                # the account stays as it was.
                try:
                    user = services.citizen_for_phone(pending["phone"])
                except services.CodeNotAccepted as exc:
                    form.add_error("code", str(exc))
                    user = None
                done = _(
                    "Số điện thoại này đã có tài khoản: bạn đã đăng nhập vào tài khoản đó. "
                    "Họ tên và mật khẩu của tài khoản giữ nguyên."
                )
            if user is not None:
                del request.session["register"]
                login(request, user, backend=BACKEND)
                messages.success(request, done)
                return redirect("/ho-so/")
        else:
            form.add_error(
                "code", _("Mã chưa đúng hoặc đã hết hạn (5 phút). Bạn kiểm tra tin nhắn, hoặc xin mã mới.")
            )
    return render(
        request,
        "accounts/code.html",
        {
            "form": form,
            "phone": services.national(pending["phone"]),
            "again": "accounts:register",
            "title": _("Nhập mã xác thực"),
        },
    )


@require_http_methods(["GET", "POST"])
def sign_in_with_code(request):
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if failed := _send(
            request, form, purpose=OneTimeCode.Purpose.SIGN_IN, template="accounts/sign_in_code.html"
        ):
            return failed
        request.session["sign_in_phone"] = form.cleaned_data["phone"]
        return redirect("accounts:login_code_enter")
    return render(request, "accounts/sign_in_code.html", {"form": form})


@require_http_methods(["GET", "POST"])
def sign_in_code_enter(request):
    phone = request.session.get("sign_in_phone")
    if not phone:
        return redirect("accounts:login_code")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in_with_code(phone, code=form.cleaned_data["code"])
        except services.CodeNotAccepted as exc:
            form.add_error("code", str(exc))
        else:
            del request.session["sign_in_phone"]
            login(request, user, backend=BACKEND)
            return redirect("/ho-so/")
    return render(
        request,
        "accounts/code.html",
        {
            "form": form,
            "phone": services.national(phone),
            "again": "accounts:login_code",
            "title": _("Nhập mã đăng nhập"),
            "signing_in": True,
        },
    )


@require_POST
def sign_out_everywhere(request):
    if request.user.is_authenticated:
        services.sign_out_everywhere(request.user)
    logout(request)
    messages.success(request, _("Đã đăng xuất trên mọi máy."))
    return redirect("/")
