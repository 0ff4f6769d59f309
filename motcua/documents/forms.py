import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.declaration import DATE_FORMATS, DateInput

from .services import REGISTER_MAX_DAYS


class RegisterForm(forms.Form):
    """The period of the dossier register (Sổ theo dõi hồ sơ), both days included."""

    tu = forms.DateField(label=_("Từ ngày"), widget=DateInput, input_formats=DATE_FORMATS)
    den = forms.DateField(label=_("Đến ngày"), widget=DateInput, input_formats=DATE_FORMATS)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu"), cleaned.get("den")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
            if end - start >= dt.timedelta(days=REGISTER_MAX_DAYS):
                raise forms.ValidationError(_("Mỗi lần in sổ tối đa một năm."))
        return cleaned
