"""The action catalogue: every change a dossier can go through, with all that belongs to it.

An action carries its label, where it may start and end, who may take it, the fields it asks for with the
cleaner of each (shared by the HTML forms and the API: both call `lifecycle.perform`), the notice the
citizen receives (`Notice`, or None when nobody is told) and the slips it produces (document kinds, or
none). The system check `dossiers.E001` fails at start-up when an action lacks any of them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from motcua.agencies.models import Role
from motcua.agencies.services import officers_of
from motcua.catalog.services import quote_form
from motcua.text import clean_text, format_vnd, whole_number

from .declaration import clean_form, display
from .errors import Invalid
from .satisfaction import MAX_COMMENT, BadRating, criteria_of, score_of
from .states import Status, Substate

CITIZEN = "citizen"
CLAIMANT = "claimant"  # a signed-in citizen taking a dossier filed for them into their account
SYSTEM = "system"
OFFICERS = frozenset({Role.ONESTOP, Role.SPECIALIST, Role.LEADER})
# Who may download a dossier's result file: the citizen who owns it and the officers of its agency. A
# volunteer of the community team files for people; the result is the person's own paper, not theirs.
RESULT_READERS = frozenset({CITIZEN, *OFFICERS, Role.ADMIN})
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
# How an officer gave money back (the refund of a fee paid for a dossier that ended without a result).
REFUND_METHODS = {
    "transfer": gettext_lazy("chuyển khoản"),
    "cash": gettext_lazy("tiền mặt"),
}
# Money that came in but did not simply pay the fee asked, as the citizen is told about it: less than the
# fee (`short`), money to give back (`extra`: too much, twice, or for a fee no longer asked), or money
# a gateway holds or reported with another amount, which an officer checks first (`check`).
MONEY_PROBLEM_WORDS = {
    "short": gettext_lazy("chưa đủ số phí phải nộp"),
    "extra": gettext_lazy("khoản không phải nộp, cần hoàn trả"),
    "check": gettext_lazy("cổng thanh toán cần kiểm tra"),
}
MAX_AMOUNT_VND = 1_000_000_000  # no commune fee comes near; bounds what a form or an IPN may bring in
MAX_RESULT_FILES = 5  # a birth certificate and its extracts, a few certified copies: never more


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
    file: bool = False  # an uploaded file (a multipart form), not text


@dataclass(frozen=True)
class Notice:
    """What the citizen is told. Patterns use the names of `notifications.texts` context (%(code)s, ...).

    `elastic` is the one value shortened with "…" to fit two SMS parts; `sms_undated` replaces `sms` when
    the dossier has no due date yet; `with_due` appends the promised date to the long text.

    `variants` are other notices for the same action, chosen by `pick(event.data)` (a key of `variants`, or
    "" for this one): a filing that asks for a fee, an exemption rather than a payment, cash rather than a
    transfer to give back.
    """

    kind: str
    sms: Any  # a lazy pattern, or None: told in the account only
    long: Any
    elastic: str | None = None
    sms_undated: Any = None
    with_due: bool = False
    online: "Notice | None" = None  # said instead when the event attached a result file to download
    variants: dict[str, "Notice"] = field(default_factory=dict)
    pick: Callable[[dict], str] | None = None

    def for_data(self, data: dict) -> "Notice":
        """The notice an event with these recorded fields gets (this one, or one of its variants)."""
        key = self.pick(data) if self.pick is not None else ""
        return self.variants.get(key, self)

    def every(self) -> list["Notice"]:
        """This notice and all its variants (for the checks and the tests of every text)."""
        return [self, *self.variants.values()]


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
    # A condition on the dossier besides its status (None: always), and what the refusal says otherwise.
    applies: Callable[[Any], bool] | None = None
    refusal: Any = None

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
    exemption = None
    if dossier.bundle_id:  # a part of a joined-up filing may be exempt as such (a child's residence)
        part = dossier.bundle.procedure.parts.filter(order=dossier.part).first()
        exemption = part.exemption if part is not None else None
    return quote_form(
        dossier.procedure, channel=channel, form=dossier.form_data, filed_on=filed, exemption=exemption
    )


def _paid_amount(value, ctx: Context) -> int:
    return _amount(value) if value not in (None, "") else ctx.dossier.fee_vnd or 0


def _money_in(value, ctx: Context) -> int:
    return _amount(value)


def _refund_reference(value, ctx: Context) -> str:
    reference = _text(80)(value, ctx)
    if not reference:
        raise FieldError(gettext("Ghi mã giao dịch chuyển khoản hoặc số phiếu chi tiền mặt."))
    return reference


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
    # A specialist of the body that decides the procedure: residence goes to the commune police's.
    dossier = ctx.dossier
    officer = (
        officers_of(dossier.agency_id, dossier.procedure.executing_body, role=Role.SPECIALIST)
        .filter(user_id=whole_number(str(value)) or 0)
        .first()
    )
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


def _score(value, ctx: Context) -> int:
    try:
        return score_of(value)
    except BadRating as error:
        raise FieldError(str(error)) from None


def _criteria(value, ctx: Context) -> dict[str, int]:
    try:
        return criteria_of(value)
    except BadRating as error:
        raise FieldError(str(error)) from None


def _short_comment(ctx: Context) -> dict[str, str]:
    if len(ctx.note) > MAX_COMMENT:
        return {
            "note": gettext("Ý kiến không quá %(n)s ký tự.") % {"n": f"{MAX_COMMENT:,}".replace(",", ".")}
        }
    return {}


def not_rated(dossier) -> bool:
    """A dossier is rated once: the event `rate` is looked for under the dossier's lock (`perform`)."""
    return not dossier.events.filter(action="rate").exists()


