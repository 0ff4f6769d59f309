from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.services import national

from .models import Channel


class ChannelForm(forms.Form):
    """One choice, kept simple for everyone: where the messages go first; SMS is the fallback."""

    first = forms.ChoiceField(label=gettext_lazy("Nhận thông báo qua"), widget=forms.RadioSelect)
    news = forms.BooleanField(
        label=gettext_lazy(
            "Nhận tin nhắn giới thiệu dịch vụ công trực tuyến mới của xã (vài tin mỗi năm; "
            "mỗi tin có cách từ chối)"
        ),
        required=False,
    )

    def __init__(self, *args, user, usable: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices = []
        phone = national(user.phone) if user.phone else ""
        if phone and Channel.SMS in usable:
            choices.append((Channel.SMS, _("Tin nhắn SMS đến số %(phone)s") % {"phone": phone}))
        if phone and Channel.ZALO in usable:
            choices.append(
                (Channel.ZALO, _("Zalo của số %(phone)s (không gửi được thì nhắn SMS)") % {"phone": phone})
            )
        if user.email and Channel.EMAIL in usable:
            choices.append(
                (
                    Channel.EMAIL,
                    _("Thư điện tử %(email)s (không gửi được thì nhắn SMS)") % {"email": user.email},
                )
            )
        choices.append((Channel.INAPP, _("Chỉ xem trong tài khoản, không nhắn tin")))
        self.fields["first"].choices = choices

    def channels(self) -> list[str]:
        first = self.cleaned_data["first"]
        if first == Channel.INAPP:
            return [Channel.INAPP]
        fallback = [Channel.SMS] if first != Channel.SMS and self.user.phone else []
        return [Channel.INAPP, first, *fallback]
