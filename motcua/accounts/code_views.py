"""Ways in with a phone: register, sign in with a one-time code, sign out everywhere.

Every page that can fail says why in plain words and offers the other ways in (VNeID, the desk, an
officer filing for you), so that nobody is left at a dead end.
"""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.ratelimit import client_ip

from . import services
from .forms import CodeAndPasswordForm, CodeForm, PhoneForm, RegisterForm
from .models import OneTimeCode, User

BACKEND = "motcua.accounts.backends.PhoneOrUsernameBackend"


def _send(request, form, *, purpose: str, template: str, context: dict):
    try:
        services.send_code(form.cleaned_data["phone"], purpose=purpose, ip=client_ip(request))
    except services.CodeRefused as exc:
        form.add_error(None, str(exc))
        return render(request, template, {**context, "form": form}, status=429)
    return None


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        existing = User.objects.filter(phone=form.cleaned_data["phone"]).first()
        if existing is not None and existing.has_usable_password():
            form.add_error(
                "phone", _("Số điện thoại này đã có tài khoản. Bạn đăng nhập, hoặc đăng nhập bằng mã.")
            )
        elif failed := _send(
            request, form, purpose=OneTimeCode.Purpose.REGISTER, template="accounts/register.html", context={}
        ):
            return failed
        else:
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
            user = services.register(
                phone=pending["phone"], full_name=pending["name"], password=form.cleaned_data["password"]
            )
            del request.session["register"]
            login(request, user, backend=BACKEND)
            messages.success(request, _("Đã tạo tài khoản. Bạn có thể nộp hồ sơ ngay."))
            return redirect("/ho-so/")
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
        if not User.objects.filter(phone=form.cleaned_data["phone"], is_active=True).exists():
            form.add_error("phone", _("Chưa có tài khoản với số này. Bạn đăng ký trước, chỉ mất một phút."))
        elif failed := _send(
            request,
            form,
            purpose=OneTimeCode.Purpose.SIGN_IN,
            template="accounts/sign_in_code.html",
            context={},
        ):
            return failed
        else:
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
        if services.check_code(phone, purpose=OneTimeCode.Purpose.SIGN_IN, code=form.cleaned_data["code"]):
            user = User.objects.get(phone=phone)
            del request.session["sign_in_phone"]
            login(request, user, backend=BACKEND)
            return redirect("/can-bo/" if getattr(user, "officer", None) else "/ho-so/")
        form.add_error(
            "code", _("Mã chưa đúng hoặc đã hết hạn (5 phút). Bạn kiểm tra tin nhắn, hoặc xin mã mới.")
        )
    return render(
        request,
        "accounts/code.html",
        {
            "form": form,
            "phone": services.national(phone),
            "again": "accounts:login_code",
            "title": _("Nhập mã đăng nhập"),
        },
    )


@require_POST
def sign_out_everywhere(request):
    if request.user.is_authenticated:
        services.sign_out_everywhere(request.user)
    logout(request)
    messages.success(request, _("Đã đăng xuất trên mọi máy."))
    return redirect("/")
