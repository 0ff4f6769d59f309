"""The forms of help on request: the public one on /ho-tro/, and the officers' (assign, record, close,
the villages a member covers)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.phones import normalize_phone
from motcua.text import clean_text

from .models import Entry, Outcome
from .models.help import NAME_MAX, NEED_MAX, NOTE_MAX, PHONE_OWNER_MAX

OTHER = "khac"
OWN, SOMEONE_ELSE = "cua-toi", "nguoi-khac"


def _clean(value: str) -> str:
    return " ".join(clean_text(value).split())


class HelpForm(forms.Form):
    ho_ten = forms.CharField(
        label=_("Họ và tên"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Bạn nhập họ và tên."),
            "max_length": _("Họ và tên dài quá %(limit_value)d chữ."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    dien_thoai = forms.CharField(
        label=_("Số điện thoại để cán bộ gọi lại"),
        max_length=20,
        error_messages={
            "required": _("Bạn nhập số điện thoại. Không có máy, hãy nhập số của hàng xóm, người thân.")
        },
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Ví dụ: 0905 123 456."),
    )
    so_cua = forms.ChoiceField(
        label=_("Số này của ai?"),
        choices=[(OWN, _("Số của tôi")), (SOMEONE_ELSE, _("Số của người khác (hàng xóm, người thân)"))],
        initial=OWN,
        widget=forms.RadioSelect,
    )
    chu_so = forms.CharField(
        label=_("Tên người có số này"),
        max_length=PHONE_OWNER_MAX,
        required=False,
        help_text=_("Chỉ khi là số của người khác. Ví dụ: bà Lan, hàng xóm."),
        error_messages={"max_length": _("Dài quá %(limit_value)d chữ.")},
    )
    thon = forms.ChoiceField(
        label=_("Bạn ở thôn, xóm nào?"),
        error_messages={"required": _("Bạn chọn thôn, xóm (hoặc “Thôn khác”).")},
    )
    thu_tuc = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)
    noi_dung = forms.CharField(
        label=_("Bạn cần giúp việc gì?"),
        max_length=NEED_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: làm giấy khai sinh cho cháu, không biết nộp trên điện thoại."),
        error_messages={"max_length": _("Bạn viết ngắn lại, tối đa %(limit_value)d chữ.")},
    )
    uu_tien = forms.BooleanField(
        label=_("Tôi thuộc hộ nghèo / người cao tuổi / người khuyết tật"), required=False
    )

    def __init__(self, *args, villages=(), procedure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.villages = {str(v.pk): v for v in villages}
        self.procedure = procedure
        self.fields["thon"].choices = [
            ("", _("— Chọn thôn, xóm —")),
            *[(key, v.name) for key, v in self.villages.items()],
            (OTHER, _("Thôn khác, hoặc không rõ")),
        ]
        if procedure is not None:
            self.fields["noi_dung"].label = _("Bạn cần giúp thêm điều gì?")

    def clean_ho_ten(self):
        value = _clean(self.cleaned_data["ho_ten"])
        if not value:
            raise forms.ValidationError(_("Bạn nhập họ và tên."))
        return value

    def clean_dien_thoai(self):
        phone = normalize_phone(self.cleaned_data["dien_thoai"])
        if phone is None:
            raise forms.ValidationError(_("Số điện thoại không đúng. Ví dụ: 0905 123 456."))
        return phone

    def clean_chu_so(self):
        return _clean(self.cleaned_data["chu_so"])

    def clean_noi_dung(self):
        return clean_text(self.cleaned_data["noi_dung"]).strip()

    def clean(self):
        data = super().clean()
        if data.get("so_cua") == SOMEONE_ELSE and not data.get("chu_so"):
            self.add_error("chu_so", _("Cho biết số này của ai, để cán bộ gọi đúng người."))
        if data.get("so_cua") == OWN:
            data["chu_so"] = ""
        if "noi_dung" in data and not data["noi_dung"] and self.procedure is None:
            self.add_error("noi_dung", _("Cho biết bạn cần giúp việc gì."))
        return data

    @property
    def village(self):
        return self.villages.get(self.cleaned_data.get("thon"))


class AssignForm(forms.Form):
    thanh_vien = forms.ModelChoiceField(
        label=_("Giao cho"), queryset=None, empty_label=_("— Chọn thành viên —")
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thanh_vien"].queryset = members
        self.fields["thanh_vien"].label_from_instance = lambda u: u.full_name or u.username


class RecordForm(forms.Form):
    viec = forms.ChoiceField(
        label=_("Việc đã làm"),
        choices=[
            (k, Entry.Kind(k).label)
            for k in (Entry.Kind.CALL, Entry.Kind.VISIT, Entry.Kind.FILED, Entry.Kind.NOTE)
        ],
        widget=forms.RadioSelect,
        initial=Entry.Kind.CALL,
    )
    ma_ho_so = forms.CharField(
        label=_("Mã hồ sơ đã nộp giúp"),
        max_length=40,
        required=False,
        help_text=_("Chỉ khi nộp hồ sơ giúp. Ví dụ: 000.20.44.H54-261201-0001."),
    )
    ghi_chu = forms.CharField(
        label=_("Ghi chú việc đã làm"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_ghi_chu(self):
        return clean_text(self.cleaned_data["ghi_chu"]).strip()


class CloseForm(forms.Form):
    ket_qua = forms.ChoiceField(label=_("Kết quả"), choices=[("", _("— Chọn kết quả —")), *Outcome.choices])
    ghi_chu = forms.CharField(
        label=_("Ghi chú khi kết thúc"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_ghi_chu(self):
        return clean_text(self.cleaned_data["ghi_chu"]).strip()


class CoverForm(forms.Form):
    thon = forms.ModelMultipleChoiceField(
        label=_("Thôn, xóm phụ trách"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thon"].queryset = villages
