"""The action catalogue: every change a dossier can go through, with all that belongs to it.

An action carries its label, where it may start and end, who may take it, the fields it asks for with the
cleaner of each (shared by the HTML forms and the API: both call `lifecycle.perform`), the notice the
citizen receives (`Notice`, or None when nobody is told) and the slips it produces (document kinds, or
none). The system check `dossiers.E001` fails at start-up when an action lacks any of them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from motcua.agencies.models import Officer, Role
from motcua.catalog.services import quote_form
from motcua.text import clean_text, format_vnd, whole_number

from .states import Status, Substate

CITIZEN = "citizen"
CLAIMANT = "claimant"  # a signed-in citizen taking a dossier filed for them into their account
SYSTEM = "system"
OFFICERS = frozenset({Role.ONESTOP, Role.SPECIALIST, Role.LEADER})
OPEN = (Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT)
FILED = tuple(s for s in Status if s != Status.DRAFT)
RESULT_METHODS = {
    "counter": gettext_lazy("tại bộ phận một cửa"),
    "post": gettext_lazy("qua bưu điện"),
    "online": gettext_lazy("trực tuyến"),
}
PAYMENT_METHODS = {
    "cash": gettext_lazy("tiền mặt"),
    "exempt": gettext_lazy("miễn phí, lệ phí"),
    "vnpay": gettext_lazy("VNPay"),
    "vietqr": gettext_lazy("chuyển khoản"),
    "paygov": gettext_lazy("Cổng thanh toán quốc gia"),
}
MAX_AMOUNT_VND = 1_000_000_000  # no commune fee comes near; bounds what a form or an IPN may bring in


class FieldError(Exception):
    """A cleaner's answer to a bad value; `perform` collects them into one `Invalid`."""


@dataclass(frozen=True)
class Context:
    """What a cleaner may look at besides its own value."""

    dossier: Any
    by: Any
    note: str
    data: dict


@dataclass(frozen=True)
class Field:
    name: str
    clean: Callable[[Any, Context], Any]
    many: bool = False  # a list: one value per line of a textarea, a JSON array in the API


@dataclass(frozen=True)
class Notice:
    """What the citizen is told. Patterns use the names of `notifications.texts` context (%(code)s, ...).

    `elastic` is the one value shortened with "…" to fit two SMS parts; `sms_undated` replaces `sms` when
    the dossier has no due date yet; `with_due` appends the promised date to the long text.
    """

    kind: str
    sms: Any  # a lazy pattern, or None: told in the account only
    long: Any
    elastic: str | None = None
    sms_undated: Any = None
    with_due: bool = False


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    sources: tuple[int, ...]
    target: int | None  # None: computed by the effect (back to where the dossier was, or unchanged)
    roles: frozenset[str]
    fields: tuple[Field, ...]
    notice: Notice | None
    slips: tuple[str, ...]
    note_required: bool = False
    substates: tuple[str, ...] | None = None  # allowed sub-states of the source, None = any
    needs_fee: bool = False  # only while a fee is asked for and not yet paid
    citizen_visible: bool = True
    check: Callable[[Context], dict[str, str]] | None = None  # errors spanning several fields
    entry: Any = None  # how a register or slip names what happened, when it reads better than the label

    @property
    def record(self):
        return self.entry or self.label


# --- cleaners ---------------------------------------------------------------------------------------------


def _text(limit: int) -> Callable[[Any, Context], str]:
    def clean(value, ctx: Context) -> str:
        return clean_text(str(value or "")).strip()[:limit]

    return clean


def _items(value, ctx: Context) -> list[str]:
    items = [clean_text(str(i)).strip()[:500] for i in value or [] if clean_text(str(i)).strip()]
    if not items:
        raise FieldError(gettext("Cần liệt kê ít nhất một giấy tờ cần bổ sung."))
    return items


def _amount(value) -> int:
    try:
        amount = int(value)
    except (TypeError, ValueError):
        amount = -1
    if amount <= 0:
        raise FieldError(gettext("Số tiền phải là số nguyên dương (đồng)."))
    if amount > MAX_AMOUNT_VND:
        raise FieldError(gettext("Số tiền quá lớn: không quá một tỷ đồng."))
    return amount


