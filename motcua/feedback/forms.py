from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.satisfaction import CRITERIA, MAX_COMMENT, SCORE_WORDS

from .models import Kind
from .services import MAX_NAME, MAX_TEXT

CHOOSE_KIND = _("Chọn phản ánh hoặc kiến nghị.")


class FeedbackForm(forms.Form):
    """The public form; the service checks the values again (one path) and names each bad field."""

    kind = forms.ChoiceField(
        label=_("Bạn muốn gửi"),
        choices=Kind.choices,
        initial=Kind.COMPLAINT,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_KIND, "invalid_choice": CHOOSE_KIND},
    )
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ (nếu phản ánh về một hồ sơ)"),
        help_text=_("In trên giấy hẹn, ví dụ 000.20.44.H54-261120-0001."),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    text = forms.CharField(
        label=_("Nội dung"),
        help_text=_("Việc gì, ở đâu, khi nào; bạn mong cơ quan làm gì."),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Bạn ghi rõ nội dung phản ánh, kiến nghị (ít nhất 10 ký tự).")},
    )
    file = forms.FileField(
        label=_("Ảnh hoặc tệp PDF kèm theo"),
        help_text=_("Một tệp JPG, PNG, WEBP hoặc PDF, tối đa 5 MB."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    name = forms.CharField(
        label=_("Họ tên"),
        max_length=MAX_NAME,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Cần ghi họ tên để cơ quan trả lời bạn.")},
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        help_text=_("Để nhận tin nhắn khi cơ quan nhận và trả lời. Không công khai."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Cần ghi số điện thoại để nhận tin nhắn trả lời.")},
    )
    consent = forms.BooleanField(
        label=_("Tôi đồng ý công khai câu hỏi và câu trả lời (không kèm họ tên, số điện thoại)"),
        required=False,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Câu trả lời"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    public_question = forms.CharField(
        label=_("Câu hỏi để công khai"),
        help_text=_(
            "Bỏ họ tên, số điện thoại, địa chỉ, số giấy tờ và mọi chi tiết cho biết người gửi là ai."
        ),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    publish = forms.BooleanField(
        label=_("Công khai câu hỏi và câu trả lời trên trang Phản ánh"), required=False
    )


def rating_choices():
    return [(str(n), f"{n} – {SCORE_WORDS[n]}") for n in SCORE_WORDS]


def criteria_rows(posted=None):
    """Each criterion with its name, its label and the value posted (to keep a choice on an error)."""
    posted = posted or {}
    return [
        {"slug": slug, "name": f"tc-{slug}", "label": label, "value": posted.get(f"tc-{slug}", "")}
        for slug, (_index, label) in CRITERIA.items()
    ]


def posted_rating(post) -> tuple[str, dict, str]:
    """(score, criteria, comment) as posted: the action's cleaners check them."""
    criteria = {slug: post.get(f"tc-{slug}", "") for slug in CRITERIA if post.get(f"tc-{slug}", "")}
    return post.get("score", ""), criteria, post.get("comment", "")[: MAX_COMMENT + 1]
