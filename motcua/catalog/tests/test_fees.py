import pytest

from motcua.catalog.services import describe_fee, describe_time, fee_for, fee_summary

from .factories import make_procedure

pytestmark = pytest.mark.django_db

CERTIFIED_COPY_FEE = {
    "channel": "any",
    "label": "Phí chứng thực bản sao",
    "amount_vnd": 2000,
    "unit": "page",
    "later_amount_vnd": 1000,
    "later_from": 3,
    "cap_vnd": 200000,
}
RESIDENCE_FEES = [
    {"channel": "counter", "label": "Lệ phí đăng ký thường trú", "amount_vnd": 20000, "unit": "request"},
    {"channel": "online", "label": "Lệ phí đăng ký thường trú", "amount_vnd": 10000, "unit": "request"},
]


def test_a_procedure_without_fees_is_free():
    procedure = make_procedure(fees=[])
    assert fee_for(procedure, channel="online") == 0
    assert fee_summary(procedure) == "Miễn phí"
    assert [line.text for line in describe_fee(procedure)] == ["Miễn phí"]


def test_residence_registration_is_cheaper_online():
    procedure = make_procedure(fees=RESIDENCE_FEES)
    assert fee_for(procedure, channel="online") == 10000
    assert fee_for(procedure, channel="counter") == 20000


@pytest.mark.parametrize(
    ("pages", "copies", "expected"),
    [
        (1, 1, 2000),
        (2, 1, 4000),
        (3, 1, 5000),
        (10, 1, 12000),
        (2, 3, 12000),
        (500, 1, 200000),
        (500, 2, 400000),
    ],
)
def test_certified_copies_cost_less_from_page_three_and_are_capped_per_copy(pages, copies, expected):
    procedure = make_procedure(fees=[CERTIFIED_COPY_FEE])
    assert fee_for(procedure, channel="counter", pages=pages, copies=copies) == expected


def test_certified_copy_fee_is_described_in_plain_words():
    procedure = make_procedure(fees=[CERTIFIED_COPY_FEE])
    assert [line.text for line in describe_fee(procedure)] == [
        "2.000 đồng/trang; từ trang thứ 3: 1.000 đồng/trang; tối đa 200.000 đồng mỗi bản"
    ]


def test_channel_specific_fees_name_their_channel():
    procedure = make_procedure(fees=RESIDENCE_FEES)
    assert [line.text for line in describe_fee(procedure)] == [
        "Nộp tại bộ phận một cửa: 20.000 đồng",
        "Nộp trực tuyến: 10.000 đồng",
    ]
    assert fee_summary(procedure) == "từ 10.000 đồng"


def test_per_copy_fee_multiplies_by_copies():
    procedure = make_procedure(
        fees=[{"label": "Phí cấp bản sao trích lục", "amount_vnd": 8000, "unit": "copy"}]
    )
    assert fee_for(procedure, channel="online", copies=3) == 24000


def test_exempt_citizen_pays_nothing():
    procedure = make_procedure(
        fees=[{"label": "Phí cấp bản sao trích lục", "amount_vnd": 8000, "unit": "copy"}],
        exemptions=[{"category": "poor_household", "note": ""}],
    )
    assert fee_for(procedure, channel="online", exemption="poor_household") == 0
    assert fee_for(procedure, channel="online", exemption="disability") == 8000


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("same_day", 0, "Trong ngày (nộp sau 15 giờ thì nhận kết quả vào ngày làm việc tiếp theo)"),
        ("working_days", 3, "3 ngày làm việc"),
        ("hours", 8, "8 giờ làm việc"),
    ],
)
def test_processing_time_in_plain_words(kind, value, text):
    procedure = make_procedure(processing_time={"kind": kind, "value": value, "note": ""})
    assert describe_time(procedure) == text
