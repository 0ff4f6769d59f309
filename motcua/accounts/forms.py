from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .phones import normalize_phone


def shared_device_field():
    """The tick for a phone or computer others use too: the session then ends with the browser."""
    return forms.BooleanField(label=_("Máy dùng chung (đăng xuất khi đóng trình duyệt)"), required=False)


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Số điện thoại hoặc tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    shared = shared_device_field()
    error_messages = {
        "invalid_login": _(
            "Số điện thoại (hoặc tên đăng nhập) hoặc mật khẩu chưa đúng. Bạn kiểm tra lại, "
            "hoặc đến bộ phận một cửa để được giúp."
        ),
        "inactive": _("Tài khoản này đang bị khóa. Bạn vui lòng liên hệ bộ phận một cửa."),
    }


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):

        phone = normalize_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("Số điện thoại chưa đúng. Ví dụ: 0912 345 678."))
        return phone


class RegisterForm(PhoneForm):
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 số trong tin nhắn"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    shared = shared_device_field()


class CodeAndPasswordForm(CodeForm):
    password = forms.CharField(
        label=_("Mật khẩu"),
        required=False,
        strip=False,
        help_text=_("Không bắt buộc: bỏ trống thì lần sau bạn đăng nhập bằng mã gửi qua tin nhắn."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["code", "password", "shared"]

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data["password"]
        if password:
            validate_password(password)
        return password