# The applicant's fields of a dossier that the desk may correct with the declaration: the slips print them.
APPLICANT_FIELDS = {
    "applicant_name": (gettext_lazy("Họ tên người nộp"), 150),
    "applicant_address": (gettext_lazy("Địa chỉ người nộp"), 255),
}


def _corrections(value, ctx: Context) -> list[dict]:
    """The declaration as the desk corrected it, checked as at filing, compared with what the dossier holds.

    `value` (the field `form`) holds the answers that change — the page posts them all, an API client may
    send only some; an empty answer clears one. `applicant_name` and `applicant_address` correct the
    applicant's name and address that the slips print. The answer is one change per field that differs:
    its `field` ("form.<name>" or "applicant.<name>"), `label`, `old` and `new` in words, and the `value`
    to store (the effect keeps it out of the event). Nothing changed is an error.
    """
    with translation.override("vi"):  # the event is a record: in Vietnamese, whoever reads it
        return _changes(value, ctx)


def _changes(value, ctx: Context) -> list[dict]:
    dossier = ctx.dossier
    if value is not None and not isinstance(value, dict):
        raise FieldError(gettext("Tờ khai gửi lên không đúng dạng."))
    specs = {spec.name: spec for spec in dossier.procedure.form_fields.all()}
    current = dossier.form_data or {}
    given = {k: v for k, v in (value or {}).items() if k in specs}
    # The desk compares the declaration with the papers: a name it leaves without diacritics is its call.
    corrected = clean_form(dossier.procedure, {**current, **given}, officer_checked=True) if specs else {}
    changes = []
    for name, spec in specs.items():
        old, new = current.get(name), corrected.get(name)
        if display(spec, old) != display(spec, new):
            changes.append(
                {
                    "field": f"form.{name}",
                    "label": spec.label,
                    "old": display(spec, old),
                    "new": display(spec, new),
                    "value": new,
                }
            )
    errors = {}
    for name, (label, limit) in APPLICANT_FIELDS.items():
        if ctx.data.get(name) is None:
            continue
        old, new = getattr(dossier, name), clean_text(str(ctx.data[name])).strip()
        if name == "applicant_name" and not new:
            errors[name] = gettext("Cần ghi họ tên người nộp.")
        elif len(new) > limit:
            errors[name] = gettext("Không quá %(n)s ký tự.") % {"n": limit}
        elif new != old:
            changes.append(
                {"field": f"applicant.{name}", "label": str(label), "old": old, "new": new, "value": new}
            )
    if errors:
        raise Invalid(errors)
    if not changes:
        raise FieldError(gettext("Tờ khai không có gì thay đổi."))
    return changes


