"""The dossier's states: the national status codes, the sub-states of processing, the filing channels."""

from django.db import models
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


# The clock waits on the citizen (and pauses) in these statuses.
NEEDS_CITIZEN = (Status.SUPPLEMENT, Status.PAYMENT)
# The citizen's to-do list ("Cần bạn xử lý"): what the clock waits on, and a result waiting to be collected
# (9), which pauses nothing: the dossier was done on time or not when it reached 9.
CITIZEN_TODO = (*NEEDS_CITIZEN, Status.DONE)
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