def _fee_asked(value, ctx: Context) -> int:
    """The officer's amount, or the fee the catalogue computes for the dossier when none is given.

    An amount other than the catalogue's needs the officer's reason, which the citizen reads."""
    dossier = ctx.dossier
    computed = catalogue_fee(dossier).amount_vnd
    if value in (None, ""):
        if computed <= 0:
            raise FieldError(
                gettext("Thủ tục này không có phí, lệ phí trong danh mục: ghi số tiền và lý do.")
            )
        return computed
    amount = _amount(value)
    if amount != computed and not str(ctx.data.get("reason") or "").strip():
        raise FieldError(
            gettext("Số tiền khác với mức trong danh mục (%(fee)s đồng): ghi lý do.")
            % {"fee": f"{computed:,}".replace(",", ".")}
        )
    return amount


def _fee_reason(value, ctx: Context) -> str:
    reason = _text(300)(value, ctx)
    return reason or catalogue_fee(ctx.dossier).reason


def catalogue_fee(dossier):
    """The fee the catalogue asks of this dossier (its channel, copies, on-time exemptions)."""
    filed = timezone.localtime(dossier.submitted_at or timezone.now()).date()
    channel = "online" if dossier.channel == 2 else "counter"
    return quote_form(dossier.procedure, channel=channel, form=dossier.form_data, filed_on=filed)


def _paid_amount(value, ctx: Context) -> int:
    return _amount(value) if value not in (None, "") else ctx.dossier.fee_vnd or 0


def _receipt_number(value, ctx: Context) -> str:
    receipt = _text(40)(value, ctx)
    if not receipt:
        raise FieldError(gettext("Ghi số biên lai thu tiền mặt."))
    return receipt


def _one_of(choices: dict, message) -> Callable[[Any, Context], str]:
    def clean(value, ctx: Context) -> str:
        if value not in choices:
            raise FieldError(str(message))
        return value

    return clean


def _desk_method(value, ctx: Context) -> str:
    return _one_of({"cash": 1, "exempt": 1}, gettext_lazy("Chọn tiền mặt hoặc miễn phí."))(
        value or "cash", ctx
    )


def _new_due_date(value, ctx: Context) -> dt.date:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        raise FieldError(gettext("Ngày hẹn mới phải có dạng YYYY-MM-DD.")) from None
    due = ctx.dossier.due_at
    if due and day <= timezone.localtime(due).date():
        raise FieldError(gettext("Ngày hẹn mới phải sau ngày hẹn hiện tại."))
    return day


def _assignee(value, ctx: Context) -> int | None:
    if not str(value or "").strip():
        return None
    officer = Officer.objects.filter(
        user_id=whole_number(str(value)) or 0,
        agency_id=ctx.dossier.agency_id,
        user__groups__name=Role.SPECIALIST,
    ).first()
    if officer is None:
        raise FieldError(gettext("Chọn một chuyên viên của cơ quan."))
    return officer.user_id


def _consent(value, ctx: Context) -> bool | None:
    """Someone filing online for a citizen (the community team) records the citizen's consent."""
    on_behalf = ctx.dossier.filed_by_id is not None and ctx.dossier.channel == 2
    if not on_behalf:
        return None
    if value not in (True, "on", "true", "1"):
        raise FieldError(gettext("Cần xác nhận người dân đồng ý cho bạn nộp thay."))
    return True


def _supplement_has_content(ctx: Context) -> dict[str, str]:
    if ctx.note.strip():
        return {}
    request = ctx.dossier.supplement_requests.filter(resolved_at__isnull=True).first()
    if request is None or not request.attachments.exists():
        return {"note": gettext("Bạn cần gửi ít nhất một tệp hoặc ghi lời nhắn cho cán bộ.")}
    return {}


# --- the table --------------------------------------------------------------------------------------------