def describe_changes(changes, *, with_old: bool) -> str:
    """Changes of a declaration in words: the new values alone for a text message ('Nguyễn Văn An; Thôn 3'),
    'Họ tên: “nguyen van an” thành “Nguyễn Văn An”' with the labels and the old values."""
    parts = []
    for change in changes or []:
        new = change.get("new") or gettext("(bỏ trống)")
        if with_old:
            old = change.get("old") or gettext("(trống)")
            parts.append(
                gettext("%(label)s: “%(old)s” thành “%(new)s”")
                % {"label": change.get("label", ""), "old": old, "new": new}
            )
        else:
            parts.append(new)
    return "; ".join(parts)


@dataclass
class Upload:
    """A file posted to a `file` field, checked by `perform` as every upload is (PDF or a photo by its
    sniffed type, at most 10 MB) before the field's cleaner sees it. Not yet stored: the action's effect
    stores it (`stored`) and records its row; `perform` discards it if the action fails."""

    upload: Any
    name: str
    content_type: str
    ext: str
    size: int
    sha256: str
    stored: Any = None  # the FieldFile once written

    def discard(self) -> None:
        if self.stored:
            self.stored.delete(save=False)
            self.stored = None


def has_online_result(dossier) -> bool:
    """The result can be given as a file: the procedure is filed online (its guide promises an electronic
    copy to those who file online); an in-person procedure's result is the paper with the seal."""
    return dossier.procedure.is_online


def _result_file(value, ctx: Context) -> Upload:
    if not isinstance(value, Upload):
        raise FieldError(gettext("Chọn tệp kết quả (PDF hoặc ảnh chụp, tối đa 10 MB)."))
    if not has_online_result(ctx.dossier):
        raise FieldError(gettext("Thủ tục này trả kết quả bản giấy tại bộ phận một cửa, không kèm tệp."))
    if ctx.dossier.result_files.count() >= MAX_RESULT_FILES:
        raise FieldError(gettext("Hồ sơ đã có %(n)s tệp kết quả, không nhận thêm.") % {"n": MAX_RESULT_FILES})
    return value


def _optional_result_file(value, ctx: Context) -> Upload | None:
    return None if value in (None, "") else _result_file(value, ctx)


def _online_needs_a_file(ctx: Context) -> dict[str, str]:
    if ctx.data.get("method") == "online" and not ctx.dossier.result_files.exists():
        return {
            "method": gettext(
                "Chưa có tệp kết quả: đính kèm kết quả trước khi trả trực tuyến, hoặc chọn cách trả khác."
            )
        }
    return {}


def earlier_part_done(dossier) -> bool:
    """A part of a joined-up filing that waits for another part's result (the birth certificate) is received
    only once that part is done (status 9 or 10); any other dossier at once."""
    return dossier.waits_for_id is None or dossier.waits_for.status in (Status.DONE, Status.RETURNED)


