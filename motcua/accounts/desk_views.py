"""At the one-stop desk: find the accounts on a phone number, verify one with the chip ID card, activate it,
move it to a new phone number, or add one more person to a household's shared phone. Only for the
agency's own citizens (`services.citizen_of`), a new number only against the number on the citizen's
card, a new person on a shared phone only with their card; every change is written to the account's
audit trail."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import households, services
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


class AddPersonForm(CardNumberForm):
    full_name = forms.CharField(label=gettext_lazy("Họ và tên (như trên căn cước)"), max_length=150)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=500)

    field_order = ["full_name", "id_number", "note"]


def _this_desks(person: User, agency) -> bool:
    """The agency's own citizen, or one of no agency yet: the rule verify_at_desk and change_phone apply,
    asked before the page shows anything of the person (their name, their account's history)."""
    return services.citizen_of(person, agency) or not services._of_any_agency(person)


@officer_required
@require_http_methods(["GET", "POST"])
def citizens(request):
    agency = request.user.officer.agency
    phone = services.normalize_phone(request.GET.get("sdt", "") or request.POST.get("sdt", "")) or ""
    people = [p for p in households.holders(phone) if not households.is_officer(p)]
    ours = [p for p in people if _this_desks(p, agency)]
    chosen = request.POST.get("nguoi") or request.GET.get("nguoi") or ""
    person = next((p for p in ours if str(p.pk) == chosen), ours[0] if ours else None)
    # Three forms on one page: each its own element ids (auto_id), the same field names.
    verify = VerifyForm(
        request.POST if request.POST.get("viec") == "xac-thuc" else None,
        initial={"full_name": person.full_name if person else ""},
        auto_id="xac-thuc-%s",
    )
    move = NewPhoneForm(request.POST if request.POST.get("viec") == "doi-so" else None, auto_id="doi-so-%s")
    add = AddPersonForm(request.POST if request.POST.get("viec") == "them-nguoi" else None, auto_id="them-%s")
    if request.method == "POST" and phone:
        if verify.is_bound and verify.is_valid() and (person is not None or not people):
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
                return redirect(f"{request.path}?sdt={phone}&nguoi={person.pk}")
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
                return redirect(f"{request.path}?sdt={person.phone}&nguoi={person.pk}")
        if add.is_bound and add.is_valid() and people:
            try:
                added = services.add_person_at_desk(
                    phone=phone,
                    by=request.user,
                    full_name=add.cleaned_data["full_name"],
                    id_number=add.cleaned_data["id_number"],
                    note=add.cleaned_data["note"],
                )
            except ValueError as exc:
                add.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "Đã thêm tài khoản riêng cho người này trên số điện thoại dùng chung, và nhắn tin "
                        "báo số đó. Người này đăng nhập bằng mã gửi về số đó, rồi chọn tên mình."
                    ),
                )
                return redirect(f"{request.path}?sdt={phone}&nguoi={added.pk}")
    return render(
        request,
        "accounts/desk.html",
        {
            "phone": phone,
            "searched": "sdt" in request.GET,
            # Another agency's citizens: this desk neither sees their accounts nor changes them, and says why.
            "elsewhere": str(services._not_ours()) if people and not ours else "",
            "others": len(people) - len(ours),
            "people": ours,
            "person": person,
            "shared": bool(people),
            "verify": verify,
            "move": move,
            "add": add,
            "limit": households.people_per_phone(),
            "events": person.account_events.select_related("by")[:20] if person else [],
        },
    )
