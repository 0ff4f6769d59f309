"""SMS cost: Vietnamese with diacritics is UCS-2, and every template must fit two parts (134 characters)."""

import unicodedata

import pytest
from django.utils import translation

from motcua.agencies.models import OPENING_HOURS_MAX, RESULT_PLACE_MAX, Agency
from motcua.dossiers.actions import ACTIONS
from motcua.notifications.texts import SMS_MAX_PARTS, _texts, fit_sms, sms_parts

# The longest values a real message can carry (a 13-character agency ID, a Sunday-length weekday name).
WORST = {
    "code": "000.20.44.H54-261129-0001",
    "name": "Nguyễn Thị Phương Hoàng Thanh Hường",
    "procedure": "Đăng ký khai sinh kết hợp đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "agency": "Ủy ban nhân dân phường Đông Hà, tỉnh Quảng Trị",
    "address": "Số 1 đường Hùng Vương, khu phố 3, phường Đông Hà, tỉnh Quảng Trị",
    # Where and when to collect a result, as long as an agency may write them (50 and 28 characters).
    "place": "Trung tâm Phục vụ hành chính công phường Quảng Trị",
    "hours": "7h30-11h30, 13h30-17h, T2-T6",
    "due": "17 giờ 00, Chủ nhật, ngày 28/12/2026",
    "amount": "1.500.000.000 đồng",
    "fee": "phí, lệ phí",
    "items": "; ".join(["Giấy chứng sinh bản chính do cơ sở y tế cấp"] * 5),
    "reason": "Người yêu cầu khai không đúng nơi sinh của trẻ, cần xác minh lại với cơ sở y tế " * 3,
    "method": "tại bộ phận một cửa",
    "status": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "at": "09:00 23/11/2026",
    "changes": "Nguyễn Thị Phương Hoàng Thanh Hường; Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị; "
    "Trung tâm Y tế Vĩnh Linh, tỉnh Quảng Trị",
    "corrections": "Họ, chữ đệm, tên người yêu cầu: “nguyen thi phuong hoang thanh huong” thành “Nguyễn Thị "
    "Phương Hoàng Thanh Hường”",
    "paid_by": "Cổng thanh toán quốc gia",
    "refund_by": "chuyển khoản",
    "reference": "FT26333123456789",
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


# Every notice, its variants included (a filing that asks for a fee, an exemption, a refund in cash…, and
# the result given as a file to download).
NOTICES = {
    f"{name}:{key}": notice
    for name, action in sorted(ACTIONS.items())
    if action.notice is not None
    for key, notice in [
        ("", action.notice),
        *action.notice.variants.items(),
        *([("online", action.notice.online)] if action.notice.online is not None else []),
    ]
}


@pytest.mark.parametrize("notice", NOTICES)
@pytest.mark.parametrize("due", [WORST["due"], ""])
def test_every_sms_fits_two_parts_even_with_the_longest_values(notice, due):
    with translation.override("vi"):
        sms, long = _texts(NOTICES[notice], {**WORST, "due": due})

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


MONEY_NOTICES = [
    "submit:fee",
    "confirm_payment:",
    "confirm_payment:exempt",
    "payment_received:",
    "request_payment:",
    "money_received:",
    "money_received:short",
    "money_received:check",
    "refund_due:",
    "refund_due:cash",
    "refund:",
]


@pytest.mark.parametrize("notice", MONEY_NOTICES)
def test_every_money_text_says_how_much_and_what_follows_without_being_cut(notice):
    # Money texts carry no free text to shorten: the amount and the next step always arrive whole.
    with translation.override("vi"):
        sms, long = _texts(NOTICES[notice], {**WORST, "due": ""})

    assert NOTICES[notice].elastic is None and "…" not in sms
    assert (WORST["amount"] in sms or "miễn" in sms) and WORST["code"] in sms
    assert sms_parts(sms) <= SMS_MAX_PARTS


def test_the_longest_money_sms_in_parts():
    with translation.override("vi"):
        texts = [
            _texts(NOTICES[n], {**WORST, "due": d})[0] for n in MONEY_NOTICES for d in (WORST["due"], "")
        ]

    assert max(len(t) for t in texts) <= 134 and max(sms_parts(t) for t in texts) == 2


def test_the_longest_place_and_hours_an_agency_may_write_are_the_ones_checked():
    assert (len(WORST["place"]), len(WORST["hours"])) == (RESULT_PLACE_MAX, OPENING_HOURS_MAX)
    assert Agency._meta.get_field("result_place").max_length == RESULT_PLACE_MAX
    assert Agency._meta.get_field("opening_hours").max_length == OPENING_HOURS_MAX


def test_a_result_ready_says_where_and_when_whole_in_two_parts():
    with translation.override("vi"):
        sms, long = _texts(ACTIONS["approve"].notice, WORST)

    assert sms == (
        "Hồ sơ 000.20.44.H54-261129-0001 có kết quả, nhận tại Trung tâm Phục vụ hành chính công phường "
        "Quảng Trị, 7h30-11h30, 13h30-17h, T2-T6."
    )
    assert sms_parts(sms) == 2
    assert WORST["address"] in long and WORST["due"] in long


def test_every_commune_without_a_place_of_its_own_still_fits():
    """An agency that wrote no place is named by its commune: the longest ward name fits as well."""
    from vietnam_provinces import Ward

    longest = max((w for w in Ward.iter_all()), key=lambda w: len(w.name))
    agency = Agency(name="x", agency_id="000.00.00.H00", province_code=1, ward_code=longest.code.value)
    place = agency.collect_place

    assert len(place) <= RESULT_PLACE_MAX, place
    with translation.override("vi"):
        sms, _long = _texts(
            ACTIONS["approve"].notice, {**WORST, "place": place, "hours": agency.collect_hours}
        )
    assert sms_parts(sms) <= SMS_MAX_PARTS, sms