S = Status
_ = gettext_lazy  # the table's words are translated when shown
PAID = Notice(
    "dossier.paid",
    _("Đã nhận %(amount)s cho hồ sơ %(code)s. Hẹn trả kết quả: %(due)s."),
    _("Đã nhận %(amount)s %(fee)s của hồ sơ %(code)s. Hồ sơ tiếp tục được giải quyết."),
    sms_undated=_("Đã nhận %(amount)s cho hồ sơ %(code)s. Hồ sơ tiếp tục được giải quyết."),
    with_due=True,
)
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "submit",
            _("Nộp hồ sơ"),
            (S.DRAFT,),
            S.NEW,
            frozenset({CITIZEN, Role.ONESTOP, Role.COMMUNITY}),
            fields=(Field("consent", _consent),),
            notice=Notice(
                "dossier.submitted",
                _(
                    "Đã nộp hồ sơ %(code)s. Ông/bà dùng mã này để tra cứu. Sẽ có tin báo khi hồ sơ được "
                    "tiếp nhận."
                ),
                _(
                    "Hồ sơ %(code)s (%(procedure)s) đã được nộp đến %(agency)s lúc %(at)s. Mã hồ sơ dùng để "
                    "tra cứu. Ông/bà sẽ nhận thông báo khi bộ phận một cửa tiếp nhận hồ sơ."
                ),
            ),
            slips=(),
        ),
        Action(
            "receive",
            _("Tiếp nhận"),
            (S.NEW,),
            S.RECEIVED,
            frozenset({Role.ONESTOP}),
            fields=(),
            notice=Notice(
                "dossier.received",
                _("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả: %(due)s."),
                _("Hồ sơ %(code)s (%(procedure)s) đã được %(agency)s tiếp nhận."),
                with_due=True,
            ),
            slips=("tiep-nhan", "kiem-soat"),
            entry=_("Tiếp nhận hồ sơ"),
        ),
        Action(
            "refuse",
            _("Từ chối tiếp nhận"),
            (S.NEW,),
            S.REFUSED,
            frozenset({Role.ONESTOP}),
            fields=(),
            note_required=True,
            notice=Notice(
                "dossier.refused",
                _("Hồ sơ %(code)s không được tiếp nhận. Lý do: %(reason)s."),
                _(
                    "Hồ sơ %(code)s (%(procedure)s) không được tiếp nhận. Lý do: %(reason)s. Ông/bà có thể "
                    "hoàn thiện và nộp lại, hoặc liên hệ bộ phận một cửa %(agency)s để được hướng dẫn."
                ),
                elastic="reason",
            ),
            slips=("tu-choi",),
        ),
        Action(
            "request_supplement",
            _("Yêu cầu bổ sung"),
            (S.NEW, S.RECEIVED, S.PROCESSING),
            S.SUPPLEMENT,
            frozenset({Role.ONESTOP, Role.SPECIALIST}),
            fields=(Field("items", _items, many=True),),
            note_required=True,
            notice=Notice(
                "dossier.supplement_requested",
                _("Hồ sơ %(code)s cần bổ sung: %(items)s. Nộp bổ sung trực tuyến hoặc tại bộ phận một cửa."),
                _(
                    "Hồ sơ %(code)s cần bổ sung giấy tờ: %(items)s. Lý do: %(reason)s. Ông/bà nộp bổ sung "
                    "trực tuyến trên trang hồ sơ hoặc tại bộ phận một cửa; thời hạn giải quyết tạm dừng "
                    "trong khi chờ bổ sung."
                ),
                elastic="items",
            ),
            slips=("bo-sung",),
            entry=_("Yêu cầu bổ sung hồ sơ"),
        ),
        Action(
            "supplement",
            _("Gửi bổ sung"),
            (S.SUPPLEMENT,),
            None,
            frozenset({CITIZEN}),
            fields=(),
            check=_supplement_has_content,
            notice=Notice(
                "dossier.supplemented",
                None,
                _("Đã nhận giấy tờ bổ sung của hồ sơ %(code)s. Hồ sơ tiếp tục được giải quyết."),
                with_due=True,
            ),
            slips=(),
            entry=_("Công dân gửi bổ sung"),
        ),
        Action(
            "forward",
            _("Chuyển chuyên viên xử lý"),
            (S.RECEIVED,),
            S.PROCESSING,
            frozenset({Role.ONESTOP}),
            fields=(Field("assignee", _assignee),),
            notice=Notice(
                "dossier.forwarded", None, _("Hồ sơ %(code)s đã được chuyển đến chuyên viên giải quyết.")
            ),
            slips=(),
        ),
        Action(
            "request_payment",
            _("Yêu cầu nộp phí, lệ phí"),
            (S.NEW, S.RECEIVED, S.PROCESSING),
            S.PAYMENT,
            frozenset({Role.ONESTOP, Role.SPECIALIST, SYSTEM}),
            fields=(Field("amount_vnd", _fee_asked), Field("reason", _fee_reason)),
            notice=Notice(
                "dossier.payment_requested",
                _(
                    "Hồ sơ %(code)s cần nộp %(amount)s. Nộp qua ứng dụng ngân hàng (quét mã VietQR) hoặc "
                    "tại bộ phận một cửa."
                ),
                _(
                    "Hồ sơ %(code)s cần nộp %(fee)s %(amount)s. Cách nộp: quét mã VietQR trên trang hồ "
                    "sơ bằng ứng dụng của bất kỳ ngân hàng nào, hoặc nộp tiền mặt tại bộ phận một cửa "
                    "%(agency)s. Thời hạn giải quyết tạm dừng đến khi nộp xong."
                ),
            ),
            slips=(),
        ),
        Action(
            "confirm_payment",
            _("Xác nhận đã nộp phí"),
            OPEN,
            None,
            frozenset({Role.ONESTOP}),
            fields=(
                Field("receipt_number", _receipt_number),
                Field("payment_method", _desk_method),
                Field("amount_vnd", _paid_amount),
            ),
            needs_fee=True,
            notice=PAID,
            slips=("bien-lai",),
        ),
        Action(
            "payment_received",
            _("Đã nộp phí, lệ phí"),
            OPEN,
            None,
            frozenset({SYSTEM}),
            fields=(
                Field("amount_vnd", _paid_amount),
                Field(
                    "payment_method",
                    _one_of(PAYMENT_METHODS, gettext_lazy("Cách thanh toán không hợp lệ.")),
                ),
            ),
            needs_fee=True,
            notice=PAID,
            slips=("bien-lai",),
        ),
        Action(
            "submit_for_approval",
            _("Trình lãnh đạo duyệt"),
            (S.PROCESSING,),
            S.PROCESSING,
            frozenset({Role.SPECIALIST}),
            fields=(),
            substates=("", Substate.REWORK, Substate.SUPPLEMENT_SENT),
            citizen_visible=False,
            notice=None,
            slips=(),
        ),
        Action(
            "approve",
            _("Duyệt"),
            (S.PROCESSING,),
            S.DONE,
            frozenset({Role.LEADER}),
            fields=(),
            substates=(Substate.AWAITING_APPROVAL,),
            notice=Notice(
                "dossier.approved",
                _(
                    "Hồ sơ %(code)s đã giải quyết xong, kết quả đã sẵn sàng. Nhận tại bộ phận một cửa, "
                    "%(address)s."
                ),
                _(
                    "Hồ sơ %(code)s (%(procedure)s) đã giải quyết xong; kết quả đã sẵn sàng. Ông/bà nhận "
                    "kết quả tại bộ phận một cửa %(agency)s, %(address)s, nhớ mang theo giấy tờ tùy thân."
                ),
                elastic="address",
            ),
            slips=(),
            entry=_("Lãnh đạo duyệt"),
        ),
        Action(
            "return_for_rework",
            _("Trả lại chuyên viên"),
            (S.PROCESSING,),
            S.PROCESSING,
            frozenset({Role.LEADER}),
            fields=(),
            note_required=True,
            substates=(Substate.AWAITING_APPROVAL,),
            citizen_visible=False,
            notice=None,
            slips=(),
            entry=_("Trả lại để xử lý lại"),
        ),
        Action(
            "stop",
            _("Dừng xử lý"),
            (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT, S.WITHDRAWN),
            S.STOPPED,
            frozenset({Role.SPECIALIST, Role.LEADER}),
            fields=(),
            note_required=True,
            notice=Notice(
                "dossier.stopped",
                _("Hồ sơ %(code)s bị dừng xử lý. Lý do: %(reason)s."),
                _(
                    "Hồ sơ %(code)s (%(procedure)s) bị dừng xử lý. Lý do: %(reason)s. Ông/bà liên hệ bộ "
                    "phận một cửa %(agency)s nếu cần được hướng dẫn."
                ),
                elastic="reason",
            ),
            slips=("dung-xu-ly",),
        ),
        Action(
            "withdraw",
            _("Rút hồ sơ"),
            OPEN,
            S.WITHDRAWN,
            frozenset({CITIZEN}),
            fields=(),
            # Texted although the citizen did it: if someone else did it from their account, they must know.
            notice=Notice(
                "dossier.withdrawn",
                _(
                    "Hồ sơ %(code)s đã được rút theo yêu cầu. Nếu ông/bà không yêu cầu, xin báo ngay bộ "
                    "phận một cửa."
                ),
                _(
                    "Hồ sơ %(code)s đã được rút theo yêu cầu của ông/bà. Nếu ông/bà không yêu cầu rút hồ "
                    "sơ, xin báo ngay cho bộ phận một cửa %(agency)s."
                ),
            ),
            slips=(),
            entry=_("Công dân rút hồ sơ"),
        ),
        Action(
            "extend",
            _("Gia hạn, hẹn lại ngày trả"),
            (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT),
            None,
            OFFICERS,
            fields=(Field("new_due_date", _new_due_date),),
            note_required=True,
            notice=Notice(
                "dossier.extended",
                _("Xin lỗi ông/bà, hồ sơ %(code)s chưa xong đúng hẹn. Hẹn trả mới: %(due)s."),
                _(
                    "Chúng tôi xin lỗi ông/bà: hồ sơ %(code)s không giải quyết được đúng hẹn. Lý do: "
                    "%(reason)s. Ngày hẹn trả mới: %(due)s."
                ),
            ),
            slips=("xin-loi",),
        ),
        Action(
            "deliver_result",
            _("Trả kết quả"),
            (S.DONE,),
            S.RETURNED,
            frozenset({Role.ONESTOP}),
            fields=(
                Field(
                    "method",
                    _one_of(
                        RESULT_METHODS,
                        gettext_lazy(
                            "Chọn cách trả kết quả: tại bộ phận một cửa, qua bưu điện hoặc trực tuyến."
                        ),
                    ),
                ),
            ),
            notice=Notice(
                "dossier.delivered",
                _("Hồ sơ %(code)s đã trả kết quả %(method)s. Cảm ơn ông/bà đã sử dụng dịch vụ công."),
                _("Hồ sơ %(code)s đã trả kết quả %(method)s. Cảm ơn ông/bà đã sử dụng dịch vụ công."),
            ),
            slips=(),
        ),
        Action(
            "claim",
            _("Nhận hồ sơ về tài khoản"),
            FILED,
            None,
            frozenset({CLAIMANT}),
            fields=(),
            notice=None,
            slips=(),
        ),
    ]
}


