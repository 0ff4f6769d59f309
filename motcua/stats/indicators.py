"""The indicators: what each figure counts, its formula in plain Vietnamese, and where the law defines it.

Decision 766/QĐ-TTg of 23/6/2022 (Thủ tướng Chính phủ, "Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng
phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công theo thời gian thực trên
môi trường điện tử") sets the indicators in its annex; the formulas are those of the national portal's
"Mô tả công thức tính chỉ số 766". Where it defines one, `source` names the indicator; where we count
something it does not define (channels of our own, the community team, a score), `source` is empty or says
what we adapted, and the formula says what we count.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DECISION = "Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ, Phụ lục"
SUPPRESS_BELOW = 3  # a count of 1 or 2 could single a person out: shown as "<3", null in the API

COUNT, SHARE, AVERAGE = "count", "share", "average"


@dataclass(frozen=True)
class Indicator:
    key: str  # its name in the API, the CSV and the XLSX
    label: object
    formula: object
    kind: str = COUNT
    source: str = ""  # the indicator of Decision 766 it follows, e.g. "chỉ số 2.1"
    # How it is computed from a period's counters (models.COUNTERS): a count is `parts` added up; a share
    # is 100 x numerator / denominator; an average is sum / count.
    parts: tuple[str, ...] = ()
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()


RECEIVED = (
    "received_online_full",
    "received_online_partial",
    "received_community",
    "received_counter",
)
ONLINE = ("received_online_full", "received_online_partial", "received_community")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "received",
        _("Hồ sơ tiếp nhận"),
        _("Số hồ sơ được tiếp nhận trong kỳ (ngày tiếp nhận trong kỳ), mọi kênh cộng lại."),
        source="chỉ số 3.3 (mẫu số)",
        parts=RECEIVED,
    ),
    Indicator(
        "received_online_full",
        _("Nộp trực tuyến toàn trình"),
        _("Hồ sơ người dân tự nộp trực tuyến, thủ tục trực tuyến toàn trình, tiếp nhận trong kỳ."),
        source="chỉ số 3.3 (KenhThucHien = 2)",
        parts=("received_online_full",),
    ),
    Indicator(
        "received_online_partial",
        _("Nộp trực tuyến một phần"),
        _("Hồ sơ người dân tự nộp trực tuyến, thủ tục trực tuyến một phần, tiếp nhận trong kỳ."),
        source="chỉ số 3.3 (KenhThucHien = 2)",
        parts=("received_online_partial",),
    ),
    Indicator(
        "received_community",
        _("Tổ công nghệ số cộng đồng nộp giúp"),
        _("Hồ sơ tổ công nghệ số cộng đồng nộp trực tuyến thay người dân (có đồng ý), tiếp nhận trong kỳ."),
        source="chỉ số 3.3 (KenhThucHien = 2)",
        parts=("received_community",),
    ),
    Indicator(
        "received_counter",
        _("Nộp trực tiếp, qua bưu chính"),
        _("Hồ sơ nộp tại bộ phận một cửa hoặc qua bưu chính, tiếp nhận trong kỳ."),
        source="chỉ số 3.3 (KenhThucHien = 1, 3)",
        parts=("received_counter",),
    ),
    Indicator(
        "online_share",
        _("Tỷ lệ hồ sơ nộp trực tuyến (%)"),
        _(
            "= (nộp trực tuyến toàn trình + trực tuyến một phần + tổ cộng đồng nộp giúp) / hồ sơ tiếp nhận "
            "× 100%. Chưa xét điều kiện kết quả điện tử của chỉ số 3.3."
        ),
        kind=SHARE,
        source="chỉ số 3.3",
        numerator=ONLINE,
        denominator=RECEIVED,
    ),
    Indicator(
        "refused",
        _("Từ chối tiếp nhận"),
        _("Số hồ sơ bộ phận một cửa từ chối tiếp nhận trong kỳ (trạng thái 3)."),
        parts=("refused",),
    ),
    Indicator(
        "finished",
        _("Hồ sơ kết thúc xử lý"),
        _(
            "Hồ sơ đã tiếp nhận, kết thúc xử lý trong kỳ: lãnh đạo duyệt xong (trạng thái 9) hoặc dừng xử lý "
            "(trạng thái 8)."
        ),
        source="chỉ số 2.1 (mẫu số)",
        parts=("finished",),
    ),
    Indicator(
        "finished_on_time",
        _("Đúng hạn, trước hạn"),
        _(
            "Hồ sơ kết thúc xử lý trong kỳ có thời điểm kết thúc ≤ ngày hẹn trả (thời gian chờ bổ sung đã "
            "được trừ, ngày hẹn đã lùi tương ứng) và không bị yêu cầu bổ sung quá 01 lần."
        ),
        source="chỉ số 2.1",
        parts=("finished_on_time",),
    ),
    Indicator(
        "finished_late",
        _("Quá hạn"),
        _("Hồ sơ kết thúc xử lý trong kỳ sau ngày hẹn trả, hoặc bị yêu cầu bổ sung hơn 01 lần."),
        source="chỉ số 2.1",
        parts=("finished_late",),
    ),
    Indicator(
        "on_time_share",
        _("Tỷ lệ đúng hạn (%)"),
        _("= hồ sơ đúng hạn, trước hạn / hồ sơ kết thúc xử lý trong kỳ × 100%."),
        kind=SHARE,
        source="chỉ số 2.1",
        numerator=("finished_on_time",),
        denominator=("finished",),
    ),
    Indicator(
        "supplemented_twice",
        _("Yêu cầu bổ sung lần thứ hai"),
        _("Số hồ sơ bị yêu cầu bổ sung lần thứ hai trong kỳ (tính quá hạn theo chỉ số 2.1)."),
        source="chỉ số 2.1",
        parts=("supplemented_twice",),
    ),
    Indicator(
        "fee_paid",
        _("Lượt nộp phí, lệ phí"),
        _("Số lần người dân nộp phí, lệ phí trong kỳ (không tính trường hợp được miễn)."),
        parts=("fee_paid",),
    ),
    Indicator(
        "online_payment_share",
        _("Tỷ lệ thanh toán trực tuyến (%)"),
        _(
            "= lượt nộp phí trực tuyến (VNPay, chuyển khoản VietQR, Cổng thanh toán quốc gia) / lượt nộp "
            "phí, lệ phí trong kỳ × 100%."
        ),
        kind=SHARE,
        source="chỉ số 3.6 (mẫu số: lượt nộp phí, không phải mọi hồ sơ có phí)",
        numerator=("fee_paid_online",),
        denominator=("fee_paid",),
    ),
    Indicator(
        "digitised_share",
        _("Tỷ lệ hồ sơ số hóa (%)"),
        _(
            "= hồ sơ kết thúc xử lý trong kỳ có giấy tờ lưu dưới dạng tệp (nộp trực tuyến hoặc quét tại "
            "quầy) / hồ sơ kết thúc xử lý trong kỳ × 100%."
        ),
        kind=SHARE,
        source="chỉ số 4.2 (phần số hóa thành phần hồ sơ)",
        numerator=("digitised",),
        denominator=("finished",),
    ),
    Indicator(
        "ratings",
        _("Lượt đánh giá"),
        _("Số lượt người dân đánh giá mức độ hài lòng sau khi nhận kết quả, trong kỳ."),
        source="nhóm 5 (mức độ hài lòng)",
        parts=("rating_count",),
    ),
    Indicator(
        "satisfaction",
        _("Điểm hài lòng trung bình (1–5)"),
        _("= tổng điểm đánh giá chung / số lượt đánh giá trong kỳ (thang 1–5, 5 là rất hài lòng)."),
        kind=AVERAGE,
        source="nhóm 5 (mức độ hài lòng)",
        numerator=("rating_sum",),
        denominator=("rating_count",),
    ),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}

# Counts that add up to another figure: when one part is hidden, another is hidden too, so that the total
# minus the parts shown does not give it back (secondary suppression).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "received",
        ("received_online_full", "received_online_partial", "received_community", "received_counter"),
    ),
    ("finished", ("finished_on_time", "finished_late")),
)

# The states now (not a period): dossiers still in work and those past their promised date.
NOW = (
    Indicator(
        "open",
        _("Đang giải quyết"),
        _("Hồ sơ đã nộp, chưa xử lý xong, chưa trả, chưa dừng (tính đến lúc xem)."),
        source="chỉ số 2.1 (hồ sơ đang xử lý)",
    ),
    Indicator(
        "overdue",
        _("Đang quá hạn"),
        _(
            "Hồ sơ đang giải quyết đã qua ngày hẹn trả (hồ sơ đang chờ bổ sung được xét tại thời điểm "
            "yêu cầu bổ sung), tính đến lúc xem."
        ),
        source="chỉ số 2.1",
    ),
)


SHORT = "QĐ 766/QĐ-TTg"


def citation(indicator: Indicator) -> str:
    """Where the figure's definition comes from, short: the pages name the decision in full once."""
    return f"{SHORT}, {indicator.source}" if indicator.source else ""
