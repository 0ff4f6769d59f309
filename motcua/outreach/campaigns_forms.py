from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.services import list_life_events, search_procedures
from motcua.dossiers.declaration import DATE_FORMATS, DateInput

from .links import clean_campaign
from .models import Campaign


class CampaignForm(forms.ModelForm):
    procedures = forms.MultipleChoiceField(
        label=_("Thủ tục giới thiệu"), widget=forms.CheckboxSelectMultiple, required=False
    )
    life_events = forms.MultipleChoiceField(
        label=_("Sự kiện cuộc sống giới thiệu"), widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Campaign
        fields = ["name", "slug", "starts_on", "ends_on", "procedures", "life_events", "message"]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "message": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "message": _(
                "Không bắt buộc. Gửi một lần đến người dân đã đăng ký nhận tin; máy thêm đường dẫn đến "
                "hướng dẫn và cách từ chối nhận tin. Tối đa 4 phần tin SMS; viết không dấu thì tin rẻ "
                "bằng một nửa."
            )
        }

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.fields["starts_on"].input_formats = DATE_FORMATS
        self.fields["ends_on"].input_formats = DATE_FORMATS
        self.fields["procedures"].choices = [(p.code, p.name) for p in search_procedures("")]
        self.fields["life_events"].choices = [(e.slug, e.name) for e in list_life_events()]
        if self.instance.has_started_sending:  # the message went out as it was
            self.fields["message"].disabled = True
        if self.instance.pk:  # printed QR codes carry it: it stays what it was
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("Đã in trên mã QR nên không đổi được.")

    def clean_slug(self):
        value = self.cleaned_data["slug"].strip()
        if not clean_campaign(value):
            raise forms.ValidationError(_("Mã chiến dịch chỉ gồm chữ không dấu, số và gạch ngang."))
        return clean_campaign(value)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        if not data.get("procedures") and not data.get("life_events"):
            self.add_error("procedures", _("Chọn ít nhất một thủ tục hoặc một sự kiện cuộc sống."))
        return data


class SendForm(forms.Form):
    """The officer confirms: this many people, this many SMS parts."""

    confirm = forms.BooleanField(label=_("Tôi đã đọc lại tin nhắn và đồng ý gửi"), required=True)
