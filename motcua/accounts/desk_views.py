"""At the one-stop desk: find a citizen's account, verify it with the chip ID card, activate it, or move it
to a new phone number. Only for the agency's own citizens (`services.citizen_of`), a new number only
against the number on the citizen's card; every change is written to the account's audit trail."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import services
from .access import officer_required
from .cccd import validate_cccd
from .models import User


class CardNumberForm(forms.Form):
    id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân trên căn cước (12 số)"), max_length=20
    )

    def clean_id_number(self):
        try:
            return validate_cccd(self.cleaned_data["id_number"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class VerifyForm(CardNumberForm):
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=500)


class NewPhoneForm(CardNumberForm):
    new_phone = forms.CharField(label=gettext_lazy("Số điện thoại mới"), max_length=20)
    note = forms.CharField(label=gettext_lazy("Lý do (mất máy, đổi số...)"), max_length=500)

    field_order = ["id_number", "new_phone", "note"]


def _this_desks(person: User, agency) -> bool:
    """The agency's own citizen, or one of no agency yet: the rule verify_at_desk and change_phone apply,
    asked before the page shows anything of the person (their name, their account's history)."""
    return services.citizen_of(person, agency) or not services._of_any_agency(person)


@officer_required
@require_http_methods(["GET", "POST"])
def citizens(request):
    phone = services.normalize_phone(request.GET.get("sdt", "") or request.POST.get("sdt", "")) or ""
    person = (
        User.objects.filter(phone=phone, officer__isnull=True, is_staff=False, is_superuser=False).first()
        if phone
        else None
    )
    if person is not None and not _this_desks(person, request.user.officer.agency):
        # Another agency's citizen: this desk neither sees their account nor changes it, and says why.
        context = {"phone": phone, "searched": True, "elsewhere": str(services._not_ours())}
        return render(request, "accounts/desk.html", context)
    verify = VerifyForm(
        request.POST if request.POST.get("viec") == "xac-thuc" else None,
        initial={"full_name": person.full_name if person else ""},
    )
    move = NewPhoneForm(request.POST if request.POST.get("viec") == "doi-so" else None)
    if request.method == "POST" and phone:
        if verify.is_bound and verify.is_valid():
            try:
                with transaction.atomic():
                    if person is None:
                        person = services.register(phone=phone, full_name=verify.cleaned_data["full_name"])
                    services.verify_at_desk(
                        person,
                        by=request.user,
                        id_number=verify.cleaned_data["id_number"],
                        note=verify.cleaned_data["note"],
                    )
            except (ValueError, services.AccountExists) as exc:
                verify.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "Đã xác thực và kích hoạt tài khoản. Người dân đăng nhập bằng mã gửi "
                        "qua tin nhắn, hoặc cán bộ nộp hồ sơ giúp ngay."
                    ),
                )
                return redirect(f"{request.path}?sdt={phone}")
        if move.is_bound and move.is_valid() and person is not None:
            try:
                services.change_phone(
                    person,
                    by=request.user,
                    new_phone=move.cleaned_data["new_phone"],
                    id_number=move.cleaned_data["id_number"],
                    note=move.cleaned_data["note"],
                )
            except ValueError as exc:
                move.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã chuyển tài khoản sang số mới. Máy cũ đã bị đăng xuất."))
                return redirect(f"{request.path}?sdt={person.phone}")
    return render(
        request,
        "accounts/desk.html",
        {
            "phone": phone,
            "searched": "sdt" in request.GET,
            "person": person,
            "verify": verify,
            "move": move,
            "events": person.account_events.select_related("by")[:20] if person else [],
        },
    )