# Filing and claiming have their own pages and API calls; a gateway's payment is the system's. None of
# them is a button on the dossier or a generic action call.
OWN_PATHS = frozenset({"submit", "claim", "payment_received"})


def describe_facts(data: dict) -> list[str]:
    """What an event recorded, in words for an officer: '15.000 đồng', 'chuyển khoản', 'hẹn trả 04/12/2026' —
    never the stored codes ('vietqr', 'counter', 15000)."""
    words = []
    for key, value in data.items():
        if key == "amount_vnd" and value:
            words.append(format_vnd(int(value)))
        elif key == "payment_method":
            words.append(str(PAYMENT_METHODS.get(value, value)))
        elif key == "method":
            words.append(gettext("trả kết quả %(how)s") % {"how": RESULT_METHODS.get(value, value)})
        elif key == "receipt_number" and value:
            words.append(gettext("biên lai số %(n)s") % {"n": value})
        elif key == "new_due_date":
            words.append(
                gettext("hẹn trả mới %(day)s") % {"day": dt.date.fromisoformat(value).strftime("%d/%m/%Y")}
            )
        elif key == "consent" and value:
            words.append(gettext("người dân đã đồng ý nộp thay"))
        elif key == "items":
            words.append("; ".join(str(item) for item in value))
        elif key == "reason" and value:
            words.append(str(value))
    return words


def action_for_slip(kind: str) -> Action | None:
    """The action whose event a slip prints (the first in table order)."""
    return next((a for a in ACTIONS.values() if kind in a.slips), None)
