"""The dossier's states: the national status codes, the sub-states of processing, the filing channels."""

from functools import cache

from django.db import models
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _


class Status(models.IntegerChoices):
    """The ten national status codes (Cổng DVC quốc gia), plus 0 for a draft that is not yet filed."""

    DRAFT = 0, _("Bản nháp")
    NEW = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    REFUSED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT = 5, _("Yêu cầu bổ sung giấy tờ")
    PAYMENT = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    DONE = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


# The dossier waits on the citizen in these statuses: papers to supplement (5), a fee to pay (6).
NEEDS_CITIZEN = (Status.SUPPLEMENT, Status.PAYMENT)
# The citizen's to-do list ("Cần bạn xử lý"): what the dossier waits on, and a result waiting to be collected
# (9), which pauses nothing: the dossier was done on time or not when it reached 9.
CITIZEN_TODO = (*NEEDS_CITIZEN, Status.DONE)

# The waits left out of the processing time, each with the text that leaves it out. While a dossier is in
# one of these statuses its clock stops (`Dossier.paused_at`), it is not overdue unless it already was when
# it stopped, and on resuming its promised date moves later by the working days it waited
# (`workdays.services.shift_for_pause`). Every other wait counts, the clock runs on:
# - the fee (6): Decision 766's on-time index subtracts the supplement time and nothing else, and neither it
#   nor Nghị định 118/2025/NĐ-CP, as far as we could read them, leaves the time to pay a fee out;
# - verification or consultation with another body: no status stops for it; an officer who cannot keep
#   the promised date apologises and sets a new one (action `extend`, Mẫu số 04 of Thông tư 03/2025).
CLOCK_STOPS: dict[int, str] = {
    Status.SUPPLEMENT: (
        "Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ (Bộ chỉ số chỉ đạo, điều hành và "
        "đánh giá chất lượng phục vụ người dân, doanh nghiệp), Phụ lục, nhóm chỉ số tiến độ, kết quả giải "
        "quyết, chỉ số 2.1 “Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn”: thời gian bổ sung hồ sơ, từ thời điểm "
        "“Yêu cầu bổ sung” đến thời điểm “hoàn thành bổ sung hồ sơ”, được trừ khỏi thời gian giải quyết; "
        "hồ sơ công dân chưa bổ sung được xét tại thời điểm yêu cầu bổ sung; yêu cầu bổ sung hơn 01 lần thì "
        "tính quá hạn (Mô tả công thức tính chỉ số 766, chỉ số 2.1)."
    ),
}
CLOSED = (Status.REFUSED, Status.STOPPED, Status.RETURNED)


class Substate(models.TextChoices):
    NONE = "", _("—")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo duyệt")
    REWORK = "rework", _("Lãnh đạo trả lại để xử lý lại")
    SUPPLEMENT_SENT = "supplement_sent", _("Công dân đã gửi bổ sung")


class Channel(models.IntegerChoices):
    """KenhThucHien of the national portal."""

    COUNTER = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Bưu chính")


def labels(choices: type[models.Choices]) -> dict:
    """The labels of `choices` in the active language, HTML-escaped, by value: for lists that write a status
    on every line (translated once per process and language, not once a line)."""
    return _labels(choices, translation.get_language())


@cache
def _labels(choices: type[models.Choices], language: str | None) -> dict:
    with translation.override(language):
        return {choice.value: str(escape(choice.label)) for choice in choices}