def has_no_phone(dossier) -> bool:
    """A claim code stands in for the phone of a person who has none; one with a phone gets codes by SMS."""
    return not dossier.applicant_phone


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
RESULT_ONLINE = Notice(
    "dossier.result_online",
    _("Hồ sơ %(code)s đã có kết quả điện tử: tải về ở mục Hồ sơ của tôi. Bản giấy nhận tại bộ phận một cửa."),
    _(
        "Hồ sơ %(code)s (%(procedure)s) đã có kết quả điện tử. Ông/bà đăng nhập, mở mục “Hồ sơ của tôi” để "
        "tải về. Bản giấy vẫn được giữ tại %(place)s (%(address)s); ông/bà đến nhận %(hours)s, nhớ mang "
        "theo giấy tờ tùy thân."
    ),
)
PAID = Notice(
    "dossier.paid",
    _("Đã nhận %(amount)s cho hồ sơ %(code)s. Hẹn trả kết quả: %(due)s."),
    _(
        "Đã nhận %(amount)s %(fee)s của hồ sơ %(code)s (%(paid_by)s). Biên lai có trong mục văn bản "
        "của hồ sơ. Hồ sơ tiếp tục được giải quyết."
    ),
    sms_undated=_("Đã nhận %(amount)s cho hồ sơ %(code)s (%(paid_by)s). Hồ sơ tiếp tục được giải quyết."),
    with_due=True,
    variants={
        "exempt": Notice(
            "dossier.exempted",
            _("Hồ sơ %(code)s được miễn phí, lệ phí. Hẹn trả kết quả: %(due)s."),
            _(
                "Hồ sơ %(code)s được miễn phí, lệ phí (%(reason)s): ông/bà không phải nộp tiền. Hồ sơ "
                "tiếp tục được giải quyết."
            ),
            sms_undated=_(
                "Hồ sơ %(code)s được miễn phí, lệ phí, ông/bà không phải nộp tiền. Hồ sơ tiếp tục được "
                "giải quyết."
            ),
            with_due=True,
        )
    },
    pick=lambda data: "exempt" if data.get("payment_method") == "exempt" else "",
)
STOPPED = Notice(
    "dossier.stopped",
    _("Hồ sơ %(code)s bị dừng xử lý. Lý do: %(reason)s."),
    _(
        "Hồ sơ %(code)s (%(procedure)s) bị dừng xử lý. Lý do: %(reason)s. Ông/bà liên hệ bộ "
        "phận một cửa %(agency)s nếu cần được hướng dẫn."
    ),
    elastic="reason",
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
                # A procedure with a fee asks for it at filing: the citizen must hear of it at once.
                variants={
                    "fee": Notice(
                        "dossier.submitted_fee",
                        _(
                            "Đã nộp hồ sơ %(code)s. Cần nộp %(amount)s: quét mã VietQR trên trang hồ sơ "
                            "hoặc nộp tại bộ phận một cửa."
                        ),
                        _(
                            "Hồ sơ %(code)s (%(procedure)s) đã được nộp đến %(agency)s lúc %(at)s. Thủ tục "
                            "này có phí, lệ phí %(amount)s: ông/bà quét mã VietQR trên trang hồ sơ bằng ứng "
                            "dụng ngân hàng bất kỳ, hoặc nộp tiền mặt tại bộ phận một cửa. Bộ phận một cửa "
                            "vẫn kiểm tra hồ sơ trong lúc chờ; ông/bà sẽ nhận thông báo khi hồ sơ được "
                            "tiếp nhận."
                        ),
                    )
                },
                pick=lambda data: "fee" if data.get("amount_vnd") else "",
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
            applies=earlier_part_done,
            refusal=_("Phần này của hồ sơ liên thông chờ kết quả của phần trước (giấy khai sinh)."),
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
                    "%(agency)s. Hồ sơ được giải quyết tiếp ngay khi nộp xong."
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
            "money_received",
            _("Nhận được tiền chưa khớp khoản phí"),
            FILED,
            None,
            frozenset({SYSTEM}),
            fields=(
                Field("amount_vnd", _money_in),
                Field(
                    "problem",
                    _one_of(MONEY_PROBLEM_WORDS, gettext_lazy("Trường hợp không hợp lệ.")),
                ),
            ),
            notice=Notice(
                "dossier.money_extra",
                _(
                    "Đã nhận %(amount)s cho hồ sơ %(code)s nhưng ông/bà không phải nộp khoản này. Số tiền "
                    "sẽ được hoàn trả."
                ),
                _(
                    "Đã nhận %(amount)s cho hồ sơ %(code)s, nhưng ông/bà không phải nộp khoản này (nộp "
                    "thừa, nộp hai lần, hoặc khoản phí đã được thay, được miễn hay không còn phải nộp). Bộ "
                    "phận một cửa %(agency)s sẽ hoàn trả số tiền này và liên hệ với ông/bà."
                ),
                variants={
                    "short": Notice(
                        "dossier.money_short",
                        _(
                            "Đã nhận %(amount)s cho hồ sơ %(code)s, chưa đủ số phí phải nộp. Bộ phận một "
                            "cửa sẽ liên hệ ông/bà."
                        ),
                        _(
                            "Đã nhận %(amount)s cho hồ sơ %(code)s, chưa đủ số phí, lệ phí phải nộp nên hồ "
                            "sơ vẫn chờ nộp phí. Bộ phận một cửa %(agency)s sẽ liên hệ để ông/bà nộp nốt "
                            "phần còn thiếu hoặc nhận lại số tiền này."
                        ),
                    ),
                    "check": Notice(
                        "dossier.money_check",
                        _(
                            "Cổng thanh toán báo đã nhận %(amount)s cho hồ sơ %(code)s, đang được kiểm tra. "
                            "Ông/bà không cần nộp lại."
                        ),
                        _(
                            "Cổng thanh toán báo đã nhận %(amount)s cho hồ sơ %(code)s nhưng giao dịch cần "
                            "được kiểm tra. Ông/bà không cần thanh toán lại: bộ phận một cửa %(agency)s sẽ "
                            "kiểm tra với cổng thanh toán và báo kết quả cho ông/bà."
                        ),
                    ),
                },
                pick=lambda data: data.get("problem", ""),
            ),
            slips=(),
        ),
        Action(
            "refund_due",
            _("Phí đã nộp sẽ được hoàn trả"),
            (S.REFUSED, S.WITHDRAWN, S.STOPPED),
            None,
            frozenset({SYSTEM}),
            fields=(
                Field("amount_vnd", _money_in),
                Field(
                    "payment_method",
                    _one_of(PAYMENT_METHODS, gettext_lazy("Cách thanh toán không hợp lệ.")),
                ),
            ),
            # Lệ phí is paid for a public service the State provides (Luật Phí và lệ phí 2015, Điều 3):
            # a dossier that ends without its result gets the fee back in full.
            notice=Notice(
                "dossier.refund_due",
                _(
                    "Phí %(amount)s của hồ sơ %(code)s sẽ được hoàn trả đủ. Bộ phận một cửa sẽ liên hệ để "
                    "chuyển khoản lại."
                ),
                _(
                    "Hồ sơ %(code)s không được giải quyết tiếp, nên phí, lệ phí %(amount)s ông/bà đã nộp "
                    "(%(paid_by)s) được hoàn trả đủ: lệ phí chỉ thu khi cơ quan nhà nước giải quyết công "
                    "việc cho ông/bà. Bộ phận một cửa %(agency)s sẽ liên hệ để chuyển khoản trả lại; ông/bà "
                    "cũng có thể đến nhận tiền mặt, nhớ mang giấy tờ tùy thân."
                ),
                variants={
                    "cash": Notice(
                        "dossier.refund_due",
                        _(
                            "Phí %(amount)s của hồ sơ %(code)s sẽ được hoàn trả đủ. Mời ông/bà đến bộ phận "
                            "một cửa nhận lại tiền mặt."
                        ),
                        _(
                            "Hồ sơ %(code)s không được giải quyết tiếp, nên phí, lệ phí %(amount)s ông/bà đã "
                            "nộp được hoàn trả đủ: lệ phí chỉ thu khi cơ quan nhà nước giải quyết công việc "
                            "cho ông/bà. Mời ông/bà đến bộ phận một cửa %(agency)s, %(address)s để nhận lại "
                            "tiền mặt, nhớ mang giấy tờ tùy thân và biên lai."
                        ),
                    )
                },
                pick=lambda data: "cash" if data.get("payment_method") == "cash" else "",
            ),
            slips=(),
        ),
        Action(
            "refund",
            _("Hoàn trả phí, lệ phí"),
            (S.REFUSED, S.WITHDRAWN, S.STOPPED),
            None,
            frozenset({Role.ONESTOP}),
            fields=(
                Field("amount_vnd", _money_in),
                Field(
                    "refund_method",
                    _one_of(REFUND_METHODS, gettext_lazy("Chọn cách hoàn trả: chuyển khoản hoặc tiền mặt.")),
                ),
                Field("refund_reference", _refund_reference),
            ),
            notice=Notice(
                "dossier.refunded",
                _(
                    "Đã hoàn trả %(amount)s phí hồ sơ %(code)s bằng %(refund_by)s. Nếu chưa nhận được, xin "
                    "báo bộ phận một cửa."
                ),
                _(
                    "Bộ phận một cửa %(agency)s đã hoàn trả %(amount)s phí, lệ phí của hồ sơ %(code)s bằng "
                    "%(refund_by)s (mã %(reference)s). Nếu ông/bà chưa nhận được, xin báo bộ phận một cửa."
                ),
            ),
            slips=(),
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
            fields=(Field("result_file", _optional_result_file, file=True),),
            substates=(Substate.AWAITING_APPROVAL,),
            # Where and when, never cut: the place and the hours are short by construction (agencies).
            notice=Notice(
                "dossier.approved",
                _("Hồ sơ %(code)s có kết quả, nhận tại %(place)s, %(hours)s."),
                _(
                    "Hồ sơ %(code)s (%(procedure)s) đã giải quyết xong; kết quả đã sẵn sàng. Mời ông/bà đến "
                    "nhận tại %(place)s (%(address)s), %(hours)s; nhớ mang theo giấy tờ tùy thân."
                ),
                with_due=True,
                online=RESULT_ONLINE,
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
            notice=STOPPED,
            slips=("dung-xu-ly",),
        ),
        Action(
            # A part of a joined-up filing whose earlier part ended without a result (refused, stopped,
            # withdrawn): it cannot be done, so it stops by itself with the reason (dossiers.bundles).
            "stop_part",
            _("Dừng vì phần liên thông trước không có kết quả"),
            OPEN,
            S.STOPPED,
            frozenset({SYSTEM}),
            fields=(),
            note_required=True,
            notice=STOPPED,
            slips=(),
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
            check=_online_needs_a_file,
            notice=Notice(
                "dossier.delivered",
                _("Hồ sơ %(code)s đã trả kết quả %(method)s. Cảm ơn ông/bà đã sử dụng dịch vụ công."),
                # The citizen is asked to rate once: here, and by the dossier page's section it points to.
                _(
                    "Hồ sơ %(code)s đã trả kết quả %(method)s. Cảm ơn ông/bà đã sử dụng dịch vụ công. Mời "
                    "ông/bà đánh giá mức độ hài lòng ở mục “Đánh giá” trên trang hồ sơ: mỗi hồ sơ chỉ hỏi "
                    "một lần."
                ),
            ),
            slips=(),
        ),
        Action(
            "correct_declaration",
            _("Sửa tờ khai"),
            (S.NEW, S.RECEIVED),
            None,
            frozenset({Role.ONESTOP}),
            fields=(Field("form", _corrections),),
            note_required=True,
            notice=Notice(
                "dossier.declaration_corrected",
                _("Hồ sơ %(code)s: bộ phận một cửa đã sửa tờ khai thành: %(changes)s. Xem trên trang hồ sơ."),
                _(
                    "Bộ phận một cửa %(agency)s đã sửa tờ khai của hồ sơ %(code)s khi kiểm tra hồ sơ: "
                    "%(corrections)s. Lý do: %(reason)s. Nếu thông tin mới chưa đúng, ông/bà báo ngay bộ "
                    "phận một cửa."
                ),
                elastic="changes",
            ),
            slips=(),
            entry=_("Sửa tờ khai khi tiếp nhận"),
        ),
        Action(
            "attach_result",
            _("Đính kèm kết quả"),
            (S.DONE,),
            None,
            OFFICERS,
            fields=(Field("result_file", _result_file, file=True),),
            applies=has_online_result,
            refusal=_("Thủ tục này trả kết quả bản giấy tại bộ phận một cửa, không kèm tệp."),
            notice=RESULT_ONLINE,
            slips=(),
            entry=_("Đính kèm kết quả điện tử"),
        ),
        Action(
            # The citizen who owns the dossier downloads its result file: delivered online (status 10).
            "collect_online",
            _("Nhận kết quả trực tuyến"),
            (S.DONE,),
            S.RETURNED,
            frozenset({CITIZEN}),
            fields=(),
            applies=lambda dossier: dossier.result_files.exists(),
            refusal=_("Hồ sơ chưa có kết quả điện tử."),
            notice=Notice(
                "dossier.collected_online",
                None,
                _(
                    "Ông/bà đã tải kết quả điện tử của hồ sơ %(code)s: hồ sơ đã trả kết quả trực tuyến. Bản "
                    "giấy vẫn được giữ tại %(place)s nếu ông/bà cần."
                ),
            ),
            slips=(),
            entry=_("Công dân nhận kết quả trực tuyến"),
        ),
        Action(
            "reissue_claim_code",
            _("Cấp lại mã nhận hồ sơ"),
            FILED,
            None,
            frozenset({Role.ONESTOP}),
            fields=(),
            note_required=True,  # who asked, and which identity paper the desk saw
            applies=has_no_phone,
            refusal=_("Hồ sơ có số điện thoại: người nộp nhận mã qua tin nhắn, không cần mã nhận hồ sơ."),
            # Nobody to text (no phone); an account the dossier was claimed into is told in the app.
            notice=Notice(
                "dossier.claim_code_reissued",
                None,
                _(
                    "Bộ phận một cửa đã cấp lại mã nhận hồ sơ %(code)s. Mã in trên giấy tiếp nhận cũ không "
                    "còn dùng được."
                ),
            ),
            slips=(),
        ),
        Action(
            # The citizen's satisfaction once the result is delivered (motcua/dossiers/satisfaction.py has
            # the criteria and their source): from their account, or on the counter tablet the desk opens
            # for them. The comment is the note, read by officers only (the event is not the citizen's
            # timeline); the event records {"score", "criteria", "comment": bool}. No status change.
            "rate",
            _("Đánh giá mức độ hài lòng"),
            (S.RETURNED,),
            None,
            frozenset({CITIZEN, Role.ONESTOP}),
            fields=(Field("score", _score), Field("criteria", _criteria)),
            check=_short_comment,
            applies=not_rated,
            refusal=_("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần, cảm ơn ông/bà."),
            citizen_visible=False,
            notice=None,
            slips=(),
            entry=_("Người dân đánh giá mức độ hài lòng"),
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
# Money the system records or an officer gives back from the payments page: not a dossier's button either.
# Collecting a result online is downloading it (its own route).
# Rating has its own pages (the citizen's, the counter tablet's).
OWN_PATHS = frozenset(
    {
        "submit",
        "claim",
        "payment_received",
        "money_received",
        "refund_due",
        "refund",
        "collect_online",
        "stop_part",
        "rate",
    }
)


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
        elif key == "refund_method":
            words.append(gettext("hoàn trả bằng %(how)s") % {"how": REFUND_METHODS.get(value, value)})
        elif key == "refund_reference" and value:
            words.append(gettext("mã hoàn trả %(ref)s") % {"ref": value})
        elif key == "problem":
            words.append(str(MONEY_PROBLEM_WORDS.get(value, value)))
        elif key == "receipt_number" and value:
            words.append(gettext("biên lai số %(n)s") % {"n": value})
        elif key == "new_due_date":
            words.append(
                gettext("hẹn trả mới %(day)s") % {"day": dt.date.fromisoformat(value).strftime("%d/%m/%Y")}
            )
        elif key == "consent" and value:
            words.append(gettext("người dân đã đồng ý nộp thay"))
        elif key == "claim_code" and value:
            words.append(gettext("đã cấp mã nhận hồ sơ (in trên giấy tiếp nhận)"))
        elif key == "items":
            words.append("; ".join(str(item) for item in value))
        elif key == "reason" and value:
            words.append(str(value))
        elif key == "changes":
            words.append(describe_changes(value, with_old=True))
        elif key == "score":
            words.append(gettext("mức hài lòng %(score)s/5") % {"score": value})
        elif key == "result_file" and value:
            words.append(gettext("tệp kết quả “%(name)s”") % {"name": value.get("name", "")})
    return words


def action_for_slip(kind: str) -> Action | None:
    """The action whose event a slip prints (the first in table order)."""
    return next((a for a in ACTIONS.values() if kind in a.slips), None)
