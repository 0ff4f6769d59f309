from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.declaration import DATE_FORMATS, DateInput

from .bulletins import MAX_CHARS
from .links import CAMPAIGN_MAX, clean_campaign


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class PosterSetForm(forms.Form):
    """Which procedures, on which paper, for which campaign: one PDF to print."""

    ma = forms.MultipleChoiceField(label=_("Thủ tục"), widget=forms.CheckboxSelectMultiple, required=False)
    kho = forms.ChoiceField(
        label=_("Khổ giấy"),
        choices=[("a4", _("Áp phích A4 (dán bảng tin)")), ("a5", _("Tờ rơi A5 (phát tận tay)"))],
        initial="a4",
        widget=forms.RadioSelect,
    )
    cd = forms.CharField(
        label=_("Chiến dịch"),
        required=False,
        max_length=CAMPAIGN_MAX,
        help_text=_("Viết liền, không dấu, nối bằng gạch ngang, ví dụ: thang-khai-sinh. Mã QR mang tên này."),
    )

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ma"].choices = [(p.code, p.name) for p in procedures]

    def clean_cd(self):
        value = self.cleaned_data["cd"].strip()
        if value and not clean_campaign(value):
            raise forms.ValidationError(_("Tên chiến dịch chỉ gồm chữ không dấu, số và gạch ngang."))
        return clean_campaign(value)


class ScriptForm(forms.Form):
    loi = forms.CharField(
        label=_("Lời bản tin"),
        max_length=MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Viết như khi đọc: số, tiền, ngày tháng và chữ viết tắt sẽ được đổi thành chữ khi lưu. "
            "Đọc khoảng 60 đến 90 giây, tối đa 2 phút."
        ),
    )


class RecordingForm(forms.Form):
    tep = forms.FileField(
        label=_("Tệp thu âm (MP3 hoặc WAV, tối đa 20 MB, không quá 2 phút)"),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/mpeg,audio/wav,.mp3,.wav"}),
    )


class VillageForm(forms.Form):
    ten = forms.CharField(label=_("Tên thôn, xóm"), max_length=100)


class BroadcastForm(forms.Form):
    thu_tuc = forms.ChoiceField(label=_("Bản tin"))
    ngay = forms.DateField(label=_("Ngày phát"), widget=DateInput, input_formats=DATE_FORMATS)
    gio = forms.TimeField(label=_("Giờ phát"), widget=TimeInput, input_formats=["%H:%M", "%H:%M:%S", "%Hh%M"])
    thon = forms.ModelMultipleChoiceField(
        label=_("Thôn"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Không chọn thôn nào là phát trên toàn xã."),
    )
    ghi_chu = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args, procedures=(), villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thu_tuc"].choices = [(p.code, p.name) for p in procedures]
        self.fields["thon"].queryset = villages
