"""SMS cost: Vietnamese with diacritics is UCS-2, and every template must fit two parts (134 characters)."""

import unicodedata

import pytest
from django.utils import translation

from motcua.dossiers.actions import ACTIONS
from motcua.notifications.texts import SMS_MAX_PARTS, _texts, fit_sms, sms_parts

# The longest values a real message can carry (a 13-character agency ID, a Sunday-length weekday name).
WORST = {
    "code": "000.20.44.H54-261129-0001",
    "name": "Nguyễn Thị Phương Hoàng Thanh Hường",
    "procedure": "Đăng ký khai sinh kết hợp đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "agency": "Ủy ban nhân dân phường Đông Hà, tỉnh Quảng Trị",
    "address": "Số 1 đường Hùng Vương, khu phố 3, phường Đông Hà, tỉnh Quảng Trị",
    "due": "17 giờ 00, Chủ nhật, ngày 28/12/2026",
    "amount": "1.500.000.000 đồng",
    "fee": "phí, lệ phí",
    "items": "; ".join(["Giấy chứng sinh bản chính do cơ sở y tế cấp"] * 5),
    "reason": "Người yêu cầu khai không đúng nơi sinh của trẻ, cần xác minh lại với cơ sở y tế " * 3,
    "method": "tại bộ phận một cửa",
    "status": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "at": "09:00 23/11/2026",
}


def test_a_gsm_text_is_one_part_up_to_160_characters_then_153_per_part():
    assert [sms_parts("a" * 160), sms_parts("a" * 161), sms_parts("a" * 306), sms_parts("a" * 307)] == [
        1,
        2,
        2,
        3,
    ]


def test_a_text_with_diacritics_is_one_part_up_to_70_characters_then_67_per_part():
    assert [sms_parts("ệ" * 70), sms_parts("ệ" * 71), sms_parts("ệ" * 134), sms_parts("ệ" * 135)] == [
        1,
        2,
        2,
        3,
    ]


def test_a_decomposed_letter_costs_more_so_texts_are_stored_nfc():
    decomposed = unicodedata.normalize("NFD", "ệ" * 40)

    assert (len(decomposed), sms_parts(decomposed), sms_parts("ệ" * 40)) == (120, 2, 1)


NOTICES = sorted(name for name, action in ACTIONS.items() if action.notice is not None)


@pytest.mark.parametrize("action", NOTICES)
@pytest.mark.parametrize("due", [WORST["due"], ""])
def test_every_sms_fits_two_parts_even_with_the_longest_values(action, due):
    with translation.override("vi"):
        sms, long = _texts(ACTIONS[action].notice, {**WORST, "due": due})

    if sms is not None:
        assert sms_parts(sms) <= SMS_MAX_PARTS, (len(sms), sms)
        assert len(sms) <= 134
        assert WORST["code"] in sms
    assert WORST["code"] in long


def test_the_free_text_is_cut_at_a_word_with_an_ellipsis_and_the_rest_kept():
    text = fit_sms("Hồ sơ %(code)s không được tiếp nhận. Lý do: %(reason)s.", WORST, elastic="reason")

    assert text == (
        "Hồ sơ 000.20.44.H54-261129-0001 không được tiếp nhận. Lý do: Người yêu cầu khai không đúng nơi sinh "
        "của trẻ, cần xác minh lại với cơ…"
    )


def test_a_short_free_text_is_left_whole():
    text = fit_sms(
        "Hồ sơ %(code)s bị dừng xử lý. Lý do: %(reason)s.",
        {**WORST, "reason": "Trùng hồ sơ"},
        elastic="reason",
    )

    assert text == "Hồ sơ 000.20.44.H54-261129-0001 bị dừng xử lý. Lý do: Trùng hồ sơ."
