"""The texts the accounts app sends (it sits below notifications and cannot count SMS parts itself)."""

from django.utils import translation

from motcua.accounts.models import User
from motcua.accounts.services import tell_the_household_text
from motcua.agencies.models import Agency
from motcua.notifications.texts import SMS_MAX_PARTS, sms_parts

from .test_texts import WORST


def test_a_person_added_to_a_shared_phone_is_told_in_two_parts_at_most():
    person = User(full_name=WORST["name"], id_number="045058012345")
    with translation.override("vi"):
        text = tell_the_household_text(person=person, agency=Agency(name=WORST["agency"]))

    assert text == (
        "Ủy ban nhân dân phường Đông Hà, tỉnh Quảng Trị đã thêm Nguyễn T… P… H… T… Hường dùng chung số này. "
        "Nếu sai, báo ngay bộ phận một cửa."
    )
    assert sms_parts(text) <= SMS_MAX_PARTS and len(text) <= 134, len(text)
