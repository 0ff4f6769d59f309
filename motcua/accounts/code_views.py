"""Ways in with a phone: register, sign in with a one-time code, "Bạn là ai?", sign out everywhere.

Every page that can fail says why in plain words and offers the other ways in (VNeID, the desk, an
officer filing for you), so that nobody is left at a dead end. No page says whether a number has an
account: asking for a code answers the same either way (`services.send_code`), and who shares a number
is shown only once its code was right ("Bạn là ai?"). `next` (where the citizen started) is kept by every
step, in the session between pages.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.ratelimit import client_ip

from . import households, services
from .forms import CodeAndPasswordForm, CodeForm, PhoneForm, RegisterForm
from .models import OneTimeCode, User
from .signin import WHO, ask_who, log_in, next_from, next_url, pending_who, safe_next
from .views import refused


def _send(request, form, *, purpose: str, template: str, wanted: str):
    """Ask for a code; the page again with a 429 when it is refused, else None."""
    try:
        services.send_code(form.cleaned_data["phone"], purpose=purpose, ip=client_ip(request))
    except services.CodeRefused as exc:
        form.add_error(None, str(exc))
        return refused(render(request, template, {"form": form, "next": wanted}), exc.retry_after)
    return None


def _signed_in(request, user: User, *, wanted: str, shared: bool, done: str = ""):
    log_in(request, user, shared=shared)
    if done:
        messages.success(request, done)
    return redirect(next_url(request, user, wanted))


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    wanted = next_from(request)
    if request.method == "POST" and form.is_valid():
        if failed := _send(
            request,
            form,
            purpose=OneTimeCode.Purpose.REGISTER,
            template="accounts/register.html",
            wanted=wanted,
        ):
            return failed
        request.session["register"] = {
            "phone": form.cleaned_data["phone"],
            "name": form.cleaned_data["full_name"],
            "next": wanted,
        }
        return redirect("accounts:register_code")
    return render(request, "accounts/register.html", {"form": form, "next": wanted})


@require_http_methods(["GET", "POST"])
def register_code(request):
    pending = request.session.get("register")
    if not pending:
        return redirect("accounts:register")
    wanted = safe_next(request, pending.get("next"))
    form = CodeAndPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.check_code(
            pending["phone"], purpose=OneTimeCode.Purpose.REGISTER, code=form.cleaned_data["code"]
        ):
            user, done = _register_proven(form, pending)
            if user is not None:
                del request.session["register"]
                return _signed_in(request, user, wanted=wanted, shared=form.cleaned_data["shared"], done=done)
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
            "next": wanted,
        },
    )


def _register_proven(form, pending) -> tuple[User | None, str]:
    """The account of the person registering, once their phone proved itself: a new one (alone on the
    number, or one more person of a household), or theirs if they had one already. (None, "") with the
    reason on the form when there is none to open."""
    try:
        user = services.register(
            phone=pending["phone"], full_name=pending["name"], password=form.cleaned_data["password"]
        )
    except services.AccountExists as exc:
        if exc.person is None:  # an officer's number
            form.add_error(
                "code", _("Tài khoản cán bộ đăng nhập bằng mật khẩu. Bạn dùng trang đăng nhập bằng mật khẩu.")
            )
            return None, ""
        if not exc.person.is_active:
            form.add_error("code", _("Tài khoản này đang bị khóa. Bạn vui lòng liên hệ bộ phận một cửa."))
            return None, ""
        # The phone proved itself, as when signing in with a code: this person's own account is opened,
        # and stays as it was.
        return exc.person, _(
            "Bạn đã có tài khoản với số điện thoại này: bạn đã đăng nhập vào tài khoản đó. "
            "Họ tên và mật khẩu của tài khoản giữ nguyên."
        )
    except services.PhoneFull as exc:
        form.add_error("code", str(exc))
        return None, ""
    sharing = User.objects.filter(phone=user.phone).exclude(pk=user.pk).count()
    if sharing:
        return user, _(
            "Đã tạo tài khoản riêng của bạn trên số điện thoại này (dùng chung với %(count)d người khác). "
            "Hồ sơ của ai người nấy xem."
        ) % {"count": sharing}
    return user, _("Đã tạo tài khoản. Bạn có thể nộp hồ sơ ngay.")


@require_http_methods(["GET", "POST"])
def sign_in_with_code(request):
    form = PhoneForm(request.POST or None)
    wanted = next_from(request)
    if request.method == "POST" and form.is_valid():
        if failed := _send(
            request,
            form,
            purpose=OneTimeCode.Purpose.SIGN_IN,
            template="accounts/sign_in_code.html",
            wanted=wanted,
        ):
            return failed
        request.session["sign_in_phone"] = form.cleaned_data["phone"]
        request.session["sign_in_next"] = wanted
        return redirect("accounts:login_code_enter")
    return render(request, "accounts/sign_in_code.html", {"form": form, "next": wanted})


@require_http_methods(["GET", "POST"])
def sign_in_code_enter(request):
    phone = request.session.get("sign_in_phone")
    if not phone:
        return redirect("accounts:login_code")
    wanted = safe_next(request, request.session.get("sign_in_next"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people = services.sign_in_with_code(phone, code=form.cleaned_data["code"])
        except services.CodeNotAccepted as exc:
            form.add_error("code", str(exc))
        else:
            del request.session["sign_in_phone"]
            request.session.pop("sign_in_next", None)
            shared = form.cleaned_data["shared"]
            if len(people) > 1:
                return ask_who(request, people, wanted=wanted, shared=shared)
            return _signed_in(request, people[0], wanted=wanted, shared=shared)
    return render(
        request,
        "accounts/code.html",
        {
            "form": form,
            "phone": services.national(phone),
            "again": "accounts:login_code",
            "title": _("Nhập mã đăng nhập"),
            "signing_in": True,
            "next": wanted,
        },
    )


@require_http_methods(["GET", "POST"])
def who(request):
    """The "Bạn là ai?" page: the people sharing the phone whose code (or password) was just right, by
    masked name; the person taps theirs. Nobody reaches it without that proof (`signin.ask_who`)."""
    pending = pending_who(request)
    if pending is None:
        messages.info(request, _("Lượt đăng nhập đã quá 10 phút. Bạn đăng nhập lại."))
        return redirect("accounts:login")
    people = list(User.objects.filter(pk__in=pending["ids"], is_active=True).order_by("pk"))
    wanted = safe_next(request, pending.get("next"))
    if request.method == "POST":
        choice = request.POST.get("nguoi", "")
        if choice.isascii() and choice.isdigit() and 1 <= int(choice) <= len(people):
            del request.session[WHO]
            return _signed_in(request, people[int(choice) - 1], wanted=wanted, shared=pending["shared"])
    return render(
        request,
        "accounts/who.html",
        {"labels": households.labels(people), "next": wanted},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def sign_out_everywhere(request):
    if request.user.is_authenticated:
        services.sign_out_everywhere(request.user)
    logout(request)
    messages.success(request, _("Đã đăng xuất trên mọi máy."))
    return redirect("/")
