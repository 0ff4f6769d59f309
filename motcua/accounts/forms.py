from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
    error_messages = {
        "invalid_login": _(
            "Số điện thoại (hoặc tên đăng nhập) hoặc mật khẩu chưa đúng. Bạn kiểm tra lại, "
            "hoặc đến bộ phận một cửa để được giúp."
        ),
        "inactive": _("Tài khoản này đang bị khóa. Bạn vui lòng liên hệ bộ phận một cửa."),
    }
